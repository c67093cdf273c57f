//! The typed mock of one operation: conditions, answers and a call count, configured when it is
//! awaited; and the requests it received.

use std::future::{IntoFuture, Ready, ready};
use std::marker::PhantomData;
use std::sync::Arc;

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use wiremock::ResponseTemplate;

use super::stub::{Condition, RouteKey, Stub, lock};
use super::template::Template;
use super::{BodyCheck, MockCore, envelope};
use crate::param::path_segment;
use crate::{PathStyle, QueryStyle, Request};

/// The route of one operation, which generated mocks build and type with [`Route::typed`].
#[derive(Debug, Clone)]
pub struct Route<'a> {
    core: &'a MockCore,
    key: RouteKey,
    check: Option<BodyCheck>,
    styles: Vec<(&'static str, PathStyle)>,
}

impl<'a> Route<'a> {
    pub(crate) fn new(
        core: &'a MockCore,
        operation: &'static str,
        method: &'static str,
        template: &'static str,
    ) -> Self {
        Self {
            core,
            key: RouteKey {
                operation,
                method,
                template: Template::parse(template),
            },
            check: None,
            styles: Vec::new(),
        }
    }

    /// Answers only requests whose body passes `check` (see [`super::json`],
    /// [`super::optional_json`]); any other gets 422 with a message naming the operation and the
    /// decoding error.
    pub fn validate(mut self, check: BodyCheck) -> Self {
        self.check = Some(check);
        self
    }

    /// The path parameter `name` is written in `style` (the default is [`PathStyle::Simple`]),
    /// so [`Operation::when_path`] compares it as the client writes it.
    pub fn path_style(mut self, name: &'static str, style: PathStyle) -> Self {
        self.styles.push((name, style));
        self
    }

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
            conditions: Vec::new(),
            answers: Vec::new(),
            expected: None,
            types: PhantomData,
        }
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

/// The mock of one operation: `T` is its success value, `E` its error body, `B` the body it
/// receives (`()` without one, the decoded pairs for a form).
///
/// Build it up, then `.await` it to configure it:
///
/// - **Answers**, in order: [`returns`](Self::returns), [`fails`](Self::fails),
///   [`fails_without_body`](Self::fails_without_body), [`responds`](Self::responds). The n-th
///   request answered gets the n-th answer; once they run out, the last one answers every
///   further request. Configuring the same operation under the same conditions again (another
///   statement) appends to the same sequence: no answer is ever dropped.
/// - **Conditions**: [`when_path`](Self::when_path), [`when_query`](Self::when_query),
///   [`when_body`](Self::when_body), [`when`](Self::when). A request gets the answers of the
///   configuration whose conditions it meets, the one with the most conditions when several do;
///   when two with as many conditions fit, it gets a 501 naming both, never one picked at random.
/// - **A call count**: [`times`](Self::times), checked by [`MockCore::verify`] and when the
///   server is dropped.
///
/// A request no configuration fits gets `501 Not Implemented` whose message (in the client's
/// error too) says `no answer configured for getPayment (GET /payments/pay_1)`.
///
/// Settings that contradict each other panic at once, naming the operation: a path parameter it
/// does not have, two different call counts for the same configuration, or nothing to configure.
#[derive(Debug)]
#[must_use = "a mock is configured when it is awaited: `mock.get_payment().returns(…).await`"]
pub struct Operation<'a, T, E, B> {
    route: Route<'a>,
    status: u16,
    answer: Answer,
    decode: fn(&[u8]) -> Result<B, String>,
    conditions: Vec<Condition>,
    answers: Vec<ResponseTemplate>,
    expected: Option<u64>,
    types: PhantomData<fn(T, E)>,
}

impl<T: Serialize, E: Serialize, B> Operation<'_, T, E, B> {
    /// Answers the documented success with `value` (`()` for an operation without a body).
    pub fn returns(self, value: T) -> Self {
        let template = ResponseTemplate::new(self.status);
        let template = match self.answer {
            Answer::Json { unwrap } => {
                let value = self.json("answer", &value);
                template.set_body_json(match unwrap {
                    Some(pointer) => envelope(pointer, value),
                    None => value,
                })
            }
            Answer::Empty => template,
            Answer::Text | Answer::Bytes => template.set_body_bytes(raw(&value)),
        };
        self.responds(template)
    }

    /// Answers the error `status` with `body` as JSON (`()` where the spec documents no error
    /// body).
    pub fn fails(self, status: u16, body: E) -> Self {
        let body = self.json("error body", &body);
        self.responds(ResponseTemplate::new(status).set_body_json(body))
    }

    /// Answers `status` with no body: a `503` from a gateway, say.
    pub fn fails_without_body(self, status: u16) -> Self {
        self.responds(ResponseTemplate::new(status))
    }

    /// Answers with `template` as it is: headers, a delay, any status or body.
    pub fn responds(mut self, template: ResponseTemplate) -> Self {
        self.answers.push(template);
        self
    }

    /// Only requests whose path parameter `name` is `value`, written as the client writes it
    /// (`.when_path("id", "pay_1")`; an integer id as an integer).
    ///
    /// # Panics
    ///
    /// When the operation has no path parameter `name`, or `value` cannot be one.
    pub fn when_path(mut self, name: &str, value: impl Serialize) -> Self {
        let key = &self.route.key;
        let Some(name) = key.template.params().find(|param| *param == name) else {
            let params: Vec<&str> = key.template.params().collect();
            panic!(
                "paykit mock: {} has no path parameter {name:?} (its path is {}, with {params:?})",
                key.operation,
                key.template.text()
            );
        };
        let style = (self.route.styles.iter())
            .find(|(param, _)| *param == name)
            .map_or(PathStyle::Simple, |(_, style)| *style);
        let segment = path_segment(name, &value, style)
            .unwrap_or_else(|e| panic!("paykit mock: {}: path parameter {name}: {e}", key.operation));
        self.conditions.push(Condition::Path { name, segment });
        self
    }

    /// Only requests whose query carries `value` for `name`, written as the client writes a
    /// `form` query parameter (`starting_after=pay_2`; a list as `name=a&name=b`), and no other
    /// value for it. `None` asks for a request without it. For another style, give the value as
    /// it is written (`"a,b"`).
    pub fn when_query(mut self, name: &str, value: impl Serialize) -> Self {
        let mut written = Request::new(self.route.key.operation, Method::GET, "").dialect(self.route.core.dialect());
        written.query_param(name, &value, QueryStyle::Form);
        if let Some(e) = written.invalid() {
            panic!("paykit mock: {}: query parameter {name}: {e}", self.route.key.operation);
        }
        let pairs = written.query;
        let mut keys: Vec<String> = Vec::new();
        for (key, _) in &pairs {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        if keys.is_empty() {
            keys.push(name.to_owned());
        }
        self.conditions.push(Condition::Query {
            name: name.to_owned(),
            keys,
            pairs,
        });
        self
    }

    /// Only requests whose body holds `partial`: every key of an object, at any depth, with
    /// that value; arrays and scalars equal. A form body is read as an object of its pairs, every
    /// value a string (`json!({"amount": "8925"})`).
    pub fn when_body(mut self, partial: impl Serialize) -> Self {
        let partial = self.json("body condition", &partial);
        self.conditions.push(Condition::Body(partial));
        self
    }

    /// Expects exactly `n` requests to get this configuration's answers: [`MockCore::verify`]
    /// says otherwise, and dropping the server panics (unless it is dropped while panicking).
    pub fn times(mut self, n: u64) -> Self {
        self.expected = Some(n);
        self
    }

    /// The requests received that meet this mock's conditions, in order: path, query, headers
    /// and the decoded body.
    ///
    /// # Panics
    ///
    /// When a request's body does not decode as the operation's body type (it got a 422).
    pub async fn received(&self) -> Vec<Received<B>> {
        let key = &self.route.key;
        let requests = self.route.core.server().received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .filter(|r| key.matches(&self.conditions, r))
            .map(|r| {
                let body = (self.decode)(&r.body)
                    .unwrap_or_else(|e| panic!("paykit mock: {} received a body of another shape: {e}", key.operation));
                Received::new(&r, body)
            })
            .collect()
    }

    fn json(&self, what: &str, value: &impl Serialize) -> Value {
        serde_json::to_value(value).unwrap_or_else(|e| {
            panic!(
                "paykit mock: {}: the {what} does not serialize to JSON: {e}",
                self.route.key.operation
            )
        })
    }
}

impl<T, E, B: 'static> Operation<'_, T, E, B> {
    /// Only requests for which `condition` holds, given the request with its decoded body
    /// (`.when(|request| request.body.amount > 1000)`). A body that does not decode meets no
    /// condition. No two predicates are the same condition: a configuration with one never adds
    /// to another's sequence.
    pub fn when(mut self, condition: impl Fn(&Received<B>) -> bool + Send + Sync + 'static) -> Self {
        let decode = self.decode;
        self.conditions.push(Condition::Predicate(Arc::new(move |request| {
            decode(&request.body).is_ok_and(|body| condition(&Received::new(request, body)))
        })));
        self
    }
}

impl<T, E, B> IntoFuture for Operation<'_, T, E, B> {
    type Output = ();
    type IntoFuture = Ready<()>;

    /// Configures the mock; nothing is left to wait for.
    ///
    /// # Panics
    ///
    /// When there is nothing to configure (no answer and no call count), or the call count
    /// contradicts one configured before for the same conditions.
    fn into_future(self) -> Ready<()> {
        let key = self.route.key;
        if self.answers.is_empty() && self.expected.is_none() {
            panic!(
                "paykit mock: {} is awaited with nothing to configure: give it an answer (`.returns(…)`) or a call count (`.times(n)`)",
                key.operation
            );
        }
        lock(&self.route.core.state).add(Stub {
            route: key,
            check: self.route.check,
            conditions: self.conditions,
            answers: self.answers,
            expected: self.expected,
            calls: 0,
        });
        ready(())
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
    fn new(request: &wiremock::Request, body: B) -> Self {
        Self {
            path: request.url.path().to_owned(),
            query: request.url.query_pairs().into_owned().collect(),
            headers: request.headers.clone(),
            body,
        }
    }

    /// The first value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A header as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}
