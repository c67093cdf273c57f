use std::fmt;

use reqwest::{StatusCode, header::HeaderMap};

/// Everything a generated method can fail with. `E` is the operation's own error enum, with one
/// variant per documented error status.
///
/// No variant ever holds a credential: auth hooks report failures without the secret, and
/// sensitive headers are not kept.
#[derive(Debug, thiserror::Error)]
pub enum Error<E: fmt::Debug> {
    /// The server answered with a status the spec documents as an error, and its body decoded.
    #[error("the API answered {} (a documented error)", .0.status)]
    Api(Box<ErrorResponse<E>>),
    /// A status the spec does not document for this operation.
    #[error("unexpected response status {}", .0.status)]
    UnexpectedStatus(Box<ErrorResponse>),
    /// The status was expected but the body did not decode as documented.
    #[error("could not decode the {} response body: {source}", response.status)]
    Decode {
        response: Box<ErrorResponse>,
        #[source]
        source: serde_json::Error,
    },
    /// Connecting, sending, a timeout, or reading the response failed.
    #[error("the request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The authentication hook could not authorize the request.
    #[error("could not authenticate the request: {0}")]
    Auth(String),
    /// The request could not be built (unencodable body, a header value with line breaks, …).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

/// A response that ended in an error: status, headers, the body as received, and (for
/// documented errors) the decoded body.
#[derive(Debug, Clone)]
pub struct ErrorResponse<B = ()> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body exactly as received, lossily decoded as UTF-8.
    pub raw: String,
    pub body: B,
}

impl<E: fmt::Debug> Error<E> {
    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(r) => Some(r.status),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } => Some(r.status),
            Self::Transport(e) => e.status(),
            Self::Auth(_) | Self::InvalidRequest(_) => None,
        }
    }

    /// The response headers (rate limits, request ids), when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(r) => Some(&r.headers),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } => Some(&r.headers),
            _ => None,
        }
    }

    /// The response body exactly as received, when there was one.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Self::Api(r) => Some(&r.raw),
            Self::UnexpectedStatus(r) | Self::Decode { response: r, .. } => Some(&r.raw),
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
}

/// Failures before a response exists; they convert into every operation's [`Error`].
#[derive(Debug)]
pub enum RequestError {
    Encode(serde_json::Error),
    InvalidRequest(String),
    Auth(String),
    Transport(reqwest::Error),
}

impl<E: fmt::Debug> From<RequestError> for Error<E> {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Encode(e) => Self::InvalidRequest(format!("the body cannot be encoded as JSON: {e}")),
            RequestError::InvalidRequest(m) => Self::InvalidRequest(m),
            RequestError::Auth(m) => Self::Auth(m),
            RequestError::Transport(e) => Self::Transport(e),
        }
    }
}
