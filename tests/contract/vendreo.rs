//! Vendreo: bearer application secret; inputs from `tests/vendreo.rs` (the API reference's
//! documented examples).

use paykit::runtime::Bearer;
use paykit::vendreo::Client;
use paykit::vendreo::types::{
    AddBan, AddBanType, AisAuthorizationSchema, AisTransactionSchema, BasketItem, CardCapturePaymentDetails,
    CardRebillPaymentDetails, CardRefundPaymentDetails, CardRequestPaymentSchema, CardVoidPayment,
    CreateSubscriptionSchema, Frequency, HeadlessRequestPaymentSchema, HeadlessRequestPaymentSchemaPaymentType,
    HeadlessSetupSchema, PaymentsSchema, RefundReason, RequestAPaymentSchema, RequestOutgoingPaymentSchema,
    RequestPaymentSchema, RequestPaymentSchemaPaymentType,
};

use crate::{Outcome, Provider, outcome, transport};

const SECRET: &str = "test-application-secret";
/// The documented example `application_key`.
const APP_KEY: &str = "19899181-5f37-4282-90d1-683e69cf3d05";
const PAYMENT: &str = "c012a5cc-5435-4935-b8f3-b022f2605df8";
const CARD_PAYMENT: &str = "98f3ed2b-fca5-48e6-b7d3-a7745be3eeec";
/// A stored card token (delivered in the `card_payment_completed` postback).
const CARD_TOKEN: &str = "98d9a8d3-556b-48e2-add4-6418ecbcd684";
const CONSENT: &str = "consent-1";
const ACCOUNT: &str = "account-1";
const DESCRIPTION: &str = "Payment for Order Number #325682";
const SUCCESS_URL: &str = "https://example.org/success";
const FAILED_URL: &str = "https://example.org/failed";
const OPTIONS: &str = r#"{"sessionId":"foo"}"#;

pub struct Vendreo;

impl Provider for Vendreo {
    const SPEC: &'static str = "vendreo";
    type Client = Client;

    fn client(url: &str, prefer: Option<&str>) -> Result<Client, String> {
        match prefer {
            None => Client::new(url, Bearer::new(SECRET)).map_err(|e| e.to_string()),
            Some(_) => {
                let transport = transport(url, prefer)?.auth(Bearer::new(SECRET)).build();
                Ok(Client::from_transport(transport.map_err(|e| e.to_string())?))
            }
        }
    }

    async fn call(client: &Client, operation: &str) -> Option<Outcome> {
        Some(match operation {
            // Payments
            "requestPayment" => outcome(client.request_payment(&request_payment()).await),
            "createSubscription" => {
                let body = paykit::runtime::build!(CreateSubscriptionSchema {
                    country_code: Some("GB".into()),
                    frequency: Some(Frequency::Daily),
                    number_of_payments: Some(0),
                    options: Some(OPTIONS.into()),
                    ..CreateSubscriptionSchema::new(APP_KEY, "GBP", DESCRIPTION, 1999, 1999, SUCCESS_URL, "string")
                });
                outcome(client.create_subscription(&body).await)
            }
            "requestOutgoingPayment" => {
                let body = paykit::runtime::build!(RequestOutgoingPaymentSchema {
                    account_name: Some("Mr Joe Bloggs".into()),
                    account_number: Some("12345678".into()),
                    options: Some(OPTIONS.into()),
                    original_payment_uuid: Some(PAYMENT.into()),
                    sort_code: Some("123456".into()),
                    ..RequestOutgoingPaymentSchema::new(1999, APP_KEY, "GBP", DESCRIPTION, SUCCESS_URL)
                });
                outcome(client.request_outgoing_payment(&body).await)
            }
            "requestAPayment" => {
                let body = RequestAPaymentSchema::new(1999, "GBP", DESCRIPTION, SUCCESS_URL, APP_KEY);
                outcome(client.request_a_payment(&body).await)
            }
            "listPayments" => {
                let body = paykit::runtime::build!(PaymentsSchema {
                    payments: Some(vec![PAYMENT.into()]),
                });
                outcome(client.list_payments(&body).await)
            }
            "getPayment" => outcome(client.get_payment(PAYMENT).await),
            // Headless checkout
            "headlessSetup" => outcome(client.headless_setup(&HeadlessSetupSchema::new(APP_KEY)).await),
            "headlessRequestPayment" => outcome(client.headless_request_payment(&headless_request_payment()).await),
            // Cards
            "cardRequestPayment" => outcome(client.card_request_payment(&card_request_payment()).await),
            "getCardPaymentDetails" => outcome(client.get_card_payment_details(CARD_PAYMENT).await),
            "refundCardPayment" => {
                let body = paykit::runtime::build!(CardRefundPaymentDetails {
                    amount: Some(1500),
                    ..CardRefundPaymentDetails::new(RefundReason::GoodsReturned)
                });
                outcome(client.refund_card_payment(CARD_PAYMENT, &body).await)
            }
            "cancelCardPayment" => outcome(client.cancel_card_payment(CARD_PAYMENT).await),
            "voidCardPayment" => {
                let body = paykit::runtime::build!(CardVoidPayment {
                    amount: Some(0),
                    ..CardVoidPayment::new(RefundReason::OrderCancelled)
                });
                outcome(client.void_card_payment(CARD_PAYMENT, &body).await)
            }
            "listBans" => outcome(client.list_bans().await),
            "addBan" => {
                let body = paykit::runtime::build!(AddBan {
                    expires_at: Some("2019-08-24T14:15:22Z".into()),
                    ..AddBan::new(AddBanType::IpAddress, "8.8.8.8")
                });
                outcome(client.add_ban(&body).await)
            }
            "removeBan" => outcome(client.remove_ban("199").await),
            "captureCardPayment" => {
                let body = paykit::runtime::build!(CardCapturePaymentDetails { amount: Some(1500) });
                outcome(client.capture_card_payment(CARD_PAYMENT, Some(&body)).await)
            }
            "rebillCardToken" => {
                let body = CardRebillPaymentDetails::new(1999, "string", "string", APP_KEY, "GB", "GBP");
                outcome(client.rebill_card_token(CARD_TOKEN, &body).await)
            }
            // Account information (AIS)
            "createAisAuthorization" => {
                let body = paykit::runtime::build!(AisAuthorizationSchema {
                    description: Some(DESCRIPTION.into()),
                    options: Some(OPTIONS.into()),
                    ..AisAuthorizationSchema::new(APP_KEY, FAILED_URL, "GB", "string", SUCCESS_URL)
                });
                outcome(client.create_ais_authorization(&body).await)
            }
            "revokeAisConsent" => outcome(client.revoke_ais_consent(CONSENT).await),
            "getAisConsentDetails" => outcome(client.get_ais_consent_details(CONSENT).await),
            "getAisIdentity" => outcome(client.get_ais_identity(CONSENT).await),
            "listAisBankAccounts" => outcome(client.list_ais_bank_accounts(CONSENT).await),
            "getAisInstitution" => outcome(client.get_ais_institution(CONSENT).await),
            "getAisBankAccount" => outcome(client.get_ais_bank_account(CONSENT, ACCOUNT).await),
            "listAisTransactions" => {
                let body = paykit::runtime::build!(AisTransactionSchema {
                    date_from: Some("2022-01-01".into()),
                    date_to: Some("2022-01-30".into()),
                    page: Some(1),
                });
                outcome(client.list_ais_transactions(CONSENT, ACCOUNT, Some(&body)).await)
            }
            "listAisDirectDebits" => outcome(client.list_ais_direct_debits(CONSENT, ACCOUNT).await),
            "listAisPeriodicPayments" => outcome(client.list_ais_periodic_payments(CONSENT, ACCOUNT).await),
            "listAisScheduledPayments" => outcome(client.list_ais_scheduled_payments(CONSENT, ACCOUNT).await),
            "listAisStatements" => outcome(client.list_ais_statements(CONSENT, ACCOUNT).await),
            "getAisStatement" => outcome(client.get_ais_statement(CONSENT, ACCOUNT, "statement-1").await),
            _ => return None,
        })
    }
}

fn basket() -> Option<Vec<BasketItem>> {
    Some(vec![paykit::runtime::build!(BasketItem {
        description: Some("string".into()),
        quantity: Some(10),
        price: Some("199".into()),
        total: Some("1990".into()),
    })])
}

/// The documented periodic payment request.
fn request_payment() -> RequestPaymentSchema {
    paykit::runtime::build!(RequestPaymentSchema {
        basket_items: basket(),
        country_code: Some("GB".into()),
        failed_url: Some(FAILED_URL.into()),
        first_payment_date: Some("20/03/2020".into()),
        frequency: Some(Frequency::Daily),
        number_of_payments: Some(0),
        parent_payment_id: Some(0),
        options: Some(OPTIONS.into()),
        ..RequestPaymentSchema::new(
            1999,
            APP_KEY,
            "GBP",
            DESCRIPTION,
            RequestPaymentSchemaPaymentType::Periodic,
            "string",
            SUCCESS_URL,
        )
    })
}

fn headless_request_payment() -> HeadlessRequestPaymentSchema {
    paykit::runtime::build!(HeadlessRequestPaymentSchema {
        basket_items: basket(),
        country_code: Some("GB".into()),
        failed_url: Some(FAILED_URL.into()),
        first_payment_date: Some("20/03/2020".into()),
        frequency: Some(Frequency::Daily),
        parent_payment_id: Some(0),
        remote_institution_id: Some("barclays".into()),
        number_of_payments: Some(0),
        options: Some(OPTIONS.into()),
        ..HeadlessRequestPaymentSchema::new(
            1999,
            "GBP",
            DESCRIPTION,
            HeadlessRequestPaymentSchemaPaymentType::Periodic,
            SUCCESS_URL,
            "string",
            APP_KEY,
        )
    })
}

fn card_request_payment() -> CardRequestPaymentSchema {
    paykit::runtime::build!(CardRequestPaymentSchema {
        customer_name: Some("Joe Blogs".into()),
        customer_billing_email: Some("joe.blogs@example.org".into()),
        customer_billing_address: Some("123 Foo Street".into()),
        customer_billing_town: Some("London".into()),
        customer_billing_post_code: Some("AA1 1AA".into()),
        customer_billing_country_code: Some("GB".into()),
        tokenize_payment: Some(true),
        enable_address_field: Some(true),
        disable_auto_capture: Some(true),
        enable_verify_card: Some(true),
        mandate_3ds_challenge: Some(true),
        ip_address: Some("1.12.123.255".into()),
        user_session_id: Some("b5a3aa9b-7583-4434-8e69-1253453c99de".into()),
        options: Some(OPTIONS.into()),
        ..CardRequestPaymentSchema::new(1999, APP_KEY, "GB", "GBP", DESCRIPTION, "string")
    })
}
