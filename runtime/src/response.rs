use std::fmt;
use std::ops::Deref;

use reqwest::{StatusCode, header::HeaderMap};
use serde::de::DeserializeOwned;

use crate::decode;
use crate::error::DecodeError;
use crate::{Error, ErrorResponse};

/// A response as received: status, headers and the whole body (within the transport's size
/// limit), and what the request carried. `Debug` shows the body's size, not its bytes.
#[derive(Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The idempotency key the request carried.
    pub idempotency_key: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
    /// The body holds credentials: an error keeps none of it.
    pub(crate) sensitive: bool,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("idempotency_key", &self.idempotency_key)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// A decoded success body together with the status and headers it came with
/// (rate-limit headers, request ids). Derefs to the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    idempotency_key: Option<String>,
    attempts: u32,
    body: T,
}

impl<T> ResponseValue<T> {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The idempotency key the request carried, if the operation takes one.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// How many times the request was sent (1 unless it was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub fn into_inner(self) -> T {
        self.body
    }

    /// Maps the body, keeping status and headers (used to wrap a body in a per-status enum).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            idempotency_key: self.idempotency_key,
            attempts: self.attempts,
            body: f(self.body),
        }
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// The body as text without copying it, unless it is not valid UTF-8.
pub(crate) fn into_text(body: Vec<u8>) -> String {
    String::from_utf8(body).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl RawResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Self {
        Self {
            status,
            headers,
            body,
            idempotency_key: None,
            attempts: 1,
            sensitive: false,
        }
    }

    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    pub(crate) fn into_error<B>(self, body: B) -> Box<ErrorResponse<B>> {
        let raw = if self.sensitive {
            format!("<{} bytes withheld: the body holds credentials>", self.body.len())
        } else {
            into_text(self.body)
        };
        Box::new(ErrorResponse {
            raw,
            status: self.status,
            headers: self.headers,
            body,
            idempotency_key: self.idempotency_key,
            attempts: self.attempts,
        })
    }

    pub(crate) fn value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            idempotency_key: self.idempotency_key,
            attempts: self.attempts,
            body,
        }
    }

    /// Decodes a JSON success body (within the memory budget of [`crate::decode`]).
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ResponseValue<T>, Error<E>> {
        match decode::from_slice(&self.body) {
            Ok(body) => Ok(self.value(body)),
            Err(source) => Err(self.decode_error(&source)),
        }
    }

    /// Decodes the value at `pointer` (RFC 6901) inside a JSON success body: the payload of an
    /// envelope such as `{"status": "success", "data": [{…}]}` at `/data/0`. A body without that
    /// value is a decode error, unless `T` accepts nothing (an `Option`, which is then `None`).
    pub fn json_at<T: DeserializeOwned, E>(self, pointer: &str) -> Result<ResponseValue<T>, Error<E>> {
        // Sought as it is read: the envelope around the value is never built.
        match decode::from_slice_at(&self.body, pointer) {
            Ok(body) => Ok(self.value(body)),
            Err(source) => Err(self.decode_error(&source)),
        }
    }

    /// A success without a documented body; whatever came is ignored.
    pub fn empty<E>(self) -> Result<ResponseValue<()>, Error<E>> {
        Ok(self.value(()))
    }

    /// A `text/*` success body.
    pub fn text<E>(mut self) -> Result<ResponseValue<String>, Error<E>> {
        let text = into_text(std::mem::take(&mut self.body));
        Ok(self.value(text))
    }

    /// A binary success body.
    pub fn bytes<E>(mut self) -> Result<ResponseValue<Vec<u8>>, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Ok(self.value(body))
    }

    /// A documented error status whose JSON body is the operation's error type.
    pub fn error<E: DeserializeOwned>(self) -> Error<E> {
        self.error_json(|body| body)
    }

    /// A documented error status with a JSON body, wrapped into the operation's per-status error.
    pub fn error_json<B: DeserializeOwned, E>(self, variant: impl FnOnce(B) -> E) -> Error<E> {
        match decode::from_slice(&self.body) {
            Ok(body) => Error::Api(self.into_error(variant(body))),
            Err(source) => self.decode_error(&source),
        }
    }

    /// A documented error status without a body schema (or with a text body, kept as raw).
    pub fn error_without_body<E>(self, error: E) -> Error<E> {
        Error::Api(self.into_error(error))
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(self.into_error(()))
    }

    fn decode_error<E>(self, source: &serde_json::Error) -> Error<E> {
        let source = if self.sensitive {
            DecodeError::withheld(source)
        } else {
            DecodeError::new(source)
        };
        Error::Decode {
            source,
            response: self.into_error(()),
        }
    }
}
