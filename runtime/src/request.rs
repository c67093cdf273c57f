use std::fmt;

use percent_encoding::{AsciiSet, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use crate::error::RequestError;
use crate::form::{Dialect, FormBody, form_pairs};

/// A request as generated code describes it, before anything is encoded for the wire.
///
/// [`crate::Auth`] hooks get it mutably, so they can add headers, query parameters or body
/// fields, and sign exactly what will be sent. Its `Debug` shows names, never values: query
/// values, bodies and sensitive headers may hold credentials or signatures.
#[derive(Clone)]
pub struct Request {
    /// The spec's `operationId`, for logs and traces.
    pub operation: &'static str,
    pub method: Method,
    /// Path below the base URL: the spec's template until [`Request::path_param`] writes each
    /// parameter into its `{name}`, encoded.
    pub path: String,
    /// The path as the spec writes it (`/payments/{id}`), when it has parameters (the first
    /// [`Request::path_param`] keeps it): traces and `Debug` show it instead of `path`, since a
    /// path parameter may be a credential.
    pub path_template: Option<String>,
    /// Query parameters in the order they are sent.
    pub query: Vec<(String, String)>,
    pub headers: Vec<Header>,
    pub body: Body,
    /// The idempotency key this request carries, if any (see [`Request::idempotency_key`]).
    pub idempotency_key: Option<String>,
    /// The spec marks the operation idempotent (`x-paykit-idempotent`): repeating it cannot
    /// apply it twice, so it may be retried although its method is not safe.
    pub idempotent: bool,
    /// A successful answer holds credentials (a token, a signing secret): no error keeps any of
    /// its body, not even the start of an oversized one.
    pub secret_response: bool,
    /// How query parameters and form bodies write their scalars (see [`Request::dialect`]).
    pub dialect: Dialect,
    /// Why a parameter or body could not be written, if one could not: the first such failure,
    /// reported by [`crate::Transport::execute`] instead of sending. Building a request thus
    /// never fails half-way, and generated methods need no early return per parameter.
    invalid: Option<String>,
}

/// One request header; sensitive ones are marked so they never show up in logs.
#[derive(Clone)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub sensitive: bool,
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = if self.sensitive { "***" } else { &self.value };
        write!(f, "{}: {value}", self.name)
    }
}

/// A request body, kept unencoded until it is sent, so hooks can read and extend it.
#[derive(Clone, Default, PartialEq)]
pub enum Body {
    #[default]
    Empty,
    /// Sent as `application/json`.
    Json(serde_json::Value),
    /// Sent as `application/x-www-form-urlencoded`: these `(key, value)` pairs, in this order,
    /// encoded by [`crate::form::encode`].
    Form(Vec<(String, String)>),
    /// An `application/x-www-form-urlencoded` body already encoded, sent byte for byte: a signer
    /// that signed the encoded form sets it, so the form is encoded once.
    EncodedForm(String),
    /// Any other media type, sent as these bytes.
    Raw { content_type: String, bytes: Vec<u8> },
    /// `multipart/form-data`.
    Multipart(crate::multipart::Form),
}

/// Shows the shape of the body, never its content.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Empty"),
            Self::Json(_) => f.write_str("Json(<redacted>)"),
            Self::Form(pairs) => f.debug_tuple("Form").field(&Names(pairs)).finish(),
            Self::EncodedForm(encoded) => write!(f, "EncodedForm(<{} bytes redacted>)", encoded.len()),
            Self::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
            Self::Raw { content_type, bytes } => write!(f, "Raw({content_type}, <{} bytes redacted>)", bytes.len()),
        }
    }
}

/// The keys of `(key, value)` pairs.
struct Names<'a>(&'a [(String, String)]);

impl fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(name, _)| name)).finish()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.shown_path())
            .field("query", &Names(&self.query))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("idempotency_key", &self.idempotency_key)
            .field("idempotent", &self.idempotent)
            .field("secret_response", &self.secret_response)
            .field("dialect", &self.dialect)
            .field("invalid", &self.invalid.is_some())
            .finish()
    }
}

impl Request {
    /// A request for the operation `operation` (its `operationId`).
    pub fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        Self {
            operation,
            method,
            path: path.into(),
            path_template: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            idempotency_key: None,
            idempotent: false,
            secret_response: false,
            dialect: Dialect::Standard,
            invalid: None,
        }
    }

    /// Records that a parameter or body could not be written; the first failure is the one
    /// reported.
    pub(crate) fn fail(&mut self, error: RequestError) {
        if self.invalid.is_none() {
            self.invalid = Some(match error {
                RequestError::InvalidRequest(message) => message,
                RequestError::Encode(error) => crate::error::encode_failure(&error),
                other => other.to_string(),
            });
        }
    }

    /// The first parameter or body that could not be written, as the error sending reports.
    pub fn invalid(&self) -> Option<RequestError> {
        self.invalid.clone().map(RequestError::InvalidRequest)
    }

    /// The path as the spec writes it, with parameter names for values (`/payments/{id}`): what
    /// traces and `Debug` show. [`Request::path_param`] keeps it by itself; a request whose path
    /// is built by hand with a credential in it should set it.
    pub fn path_template(mut self, template: impl Into<String>) -> Self {
        self.path_template = Some(template.into());
        self
    }

    /// The path as traces and `Debug` show it: its template, if set.
    pub(crate) fn shown_path(&self) -> &str {
        self.path_template.as_deref().unwrap_or(&self.path)
    }

    /// Writes query parameters and form bodies as `dialect` says: generated code sets
    /// [`Dialect::Php`] for APIs whose spec says `x-paykit-form-dialect: php`.
    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// Asks for answers in these media types (`Accept`): generated code lists those the
    /// operation's documented responses come in. Without it, the HTTP client's default is sent
    /// (`*/*` for paykit's own).
    pub fn accept(mut self, media_types: &str) -> Self {
        self.header("Accept", media_types);
        self
    }

    /// Marks the request idempotent (the spec says so), which allows retrying it.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Marks the successful answer as holding credentials (generated code does, where the spec
    /// types a response field `format: password`).
    pub fn secret_response(mut self) -> Self {
        self.secret_response = true;
        self
    }

    /// Whether sending it again cannot apply it twice: a safe method (`QUERY` is one, like
    /// `GET`), an idempotency key, or an operation the spec marks idempotent. Only such requests
    /// are retried once sent.
    pub fn is_retry_safe(&self) -> bool {
        matches!(self.method, Method::GET | Method::HEAD | Method::OPTIONS)
            || self.method.as_str() == "QUERY"
            || self.idempotency_key.is_some()
            || self.idempotent
    }

    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    pub fn header(&mut self, name: impl Into<String>, value: impl ToString) {
        self.headers.push(Header {
            name: name.into(),
            value: value.to_string(),
            sensitive: false,
        });
    }

    /// A cookie, added to the request's one `Cookie` header (marked sensitive: cookies are
    /// often credentials). The value is percent-encoded where a cookie value cannot hold it.
    pub fn cookie(&mut self, name: &str, value: impl ToString) {
        let pair = format!("{name}={}", utf8_percent_encode(&value.to_string(), COOKIE_VALUE));
        match self.headers.iter_mut().find(|h| h.name.eq_ignore_ascii_case("cookie")) {
            Some(header) => {
                header.value.push_str("; ");
                header.value.push_str(&pair);
            }
            None => self.sensitive_header("Cookie", pair),
        }
    }

    /// A header whose value is a credential: never logged, never in `Debug`.
    pub fn sensitive_header(&mut self, name: impl Into<String>, value: String) {
        self.headers.push(Header {
            name: name.into(),
            value,
            sensitive: true,
        });
    }

    /// Sends `key` in the header `name` and remembers it: the request becomes retry-safe, and
    /// the key is reported on the response and on any error.
    pub fn idempotency_key(&mut self, name: &str, key: &str) {
        self.header(name, key);
        self.idempotency_key = Some(key.to_owned());
    }

    /// Sets a JSON body. A `body` that cannot be represented as JSON (e.g. a map with
    /// non-string keys, which generated types never produce) makes the request
    /// [invalid](Request::invalid).
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Body::Json(value),
            Err(error) => self.fail(RequestError::Encode(error)),
        }
    }

    /// Sets a body of any other media type (`text/csv`, `application/octet-stream`, …), sent as it
    /// is: a `&str` or bytes.
    pub fn raw(&mut self, content_type: &str, body: impl AsRef<[u8]>) {
        self.body = Body::Raw {
            content_type: content_type.to_owned(),
            bytes: body.as_ref().to_vec(),
        };
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: crate::multipart::Form) {
        self.body = Body::Multipart(form);
    }

    /// Sets a form body: `body`'s properties in order, each written in its [`FormBody::STYLES`]
    /// entry (see [`crate::form::form_pairs`]), scalars as the request's [`Dialect`] writes them.
    pub fn form<T: FormBody + ?Sized>(&mut self, body: &T) {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Body::Form(form_pairs(&value, T::STYLES, self.dialect)),
            Err(error) => self.fail(RequestError::Encode(error)),
        }
    }
}

/// Bytes escaped in a cookie value: controls, space, `"`, `,`, `;`, `\\` and `%` (RFC 6265).
const COOKIE_VALUE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_names_never_values() {
        let mut r = Request::new("getThing", Method::GET, "/x");
        r.sensitive_header("Authorization", "Bearer sk_live_secret".into());
        r.header("Accept", "application/json");
        r.query("ApiSignature", "c2lnbmF0dXJl");
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("sk_live_secret") && !shown.contains("c2lnbmF0dXJl"),
            "{shown}"
        );
        assert!(
            shown.contains("Accept: application/json") && shown.contains("ApiSignature"),
            "{shown}"
        );
        for body in [
            Body::Json(serde_json::json!({"token": "tok_secret"})),
            Body::Form(vec![("token".into(), "tok_secret".into())]),
            Body::EncodedForm("token=tok_secret".into()),
        ] {
            r.body = body;
            let shown = format!("{r:?}");
            assert!(!shown.contains("tok_secret"), "{shown}");
        }
    }

    #[test]
    fn retry_safety() {
        let post = Request::new("create", Method::POST, "/p");
        assert!(!post.is_retry_safe());
        assert!(post.clone().idempotent().is_retry_safe());
        let mut keyed = post;
        keyed.idempotency_key("Idempotency-Key", "k1");
        assert!(keyed.is_retry_safe());
        assert!(Request::new("list", Method::GET, "/p").is_retry_safe());
        assert!(!Request::new("delete", Method::DELETE, "/p").is_retry_safe());
        assert!(Request::new("search", crate::method("QUERY").unwrap(), "/p").is_retry_safe());
        assert!(!Request::new("copy", crate::method("COPY").unwrap(), "/p").is_retry_safe());
    }
}
