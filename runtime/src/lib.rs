//! What every paykit-generated client shares, written once: the HTTP transport, the request
//! and response types the generated methods build and decode, the error type, authentication
//! hooks and a secret type that never prints itself.
//!
//! Generated code only ever builds a [`Request`], hands it to [`Transport::execute`] and decodes
//! the [`RawResponse`]; everything that differs between providers (bearer tokens, request
//! signing, token refresh) happens behind the [`Auth`] hook, so it never changes the shape of
//! generated code.

mod auth;
mod error;
pub mod form;
pub mod lenient;
mod request;
mod response;
mod secret;
mod transport;

pub use auth::{ApiKeyHeader, Auth, AuthFuture, Bearer, NoAuth};
pub use error::{Error, ErrorResponse, RequestError};
pub use request::{Body, Request, encode_path_segment};
pub use response::{RawResponse, ResponseValue};
pub use secret::Secret;
pub use transport::{BuildError, Transport, TransportBuilder};

pub use reqwest::{Method, StatusCode, header::HeaderMap};
// Generated crates depend on this crate alone; they reach serde through these re-exports.
pub use serde;
pub use serde_json;

/// A fresh idempotency key (UUID v4), for create calls the caller did not give a key to.
pub fn idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}
