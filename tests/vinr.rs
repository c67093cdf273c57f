//! Wire-level tests of the generated VINR client against a local wiremock server.
//!
//! Every operation is checked for method, exact path, exact query, auth header and exact JSON
//! body, and its documented response is decoded. Then the cross-cutting behaviours: idempotency
//! keys, documented and undocumented errors, unknown enum values, undecodable bodies, the
//! `X-Api-Key` scheme, path-parameter encoding and secrets staying out of `Debug`.
//!
//! Response bodies follow the VINR provider notes and the `example`s in specs/vinr.yaml.

mod support;

use paykit::runtime::{ApiKeyHeader, Bearer, Error, StatusCode};
use paykit::vinr::types::{
    CapturePaymentRequest, CreatePaymentRequest, CreatePaymentRequestCaptureMethod, CreateRefundRequest,
    CreateRefundRequestReason, CreateWebhookEndpointRequest, PaymentCaptureMethod, PaymentStatus, RefundReason,
    RefundStatus, WebhookEndpointStatus,
};
use paykit::vinr::{
    CancelPaymentParams, CapturePaymentParams, Client, CreatePaymentParams, CreateRefundParams,
    CreateWebhookEndpointParams, DeleteWebhookEndpointParams, GetEventParams, GetPaymentParams, GetRefundParams,
    GetSettlementParams, GetWebhookEndpointParams, ListEventsParams, ListPaymentsParams, ListRefundsParams,
    ListSettlementTransactionsParams, ListSettlementsParams, ListWebhookEndpointsParams,
};
use serde_json::{Value, json};
use support::{no_body, ok_json, query_is, samples, transport};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_123";
const BEARER: &str = "Bearer sk_test_123";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A fresh mock server and a client pointed at it, authenticating with a bearer key.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::from_transport(transport(server.uri()).auth(Bearer::new(KEY)).build().expect("client"));
    (server, client)
}

/// Matches a request without `Idempotency-Key` (VINR only honours it on POST).
fn no_idempotency_key(r: &Request) -> bool {
    !r.headers.contains_key("idempotency-key")
}

/// Matches a request whose `Idempotency-Key` is a generated UUID v4.
fn generated_idempotency_key(r: &Request) -> bool {
    idempotency_key(r).is_some_and(|k| is_uuid_v4(&k))
}

fn idempotency_key(r: &Request) -> Option<String> {
    r.headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, lowercase or uppercase hex (the root package has
/// no `uuid` dependency, so the shape is checked by hand).
fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

/// The reference pages' error body (`specs/vinr.yaml` ErrorResponse example).
fn card_declined_json() -> Value {
    json!({
        "error": {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
            "param": "payment_method",
            "doc_url": "https://docs.vinr.com/docs/troubleshooting/error-codes",
            "request_id": "req_1234567890",
            "resource": "pay_1234567890"
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_payments_sends_every_filter_and_decodes_the_page() {
    let (server, client) = setup().await;
    let page = json!({
        "object": "list",
        "data": [samples::vinr_payment()],
        "page": {"has_more": true, "next_cursor": "pay_1234567890", "total_estimate": 1842}
    });
    Mock::given(method("GET"))
        .and(path("/payments"))
        .and(query_param("limit", "10"))
        .and(query_param("starting_after", "pay_0999"))
        .and(query_param("customer", "cust_42"))
        .and(query_is(&[
            ("limit", "10"),
            ("starting_after", "pay_0999"),
            ("customer", "cust_42"),
        ]))
        .and(header("Authorization", BEARER))
        .and(header("Vinr-Version", "2026-04-15"))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(&page))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(ListPaymentsParams {
        limit: Some(10),
        starting_after: Some("pay_0999".into()),
        customer: Some("cust_42".into()),
        vinr_version: Some("2026-04-15".into()),
    });
    let list = client.list_payments(params).await.unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    assert_eq!(list.object.as_deref(), Some("list"));
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].id, "pay_1234567890");
    assert_eq!(list.data[0].status, PaymentStatus::Completed);
    let info = list.page.as_ref().expect("page");
    assert_eq!(info.has_more, Some(true));
    assert_eq!(info.next_cursor.as_deref(), Some("pay_1234567890"));
    assert_eq!(info.total_estimate, Some(1842));
}

#[tokio::test]
async fn list_payments_without_params_sends_no_query_and_no_version() {
    // Default params must leave every optional parameter (and the version header) off the wire.
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(|r: &Request| !r.headers.contains_key("vinr-version"))
        .respond_with(ok_json(&json!({"object": "list", "data": []})))
        .expect(1)
        .mount(&server)
        .await;

    let list = client.list_payments(Default::default()).await.unwrap();
    assert!(list.data.is_empty());
    assert_eq!(list.page, None);
}

#[tokio::test]
async fn create_payment_sends_the_exact_body() {
    let (server, client) = setup().await;
    let mut response = samples::vinr_payment();
    response["status"] = json!("requires_capture");
    response["capture_method"] = json!("manual");
    response["customer"] = json!("cust_42");
    response["payment_method"] = json!("pm_card_visa");
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(header("Content-Type", "application/json"))
        .and(generated_idempotency_key)
        .and(body_json(json!({
            "amount": 1000,
            "currency": "EUR",
            "description": "Order #1042",
            "returnUrl": "https://shop.example.com/return",
            "metadata": {"order_id": "1042"},
            "capture": false,
            "payment_method": "pm_card_visa",
            "customer": "cust_42",
            "capture_method": "manual",
            "captureDelayHours": 24
        })))
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreatePaymentRequest::new(1000, "EUR");
    body.description = Some("Order #1042".into());
    body.return_url = Some("https://shop.example.com/return".into());
    body.metadata = Some([("order_id".to_owned(), "1042".to_owned())].into());
    body.capture = Some(false);
    body.payment_method = Some("pm_card_visa".into());
    body.customer = Some("cust_42".into());
    body.capture_method = Some(CreatePaymentRequestCaptureMethod::Manual);
    body.capture_delay_hours = Some(24);
    let payment = client.create_payment(&body, Default::default()).await.unwrap();

    assert_eq!(payment.id, "pay_1234567890");
    assert_eq!(payment.object, "payment");
    assert_eq!(payment.status, PaymentStatus::RequiresCapture);
    assert_eq!(payment.amount, 1000);
    assert_eq!(payment.currency, "EUR");
    assert_eq!(payment.capture_method, Some(PaymentCaptureMethod::Manual));
    assert_eq!(
        payment.checkout_url.as_deref(),
        Some("https://checkout.vinr.com/pay_1234567890")
    );
    assert_eq!(payment.return_url.as_deref(), Some("https://shop.example.com/return"));
    assert_eq!(payment.created_at.as_deref(), Some("2026-04-15T10:30:00Z"));
    assert_eq!(
        payment
            .metadata
            .as_ref()
            .and_then(|m| m.get("order_id"))
            .map(String::as_str),
        Some("1042")
    );
}

#[tokio::test]
async fn create_payment_leaves_unset_optional_fields_out_of_the_body() {
    // Exact body match: `None` fields must be absent, not `null`.
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("Authorization", BEARER))
        .and(body_json(json!({"amount": 1000, "currency": "EUR"})))
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), Default::default())
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Completed);
}

#[tokio::test]
async fn fields_the_spec_lacks_are_sent_and_kept() {
    // A request field the spec does not have goes out as given; a response field it does not
    // have stays readable.
    let (server, client) = setup().await;
    let mut response = samples::vinr_payment();
    response["risk_score"] = json!(12);
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(body_json(
            json!({"amount": 1000, "currency": "EUR", "statement_descriptor": "SHOP 1042"}),
        ))
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreatePaymentRequest::new(1000, "EUR");
    body.additional_properties
        .insert("statement_descriptor".into(), json!("SHOP 1042"));
    let payment = client.create_payment(&body, Default::default()).await.unwrap();
    assert_eq!(payment.additional_properties.get("risk_score"), Some(&json!(12)));
    assert_eq!(payment.id, "pay_1234567890");
}

#[tokio::test]
async fn get_payment_hits_the_id_path_and_keeps_response_headers() {
    let (server, client) = setup().await;
    let mut response = samples::vinr_payment();
    response["amountRefunded"] = json!(250);
    response["created"] = json!(1776249000);
    response["latest_charge"] = json!({
        "id": "ch_1",
        "amount_captured": 1000,
        "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}}
    });
    Mock::given(method("GET"))
        .and(path("/payments/pay_1234567890"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(&response).insert_header("X-RateLimit-Remaining", "299"))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client
        .get_payment("pay_1234567890", GetPaymentParams::default())
        .await
        .unwrap();
    assert_eq!(payment.header("x-ratelimit-remaining"), Some("299"));
    assert_eq!(payment.id, "pay_1234567890");
    assert_eq!(payment.amount_refunded, Some(250));
    assert_eq!(payment.created, Some(1776249000));
    let charge = payment.latest_charge.as_ref().expect("latest_charge");
    assert_eq!(charge.id.as_deref(), Some("ch_1"));
    assert_eq!(charge.amount_captured, Some(1000));
    assert_eq!(
        charge.payment_method_details.as_ref().unwrap()["card"]["last4"],
        json!("4242")
    );
}

#[tokio::test]
async fn capture_payment_sends_a_partial_amount() {
    let (server, client) = setup().await;
    let mut response = samples::vinr_payment();
    response["status"] = json!("succeeded");
    response["amount"] = json!(500);
    Mock::given(method("POST"))
        .and(path("/payments/pay_1234567890/capture"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(generated_idempotency_key)
        .and(body_json(json!({"amount": 500})))
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let body = paykit::runtime::build!(CapturePaymentRequest { amount: Some(500) });
    let payment = client
        .capture_payment("pay_1234567890", Some(&body), CapturePaymentParams::default())
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Succeeded);
    assert_eq!(payment.amount, 500);
}

#[tokio::test]
async fn capture_payment_without_body_captures_in_full() {
    // `None` body: nothing is sent (not `{}` or `null`), so VINR captures the whole amount.
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/payments/pay_1234567890/capture"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(generated_idempotency_key)
        .and(no_body)
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client
        .capture_payment("pay_1234567890", None, Default::default())
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Completed);
}

#[tokio::test]
async fn cancel_payment_posts_without_a_body() {
    let (server, client) = setup().await;
    let mut response = samples::vinr_payment();
    response["status"] = json!("canceled");
    Mock::given(method("POST"))
        .and(path("/payments/pay_1234567890/cancel"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(generated_idempotency_key)
        .and(no_body)
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client
        .cancel_payment("pay_1234567890", CancelPaymentParams::default())
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Canceled);
    assert_eq!(payment.id, "pay_1234567890");
}

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

fn refund_json() -> Value {
    json!({
        "id": "re_1234567890",
        "object": "refund",
        "payment": "pay_1234567890",
        "amount": 500,
        "currency": "EUR",
        "status": "pending",
        "reason": "requested_by_customer",
        "metadata": {"ticket": "T-77"},
        "created": 1776249000
    })
}

#[tokio::test]
async fn list_refunds_filters_by_payment() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/refunds"))
        .and(query_param("payment", "pay_1234567890"))
        .and(query_param("limit", "5"))
        .and(query_param("ending_before", "re_0001"))
        .and(query_is(&[
            ("payment", "pay_1234567890"),
            ("limit", "5"),
            ("ending_before", "re_0001"),
        ]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .respond_with(ok_json(&json!({
            "object": "list",
            "data": [refund_json()],
            "page": {"has_more": false, "next_cursor": null}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(ListRefundsParams {
        limit: Some(5),
        ending_before: Some("re_0001".into()),
        payment: Some("pay_1234567890".into()),
    });
    let list = client.list_refunds(params).await.unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].id, "re_1234567890");
    assert_eq!(list.data[0].status, Some(RefundStatus::Pending));
    let info = list.page.as_ref().unwrap();
    assert_eq!(info.has_more, Some(false));
    assert_eq!(info.next_cursor, None);
}

#[tokio::test]
async fn create_refund_sends_the_exact_body() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/refunds"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(generated_idempotency_key)
        .and(body_json(json!({
            "payment": "pay_1234567890",
            "amount": 500,
            "reason": "requested_by_customer",
            "metadata": {"ticket": "T-77"}
        })))
        .respond_with(ok_json(&refund_json()))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreateRefundRequest::new("pay_1234567890");
    body.amount = Some(500);
    body.reason = Some(CreateRefundRequestReason::RequestedByCustomer);
    body.metadata = Some([("ticket".to_owned(), "T-77".to_owned())].into());
    let refund = client
        .create_refund(&body, CreateRefundParams::default())
        .await
        .unwrap();
    assert_eq!(refund.id, "re_1234567890");
    assert_eq!(refund.object.as_deref(), Some("refund"));
    assert_eq!(refund.payment.as_deref(), Some("pay_1234567890"));
    assert_eq!(refund.amount, Some(500));
    assert_eq!(refund.currency.as_deref(), Some("EUR"));
    assert_eq!(refund.reason, Some(RefundReason::RequestedByCustomer));
    assert_eq!(refund.created, Some(1776249000));
}

#[tokio::test]
async fn get_refund_hits_the_id_path() {
    let (server, client) = setup().await;
    let mut response = refund_json();
    response["status"] = json!("succeeded");
    Mock::given(method("GET"))
        .and(path("/refunds/re_1234567890"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let refund = client
        .get_refund("re_1234567890", GetRefundParams::default())
        .await
        .unwrap();
    assert_eq!(refund.id, "re_1234567890");
    assert_eq!(refund.status, Some(RefundStatus::Succeeded));
    assert_eq!(refund.metadata.as_ref().unwrap()["ticket"], "T-77");
}

// ---------------------------------------------------------------------------------------------
// Webhook endpoints
// ---------------------------------------------------------------------------------------------

fn webhook_json() -> Value {
    json!({
        "id": "we_1234567890",
        "object": "webhook_endpoint",
        "url": "https://shop.example.com/webhooks/vinr",
        "description": "Order updates",
        "status": "enabled",
        "enabled_events": ["payment.succeeded", "refund.updated"],
        "created": 1776249000
    })
}

#[tokio::test]
async fn list_webhook_endpoints_pages_with_cursor() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/webhooks"))
        .and(query_param("limit", "100"))
        .and(query_param("starting_after", "we_0001"))
        .and(query_is(&[("limit", "100"), ("starting_after", "we_0001")]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .respond_with(ok_json(&json!({"object": "list", "data": [webhook_json()]})))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(ListWebhookEndpointsParams {
        limit: Some(100),
        starting_after: Some("we_0001".into()),
    });
    let list = client.list_webhook_endpoints(params).await.unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].status, Some(WebhookEndpointStatus::Enabled));
    assert_eq!(list.data[0].secret, None);
}

#[tokio::test]
async fn create_webhook_endpoint_sends_the_exact_body_and_returns_the_secret() {
    let (server, client) = setup().await;
    let mut response = webhook_json();
    response["secret"] = json!("whsec_abc123");
    Mock::given(method("POST"))
        .and(path("/webhooks"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(generated_idempotency_key)
        .and(body_json(json!({
            "url": "https://shop.example.com/webhooks/vinr",
            "enabled_events": ["payment.succeeded", "refund.updated"],
            "description": "Order updates"
        })))
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreateWebhookEndpointRequest::new("https://shop.example.com/webhooks/vinr");
    body.enabled_events = Some(vec!["payment.succeeded".into(), "refund.updated".into()]);
    body.description = Some("Order updates".into());
    let endpoint = client
        .create_webhook_endpoint(&body, CreateWebhookEndpointParams::default())
        .await
        .unwrap();
    assert_eq!(endpoint.id, "we_1234567890");
    assert_eq!(endpoint.secret.as_ref().map(|s| s.expose()), Some("whsec_abc123"));
    assert_eq!(endpoint.url.as_deref(), Some("https://shop.example.com/webhooks/vinr"));
    assert_eq!(
        endpoint.enabled_events.as_deref(),
        Some(&["payment.succeeded".to_owned(), "refund.updated".to_owned()][..])
    );
}

#[tokio::test]
async fn get_webhook_endpoint_hits_the_id_path() {
    let (server, client) = setup().await;
    let mut response = webhook_json();
    response["status"] = json!("disabled");
    Mock::given(method("GET"))
        .and(path("/webhooks/we_1234567890"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let endpoint = client
        .get_webhook_endpoint("we_1234567890", GetWebhookEndpointParams::default())
        .await
        .unwrap();
    assert_eq!(endpoint.id, "we_1234567890");
    assert_eq!(endpoint.status, Some(WebhookEndpointStatus::Disabled));
    assert_eq!(endpoint.created, Some(1776249000));
}

#[tokio::test]
async fn delete_webhook_endpoint_uses_delete() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path("/webhooks/we_1234567890"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(
            &json!({"id": "we_1234567890", "object": "webhook_endpoint", "deleted": true}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let deleted = client
        .delete_webhook_endpoint("we_1234567890", DeleteWebhookEndpointParams::default())
        .await
        .unwrap();
    assert_eq!(deleted.id, "we_1234567890");
    assert_eq!(deleted.object.as_deref(), Some("webhook_endpoint"));
    assert_eq!(deleted.deleted, Some(true));
}

// ---------------------------------------------------------------------------------------------
// Settlements
// ---------------------------------------------------------------------------------------------

fn settlement_json() -> Value {
    json!({
        "id": "stl_1234567890",
        "object": "settlement",
        "payout": "po_1234567890",
        "amount": 125000,
        "currency": "EUR",
        "net": 121250,
        "transaction_count": 42,
        "created": 1776249000
    })
}

#[tokio::test]
async fn list_settlements_filters_by_payout() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/settlements"))
        .and(query_param("payout", "po_1234567890"))
        .and(query_param("limit", "25"))
        .and(query_is(&[("payout", "po_1234567890"), ("limit", "25")]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .respond_with(ok_json(&json!({"object": "list", "data": [settlement_json()]})))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(ListSettlementsParams {
        limit: Some(25),
        payout: Some("po_1234567890".into()),
    });
    let list = client.list_settlements(params).await.unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].id, "stl_1234567890");
    assert_eq!(list.data[0].net, Some(121250));
}

#[tokio::test]
async fn get_settlement_hits_the_id_path() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/settlements/stl_1234567890"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(&settlement_json()))
        .expect(1)
        .mount(&server)
        .await;

    let settlement = client
        .get_settlement("stl_1234567890", GetSettlementParams::default())
        .await
        .unwrap();
    assert_eq!(settlement.id, "stl_1234567890");
    assert_eq!(settlement.payout.as_deref(), Some("po_1234567890"));
    assert_eq!(settlement.amount, Some(125000));
    assert_eq!(settlement.currency.as_deref(), Some("EUR"));
    assert_eq!(settlement.net, Some(121250));
    assert_eq!(settlement.transaction_count, Some(42));
}

#[tokio::test]
async fn list_settlement_transactions_hits_the_nested_path() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/settlements/stl_1234567890/transactions"))
        .and(query_param("limit", "50"))
        .and(query_param("starting_after", "txn_0001"))
        .and(query_is(&[("limit", "50"), ("starting_after", "txn_0001")]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .respond_with(ok_json(&json!({
            "object": "list",
            "data": [
                {"id": "txn_1", "object": "balance_transaction", "type": "payment", "amount": 1000,
                 "currency": "EUR", "created": 1776249000, "source": "pay_1234567890"},
                {"id": "txn_2", "object": "balance_transaction", "type": "refund", "amount": -500,
                 "currency": "EUR", "created": 1776249100, "source": "re_1234567890"}
            ],
            "page": {"has_more": false}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(ListSettlementTransactionsParams {
        limit: Some(50),
        starting_after: Some("txn_0001".into()),
    });
    let list = client
        .list_settlement_transactions("stl_1234567890", params)
        .await
        .unwrap();
    assert_eq!(list.data.len(), 2);
    assert_eq!(list.data[0].r#type.as_deref(), Some("payment"));
    assert_eq!(list.data[1].amount, Some(-500));
    assert_eq!(list.data[1].source.as_deref(), Some("re_1234567890"));
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

fn event_json() -> Value {
    json!({
        "id": "evt_1234567890",
        "object": "event",
        "type": "payment.succeeded",
        "data": {"object": samples::vinr_payment()},
        "created": 1776249000
    })
}

#[tokio::test]
async fn list_events_sends_type_and_dotted_created_filter() {
    // `created.gte` has a dot in its name; it must go over the wire verbatim.
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .and(query_param("type", "payment.succeeded"))
        .and(query_param("created.gte", "1776240000"))
        .and(query_param("limit", "20"))
        .and(query_is(&[
            ("type", "payment.succeeded"),
            ("created.gte", "1776240000"),
            ("limit", "20"),
        ]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .respond_with(ok_json(&json!({"object": "list", "data": [event_json()]})))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(ListEventsParams {
        limit: Some(20),
        r#type: Some("payment.succeeded".into()),
        created_gte: Some(1776240000),
    });
    let list = client.list_events(params).await.unwrap();
    assert_eq!(list.data.len(), 1);
    assert_eq!(list.data[0].r#type.as_deref(), Some("payment.succeeded"));
}

#[tokio::test]
async fn get_event_hits_the_id_path() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/events/evt_1234567890"))
        .and(query_is(&[]))
        .and(header("Authorization", BEARER))
        .and(no_body)
        .and(no_idempotency_key)
        .respond_with(ok_json(&event_json()))
        .expect(1)
        .mount(&server)
        .await;

    let event = client
        .get_event("evt_1234567890", GetEventParams::default())
        .await
        .unwrap();
    assert_eq!(event.id, "evt_1234567890");
    assert_eq!(event.object.as_deref(), Some("event"));
    assert_eq!(event.created, Some(1776249000));
    let data = event.data.as_ref().expect("data");
    assert_eq!(data["object"]["id"], json!("pay_1234567890"));
}

// ---------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn generated_idempotency_keys_are_fresh_uuid_v4_per_call() {
    // Without a caller key every POST gets its own UUID v4, so two separate calls are never
    // collapsed into one by VINR's replay protection.
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(generated_idempotency_key)
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(2)
        .mount(&server)
        .await;

    let body = CreatePaymentRequest::new(1000, "EUR");
    client.create_payment(&body, Default::default()).await.unwrap();
    client.create_payment(&body, Default::default()).await.unwrap();

    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| idempotency_key(r).expect("key"))
        .collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| is_uuid_v4(k)), "{keys:?}");
    assert_ne!(keys[0], keys[1]);
}

#[tokio::test]
async fn caller_idempotency_key_is_sent_verbatim() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("Idempotency-Key", "order-1042-attempt-1"))
        .and(body_json(json!({"amount": 1000, "currency": "EUR"})))
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/refunds"))
        .and(header("Idempotency-Key", "refund-1042"))
        .respond_with(ok_json(&refund_json()))
        .expect(1)
        .mount(&server)
        .await;

    let params = paykit::runtime::build!(CreatePaymentParams {
        idempotency_key: "order-1042-attempt-1".into(),
    });
    client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), params)
        .await
        .unwrap();
    let params = paykit::runtime::build!(CreateRefundParams {
        idempotency_key: "refund-1042".into(),
    });
    client
        .create_refund(&CreateRefundRequest::new("pay_1234567890"), params)
        .await
        .unwrap();

    // Exactly one key per request: the caller's, not an extra generated one next to it.
    for request in server.received_requests().await.unwrap() {
        assert_eq!(request.headers.get_all("idempotency-key").iter().count(), 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn card_declined_402_is_a_typed_api_error() {
    let (server, client) = setup().await;
    let sent = card_declined_json().to_string();
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(402).set_body_raw(sent.clone(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::PAYMENT_REQUIRED));
    let Error::Api(response) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(response.raw, sent);
    let body = &response.body;
    assert_eq!(body.error.r#type, "card_error");
    assert_eq!(body.error.code.as_deref(), Some("card_declined"));
    assert_eq!(body.error.decline_code.as_deref(), Some("insufficient_funds"));
    assert_eq!(body.error.message, "Your card has insufficient funds.");
    assert_eq!(body.error.param.as_deref(), Some("payment_method"));
    assert_eq!(body.error.request_id.as_deref(), Some("req_1234567890"));
    assert_eq!(body.error.resource.as_deref(), Some("pay_1234567890"));
}

#[tokio::test]
async fn not_found_404_is_a_typed_api_error() {
    let (server, client) = setup().await;
    let sent = json!({
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "message": "No such payment: 'pay_missing'",
            "param": "id",
            "request_id": "req_404"
        }
    })
    .to_string();
    Mock::given(method("GET"))
        .and(path("/payments/pay_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(sent.clone(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.get_payment("pay_missing", Default::default()).await.unwrap_err();
    assert_eq!(err.raw_body(), Some(sent.as_str()));
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let body = err.api_error().expect("a typed 404");
    assert_eq!(body.error.r#type, "invalid_request_error");
    assert_eq!(body.error.code.as_deref(), Some("resource_missing"));
    assert_eq!(body.error.decline_code, None);
}

#[tokio::test]
async fn over_refund_422_keeps_status_headers_and_typed_body() {
    // 422 `amount_too_large` (refunds guide); the response headers stay available on the error.
    let (server, client) = setup().await;
    let sent = json!({
        "error": {
            "type": "billing_error",
            "code": "amount_too_large",
            "message": "Refund amount (1500) exceeds the refundable amount (1000).",
            "param": "amount"
        }
    })
    .to_string();
    Mock::given(method("POST"))
        .and(path("/refunds"))
        .and(body_json(json!({"payment": "pay_1234567890", "amount": 1500})))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_raw(sent.clone(), "application/json")
                .insert_header("X-Request-Id", "req_422"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreateRefundRequest::new("pay_1234567890");
    body.amount = Some(1500);
    let err = client.create_refund(&body, Default::default()).await.unwrap_err();
    let Error::Api(response) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.raw, sent);
    assert_eq!(response.headers.get("x-request-id").unwrap(), "req_422");
    let body = &response.body;
    assert_eq!(body.error.code.as_deref(), Some("amount_too_large"));
    assert_eq!(body.error.param.as_deref(), Some("amount"));
}

#[tokio::test]
async fn unknown_enum_values_survive_and_the_rest_still_parses() {
    // A status VINR may add tomorrow (or a typo) must not make the whole payment undecodable.
    let (server, client) = setup().await;
    let mut response = samples::vinr_payment();
    response["status"] = json!("PENNDING");
    response["capture_method"] = json!("deferred");
    response["brand_new_field"] = json!({"nested": true});
    Mock::given(method("GET"))
        .and(path("/payments/pay_1234567890"))
        .respond_with(ok_json(&response))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client.get_payment("pay_1234567890", Default::default()).await.unwrap();
    assert_eq!(payment.status, PaymentStatus::Unknown("PENNDING".into()));
    assert_eq!(payment.status.as_str(), "PENNDING");
    assert_eq!(
        payment.capture_method,
        Some(PaymentCaptureMethod::Unknown("deferred".into()))
    );
    assert_eq!(payment.id, "pay_1234567890");
    assert_eq!(payment.amount, 1000);
    assert_eq!(payment.currency, "EUR");
    assert_eq!(payment.description.as_deref(), Some("Order #1042"));
}

#[tokio::test]
async fn html_on_200_is_a_decode_error_with_the_raw_body() {
    // A proxy's HTML page on a 200 must not panic or pass as a payment.
    let (server, client) = setup().await;
    let html = "<html><body><h1>Service temporarily unavailable</h1></body></html>";
    Mock::given(method("GET"))
        .and(path("/payments/pay_1234567890"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html, "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .get_payment("pay_1234567890", Default::default())
        .await
        .unwrap_err();
    let Error::Decode { response, source } = err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.raw, html);
    assert!(source.is_syntax(), "{source}");
    assert_eq!(response.headers.get("content-type").unwrap(), "text/html");
}

#[tokio::test]
async fn documented_error_status_with_html_body_is_a_decode_error() {
    // A documented status (500) whose body is not the documented JSON: Decode, keeping the page.
    let (server, client) = setup().await;
    let html = "<html><body>Internal Server Error</body></html>";
    Mock::given(method("GET"))
        .and(path("/refunds/re_1"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(html, "text/html"))
        .expect(3) // a GET is retried on 500
        .mount(&server)
        .await;

    let err = client.get_refund("re_1", Default::default()).await.unwrap_err();
    let Error::Decode { response, .. } = err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.raw, html);
}

#[tokio::test]
async fn undocumented_status_is_unexpected_status_with_the_raw_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .expect(3) // a GET is retried on 502
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/webhooks/we_1"))
        .respond_with(ResponseTemplate::new(418).set_body_string("I'm a teapot"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.list_payments(Default::default()).await.unwrap_err();
    let Error::UnexpectedStatus(response) = err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert_eq!(response.raw, "Bad Gateway");

    let err = client
        .delete_webhook_endpoint("we_1", Default::default())
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(response) = err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(response.raw, "I'm a teapot");
}

// ---------------------------------------------------------------------------------------------
// Auth, path encoding, secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn api_key_header_auth_sends_x_api_key_and_no_authorization() {
    let server = MockServer::start().await;
    let client = Client::new(server.uri(), ApiKeyHeader::new("X-Api-Key", KEY)).unwrap();
    Mock::given(method("GET"))
        .and(path("/payments/pay_1234567890"))
        .and(header("X-Api-Key", KEY))
        .and(|r: &Request| !r.headers.contains_key("authorization"))
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client.get_payment("pay_1234567890", Default::default()).await.unwrap();
    assert_eq!(payment.id, "pay_1234567890");
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    // wiremock compares the still-encoded `url.path()`, so this proves `/` and `?` in an id
    // stay inside the one path segment instead of adding a segment or starting a query.
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/payments/pay%2F1%3Fx"))
        .and(query_is(&[]))
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payments/pay%201%23frag/capture"))
        .and(query_is(&[]))
        .respond_with(ok_json(&samples::vinr_payment()))
        .expect(1)
        .mount(&server)
        .await;

    client.get_payment("pay/1?x", Default::default()).await.unwrap();
    client
        .capture_payment("pay 1#frag", None, Default::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn dot_segment_ids_are_refused_instead_of_escaping_the_path() {
    // `.` and `..` ids cannot be sent safely: every WHATWG URL parser (the `url` crate, so both
    // reqwest and wiremock, and typical servers) treats `%2E` / `%2E%2E` as dot segments, so
    // `POST /payments/%2E%2E/capture` arrives as `POST /capture`. The client must refuse them.
    for id in ["", ".", ".."] {
        let (server, client) = setup().await;
        let result = client.capture_payment(id, None, Default::default()).await;
        let paths: Vec<String> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| r.url.path().to_owned())
            .collect();
        assert!(paths.is_empty(), "id {id:?} was sent to {paths:?}");
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "id {id:?}: {result:?}");
    }
}

#[tokio::test]
async fn debug_output_never_contains_the_secret() {
    let (server, client) = setup().await;
    let api_key_client = Client::new(server.uri(), ApiKeyHeader::new("X-Api-Key", KEY)).unwrap();
    assert!(!format!("{client:?}").contains(KEY), "{client:?}");
    assert!(!format!("{api_key_client:?}").contains(KEY), "{api_key_client:?}");

    // Errors of each kind that carries a response: neither Debug nor Display shows the key.
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("Authorization", BEARER))
        .respond_with(ResponseTemplate::new(402).set_body_raw(card_declined_json().to_string(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/pay_1"))
        .and(header("Authorization", BEARER))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .expect(3) // a GET is retried on 503
        .mount(&server)
        .await;
    let api = client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), Default::default())
        .await
        .unwrap_err();
    let unexpected = client.get_payment("pay_1", Default::default()).await.unwrap_err();
    assert!(matches!(api, Error::Api(_)), "{api:?}");
    assert!(matches!(unexpected, Error::UnexpectedStatus(_)), "{unexpected:?}");
    for shown in [
        format!("{api:?}"),
        format!("{api}"),
        format!("{unexpected:?}"),
        format!("{unexpected}"),
    ] {
        assert!(!shown.contains(KEY), "{shown}");
    }
}
