//! The core of the typed mock servers generated clients get behind their `mock` feature: a
//! [`wiremock`] server that answers by operation (method and path template), checks that JSON
//! request bodies have the operation's shape, and hands the requests it received back decoded.
//!
//! Generated code builds one [`Route`] per operation; tests use the generated wrappers
//! (`mock.create_payment().returns(…)`), never this module directly. Provider glue that needs
//! more (a signature check, a token endpoint) mounts its own [`wiremock::Mock`]s on
//! [`MockCore::server`].

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

pub use wiremock;

/// Declares a generated crate's `MockServer`: a [`MockCore`] it derefs to, and `start`. The
/// operations are the generated crate's own `impl MockServer` block, each a [`MockCore::route`]
/// of `self.0`.
///
/// ```
/// paykit_runtime::mock_server! {
///     /// A mock of the Example API for tests.
///     pub struct MockServer;
/// }
///
/// # async fn run() {
/// let mock = MockServer::start().await;
/// assert!(mock.url().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[macro_export]
macro_rules! mock_server {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        ///
        /// Give its `url()` to the client as the base URL, configure each operation's answer
        /// (`.returns(…)`, `.fails(…)`), then read what it received (`.received()`). JSON bodies
        /// that do not decode as the operation's body type are answered 422, naming the
        /// operation. It derefs to the runtime's [`MockCore`](paykit_runtime::mock::MockCore)
        /// (`url`, `reset`, and the wiremock `server`).
        #[derive(Debug)]
        $vis struct $name($crate::mock::MockCore);

        impl ::std::ops::Deref for $name {
            type Target = $crate::mock::MockCore;

            fn deref(&self) -> &$crate::mock::MockCore {
                &self.0
            }
        }

        impl $name {
            /// Starts a server on a free local port.
            pub async fn start() -> Self {
                Self($crate::mock::MockCore::start().await)
            }
        }
    };
}

/// Checks a request body against an operation's body type: `Err` carries serde's message.
pub type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// A running mock server; stops when dropped.
pub struct MockCore {
    server: wiremock::MockServer,
}

impl fmt::Debug for MockCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockCore").field("url", &self.server.uri()).finish()
    }
}

impl MockCore {
    /// Starts a server on a free local port.
    pub async fn start() -> Self {
        Self {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The base URL to give the client (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server, to mount mocks of your own.
    pub fn server(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Forgets every configured answer and every received request.
    pub async fn reset(&self) {
        self.server.reset().await;
    }

    /// The mock of one operation: `template` is the spec's path (`/payments/{id}`), whose
    /// parameters match any one segment.
    pub fn route(&self, operation: &'static str, http_method: &'static str, template: &'static str) -> Route<'_> {
        Route {
            core: self,
            operation,
            method: http_method,
            pattern: path_pattern(template),
            check: None,
        }
    }
}

/// The anchored regex of a path template: literals escaped, each `{param}` one segment.
fn path_pattern(template: &str) -> String {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        pattern.push_str(&regex::escape(&rest[..open]));
        pattern.push_str("[^/]+");
        rest = &rest[open + close + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    pattern
}

/// The mock of one operation, which generated handles wrap.
#[derive(Debug, Clone)]
pub struct Route<'a> {
    core: &'a MockCore,
    operation: &'static str,
    method: &'static str,
    pattern: String,
    check: Option<BodyCheck>,
}

impl Route<'_> {
    /// Answers only requests whose body passes `check` (see [`json`], [`optional_json`]); any
    /// other gets 422 with a message naming the operation and the decoding error.
    pub fn validate(mut self, check: BodyCheck) -> Self {
        self.check = Some(check);
        self
    }

    /// Answers `status` with `value` as JSON; with `unwrap` (the spec's `x-paykit-unwrap`
    /// pointer), inside the envelope that pointer reads it from.
    pub async fn returns<T: Serialize>(&self, status: u16, value: &T, unwrap: Option<&str>) {
        let value = serde_json::to_value(value).expect("a mock response body serializes to JSON");
        let body = match unwrap {
            Some(pointer) => envelope(pointer, value),
            None => value,
        };
        self.answer(ResponseTemplate::new(status).set_body_json(body)).await;
    }

    /// Answers `status` with `body` as it is (`text/plain` or bytes), or with no body.
    pub async fn returns_raw(&self, status: u16, body: Option<Vec<u8>>) {
        let template = ResponseTemplate::new(status);
        let template = match body {
            Some(body) => template.set_body_bytes(body),
            None => template,
        };
        self.answer(template).await;
    }

    /// Answers the error `status` with `body` as JSON.
    pub async fn fails<E: Serialize>(&self, status: u16, body: &E) {
        let body = serde_json::to_value(body).expect("a mock error body serializes to JSON");
        self.answer(ResponseTemplate::new(status).set_body_json(body)).await;
    }

    /// Mounts `template` as this operation's answer. The first answer configured for an
    /// operation wins; [`MockCore::reset`] clears them.
    pub async fn answer(&self, template: ResponseTemplate) {
        let responder = Checked {
            operation: self.operation,
            check: self.check,
            template,
        };
        Mock::given(method(self.method))
            .and(path_regex(self.pattern.as_str()))
            .respond_with(responder)
            .named(self.operation)
            .mount(&self.core.server)
            .await;
    }

    /// The requests this operation received, in order, with their bodies as `decode` reads them.
    pub async fn received<B>(&self, decode: impl Fn(&[u8]) -> Result<B, String>) -> Vec<Received<B>> {
        let pattern = regex::Regex::new(&self.pattern).expect("path patterns are valid regexes");
        let requests = self.core.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .filter(|r| r.method.as_str() == self.method && pattern.is_match(r.url.path()))
            .map(|r| {
                let body = decode(&r.body).unwrap_or_else(|e| {
                    panic!("paykit mock: {} received a body of another shape: {e}", self.operation)
                });
                Received {
                    path: r.url.path().to_owned(),
                    query: r.url.query_pairs().into_owned().collect(),
                    headers: r.headers,
                    body,
                }
            })
            .collect()
    }
}

/// How an operation's documented success goes over the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// JSON; with the spec's `x-paykit-unwrap` pointer, inside the envelope it reads from.
    Json { unwrap: Option<&'static str> },
    /// `text/*`, the value as it is.
    Text,
    /// Bytes as they are.
    Bytes,
    /// No body.
    Empty,
}

impl<'a> Route<'a> {
    /// The typed handle a generated mock returns: success `status` answered as `answer`, and
    /// received bodies read by `decode`.
    pub fn typed<T, E, B>(
        self,
        status: u16,
        answer: Answer,
        decode: fn(&[u8]) -> Result<B, String>,
    ) -> Operation<'a, T, E, B> {
        Operation {
            route: self,
            status,
            answer,
            decode,
            types: PhantomData,
        }
    }
}

/// The mock of one operation: `T` is its success value, `E` its error body, `B` the body it
/// receives (`()` without one, the decoded pairs for a form).
#[derive(Debug)]
pub struct Operation<'a, T, E, B> {
    route: Route<'a>,
    status: u16,
    answer: Answer,
    decode: fn(&[u8]) -> Result<B, String>,
    types: PhantomData<fn(T, E)>,
}

impl<T: Serialize, E: Serialize, B> Operation<'_, T, E, B> {
    /// Answers the documented success with `value` (`()` for an operation without a body).
    pub async fn returns(&self, value: T) {
        let (status, route) = (self.status, &self.route);
        match self.answer {
            Answer::Json { unwrap } => route.returns(status, &value, unwrap).await,
            Answer::Empty => route.returns_raw(status, None).await,
            Answer::Text | Answer::Bytes => route.returns_raw(status, Some(raw(&value))).await,
        }
    }

    /// Answers the error `status` with `body` (`()` where the spec documents no error body).
    pub async fn fails(&self, status: u16, body: E) {
        self.route.fails(status, &body).await;
    }

    /// The requests received, in order: path, query, headers and the decoded body.
    pub async fn received(&self) -> Vec<Received<B>> {
        self.route.received(self.decode).await
    }

    /// The route underneath, to mount an answer of your own.
    pub fn route(&self) -> &Route<'_> {
        &self.route
    }
}

/// A text (`String`) or binary (`Vec<u8>`) success value as the bytes to send.
fn raw<T: Serialize>(value: &T) -> Vec<u8> {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text.into_bytes(),
        Ok(Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_u64().and_then(|byte| u8::try_from(byte).ok()))
            .collect(),
        _ => Vec::new(),
    }
}

/// One request an operation's mock received.
#[derive(Debug, Clone)]
pub struct Received<B> {
    /// The path as sent (`/payments/pay_1`).
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    pub headers: wiremock::http::HeaderMap,
    /// The body, decoded as the operation's body type (form bodies: their decoded pairs).
    pub body: B,
}

impl<B> Received<B> {
    /// The first value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A header as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A [`BodyCheck`]: the body is JSON of type `T`.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    decode_json::<T>(body).map(drop)
}

/// A [`BodyCheck`]: no body, or JSON of type `T`.
pub fn optional_json<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    decode_optional_json::<T>(body).map(drop)
}

/// A body read as JSON of type `T`.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("the body is not a {}: {e}", std::any::type_name::<T>()))
}

/// No body (`None`), or JSON of type `T`.
pub fn decode_optional_json<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, String> {
    if body.is_empty() {
        Ok(None)
    } else {
        decode_json(body).map(Some)
    }
}

/// A form body's decoded pairs, in order (`+` and `%20` both read as a space).
pub fn decode_form(body: &[u8]) -> Result<Vec<(String, String)>, String> {
    Ok(url::form_urlencoded::parse(body).into_owned().collect())
}

/// Any body, as its bytes.
pub fn raw_body(body: &[u8]) -> Result<Vec<u8>, String> {
    Ok(body.to_vec())
}

/// A body that is not read.
pub fn ignore_body(_: &[u8]) -> Result<(), String> {
    Ok(())
}

/// The JSON document `pointer` reads `value` from: `/data/0` gives `{"data": [value]}`.
pub fn envelope(pointer: &str, value: Value) -> Value {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    tokens.into_iter().rev().fold(value, |inner, token| {
        if let Ok(index) = token.parse::<usize>() {
            let mut items = vec![Value::Null; index];
            items.push(inner);
            Value::Array(items)
        } else {
            let key = token.replace("~1", "/").replace("~0", "~");
            Value::Object([(key, inner)].into_iter().collect())
        }
    })
}

/// Answers with the configured template, unless the body fails the operation's check.
struct Checked {
    operation: &'static str,
    check: Option<BodyCheck>,
    template: ResponseTemplate,
}

impl Respond for Checked {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.check.map(|check| check(&request.body)) {
            Some(Err(e)) => ResponseTemplate::new(422).set_body_json(serde_json::json!({
                "paykit_mock": format!("{}: the request body does not match the spec: {e}", self.operation),
            })),
            _ => self.template.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_follow_the_pointer() {
        let value = serde_json::json!({"id": 1});
        assert_eq!(
            envelope("/data/0", value.clone()),
            serde_json::json!({"data": [{"id": 1}]})
        );
        assert_eq!(
            envelope("/a~1b/1", value.clone()),
            serde_json::json!({"a/b": [null, {"id": 1}]})
        );
        assert_eq!(envelope("", value.clone()), value);
    }

    #[test]
    fn templates_match_one_segment_per_parameter() {
        let pattern = regex::Regex::new(&path_pattern("/Page/{id}/x.y")).unwrap();
        assert!(pattern.is_match("/Page/12/x.y"));
        assert!(!pattern.is_match("/Page/12/xzy"));
        assert!(!pattern.is_match("/Page/1/2/x.y"));
    }
}
