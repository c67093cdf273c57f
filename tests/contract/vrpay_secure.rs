//! VR pay secure: every request signed (`ApiSignature`), `instance` in the query; inputs mirror
//! `tests/vrpay_secure.rs` (the shared ones live in `tests/support/samples.rs`).

use paykit::runtime::{Error, ResponseValue};
use paykit::vrpay_secure::signing::ApiSignature;
use paykit::vrpay_secure::types::{
    self, AuthTokenRequest, GatewayCustomFieldValue, GatewayFieldValue, GatewayFields, GatewayRequest,
    ListTransactionsOrderByTime, LocalizedText, PageRequest, PaymentFormField, PaymentFormFields, SubscriptionRequest,
    SubscriptionUpdateRequest, TransactionCaptureRequest, TransactionChargeRequest, TransactionPreAuthorizeRequest,
    TransactionReceiptRequest, TransactionRefundRequest, TransactionRequest,
};
use paykit::vrpay_secure::{Client, ListTransactionsParams};
use serde::Serialize;

use crate::support::samples;
use crate::{Outcome, Provider, outcome_at, transport};

/// The API secret of the provider notes' worked examples.
const SECRET: &str = "example-api-secret";
const INSTANCE: &str = "demo";
const GATEWAY: i64 = 4711;
const INVOICE: i64 = 3301;
const PAGE: i64 = 12;
const SUBSCRIPTION: i64 = 55;
const TRANSACTION: i64 = 2001;

pub struct VrPay;

impl Provider for VrPay {
    const SPEC: &'static str = "vrpay-secure";
    type Client = Client;

    fn client(url: &str, prefer: Option<&str>) -> Result<Client, String> {
        let signer = ApiSignature::new(SECRET).map_err(|e| e.to_string())?;
        match prefer {
            None => Client::new(url, INSTANCE, signer).map_err(|e| e.to_string()),
            Some(_) => {
                let transport = transport(url, prefer)?.auth(signer).build();
                Ok(Client::from_transport(transport.map_err(|e| e.to_string())?, INSTANCE))
            }
        }
    }

    async fn call(client: &Client, operation: &str) -> Option<Outcome> {
        Some(match operation {
            "createAuthToken" => one(client.create_auth_token(&AuthTokenRequest::new(1)).await),
            // Gateways
            "createGateway" => one(client.create_gateway(&gateway_request()).await),
            "getGateway" => one(client.get_gateway(GATEWAY).await),
            "deleteGateway" => one(client.delete_gateway(GATEWAY).await),
            // Payment links
            "createInvoice" => one(client.create_invoice(&samples::vrpay_invoice_request()).await),
            "getInvoice" => one(client.get_invoice(INVOICE).await),
            "deleteInvoice" => one(client.delete_invoice(INVOICE).await),
            // Payment pages
            "listPages" => list(client.list_pages().await),
            "createPage" => one(client.create_page(&page_request()).await),
            "getPage" => one(client.get_page(PAGE).await),
            // Subscriptions
            "listSubscriptions" => list(client.list_subscriptions().await),
            "createSubscription" => {
                let mut body = SubscriptionRequest::new(77, 36, "Monthly box", 2990, "CHF", "P1M", "P1Y", "P1M");
                body.reference_id = Some("SUB-1".into());
                one(client.create_subscription(&body).await)
            }
            "getSubscription" => one(client.get_subscription(SUBSCRIPTION).await),
            "updateSubscription" => {
                let body = paykit::runtime::build!(SubscriptionUpdateRequest {
                    amount: Some(3490),
                    currency: Some("CHF".into()),
                });
                one(client.update_subscription(SUBSCRIPTION, &body).await)
            }
            "cancelSubscription" => one(client.cancel_subscription(SUBSCRIPTION).await),
            // Transactions
            "listTransactions" => {
                let params = paykit::runtime::build!(ListTransactionsParams {
                    filter_datetime_utc_greater_than: Some("2026-01-01 00:00:00".into()),
                    filter_datetime_utc_less_than: Some("2026-01-31 23:59:59".into()),
                    filter_my_transactions_only: Some(1),
                    order_by_time: Some(ListTransactionsOrderByTime::Desc),
                    offset: Some(20),
                    limit: Some(10),
                });
                list(client.list_transactions(params).await)
            }
            "createTransaction" => one(client.create_transaction(&transaction_request()).await),
            "getTransaction" => one(client.get_transaction(TRANSACTION).await),
            "chargeTransaction" => {
                let body = paykit::runtime::build!(TransactionChargeRequest {
                    amount: Some(5000),
                    purpose: Some("Partial charge".into()),
                    reference_id: Some("ORD-1-C1".into()),
                });
                one(client.charge_transaction(TRANSACTION, Some(&body)).await)
            }
            "deleteTransaction" => one(client.delete_transaction(TRANSACTION).await),
            "refundTransaction" => {
                let body = paykit::runtime::build!(TransactionRefundRequest { amount: Some(1000) });
                one(client.refund_transaction(TRANSACTION, Some(&body)).await)
            }
            "captureTransaction" => {
                let body = paykit::runtime::build!(TransactionCaptureRequest { amount: Some(8925) });
                one(client.capture_transaction(TRANSACTION, Some(&body)).await)
            }
            "preAuthorizeTransaction" => {
                let body = TransactionPreAuthorizeRequest::new(4900);
                one(client.pre_authorize_transaction(TRANSACTION, &body).await)
            }
            "sendTransactionReceipt" => {
                let body = TransactionReceiptRequest::new("max.muster+receipts@example.com");
                one(client.send_transaction_receipt(TRANSACTION, &body).await)
            }
            "checkSignature" => list(client.check_signature().await),
            _ => return None,
        })
    }
}

/// A single object: the client decodes `data[0]` of the envelope.
fn one<T: Serialize>(result: Result<ResponseValue<T>, Error<types::Error>>) -> Outcome {
    outcome_at("/data/0", result)
}

/// A list: the client decodes the envelope's `data`.
fn list<T: Serialize>(result: Result<ResponseValue<T>, Error<types::Error>>) -> Outcome {
    outcome_at("/data", result)
}

/// Texts by language index (`0` = default language, `1` = German, ...).
fn lang(entries: &[(&str, &str)]) -> LocalizedText {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn field(value: &str) -> Option<GatewayFieldValue> {
    Some(paykit::runtime::build!(GatewayFieldValue {
        value: Some(value.to_owned()),
    }))
}

/// A reserved CHF payment with contact fields and texts in two languages.
///
/// Without `basket`: Prism 5 cannot read an array of objects in a form body (deepObject style,
/// `basket[0][name]=...`; OpenAPI 3.0 leaves deepObject undefined for arrays) and refuses the
/// request with "Cannot deserialize JSON object array in form data request body". The basket's
/// encoding is checked against the PHP server's parser in `tests/vrpay_secure.rs`.
fn gateway_request() -> GatewayRequest {
    let mut body = GatewayRequest::new(8925, "CHF");
    body.success_redirect_url = Some("https://shop.example/ok?x=1".into());
    body.failed_redirect_url = Some("https://shop.example/failed".into());
    body.cancel_redirect_url = Some("https://shop.example/cancel".into());
    body.psp = Some(vec![36, 44]);
    body.pm = Some(vec!["visa".into(), "mastercard".into()]);
    body.pre_authorization = Some(false);
    body.reservation = Some(true);
    body.reference_id = Some("ORD-1".into());
    body.fields = Some(paykit::runtime::build!(GatewayFields {
        email: field("max.muster@example.com"),
        forename: field("Max"),
        custom_field_1: Some(paykit::runtime::build!(GatewayCustomFieldValue {
            value: Some("K-1001".into()),
            name: Some(lang(&[("0", "Customer no."), ("1", "Kundennummer")])),
        })),
    }));
    body.purpose = Some(lang(&[("0", "Order #1 ~ test"), ("1", "Bestellung #1 ~ Größe M")]));
    body.vat_rate = Some(7.7);
    body.language = Some("de".into());
    body.skip_result_page = Some(true);
    body.validity = Some(15);
    body.button_text = Some(lang(&[("0", "Pay now"), ("1", "Jetzt bezahlen")]));
    body
}

/// A donation page with a monthly subscription option.
fn page_request() -> PageRequest {
    let mut body = PageRequest::new("Spenden", "Unterstützen Sie unsere Arbeit", vec![36, 44]);
    body.name = Some("donations".into());
    body.purpose = Some("Spende".into());
    body.amount = Some(5000);
    body.currency = Some("CHF".into());
    body.pre_authorization = Some(false);
    body.subscription_state = Some(true);
    body.subscription_interval = Some("P1M".into());
    body.subscription_period = Some("P1Y".into());
    body.subscription_cancellation_interval = Some("P1M".into());
    let mandatory = || Some(paykit::runtime::build!(PaymentFormField { mandatory: Some(true) }));
    body.fields = Some(paykit::runtime::build!(PaymentFormFields {
        forename: mandatory(),
        email: mandatory(),
    }));
    body
}

/// A phone order booked directly.
fn transaction_request() -> TransactionRequest {
    let mut body = TransactionRequest::new(8925, "CHF");
    body.purpose = Some("Phone order ~ #7".into());
    body.vat_rate = Some(7.7);
    body.fields = Some(paykit::runtime::build!(GatewayFields {
        forename: field("Max"),
        surname: field("Muster"),
        email: field("max.muster@example.com"),
    }));
    body.reference_id = Some("MOTO-7".into());
    body
}
