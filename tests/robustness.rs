//! Hostile network, property-tested: every generated client (VINR, Vendreo, VR pay secure, V-Pay,
//! PayRequest) is answered by the scripted fault server with generated responses, and every call
//! must come back (no panic, no hang) with exactly the outcome the answer calls for.
//!
//! Answers are arbitrary bytes, a documented JSON body cut at a random byte, a documented body with
//! one value replaced by another type, a documented body with an out-of-range number (`1e400`,
//! `18446744073709551616`, …), or the documented body itself; with random statuses (3xx with a
//! `Location`), random header values (garbage `Retry-After` and `X-RateLimit-Reset` included),
//! chunked, short and invalid framing, and sometimes a small response size limit. The operations
//! cover every response shape the clients have: plain JSON, VR pay's `{"status", "data": [...]}`
//! envelope, V-Pay's token flow and its errors on HTTP 200, PayRequest's 200-error bodies,
//! documented error statuses with typed bodies, and bodies that hold credentials.
//!
//! The expected outcome is computed independently: `Ok` only for a 2xx whose body decodes as the
//! documented type; otherwise `Decode`, `Api`, `UnexpectedStatus` or `TooLarge` carrying that status
//! and the raw body as received (withheld for credential bodies), or `Transport` when no complete
//! response could arrive. Clients never retry here (`RetryPolicy::never()`): one request per call,
//! plus V-Pay's token request and its one resend after a 401. V-Pay's token answer is fuzzed on
//! its own as well.

mod support;

use std::fmt::Debug;
use std::time::Duration;

use paykit::runtime::{Bearer, Error, ResponseValue, RetryPolicy, Transport, TransportBuilder};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use support::fault::{FaultServer, Reply};

/// Generated cases per test.
const CASES: u32 = 48;
/// A transport's time limit; only reached when no final answer ever comes (a `1xx` and nothing after).
const CLIENT_TIMEOUT: Duration = Duration::from_secs(3);
/// Real time a whole case may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(10);
/// How much of an oversized body `Error::TooLarge` keeps at most.
const TOO_LARGE_PREFIX: usize = 4 * 1024;

const VINR_KEY: &str = "sk_test_robustness";
const VENDREO_SECRET: &str = "test-application-secret";
const VENDREO_APP_KEY: &str = "19899181-5f37-4282-90d1-683e69cf3d05";
const VRPAY_SECRET: &str = "example-api-secret";
const VPAY_USER: &str = "vpay_sandbox_merchant42";
const VPAY_KEY: &str = "sk_sandbox_7f3c9a1e5b2d4680";
const PAYREQUEST_TOKEN: &str = "spJA4nChfSPDRSkD-Znb6iw-2WGkDR37GyxZ-GZomUo";

// ---------------------------------------------------------------------------------------------
// What the server answers
// ---------------------------------------------------------------------------------------------

/// How the body is delimited on the wire.
#[derive(Clone, Debug)]
enum Framing {
    /// `Content-Length` of the body.
    Length,
    /// `Transfer-Encoding: chunked`, no usable length up front.
    Chunked,
    /// A `Content-Length` shorter than the body: the client reads only that much.
    Short(Index),
    /// A `Content-Length` that is not a length: no response can be read.
    Invalid(&'static str),
}

/// One generated answer, and the size limit of the client that receives it.
#[derive(Clone, Debug)]
struct Served {
    status: u16,
    headers: Vec<(String, String)>,
    /// Sent as `Location` (3xx only).
    location: Option<String>,
    body: Vec<u8>,
    framing: Framing,
    /// The client's `max_response_bytes`; `None` for the default.
    limit: Option<usize>,
}

/// What reaches the client, as HTTP defines it.
enum Seen {
    /// A complete response.
    Response { status: u16, body: Vec<u8> },
    /// No response can be read.
    Nothing,
    /// An informational status: hyper waits for a final answer that may never come, or reads the
    /// body as one. Anything but a panic or a hang will do.
    Anything,
}

impl Served {
    fn reply(&self) -> Reply {
        let mut headers = self.headers.clone();
        if let Some(location) = &self.location {
            headers.push(("Location".to_owned(), location.clone()));
        }
        let body = match &self.framing {
            Framing::Length => self.body.clone(),
            Framing::Chunked => {
                headers.push(("Transfer-Encoding".to_owned(), "chunked".to_owned()));
                chunked(&self.body)
            }
            Framing::Short(cut) => {
                headers.push(("Content-Length".to_owned(), self.short_length(cut).to_string()));
                self.body.clone()
            }
            Framing::Invalid(length) => {
                headers.push(("Content-Length".to_owned(), (*length).to_owned()));
                self.body.clone()
            }
        };
        Reply::Respond {
            status: self.status,
            headers,
            body,
        }
    }

    fn short_length(&self, cut: &Index) -> usize {
        if self.body.is_empty() {
            0
        } else {
            cut.index(self.body.len())
        }
    }

    fn seen(&self) -> Seen {
        if (100..200).contains(&self.status) {
            return Seen::Anything;
        }
        // 204 and 304 have no body, whatever the headers say.
        if matches!(self.status, 204 | 304) {
            return Seen::Response {
                status: self.status,
                body: Vec::new(),
            };
        }
        let body = match &self.framing {
            Framing::Length | Framing::Chunked => self.body.clone(),
            Framing::Short(cut) => self.body[..self.short_length(cut)].to_vec(),
            Framing::Invalid(_) => return Seen::Nothing,
        };
        Seen::Response {
            status: self.status,
            body,
        }
    }

    fn limit(&self) -> usize {
        self.limit.unwrap_or(usize::MAX)
    }
}

/// `body` as `Transfer-Encoding: chunked`, in chunks of up to 64 bytes.
fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(64) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

const HEADER_NAMES: &[&str] = &[
    "Retry-After",
    "X-RateLimit-Reset",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "RateLimit-Reset",
    "Content-Type",
    "Set-Cookie",
    "X-Request-Id",
    "Content-Encoding",
    "Connection",
    "Date",
    "WWW-Authenticate",
    "Authorization",
    "Vary",
];

/// Header values that look almost right to a parser.
const GARBAGE: &[&str] = &[
    "",
    "-1",
    "0",
    "1e3",
    " 5 ",
    "1.5",
    "NaN",
    "soon",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "close",
    "keep-alive",
    "chunked",
    "gzip",
    "application/json; charset=utf-8",
    "text/html",
];

/// `Content-Length` values that are not a length.
const INVALID_LENGTHS: &[&str] = &["", "-1", "abc", "1.5", "0x10", "1, 2", "+5", "18446744073709551616"];

/// Numbers no payment field can hold.
const HUGE: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "1E+308",
    "4.9e-324",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775808",
    "340282366920938463463374607431768211456",
    "123456789012345678901234567890.5",
];

/// Stands in a value until it is replaced by a raw number.
const HUGE_MARK: &str = "\"@@huge-number@@\"";

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => Just(201u16),
        1 => Just(202u16),
        1 => Just(204u16),
        2 => 300u16..=308,
        3 => select(vec![400u16, 401, 402, 403, 404, 409, 422, 429, 500, 502]),
        2 => 400u16..=499,
        2 => 500u16..=599,
        1 => 100u16..=599,
    ]
}

/// Any valid header-value bytes: tab, visible ASCII, space, obs-text (as UTF-8 of U+0080..U+00FF).
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        select(GARBAGE).prop_map(str::to_owned),
        r"[\t\x20-\x7E\x{80}-\x{FF}]{0,40}",
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    vec((select(HEADER_NAMES).prop_map(str::to_owned), header_value()), 0..5)
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        6 => Just(Framing::Length),
        2 => Just(Framing::Chunked),
        1 => any::<Index>().prop_map(Framing::Short),
        1 => select(INVALID_LENGTHS).prop_map(Framing::Invalid),
    ]
}

fn limit() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![4 => Just(None), 1 => (16usize..200).prop_map(Some)]
}

/// A JSON value, to put where another type is documented.
fn wrong_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        r"\PC{0,20}".prop_map(Value::String),
        r"[\x00-\x7F]{0,12}".prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        Just(json!([])),
        Just(json!([1, "x", null])),
        Just(json!({})),
        Just(json!({"a": {"b": []}})),
    ]
}

/// A body made from the operation's documented JSON `samples`, or from nothing.
fn body(samples: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    let sample = select(samples);
    prop_oneof![
        2 => vec(any::<u8>(), 0..160),
        2 => sample.clone().prop_map(|v| v.to_string().into_bytes()),
        3 => (sample.clone(), any::<Index>()).prop_map(|(v, cut)| {
            let bytes = v.to_string().into_bytes();
            bytes[..cut.index(bytes.len())].to_vec()
        }),
        3 => (sample.clone(), any::<Index>(), wrong_value()).prop_map(|(v, at, new)| {
            replace_at(v, &at, new, false).to_string().into_bytes()
        }),
        2 => (sample, any::<Index>(), select(HUGE)).prop_map(|(v, at, huge)| {
            let marked = replace_at(v, &at, Value::String(HUGE_MARK.trim_matches('"').to_owned()), true);
            marked.to_string().replacen(HUGE_MARK, huge, 1).into_bytes()
        }),
    ]
}

/// `value` with the node `at` (numbers only when `numbers` and there are any) replaced by `new`.
fn replace_at(mut value: Value, at: &Index, new: Value, numbers: bool) -> Value {
    let mut all = Vec::new();
    pointers(&value, String::new(), &mut all);
    let numeric: Vec<String> = all
        .iter()
        .filter(|p| value.pointer(p).is_some_and(Value::is_number))
        .cloned()
        .collect();
    let candidates = if numbers && !numeric.is_empty() { numeric } else { all };
    let pointer = at.get(&candidates);
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = new;
    }
    value
}

/// The JSON pointer of every node of `value`, itself included.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{here}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// An operation's documented bodies, and the statuses its error bodies come with.
struct Samples {
    success: Vec<Value>,
    errors: Vec<Value>,
    error_statuses: Vec<u16>,
}

/// A documented body as it is, or broken.
fn documented(samples: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => select(samples.clone()).prop_map(|v| v.to_string().into_bytes()),
        2 => body(samples),
    ]
}

/// An answer: half the time a documented body (or a broken one) with a status that goes with it,
/// otherwise any body with any status.
fn served(samples: Samples) -> impl Strategy<Value = Served> {
    let all: Vec<Value> = samples.success.iter().chain(&samples.errors).cloned().collect();
    let status_and_body = prop_oneof![
        2 => (select(vec![200u16, 200, 201]), documented(samples.success)),
        2 => (select(samples.error_statuses), documented(samples.errors)),
        4 => (status(), body(all)),
    ];
    (status_and_body, headers(), "[!-~]{1,40}", framing(), limit()).prop_map(
        |((status, body), headers, location, framing, limit)| Served {
            status,
            headers,
            location: (300..400).contains(&status).then_some(location),
            body,
            framing,
            limit,
        },
    )
}

/// One of `ops`, and an answer made from that operation's documented bodies.
fn op_and_answer<Op: Clone + Debug + 'static>(
    ops: Vec<Op>,
    samples: fn(&Op) -> Samples,
) -> impl Strategy<Value = (Op, Served)> {
    select(ops).prop_flat_map(move |op| {
        let answer = served(samples(&op));
        (Just(op), answer)
    })
}

// ---------------------------------------------------------------------------------------------
// Running cases and checking outcomes
// ---------------------------------------------------------------------------------------------

/// Runs `CASES` cases of `strategy` on one current-thread runtime; a case that does not finish
/// within [`HANG`] fails.
fn run<S: Strategy>(name: &str, strategy: S, case: impl AsyncFn(S::Value) -> Result<(), TestCaseError>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |value| {
        runtime.block_on(async {
            match tokio::time::timeout(HANG, case(value)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(TestCaseError::fail(format!(
                    "no outcome within {HANG:?}: the call hung"
                ))),
            }
        })
    });
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
}

/// A transport to `url` that sends every request once, with `limit` as its size limit.
fn transport(url: &str, limit: Option<usize>) -> TransportBuilder {
    let builder = Transport::builder(url)
        .retry(RetryPolicy::never())
        .timeout(CLIENT_TIMEOUT);
    match limit {
        Some(limit) => builder.max_response_bytes(limit),
        None => builder,
    }
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

/// A call's outcome, reduced to what can be checked.
#[derive(Debug)]
enum Got {
    Ok {
        status: u16,
        attempts: u32,
    },
    Err {
        kind: Kind,
        status: Option<u16>,
        raw: Option<String>,
        attempts: Option<u32>,
        redirect: Option<String>,
        applied: bool,
        unknown: bool,
        /// `Display` with its source chain.
        message: String,
    },
}

/// Reduces a result, formatting it every way on the way (formatting must not panic either).
fn got<T: Debug, E: Debug>(result: Result<ResponseValue<T>, Error<E>>) -> Got {
    let error = match result {
        Ok(value) => {
            let _ = format!("{value:?} {value:#?}");
            return Got::Ok {
                status: value.status().as_u16(),
                attempts: value.attempts(),
            };
        }
        Err(error) => error,
    };
    let _ = format!("{error:?} {error:#?}");
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let kind = match &error {
        Error::Api(_) => Kind::Api,
        Error::UnexpectedStatus(_) => Kind::UnexpectedStatus,
        Error::Decode { .. } => Kind::Decode,
        Error::TooLarge { .. } => Kind::TooLarge,
        Error::Transport(_) => Kind::Transport,
        Error::Auth(_) => Kind::Auth,
        Error::InvalidRequest(_) => Kind::InvalidRequest,
        Error::Paging(_) => Kind::Paging,
    };
    Got::Err {
        kind,
        status: error.status().map(|s| s.as_u16()),
        raw: error.raw_body().map(str::to_owned),
        attempts: error.attempts(),
        redirect: error.redirect_location().map(str::to_owned),
        applied: error.was_applied(),
        unknown: error.is_outcome_unknown(),
        message,
    }
}

/// What an operation documents.
struct Spec {
    /// Error statuses with a typed body.
    documented: &'static [u16],
    /// Every other non-2xx status is the spec's `default` error (VR pay secure).
    default_error: bool,
    /// The success body holds credentials: an error must not keep it.
    sensitive: bool,
    /// Whether a success body decodes as documented.
    ok: fn(&[u8]) -> bool,
    /// Whether an error body decodes as documented.
    err: fn(&[u8]) -> bool,
}

fn decodes<T: DeserializeOwned>(body: &[u8]) -> bool {
    serde_json::from_slice::<T>(body).is_ok()
}

/// VR pay secure's envelope: the value at `pointer` decodes as `T`.
fn decodes_at<T: DeserializeOwned>(body: &[u8], pointer: &str) -> bool {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|mut envelope| envelope.pointer_mut(pointer).map(Value::take))
        .is_some_and(|value| serde_json::from_value::<T>(value).is_ok())
}

fn never(_: &[u8]) -> bool {
    false
}

fn lossy(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// `raw` is the text of a prefix of `body` no longer than the kept prefix.
fn is_kept_prefix(raw: &str, body: &[u8]) -> bool {
    (0..=body.len().min(TOO_LARGE_PREFIX)).any(|k| lossy(&body[..k]) == raw)
}

/// Checks `got` against what `served` calls for. `attempts` is how many times the request goes out
/// when a complete response arrives (2 after a 401 that renews credentials).
fn check(spec: &Spec, served: &Served, got: &Got, attempts: u32) -> Result<(), TestCaseError> {
    let (status, body) = match served.seen() {
        Seen::Anything => return Ok(()),
        Seen::Nothing => {
            prop_assert!(
                matches!(
                    got,
                    Got::Err {
                        kind: Kind::Transport,
                        status: None,
                        unknown: true,
                        ..
                    }
                ),
                "no response could be read, so a transport error whose outcome is unknown; got {:?}",
                got
            );
            return Ok(());
        }
        Seen::Response { status, body } => (status, body),
    };
    let success = (200..300).contains(&status);
    let text = lossy(&body);
    if body.len() <= served.limit() && success && (spec.ok)(&body) {
        prop_assert!(
            matches!(got, Got::Ok { status: s, attempts: a } if *s == status && *a == attempts),
            "a {} whose body decodes is a success; got {:?}",
            status,
            got
        );
        return Ok(());
    }
    let Got::Err {
        kind,
        status: got_status,
        raw,
        attempts: got_attempts,
        redirect,
        applied,
        unknown,
        message,
    } = got
    else {
        return Err(TestCaseError::fail(format!(
            "a {status} with this body is an error; got {got:?}"
        )));
    };
    prop_assert_eq!(*got_status, Some(status), "the error carries the status ({})", message);
    prop_assert_eq!(*applied, success, "was_applied() is true exactly for a 2xx");
    prop_assert_eq!(*unknown, matches!(status, 500 | 502 | 504), "is_outcome_unknown()");
    let location = served.location.clone().filter(|_| (300..400).contains(&status));
    prop_assert_eq!(redirect, &location, "redirect_location() is the Location of a 3xx");
    let raw = raw.as_deref().unwrap_or("<none>");
    if body.len() > served.limit() {
        prop_assert_eq!(*kind, Kind::TooLarge, "a body over the limit: {}", message);
        if success && spec.sensitive {
            prop_assert!(
                raw.starts_with('<') && raw.contains("bytes withheld"),
                "a credential body must not be kept, even its start, got {:?}",
                raw
            );
        } else {
            prop_assert!(
                is_kept_prefix(raw, &body),
                "TooLarge keeps only a prefix of the body, got {:?}",
                raw
            );
        }
        prop_assert_eq!(*got_attempts, Some(1));
        return Ok(());
    }
    prop_assert_eq!(*got_attempts, Some(attempts), "attempts()");
    let expected = if success {
        Kind::Decode
    } else if spec.documented.contains(&status) || spec.default_error {
        if (spec.err)(&body) { Kind::Api } else { Kind::Decode }
    } else {
        Kind::UnexpectedStatus
    };
    prop_assert_eq!(*kind, expected, "status {}: {}", status, message);
    if success && spec.sensitive {
        prop_assert!(
            body.len() < 16 || !raw.contains(&text),
            "a credential body must not be kept, got {:?}",
            raw
        );
    } else {
        prop_assert_eq!(raw, text.as_str(), "the error carries the body as received");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// VINR
// ---------------------------------------------------------------------------------------------

mod vinr_answers {
    use serde_json::{Value, json};

    pub fn payment() -> Value {
        crate::support::samples::vinr_payment()
    }

    pub fn page() -> Value {
        json!({
            "object": "list",
            "data": [payment()],
            "page": {"has_more": true, "next_cursor": "pay_1234567890", "total_estimate": 1842}
        })
    }

    pub fn webhook_endpoint() -> Value {
        json!({
            "id": "we_1234567890",
            "object": "webhook_endpoint",
            "url": "https://shop.example.com/webhooks/vinr",
            "description": "Order updates",
            "status": "enabled",
            "enabled_events": ["payment.succeeded", "refund.updated"],
            "created": 1776249000,
            "secret": "whsec_abc123"
        })
    }

    pub fn card_declined() -> Value {
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
}

#[derive(Clone, Debug)]
enum VinrOp {
    CreatePayment,
    ListPayments,
    CreateWebhookEndpoint,
}

impl VinrOp {
    fn samples(&self) -> Samples {
        let success = match self {
            Self::CreatePayment => vinr_answers::payment(),
            Self::ListPayments => vinr_answers::page(),
            Self::CreateWebhookEndpoint => vinr_answers::webhook_endpoint(),
        };
        Samples {
            success: vec![success],
            errors: vec![vinr_answers::card_declined()],
            error_statuses: self.spec().documented.to_vec(),
        }
    }

    fn spec(&self) -> Spec {
        use paykit::vinr::types::{ErrorResponse, Payment, PaymentList, WebhookEndpoint};
        let err = decodes::<ErrorResponse>;
        match self {
            Self::CreatePayment => Spec {
                documented: &[400, 401, 402, 403, 404, 409, 429, 500],
                default_error: false,
                sensitive: false,
                ok: decodes::<Payment>,
                err,
            },
            Self::ListPayments => Spec {
                documented: &[400, 401, 403, 404, 429, 500],
                default_error: false,
                sensitive: false,
                ok: decodes::<PaymentList>,
                err,
            },
            Self::CreateWebhookEndpoint => Spec {
                documented: &[400, 401, 403, 404, 409, 429, 500],
                default_error: false,
                sensitive: true,
                ok: decodes::<WebhookEndpoint>,
                err,
            },
        }
    }
}

#[test]
fn vinr_calls_survive_hostile_answers() {
    use paykit::vinr::types::{CreatePaymentRequest, CreateWebhookEndpointRequest};
    use paykit::vinr::{Client, ListPaymentsParams};
    let ops = vec![
        VinrOp::CreatePayment,
        VinrOp::ListPayments,
        VinrOp::CreateWebhookEndpoint,
    ];
    run("VINR", op_and_answer(ops, VinrOp::samples), async |(op, served)| {
        let server = FaultServer::start(vec![served.reply()]).await;
        let transport = transport(&server.url(), served.limit).auth(Bearer::new(VINR_KEY));
        let client = Client::from_transport(transport.build().expect("transport"));
        let got = match op {
            VinrOp::CreatePayment => got(client
                .create_payment(&CreatePaymentRequest::new(1000, "EUR"), Default::default())
                .await),
            VinrOp::ListPayments => {
                let params = paykit::runtime::build!(ListPaymentsParams {
                    limit: Some(10),
                    customer: Some("cust_42".into()),
                });
                got(client.list_payments(params).await)
            }
            VinrOp::CreateWebhookEndpoint => {
                let body = CreateWebhookEndpointRequest::new("https://shop.example.com/webhooks/vinr");
                got(client.create_webhook_endpoint(&body, Default::default()).await)
            }
        };
        check(&op.spec(), &served, &got, 1)
    });
}

// ---------------------------------------------------------------------------------------------
// Vendreo
// ---------------------------------------------------------------------------------------------

mod vendreo_answers {
    use serde_json::{Value, json};

    pub fn payment_requested() -> Value {
        json!({
            "meta": {"tracing_id": "6bc181f1-1512-493f-9c1c-81f66e479193"},
            "payment_request_id": "123456",
            "redirect_url": "https://pay.vendreo.com/payment/{uuid}",
            "subscription_id": "123456"
        })
    }

    /// Verbatim from the docs: amounts as strings, which the client reads leniently.
    pub fn payment() -> Value {
        json!({
            "status": "COMPLETED",
            "payment_reference": "VND123C1",
            "payment_type": "SINGLE",
            "payment_uuid": "123456",
            "amount": 199,
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
            "meta": {"tracing_id": "6bc181f1-1512-493f-9c1c-81f66e479193"}
        })
    }

    pub fn validation() -> Value {
        json!({"errors": {"amount": ["The amount field is required."]}, "message": "The given data was invalid."})
    }
}

#[derive(Clone, Debug)]
enum VendreoOp {
    RequestPayment,
    GetPayment,
    ListPayments,
}

impl VendreoOp {
    fn samples(&self) -> Samples {
        let success = match self {
            Self::RequestPayment => vendreo_answers::payment_requested(),
            Self::GetPayment => vendreo_answers::payment(),
            Self::ListPayments => json!([vendreo_answers::payment()]),
        };
        Samples {
            success: vec![success],
            errors: vec![vendreo_answers::validation()],
            error_statuses: vec![401, 422],
        }
    }

    fn spec(&self) -> Spec {
        use paykit::vendreo::types::{Payment, RequestPaymentResponse, ValidationError};
        let ok = match self {
            Self::RequestPayment => decodes::<RequestPaymentResponse>,
            Self::GetPayment => decodes::<Payment>,
            Self::ListPayments => decodes::<Vec<Payment>>,
        };
        Spec {
            documented: &[401, 422],
            default_error: false,
            sensitive: false,
            ok,
            err: decodes::<ValidationError>,
        }
    }
}

#[test]
fn vendreo_calls_survive_hostile_answers() {
    use paykit::vendreo::Client;
    use paykit::vendreo::types::{PaymentsSchema, RequestPaymentSchema, RequestPaymentSchemaPaymentType};
    let ops = vec![
        VendreoOp::RequestPayment,
        VendreoOp::GetPayment,
        VendreoOp::ListPayments,
    ];
    run(
        "Vendreo",
        op_and_answer(ops, VendreoOp::samples),
        async |(op, served)| {
            let server = FaultServer::start(vec![served.reply()]).await;
            let transport = transport(&server.url(), served.limit).auth(Bearer::new(VENDREO_SECRET));
            let client = Client::from_transport(transport.build().expect("transport"));
            let got = match op {
                VendreoOp::RequestPayment => {
                    let body = RequestPaymentSchema::new(
                        1999,
                        VENDREO_APP_KEY,
                        "GBP",
                        "Payment for Order Number #325682",
                        RequestPaymentSchemaPaymentType::Single,
                        "order-1",
                        "https://example.org/success",
                    );
                    got(client.request_payment(&body).await)
                }
                VendreoOp::GetPayment => got(client.get_payment("c012a5cc-5435-4935-b8f3-b022f2605df8").await),
                VendreoOp::ListPayments => {
                    let body = paykit::runtime::build!(PaymentsSchema {
                        payments: Some(vec!["c012a5cc-5435-4935-b8f3-b022f2605df8".into()]),
                    });
                    got(client.list_payments(&body).await)
                }
            };
            check(&op.spec(), &served, &got, 1)
        },
    );
}

// ---------------------------------------------------------------------------------------------
// VR pay secure
// ---------------------------------------------------------------------------------------------

mod vrpay_answers {
    use serde_json::{Value, json};

    pub fn transaction() -> Value {
        json!({
            "id": 1,
            "uuid": "82m09f9",
            "time": "2026-01-01 12:00:00",
            "status": "confirmed",
            "lang": "de",
            "psp": "VR pay",
            "pspId": 36,
            "mode": "TEST",
            "amount": 8925,
            "payment": {"brand": "visa", "cardNumber": "4111 **** 1111", "expiry": "28-12", "wallet": null},
            "invoice": {
                "number": "4711-1",
                "currency": "CHF",
                "originalAmount": 8925,
                "refundedAmount": 0,
                "referenceId": "ORD-1",
                "paymentRequestId": 4711,
                "test": 1,
                "products": [{"name": "T-Shirt", "price": 1250, "quantity": 2, "sku": "TS-M", "vatRate": 7.7}],
                "custom_fields": []
            },
            "contact": {"id": 77, "firstname": "Max", "lastname": "Muster", "place": "Zürich", "countryISO": "CH"},
            "metadata": [],
            "referenceId": "ORD-1",
            "refundable": true,
            "partiallyRefundable": true
        })
    }

    pub fn success(data: Value) -> Value {
        json!({"status": "success", "data": data})
    }

    pub fn error() -> Value {
        json!({"status": "error", "message": "The ApiSignature is invalid."})
    }
}

#[derive(Clone, Debug)]
enum VrpayOp {
    CreateGateway,
    GetGateway,
    ListTransactions,
}

impl VrpayOp {
    fn samples(&self) -> Samples {
        let success = match self {
            Self::CreateGateway | Self::GetGateway => {
                vrpay_answers::success(json!([crate::support::samples::vrpay_gateway()]))
            }
            Self::ListTransactions => vrpay_answers::success(json!([vrpay_answers::transaction()])),
        };
        Samples {
            // An empty `data` is no object for the operations that return one.
            success: vec![success, vrpay_answers::success(json!([]))],
            errors: vec![vrpay_answers::error()],
            // 418 and 503: the spec's `default` error.
            error_statuses: vec![400, 401, 403, 404, 418, 500, 503],
        }
    }

    fn spec(&self) -> Spec {
        use paykit::vrpay_secure::types::{Error as VrpayError, Gateway, Transaction};
        fn gateway(body: &[u8]) -> bool {
            decodes_at::<Gateway>(body, "/data/0")
        }
        fn transactions(body: &[u8]) -> bool {
            decodes_at::<Vec<Transaction>>(body, "/data")
        }
        Spec {
            documented: &[400, 401, 403, 404, 500],
            default_error: true,
            sensitive: false,
            ok: match self {
                Self::CreateGateway | Self::GetGateway => gateway,
                Self::ListTransactions => transactions,
            },
            err: decodes::<VrpayError>,
        }
    }
}

#[test]
fn vrpay_secure_calls_survive_hostile_answers() {
    use paykit::vrpay_secure::signing::ApiSignature;
    use paykit::vrpay_secure::types::GatewayRequest;
    use paykit::vrpay_secure::{Client, ListTransactionsParams};
    let ops = vec![VrpayOp::CreateGateway, VrpayOp::GetGateway, VrpayOp::ListTransactions];
    run(
        "VR pay secure",
        op_and_answer(ops, VrpayOp::samples),
        async |(op, served)| {
            let server = FaultServer::start(vec![served.reply()]).await;
            let signer = ApiSignature::new(VRPAY_SECRET).expect("signer");
            let transport = transport(&server.url(), served.limit).auth(signer);
            let client = Client::from_transport(transport.build().expect("transport"), "demo");
            let got = match op {
                VrpayOp::CreateGateway => got(client.create_gateway(&GatewayRequest::new(8925, "CHF")).await),
                VrpayOp::GetGateway => got(client.get_gateway(4711).await),
                VrpayOp::ListTransactions => {
                    let params = paykit::runtime::build!(ListTransactionsParams { limit: Some(10) });
                    got(client.list_transactions(params).await)
                }
            };
            check(&op.spec(), &served, &got, 1)
        },
    );
}

// ---------------------------------------------------------------------------------------------
// V-Pay
// ---------------------------------------------------------------------------------------------

mod vpay_answers {
    use serde_json::{Value, json};

    pub fn token() -> Value {
        json!({
            "access": "eyJhbGciOiJIUzI1NiJ9.access-1.c2lnbmF0dXJl",
            "refresh": "eyJhbGciOiJIUzI1NiJ9.refresh-1.c2lnbmF0dXJl",
            "mode": "sandbox",
            "expires_in": "300.0 seconds"
        })
    }

    pub fn pending_payment() -> Value {
        crate::support::samples::vpay_standard_payment()
    }

    pub fn completed_payment() -> Value {
        crate::support::samples::vpay_self_hosted_payment()
    }

    pub fn payment_link() -> Value {
        json!({
            "status": "success",
            "link_id": "lnk_9f3a2b",
            "slug": "monthly-fee-jun",
            "url": "https://pay.vpay.rw/monthly-fee-jun",
            "qr_code": "https://api.vpay.rw/v1/payment-links/lnk_9f3a2b/qr",
            "amount": 10000,
            "type": "multiple",
            "active": true
        })
    }

    /// Sent with HTTP 200 for `PAYMENT_TIMEOUT` and `INSUFFICIENT_FUNDS`, and with error statuses.
    pub fn error(code: &str) -> Value {
        json!({"status": "error", "error_code": code, "message": "Refused."})
    }
}

#[derive(Clone, Debug, PartialEq)]
enum VpayOp {
    InitiatePayment,
    GetTransactionStatus,
    CreatePaymentLink,
    GenerateAccessToken,
}

impl VpayOp {
    fn samples(&self) -> Samples {
        let error_statuses = self.spec().documented.to_vec();
        match self {
            Self::InitiatePayment | Self::GetTransactionStatus => Samples {
                // `PAYMENT_TIMEOUT` comes with HTTP 200 and is one of the two documented answers.
                success: vec![
                    vpay_answers::pending_payment(),
                    vpay_answers::completed_payment(),
                    vpay_answers::error("PAYMENT_TIMEOUT"),
                ],
                errors: vec![vpay_answers::error("INVALID_KEY")],
                error_statuses,
            },
            Self::CreatePaymentLink => Samples {
                success: vec![vpay_answers::payment_link()],
                errors: vec![vpay_answers::error("INVALID_AMOUNT")],
                error_statuses,
            },
            Self::GenerateAccessToken => Samples {
                success: vec![vpay_answers::token()],
                errors: vec![vpay_answers::error("INVALID_KEY")],
                error_statuses,
            },
        }
    }

    fn spec(&self) -> Spec {
        use paykit::vpay::types::{AccessToken, ErrorResponse, PaymentLink, PaymentOutcome};
        let err = decodes::<ErrorResponse>;
        match self {
            Self::InitiatePayment => Spec {
                documented: &[400, 401, 409, 429, 502],
                default_error: false,
                sensitive: false,
                ok: decodes::<PaymentOutcome>,
                err,
            },
            Self::GetTransactionStatus => Spec {
                documented: &[400, 401, 429, 502],
                default_error: false,
                sensitive: false,
                ok: decodes::<PaymentOutcome>,
                err,
            },
            Self::CreatePaymentLink => Spec {
                documented: &[400, 401, 429],
                default_error: false,
                sensitive: false,
                ok: decodes::<PaymentLink>,
                err,
            },
            Self::GenerateAccessToken => Spec {
                documented: &[401, 429],
                default_error: false,
                sensitive: true,
                ok: decodes::<AccessToken>,
                err,
            },
        }
    }
}

fn vpay_payment() -> paykit::vpay::types::InitiatePaymentRequest {
    use paykit::vpay::types::{InitiatePaymentRequest, PaymentMethod};
    InitiatePaymentRequest::new(1500, "RWF", "0790000000", "TXN_TDTAGD1HFJS", PaymentMethod::Mtnrw)
}

/// A V-Pay client whose token requests go to `url` without a size limit.
fn vpay_client(url: &str, limit: Option<usize>) -> paykit::vpay::Client {
    use paykit::vpay::token::TokenAuth;
    let auth = TokenAuth::with_transport(transport(url, None), VPAY_USER, VPAY_KEY).expect("token auth");
    paykit::vpay::Client::from_transport(transport(url, limit).auth(auth).build().expect("transport"))
}

#[test]
fn vpay_calls_survive_hostile_answers() {
    use paykit::vpay::types::{CreatePaymentLinkRequest, PaymentLinkType};
    let ops = vec![
        VpayOp::InitiatePayment,
        VpayOp::GetTransactionStatus,
        VpayOp::CreatePaymentLink,
        VpayOp::GenerateAccessToken,
    ];
    run("V-Pay", op_and_answer(ops, VpayOp::samples), async |(op, served)| {
        let token = Reply::json(200, &vpay_answers::token());
        // A token, the answer; after a 401 the token is renewed and the request sent once more.
        let replies = match op {
            VpayOp::GenerateAccessToken => vec![served.reply()],
            _ => vec![token.clone(), served.reply(), token, served.reply()],
        };
        let server = FaultServer::start(replies).await;
        let client = vpay_client(&server.url(), served.limit);
        let got = match op {
            VpayOp::InitiatePayment => got(client.initiate_payment(&vpay_payment()).await),
            VpayOp::GetTransactionStatus => got(client.get_transaction_status("VP86583387").await),
            VpayOp::CreatePaymentLink => {
                let body = CreatePaymentLinkRequest::new("Monthly fee June", PaymentLinkType::Multiple);
                got(client.create_payment_link(&body).await)
            }
            VpayOp::GenerateAccessToken => got(client.generate_access_token().await),
        };
        // Only the token endpoint never renews: it is what renewing calls.
        let renews = op != VpayOp::GenerateAccessToken
            && matches!(served.seen(), Seen::Response { status: 401, body } if body.len() <= served.limit());
        check(&op.spec(), &served, &got, if renews { 2 } else { 1 })
    });
}

#[test]
fn vpay_token_flow_survives_hostile_token_answers() {
    use paykit::vpay::types::AccessToken;
    let samples = Samples {
        success: vec![
            vpay_answers::token(),
            json!({"access": "eyJ.number-lifetime.sig", "expires_in": 300}),
        ],
        errors: vec![vpay_answers::error("INVALID_KEY")],
        error_statuses: vec![401, 429],
    };
    run("V-Pay token flow", served(samples), async |served| {
        let paid = Reply::json(200, &vpay_answers::pending_payment());
        let server = FaultServer::start(vec![served.reply(), paid]).await;
        // The size limit applies to the token request here; the payment answer is small and valid.
        let auth =
            paykit::vpay::token::TokenAuth::with_transport(transport(&server.url(), served.limit), VPAY_USER, VPAY_KEY)
                .expect("token auth");
        let payments = transport(&server.url(), None).auth(auth).build().expect("transport");
        let client = paykit::vpay::Client::from_transport(payments);
        let got = got(client.initiate_payment(&vpay_payment()).await);
        let paths: Vec<String> = server.received().into_iter().map(|r| r.target).collect();
        let (status, body) = match served.seen() {
            Seen::Anything => return Ok(()),
            Seen::Nothing => (0, Vec::new()),
            Seen::Response { status, body } => (status, body),
        };
        let token = serde_json::from_slice::<AccessToken>(&body)
            .ok()
            .filter(|_| (200..300).contains(&status) && body.len() <= served.limit());
        match token {
            Some(token) => {
                // The token goes into `Authorization`: one with control characters cannot be sent.
                let sendable = !token
                    .access
                    .expose()
                    .bytes()
                    .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f);
                if sendable {
                    prop_assert!(
                        matches!(
                            got,
                            Got::Ok {
                                status: 200,
                                attempts: 1
                            }
                        ),
                        "a usable token, then the payment: {:?}",
                        got
                    );
                    prop_assert_eq!(paths, vec!["/auth/".to_owned(), "/pay/".to_owned()]);
                } else {
                    prop_assert!(
                        matches!(
                            got,
                            Got::Err {
                                kind: Kind::InvalidRequest,
                                ..
                            }
                        ),
                        "a token that cannot be a header value: {:?}",
                        got
                    );
                    prop_assert_eq!(paths, vec!["/auth/".to_owned()]);
                }
            }
            None => {
                let Got::Err {
                    kind: Kind::Auth,
                    message,
                    ..
                } = &got
                else {
                    return Err(TestCaseError::fail(format!(
                        "no usable token ({status}): an Auth error; got {got:?}"
                    )));
                };
                prop_assert_eq!(paths, vec!["/auth/".to_owned()], "no payment request without a token");
                // serde names a number it did not expect (`invalid type: integer `7``), so a body
                // that is one number may show up; any other body must not.
                let number = serde_json::from_slice::<Value>(&body).is_ok_and(|v| v.is_number());
                let text = lossy(&body);
                prop_assert!(
                    body.len() < 16 || number || !message.contains(&text),
                    "the Auth error does not repeat the token answer: {}",
                    message
                );
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// PayRequest
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum PayRequestOp {
    Create,
    Retrieve,
}

impl PayRequestOp {
    fn samples(&self) -> Samples {
        let success = match self {
            Self::Create => json!({"status": "success", "url": "https://link.payrequest.io/630ep3t"}),
            Self::Retrieve => json!({"status": "paid"}),
        };
        Samples {
            success: vec![success],
            errors: vec![
                json!({"status": "error", "error": "nosuchlink"}),
                json!({"status": "error", "error": "unknown", "realerror": "Stripe is not reachable"}),
            ],
            // Errors come with HTTP 200; no error status is documented.
            error_statuses: vec![200, 500],
        }
    }

    fn spec(&self) -> Spec {
        use paykit::payrequest::types::{CreatePaymentRequestResponse, RetrievePaymentResponse};
        Spec {
            documented: &[],
            default_error: false,
            sensitive: false,
            ok: match self {
                Self::Create => decodes::<CreatePaymentRequestResponse>,
                Self::Retrieve => decodes::<RetrievePaymentResponse>,
            },
            err: never,
        }
    }
}

#[test]
fn payrequest_calls_survive_hostile_answers() {
    use paykit::payrequest::Client;
    use paykit::payrequest::types::{CreatePaymentRequestBody, RetrievePaymentBody};
    let ops = vec![PayRequestOp::Create, PayRequestOp::Retrieve];
    run(
        "PayRequest",
        op_and_answer(ops, PayRequestOp::samples),
        async |(op, served)| {
            let server = FaultServer::start(vec![served.reply()]).await;
            let client = Client::from_transport(transport(&server.url(), served.limit).build().expect("transport"));
            let got = match op {
                PayRequestOp::Create => {
                    let body = CreatePaymentRequestBody::new(PAYREQUEST_TOKEN, "Invoice #15123-14", "12,25");
                    got(client.create_payment_request(&body).await)
                }
                PayRequestOp::Retrieve => {
                    let body = RetrievePaymentBody::new(PAYREQUEST_TOKEN, "PR-000012457");
                    got(client.retrieve_payment(&body).await)
                }
            };
            check(&op.spec(), &served, &got, 1)
        },
    );
}
