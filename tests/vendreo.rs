//! The generated Vendreo client against a local mock server: what goes on the wire (method, path,
//! headers, exact JSON body) for all 31 operations, how the documented responses decode, and how
//! errors, unknown enum values and non-JSON answers come back.
//!
//! Request bodies are the documented examples (Vendreo's API reference) built from typed
//! values; response bodies are the documented examples, adjusted only where the spec resolved a
//! contradiction differently (each such place has a comment).

mod support;
use support::transport;

use paykit::runtime::{Bearer, Error};
use paykit::vendreo::Client;
use paykit::vendreo::types::{
    AddBan, AddBanType, AisAuthorizationSchema, AisTransactionSchema, BanType, BasketItem, CardCapturePaymentDetails,
    CardRebillPaymentDetails, CardRefundPaymentDetails, CardRequestPaymentSchema, CardVoidPayment,
    CreateSubscriptionSchema, Frequency, HeadlessRequestPaymentSchema, HeadlessRequestPaymentSchemaPaymentType,
    HeadlessSetupSchema, PaymentPaymentType, PaymentStatus, PaymentsSchema, RefundReason, RequestAPaymentSchema,
    RequestOutgoingPaymentSchema, RequestPaymentSchema, RequestPaymentSchemaPaymentType, ValidationError,
    VoidCardPaymentResponseType,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

const SECRET: &str = "test-application-secret";
const AUTHORIZATION: &str = "Bearer test-application-secret";
/// The documented example `application_key`.
const APP_KEY: &str = "19899181-5f37-4282-90d1-683e69cf3d05";
const TRACING_ID: &str = "6bc181f1-1512-493f-9c1c-81f66e479193";

/// A mock server on loopback and a client pointed at it.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::from_transport(
        transport(server.uri())
            .auth(Bearer::new(SECRET))
            .build()
            .expect("client"),
    );
    (server, client)
}

/// A mock for `verb path` that only matches when the bearer secret and `Accept: application/json`
/// are sent (Laravel answers HTML without the latter).
fn call(verb: &str, p: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(p))
        .and(header("Authorization", AUTHORIZATION))
        .and(header("Accept", "application/json"))
}

/// `call` plus the exact JSON body (and its content type).
fn call_with_body(verb: &str, p: &str, body: Value) -> MockBuilder {
    call(verb, p)
        .and(header("Content-Type", "application/json"))
        .and(body_json(body))
}

/// `call` for operations whose documented body is only `{}`: the spec drops it, so nothing is sent.
fn call_without_body(verb: &str, p: &str) -> MockBuilder {
    call(verb, p).and(|req: &Request| req.body.is_empty() && !req.headers.contains_key("content-type"))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// A response whose body is sent byte for byte, so `raw` can be compared with it.
fn raw(status: u16, body: &str, mime: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), mime)
}

fn tracing_id(meta: &Option<paykit::vendreo::types::Meta>) -> Option<&str> {
    meta.as_ref()?.tracing_id.as_deref()
}

fn meta() -> Value {
    json!({ "tracing_id": TRACING_ID })
}

/// The documented 422 example.
const VALIDATION_422: &str =
    r#"{"errors":{"amount":["The amount field is required."]},"message":"The given data was invalid."}"#;
/// The documented 401 example (the AIS operations show it verbatim).
const VALIDATION_401: &str =
    r#"{"errors":{"field":["Something is wrong with this field!"]},"message":"The given data was invalid."}"#;

fn assert_validation(v: &ValidationError, field: &str, message: &str) {
    let errors = v.errors.as_ref().expect("errors map");
    assert_eq!(errors.get(field).map(Vec::as_slice), Some(&[message.to_owned()][..]));
    assert_eq!(errors.len(), 1);
    assert_eq!(v.message.as_deref(), Some("The given data was invalid."));
}

// ------------------------------------------------------------------------------------------------
// Payments
// ------------------------------------------------------------------------------------------------

/// The documented request-payment body, built from typed values. The docs send `amount` and basket
/// `quantity` as strings ("1999", "10"); the schema says integer and the spec follows the schema.
fn documented_request_payment() -> RequestPaymentSchema {
    paykit::runtime::build!(RequestPaymentSchema {
        basket_items: Some(vec![paykit::runtime::build!(BasketItem {
            description: Some("string".into()),
            quantity: Some(10),
            price: Some("199".into()),
            total: Some("1990".into()),
        })]),
        country_code: Some("GB".into()),
        failed_url: Some("https://example.org/failed".into()),
        first_payment_date: Some("20/03/2020".into()),
        frequency: Some(Frequency::Daily),
        number_of_payments: Some(0),
        parent_payment_id: Some(0),
        options: Some(r#"{"sessionId":"foo"}"#.into()),
        ..RequestPaymentSchema::new(
            1999,
            APP_KEY,
            "GBP",
            "Payment for Order Number #325682",
            RequestPaymentSchemaPaymentType::Periodic,
            "string",
            "https://example.org/success",
        )
    })
}

#[tokio::test]
async fn request_payment_sends_the_documented_body() {
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/request-payment",
        json!({
            "amount": 1999,
            "application_key": APP_KEY,
            "basket_items": [{ "description": "string", "quantity": 10, "price": "199", "total": "1990" }],
            "country_code": "GB",
            "currency": "GBP",
            "description": "Payment for Order Number #325682",
            "failed_url": "https://example.org/failed",
            "first_payment_date": "20/03/2020",
            "frequency": "daily",
            "number_of_payments": 0,
            "payment_type": "PERIODIC",
            "parent_payment_id": 0,
            "reference_id": "string",
            "redirect_url": "https://example.org/success",
            "options": "{\"sessionId\":\"foo\"}"
        }),
    )
    .respond_with(ok(json!({
        "meta": meta(),
        "payment_request_id": "123456",
        "redirect_url": "https://pay.vendreo.com/payment/{uuid}",
        "subscription_id": "123456"
    })))
    .expect(1)
    .mount(&server)
    .await;

    let res = client
        .request_payment(&documented_request_payment())
        .await
        .expect("request_payment");
    assert_eq!(res.status(), 200);
    assert_eq!(res.payment_request_id.as_deref(), Some("123456"));
    assert_eq!(
        res.redirect_url.as_deref(),
        Some("https://pay.vendreo.com/payment/{uuid}")
    );
    assert_eq!(res.subscription_id.as_deref(), Some("123456"));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn request_payment_leaves_unset_optional_fields_out() {
    // Only the required fields: every `None` must be absent, not `null`.
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/request-payment",
        json!({
            "amount": 1999,
            "application_key": APP_KEY,
            "currency": "GBP",
            "description": "Payment for Order Number #325682",
            "payment_type": "SINGLE",
            "reference_id": "order-1",
            "redirect_url": "https://example.org/success"
        }),
    )
    .respond_with(ok(json!({ "payment_request_id": "123456" })))
    .expect(1)
    .mount(&server)
    .await;

    let body = RequestPaymentSchema::new(
        1999,
        APP_KEY,
        "GBP",
        "Payment for Order Number #325682",
        RequestPaymentSchemaPaymentType::Single,
        "order-1",
        "https://example.org/success",
    );
    let res = client.request_payment(&body).await.expect("request_payment");
    assert_eq!(res.payment_request_id.as_deref(), Some("123456"));
    assert_eq!(res.meta, None);
}

#[tokio::test]
async fn create_subscription_sends_the_documented_body() {
    let (server, client) = setup().await;
    // The docs send first_amount/recurring_amount as "1999"; integers per the schema.
    call_with_body(
        "POST",
        "/v1/create-subscription",
        json!({
            "application_key": APP_KEY,
            "country_code": "GB",
            "currency": "GBP",
            "description": "Payment for Order Number #325682",
            "first_amount": 1999,
            "frequency": "daily",
            "number_of_payments": 0,
            "recurring_amount": 1999,
            "redirect_url": "https://example.org/success",
            "reference_id": "string",
            "options": "{\"sessionId\":\"foo\"}"
        }),
    )
    .respond_with(ok(json!({
        "meta": meta(),
        "payment_request_id": "123456",
        "redirect_url": "https://pay.vendreo.com/payment/{uuid}"
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(CreateSubscriptionSchema {
        country_code: Some("GB".into()),
        frequency: Some(Frequency::Daily),
        number_of_payments: Some(0),
        options: Some(r#"{"sessionId":"foo"}"#.into()),
        ..CreateSubscriptionSchema::new(
            APP_KEY,
            "GBP",
            "Payment for Order Number #325682",
            1999,
            1999,
            "https://example.org/success",
            "string",
        )
    });
    let res = client.create_subscription(&body).await.expect("create_subscription");
    assert_eq!(res.payment_request_id.as_deref(), Some("123456"));
    assert_eq!(
        res.redirect_url.as_deref(),
        Some("https://pay.vendreo.com/payment/{uuid}")
    );
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn request_outgoing_payment_sends_the_documented_body() {
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/request-outgoing-payment",
        json!({
            "account_name": "Mr Joe Bloggs",
            "account_number": "12345678",
            "amount": 1999,
            "application_key": APP_KEY,
            "currency": "GBP",
            "description": "Payment for Order Number #325682",
            "options": "{\"sessionId\":\"foo\"}",
            "original_payment_uuid": "c012a5cc-5435-4935-b8f3-b022f2605df8",
            "redirect_url": "https://example.org/success",
            "sort_code": "123456"
        }),
    )
    .respond_with(ok(json!({
        "meta": meta(),
        "outgoing_payment_request_id": "123456",
        "redirect_url": "https://pay.vendreo.com/dynamic-payment/{uuid}"
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(RequestOutgoingPaymentSchema {
        account_name: Some("Mr Joe Bloggs".into()),
        account_number: Some("12345678".into()),
        options: Some(r#"{"sessionId":"foo"}"#.into()),
        original_payment_uuid: Some("c012a5cc-5435-4935-b8f3-b022f2605df8".into()),
        sort_code: Some("123456".into()),
        ..RequestOutgoingPaymentSchema::new(
            1999,
            APP_KEY,
            "GBP",
            "Payment for Order Number #325682",
            "https://example.org/success",
        )
    });
    let res = client
        .request_outgoing_payment(&body)
        .await
        .expect("request_outgoing_payment");
    assert_eq!(res.outgoing_payment_request_id.as_deref(), Some("123456"));
    assert_eq!(
        res.redirect_url.as_deref(),
        Some("https://pay.vendreo.com/dynamic-payment/{uuid}")
    );
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn request_a_payment_sends_the_documented_body() {
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/request-a-payment",
        json!({
            "amount": 1999,
            "currency": "GBP",
            "description": "Payment for Order Number #325682",
            "redirect_url": "https://example.org/success",
            "application_key": APP_KEY
        }),
    )
    .respond_with(ok(json!({
        "redirect_url": "https://pay.vendreo.com/pay/{uuid}",
        "request_a_payment_id": "123456",
        "meta": meta()
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = RequestAPaymentSchema::new(
        1999,
        "GBP",
        "Payment for Order Number #325682",
        "https://example.org/success",
        APP_KEY,
    );
    let res = client.request_a_payment(&body).await.expect("request_a_payment");
    assert_eq!(res.redirect_url.as_deref(), Some("https://pay.vendreo.com/pay/{uuid}"));
    assert_eq!(res.request_a_payment_id.as_deref(), Some("123456"));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn list_payments_sends_the_uuids_as_a_body_on_get() {
    let (server, client) = setup().await;
    call_with_body(
        "GET",
        "/v1/payments",
        json!({ "payments": ["c012a5cc-5435-4935-b8f3-b022f2605df8"] }),
    )
    // The documented example, verbatim: amounts are strings ("199"); those fields are lenient.
    .respond_with(ok(json!([{
        "amount": "199",
        "payment_uuid": "c012a5cc-5435-4935-b8f3-b022f2605df8",
        "status": "COMPLETED",
        "payment_reference": "VND123C1",
        "payment_type": "SINGLE",
        "transactions": [{
            "amount": "199",
            "currency": "GBP",
            "cross_checked": true,
            "completed": true,
            "date_completed": "2022-01-01 00:00:00",
            "date_estimated": "2022-01-01 00:00:00"
        }],
        "scheduled": [{
            "amount": "199",
            "currency": "GBP",
            "date_scheduled": "2022-01-01 00:00:00",
            "expired": false,
            "cross_checked": true,
            "completed": true
        }]
    }])))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(PaymentsSchema {
        payments: Some(vec!["c012a5cc-5435-4935-b8f3-b022f2605df8".into()]),
    });
    let res = client.list_payments(&body).await.expect("list_payments");
    assert_eq!(res.len(), 1);
    let p = &res[0];
    assert_eq!(p.amount, Some(199));
    assert_eq!(p.payment_uuid.as_deref(), Some("c012a5cc-5435-4935-b8f3-b022f2605df8"));
    assert_eq!(p.status, Some(PaymentStatus::Completed));
    assert_eq!(p.payment_reference.as_deref(), Some("VND123C1"));
    assert_eq!(p.payment_type, Some(PaymentPaymentType::Single));
    let t = &p.transactions.as_ref().expect("transactions")[0];
    assert_eq!(t.amount, Some(199));
    assert_eq!(t.currency.as_deref(), Some("GBP"));
    assert_eq!(t.cross_checked, Some(true));
    assert_eq!(t.completed, Some(true));
    assert_eq!(t.date_completed.as_deref(), Some("2022-01-01 00:00:00"));
    assert_eq!(t.date_estimated.as_deref(), Some("2022-01-01 00:00:00"));
    let s = &p.scheduled.as_ref().expect("scheduled")[0];
    assert_eq!(s.amount, Some(199));
    assert_eq!(s.date_scheduled.as_deref(), Some("2022-01-01 00:00:00"));
    assert_eq!(s.expired, Some(false));
    assert_eq!(s.cross_checked, Some(true));
    assert_eq!(s.completed, Some(true));
    assert_eq!(s.success, None);
    assert_eq!(p.meta, None);
}

#[tokio::test]
async fn list_payments_sends_null_for_the_required_nullable_list() {
    // `payments` is required but nullable: left `None`, it is sent as `null`, not dropped.
    let (server, client) = setup().await;
    call_with_body("GET", "/v1/payments", json!({ "payments": null }))
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .list_payments(&PaymentsSchema::default())
        .await
        .expect("list_payments");
    assert!(res.is_empty());
}

#[tokio::test]
async fn get_payment_parses_the_documented_example() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/payment/c012a5cc-5435-4935-b8f3-b022f2605df8")
        // Verbatim, including the non-UUID `payment_uuid` and string amounts.
        .respond_with(ok(json!({
            "status": "COMPLETED",
            "payment_reference": "VND123C1",
            "payment_type": "SINGLE",
            "payment_uuid": "123456",
            "transactions": [{
                "amount": "199",
                "completed": true,
                "cross_checked": true,
                "currency": "GBP",
                "date_completed": "2022-01-01 00:00:00",
                "date_estimated": "2022-01-01 00:00:00"
            }],
            "scheduled": [{
                "amount": "199",
                "completed": true,
                "cross_checked": true,
                "currency": "GBP",
                "date_scheduled": "2022-01-01 00:00:00",
                "expired": false
            }],
            "meta": meta()
        })))
        .expect(1)
        .mount(&server)
        .await;

    let p = client
        .get_payment("c012a5cc-5435-4935-b8f3-b022f2605df8")
        .await
        .expect("get_payment");
    assert_eq!(p.status, Some(PaymentStatus::Completed));
    assert_eq!(p.payment_type, Some(PaymentPaymentType::Single));
    assert_eq!(p.payment_uuid.as_deref(), Some("123456"));
    assert_eq!(p.amount, None);
    assert_eq!(p.transactions.as_ref().expect("transactions")[0].amount, Some(199));
    assert_eq!(p.scheduled.as_ref().expect("scheduled")[0].amount, Some(199));
    assert_eq!(
        p.scheduled.as_ref().expect("scheduled")[0].currency.as_deref(),
        Some("GBP")
    );
    assert_eq!(tracing_id(&p.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    // An id with `/`, `?` and a space must stay one path segment.
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/payment/a%2Fb%3Fc%20d")
        .respond_with(ok(json!({ "payment_uuid": "a/b?c d" })))
        .expect(1)
        .mount(&server)
        .await;

    let p = client.get_payment("a/b?c d").await.expect("get_payment");
    assert_eq!(p.payment_uuid.as_deref(), Some("a/b?c d"));
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    // REFUNDED is set by outgoing payments (see requestOutgoingPayment) but is not in the enum;
    // guides use lower-case payment types. Both survive and the rest of the body still parses.
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/payment/pay-1")
        .respond_with(ok(json!({
            "status": "REFUNDED",
            "payment_type": "single",
            "payment_reference": "VND123C1",
            "transactions": [{ "amount": 199, "completed": true }],
            "meta": meta()
        })))
        .expect(1)
        .mount(&server)
        .await;

    let p = client.get_payment("pay-1").await.expect("get_payment");
    assert_eq!(p.status, Some(PaymentStatus::Unknown("REFUNDED".into())));
    assert_eq!(p.status.as_ref().map(PaymentStatus::as_str), Some("REFUNDED"));
    assert_eq!(p.payment_type, Some(PaymentPaymentType::Unknown("single".into())));
    assert_eq!(p.payment_reference.as_deref(), Some("VND123C1"));
    assert_eq!(p.transactions.as_ref().expect("transactions")[0].amount, Some(199));
    assert_eq!(tracing_id(&p.meta), Some(TRACING_ID));
}

// ------------------------------------------------------------------------------------------------
// Headless
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn headless_setup_parses_banks_and_details() {
    let (server, client) = setup().await;
    call_with_body("POST", "/v1/headless/setup", json!({ "application_key": APP_KEY }))
        .respond_with(ok(json!({
            "paymentDetails": {
                "sort_code": "123456",
                "account_number": "12345678",
                "account_name": "Mr Joe Blogs",
                "environment": "LIVE"
            },
            "vendreoDetails": { "logo": "string", "terms_and_conditions": "string", "privacy_policy": "string" },
            "institutions": [{
                "institution_remote_id": "starling",
                "name": "Starling Bank",
                "country_code": "GB",
                "full_logo_url": "https://cdn.vendreo.com/images/bank_logos/400x400_alt/starling.png",
                "environment": "LIVE",
                "features": [
                    "ACCOUNT_TRANSACTIONS_WITH_MERCHANT",
                    "INITIATE_SINGLE_PAYMENT_SORTCODE",
                    "ACCOUNTS",
                    "CREATE_SINGLE_PAYMENT_SORTCODE",
                    "ACCOUNT",
                    "INITIATE_DOMESTIC_VARIABLE_RECURRING_PAYMENT",
                    "ACCOUNT_TRANSACTIONS",
                    "CREATE_DOMESTIC_SINGLE_PAYMENT",
                    "INITIATE_ACCOUNT_REQUEST",
                    "IDENTITY",
                    "CREATE_DOMESTIC_VARIABLE_RECURRING_PAYMENT",
                    "INITIATE_DOMESTIC_SINGLE_PAYMENT",
                    "EXISTING_PAYMENTS_DETAILS"
                ]
            }],
            "meta": meta()
        })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .headless_setup(&HeadlessSetupSchema::new(APP_KEY))
        .await
        .expect("headless_setup");
    let details = res.payment_details.as_ref().expect("paymentDetails");
    assert_eq!(details.sort_code.as_deref(), Some("123456"));
    assert_eq!(details.account_number.as_deref(), Some("12345678"));
    assert_eq!(details.account_name.as_deref(), Some("Mr Joe Blogs"));
    assert_eq!(details.environment.as_deref(), Some("LIVE"));
    let vendreo = res.vendreo_details.as_ref().expect("vendreoDetails");
    assert_eq!(vendreo.terms_and_conditions.as_deref(), Some("string"));
    let banks = res.institutions.as_ref().expect("institutions");
    assert_eq!(banks.len(), 1);
    assert_eq!(banks[0].institution_remote_id.as_deref(), Some("starling"));
    assert_eq!(banks[0].name.as_deref(), Some("Starling Bank"));
    assert_eq!(
        banks[0].full_logo_url.as_deref(),
        Some("https://cdn.vendreo.com/images/bank_logos/400x400_alt/starling.png")
    );
    let features = banks[0].features.as_ref().expect("features");
    assert_eq!(features.len(), 13);
    assert_eq!(features[0], "ACCOUNT_TRANSACTIONS_WITH_MERCHANT");
    assert_eq!(features[12], "EXISTING_PAYMENTS_DETAILS");
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn headless_request_payment_sends_the_documented_body() {
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/headless/request-payment",
        json!({
            "amount": 1999,
            "basket_items": [{ "description": "string", "quantity": 10, "price": "199", "total": "1990" }],
            "country_code": "GB",
            "currency": "GBP",
            "description": "Payment for Order Number #325682",
            "failed_url": "https://example.org/failed",
            "first_payment_date": "20/03/2020",
            "frequency": "daily",
            "payment_type": "PERIODIC",
            "parent_payment_id": 0,
            "redirect_url": "https://example.org/success",
            "reference_id": "string",
            "remote_institution_id": "barclays",
            "number_of_payments": 0,
            "options": "{\"sessionId\":\"foo\"}",
            "application_key": APP_KEY
        }),
    )
    .respond_with(ok(json!({
        "meta": meta(),
        "payment_request_id": "123456",
        "payment_uuid": "b1073176-a151-4923-b545-fa987e333530",
        "qr_code": "https://pay.vendreo.test/qr/redirect/{uuid}",
        "redirect_url": "https://pay.vendreo.com/qr/{uuid}",
        "success": true
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(HeadlessRequestPaymentSchema {
        basket_items: Some(vec![paykit::runtime::build!(BasketItem {
            description: Some("string".into()),
            quantity: Some(10),
            price: Some("199".into()),
            total: Some("1990".into()),
        })]),
        country_code: Some("GB".into()),
        failed_url: Some("https://example.org/failed".into()),
        first_payment_date: Some("20/03/2020".into()),
        frequency: Some(Frequency::Daily),
        parent_payment_id: Some(0),
        remote_institution_id: Some("barclays".into()),
        number_of_payments: Some(0),
        options: Some(r#"{"sessionId":"foo"}"#.into()),
        ..HeadlessRequestPaymentSchema::new(
            1999,
            "GBP",
            "Payment for Order Number #325682",
            HeadlessRequestPaymentSchemaPaymentType::Periodic,
            "https://example.org/success",
            "string",
            APP_KEY,
        )
    });
    let res = client
        .headless_request_payment(&body)
        .await
        .expect("headless_request_payment");
    assert_eq!(res.payment_request_id.as_deref(), Some("123456"));
    assert_eq!(
        res.payment_uuid.as_deref(),
        Some("b1073176-a151-4923-b545-fa987e333530")
    );
    assert_eq!(
        res.qr_code.as_deref(),
        Some("https://pay.vendreo.test/qr/redirect/{uuid}")
    );
    assert_eq!(res.redirect_url.as_deref(), Some("https://pay.vendreo.com/qr/{uuid}"));
    assert_eq!(res.success, Some(true));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn headless_request_payment_accepts_success_as_a_string() {
    // The reference types `success` as a string (the example is `true`); it is lenient.
    let (server, client) = setup().await;
    call("POST", "/v1/headless/request-payment")
        .respond_with(ok(json!({ "payment_request_id": "123456", "success": "true" })))
        .expect(1)
        .mount(&server)
        .await;

    let body = HeadlessRequestPaymentSchema::new(
        1999,
        "GBP",
        "Order",
        HeadlessRequestPaymentSchemaPaymentType::Single,
        "https://example.org/success",
        "order-1",
        APP_KEY,
    );
    let res = client
        .headless_request_payment(&body)
        .await
        .expect("headless_request_payment");
    assert_eq!(res.success, Some(true));
}

// ------------------------------------------------------------------------------------------------
// Card payments
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn card_request_payment_sends_the_documented_body() {
    let (server, client) = setup().await;
    // Adjusted from the docs' example as the spec resolved it: amount and the flags are typed
    // (the example sends "1999" and "true"), post code and country code are un-swapped, and the
    // e-mail example (a name, "Joe Blogs") is replaced by an address.
    call_with_body(
        "POST",
        "/v1/card/request-payment",
        json!({
            "amount": 1999,
            "application_key": APP_KEY,
            "country_code": "GB",
            "currency": "GBP",
            "customer_name": "Joe Blogs",
            "customer_billing_email": "joe.blogs@example.org",
            "customer_billing_address": "123 Foo Street",
            "customer_billing_town": "London",
            "customer_billing_post_code": "AA1 1AA",
            "customer_billing_country_code": "GB",
            "tokenize_payment": true,
            "enable_address_field": true,
            "disable_auto_capture": true,
            "enable_verify_card": true,
            "mandate_3ds_challenge": true,
            "ip_address": "1.12.123.255",
            "user_session_id": "b5a3aa9b-7583-4434-8e69-1253453c99de",
            "description": "Payment for Order Number #325682",
            "reference_id": "string",
            "options": "{\"sessionId\":\"foo\"}"
        }),
    )
    .respond_with(ok(json!({
        "payment_request_id": "123456",
        "payment_request_token": "{uuid}",
        "meta": meta()
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(CardRequestPaymentSchema {
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
        options: Some(r#"{"sessionId":"foo"}"#.into()),
        ..CardRequestPaymentSchema::new(1999, APP_KEY, "GB", "GBP", "Payment for Order Number #325682", "string")
    });
    let res = client.card_request_payment(&body).await.expect("card_request_payment");
    assert_eq!(res.payment_request_id.as_deref(), Some("123456"));
    assert_eq!(res.payment_request_token.as_deref(), Some("{uuid}"));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

/// The documented card payment details example, verbatim (too deep for `json!`).
const CARD_PAYMENT_DETAIL: &str = r#"{
    "uuid": "98edad0a-83bd-44f7-8e67-f7db7e9fbc73",
    "payment_type": "PAYMENT",
    "environment": "SANDBOX",
    "transaction_id": "123456789",
    "cross_reference": "A1B2C3D4E5F6G7H8I9J0",
    "type": "E_COMMERCE",
    "action": "SALE",
    "status": "CONFIRMED",
    "state": "ACCEPTED",
    "merchant_account": "12346789",
    "merchant_category_code": "1234",
    "amount": 100,
    "amount_received": 100,
    "amount_retained": 100,
    "payment_method": "card",
    "card_type": "Visa Debit",
    "card_scheme": "Visa",
    "currency_symbol": "£",
    "currency_exponent": "2",
    "last_4": "1234",
    "card_hash": "string",
    "card_issuer": "string",
    "card_expiry": "string",
    "card_issuing_country": "United Kingdom",
    "customer_name": "string",
    "customer_address": "string",
    "customer_postcode": "string",
    "customer_country": "string",
    "customer_email": "string",
    "customer_ip": "string",
    "security_address_check": "matched",
    "security_post_code_check": "matched",
    "security_3d_secure_check": "authenticated",
    "security_risk_check": "Y",
    "security_cvv2_check": "matched",
    "token_uuid": "string",
    "payment_request": {
        "uuid": "98edad0a-83bd-44f7-8e67-f7db7e9fbc73",
        "merchant_id": "string",
        "action": "SALE",
        "amount": 100,
        "type": "1",
        "currency_code": "GBP",
        "country_code": "GBR",
        "customer_name": "string",
        "customer_billing_email": "string",
        "customer_billing_address": "string",
        "customer_billing_post_code": "string",
        "reference": "9485b43b-00d3-4fdd-9ddc-84383afcd067",
        "description": "10 Credits",
        "meta": {}
    },
    "meta": {
        "tracing_id": "6bc181f1-1512-493f-9c1c-81f66e479193"
    }
}"#;

#[tokio::test]
async fn get_card_payment_details_parses_the_documented_example() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/card/payment/98edad0a-83bd-44f7-8e67-f7db7e9fbc73/details")
        .respond_with(raw(200, CARD_PAYMENT_DETAIL, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let d = client
        .get_card_payment_details("98edad0a-83bd-44f7-8e67-f7db7e9fbc73")
        .await
        .expect("get_card_payment_details");
    assert_eq!(d.uuid.as_deref(), Some("98edad0a-83bd-44f7-8e67-f7db7e9fbc73"));
    assert_eq!(d.r#type.as_deref(), Some("E_COMMERCE"));
    assert_eq!(d.status.as_deref(), Some("CONFIRMED"));
    assert_eq!(d.state.as_deref(), Some("ACCEPTED"));
    assert_eq!(d.amount, Some(100));
    assert_eq!(d.amount_received, Some(100));
    assert_eq!(d.amount_retained, Some(100));
    assert_eq!(d.currency_symbol.as_deref(), Some("£"));
    assert_eq!(d.currency_exponent.as_deref(), Some("2"));
    assert_eq!(d.last_4.as_deref(), Some("1234"));
    assert_eq!(d.card_issuing_country.as_deref(), Some("United Kingdom"));
    assert_eq!(d.security_3d_secure_check.as_deref(), Some("authenticated"));
    assert_eq!(d.security_cvv2_check.as_deref(), Some("matched"));
    assert_eq!(d.token_uuid.as_deref(), Some("string"));
    let pr = d.payment_request.as_ref().expect("payment_request");
    assert_eq!(pr.amount, Some(100));
    assert_eq!(pr.r#type.as_deref(), Some("1"));
    assert_eq!(pr.country_code.as_deref(), Some("GBR"));
    assert_eq!(pr.reference.as_deref(), Some("9485b43b-00d3-4fdd-9ddc-84383afcd067"));
    assert_eq!(pr.description.as_deref(), Some("10 Credits"));
    assert_eq!(pr.meta.as_ref().map(|m| m.is_empty()), Some(true));
    assert_eq!(tracing_id(&d.meta), Some(TRACING_ID));
}

/// The documented refund response.
fn refund_response() -> Value {
    json!({
        "payment": {
            "payment_uuid": "98d9aa80-9632-4602-80f5-2f6ff9f93097",
            "environment": "SANDBOX",
            "amount": 1500,
            "options": ["string"],
            "payment_request_uuid": "d91e2cb6-62c0-402d-b8a3-c58d80205b74",
            "payment_request_id": "12345"
        },
        "refund_payment": {
            "refund_uuid": "98f3f009-aca3-4c8f-bd4d-d1c9ff05b5a5",
            "environment": "SANDBOX",
            "amount": 1500
        },
        "meta": meta()
    })
}

#[tokio::test]
async fn refund_card_payment_sends_a_body_on_delete() {
    let (server, client) = setup().await;
    // The docs' example shows `reason` as the whole enum array; the schema says one value.
    call_with_body(
        "DELETE",
        "/v1/card/payment/98d9aa80-9632-4602-80f5-2f6ff9f93097/refund",
        json!({ "amount": 1500, "reason": "GOODS_RETURNED" }),
    )
    .respond_with(ok(refund_response()))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(CardRefundPaymentDetails {
        amount: Some(1500),
        ..CardRefundPaymentDetails::new(RefundReason::GoodsReturned)
    });
    let res = client
        .refund_card_payment("98d9aa80-9632-4602-80f5-2f6ff9f93097", &body)
        .await
        .expect("refund_card_payment");
    let payment = res.payment.as_ref().expect("payment");
    assert_eq!(
        payment.payment_uuid.as_deref(),
        Some("98d9aa80-9632-4602-80f5-2f6ff9f93097")
    );
    assert_eq!(payment.environment.as_deref(), Some("SANDBOX"));
    assert_eq!(payment.amount, Some(1500.0));
    assert_eq!(payment.options.as_deref(), Some(&["string".to_owned()][..]));
    assert_eq!(
        payment.payment_request_uuid.as_deref(),
        Some("d91e2cb6-62c0-402d-b8a3-c58d80205b74")
    );
    assert_eq!(payment.payment_request_id.as_deref(), Some("12345"));
    let refund = res.refund_payment.as_ref().expect("refund_payment");
    assert_eq!(
        refund.refund_uuid.as_deref(),
        Some("98f3f009-aca3-4c8f-bd4d-d1c9ff05b5a5")
    );
    assert_eq!(refund.amount, Some(1500.0));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn refund_card_payment_full_refund_omits_amount() {
    // No amount means a full refund: the key must be absent, not null.
    let (server, client) = setup().await;
    call_with_body(
        "DELETE",
        "/v1/card/payment/pay-1/refund",
        json!({ "reason": "DUPLICATE_ORDER" }),
    )
    .respond_with(ok(refund_response()))
    .expect(1)
    .mount(&server)
    .await;

    let body = CardRefundPaymentDetails::new(RefundReason::DuplicateOrder);
    let res = client
        .refund_card_payment("pay-1", &body)
        .await
        .expect("refund_card_payment");
    assert!(res.refund_payment.is_some());
}

#[tokio::test]
async fn cancel_card_payment_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("DELETE", "/v1/card/payment/98f3ed2b-fca5-48e6-b7d3-a7745be3eeec/cancel")
        .respond_with(ok(json!({
            "payment_uuid": "98f3ed2b-fca5-48e6-b7d3-a7745be3eeec",
            "amount": 1500,
            "options": ["string"],
            "meta": meta()
        })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .cancel_card_payment("98f3ed2b-fca5-48e6-b7d3-a7745be3eeec")
        .await
        .expect("cancel_card_payment");
    assert_eq!(
        res.payment_uuid.as_deref(),
        Some("98f3ed2b-fca5-48e6-b7d3-a7745be3eeec")
    );
    assert_eq!(res.amount, Some(1500.0));
    assert_eq!(res.options.as_deref(), Some(&["string".to_owned()][..]));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn void_card_payment_sends_a_body_on_delete() {
    let (server, client) = setup().await;
    // Request: the docs' example amount (0) and one reason instead of the enum array.
    call_with_body(
        "DELETE",
        "/v1/card/payment/b1073176-a151-4923-b545-fa987e333530/void",
        json!({ "amount": 0, "reason": "ORDER_CANCELLED" }),
    )
    // Response: the documented example, except `type`, shown as the array ["REFUND","CANCEL"]
    // in the docs and a single string per the schema.
    .respond_with(ok(json!({
        "type": "REFUND",
        "payment": {
            "payment_uuid": "b1073176-a151-4923-b545-fa987e333530",
            "environment": "string",
            "amount": 0,
            "options": [],
            "payment_request_uuid": "string",
            "payment_request_id": "string"
        },
        "refund_payment": {
            "refund_uuid": "6a036737-fcc1-4a9b-b03c-3f39d33819b5",
            "environment": "string",
            "amount": 0
        },
        "meta": meta()
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(CardVoidPayment {
        amount: Some(0),
        ..CardVoidPayment::new(RefundReason::OrderCancelled)
    });
    let res = client
        .void_card_payment("b1073176-a151-4923-b545-fa987e333530", &body)
        .await
        .expect("void_card_payment");
    assert_eq!(res.r#type, Some(VoidCardPaymentResponseType::Refund));
    let payment = res.payment.as_ref().expect("payment");
    assert_eq!(
        payment.payment_uuid.as_deref(),
        Some("b1073176-a151-4923-b545-fa987e333530")
    );
    assert_eq!(payment.amount, Some(0));
    assert_eq!(payment.options.as_deref(), Some(&[][..]));
    let refund = res.refund_payment.as_ref().expect("refund_payment");
    assert_eq!(
        refund.refund_uuid.as_deref(),
        Some("6a036737-fcc1-4a9b-b03c-3f39d33819b5")
    );
    assert_eq!(refund.amount, Some(0));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn void_card_payment_cancellation_has_no_refund() {
    // A cancellation answers `refund_payment: null`.
    let (server, client) = setup().await;
    call_with_body("DELETE", "/v1/card/payment/pay-1/void", json!({ "reason": "DISPUTES" }))
        .respond_with(ok(json!({
            "type": "CANCEL",
            "payment": { "payment_uuid": "pay-1", "amount": 1500 },
            "refund_payment": null,
            "meta": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .void_card_payment("pay-1", &CardVoidPayment::new(RefundReason::Disputes))
        .await
        .expect("void_card_payment");
    assert_eq!(res.r#type, Some(VoidCardPaymentResponseType::Cancel));
    assert_eq!(res.payment.as_ref().and_then(|p| p.amount), Some(1500));
    assert_eq!(res.refund_payment, None);
    assert_eq!(res.meta, None);
}

/// The documented capture response.
fn capture_response() -> Value {
    json!({
        "payment_uuid": "98f3ed2b-fca5-48e6-b7d3-a7745be3eeec",
        "amount": 1500,
        "options": ["string"],
        "meta": meta()
    })
}

#[tokio::test]
async fn capture_card_payment_sends_the_amount() {
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/card/payment/98f3ed2b-fca5-48e6-b7d3-a7745be3eeec/capture",
        json!({ "amount": 1500 }),
    )
    .respond_with(ok(capture_response()))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(CardCapturePaymentDetails { amount: Some(1500) });
    let res = client
        .capture_card_payment("98f3ed2b-fca5-48e6-b7d3-a7745be3eeec", Some(&body))
        .await
        .expect("capture_card_payment");
    assert_eq!(
        res.payment_uuid.as_deref(),
        Some("98f3ed2b-fca5-48e6-b7d3-a7745be3eeec")
    );
    assert_eq!(res.amount, Some(1500.0));
    assert_eq!(res.options.as_deref(), Some(&["string".to_owned()][..]));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn capture_card_payment_without_body_captures_the_original_amount() {
    // The body is optional: `None` sends nothing at all.
    let (server, client) = setup().await;
    call_without_body("POST", "/v1/card/payment/pay-1/capture")
        .respond_with(ok(capture_response()))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .capture_card_payment("pay-1", None)
        .await
        .expect("capture_card_payment");
    assert_eq!(res.amount, Some(1500.0));
}

#[tokio::test]
async fn rebill_card_token_sends_the_documented_body() {
    let (server, client) = setup().await;
    // The docs send amount as "1999"; integer per the schema. `options` (not in the example) is left
    // out.
    call_with_body(
        "POST",
        "/v1/card/token/98d9a8d3-556b-48e2-add4-6418ecbcd684/rebill",
        json!({
            "amount": 1999,
            "description": "string",
            "reference_id": "string",
            "application_key": APP_KEY,
            "country_code": "GB",
            "currency": "GBP"
        }),
    )
    .respond_with(ok(json!({
        "payment_uuid": "98f3a6d3-46b7-4b72-8a99-ca45ba2a70d0",
        "status": "COMPLETED",
        "environment": "SANDBOX",
        "payment_request_id": "15",
        "payment_request_uuid": "98f3a6d3-4381-4317-b465-a8c988f3f3a3",
        "options": ["string"],
        "token": "98d9a8d3-556b-48e2-add4-6418ecbcd684",
        "meta": meta()
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = CardRebillPaymentDetails::new(1999, "string", "string", APP_KEY, "GB", "GBP");
    let res = client
        .rebill_card_token("98d9a8d3-556b-48e2-add4-6418ecbcd684", &body)
        .await
        .expect("rebill_card_token");
    assert_eq!(
        res.payment_uuid.as_deref(),
        Some("98f3a6d3-46b7-4b72-8a99-ca45ba2a70d0")
    );
    assert_eq!(res.status.as_deref(), Some("COMPLETED"));
    assert_eq!(res.environment.as_deref(), Some("SANDBOX"));
    assert_eq!(res.payment_request_id.as_deref(), Some("15"));
    assert_eq!(
        res.payment_request_uuid.as_deref(),
        Some("98f3a6d3-4381-4317-b465-a8c988f3f3a3")
    );
    assert_eq!(res.token.as_deref(), Some("98d9a8d3-556b-48e2-add4-6418ecbcd684"));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

// ------------------------------------------------------------------------------------------------
// Bans
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_bans_parses_a_bare_array() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/card/bans")
        .respond_with(ok(json!([
            { "id": "199", "type": "IP_ADDRESS", "reference_id": "8.8.8.8", "created_at": "2023-08-01 10:10:00" },
            // Not documented: a card-hash ban with an expiry, and a type this client does not know.
            { "id": "200", "type": "CARD_HASH", "reference_id": "abc", "expires_at": null },
            { "id": "201", "type": "EMAIL", "reference_id": "x@example.org", "expires_at": "2030-01-01 00:00:00" }
        ])))
        .expect(1)
        .mount(&server)
        .await;

    let bans = client.list_bans().await.expect("list_bans");
    assert_eq!(bans.len(), 3);
    assert_eq!(bans[0].id.as_deref(), Some("199"));
    assert_eq!(bans[0].r#type, Some(BanType::IpAddress));
    assert_eq!(bans[0].reference_id.as_deref(), Some("8.8.8.8"));
    assert_eq!(bans[0].created_at.as_deref(), Some("2023-08-01 10:10:00"));
    assert_eq!(bans[0].expires_at, None);
    assert_eq!(bans[1].r#type, Some(BanType::CardHash));
    assert_eq!(bans[1].expires_at, None);
    assert_eq!(bans[2].r#type, Some(BanType::Unknown("EMAIL".into())));
    assert_eq!(bans[2].expires_at.as_deref(), Some("2030-01-01 00:00:00"));
}

#[tokio::test]
async fn add_ban_sends_one_type_and_accepts_string_success() {
    let (server, client) = setup().await;
    // The docs show `type` as the array ["IP_ADDRESS","CARD_HASH"]; the schema says one value.
    call_with_body(
        "POST",
        "/v1/card/bans/add",
        json!({ "type": "IP_ADDRESS", "reference": "8.8.8.8", "expires_at": "2019-08-24T14:15:22Z" }),
    )
    // Verbatim: `success` is the string "true" (lenient), `ban_id` a number.
    .respond_with(ok(json!({ "success": "true", "ban_id": 1500, "meta": meta() })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(AddBan {
        expires_at: Some("2019-08-24T14:15:22Z".into()),
        ..AddBan::new(AddBanType::IpAddress, "8.8.8.8")
    });
    let res = client.add_ban(&body).await.expect("add_ban");
    assert_eq!(res.success, Some(true));
    assert_eq!(res.ban_id, Some(1500));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn add_ban_permanent_omits_expiry_and_accepts_string_ban_id() {
    // No expiry = permanent: the key is absent. `ban_id` is lenient, so "1500" parses too.
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/card/bans/add",
        json!({ "type": "CARD_HASH", "reference": "c0ffee" }),
    )
    .respond_with(ok(json!({ "success": true, "ban_id": "1500" })))
    .expect(1)
    .mount(&server)
    .await;

    let res = client
        .add_ban(&AddBan::new(AddBanType::CardHash, "c0ffee"))
        .await
        .expect("add_ban");
    assert_eq!(res.success, Some(true));
    assert_eq!(res.ban_id, Some(1500));
}

#[tokio::test]
async fn remove_ban_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("DELETE", "/v1/card/bans/199/remove")
        // Verbatim: `success` is the string "true" (lenient).
        .respond_with(ok(json!({ "success": "true", "meta": meta() })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client.remove_ban("199").await.expect("remove_ban");
    assert_eq!(res.success, Some(true));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

// ------------------------------------------------------------------------------------------------
// AIS
// ------------------------------------------------------------------------------------------------
// The AIS consent/account calls document no 200 body at all; the mocks answer a small made-up
// object, which the client keeps as free-form JSON.

const CONSENT: &str = "consent-1";
const ACCOUNT: &str = "account-1";

#[tokio::test]
async fn create_ais_authorization_sends_the_documented_body() {
    let (server, client) = setup().await;
    call_with_body(
        "POST",
        "/v1/ais/authorization",
        json!({
            "application_key": APP_KEY,
            "cancel_url": "https://example.org/failed",
            "country_code": "GB",
            "description": "Payment for Order Number #325682",
            "reference_id": "string",
            "redirect_url": "https://example.org/success",
            "options": "{\"sessionId\":\"foo\"}"
        }),
    )
    .respond_with(ok(json!({
        "authorization_id": "123456",
        "redirect_url": "https://pay.vendreo.com/ais/{uuid}",
        "meta": meta()
    })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(AisAuthorizationSchema {
        description: Some("Payment for Order Number #325682".into()),
        options: Some(r#"{"sessionId":"foo"}"#.into()),
        ..AisAuthorizationSchema::new(
            APP_KEY,
            "https://example.org/failed",
            "GB",
            "string",
            "https://example.org/success",
        )
    });
    let res = client
        .create_ais_authorization(&body)
        .await
        .expect("create_ais_authorization");
    assert_eq!(res.authorization_id.as_deref(), Some("123456"));
    assert_eq!(res.redirect_url.as_deref(), Some("https://pay.vendreo.com/ais/{uuid}"));
    assert_eq!(tracing_id(&res.meta), Some(TRACING_ID));
}

#[tokio::test]
async fn revoke_ais_consent_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("DELETE", "/v1/ais/consent/consent-1/cancel")
        .respond_with(ok(json!({ "success": true })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client.revoke_ais_consent(CONSENT).await.expect("revoke_ais_consent");
    assert_eq!(res.get("success"), Some(&json!(true)));
}

#[tokio::test]
async fn get_ais_consent_details_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/details")
        .respond_with(ok(json!({ "id": "consent-1", "status": "AUTHORIZED" })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .get_ais_consent_details(CONSENT)
        .await
        .expect("get_ais_consent_details");
    assert_eq!(res.get("status"), Some(&json!("AUTHORIZED")));
}

#[tokio::test]
async fn get_ais_identity_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/identity")
        .respond_with(ok(json!({ "full_name": "Joe Blogs" })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client.get_ais_identity(CONSENT).await.expect("get_ais_identity");
    assert_eq!(res.get("full_name"), Some(&json!("Joe Blogs")));
}

#[tokio::test]
async fn list_ais_bank_accounts_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/bank-accounts")
        .respond_with(ok(json!({ "data": [{ "id": "account-1", "currency": "GBP" }] })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .list_ais_bank_accounts(CONSENT)
        .await
        .expect("list_ais_bank_accounts");
    assert_eq!(res["data"][0]["id"], json!("account-1"));
}

#[tokio::test]
async fn get_ais_institution_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/institution")
        .respond_with(ok(json!({ "id": "starling", "name": "Starling Bank" })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client.get_ais_institution(CONSENT).await.expect("get_ais_institution");
    assert_eq!(res.get("name"), Some(&json!("Starling Bank")));
}

#[tokio::test]
async fn get_ais_bank_account_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/bank-account/account-1/account")
        .respond_with(ok(json!({ "id": "account-1", "balance": { "amount": 1999 } })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .get_ais_bank_account(CONSENT, ACCOUNT)
        .await
        .expect("get_ais_bank_account");
    assert_eq!(res["balance"]["amount"], json!(1999));
}

#[tokio::test]
async fn list_ais_transactions_sends_the_filter_as_a_body_on_get() {
    let (server, client) = setup().await;
    call_with_body(
        "GET",
        "/v1/ais/consent/consent-1/bank-account/account-1/transactions",
        json!({ "date_from": "2022-01-01", "date_to": "2022-01-30", "page": 1 }),
    )
    .respond_with(ok(json!({ "data": [{ "amount": 199 }], "page": 1 })))
    .expect(1)
    .mount(&server)
    .await;

    let body = paykit::runtime::build!(AisTransactionSchema {
        date_from: Some("2022-01-01".into()),
        date_to: Some("2022-01-30".into()),
        page: Some(1),
    });
    let res = client
        .list_ais_transactions(CONSENT, ACCOUNT, Some(&body))
        .await
        .expect("list_ais_transactions");
    // What the page does not type is kept.
    assert_eq!(res.additional_properties.get("page"), Some(&json!(1)));
    let data = res.into_inner().data.expect("data");
    assert_eq!(data[0]["amount"], json!(199));
}

#[tokio::test]
async fn list_ais_transactions_without_filter_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/bank-account/account-1/transactions")
        .respond_with(ok(json!({ "data": [] })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .list_ais_transactions(CONSENT, ACCOUNT, None)
        .await
        .expect("list_ais_transactions");
    assert_eq!(res.into_inner().data, Some(Vec::new()));
}

#[tokio::test]
async fn list_ais_direct_debits_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/bank-account/account-1/direct-debits")
        .respond_with(ok(json!({ "data": [{ "name": "Gym" }] })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .list_ais_direct_debits(CONSENT, ACCOUNT)
        .await
        .expect("list_ais_direct_debits");
    assert_eq!(res["data"][0]["name"], json!("Gym"));
}

#[tokio::test]
async fn list_ais_periodic_payments_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body(
        "GET",
        "/v1/ais/consent/consent-1/bank-account/account-1/periodic-payments",
    )
    .respond_with(ok(json!({ "data": [{ "reference": "RENT" }] })))
    .expect(1)
    .mount(&server)
    .await;

    let res = client
        .list_ais_periodic_payments(CONSENT, ACCOUNT)
        .await
        .expect("list_ais_periodic_payments");
    assert_eq!(res["data"][0]["reference"], json!("RENT"));
}

#[tokio::test]
async fn list_ais_scheduled_payments_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body(
        "GET",
        "/v1/ais/consent/consent-1/bank-account/account-1/scheduled-payments",
    )
    .respond_with(ok(json!({ "data": [{ "date": "2022-01-01" }] })))
    .expect(1)
    .mount(&server)
    .await;

    let res = client
        .list_ais_scheduled_payments(CONSENT, ACCOUNT)
        .await
        .expect("list_ais_scheduled_payments");
    assert_eq!(res["data"][0]["date"], json!("2022-01-01"));
}

#[tokio::test]
async fn list_ais_statements_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body("GET", "/v1/ais/consent/consent-1/bank-account/account-1/statements")
        .respond_with(ok(json!({ "data": [{ "id": "statement-1" }] })))
        .expect(1)
        .mount(&server)
        .await;

    let res = client
        .list_ais_statements(CONSENT, ACCOUNT)
        .await
        .expect("list_ais_statements");
    assert_eq!(res["data"][0]["id"], json!("statement-1"));
}

#[tokio::test]
async fn get_ais_statement_sends_no_body() {
    let (server, client) = setup().await;
    call_without_body(
        "GET",
        "/v1/ais/consent/consent-1/bank-account/account-1/statement/statement-1",
    )
    .respond_with(ok(json!({ "id": "statement-1", "end_date": "2022-01-31" })))
    .expect(1)
    .mount(&server)
    .await;

    let res = client
        .get_ais_statement(CONSENT, ACCOUNT, "statement-1")
        .await
        .expect("get_ais_statement");
    assert_eq!(res.get("end_date"), Some(&json!("2022-01-31")));
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn validation_error_422_is_typed() {
    let (server, client) = setup().await;
    call("POST", "/v1/request-payment")
        .respond_with(raw(422, VALIDATION_422, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .request_payment(&documented_request_payment())
        .await
        .expect_err("422");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(err.raw_body(), Some(VALIDATION_422));
    let Error::Api(resp) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(resp.status, 422);
    assert_eq!(resp.raw, VALIDATION_422);
    let v = &resp.body;
    assert_validation(v, "amount", "The amount field is required.");
}

#[tokio::test]
async fn validation_error_422_on_a_get_with_body() {
    // AIS transactions is the one AIS call that documents 422.
    let (server, client) = setup().await;
    let body =
        r#"{"errors":{"date_from":["The date from is not a valid date."]},"message":"The given data was invalid."}"#;
    call("GET", "/v1/ais/consent/consent-1/bank-account/account-1/transactions")
        .respond_with(raw(422, body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = paykit::runtime::build!(AisTransactionSchema {
        date_from: Some("yesterday".into()),
    });
    let err = client
        .list_ais_transactions(CONSENT, ACCOUNT, Some(&filter))
        .await
        .expect_err("422");
    let Error::Api(resp) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(resp.status, 422);
    assert_eq!(resp.raw, body);
    let v = &resp.body;
    assert_validation(v, "date_from", "The date from is not a valid date.");
}

#[tokio::test]
async fn unauthorized_401_is_typed() {
    // The 401 example the AIS operations document, verbatim.
    let (server, client) = setup().await;
    call("GET", "/v1/ais/consent/consent-1/details")
        .respond_with(raw(401, VALIDATION_401, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.get_ais_consent_details(CONSENT).await.expect_err("401");
    let Error::Api(resp) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(resp.status, 401);
    assert_eq!(resp.raw, VALIDATION_401);
    let v = &resp.body;
    assert_validation(v, "field", "Something is wrong with this field!");
}

#[tokio::test]
async fn unauthorized_401_on_a_payment_call() {
    let (server, client) = setup().await;
    let body = r#"{"message":"Unauthenticated."}"#;
    call("POST", "/v1/request-payment")
        .respond_with(raw(401, body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .request_payment(&documented_request_payment())
        .await
        .expect_err("401");
    let Error::Api(resp) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(resp.status, 401);
    assert_eq!(resp.raw, body);
    let v = &resp.body;
    assert_eq!(v.errors, None);
    assert_eq!(v.message.as_deref(), Some("Unauthenticated."));
}

#[tokio::test]
async fn undocumented_422_is_an_unexpected_status() {
    // getAisIdentity documents only 200 and 401.
    let (server, client) = setup().await;
    call("GET", "/v1/ais/consent/consent-1/identity")
        .respond_with(raw(422, VALIDATION_422, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err: Error<ValidationError> = client.get_ais_identity(CONSENT).await.expect_err("422");
    let Error::UnexpectedStatus(resp) = err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(resp.status, 422);
    assert_eq!(resp.raw, VALIDATION_422);
}

#[tokio::test]
async fn server_error_500_is_an_unexpected_status() {
    let (server, client) = setup().await;
    call("GET", "/v1/card/bans")
        .respond_with(raw(500, "Server Error", "text/plain"))
        .expect(3) // a GET is retried on 500
        .mount(&server)
        .await;

    let err = client.list_bans().await.expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(err.api_error(), None);
    let Error::UnexpectedStatus(resp) = err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(resp.status, 500);
    assert_eq!(resp.raw, "Server Error");
}

#[tokio::test]
async fn html_on_200_is_a_decode_error() {
    // What Laravel sends when it decides the caller is a browser.
    let (server, client) = setup().await;
    let html = "<!DOCTYPE html>\n<html><head><title>Vendreo</title></head><body>Redirecting…</body></html>";
    call("GET", "/v1/payment/pay-1")
        .respond_with(raw(200, html, "text/html; charset=UTF-8"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.get_payment("pay-1").await.expect_err("decode");
    let Error::Decode { response, source } = err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(response.status, 200);
    assert_eq!(response.raw, html);
    assert_eq!(
        response.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/html; charset=UTF-8")
    );
    assert!(source.is_syntax(), "{source}");
}

#[tokio::test]
async fn wrong_shape_on_200_is_a_decode_error() {
    // listBans answers a bare array; an object (or a garbage lenient amount) must not panic.
    let (server, client) = setup().await;
    let body = r#"{"data":[],"meta":{"tracing_id":"x"}}"#;
    call("GET", "/v1/card/bans")
        .respond_with(raw(200, body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let garbage = r#"{"status":"COMPLETED","transactions":[{"amount":"19.99x"}]}"#;
    call("GET", "/v1/payment/pay-1")
        .respond_with(raw(200, garbage, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.list_bans().await.expect_err("decode");
    let Error::Decode { response, source } = err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(response.raw, body);
    assert!(source.is_data(), "{source}");

    let err = client.get_payment("pay-1").await.expect_err("decode");
    let Error::Decode { response, .. } = err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(response.status, 200);
    assert_eq!(response.raw, garbage);
}

#[tokio::test]
async fn non_json_documented_error_is_a_decode_error() {
    // A documented status (422) whose body is not the documented JSON.
    let (server, client) = setup().await;
    call("POST", "/v1/card/bans/add")
        .respond_with(raw(422, "<html>Unprocessable</html>", "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client
        .add_ban(&AddBan::new(AddBanType::IpAddress, "8.8.8.8"))
        .await
        .expect_err("decode");
    let Error::Decode { response, .. } = err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(response.status, 422);
    assert_eq!(response.raw, "<html>Unprocessable</html>");
}

// ------------------------------------------------------------------------------------------------
// Secrets
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_shows_the_secret() {
    let (server, client) = setup().await;
    let shown = format!("{client:?} {:?} {:#?}", client.transport(), client);
    assert!(!shown.contains(SECRET), "{shown}");
    // It does show the client is configured (so the check above looks at something real).
    assert!(shown.contains(&server.uri()), "{shown}");

    // Nor does an error from a real call.
    call("GET", "/v1/card/bans")
        .respond_with(raw(500, "Server Error", "text/plain"))
        .expect(3) // a GET is retried on 500
        .mount(&server)
        .await;
    let err = client.list_bans().await.expect_err("500");
    let shown = format!("{err:?} {err}");
    assert!(!shown.contains(SECRET), "{shown}");
}
