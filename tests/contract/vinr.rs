//! VINR: bearer secret key; inputs from `tests/vinr.rs`.

use paykit::runtime::Bearer;
use paykit::vinr::types::{
    CapturePaymentRequest, CreatePaymentRequest, CreatePaymentRequestCaptureMethod, CreateRefundRequest,
    CreateRefundRequestReason, CreateWebhookEndpointRequest,
};
use paykit::vinr::{
    CancelPaymentParams, CapturePaymentParams, Client, CreatePaymentParams, CreateRefundParams,
    CreateWebhookEndpointParams, DeleteWebhookEndpointParams, GetEventParams, GetPaymentParams, GetRefundParams,
    GetSettlementParams, GetWebhookEndpointParams, ListEventsParams, ListPaymentsParams, ListRefundsParams,
    ListSettlementTransactionsParams, ListSettlementsParams, ListWebhookEndpointsParams,
};

use crate::{Outcome, Provider, outcome, transport};

const KEY: &str = "sk_test_123";
const PAYMENT: &str = "pay_1234567890";

/// The API version every call pins (`Vinr-Version`).
fn version() -> Option<String> {
    Some("2026-04-15".into())
}

pub struct Vinr;

impl Provider for Vinr {
    const SPEC: &'static str = "vinr";
    type Client = Client;

    fn client(url: &str, prefer: Option<&str>) -> Result<Client, String> {
        match prefer {
            None => Client::new(url, Bearer::new(KEY)).map_err(|e| e.to_string()),
            Some(_) => {
                let transport = transport(url, prefer)?.auth(Bearer::new(KEY)).build();
                Ok(Client::from_transport(transport.map_err(|e| e.to_string())?))
            }
        }
    }

    async fn call(client: &Client, operation: &str) -> Option<Outcome> {
        let vinr_version = version();
        Some(match operation {
            "listPayments" => {
                let params = paykit::runtime::build!(ListPaymentsParams {
                    limit: Some(10),
                    starting_after: Some("pay_0999".into()),
                    customer: Some("cust_42".into()),
                    vinr_version,
                });
                outcome(client.list_payments(params).await)
            }
            "createPayment" => {
                let params = paykit::runtime::build!(CreatePaymentParams { vinr_version });
                outcome(client.create_payment(&payment_request(), params).await)
            }
            "getPayment" => outcome(
                client
                    .get_payment(PAYMENT, paykit::runtime::build!(GetPaymentParams { vinr_version }))
                    .await,
            ),
            "capturePayment" => {
                let params = paykit::runtime::build!(CapturePaymentParams { vinr_version });
                let body = paykit::runtime::build!(CapturePaymentRequest { amount: Some(500) });
                outcome(client.capture_payment(PAYMENT, Some(&body), params).await)
            }
            "cancelPayment" => {
                let params = paykit::runtime::build!(CancelPaymentParams { vinr_version });
                outcome(client.cancel_payment(PAYMENT, params).await)
            }
            "listRefunds" => {
                let params = paykit::runtime::build!(ListRefundsParams {
                    limit: Some(5),
                    ending_before: Some("re_0001".into()),
                    payment: Some(PAYMENT.into()),
                    vinr_version,
                });
                outcome(client.list_refunds(params).await)
            }
            "createRefund" => {
                let mut body = CreateRefundRequest::new(PAYMENT);
                body.amount = Some(500);
                body.reason = Some(CreateRefundRequestReason::RequestedByCustomer);
                body.metadata = Some([("ticket".to_owned(), "T-77".to_owned())].into());
                let params = paykit::runtime::build!(CreateRefundParams { vinr_version });
                outcome(client.create_refund(&body, params).await)
            }
            "getRefund" => outcome(
                client
                    .get_refund(
                        "re_1234567890",
                        paykit::runtime::build!(GetRefundParams { vinr_version }),
                    )
                    .await,
            ),
            "listWebhookEndpoints" => {
                let params = paykit::runtime::build!(ListWebhookEndpointsParams {
                    limit: Some(100),
                    starting_after: Some("we_0001".into()),
                    vinr_version,
                });
                outcome(client.list_webhook_endpoints(params).await)
            }
            "createWebhookEndpoint" => {
                let mut body = CreateWebhookEndpointRequest::new("https://shop.example.com/webhooks/vinr");
                body.enabled_events = Some(vec!["payment.succeeded".into(), "refund.updated".into()]);
                body.description = Some("Order updates".into());
                let params = paykit::runtime::build!(CreateWebhookEndpointParams { vinr_version });
                outcome(client.create_webhook_endpoint(&body, params).await)
            }
            "getWebhookEndpoint" => {
                let params = paykit::runtime::build!(GetWebhookEndpointParams { vinr_version });
                outcome(client.get_webhook_endpoint("we_1234567890", params).await)
            }
            "deleteWebhookEndpoint" => {
                let params = paykit::runtime::build!(DeleteWebhookEndpointParams { vinr_version });
                outcome(client.delete_webhook_endpoint("we_1234567890", params).await)
            }
            "listSettlements" => {
                let params = paykit::runtime::build!(ListSettlementsParams {
                    limit: Some(25),
                    payout: Some("po_1234567890".into()),
                    vinr_version,
                });
                outcome(client.list_settlements(params).await)
            }
            "getSettlement" => {
                let params = paykit::runtime::build!(GetSettlementParams { vinr_version });
                outcome(client.get_settlement("stl_1234567890", params).await)
            }
            "listSettlementTransactions" => {
                let params = paykit::runtime::build!(ListSettlementTransactionsParams {
                    limit: Some(50),
                    starting_after: Some("txn_0001".into()),
                    vinr_version,
                });
                outcome(client.list_settlement_transactions("stl_1234567890", params).await)
            }
            "listEvents" => {
                let params = paykit::runtime::build!(ListEventsParams {
                    limit: Some(20),
                    r#type: Some("payment.succeeded".into()),
                    created_gte: Some(1776240000),
                    vinr_version,
                });
                outcome(client.list_events(params).await)
            }
            "getEvent" => outcome(
                client
                    .get_event(
                        "evt_1234567890",
                        paykit::runtime::build!(GetEventParams { vinr_version }),
                    )
                    .await,
            ),
            _ => return None,
        })
    }
}

/// A manual-capture card payment with every field set.
fn payment_request() -> CreatePaymentRequest {
    let mut body = CreatePaymentRequest::new(1000, "EUR");
    body.description = Some("Order #1042".into());
    body.return_url = Some("https://shop.example.com/return".into());
    body.metadata = Some([("order_id".to_owned(), "1042".to_owned())].into());
    body.capture = Some(false);
    body.payment_method = Some("pm_card_visa".into());
    body.customer = Some("cust_42".into());
    body.capture_method = Some(CreatePaymentRequestCaptureMethod::Manual);
    body.capture_delay_hours = Some(24);
    body
}
