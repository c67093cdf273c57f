use std::fmt;

use reqwest::header::LOCATION;
use reqwest::{StatusCode, header::HeaderMap};
use serde_json::error::Category;

use crate::AuthError;

/// Everything a generated method can fail with. `E` is the operation's own error type, decoded
/// from the documented error statuses.
///
/// No variant ever shows a credential: auth hooks report failures without the secret, sensitive
/// headers are not kept, URLs are dropped from transport errors, and raw bodies are cut short in
/// `Debug`.
///
/// With the `mock` feature, the message of an answer a paykit mock server made up itself ends
/// with its explanation (`unexpected response status 501 Not Implemented: no answer configured
/// for getPayment (GET /payments/pay_1)`).
///
/// Before repeating a failed call yourself, ask [`Error::is_outcome_unknown`] and
/// [`Error::was_applied`]: a create whose outcome is unknown may be repeated only with the same
/// idempotency key ([`Error::idempotency_key`]), which the provider answers with the first outcome.
#[derive(Debug, thiserror::Error)]
pub enum Error<E> {
    /// The server answered with a status the spec documents as an error, and its body decoded.
    #[error("the API answered {} (a documented error){}", .0.status, mock_note(&.0.headers))]
    Api(Box<ErrorResponse<E>>),
    /// A status the spec does not document for this operation. A `3xx` is one too: redirects
    /// are never followed ([`Error::redirect_location`] tells where it pointed).
    #[error("{}{}", unexpected(.0), mock_note(&.0.headers))]
    UnexpectedStatus(Box<ErrorResponse>),
    /// The body of the response did not decode as documented. For a `2xx` the request **was
    /// applied**: do not repeat it.
    #[error("{}{}: {source}", decode_failure(response.status), mock_note(&response.headers))]
    Decode {
        response: Box<ErrorResponse>,
        #[source]
        source: DecodeError,
    },
    /// The response body was larger than the transport's limit; `response.raw` holds its start.
    /// For a `2xx` the request was applied.
    #[error("the {} response body exceeds the limit of {limit} bytes{}", response.status, applied(response.status))]
    TooLarge { response: Box<ErrorResponse>, limit: usize },
    /// No complete response: connecting, sending, a timeout, or reading the body failed.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// The authentication hook could not authorize the request.
    #[error("could not authenticate the request: {0}")]
    Auth(#[source] AuthError),
    /// The request could not be built (unencodable body, a header value with line breaks, …).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A paginated stream cannot go on (see [`crate::pagination::cursor`]): its first parameters
    /// set both cursors, or a page says there are more items but gives no cursor to ask for them.
    #[error("cannot page on: {0}")]
    Paging(String),
}

fn unexpected(response: &ErrorResponse) -> String {
    if response.status.is_redirection() {
        format!(
            "the API answered {} (a redirect, which is not followed)",
            response.status
        )
    } else {
        format!(
            "unexpected response status {}{}",
            response.status,
            applied(response.status)
        )
    }
}

fn decode_failure(status: StatusCode) -> String {
    if status.is_success() {
        format!("the request was applied ({status}), but its response body did not decode as documented")
    } else {
        format!("could not decode the {status} response body")
    }
}

/// What a paykit mock server says about an answer it made up itself (a request without an
/// answer, a body of another shape), so that a test's error names the cause. Only with the `mock`
/// feature: no other build shows the text of a header.
#[cfg(feature = "mock")]
fn mock_note(headers: &HeaderMap) -> String {
    (headers.get(crate::mock::NOTE_HEADER))
        .and_then(|note| note.to_str().ok())
        .map(|note| format!(": {note}"))
        .unwrap_or_default()
}

#[cfg(not(feature = "mock"))]
fn mock_note(_: &HeaderMap) -> &'static str {
    ""
}

fn applied(status: StatusCode) -> &'static str {
    if status.is_success() {
        " (the request was applied)"
    } else {
        ""
    }
}

/// Statuses that do not say whether the server acted on the request: it failed or a gateway lost
/// its answer.
fn leaves_outcome_unknown(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 504)
}

/// A response that ended in an error: status, headers, the body as received, and (for
/// documented errors) the decoded body.
#[derive(Clone)]
pub struct ErrorResponse<B = ()> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as received (UTF-8, lossily where it is not); for [`Error::TooLarge`] its start.
    pub raw: String,
    pub body: B,
    /// The idempotency key the request carried.
    pub idempotency_key: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
}

/// How much of a raw body `Debug` shows.
const DEBUG_RAW_LIMIT: usize = 512;

impl<B: fmt::Debug> fmt::Debug for ErrorResponse<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("raw", &Bounded(&self.raw))
            .field("body", &self.body)
            .field("idempotency_key", &self.idempotency_key)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// A text cut to [`DEBUG_RAW_LIMIT`] bytes in `Debug`, saying how much was left out.
struct Bounded<'a>(&'a str);

impl fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.len() <= DEBUG_RAW_LIMIT {
            return fmt::Debug::fmt(self.0, f);
        }
        let cut = self.0.floor_char_boundary(DEBUG_RAW_LIMIT);
        write!(f, "{:?}… ({} more bytes)", &self.0[..cut], self.0.len() - cut)
    }
}

/// A failure without a complete response.
#[derive(Debug)]
pub struct TransportError {
    /// The underlying error, with the URL removed (a query may hold a signature).
    pub source: reqwest::Error,
    /// Whether the request may have reached the server.
    pub sent: Sent,
    /// Set when the status arrived but reading the body failed.
    pub status: Option<StatusCode>,
    pub idempotency_key: Option<String>,
    pub attempts: u32,
}

/// Whether a request that got no complete answer may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// The connection failed before anything was sent: nothing can have been applied.
    No,
    /// Sent (or partly sent), then the answer was lost: it may have been applied.
    Maybe,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.sent, self.status) {
            (Sent::No, _) => write!(f, "the request could not be sent: {}", self.source)?,
            (Sent::Maybe, None) => write!(
                f,
                "the request was sent but no answer arrived ({}): it may have been applied",
                self.source
            )?,
            (Sent::Maybe, Some(status)) => write!(
                f,
                "the {status} response could not be read ({}){}",
                self.source,
                applied(status)
            )?,
        }
        if let Some(key) = &self.idempotency_key {
            write!(f, "; idempotency key {key}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Why a body did not decode: serde's message with every string value from the body replaced by
/// `"…"` (a body may hold a credential), and where in the body it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    category: Category,
    line: usize,
    column: usize,
}

impl DecodeError {
    pub(crate) fn new(error: &serde_json::Error) -> Self {
        Self {
            message: without_string_values(&error.to_string()),
            category: error.classify(),
            line: error.line(),
            column: error.column(),
        }
    }

    /// For a body that holds credentials: serde's message may quote a number from it, so only
    /// the kind of failure and its position are kept.
    pub(crate) fn withheld(error: &serde_json::Error) -> Self {
        let kind = match error.classify() {
            Category::Data => "the body does not have the documented shape",
            Category::Eof => "the body ends too early",
            Category::Syntax | Category::Io => "the body is not JSON",
        };
        Self {
            message: format!("{kind} (line {}, column {})", error.line(), error.column()),
            ..Self::new(error)
        }
    }

    /// Not JSON at all (or cut off: see [`DecodeError::is_eof`]).
    pub fn is_syntax(&self) -> bool {
        self.category == Category::Syntax
    }

    /// Valid JSON of the wrong shape: a missing field, a wrong type.
    pub fn is_data(&self) -> bool {
        self.category == Category::Data
    }

    /// The body ended in the middle of a value.
    pub fn is_eof(&self) -> bool {
        self.category == Category::Eof
    }

    /// Where in the body (1-based; 0 when serde could not tell).
    pub fn line(&self) -> usize {
        self.line
    }

    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// serde quotes the offending value (`invalid type: string "sk_live_…", expected u32`); keep the
/// message, drop the value.
fn without_string_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            out.push_str("…\"");
            let mut escaped = false;
            for inner in chars.by_ref() {
                match (escaped, inner) {
                    (false, '\\') => escaped = true,
                    (false, '"') => break,
                    _ => escaped = false,
                }
            }
        }
    }
    out
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(r) => Some(r.status),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } | Self::TooLarge { response: r, .. } => {
                Some(r.status)
            }
            Self::Transport(t) => t.status,
            Self::Auth(_) | Self::InvalidRequest(_) | Self::Paging(_) => None,
        }
    }

    /// The response headers (rate limits, request ids), when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(r) => Some(&r.headers),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } | Self::TooLarge { response: r, .. } => {
                Some(&r.headers)
            }
            _ => None,
        }
    }

    /// The response body as received (only its start for [`Error::TooLarge`]).
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Self::Api(r) => Some(&r.raw),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } | Self::TooLarge { response: r, .. } => {
                Some(&r.raw)
            }
            _ => None,
        }
    }

    /// The typed body of a documented error status.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Self::Api(r) => Some(&r.body),
            _ => None,
        }
    }

    /// The idempotency key the request carried: repeat the call with this key (keep the same
    /// parameters) and the provider applies it at most once.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Self::Api(r) => r.idempotency_key.as_deref(),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } | Self::TooLarge { response: r, .. } => {
                r.idempotency_key.as_deref()
            }
            Self::Transport(t) => t.idempotency_key.as_deref(),
            Self::Auth(_) | Self::InvalidRequest(_) | Self::Paging(_) => None,
        }
    }

    /// How many times the request was sent (automatic retries and a credential renewal included);
    /// `None` when it never reached the network layer.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Api(r) => Some(r.attempts),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } | Self::TooLarge { response: r, .. } => {
                Some(r.attempts)
            }
            Self::Transport(t) => Some(t.attempts),
            Self::Auth(_) | Self::InvalidRequest(_) | Self::Paging(_) => None,
        }
    }

    /// Whether the server may or may not have applied the request: it was sent and the answer
    /// was lost (timeout, reset), or the answer was 500, 502 or 504. Such a request was not
    /// retried unless it was retry-safe; look the object up, or repeat with the same
    /// [`Error::idempotency_key`].
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Self::Transport(t) => match t.status {
                None => t.sent == Sent::Maybe,
                Some(status) => leaves_outcome_unknown(status),
            },
            _ => self.status().is_some_and(leaves_outcome_unknown),
        }
    }

    /// Whether the server answered with a `2xx`, i.e. applied the request, although the call
    /// failed afterwards (an undecodable or oversized body). Never repeat such a call.
    pub fn was_applied(&self) -> bool {
        self.status().is_some_and(|s| s.is_success())
    }

    /// For a `3xx` answer, where it pointed. The redirect was not followed: no credential went
    /// there.
    pub fn redirect_location(&self) -> Option<&str> {
        let status = self.status()?;
        if !status.is_redirection() {
            return None;
        }
        self.headers()?.get(LOCATION)?.to_str().ok()
    }
}

/// Failures before a complete response exists; they convert into every operation's [`Error`].
/// Like it, none shows a credential.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// A body or parameter value cannot be represented as JSON (e.g. a map with non-string keys).
    /// Not a `source`: serde's own message may quote the value, so only a redacted copy is shown.
    #[error("{}", encode_failure(.0))]
    Encode(serde_json::Error),
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("could not authenticate the request: {0}")]
    Auth(#[source] AuthError),
    #[error(transparent)]
    Transport(Box<TransportError>),
    #[error("the {} response body exceeds the limit of {limit} bytes{}", response.status, applied(response.status))]
    TooLarge { response: Box<ErrorResponse>, limit: usize },
}

pub(crate) fn encode_failure(error: &serde_json::Error) -> String {
    format!("a value cannot be encoded as JSON: {}", DecodeError::new(error))
}

/// An empty credential the request would carry (see [`crate::Secret::require`]): refused like an
/// empty credential of an auth hook.
impl<E> From<crate::EmptySecret> for Error<E> {
    fn from(e: crate::EmptySecret) -> Self {
        Self::Auth(AuthError::EmptyCredential(e))
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Encode(e) => Self::InvalidRequest(encode_failure(&e)),
            RequestError::InvalidRequest(m) => Self::InvalidRequest(m),
            RequestError::Auth(m) => Self::Auth(m),
            RequestError::Transport(t) => Self::Transport(t),
            RequestError::TooLarge { response, limit } => Self::TooLarge { response, limit },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_messages_keep_no_string_from_the_body() {
        let err = serde_json::from_str::<u32>(r#""sk_live_\"quoted\" secret""#).unwrap_err();
        let shown = DecodeError::new(&err).to_string();
        assert!(!shown.contains("sk_live") && !shown.contains("secret"), "{shown}");
        assert!(shown.starts_with("invalid type: string \"…\", expected u32"), "{shown}");
        let err = serde_json::from_str::<std::collections::HashMap<String, u32>>("{\"a\": 1").unwrap_err();
        assert_eq!(DecodeError::new(&err).to_string(), err.to_string());
    }

    #[test]
    fn request_errors_are_std_errors_that_show_no_value() {
        fn shown_as_error(e: &dyn std::error::Error) -> String {
            e.to_string()
        }
        // A map with non-string keys cannot become JSON; serde's message names no value here, but
        // the text is redacted all the same.
        let unencodable = std::collections::BTreeMap::from([((1, 2), "sk_live_secret")]);
        let encode = serde_json::to_value(unencodable).unwrap_err();
        let error = RequestError::Encode(encode);
        let shown = shown_as_error(&error);
        assert!(shown.starts_with("a value cannot be encoded as JSON: "), "{shown}");
        assert!(!shown.contains("sk_live_secret"), "{shown}");
        assert!(std::error::Error::source(&error).is_none());

        let auth = RequestError::Auth(AuthError::Unsupported("only form bodies are signed"));
        assert_eq!(
            shown_as_error(&auth),
            "could not authenticate the request: only form bodies are signed"
        );
        assert!(std::error::Error::source(&auth).is_some());
        let invalid = RequestError::InvalidRequest("invalid header name \"a b\"".into());
        assert_eq!(shown_as_error(&invalid), "invalid request: invalid header name \"a b\"");
    }

    /// The operation's error type needs no `Debug` to be carried; only `Debug` itself (and the
    /// `std::error::Error` impl that builds on it) asks for one.
    #[test]
    fn error_needs_no_debug_bound_on_its_type() {
        struct Opaque;
        let error: Error<Opaque> = RequestError::InvalidRequest("bad".into()).into();
        assert_eq!(error.to_string(), "invalid request: bad");
        assert_eq!(error.status(), None);
        fn is_std_error<T: std::error::Error>() {}
        is_std_error::<Error<String>>();
    }

    #[test]
    fn debug_cuts_raw_bodies_short() {
        let response = ErrorResponse {
            status: StatusCode::BAD_GATEWAY,
            headers: HeaderMap::new(),
            raw: "é".repeat(10_000),
            body: (),
            idempotency_key: None,
            attempts: 1,
        };
        let shown = format!("{response:?}");
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
        assert!(shown.contains("more bytes"), "{shown}");
    }
}
