//! The scripted answers of a mock server, and how a request finds its answer.
//!
//! A *stub* is one operation's answers under some conditions (path, query, body, a predicate),
//! with an optional call count. Every request goes to the one dispatcher mounted on the wiremock
//! server, which picks the stub (the most specific whose conditions hold), counts the call and
//! gives the stub's next answer. What the mock makes up itself (no answer, a body of another
//! shape) carries [`NOTE_HEADER`], which the client's error messages show.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use super::BodyCheck;
use super::template::Template;

/// The header in which the mock explains an answer it made up itself: with the `mock` feature,
/// [`crate::Error`]'s messages end with it.
pub const NOTE_HEADER: &str = "x-paykit-mock";

/// The status of a request no configured answer fits: "the server does not implement this",
/// which no payment API answers to a documented call, and which the client never retries.
const NO_ANSWER: u16 = 501;

/// A condition of the caller's own, on the request as received.
pub(crate) type Predicate = Arc<dyn Fn(&Request) -> bool + Send + Sync>;

/// One condition a request must meet for a stub to answer it.
#[derive(Clone)]
pub(crate) enum Condition {
    /// The path parameter `name` is this segment, as the client writes it.
    Path { name: &'static str, segment: String },
    /// The query carries exactly these values for each key (`keys`: the pairs' keys, or the
    /// parameter's name when the value writes none: then it must be absent).
    Query {
        name: String,
        keys: Vec<String>,
        pairs: Vec<(String, String)>,
    },
    /// The body holds this JSON (objects compared key by key, at any depth).
    Body(Value),
    /// A predicate of the caller's, which never equals another.
    Predicate(Predicate),
}

impl Condition {
    /// Whether `request` meets it; path conditions are met while matching the path.
    fn holds(&self, request: &Request) -> bool {
        match self {
            Self::Path { .. } => true,
            Self::Query { keys, pairs, .. } => {
                let sent: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
                keys.iter().all(|key| {
                    let values = |pairs: &[(String, String)]| -> Vec<String> {
                        pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
                    };
                    values(&sent) == values(pairs)
                })
            }
            Self::Body(expected) => body_value(request).is_some_and(|body| contains(&body, expected)),
            Self::Predicate(predicate) => predicate(request),
        }
    }

    /// The same condition (predicates never are), so answers under it join one stub.
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Path { name, segment }, Self::Path { name: n, segment: s }) => name == n && segment == s,
            (Self::Query { name, pairs, .. }, Self::Query { name: n, pairs: p, .. }) => name == n && pairs == p,
            (Self::Body(a), Self::Body(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path { name, segment } => write!(f, "path {name} = {segment}"),
            Self::Query { name, pairs, .. } if pairs.is_empty() => write!(f, "no query {name}"),
            Self::Query { pairs, .. } => {
                let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(f, "query {}", pairs.join("&"))
            }
            Self::Body(value) => write!(f, "body with {value}"),
            Self::Predicate(_) => f.write_str("a predicate"),
        }
    }
}

/// The body as JSON: a form body as an object of its pairs (values strings), anything else
/// parsed as JSON.
fn body_value(request: &Request) -> Option<Value> {
    let form = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        let pairs = url::form_urlencoded::parse(&request.body).into_owned();
        Some(Value::Object(pairs.map(|(k, v)| (k, Value::String(v))).collect()))
    } else {
        serde_json::from_slice(&request.body).ok()
    }
}

/// `actual` holds `expected`: every key of an expected object, with a value that holds the
/// expected one; anything else equal.
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => expected
            .iter()
            .all(|(key, value)| actual.get(key).is_some_and(|a| contains(a, value))),
        _ => actual == expected,
    }
}

/// The route an operation's stubs answer: its `operationId`, method and path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RouteKey {
    pub operation: &'static str,
    pub method: &'static str,
    pub template: Template,
}

impl RouteKey {
    /// Whether `request` is for this route.
    fn routes(&self, request: &Request) -> bool {
        self.matches(&[], request)
    }

    /// Whether `request` is for this route and meets every condition.
    pub(crate) fn matches(&self, conditions: &[Condition], request: &Request) -> bool {
        let path_holds = |name: &str, value: &str| {
            conditions.iter().all(|c| match c {
                Condition::Path { name: n, segment } => *n != name || segment == value,
                _ => true,
            })
        };
        request.method.as_str() == self.method
            && self.template.matches(request.url.path(), path_holds)
            && conditions.iter().all(|c| c.holds(request))
    }
}

/// One operation's answers under some conditions.
#[derive(Debug)]
pub(crate) struct Stub {
    pub route: RouteKey,
    pub check: Option<BodyCheck>,
    pub conditions: Vec<Condition>,
    pub answers: Vec<ResponseTemplate>,
    pub expected: Option<u64>,
    pub calls: u64,
}

impl Stub {
    fn describe(&self) -> String {
        let RouteKey {
            operation,
            method,
            template,
        } = &self.route;
        let mut text = format!("{operation} ({method} {}", template.text());
        for condition in &self.conditions {
            text.push_str(&format!(", {condition:?}"));
        }
        text.push(')');
        text
    }

    fn same_as(&self, other: &Stub) -> bool {
        self.route == other.route
            && self.conditions.len() == other.conditions.len()
            && self
                .conditions
                .iter()
                .all(|c| other.conditions.iter().any(|o| c.same(o)))
    }
}

/// Everything a mock server was told, shared with its dispatcher.
#[derive(Debug)]
pub(crate) struct State {
    /// Every operation of the API (`operationId`, method, path template), to name a request.
    pub operations: &'static [(&'static str, &'static str, &'static str)],
    pub stubs: Vec<Stub>,
}

impl State {
    /// Adds `stub`, or joins it to the stub with the same route and conditions: its answers
    /// follow the ones given before, and a call count may be set once.
    pub(crate) fn add(&mut self, stub: Stub) {
        let Some(existing) = self.stubs.iter_mut().find(|s| s.same_as(&stub)) else {
            self.stubs.push(stub);
            return;
        };
        if let (Some(before), Some(now)) = (existing.expected, stub.expected)
            && before != now
        {
            panic!(
                "paykit mock: {} expects {} and now {now}: give one call count",
                existing.describe(),
                calls(before)
            );
        }
        existing.expected = existing.expected.or(stub.expected);
        existing.answers.extend(stub.answers);
    }

    /// The answer to `request`.
    fn respond(&mut self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let on_route: Vec<usize> = {
            // A route with fewer parameters wins (`/payments/search` over `/payments/{id}`), as
            // OpenAPI says concrete paths match first.
            let routed: Vec<(usize, usize)> = (self.stubs.iter().enumerate())
                .filter(|(_, stub)| stub.route.routes(request))
                .map(|(i, stub)| (i, stub.route.template.params().count()))
                .collect();
            let fewest = routed.iter().map(|&(_, params)| params).min();
            routed
                .into_iter()
                .filter(|&(_, params)| Some(params) == fewest)
                .map(|(i, _)| i)
                .collect()
        };
        let Some(&first) = on_route.first() else {
            return note(NO_ANSWER, format!("no answer configured for {}", self.name(request)));
        };
        if let Some(Err(e)) = self.stubs[first].check.map(|check| check(&request.body)) {
            let operation = self.stubs[first].route.operation;
            return note(
                422,
                format!("{operation}: the request body does not match the spec: {e}"),
            );
        }
        let matching: Vec<usize> = (on_route.iter().copied())
            .filter(|&i| self.stubs[i].route.matches(&self.stubs[i].conditions, request))
            .collect();
        let most = matching.iter().map(|&i| self.stubs[i].conditions.len()).max();
        let best: Vec<usize> = (matching.into_iter())
            .filter(|&i| Some(self.stubs[i].conditions.len()) == most)
            .collect();
        match best.as_slice() {
            [] => {
                let configured: Vec<String> = on_route
                    .iter()
                    .map(|&i| format!("{:?}", self.stubs[i].conditions))
                    .collect();
                note(
                    NO_ANSWER,
                    format!(
                        "no answer configured for {} (configured only for {})",
                        self.name(request),
                        configured.join(" or ")
                    ),
                )
            }
            [one] => {
                let stub = &mut self.stubs[*one];
                stub.calls += 1;
                let next = usize::try_from(stub.calls - 1).unwrap_or(usize::MAX);
                match stub.answers.get(next).or(stub.answers.last()) {
                    Some(answer) => answer.clone(),
                    None => note(
                        NO_ANSWER,
                        format!("no answer configured for {} (only a call count)", stub.describe()),
                    ),
                }
            }
            several => {
                let stubs: Vec<String> = several.iter().map(|&i| self.stubs[i].describe()).collect();
                note(
                    NO_ANSWER,
                    format!(
                        "{} configured answers fit {} {path} equally: {}",
                        several.len(),
                        request.method,
                        stubs.join("; ")
                    ),
                )
            }
        }
    }

    /// `getPayment (GET /payments/pay_1)` when an operation has this method and path, else the
    /// method and path. Never the query: it may hold a signature.
    fn name(&self, request: &Request) -> String {
        let (method, path) = (request.method.as_str(), request.url.path());
        let operation = (self.operations.iter())
            .filter(|(_, m, _)| *m == method)
            .map(|(operation, _, template)| (Template::parse(template), operation))
            .filter(|(template, _)| template.matches(path, |_, _| true))
            .map(|(template, operation)| (template.params().count(), operation))
            .min_by_key(|(params, _)| *params);
        match operation {
            Some((_, operation)) => format!("{operation} ({method} {path})"),
            None => format!("{method} {path} (no operation has this method and path)"),
        }
    }

    /// The call counts not met, one line each.
    pub(crate) fn unmet(&self) -> Vec<String> {
        (self.stubs.iter())
            .filter_map(|stub| {
                let expected = stub.expected?;
                (stub.calls != expected).then(|| {
                    format!(
                        "{}: expected {}, received {}",
                        stub.describe(),
                        calls(expected),
                        stub.calls
                    )
                })
            })
            .collect()
    }
}

/// `1 call`, `2 calls`.
fn calls(n: u64) -> String {
    format!("{n} call{}", if n == 1 { "" } else { "s" })
}

/// An answer the mock made up, explained in [`NOTE_HEADER`] and in the body.
fn note(status: u16, text: String) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header(NOTE_HEADER, header_text(&text).as_str())
        .set_body_json(serde_json::json!({ "paykit_mock": text }))
}

/// `text` as a header value, which holds visible ASCII and spaces only: anything else escaped.
fn header_text(text: &str) -> String {
    let mut header = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' || c.is_ascii_graphic() {
            header.push(c);
        } else {
            header.extend(c.escape_unicode());
        }
    }
    header
}

/// Locks the state; a predicate that panicked while it was locked leaves it usable.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The one wiremock responder of a mock server, at the lowest priority: mocks mounted on
/// the wiremock server directly (a signature check, a token endpoint) come first.
pub(crate) struct Dispatcher(pub Arc<Mutex<State>>);

impl Respond for Dispatcher {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        lock(&self.0).respond(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_are_compared_key_by_key_at_any_depth() {
        let actual = json!({"amount": 1250, "customer": {"id": "c_1", "name": "Ada"}, "tags": ["a", "b"]});
        assert!(contains(&actual, &json!({"customer": {"id": "c_1"}})));
        assert!(contains(&actual, &json!({"tags": ["a", "b"]})));
        assert!(!contains(&actual, &json!({"tags": ["a"]})));
        assert!(!contains(&actual, &json!({"customer": {"id": "c_2"}})));
        assert!(!contains(&actual, &json!({"missing": null})));
    }

    #[test]
    fn notes_are_escaped_to_fit_a_header() {
        assert_eq!(header_text("GET /caf\u{e9}\n"), "GET /caf\\u{e9}\\u{a}");
    }
}
