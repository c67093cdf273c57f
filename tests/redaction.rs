//! No credential shows in any `Debug` or `Display`, nor in the tracing output.
//!
//! Every provider gets distinctive secrets: API keys and bearer secrets, V-Pay's API user and key
//! and the access and refresh tokens its `/auth/` hands out, VR pay's API secret and every
//! `ApiSignature` actually sent (read back from the server, compared plain, percent-encoded and as
//! hex), PayRequest's token in the JSON body, VINR's webhook secret from `createWebhookEndpoint`,
//! and a session cookie the server sets. The client, its transport (and builder), its auth hook,
//! requests carrying secrets (before and after the hook authorized them), every success value and
//! every error kind (Api, UnexpectedStatus, a 302 with `Location`, Decode, TooLarge, Transport
//! refused/reset/timed out, Auth, InvalidRequest) are formatted with `{:?}`, `{:#?}` and `{}`, and
//! none may show a secret. Every secret carries the marker `_SECRET_`, so a fragment of one (a cut
//! raw body) is caught too. Each output must also say what it is about (its status, its kind), so
//! an empty or generic output cannot pass.
//!
//! Then the runtime's `tracing` output at TRACE level, captured in memory while every provider
//! makes calls (successes, error statuses, a reset, a refused connection): it must name each
//! operation and path template, and show no secret (one is a path parameter), no path parameter
//! value, no query value (VR pay signs GETs in the query) and no body content, sent or received.
//!
//! The `*_too_large_chunked_answer` tests pin a leak found while writing this file, since fixed:
//! a `TooLarge` error kept the start of a body that holds credentials.

mod support;

use std::fmt::{Debug, Display};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use paykit::runtime::{
    ApiKeyHeader, Auth, Bearer, Body, Error, Method, Request, ResponseValue, RetryPolicy, StreamExt, Transport,
    TransportBuilder,
};
use serde_json::{Value, json};
use support::fault::{FaultServer, Received, Reply, refused_url};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::util::SubscriberInitExt;

/// In every secret below, so that even a fragment of one is caught.
const MARK: &str = "_SECRET_";

const VINR_KEY: &str = "sk_live_SECRET_vinr_1f2e";
const VINR_WEBHOOK_SECRET: &str = "whsec_SECRET_vinr_9a8b";
const VENDREO_SECRET: &str = "vendreo_app_SECRET_7c6d";
const VRPAY_SECRET: &str = "vrpay_api_SECRET_5e4f";
const VPAY_USER: &str = "vpay_user_SECRET_3a2b";
const VPAY_KEY: &str = "vpay_key_SECRET_1c0d";
const VPAY_ACCESS: &str = "eyJhbGciOiJIUzI1NiJ9.vpay_access_SECRET_0001.c2ln";
const VPAY_REFRESH: &str = "eyJhbGciOiJIUzI1NiJ9.vpay_refresh_SECRET_0002.c2ln";
const VPAY_ACCESS_RENEWED: &str = "eyJhbGciOiJIUzI1NiJ9.vpay_access_SECRET_0003.c2ln";
const PAYREQUEST_TOKEN: &str = "payreq_token_SECRET_abcd";
const SESSION_COOKIE: &str = "session=cookie_SECRET_77; HttpOnly";
const PATH_SECRET: &str = "tok_SECRET_in_path_42";

const VRPAY_INSTANCE: &str = "demo";
/// Where the 302 points: an attacker's host, with a query.
const ELSEWHERE: &str = "https://attacker.example/collect?from=paykit";

// ---------------------------------------------------------------------------------------------
// What was shown, and what must not be
// ---------------------------------------------------------------------------------------------

/// Every formatted output of a test, labelled.
#[derive(Default)]
struct Shown(Vec<(String, String)>);

impl Shown {
    /// `{:?}` and `{:#?}`; returns both.
    fn debug<T: Debug + ?Sized>(&mut self, label: &str, value: &T) -> String {
        let (compact, pretty) = (format!("{value:?}"), format!("{value:#?}"));
        self.0.push((format!("{label} {{:?}}"), compact.clone()));
        self.0.push((format!("{label} {{:#?}}"), pretty.clone()));
        format!("{compact}\n{pretty}")
    }

    fn display<T: Display + ?Sized>(&mut self, label: &str, value: &T) -> String {
        let shown = value.to_string();
        self.0.push((format!("{label} {{}}"), shown.clone()));
        shown
    }

    /// `{:?}`, `{:#?}`, `{}` and the `Display` of every source; returns them all.
    fn error<E: Debug>(&mut self, label: &str, error: &Error<E>) -> String {
        let mut all = self.debug(label, error);
        all.push('\n');
        all.push_str(&self.display(label, error));
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            all.push('\n');
            all.push_str(&self.display(&format!("{label} source"), cause));
            source = cause.source();
        }
        all
    }
}

/// Everything that must never be shown: each secret plain, base64- and percent-encoded.
struct Secrets(Vec<String>);

impl Secrets {
    fn new(secrets: &[&str]) -> Self {
        let mut all = Self(Vec::new());
        for secret in secrets {
            all.add(secret);
        }
        all
    }

    fn add(&mut self, secret: &str) {
        for form in [
            secret.to_owned(),
            BASE64.encode(secret),
            form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        ] {
            if !self.0.contains(&form) {
                self.0.push(form);
            }
        }
    }

    /// A signature as sent (base64 of an HMAC): plain, percent-encoded and as hex of its bytes.
    fn add_signature(&mut self, signature: &str) {
        self.add(signature);
        if let Ok(bytes) = BASE64.decode(signature) {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            self.0.push(hex.clone());
            self.0.push(hex.to_uppercase());
        }
    }

    fn assert_absent(&self, shown: &Shown) {
        assert!(!shown.0.is_empty(), "nothing was formatted");
        for (label, text) in &shown.0 {
            assert!(!text.contains(MARK), "{label} shows (part of) a secret:\n{text}");
            for secret in &self.0 {
                assert!(!text.contains(secret.as_str()), "{label} shows {secret:?}:\n{text}");
            }
        }
    }
}

/// Every `ApiSignature` in the requests a server received: in the query of a GET, in the form
/// body otherwise.
fn signatures(received: &[Received]) -> Vec<String> {
    let mut found = Vec::new();
    for request in received {
        let query = request.target.split_once('?').map_or("", |(_, query)| query);
        found.extend(signatures_in(query.as_bytes()));
        found.extend(signatures_in(&request.body));
    }
    found
}

/// The `ApiSignature` values in an `application/x-www-form-urlencoded` string.
fn signatures_in(encoded: &[u8]) -> Vec<String> {
    form_urlencoded::parse(encoded)
        .filter(|(name, _)| name == "ApiSignature")
        .map(|(_, value)| value.into_owned())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Api,
    UnexpectedStatus,
    Decode,
    TooLarge,
    Transport,
    Auth,
    InvalidRequest,
    Paging,
}

fn kind<E: Debug>(error: &Error<E>) -> Kind {
    match error {
        Error::Api(_) => Kind::Api,
        Error::UnexpectedStatus(_) => Kind::UnexpectedStatus,
        Error::Decode { .. } => Kind::Decode,
        Error::TooLarge { .. } => Kind::TooLarge,
        Error::Transport(_) => Kind::Transport,
        Error::Auth(_) => Kind::Auth,
        Error::InvalidRequest(_) => Kind::InvalidRequest,
        Error::Paging(_) => Kind::Paging,
    }
}

/// Asserts `result` failed with `expected`, records every form of the error and checks that
/// together they mention each of `mentions`.
fn expect_error<T: Debug, E: Debug>(
    shown: &mut Shown,
    label: &str,
    result: Result<ResponseValue<T>, Error<E>>,
    expected: Kind,
    mentions: &[&str],
) -> Error<E> {
    let error = match result {
        Ok(value) => panic!("{label}: expected {expected:?}, got a success: {value:?}"),
        Err(error) => error,
    };
    assert_eq!(kind(&error), expected, "{label}: {error:?}");
    let all = shown.error(label, &error);
    // `Debug` names the variant, so an empty or generic output cannot pass.
    assert!(
        all.contains(&format!("{expected:?}")),
        "{label} does not name {expected:?}:\n{all}"
    );
    for mention in mentions {
        assert!(all.contains(mention), "{label} does not mention {mention:?}:\n{all}");
    }
    error
}

/// Asserts `result` succeeded, records its `Debug` and checks it mentions each of `mentions`.
fn expect_success<T: Debug, E: Debug>(
    shown: &mut Shown,
    label: &str,
    result: Result<ResponseValue<T>, Error<E>>,
    mentions: &[&str],
) -> ResponseValue<T> {
    let value = result.unwrap_or_else(|e| panic!("{label}: expected a success, got {e:?}"));
    let all = shown.debug(label, &value);
    for mention in mentions {
        assert!(all.contains(mention), "{label} does not mention {mention:?}:\n{all}");
    }
    value
}

/// The request after `auth` authorized it.
async fn authorized(auth: &dyn Auth, mut request: Request) -> Request {
    auth.authorize(&mut request).await.expect("authorized");
    request
}

/// A transport to `url` that sends once and gives up after 5 s.
fn transport(url: &str) -> TransportBuilder {
    Transport::builder(url)
        .retry(RetryPolicy::never())
        .timeout(Duration::from_secs(5))
}

// ---------------------------------------------------------------------------------------------
// Every error kind, for any provider
// ---------------------------------------------------------------------------------------------

/// How to make a provider's client.
struct Provider<C> {
    name: &'static str,
    /// The client for the API at the URL, over the transport, authenticating the provider's way.
    client: fn(&str, TransportBuilder) -> C,
    /// The client over the transport as it is.
    bare: fn(Transport) -> C,
    /// What the server answers before the call's own request (V-Pay: the token).
    before: fn() -> Vec<Reply>,
}

/// What an operation answers to the statuses it does not document.
struct Expect {
    /// A documented error status and its typed body; `None` if the operation documents none.
    documented: Option<(u16, Value)>,
    /// An undocumented 418 with a text body.
    undocumented: Kind,
    /// A 302 with `Location` and no body.
    redirect: Kind,
    /// A port nothing listens on (V-Pay fails to get its token first: `Auth`).
    refused: Kind,
}

impl Expect {
    /// A documented error status with its typed body; nothing else documented.
    fn typed(status: u16, body: Value) -> Self {
        Self {
            documented: Some((status, body)),
            ..Self::untyped()
        }
    }

    /// No error status documented.
    fn untyped() -> Self {
        Self {
            documented: None,
            undocumented: Kind::UnexpectedStatus,
            redirect: Kind::UnexpectedStatus,
            refused: Kind::Transport,
        }
    }
}

impl<C: Debug> Provider<C> {
    /// `call` with the client for a server answering `answer` (after [`Provider::before`]); the
    /// requests the server received go to `received`.
    async fn against<R>(
        &self,
        answer: Vec<Reply>,
        tune: impl FnOnce(TransportBuilder) -> TransportBuilder,
        call: &impl AsyncFn(&C) -> R,
        received: &mut Vec<Received>,
    ) -> R {
        let mut replies = (self.before)();
        replies.extend(answer);
        let server = FaultServer::start(replies).await;
        let client = (self.client)(&server.url(), tune(transport(&server.url())));
        let result = call(&client).await;
        received.extend(server.received());
        result
    }

    /// Triggers every error kind with `call` and records each, formatted every way.
    async fn every_error_kind<T: Debug, E: Debug>(
        &self,
        call: impl AsyncFn(&C) -> Result<ResponseValue<T>, Error<E>>,
        expect: Expect,
        shown: &mut Shown,
        received: &mut Vec<Received>,
    ) {
        let name = self.name;
        let cookie = |reply: Reply| reply.header("Set-Cookie", SESSION_COOKIE);

        if let Some((status, body)) = &expect.documented {
            let answer = cookie(Reply::json(*status, body));
            let result = self.against(vec![answer], |t| t, &call, received).await;
            let status = status.to_string();
            expect_error(shown, &format!("{name} Api"), result, Kind::Api, &[&status, "Api"]);
        }

        let teapot = Reply::Respond {
            status: 418,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"I'm a teapot".to_vec(),
        };
        let result = self.against(vec![cookie(teapot)], |t| t, &call, received).await;
        expect_error(
            shown,
            &format!("{name} undocumented"),
            result,
            expect.undocumented,
            &["418"],
        );

        let redirect = cookie(Reply::status(302).header("Location", ELSEWHERE));
        let result = self.against(vec![redirect], |t| t, &call, received).await;
        let error = expect_error(shown, &format!("{name} redirect"), result, expect.redirect, &["302"]);
        assert_eq!(error.redirect_location(), Some(ELSEWHERE), "{name}: {error:?}");

        let html = Reply::Respond {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: b"<html><body>Service Unavailable</body></html>".to_vec(),
        };
        let result = self.against(vec![cookie(html)], |t| t, &call, received).await;
        expect_error(
            shown,
            &format!("{name} Decode"),
            result,
            Kind::Decode,
            &["200", "Decode"],
        );

        // Announced too large (nothing read), and found too large while reading (its start kept,
        // unless the operation's answer holds credentials).
        let big = json!({"padding": "x".repeat(200)});
        for (framing, answer, mentions) in [
            ("Content-Length", Reply::json(200, &big), &["200", "64"][..]),
            ("chunked", chunked(200, &big.to_string()), &["200", "64"][..]),
        ] {
            let result = self
                .against(vec![cookie(answer)], |t| t.max_response_bytes(64), &call, received)
                .await;
            let label = format!("{name} TooLarge ({framing})");
            expect_error(shown, &label, result, Kind::TooLarge, mentions);
        }

        let offline = (self.client)(&refused_url(), transport(&refused_url()));
        let result = call(&offline).await;
        expect_error(shown, &format!("{name} refused"), result, expect.refused, &[]);

        let result = self.against(vec![Reply::Reset], |t| t, &call, received).await;
        let error = expect_error(shown, &format!("{name} reset"), result, Kind::Transport, &["Transport"]);
        assert!(error.is_outcome_unknown(), "{name}: a reset after sending: {error:?}");

        let result = self
            .against(
                vec![Reply::Stall],
                |t| t.timeout(Duration::from_millis(300)),
                &call,
                received,
            )
            .await;
        let error = expect_error(
            shown,
            &format!("{name} timeout"),
            result,
            Kind::Transport,
            &["Transport"],
        );
        assert!(error.is_outcome_unknown(), "{name}: a timeout after sending: {error:?}");

        let empty = (self.bare)(
            transport(&refused_url())
                .auth(Bearer::new(""))
                .build()
                .expect("transport"),
        );
        let result = call(&empty).await;
        expect_error(
            shown,
            &format!("{name} Auth"),
            result,
            Kind::Auth,
            &["bearer token", "empty"],
        );

        let broken = (self.bare)(Transport::builder("http://[::1").build().expect("transport"));
        let result = call(&broken).await;
        expect_error(
            shown,
            &format!("{name} InvalidRequest"),
            result,
            Kind::InvalidRequest,
            &["invalid"],
        );
    }

    /// The client and its transport.
    fn show_client(&self, shown: &mut Shown, client: &C, transport: &Transport) {
        shown.debug(&format!("{} client", self.name), client);
        shown.debug(&format!("{} transport", self.name), transport);
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

#[test]
fn requests_show_names_never_values() {
    let mut shown = Shown::default();
    let secrets = [
        VINR_KEY,
        VENDREO_SECRET,
        VRPAY_SECRET,
        VPAY_KEY,
        VPAY_ACCESS,
        PAYREQUEST_TOKEN,
    ];
    for secret in secrets {
        let mut request = Request::new("createPayment", Method::POST, "/payments");
        request.sensitive_header("Authorization", format!("Bearer {secret}"));
        request.query("api_key", secret);
        for body in [
            Body::Json(json!({"token": secret, "nested": [{"secret": secret}]})),
            Body::Form(vec![("token".into(), secret.into())]),
            Body::EncodedForm(format!("token={secret}&amount=100")),
        ] {
            request.body = body;
            let all = shown.debug("request", &request);
            for name in ["createPayment", "/payments", "Authorization", "api_key", "POST"] {
                assert!(all.contains(name), "the request does not show {name:?}:\n{all}");
            }
        }
        let mut typed = Request::new("retrievePayment", Method::POST, "/api/get/");
        typed.json(&paykit::payrequest::types::RetrievePaymentBody::new(secret, "PR-1"));
        let all = shown.debug("typed request", &typed);
        assert!(all.contains("retrievePayment") && all.contains("Json"), "{all}");
    }
    Secrets::new(&secrets).assert_absent(&shown);
}

// ---------------------------------------------------------------------------------------------
// VINR
// ---------------------------------------------------------------------------------------------

fn vinr_payment() -> Value {
    json!({
        "id": "pay_1234567890",
        "object": "payment",
        "status": "completed",
        "amount": 1000,
        "currency": "EUR",
        "checkoutUrl": "https://checkout.vinr.com/pay_1234567890",
        "created_at": "2026-04-15T10:30:00Z"
    })
}

fn vinr_webhook_endpoint() -> Value {
    json!({
        "id": "we_1234567890",
        "object": "webhook_endpoint",
        "url": "https://shop.example.com/webhooks/vinr",
        "status": "enabled",
        "enabled_events": ["payment.succeeded"],
        "created": 1776249000,
        "secret": VINR_WEBHOOK_SECRET
    })
}

fn vinr_card_declined() -> Value {
    json!({"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."}})
}

fn vinr_provider() -> Provider<paykit::vinr::Client> {
    Provider {
        name: "VINR",
        client: |_, transport| {
            paykit::vinr::Client::from_transport(transport.auth(Bearer::new(VINR_KEY)).build().expect("transport"))
        },
        bare: paykit::vinr::Client::from_transport,
        before: Vec::new,
    }
}

#[tokio::test]
async fn vinr_shows_no_credential() {
    use paykit::vinr::types::{CreatePaymentRequest, CreateWebhookEndpointRequest};
    use paykit::vinr::{Client, GetPaymentParams};
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let provider = vinr_provider();
    let create_payment = async |c: &Client| {
        c.create_payment(&CreatePaymentRequest::new(1000, "EUR"), Default::default())
            .await
    };
    let create_webhook_endpoint = async |c: &Client| {
        let body = CreateWebhookEndpointRequest::new("https://shop.example.com/webhooks/vinr");
        c.create_webhook_endpoint(&body, Default::default()).await
    };

    provider
        .every_error_kind(
            create_payment,
            Expect::typed(402, vinr_card_declined()),
            &mut shown,
            &mut received,
        )
        .await;

    // Successes: a payment, and the webhook endpoint with its secret (and a session cookie).
    let ok = Reply::json(200, &vinr_payment()).header("Set-Cookie", SESSION_COOKIE);
    let result = provider.against(vec![ok], |t| t, &create_payment, &mut received).await;
    expect_success(&mut shown, "VINR payment", result, &["pay_1234567890", "set-cookie"]);
    let ok = Reply::json(200, &vinr_webhook_endpoint());
    let result = provider
        .against(vec![ok], |t| t, &create_webhook_endpoint, &mut received)
        .await;
    let endpoint = expect_success(
        &mut shown,
        "VINR webhook endpoint",
        result,
        &["we_1234567890", "secret"],
    );
    assert_eq!(endpoint.secret.as_ref().map(|s| s.expose()), Some(VINR_WEBHOOK_SECRET));
    shown.display("VINR webhook secret", endpoint.secret.as_ref().expect("secret"));

    // The webhook secret in a body that does not decode (`created` is not a number).
    let mut broken = vinr_webhook_endpoint();
    broken["created"] = json!("yesterday");
    let result = provider
        .against(
            vec![Reply::json(200, &broken)],
            |t| t,
            &create_webhook_endpoint,
            &mut received,
        )
        .await;
    let error = expect_error(&mut shown, "VINR webhook Decode", result, Kind::Decode, &["200"]);
    assert!(error.was_applied(), "{error:?}");

    // InvalidRequest that would echo a value: a dot-segment id, a header value with a line break.
    let client = (provider.client)(&refused_url(), transport(&refused_url()));
    let result = client.get_payment("..", GetPaymentParams::default()).await;
    expect_error(
        &mut shown,
        "VINR dot segment",
        result,
        Kind::InvalidRequest,
        &["path parameter"],
    );
    let params = paykit::runtime::build!(GetPaymentParams {
        vinr_version: Some(format!("2026-04-15\r\nX-Api-Key: {VINR_KEY}")),
    });
    let result = client.get_payment("pay_1", params).await;
    expect_error(
        &mut shown,
        "VINR header",
        result,
        Kind::InvalidRequest,
        &["Vinr-Version"],
    );

    // Paging: a walk refused before sending (both cursors) names the parameters, not the values.
    let params = paykit::runtime::build!(paykit::vinr::ListPaymentsParams {
        starting_after: Some(format!("pay{MARK}after")),
        ending_before: Some(format!("pay{MARK}before")),
    });
    let result = client.list_payments_pages(params).next().await.expect("an error");
    expect_error(
        &mut shown,
        "VINR both cursors",
        result,
        Kind::Paging,
        &["starting_after", "ending_before"],
    );

    // Clients, transports and hooks, both auth schemes; requests as the hooks authorized them.
    provider.show_client(&mut shown, &client, client.transport());
    let builder = transport("http://127.0.0.1:9").auth(ApiKeyHeader::new("X-Api-Key", VINR_KEY));
    shown.debug("VINR builder", &builder);
    let api_key_client = Client::from_transport(builder.build().expect("transport"));
    provider.show_client(&mut shown, &api_key_client, api_key_client.transport());
    for (label, hook) in [
        ("bearer", Box::new(Bearer::new(VINR_KEY)) as Box<dyn Auth>),
        ("api key", Box::new(ApiKeyHeader::new("X-Api-Key", VINR_KEY))),
    ] {
        shown.debug(&format!("VINR {label} hook"), &hook);
        let request = authorized(
            hook.as_ref(),
            Request::new("getPayment", Method::GET, "/payments/pay_1"),
        )
        .await;
        let all = shown.debug(&format!("VINR request with {label}"), &request);
        assert!(all.contains("getPayment") && all.contains("***"), "{all}");
    }

    assert!(received.len() >= 10, "{} requests", received.len());
    Secrets::new(&[VINR_KEY, VINR_WEBHOOK_SECRET, SESSION_COOKIE]).assert_absent(&shown);
}

/// `createWebhookEndpoint`'s answer holds the webhook `secret`: when it is larger than
/// `max_response_bytes` and arrives chunked (so the start of it was read), `Error::TooLarge`
/// must still keep none of it. (With `Content-Length` nothing is read at all.)
#[tokio::test]
async fn vinr_webhook_secret_stays_out_of_a_too_large_chunked_answer() {
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let provider = vinr_provider();
    let create_webhook_endpoint = async |c: &paykit::vinr::Client| {
        let body = paykit::vinr::types::CreateWebhookEndpointRequest::new("https://shop.example.com/webhooks/vinr");
        c.create_webhook_endpoint(&body, Default::default()).await
    };
    let mut padded = vinr_webhook_endpoint();
    padded["description"] = json!("x".repeat(200));
    for (label, answer) in [
        ("Content-Length", Reply::json(200, &padded)),
        ("chunked", chunked(200, &padded.to_string())),
    ] {
        let result = provider
            .against(
                vec![answer],
                |t| t.max_response_bytes(64),
                &create_webhook_endpoint,
                &mut received,
            )
            .await;
        let label = format!("VINR webhook TooLarge ({label})");
        expect_error(&mut shown, &label, result, Kind::TooLarge, &["200", "64"]);
        Secrets::new(&[VINR_WEBHOOK_SECRET]).assert_absent(&shown);
    }
}

/// A `Transfer-Encoding: chunked` answer with `body` as one chunk (the fault server's added
/// `Content-Length` is ignored: `Transfer-Encoding` wins).
fn chunked(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Transfer-Encoding".into(), "chunked".into()),
        ],
        body: format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len()).into_bytes(),
    }
}

// ---------------------------------------------------------------------------------------------
// Vendreo
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn vendreo_shows_no_credential() {
    use paykit::vendreo::Client;
    use paykit::vendreo::types::{RequestPaymentSchema, RequestPaymentSchemaPaymentType};
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let provider = Provider {
        name: "Vendreo",
        client: |_, transport| Client::from_transport(transport.auth(Bearer::new(VENDREO_SECRET)).build().expect("t")),
        bare: Client::from_transport,
        before: Vec::new,
    };
    let request_payment = async |c: &Client| {
        let body = RequestPaymentSchema::new(
            1999,
            "19899181-5f37-4282-90d1-683e69cf3d05",
            "GBP",
            "Order #325682",
            RequestPaymentSchemaPaymentType::Single,
            "order-1",
            "https://example.org/success",
        );
        c.request_payment(&body).await
    };
    let validation =
        json!({"errors": {"amount": ["The amount field is required."]}, "message": "The given data was invalid."});
    provider
        .every_error_kind(
            request_payment,
            Expect::typed(422, validation),
            &mut shown,
            &mut received,
        )
        .await;

    let ok = Reply::json(
        200,
        &json!({"payment_request_id": "123456", "redirect_url": "https://pay.vendreo.com/p"}),
    )
    .header("Set-Cookie", SESSION_COOKIE);
    let result = provider.against(vec![ok], |t| t, &request_payment, &mut received).await;
    expect_success(&mut shown, "Vendreo success", result, &["123456"]);

    let client = (provider.client)(&refused_url(), transport(&refused_url()));
    let result = client.get_payment("..").await;
    expect_error(
        &mut shown,
        "Vendreo dot segment",
        result,
        Kind::InvalidRequest,
        &["path parameter"],
    );
    provider.show_client(&mut shown, &client, client.transport());
    let hook = Bearer::new(VENDREO_SECRET);
    shown.debug("Vendreo hook", &hook);
    let request = authorized(&hook, Request::new("getPayment", Method::GET, "/v1/payment/p1")).await;
    shown.debug("Vendreo authorized request", &request);

    Secrets::new(&[VENDREO_SECRET, SESSION_COOKIE]).assert_absent(&shown);
}

// ---------------------------------------------------------------------------------------------
// VR pay secure
// ---------------------------------------------------------------------------------------------

fn vrpay_gateway() -> Value {
    json!({"status": "success", "data": [{"id": 4711, "status": "waiting", "amount": 8925, "currency": "CHF"}]})
}

fn vrpay_provider() -> Provider<paykit::vrpay_secure::Client> {
    use paykit::vrpay_secure::{Client, signing::ApiSignature};
    Provider {
        name: "VR pay secure",
        client: |_, transport| {
            let signer = ApiSignature::new(VRPAY_SECRET).expect("signer");
            Client::from_transport(transport.auth(signer).build().expect("transport"), VRPAY_INSTANCE)
        },
        bare: |transport| Client::from_transport(transport, VRPAY_INSTANCE),
        before: Vec::new,
    }
}

#[tokio::test]
async fn vrpay_secure_shows_neither_the_secret_nor_a_signature() {
    use paykit::vrpay_secure::signing::ApiSignature;
    use paykit::vrpay_secure::types::GatewayRequest;
    use paykit::vrpay_secure::{Client, ListTransactionsParams};
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let provider = vrpay_provider();
    // Signed in the query (GET) and in the form body (POST).
    let list = async |c: &Client| {
        let params = paykit::runtime::build!(ListTransactionsParams {
            limit: Some(10),
            filter_datetime_utc_greater_than: Some("2026-01-01 00:00:00".into()),
        });
        c.list_transactions(params).await
    };
    let create = async |c: &Client| {
        let mut body = GatewayRequest::new(8925, "CHF");
        body.reference_id = Some("ORD-1".into());
        c.create_gateway(&body).await
    };
    let error = json!({"status": "error", "message": "The ApiSignature is invalid."});
    // Undocumented statuses are the spec's `default` error: a text body does not decode.
    let expect = || Expect {
        documented: Some((401, error.clone())),
        undocumented: Kind::Decode,
        redirect: Kind::Decode,
        refused: Kind::Transport,
    };
    provider
        .every_error_kind(list, expect(), &mut shown, &mut received)
        .await;
    provider
        .every_error_kind(create, expect(), &mut shown, &mut received)
        .await;

    let ok = Reply::json(200, &vrpay_gateway()).header("Set-Cookie", SESSION_COOKIE);
    let result = provider.against(vec![ok], |t| t, &create, &mut received).await;
    expect_success(&mut shown, "VR pay gateway", result, &["4711"]);
    let get = async |c: &Client| c.get_gateway(4711).await;
    let result = provider
        .against(vec![Reply::json(200, &vrpay_gateway())], |t| t, &get, &mut received)
        .await;
    expect_success(&mut shown, "VR pay get gateway", result, &["4711"]);

    let client = (provider.client)(&refused_url(), transport(&refused_url()));
    provider.show_client(&mut shown, &client, client.transport());
    let signer = ApiSignature::new(VRPAY_SECRET).expect("signer");
    shown.debug("VR pay hook", &signer);
    let mut signed_here = Vec::new();
    let mut get = Request::new("listTransactions", Method::GET, "/Transaction/");
    get.query("instance", VRPAY_INSTANCE);
    get.query("limit", 10);
    let get = authorized(&signer, get).await;
    signed_here.extend(
        get.query
            .iter()
            .filter(|(n, _)| n == "ApiSignature")
            .map(|(_, v)| v.clone()),
    );
    let all = shown.debug("VR pay signed GET", &get);
    assert!(
        all.contains("ApiSignature") && all.contains("listTransactions"),
        "{all}"
    );
    let mut post = Request::new("createGateway", Method::POST, "/Gateway/");
    post.body = Body::Form(vec![
        ("amount".into(), "8925".into()),
        ("currency".into(), "CHF".into()),
    ]);
    let post = authorized(&signer, post).await;
    let Body::EncodedForm(encoded) = &post.body else {
        panic!("the signer sends the form it signed: {post:?}");
    };
    signed_here.extend(signatures_in(encoded.as_bytes()));
    let all = shown.debug("VR pay signed POST", &post);
    assert!(all.contains("EncodedForm") && all.contains("createGateway"), "{all}");

    let mut secrets = Secrets::new(&[VRPAY_SECRET, SESSION_COOKIE]);
    let sent = signatures(&received);
    assert!(sent.len() >= 10, "signatures sent: {sent:?}");
    assert_eq!(signed_here.len(), 2, "{signed_here:?}");
    for signature in sent.iter().chain(&signed_here) {
        secrets.add_signature(signature);
    }
    secrets.assert_absent(&shown);
}

// ---------------------------------------------------------------------------------------------
// V-Pay
// ---------------------------------------------------------------------------------------------

fn vpay_token(access: &str) -> Value {
    json!({"access": access, "refresh": VPAY_REFRESH, "mode": "sandbox", "expires_in": "300.0 seconds"})
}

fn vpay_error(code: &str) -> Value {
    json!({"status": "error", "error_code": code, "message": "Refused."})
}

fn vpay_pending() -> Value {
    json!({"status": "PENNDING", "transaction_id": "VP86583387", "payment_url": "https://vonsung.rw/api/checkout/1"})
}

fn vpay_payment() -> paykit::vpay::types::InitiatePaymentRequest {
    use paykit::vpay::types::{InitiatePaymentRequest, PaymentMethod};
    InitiatePaymentRequest::new(1500, "RWF", "0790000000", "TXN_TDTAGD1HFJS", PaymentMethod::Mtnrw)
}

/// The V-Pay client for `url`, its tokens fetched from there too.
fn vpay_client(url: &str, payments: TransportBuilder) -> paykit::vpay::Client {
    let auth = paykit::vpay::token::TokenAuth::with_transport(transport(url), VPAY_USER, VPAY_KEY).expect("auth");
    paykit::vpay::Client::from_transport(payments.auth(auth).build().expect("transport"))
}

fn vpay_provider(name: &'static str, before: fn() -> Vec<Reply>) -> Provider<paykit::vpay::Client> {
    Provider {
        name,
        client: vpay_client,
        bare: paykit::vpay::Client::from_transport,
        before,
    }
}

fn vpay_secrets() -> Secrets {
    Secrets::new(&[
        VPAY_USER,
        VPAY_KEY,
        VPAY_ACCESS,
        VPAY_REFRESH,
        VPAY_ACCESS_RENEWED,
        SESSION_COOKIE,
    ])
}

#[tokio::test]
async fn vpay_shows_neither_credentials_nor_tokens() {
    use paykit::vpay::Client;
    use paykit::vpay::token::TokenAuth;
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let token = || vec![Reply::json(200, &vpay_token(VPAY_ACCESS)).header("Set-Cookie", SESSION_COOKIE)];
    let payments = vpay_provider("V-Pay", token);
    let issuer = vpay_provider("V-Pay /auth/", Vec::new);
    let initiate = async |c: &Client| c.initiate_payment(&vpay_payment()).await;
    let generate = async |c: &Client| c.generate_access_token().await;

    // A payment call fails every way once it has a token; without a server the token is what fails.
    let expect = Expect {
        refused: Kind::Auth,
        ..Expect::typed(409, vpay_error("DUPLICATE_REFERENCE"))
    };
    payments
        .every_error_kind(initiate, expect, &mut shown, &mut received)
        .await;
    issuer
        .every_error_kind(
            generate,
            Expect::typed(401, vpay_error("INVALID_KEY")),
            &mut shown,
            &mut received,
        )
        .await;

    // Successes: the token itself, then a payment with a cached token.
    let result = issuer
        .against(
            vec![Reply::json(200, &vpay_token(VPAY_ACCESS))],
            |t| t,
            &generate,
            &mut received,
        )
        .await;
    let issued = expect_success(&mut shown, "V-Pay token", result, &["access", "refresh", "Secret"]);
    assert_eq!(issued.access.expose(), VPAY_ACCESS);
    shown.display("V-Pay access token", &issued.access);
    let server = FaultServer::start(vec![
        Reply::json(200, &vpay_token(VPAY_ACCESS)),
        Reply::json(200, &vpay_pending()),
        // A 401 renews the token once; the resend is refused again.
        Reply::json(401, &vpay_error("INVALID_KEY")),
        Reply::json(200, &vpay_token(VPAY_ACCESS_RENEWED)),
        Reply::json(401, &vpay_error("INVALID_KEY")),
    ])
    .await;
    let client = vpay_client(&server.url(), transport(&server.url()));
    let result = client.initiate_payment(&vpay_payment()).await;
    expect_success(&mut shown, "V-Pay payment", result, &["VP86583387"]);
    payments.show_client(&mut shown, &client, client.transport());
    let result = client.initiate_payment(&vpay_payment()).await;
    let error = expect_error(&mut shown, "V-Pay 401 after renewal", result, Kind::Api, &["401"]);
    assert_eq!(error.attempts(), Some(2), "{error:?}");
    payments.show_client(&mut shown, &client, client.transport());
    received.extend(server.received());

    // Token answers with the token that do not decode: withheld from `Decode` when asked for
    // directly, reduced to `Auth` (or `InvalidRequest`) when a payment needed the token.
    // `direct`: what `generateAccessToken` gives (`None`: a success); `flow`: what a payment gives.
    for (label, answer, direct, flow) in [
        (
            "missing access",
            json!({"refresh": VPAY_REFRESH, "mode": "sandbox"}),
            Some(Kind::Decode),
            Kind::Auth,
        ),
        (
            "access in an array",
            json!({"access": [VPAY_ACCESS], "refresh": VPAY_REFRESH}),
            Some(Kind::Decode),
            Kind::Auth,
        ),
        (
            "lifetime of the wrong type",
            json!({"access": VPAY_ACCESS, "refresh": VPAY_REFRESH, "expires_in": [VPAY_ACCESS]}),
            Some(Kind::Decode),
            Kind::Auth,
        ),
        (
            "a token no header can carry",
            json!({"access": format!("{VPAY_ACCESS}\r\nX-Leak: 1"), "refresh": VPAY_REFRESH}),
            None,
            Kind::InvalidRequest,
        ),
    ] {
        let result = issuer
            .against(vec![Reply::json(200, &answer)], |t| t, &generate, &mut received)
            .await;
        let label = format!("V-Pay token, {label}");
        match direct {
            None => {
                expect_success(&mut shown, &label, result, &["Secret"]);
            }
            Some(kind) => {
                let error = expect_error(&mut shown, &label, result, kind, &["200"]);
                assert!(error.was_applied(), "{error:?}");
            }
        }
        let answers = vec![Reply::json(200, &answer), Reply::json(200, &vpay_pending())];
        let result = issuer.against(answers, |t| t, &initiate, &mut received).await;
        expect_error(&mut shown, &format!("{label}, behind a payment"), result, flow, &[]);
    }
    // A refused token request, and one too large to read, behind a payment.
    let result = issuer
        .against(
            vec![Reply::json(401, &vpay_error("INVALID_KEY"))],
            |t| t,
            &initiate,
            &mut received,
        )
        .await;
    expect_error(
        &mut shown,
        "V-Pay payment, token refused",
        result,
        Kind::Auth,
        &["token", "401"],
    );
    let auth = TokenAuth::with_transport(
        transport("http://127.0.0.1:9").max_response_bytes(64),
        VPAY_USER,
        VPAY_KEY,
    )
    .expect("auth");
    shown.debug("V-Pay hook", &auth);
    let server = FaultServer::start(vec![chunked(200, &vpay_token(VPAY_ACCESS).to_string())]).await;
    let small =
        TokenAuth::with_transport(transport(&server.url()).max_response_bytes(64), VPAY_USER, VPAY_KEY).expect("auth");
    let client = Client::from_transport(transport(&server.url()).auth(small).build().expect("transport"));
    let result = client.initiate_payment(&vpay_payment()).await;
    expect_error(
        &mut shown,
        "V-Pay payment, token too large",
        result,
        Kind::Auth,
        &["64"],
    );
    received.extend(server.received());

    // The hook before and after it holds a token, and a request it authorized.
    let server = FaultServer::start(vec![Reply::json(200, &vpay_token(VPAY_ACCESS))]).await;
    let hook = TokenAuth::with_transport(transport(&server.url()), VPAY_USER, VPAY_KEY).expect("auth");
    shown.debug("V-Pay hook, no token", &hook);
    let request = authorized(&hook, Request::new("initiatePayment", Method::POST, "/pay/")).await;
    let all = shown.debug("V-Pay authorized request", &request);
    assert!(
        all.contains("apiUser") && all.contains("Authorization") && all.contains("***"),
        "{all}"
    );
    shown.debug("V-Pay hook, token cached", &hook);
    received.extend(server.received());

    // The credentials really went out: the check above is about output, not about the wire.
    assert!(
        received.iter().any(|r| r.header("apiKey") == Some(VPAY_KEY)),
        "no request carried the API key"
    );
    vpay_secrets().assert_absent(&shown);
}

/// A token answer larger than `max_response_bytes` that arrives chunked becomes `Error::TooLarge`
/// after its start was read: the error must keep none of the access or refresh token.
#[tokio::test]
async fn vpay_token_stays_out_of_a_too_large_chunked_answer() {
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let issuer = vpay_provider("V-Pay /auth/", Vec::new);
    let generate = async |c: &paykit::vpay::Client| c.generate_access_token().await;
    let mut padded = vpay_token(VPAY_ACCESS);
    padded["mode"] = json!("x".repeat(200));
    for (label, answer) in [
        ("Content-Length", Reply::json(200, &padded)),
        ("chunked", chunked(200, &padded.to_string())),
    ] {
        let result = issuer
            .against(vec![answer], |t| t.max_response_bytes(64), &generate, &mut received)
            .await;
        let label = format!("V-Pay token TooLarge ({label})");
        expect_error(&mut shown, &label, result, Kind::TooLarge, &["200", "64"]);
        vpay_secrets().assert_absent(&shown);
    }
}

// ---------------------------------------------------------------------------------------------
// PayRequest
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn payrequest_shows_no_token() {
    use paykit::payrequest::Client;
    use paykit::payrequest::types::{CreatePaymentRequestBody, RetrievePaymentBody};
    let (mut shown, mut received) = (Shown::default(), Vec::new());
    let provider = Provider {
        name: "PayRequest",
        client: |_, transport| Client::from_transport(transport.build().expect("transport")),
        bare: Client::from_transport,
        before: Vec::new,
    };
    let retrieve = async |c: &Client| {
        c.retrieve_payment(&RetrievePaymentBody::new(PAYREQUEST_TOKEN, "PR-1"))
            .await
    };
    let create = async |c: &Client| {
        c.create_payment_request(&CreatePaymentRequestBody::new(PAYREQUEST_TOKEN, "Invoice 1", "12,25"))
            .await
    };
    // No error status is documented: errors come inside a 200.
    provider
        .every_error_kind(retrieve, Expect::untyped(), &mut shown, &mut received)
        .await;
    provider
        .every_error_kind(create, Expect::untyped(), &mut shown, &mut received)
        .await;

    let answers = [
        json!({"status": "paid"}),
        json!({"status": "error", "error": "novalidtoken"}),
        json!({"status": "error", "error": "unknown", "realerror": "upstream down"}),
    ];
    for answer in answers {
        let result = provider
            .against(vec![Reply::json(200, &answer)], |t| t, &retrieve, &mut received)
            .await;
        expect_success(&mut shown, "PayRequest retrieve", result, &["200"]);
    }
    let ok = Reply::json(
        200,
        &json!({"status": "success", "url": "https://link.payrequest.io/630ep3t"}),
    );
    let result = provider.against(vec![ok], |t| t, &create, &mut received).await;
    expect_success(&mut shown, "PayRequest create", result, &["630ep3t"]);

    let body = CreatePaymentRequestBody::new(PAYREQUEST_TOKEN, "Invoice 1", "12,25");
    let all = shown.debug("PayRequest body", &body);
    assert!(all.contains("Invoice 1"), "{all}");
    let client = (provider.client)(&refused_url(), transport(&refused_url()));
    provider.show_client(&mut shown, &client, client.transport());

    assert!(
        received
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains(PAYREQUEST_TOKEN)),
        "the token travels in the body"
    );
    Secrets::new(&[PAYREQUEST_TOKEN, SESSION_COOKIE]).assert_absent(&shown);
}

// ---------------------------------------------------------------------------------------------
// Tracing
// ---------------------------------------------------------------------------------------------

/// Writes into a shared buffer, or nowhere.
struct Capture(Option<Arc<Mutex<Vec<u8>>>>);

impl io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(buffer) = &self.0 {
            buffer.lock().expect("capture buffer").extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Marks values sent in a query, sent in a body, and received in a body.
const QUERY_VALUE: &str = "QUERYVALUE";
const BODY_VALUE: &str = "BODYVALUE";
const RESPONSE_VALUE: &str = "RESPONSEVALUE";

/// The subscriber is the process-wide default, writing only what this test's thread emits (the
/// current-thread runtime runs the fault servers and every connection task there too). A scoped
/// `set_default` is not enough in a test binary: while it is the only dispatcher registered,
/// tracing caches a callsite's interest from whichever thread reaches it first, and another test's
/// thread (with no subscriber) would switch the runtime's span and events off for this one.
#[tokio::test]
async fn tracing_names_operations_and_paths_but_no_value() {
    let here = std::thread::current().id();
    let capturing = Arc::new(AtomicBool::new(true));
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let (sink, on) = (Arc::clone(&buffer), Arc::clone(&capturing));
    tracing_subscriber::fmt()
        .with_max_level(LevelFilter::TRACE)
        .with_ansi(false)
        .with_writer(move || {
            let mine = std::thread::current().id() == here && on.load(Ordering::SeqCst);
            Capture(mine.then(|| Arc::clone(&sink)))
        })
        .finish()
        .try_init()
        .expect("no other test sets a global subscriber");
    let mut received = Vec::new();
    let answer = |extra: Value| {
        let mut body = json!({"note": format!("{RESPONSE_VALUE} {VINR_WEBHOOK_SECRET}")});
        if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
            body.extend(extra);
        }
        Reply::json(200, &body).header("Set-Cookie", SESSION_COOKIE)
    };

    // VINR: a payment (body), a list (query), an error answer, a refused connection.
    {
        use paykit::vinr::types::CreatePaymentRequest;
        use paykit::vinr::{Client, ListPaymentsParams};
        let server = FaultServer::start(vec![
            answer(vinr_payment()),
            Reply::json(
                429,
                &json!({"error": {"type": "rate_limit", "message": RESPONSE_VALUE}}),
            ),
        ])
        .await;
        let client = Client::from_transport(transport(&server.url()).auth(Bearer::new(VINR_KEY)).build().expect("t"));
        let mut body = CreatePaymentRequest::new(1000, "EUR");
        body.description = Some(format!("{BODY_VALUE} order 1042"));
        client.create_payment(&body, Default::default()).await.expect("payment");
        let params = paykit::runtime::build!(ListPaymentsParams {
            customer: Some(format!("cust_{QUERY_VALUE}_42")),
        });
        client.list_payments(params).await.expect_err("429");
        let offline = Client::from_transport(
            transport(&refused_url())
                .auth(Bearer::new(VINR_KEY))
                .build()
                .expect("t"),
        );
        offline
            .get_payment("pay_1", Default::default())
            .await
            .expect_err("refused");
        received.extend(server.received());
    }
    // Vendreo: a payment request.
    {
        use paykit::vendreo::Client;
        use paykit::vendreo::types::{RequestPaymentSchema, RequestPaymentSchemaPaymentType};
        let server = FaultServer::start(vec![answer(json!({"payment_request_id": "123456"}))]).await;
        let client = Client::from_transport(
            transport(&server.url())
                .auth(Bearer::new(VENDREO_SECRET))
                .build()
                .expect("t"),
        );
        let body = RequestPaymentSchema::new(
            1999,
            "19899181-5f37-4282-90d1-683e69cf3d05",
            "GBP",
            format!("{BODY_VALUE} order"),
            RequestPaymentSchemaPaymentType::Single,
            "order-1",
            "https://example.org/success",
        );
        client.request_payment(&body).await.expect("payment request");
        received.extend(server.received());
    }
    // VR pay secure: a GET signed in the query, one reset, a POST signed in the body refused.
    {
        use paykit::vrpay_secure::ListTransactionsParams;
        use paykit::vrpay_secure::types::GatewayRequest;
        let server = FaultServer::start(vec![
            answer(vrpay_gateway()),
            Reply::Reset,
            Reply::json(401, &json!({"status": "error", "message": RESPONSE_VALUE})),
        ])
        .await;
        let client = (vrpay_provider().client)(&server.url(), transport(&server.url()));
        client.get_gateway(4711).await.expect("gateway");
        let params = paykit::runtime::build!(ListTransactionsParams {
            filter_datetime_utc_greater_than: Some(format!("{QUERY_VALUE} 2026")),
        });
        client.list_transactions(params).await.expect_err("reset");
        let mut body = GatewayRequest::new(8925, "CHF");
        body.reference_id = Some(format!("{BODY_VALUE}-ORD-1"));
        client.create_gateway(&body).await.expect_err("401");
        received.extend(server.received());
    }
    // V-Pay: the token, a payment, a status by query.
    {
        let server = FaultServer::start(vec![
            Reply::json(200, &vpay_token(VPAY_ACCESS)),
            answer(vpay_pending()),
            answer(vpay_pending()),
        ])
        .await;
        let client = vpay_client(&server.url(), transport(&server.url()));
        let mut body = vpay_payment();
        body.external_id = format!("TXN_{BODY_VALUE}");
        client.initiate_payment(&body).await.expect("payment");
        client
            .get_transaction_status(&format!("VP_{QUERY_VALUE}"))
            .await
            .expect("status");
        received.extend(server.received());
    }
    // PayRequest: the token and the id in the body.
    {
        use paykit::payrequest::Client;
        use paykit::payrequest::types::RetrievePaymentBody;
        let server = FaultServer::start(vec![answer(json!({"status": "paid"}))]).await;
        let client = Client::from_transport(transport(&server.url()).build().expect("t"));
        let body = RetrievePaymentBody::new(PAYREQUEST_TOKEN, format!("PR-{BODY_VALUE}"));
        client.retrieve_payment(&body).await.expect("payment");
        received.extend(server.received());
    }
    // A credential as a path parameter (`format: password` in a path): the template is traced.
    {
        let server = FaultServer::start(vec![answer(json!({}))]).await;
        let transport = transport(&server.url()).build().expect("t");
        let request =
            Request::new("getByToken", Method::GET, format!("/tokens/{PATH_SECRET}")).path_template("/tokens/{token}");
        assert!(format!("{request:?}").contains("/tokens/{token}"));
        transport.execute(request).await.expect("answer");
        let sent = server.received();
        assert_eq!(sent[0].target, format!("/tokens/{PATH_SECRET}"), "the value is sent");
        received.extend(sent);
    }
    capturing.store(false, Ordering::SeqCst);

    let output = String::from_utf8_lossy(&buffer.lock().expect("capture buffer")).into_owned();
    for (operation, path) in [
        ("createPayment", "/payments"),
        ("listPayments", "/payments"),
        ("getPayment", "/payments/{id}"),
        ("requestPayment", "/v1/request-payment"),
        ("getGateway", "/Gateway/{id}/"),
        ("getByToken", "/tokens/{token}"),
        ("listTransactions", "/Transaction/"),
        ("createGateway", "/Gateway/"),
        ("generateAccessToken", "/auth/"),
        ("initiatePayment", "/pay/"),
        ("getTransactionStatus", "/transaction/status/"),
        ("retrievePayment", "/api/get/"),
    ] {
        let named = output
            .lines()
            .any(|line| line.contains(operation) && line.contains(&format!("path={path}")));
        assert!(named, "no line names {operation} with path={path}:\n{output}");
    }
    for status in ["status=200", "status=401", "status=429"] {
        assert!(output.contains(status), "no {status}:\n{output}");
    }

    let mut secrets = Secrets::new(&[
        VINR_KEY,
        VINR_WEBHOOK_SECRET,
        VENDREO_SECRET,
        VRPAY_SECRET,
        VPAY_USER,
        VPAY_KEY,
        VPAY_ACCESS,
        VPAY_REFRESH,
        PAYREQUEST_TOKEN,
        PATH_SECRET,
        SESSION_COOKIE,
        QUERY_VALUE,
        BODY_VALUE,
        RESPONSE_VALUE,
        "instance=",
        "ApiSignature=",
    ]);
    let sent = signatures(&received);
    assert_eq!(sent.len(), 3, "VR pay signatures sent: {sent:?}");
    for signature in &sent {
        secrets.add_signature(signature);
    }
    secrets.assert_absent(&Shown(vec![("tracing output".into(), output)]));
}
