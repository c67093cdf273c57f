//! V-Pay's mock server (hand-written glue): the generated [`paykit_vpay::mock`] server, which
//! also runs the token flow: `POST /auth/` answers a token (with `expires_in`), and any other
//! request without `Authorization: Bearer <that token>` gets 401.

use std::ops::Deref;

use paykit_runtime::mock::wiremock::{Match, Mock, Request, ResponseTemplate};
use paykit_runtime::serde_json;

use super::types::{AccessToken, AccessTokenExpiresIn};

pub use paykit_vpay::mock::*;

/// The access token the mock issues.
pub const MOCK_TOKEN: &str = "mock-access-token";

/// The generated [`MockServer`] with the token flow; derefs to it
/// for the operations.
#[derive(Debug)]
pub struct TokenMockServer {
    inner: MockServer,
}

impl TokenMockServer {
    /// Starts a server that issues [`MOCK_TOKEN`] and requires it on every other request.
    pub async fn start() -> Self {
        let inner = MockServer::start().await;
        let mut token = AccessToken::new(MOCK_TOKEN);
        token.expires_in = Some(AccessTokenExpiresIn::String("300.0 seconds".to_owned()));
        inner.generate_access_token().returns(token).await;
        let unauthorized = serde_json::json!({
            "status": "error",
            "error_code": "INVALID_KEY",
            "message": "Missing or invalid bearer token",
        });
        Mock::given(WithoutToken)
            .respond_with(ResponseTemplate::new(401).set_body_json(unauthorized))
            .with_priority(1)
            .named("bearer token check")
            .mount(inner.server())
            .await;
        Self { inner }
    }
}

impl Deref for TokenMockServer {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        &self.inner
    }
}

/// Matches the requests, other than to `/auth/`, that lack the mock's bearer token.
struct WithoutToken;

impl Match for WithoutToken {
    fn matches(&self, request: &Request) -> bool {
        let expected = format!("Bearer {MOCK_TOKEN}");
        let authorization = request.headers.get("authorization").and_then(|v| v.to_str().ok());
        request.url.path() != "/auth/" && authorization != Some(expected.as_str())
    }
}
