//! What every paykit-generated client shares, written once: the HTTP transport and its retry
//! policy, the request and response types the generated methods build and decode, the error
//! type, authentication hooks, idempotency keys and a secret type that never prints itself.
//!
//! Generated code only ever builds a [`Request`] (naming its operation, its idempotency key, and
//! whether the spec marks it idempotent), hands it to [`Transport::execute`] and decodes the
//! [`RawResponse`]; everything that differs between providers (bearer tokens, request signing,
//! token refresh) happens behind the [`Auth`] hook, so it never changes the shape of generated
//! code. The transport decides what may be retried ([`retry`]), follows no redirects, caps
//! response bodies, and traces each call without a credential.

mod auth;
mod client;
pub mod decode;
mod error;
pub mod form;
mod idempotency;
pub mod lenient;
#[cfg(feature = "mock")]
pub mod mock;
pub mod multipart;
pub mod object;
pub mod pagination;
mod param;
mod request;
mod response;
pub mod retry;
mod secret;
pub mod sequence;
#[cfg(feature = "signature")]
pub mod signature;
#[cfg(feature = "token")]
pub mod token;
mod transport;

pub use auth::{ApiKeyHeader, Auth, AuthError, AuthFuture, Bearer, NoAuth};
pub use error::{DecodeError, Error, ErrorResponse, RequestError, Sent, TransportError};
pub use idempotency::IdempotencyKey;
pub use multipart::File;
pub use param::{CookieStyle, HeaderStyle, JsonText, PathStyle, QueryStyle};
pub use request::{Body, Request};
pub use response::{RawResponse, ResponseValue};
pub use retry::RetryPolicy;
pub use secret::{EmptySecret, Secret};
pub use transport::{
    BuildError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, Transport, TransportBuilder,
};

pub use reqwest::{Method, StatusCode, header::HeaderMap};

/// The method named `name` when it has no constant (`QUERY`, or any of a path item's
/// `additionalOperations`); a name that is not an HTTP token is an invalid request.
pub fn method(name: &str) -> Result<Method, RequestError> {
    Method::from_bytes(name.as_bytes())
        .map_err(|_| RequestError::InvalidRequest(format!("{name:?} is not an HTTP method")))
}
// What the generated `…_pages` and `…_stream` methods return implement `Stream`; reading them
// takes `StreamExt` (`next`) or `TryStreamExt` (`try_next`): `futures`' own traits, re-exported
// so that neither generated crates nor their users need a futures dependency of their own.
pub use futures_util::{Stream, StreamExt, TryStreamExt};

/// The properties of an object that its spec does not name: kept from responses, sent with
/// requests as they are. Every generated struct has them (as `additional_properties`), unless
/// its spec says `additionalProperties: false`.
pub type OtherProperties = std::collections::BTreeMap<String, serde_json::Value>;
// For the macros generated code invokes (`open_enum!`), which cannot name the caller's serde.
pub use serde;
pub use serde_json;

/// A string enum that keeps values it does not know, as generated clients declare them:
///
/// ```
/// paykit_runtime::open_enum! {
///     /// Where a payment is.
///     pub enum Status {
///         Pending = "pending" | "PENNDING",
///         Paid = "paid",
///     }
/// }
/// assert_eq!(Status::from("paid"), Status::Paid);
/// assert_eq!(Status::from("PENNDING").as_str(), "pending");
/// assert_eq!(Status::from("PAID"), Status::Unknown("PAID".into()));
/// assert_eq!(Status::Pending.as_str(), "pending");
/// ```
///
/// Each variant is documented with its wire value; `Unknown(String)` keeps any other value as
/// sent, so a new server value never fails a whole response. The enum gets `as_str()`,
/// `From<&str>`, `Display`, `Serialize` and `Deserialize`, and derives `Debug`, `Clone`,
/// `PartialEq`, `Eq` and `Hash`. Written `#[ascii_case_insensitive]` first, known values match
/// without regard to ASCII case; `Pending = "pending" | "PENNDING"` also reads a second spelling
/// (written back as the first).
#[macro_export]
macro_rules! open_enum {
    (#[ascii_case_insensitive] $($rest:tt)*) => {
        $crate::open_enum!(@define eq_ignore_ascii_case; $($rest)*);
    };
    (@define $eq:ident; $(#[$meta:meta])* $vis:vis enum $name:ident { $($variant:ident = $wire:literal $(| $alias:literal)*),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $(#[doc = concat!("`", $wire, "`")] $variant,)*
            /// A value this client does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as it goes over the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $(if $crate::open_enum!(@$eq value, $wire) $(|| $crate::open_enum!(@$eq value, $alias))* {
                    return Self::$variant;
                })*
                Self::Unknown(value.to_owned())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
    (@eq $value:ident, $wire:literal) => {
        $value == $wire
    };
    (@eq_ignore_ascii_case $value:ident, $wire:literal) => {
        $value.eq_ignore_ascii_case($wire)
    };
    ($($rest:tt)*) => {
        $crate::open_enum!(@define eq; $($rest)*);
    };
}

/// A `oneOf` with a `discriminator`, as generated clients declare it: the variant is chosen by the
/// value of the tag property, and a value no variant has is kept as JSON instead of failing.
///
/// ```
/// #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// pub struct Dog { pub kind: String, pub barks: bool }
///
/// paykit_runtime::tagged_union! {
///     /// A pet.
///     pub enum Pet: "kind" {
///         Dog(Dog) = "dog" | "Dog",
///     }
/// }
/// let dog: Pet = serde_json::from_str(r#"{"kind": "dog", "barks": true}"#).unwrap();
/// assert!(matches!(dog, Pet::Dog(Dog { barks: true, .. })));
/// let bird: Pet = serde_json::from_str(r#"{"kind": "bird"}"#).unwrap();
/// assert!(matches!(bird, Pet::Unknown(_)));
/// assert_eq!(serde_json::to_string(&bird).unwrap(), r#"{"kind":"bird"}"#);
/// ```
#[macro_export]
macro_rules! tagged_union {
    ($(#[$meta:meta])* $vis:vis enum $name:ident : $tag:literal {
        $($variant:ident($ty:ty) = $value:literal $(| $alias:literal)*),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        $vis enum $name {
            $(#[doc = concat!("`", $tag, ": ", $value, "`")] $variant($ty),)*
            /// A value of the tag this client does not know, kept as sent.
            Unknown($crate::serde_json::Value),
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::serde::Serialize::serialize(value, serializer),)*
                    Self::Unknown(value) => $crate::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$crate::serde_json::Value as $crate::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get($tag).and_then($crate::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    $(Some($value $(| $alias)*) => <$ty as $crate::serde::Deserialize>::deserialize($crate::decode::metered(value))
                        .map(Self::$variant)
                        .map_err(<D::Error as $crate::serde::de::Error>::custom),)*
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    };
}
