//! The core of the typed mock servers generated clients get behind their `mock` feature: a
//! [`wiremock`] server that answers by operation (method and path template) with scripted
//! answers, checks that JSON request bodies have the operation's shape, counts calls, and hands
//! the requests it received back decoded.
//!
//! Generated code declares its server with [`mock_server!`](crate::mock_server) and builds one [`Route`] per
//! operation; tests use the generated methods, each an [`Operation`] to configure:
//!
//! ```
//! # paykit_runtime::mock_server! { pub struct MockServer; operations: [("getPayment", "GET", "/payments/{id}")]; }
//! # impl MockServer {
//! #     fn get_payment(&self) -> paykit_runtime::mock::Operation<'_, serde_json::Value, serde_json::Value, ()> {
//! #         use paykit_runtime::mock;
//! #         self.route("getPayment", "GET", "/payments/{id}").typed(200, mock::Answer::Json { unwrap: None }, mock::ignore_body)
//! #     }
//! # }
//! # async fn run() {
//! use serde_json::json;
//! let mock = MockServer::start().await;
//! // pay_1: pending, then paid (for every call after); any other id: 404.
//! mock.get_payment().when_path("id", "pay_1").returns(json!({"status": "pending"})).returns(json!({"status": "paid"})).await;
//! mock.get_payment().fails(404, json!({"error": "no such payment"})).await;
//! // A gateway's 503 before the answer, and exactly two calls.
//! mock.get_payment().when_path("id", "pay_2").fails_without_body(503).returns(json!({"status": "paid"})).times(2).await;
//! # let _ = mock.verify();
//! # }
//! ```
//!
//! Provider glue that needs more (a signature check, a token endpoint) mounts its own
//! [`wiremock::Mock`]s on [`MockCore::server`]: they come before every configured answer.

mod operation;
mod stub;
mod template;

use std::fmt;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::Mock;
use wiremock::matchers::any;

use crate::form::Dialect;
use stub::{Dispatcher, State, lock};

pub use operation::{Answer, Operation, Received, Route};
pub use stub::NOTE_HEADER;
pub use wiremock;

/// Declares a generated crate's `MockServer`: a [`MockCore`] it derefs to, knowing every
/// operation of the API (`operationId`, method, path template) so that a request without an
/// answer is named, and `start`. With `query_dialect: Php`, [`Operation::when_query`] writes
/// values as a PHP API reads them. The operations are the generated crate's own
/// `impl MockServer` block, each a [`MockCore::route`] of `self.0`.
///
/// ```
/// paykit_runtime::mock_server! {
///     /// A mock of the Example API for tests.
///     pub struct MockServer;
///     operations: [
///         ("getPayment", "GET", "/payments/{id}"),
///         #[cfg(feature = "refunds")]
///         ("getRefund", "GET", "/refunds/{id}"),
///     ];
/// }
///
/// # async fn run() {
/// let mock = MockServer::start().await;
/// assert!(mock.url().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[macro_export]
macro_rules! mock_server {
    (
        $(#[$meta:meta])* $vis:vis struct $name:ident;
        operations: [$($(#[$attr:meta])* ($operation:literal, $method:literal, $template:literal)),* $(,)?];
        $(query_dialect: $dialect:ident;)?
    ) => {
        $(#[$meta])*
        ///
        /// Give its `url()` to the client as the base URL, script each operation's answers
        /// (`.returns(…)`, `.fails(…)`, in sequence, under conditions: see
        /// [`Operation`](paykit_runtime::mock::Operation)), then read what it received
        /// (`.received()`) or check the call counts (`verify()`; dropping it checks them too). A
        /// request without an answer gets 501 `no answer configured for …`; a JSON body that
        /// does not decode as the operation's body type gets 422, naming the operation. It
        /// derefs to the runtime's [`MockCore`](paykit_runtime::mock::MockCore).
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
                const OPERATIONS: &[(&str, &str, &str)] = &[$($(#[$attr])* ($operation, $method, $template)),*];
                let dialect = $crate::mock_server!(@dialect $($dialect)?);
                Self($crate::mock::MockCore::start(OPERATIONS, dialect).await)
            }
        }
    };
    (@dialect) => { $crate::form::Dialect::Standard };
    (@dialect $dialect:ident) => { $crate::form::Dialect::$dialect };
}

/// Checks a request body against an operation's body type: `Err` carries serde's message.
pub type BodyCheck = fn(&[u8]) -> Result<(), String>;

/// A running mock server. When dropped, it checks the call counts ([`MockCore::verify`]) and
/// panics if one is not met, unless the thread is panicking already.
pub struct MockCore {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
    dialect: Dialect,
}

impl fmt::Debug for MockCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockCore").field("url", &self.server.uri()).finish()
    }
}

impl MockCore {
    /// Starts a server on a free local port for an API with these operations (`operationId`,
    /// method, path template), whose query values are written in `dialect`.
    pub async fn start(operations: &'static [(&'static str, &'static str, &'static str)], dialect: Dialect) -> Self {
        let state = Arc::new(Mutex::new(State {
            operations,
            stubs: Vec::new(),
        }));
        let core = Self {
            server: wiremock::MockServer::start().await,
            state,
            dialect,
        };
        core.mount_dispatcher().await;
        core
    }

    /// The base URL to give the client (`http://127.0.0.1:<port>`).
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server, to mount mocks of your own: they come before every configured
    /// answer.
    pub fn server(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Forgets every configured answer, every call count and every received request (and the
    /// mocks mounted on [`MockCore::server`]).
    pub async fn reset(&self) {
        lock(&self.state).stubs.clear();
        self.server.reset().await;
        self.mount_dispatcher().await;
    }

    /// Checks every call count set with [`Operation::times`]: `Err` lists each one not met, with
    /// the number of calls received.
    pub fn verify(&self) -> Result<(), VerifyError> {
        let unmet = lock(&self.state).unmet();
        if unmet.is_empty() {
            Ok(())
        } else {
            Err(VerifyError { unmet })
        }
    }

    /// The mock of one operation: `template` is the spec's path (`/payments/{id}`), whose
    /// parameters match any one segment (or part of one).
    pub fn route(&self, operation: &'static str, http_method: &'static str, template: &'static str) -> Route<'_> {
        Route::new(self, operation, http_method, template)
    }

    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    async fn mount_dispatcher(&self) {
        Mock::given(any())
            .respond_with(Dispatcher(Arc::clone(&self.state)))
            .with_priority(u8::MAX)
            .named("paykit mock")
            .mount(&self.server)
            .await;
    }
}

impl Drop for MockCore {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Err(e) = self.verify() {
            panic!("{e}");
        }
    }
}

/// Call counts not met, from [`MockCore::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    unmet: Vec<String>,
}

impl VerifyError {
    /// One line per call count not met: `listPayments (GET /payments, query starting_after=pay_2):
    /// expected 1 call, received 2`.
    pub fn unmet(&self) -> &[String] {
        &self.unmet
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "paykit mock: call counts not met:")?;
        for line in &self.unmet {
            write!(f, "\n  {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

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
}
