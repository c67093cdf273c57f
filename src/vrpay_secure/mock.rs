//! VR pay secure's mock server (hand-written glue): the generated [`paykit_vrpay_secure::mock`]
//! server, which also checks every request's `ApiSignature` as the real server does.
//!
//! A request whose signature does not verify with the API secret gets 401 with VR pay's error
//! body, whatever answer its operation has.

use std::ops::Deref;

use paykit_runtime::mock::wiremock::{Match, Mock, Request, ResponseTemplate};
use paykit_runtime::{form, serde_json, signature};

pub use paykit_vrpay_secure::mock::*;

/// The generated [`MockServer`] with the signature check;
/// derefs to it for the operations.
#[derive(Debug)]
pub struct SignedMockServer {
    inner: MockServer,
}

impl SignedMockServer {
    /// Starts a server that refuses requests not signed with `api_secret`.
    pub async fn start(api_secret: &str) -> Self {
        let inner = MockServer::start().await;
        let check = BadSignature {
            api_secret: api_secret.to_owned(),
        };
        let unauthorized = serde_json::json!({
            "status": "error",
            "message": "The API Signature is not valid",
        });
        Mock::given(check)
            .respond_with(ResponseTemplate::new(401).set_body_json(unauthorized))
            .with_priority(1)
            .named("ApiSignature check")
            .mount(inner.server())
            .await;
        Self { inner }
    }
}

impl Deref for SignedMockServer {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        &self.inner
    }
}

/// Matches the requests whose `ApiSignature` is missing or wrong.
struct BadSignature {
    api_secret: String,
}

impl Match for BadSignature {
    fn matches(&self, request: &Request) -> bool {
        let pairs: Vec<(String, String)> = if request.method.as_str() == "GET" {
            request.url.query_pairs().into_owned().collect()
        } else {
            paykit_runtime::mock::decode_form(&request.body).unwrap_or_default()
        };
        let (sent, signed): (Vec<_>, Vec<_>) = pairs
            .into_iter()
            .filter(|(name, _)| name != "instance")
            .partition(|(name, _)| name == "ApiSignature");
        let expected = signature::hmac_sha256_base64(self.api_secret.as_bytes(), form::encode(&signed).as_bytes());
        !matches!(sent.as_slice(), [(_, sent)] if signature::constant_time_eq(sent.as_bytes(), expected.as_bytes()))
    }
}
