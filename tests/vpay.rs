//! Wire-level tests of the generated V-Pay client and its hand-written extensions (token flow,
//! rate limits, webhooks) against a local wiremock server.
//!
//! Every operation is checked for method, exact path (with the documented trailing slash), the
//! `apiUser`/`apiKey` headers, the bearer token and the exact JSON body, and its documented answers
//! are decoded, the errors V-Pay sends with HTTP 200 included. Then the token flow (one fetch for
//! many calls, a refresh after expiry, one fetch under 50 concurrent calls, one renewal on a 401 and
//! never a third attempt), secrets staying out of `Debug` and errors, case-insensitive statuses, the
//! `X-RateLimit-*` headers and the `X-VPay-Signature` check.
//!
//! Bodies follow the V-Pay provider notes (the docs' samples) and the `example`s in specs/vpay.yaml.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{no_authorization, no_body, ok_json, query_is, samples, transport};

use paykit::runtime::{Auth, AuthError, Error, Method, StatusCode};
use paykit::vpay::Client;
use paykit::vpay::WithCredentials;
use paykit::vpay::rate_limit::RateLimit;
use paykit::vpay::token::TokenAuth;
use paykit::vpay::types::{
    AccessTokenExpiresIn, CreatePaymentLinkRequest, ErrorCode, ErrorResponse, InitiatePaymentRequest, Mode, Payment,
    PaymentLinkType, PaymentMethod, PaymentOutcome, PaymentStatus,
};
use paykit::vpay::webhook::{self, WebhookError};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

const API_USER: &str = "vpay_sandbox_merchant42";
const API_KEY: &str = "sk_sandbox_7f3c9a1e5b2d4680";

/// The `n`th access token the mock `/auth/` hands out (1-based).
fn token(n: usize) -> String {
    format!("eyJhbGciOiJIUzI1NiJ9.access-{n}.c2lnbmF0dXJl")
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A fresh mock server and a client for it that authenticates with the API user and key.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let auth = TokenAuth::with_transport(transport(server.uri()), API_USER, API_KEY).expect("auth");
    let client = Client::from_transport(transport(server.uri()).auth(auth).build().expect("client"));
    (server, client)
}

/// Answers `POST /auth/` with `access-1`, `access-2`, … in turn, each valid for `expires_in`,
/// after `delay`.
struct TokenIssuer {
    issued: AtomicUsize,
    expires_in: &'static str,
    delay: Duration,
}

impl Respond for TokenIssuer {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ok_json(&json!({
            "access": token(n),
            "refresh": format!("eyJhbGciOiJIUzI1NiJ9.refresh-{n}.c2lnbmF0dXJl"),
            "mode": "sandbox",
            "expires_in": self.expires_in
        }))
        .set_delay(self.delay)
    }
}

/// Mounts the token endpoint exactly as documented (POST, trailing slash, both credential
/// headers, no bearer token, no body), expecting `times` calls; tokens live "300.0 seconds".
async fn mount_auth(server: &MockServer, times: u64) {
    mount_auth_with(server, "300.0 seconds", Duration::ZERO, times).await;
}

async fn mount_auth_with(server: &MockServer, expires_in: &'static str, delay: Duration, times: u64) {
    let issuer = TokenIssuer {
        issued: AtomicUsize::new(0),
        expires_in,
        delay,
    };
    Mock::given(method("POST"))
        .and(path("/auth/"))
        .and(credentials)
        .and(no_authorization)
        .and(no_body)
        .respond_with(issuer)
        .expect(times)
        .named("POST /auth/")
        .mount(server)
        .await;
}

/// The value of header `name` if the request carries it exactly once.
fn single_header<'r>(r: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = r.headers.get_all(name).iter();
    let value = values.next()?.to_str().ok()?;
    values.next().is_none().then_some(value)
}

/// `apiUser` and `apiKey`, once each, as given.
fn credentials(r: &Request) -> bool {
    single_header(r, "apiUser") == Some(API_USER) && single_header(r, "apiKey") == Some(API_KEY)
}

/// The credential headers and `Authorization: Bearer <token n>`.
fn bearer(n: usize) -> impl Match + use<> {
    let expected = format!("Bearer {}", token(n));
    move |r: &Request| credentials(r) && single_header(r, "Authorization") == Some(expected.as_str())
}

fn json_content_type(r: &Request) -> bool {
    single_header(r, "Content-Type") == Some("application/json")
}

/// How many requests with this method and path the server received.
async fn received(server: &MockServer, http_method: &str, url_path: &str) -> usize {
    let requests = server.received_requests().await.expect("request recording is on");
    requests
        .iter()
        .filter(|r| r.method.as_str() == http_method && r.url.path() == url_path)
        .count()
}

/// The documented error body.
fn error_json(code: &str, message: &str) -> Value {
    json!({"status": "error", "error_code": code, "message": message})
}

fn error_response(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(error_json(code, "Refused.").to_string(), "application/json")
}

/// A payment request with only the required fields.
fn minimal_payment() -> InitiatePaymentRequest {
    InitiatePaymentRequest::new(1500, "RWF", "0790000000", "TXN_TDTAGD1HFJS", PaymentMethod::Mtnrw)
}

fn minimal_payment_json() -> Value {
    json!({
        "amount": 1500,
        "currency": "RWF",
        "payer_phone": "0790000000",
        "external_id": "TXN_TDTAGD1HFJS",
        "payment_method": "mtnrw"
    })
}

/// Mounts `POST /pay/` for token `n` with the minimal body.
fn pay_mock(n: usize) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/pay/"))
        .and(query_is(&[]))
        .and(bearer(n))
        .and(json_content_type)
        .and(body_json(minimal_payment_json()))
}

fn expect_payment(outcome: PaymentOutcome) -> Payment {
    match outcome {
        PaymentOutcome::Payment(payment) => payment,
        other => panic!("expected a payment, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn generate_access_token_sends_the_credentials_and_decodes_the_token() {
    let (server, client) = setup().await;
    // The docs' sample answer; called directly, /auth/ needs no token of its own.
    Mock::given(method("POST"))
        .and(path("/auth/"))
        .and(query_is(&[]))
        .and(credentials)
        .and(no_authorization)
        .and(no_body)
        .respond_with(ok_json(&json!({
            "access": "eyJhbGciOiJIUzI1NiIsInR5cxxxxxxxxxxxxx",
            "refresh": "eyJhbGciOiJIUzI1NiIsInR5cyyyyyyyyyyyyy",
            "mode": "live",
            "expires_in": "300.0 seconds"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let token = client.generate_access_token().await.unwrap();
    assert_eq!(token.status(), StatusCode::OK);
    assert_eq!(token.access.expose(), "eyJhbGciOiJIUzI1NiIsInR5cxxxxxxxxxxxxx");
    assert_eq!(
        token.refresh.as_ref().map(|t| t.expose()),
        Some("eyJhbGciOiJIUzI1NiIsInR5cyyyyyyyyyyyyy")
    );
    assert_eq!(token.mode, Some(Mode::Live));
    assert_eq!(
        token.expires_in,
        Some(AccessTokenExpiresIn::String("300.0 seconds".into()))
    );
    let shown = format!("{:?}", *token);
    assert!(!shown.contains("eyJhbGciOiJIUzI1NiIsInR5c"), "{shown}");
}

#[tokio::test]
async fn initiate_payment_sends_the_exact_request_and_decodes_the_standard_answer() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    Mock::given(method("POST"))
        .and(path("/pay/"))
        .and(query_is(&[]))
        .and(bearer(1))
        .and(json_content_type)
        .and(body_json(json!({
            "amount": 1500,
            "currency": "RWF",
            "payer_name": "Payer full name",
            "payer_email": "payer@example.com",
            "payer_phone": "0790000000",
            "external_id": "TXNID_5473",
            "payee_message": "Short message",
            "send_receipt": true,
            "payment_method": "card",
            "callback_url": "https://shop.example.com/vpay/webhook",
            "metadata": {"order_id": "1042"}
        })))
        .respond_with(ok_json(&samples::vpay_standard_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = InitiatePaymentRequest::new(1500, "RWF", "0790000000", "TXNID_5473", PaymentMethod::Card);
    body.payer_name = Some("Payer full name".into());
    body.payer_email = Some("payer@example.com".into());
    body.payee_message = Some("Short message".into());
    body.send_receipt = Some(true);
    body.callback_url = Some("https://shop.example.com/vpay/webhook".into());
    body.metadata = Some([("order_id".to_owned(), "1042".to_owned())].into());
    let answer = client.initiate_payment(&body).await.unwrap();

    assert_eq!(answer.status(), StatusCode::OK);
    let payment = expect_payment(answer.into_inner());
    // The sample's misspelling is not a known status; it survives as sent.
    assert_eq!(payment.status, PaymentStatus::Pending); // the seed's misspelt "PENNDING"
    assert_eq!(payment.transaction_id, "VP86583387");
    assert_eq!(
        payment.message.as_deref(),
        Some("Payment link created. Redirect the customer to payment_url.")
    );
    assert_eq!(payment.merchant.as_deref(), Some("VONSUNG"));
    assert_eq!(
        payment.payment_url.as_deref(),
        Some("https://vonsung.rw/api/checkout/3f9aab1b-39e6-4188-a239-81a4xxxxxxx")
    );
    assert_eq!(payment.amount, None);
}

#[tokio::test]
async fn initiate_payment_leaves_unset_optional_fields_out_and_decodes_the_self_hosted_answer() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    pay_mock(1)
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let payment = expect_payment(client.initiate_payment(&minimal_payment()).await.unwrap().into_inner());
    assert_eq!(payment.status_code, Some(200));
    assert_eq!(payment.status, PaymentStatus::Successful);
    assert_eq!(payment.message.as_deref(), Some("Transaction completed successfully."));
    // "240.00" arrives as a string.
    assert_eq!(payment.amount, Some(240.0));
    assert_eq!(payment.currency.as_deref(), Some("RWF"));
    assert_eq!(payment.transaction_date.as_deref(), Some("2026-05-30 08:03:32 PM"));
    assert_eq!(payment.timezone.as_deref(), Some("Africa/Kigali"));
    assert_eq!(payment.transaction_date_gmt.as_deref(), Some("2026-05-30 06:03:32 PM"));
    assert_eq!(payment.time_taken.as_deref(), Some("16 sec"));
    assert_eq!(payment.payer_name.as_deref(), Some("Celestin Niyomugabo"));
    assert_eq!(payment.payer_phone.as_deref(), Some("250790000000"));
    assert_eq!(payment.mode, Some(Mode::Live));
    assert_eq!(payment.transaction_id, "VP86583387");
    assert_eq!(payment.merchant.as_deref(), Some("VONSUNG"));
    assert_eq!(payment.external_id.as_deref(), Some("TXN_TDTAGD1HFJS"));
}

#[tokio::test]
async fn get_transaction_status_sends_the_id_as_query_and_decodes_the_payment() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(query_is(&[("transaction_id", "VP86583387")]))
        .and(bearer(1))
        .and(no_body)
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let answer = client.get_transaction_status("VP86583387").await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let payment = expect_payment(answer.into_inner());
    assert_eq!(payment.status, PaymentStatus::Successful);
    assert_eq!(payment.transaction_id, "VP86583387");
    assert_eq!(payment.amount, Some(240.0));
}

#[tokio::test]
async fn create_payment_link_sends_the_exact_body_and_decodes_the_link() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    Mock::given(method("POST"))
        .and(path("/payment-links/"))
        .and(query_is(&[]))
        .and(bearer(1))
        .and(json_content_type)
        .and(body_json(json!({
            "name": "Monthly fee June",
            "amount": 10000,
            "type": "multiple",
            "description": "Membership, June",
            "redirect_url": "https://shop.example.com/thanks"
        })))
        .respond_with(ok_json(&json!({
            "status": "success",
            "link_id": "lnk_9f3a2b",
            "slug": "monthly-fee-jun",
            "url": "https://pay.vpay.rw/monthly-fee-jun",
            "qr_code": "https://api.vpay.rw/v1/payment-links/lnk_9f3a2b/qr",
            "amount": 10000,
            "type": "multiple",
            "active": true
        })))
        .expect(1)
        .mount(&server)
        .await;

    let mut body = CreatePaymentLinkRequest::new("Monthly fee June", PaymentLinkType::Multiple);
    body.amount = Some(10000);
    body.description = Some("Membership, June".into());
    body.redirect_url = Some("https://shop.example.com/thanks".into());
    let link = client.create_payment_link(&body).await.unwrap();

    assert_eq!(link.status(), StatusCode::OK);
    assert_eq!(link.status.as_deref(), Some("success"));
    assert_eq!(link.link_id, "lnk_9f3a2b");
    assert_eq!(link.slug.as_deref(), Some("monthly-fee-jun"));
    assert_eq!(link.url, "https://pay.vpay.rw/monthly-fee-jun");
    assert_eq!(
        link.qr_code.as_deref(),
        Some("https://api.vpay.rw/v1/payment-links/lnk_9f3a2b/qr")
    );
    assert_eq!(link.amount, Some(10000));
    assert_eq!(link.r#type, Some(PaymentLinkType::Multiple));
    assert_eq!(link.active, Some(true));
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it_for_the_token_and_the_calls() {
    // The production server is `https://vonsung.rw/api`: the prefix must stay in front of both
    // `/auth/` and the operation paths, with or without a trailing slash on the base URL.
    for suffix in ["/api", "/api/"] {
        let server = MockServer::start().await;
        let client = Client::with_credentials(format!("{}{suffix}", server.uri()), API_USER, API_KEY).unwrap();
        Mock::given(method("POST"))
            .and(path("/api/auth/"))
            .and(credentials)
            .and(no_authorization)
            .respond_with(TokenIssuer {
                issued: AtomicUsize::new(0),
                expires_in: "300.0 seconds",
                delay: Duration::ZERO,
            })
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/transaction/status/"))
            .and(query_is(&[("transaction_id", "VP86583387")]))
            .and(bearer(1))
            .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
            .expect(1)
            .mount(&server)
            .await;

        let payment = expect_payment(client.get_transaction_status("VP86583387").await.unwrap().into_inner());
        assert_eq!(payment.transaction_id, "VP86583387", "base URL suffix {suffix:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn payment_timeout_and_insufficient_funds_on_http_200_decode_as_the_error_variant() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    let timeout = error_json(
        "PAYMENT_TIMEOUT",
        "The customer did not respond to the MoMo prompt within 3 minutes.",
    );
    let funds = error_json("INSUFFICIENT_FUNDS", "The customer's wallet balance is too low.");
    pay_mock(1)
        .respond_with(ok_json(&timeout))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(query_is(&[("transaction_id", "VP86583387")]))
        .and(bearer(1))
        .respond_with(ok_json(&funds))
        .expect(1)
        .mount(&server)
        .await;

    let answer = client.initiate_payment(&minimal_payment()).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let PaymentOutcome::ErrorResponse(error) = answer.into_inner() else {
        panic!("PAYMENT_TIMEOUT must decode as the error variant")
    };
    assert_eq!(error.status, "error");
    assert_eq!(error.error_code, ErrorCode::PaymentTimeout);
    assert_eq!(
        error.message.as_deref(),
        Some("The customer did not respond to the MoMo prompt within 3 minutes.")
    );

    let answer = client.get_transaction_status("VP86583387").await.unwrap();
    let PaymentOutcome::ErrorResponse(error) = answer.into_inner() else {
        panic!("INSUFFICIENT_FUNDS must decode as the error variant")
    };
    assert_eq!(error.error_code, ErrorCode::InsufficientFunds);
    assert_eq!(
        error.message.as_deref(),
        Some("The customer's wallet balance is too low.")
    );
}

/// One server per case, so each case's calls are counted on their own. A 401 is answered once
/// more after a token refresh, so it costs two token requests and two calls.
async fn error_case(status: u16) -> (MockServer, Client, u64) {
    let (server, client) = setup().await;
    let calls = if status == 401 { 2 } else { 1 };
    mount_auth(&server, calls).await;
    (server, client, calls)
}

/// Every documented error of every operation has the one `ErrorResponse` body: the operation's
/// error is that type, and the status is on the error.
fn assert_api_error(err: &Error<ErrorResponse>, status: u16, code: &ErrorCode) {
    let Error::Api(response) = err else {
        panic!("expected Error::Api for {status}, got {err:?}")
    };
    assert_eq!(response.status.as_u16(), status);
    assert_eq!(
        serde_json::from_str::<Value>(&response.raw).unwrap(),
        error_json(code.as_str(), "Refused.")
    );
    let body = &response.body;
    assert_eq!(&body.error_code, code);
    assert_eq!(body.status, "error");
    assert_eq!(body.message.as_deref(), Some("Refused."));
}

#[tokio::test]
async fn initiate_payment_documented_error_statuses_are_typed() {
    for (status, code) in [
        (400, ErrorCode::InvalidPhone),
        (400, ErrorCode::InvalidAmount),
        (401, ErrorCode::InvalidKey),
        (409, ErrorCode::DuplicateReference),
        (429, ErrorCode::RateLimited),
        (502, ErrorCode::NetworkError),
    ] {
        let (server, client, calls) = error_case(status).await;
        Mock::given(method("POST"))
            .and(path("/pay/"))
            .respond_with(error_response(status, code.as_str()))
            .expect(calls)
            .mount(&server)
            .await;
        let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
        assert_api_error(&err, status, &code);
    }
}

#[tokio::test]
async fn get_transaction_status_documented_error_statuses_are_typed() {
    for (status, code) in [
        (400, ErrorCode::InvalidPhone),
        (401, ErrorCode::InvalidKey),
        (429, ErrorCode::RateLimited),
        (502, ErrorCode::NetworkError),
    ] {
        let (server, client, calls) = error_case(status).await;
        // A GET is retried on 429 and 502.
        let sends = if matches!(status, 429 | 502) { 3 } else { calls };
        Mock::given(method("GET"))
            .and(path("/transaction/status/"))
            .respond_with(error_response(status, code.as_str()))
            .expect(sends)
            .mount(&server)
            .await;
        let err = client.get_transaction_status("VP86583387").await.unwrap_err();
        assert_api_error(&err, status, &code);
    }
}

#[tokio::test]
async fn create_payment_link_documented_error_statuses_are_typed() {
    for (status, code) in [
        (400, ErrorCode::InvalidAmount),
        (401, ErrorCode::InvalidKey),
        (429, ErrorCode::RateLimited),
    ] {
        let (server, client, calls) = error_case(status).await;
        Mock::given(method("POST"))
            .and(path("/payment-links/"))
            .respond_with(error_response(status, code.as_str()))
            .expect(calls)
            .mount(&server)
            .await;
        let body = CreatePaymentLinkRequest::new("Monthly fee June", PaymentLinkType::OneOff);
        let err = client.create_payment_link(&body).await.unwrap_err();
        assert_api_error(&err, status, &code);
    }
}

#[tokio::test]
async fn generate_access_token_documented_error_statuses_are_typed() {
    // Called directly, the token request carries no token to renew: a 401 is final. Issuing a
    // token is marked idempotent, so a 429 is retried (3 attempts in all).
    for (status, code, sends) in [(401, ErrorCode::InvalidKey, 1), (429, ErrorCode::RateLimited, 3)] {
        let (server, client) = setup().await;
        Mock::given(method("POST"))
            .and(path("/auth/"))
            .and(credentials)
            .and(no_authorization)
            .respond_with(error_response(status, code.as_str()))
            .expect(sends)
            .mount(&server)
            .await;
        let err = client.generate_access_token().await.unwrap_err();
        assert_api_error(&err, status, &code);
    }
}

#[tokio::test]
async fn unknown_error_codes_survive_and_undocumented_statuses_are_unexpected() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    pay_mock(1)
        .respond_with(error_response(400, "PHONE_BLACKLISTED"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(bearer(1))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>maintenance</html>"))
        .expect(3) // a GET is retried on 503
        .mount(&server)
        .await;

    let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    let Some(body) = err.api_error() else {
        panic!("expected a typed 400, got {err:?}")
    };
    assert_eq!(body.error_code, ErrorCode::Unknown("PHONE_BLACKLISTED".into()));

    let err = client.get_transaction_status("VP86583387").await.unwrap_err();
    let Error::UnexpectedStatus(response) = &err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.raw, "<html>maintenance</html>");
}

// ---------------------------------------------------------------------------------------------
// Token flow
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_token_is_fetched_once_for_many_sequential_calls() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    pay_mock(1)
        .respond_with(ok_json(&samples::vpay_standard_payment()))
        .expect(4)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(bearer(1))
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(5)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payment-links/"))
        .and(bearer(1))
        .respond_with(ok_json(&json!({"link_id": "lnk_1", "url": "https://pay.vpay.rw/x"})))
        .expect(4)
        .mount(&server)
        .await;

    // Building the client asks for nothing: the token is fetched on first use.
    assert_eq!(received(&server, "POST", "/auth/").await, 0);
    let link = CreatePaymentLinkRequest::new("Fee", PaymentLinkType::OneOff);
    for _ in 0..4 {
        client.initiate_payment(&minimal_payment()).await.unwrap();
        client.get_transaction_status("VP86583387").await.unwrap();
        client.create_payment_link(&link).await.unwrap();
    }
    // A clone shares the cached token.
    client.clone().get_transaction_status("VP86583387").await.unwrap();
    assert_eq!(received(&server, "POST", "/auth/").await, 1);
}

#[tokio::test]
async fn the_token_is_refreshed_after_it_expires() {
    let (server, client) = setup().await;
    mount_auth_with(&server, "1.0 seconds", Duration::ZERO, 2).await;
    pay_mock(1)
        .respond_with(ok_json(&samples::vpay_standard_payment()))
        .expect(1)
        .mount(&server)
        .await;
    pay_mock(2)
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let first = expect_payment(client.initiate_payment(&minimal_payment()).await.unwrap().into_inner());
    assert_eq!(first.status, PaymentStatus::Pending);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // The first token has expired: a new one is fetched and used.
    let second = expect_payment(client.initiate_payment(&minimal_payment()).await.unwrap().into_inner());
    assert_eq!(second.status, PaymentStatus::Successful);
    assert_eq!(received(&server, "POST", "/auth/").await, 2);
    assert_eq!(received(&server, "POST", "/pay/").await, 2);
}

#[tokio::test]
async fn fifty_concurrent_calls_on_a_fresh_client_share_one_token_request() {
    let (server, client) = setup().await;
    // The token answer is slow, so every call is waiting for a token at the same time.
    mount_auth_with(&server, "300.0 seconds", Duration::from_millis(300), 1).await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(bearer(1))
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(50)
        .mount(&server)
        .await;

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_transaction_status("VP86583387").await })
        })
        .collect();
    for call in calls {
        let answer = call.await.expect("task").expect("call");
        assert_eq!(expect_payment(answer.into_inner()).transaction_id, "VP86583387");
    }
    assert_eq!(received(&server, "POST", "/auth/").await, 1);
    assert_eq!(received(&server, "GET", "/transaction/status/").await, 50);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_resends_the_same_request() {
    let (server, client) = setup().await;
    mount_auth(&server, 2).await;
    pay_mock(1)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(1)
        .mount(&server)
        .await;
    pay_mock(2)
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let payment = expect_payment(client.initiate_payment(&minimal_payment()).await.unwrap().into_inner());
    assert_eq!(payment.status, PaymentStatus::Successful);
    assert_eq!(received(&server, "POST", "/auth/").await, 2);
    assert_eq!(received(&server, "POST", "/pay/").await, 2);

    // The renewed token is cached for what follows.
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(bearer(2))
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(1)
        .mount(&server)
        .await;
    client.get_transaction_status("VP86583387").await.unwrap();
    assert_eq!(received(&server, "POST", "/auth/").await, 2);
}

#[tokio::test]
async fn a_401_after_the_renewal_is_the_typed_error_without_a_third_attempt() {
    let (server, client) = setup().await;
    mount_auth(&server, 2).await;
    pay_mock(1)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(1)
        .mount(&server)
        .await;
    pay_mock(2)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
    assert_api_error(&err, 401, &ErrorCode::InvalidKey);
    assert_eq!(received(&server, "POST", "/auth/").await, 2);
    assert_eq!(received(&server, "POST", "/pay/").await, 2);
}

#[tokio::test]
async fn a_post_is_never_sent_more_than_twice() {
    // First answer, second answer (if any), how often the POST goes out, how many tokens.
    let cases: [(u16, Option<u16>, usize, usize); 9] = [
        (200, None, 1, 1),
        (400, None, 1, 1),
        (409, None, 1, 1),
        (429, None, 1, 1),
        (500, None, 1, 1),
        (502, None, 1, 1),
        (401, Some(401), 2, 2),
        (401, Some(502), 2, 2),
        (401, Some(200), 2, 2),
    ];
    for (first, second, posts, tokens) in cases {
        for operation in ["/pay/", "/payment-links/"] {
            let server = MockServer::start().await;
            let client = Client::with_credentials(server.uri(), API_USER, API_KEY).unwrap();
            mount_auth(&server, tokens as u64).await;
            let answer = |status: u16| match status {
                200 if operation == "/pay/" => ok_json(&samples::vpay_self_hosted_payment()),
                200 => ok_json(&json!({"link_id": "lnk_1", "url": "https://pay.vpay.rw/x"})),
                500 => ResponseTemplate::new(500).set_body_string("oops"),
                status => error_response(status, "NETWORK_ERROR"),
            };
            Mock::given(method("POST"))
                .and(path(operation))
                .and(bearer(1))
                .respond_with(answer(first))
                .mount(&server)
                .await;
            if let Some(second) = second {
                Mock::given(method("POST"))
                    .and(path(operation))
                    .and(bearer(2))
                    .respond_with(answer(second))
                    .mount(&server)
                    .await;
            }

            let ok = if operation == "/pay/" {
                client.initiate_payment(&minimal_payment()).await.is_ok()
            } else {
                let body = CreatePaymentLinkRequest::new("Fee", PaymentLinkType::OneOff);
                client.create_payment_link(&body).await.is_ok()
            };
            let last = second.unwrap_or(first);
            assert_eq!(ok, last == 200, "{operation} answered {first} then {second:?}");
            assert_eq!(
                received(&server, "POST", operation).await,
                posts,
                "{operation} answered {first} then {second:?}"
            );
            assert_eq!(received(&server, "POST", "/auth/").await, tokens);
        }
    }
}

#[tokio::test]
async fn a_401_whose_token_refresh_fails_is_an_auth_error_after_one_post() {
    let (server, client) = setup().await;
    // The first token request succeeds, the renewal is refused.
    Mock::given(method("POST"))
        .and(path("/auth/"))
        .and(credentials)
        .respond_with(ok_json(&json!({"access": token(1), "expires_in": "300.0 seconds"})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/"))
        .and(credentials)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(1)
        .mount(&server)
        .await;
    pay_mock(1)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert_eq!(received(&server, "POST", "/pay/").await, 1);
}

#[tokio::test]
async fn fifty_concurrent_401s_cause_one_renewal() {
    let (server, client) = setup().await;
    mount_auth_with(&server, "300.0 seconds", Duration::from_millis(300), 2).await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(bearer(1))
        .respond_with(error_response(401, "INVALID_KEY"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(bearer(2))
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(50)
        .mount(&server)
        .await;

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_transaction_status("VP86583387").await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("call");
    }
    // However the calls interleave, the rejected token is replaced once and each call ends with
    // the new token; none is sent more than twice.
    assert_eq!(received(&server, "POST", "/auth/").await, 2);
    let sent = received(&server, "GET", "/transaction/status/").await;
    assert!((51..=100).contains(&sent), "{sent} status requests");
}

#[tokio::test]
async fn wrong_credentials_give_an_auth_error_that_does_not_show_the_key() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/auth/"))
        .and(credentials)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pay/"))
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(0)
        .mount(&server)
        .await;

    let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
    let Error::Auth(cause @ AuthError::Failed { .. }) = &err else {
        panic!("expected a failed token request, got {err:?}")
    };
    let message = cause.to_string();
    assert!(message.contains("401"), "{message}");
    for shown in [message, err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(API_KEY), "{shown}");
    }
    // A refused token request is not cached: the next call asks again.
    let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
}

/// The hook knows the token request by its operation id, not by where it goes: a request to any
/// path is the token request when it is `generateAccessToken`, and no other operation is, even
/// one sent to `/auth/`.
#[tokio::test]
async fn the_token_request_is_known_by_its_operation_id() {
    let server = MockServer::start().await;
    mount_auth(&server, 1).await;
    let auth = TokenAuth::with_transport(transport(server.uri()), API_USER, API_KEY).expect("auth");
    let authorization = |request: &paykit::runtime::Request| {
        let headers = &request.headers;
        let bearer = headers
            .iter()
            .find(|h| h.name == "Authorization")
            .map(|h| h.value.clone());
        let credentials = headers.iter().any(|h| h.name == "apiKey" && h.value == API_KEY);
        (bearer, credentials)
    };

    let mut moved = paykit::runtime::Request::new("generateAccessToken", Method::POST, "/v2/token/");
    auth.authorize(&mut moved).await.expect("authorize");
    assert_eq!(authorization(&moved), (None, true));
    assert_eq!(
        received(&server, "POST", "/auth/").await,
        0,
        "no token is fetched for it"
    );

    let mut other = paykit::runtime::Request::new("getTransactionStatus", Method::GET, "/auth/");
    auth.authorize(&mut other).await.expect("authorize");
    assert_eq!(authorization(&other), (Some(format!("Bearer {}", token(1))), true));
}

#[tokio::test]
async fn debug_output_never_contains_the_api_key_or_the_token() {
    let (server, client) = setup().await;
    mount_auth(&server, 2).await;
    pay_mock(1)
        .respond_with(ok_json(&samples::vpay_standard_payment()))
        .expect(1)
        .mount(&server)
        .await;
    pay_mock(2)
        .respond_with(error_response(401, "INVALID_KEY"))
        .expect(1)
        .mount(&server)
        .await;
    let secrets = [API_KEY.to_owned(), token(1), token(2)];
    let assert_hidden = |shown: String| {
        for secret in &secrets {
            assert!(!shown.contains(secret.as_str()), "{shown}");
        }
    };

    assert_hidden(format!("{client:?}"));
    // With a token cached.
    client.initiate_payment(&minimal_payment()).await.unwrap();
    assert_hidden(format!("{client:?}"));
    // After a 401, its renewal and the final 401 error.
    Mock::given(method("POST"))
        .and(path("/pay/"))
        .and(bearer(1))
        .respond_with(error_response(401, "INVALID_KEY"))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    let err = client.initiate_payment(&minimal_payment()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_hidden(format!("{err:?}"));
    assert_hidden(err.to_string());
    assert_hidden(format!("{client:?}"));
}

// ---------------------------------------------------------------------------------------------
// Statuses, rate limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn statuses_match_in_any_letter_case_and_unknown_ones_survive() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    let cases = [
        ("pending", PaymentStatus::Pending),
        ("PENDING", PaymentStatus::Pending),
        ("Pending", PaymentStatus::Pending),
        ("SUCCESSFUL", PaymentStatus::Successful),
        ("Cancelled", PaymentStatus::Cancelled),
        ("PENNDING", PaymentStatus::Pending),
        ("penndinG", PaymentStatus::Pending),
        ("CHARGEBACK", PaymentStatus::Unknown("CHARGEBACK".into())),
    ];
    for (sent, _) in &cases {
        let id = format!("VP_{sent}");
        let mut body = samples::vpay_standard_payment();
        body["status"] = json!(sent);
        body["transaction_id"] = json!(id);
        Mock::given(method("GET"))
            .and(path("/transaction/status/"))
            .and(query_is(&[("transaction_id", id.as_str())]))
            .and(bearer(1))
            .respond_with(ok_json(&body))
            .expect(1)
            .mount(&server)
            .await;
    }

    for (sent, expected) in cases {
        let answer = client.get_transaction_status(&format!("VP_{sent}")).await.unwrap();
        let payment = expect_payment(answer.into_inner());
        assert_eq!(payment.status, expected, "{sent}");
        assert_eq!(payment.transaction_id, format!("VP_{sent}"));
    }
    // Unknown values are kept exactly as sent; known ones (and the misspelling) are written in the
    // docs' case.
    assert_eq!(PaymentStatus::from("PENNDING").as_str(), "pending");
    assert_eq!(PaymentStatus::from("CHARGEBACK").as_str(), "CHARGEBACK");
    assert_eq!(PaymentStatus::from("PENDING").as_str(), "pending");
}

#[tokio::test]
async fn rate_limit_headers_are_read_from_successes_and_errors() {
    let (server, client) = setup().await;
    mount_auth(&server, 1).await;
    pay_mock(1)
        .respond_with(
            ok_json(&samples::vpay_standard_payment())
                .insert_header("X-RateLimit-Limit", "120")
                .insert_header("X-RateLimit-Remaining", "118")
                .insert_header("X-RateLimit-Reset", "1716471600"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(query_is(&[("transaction_id", "VP86583387")]))
        .and(bearer(1))
        .respond_with(
            error_response(429, "RATE_LIMITED")
                .insert_header("X-RateLimit-Limit", "120")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", "1716471660"),
        )
        .expect(3) // a GET is retried on 429 (the reset time has passed: no wait)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transaction/status/"))
        .and(query_is(&[("transaction_id", "VP2")]))
        .and(bearer(1))
        .respond_with(ok_json(&samples::vpay_self_hosted_payment()))
        .expect(1)
        .mount(&server)
        .await;

    let response = client.initiate_payment(&minimal_payment()).await.unwrap();
    assert_eq!(
        RateLimit::from_headers(response.headers()),
        RateLimit {
            limit: Some(120),
            remaining: Some(118),
            reset: Some(1716471600),
        }
    );

    let error = client.get_transaction_status("VP86583387").await.unwrap_err();
    assert!(
        error.api_error().is_some() && error.status() == Some(StatusCode::TOO_MANY_REQUESTS),
        "{error:?}"
    );
    assert_eq!(
        error.headers().map(RateLimit::from_headers),
        Some(RateLimit {
            limit: Some(120),
            remaining: Some(0),
            reset: Some(1716471660),
        })
    );

    let bare = client.get_transaction_status("VP2").await.unwrap();
    assert_eq!(RateLimit::from_headers(bare.headers()), RateLimit::default());
    assert_eq!(
        RateLimit::from_headers(bare.headers()),
        RateLimit {
            limit: None,
            remaining: None,
            reset: None,
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/// The provider notes' worked example (§5): HMAC-SHA256 of exactly these bytes under this secret.
const WEBHOOK_SECRET: &str = "whsec_example";
const WEBHOOK_BODY: &str = r#"{"event":"payment.successful","transaction_id":"VP86583387","status":"SUCCESSFUL","amount":"240.00","currency":"RWF","external_id":"TXN_TDTAGD1HFJS"}"#;
const WEBHOOK_SIGNATURE: &str = "2704d3cfcf202355b00c665e1265ab8a685b6027689e72a2d014896354754f0a";

#[test]
fn webhook_worked_example_verifies_and_parses() {
    assert_eq!(webhook::SIGNATURE_HEADER, "X-VPay-Signature");
    assert!(webhook::verify_signature(WEBHOOK_BODY.as_bytes(), WEBHOOK_SIGNATURE, WEBHOOK_SECRET).is_ok());
    let event = webhook::parse_event(WEBHOOK_BODY.as_bytes(), WEBHOOK_SIGNATURE, WEBHOOK_SECRET).unwrap();
    assert_eq!(event.event.as_deref(), Some("payment.successful"));
    assert_eq!(event.transaction_id, "VP86583387");
    assert_eq!(event.status, PaymentStatus::Successful);
    assert_eq!(event.amount, Some(240.0));
    assert_eq!(event.currency.as_deref(), Some("RWF"));
    assert_eq!(event.external_id.as_deref(), Some("TXN_TDTAGD1HFJS"));
    assert_eq!(event.metadata, None);
}

#[test]
fn webhook_rejects_tampered_bodies_and_wrong_or_malformed_signatures() {
    // One byte of the body changed: "240.00" becomes "940.00".
    let mut tampered = WEBHOOK_BODY.as_bytes().to_vec();
    tampered[WEBHOOK_BODY.find("240.00").unwrap()] = b'9';
    assert_eq!(tampered.len(), WEBHOOK_BODY.len());
    assert_eq!(
        tampered
            .iter()
            .zip(WEBHOOK_BODY.as_bytes())
            .filter(|(a, b)| a != b)
            .count(),
        1
    );
    let body = WEBHOOK_BODY.as_bytes();
    let last_digit_changed = format!("{}b", &WEBHOOK_SIGNATURE[..63]);
    let non_hex = format!("{}g", &WEBHOOK_SIGNATURE[..63]);
    let cases: [(&str, &[u8], &str, &str); 10] = [
        ("tampered body", &tampered, WEBHOOK_SIGNATURE, WEBHOOK_SECRET),
        ("wrong secret", body, WEBHOOK_SIGNATURE, "whsec_other"),
        (
            "wrong signature, 64 hex digits",
            body,
            &last_digit_changed,
            WEBHOOK_SECRET,
        ),
        ("all zeros, 64 hex digits", body, &"0".repeat(64), WEBHOOK_SECRET),
        ("62 hex digits", body, &WEBHOOK_SIGNATURE[..62], WEBHOOK_SECRET),
        ("63 hex digits", body, &WEBHOOK_SIGNATURE[..63], WEBHOOK_SECRET),
        ("66 hex digits", body, &format!("{WEBHOOK_SIGNATURE}00"), WEBHOOK_SECRET),
        ("non-hex character", body, &non_hex, WEBHOOK_SECRET),
        (
            "sha256= prefix",
            body,
            &format!("sha256={WEBHOOK_SIGNATURE}"),
            WEBHOOK_SECRET,
        ),
        ("empty signature", body, "", WEBHOOK_SECRET),
    ];
    for (case, body, signature, secret) in cases {
        assert!(
            matches!(
                webhook::verify_signature(body, signature, secret),
                Err(WebhookError::Signature)
            ),
            "{case}"
        );
        assert!(
            matches!(
                webhook::parse_event(body, signature, secret),
                Err(WebhookError::Signature)
            ),
            "{case}"
        );
    }
}

#[test]
fn webhook_with_an_empty_secret_is_a_configuration_error() {
    // HMAC of the body under the empty key (Python's hmac): a forgery if the secret is unset.
    let forged = "b2ce581b4d89a0be76b5930e135023e70710e11d45879d04638fe273b8bb8499";
    for signature in [WEBHOOK_SIGNATURE, forged] {
        let err = webhook::verify_signature(WEBHOOK_BODY.as_bytes(), signature, "").unwrap_err();
        assert!(matches!(err, WebhookError::EmptySecret(_)), "{err:?}");
        let err = webhook::parse_event(WEBHOOK_BODY.as_bytes(), signature, "").unwrap_err();
        assert!(err.to_string().contains("webhook secret is empty"), "{err}");
    }
}

#[test]
fn webhook_accepts_the_right_signature_in_upper_case_hex() {
    // V-Pay sends lower-case hex. Upper case encodes the same 32 bytes, which are what is
    // compared (in constant time), so accepting it lets nothing through that lower case would not.
    let upper = WEBHOOK_SIGNATURE.to_uppercase();
    assert!(webhook::verify_signature(WEBHOOK_BODY.as_bytes(), &upper, WEBHOOK_SECRET).is_ok());
    let event = webhook::parse_event(WEBHOOK_BODY.as_bytes(), &upper, WEBHOOK_SECRET).unwrap();
    assert_eq!(event.transaction_id, "VP86583387");
}

#[test]
fn webhook_with_a_right_signature_but_an_undocumented_body_is_a_payload_error() {
    // `status` is missing; signature computed independently (Python hmac) for these exact bytes.
    let body = br#"{"transaction_id":"VP86583387"}"#;
    let signature = "3a488d3afef562a8cb8de2bb3d4a27b44c234a3b1e0c1f12a27f9c1ce30f69cd";
    assert!(webhook::verify_signature(body, signature, WEBHOOK_SECRET).is_ok());
    assert!(matches!(
        webhook::parse_event(body, signature, WEBHOOK_SECRET),
        Err(WebhookError::Payload(_))
    ));
}
