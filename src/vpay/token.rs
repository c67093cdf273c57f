//! V-Pay's token flow (hand-written): [`TokenAuth`], the [`Auth`] hook of the V-Pay client.
//!
//! `POST /auth/` with the `apiUser` and `apiKey` headers returns a bearer token that lives for
//! `expires_in` (written like `"300.0 seconds"`). [`TokenAuth`] fetches it on first use, caches it,
//! replaces it shortly before it expires, lets one fetch run however many requests wait for it,
//! and when the server still answers 401 it fetches a new token once and the request is sent
//! once more.
//!
//! That resend is safe because a 401 means the server refused the request before acting on it.
//! `initiate_payment` has no other idempotency mechanism than its unique `external_id`, so if the
//! resend of a payment is answered 409 `DUPLICATE_REFERENCE`, the first attempt went through after
//! all (a proxy may have answered the 401): do not create a new payment, look this one up with
//! `get_transaction_status` and its `external_id`. `expires_in` may also arrive as a plain number
//! of seconds.

use std::time::Duration;

use paykit_runtime::token::TokenCache;
use paykit_runtime::{Auth, AuthError, AuthFuture, BuildError, EmptySecret, Request, Secret, Transport};

use super::Client;
use super::types::AccessTokenExpiresIn;

/// The operation that issues tokens (`POST /auth/`), which takes the API credentials instead of
/// a token. Known by its id, which says what it is wherever the server puts it.
const TOKEN_OPERATION: &str = "generateAccessToken";

/// The `apiUser`/`apiKey` header pair.
#[derive(Debug, Clone)]
struct Credentials {
    // Not a secret in itself, but half of the credential pair: kept out of `Debug` as well.
    api_user: Secret,
    api_key: Secret,
}

impl Credentials {
    /// Refuses an empty API user or key: a configuration error, not a credential.
    fn new(api_user: impl Into<Secret>, api_key: impl Into<Secret>) -> Result<Self, EmptySecret> {
        Ok(Self {
            api_user: Secret::non_empty(api_user, "V-Pay API user")?,
            api_key: Secret::non_empty(api_key, "V-Pay API key")?,
        })
    }

    fn add_to(&self, request: &mut Request) {
        request.sensitive_header("apiUser", self.api_user.expose().to_owned());
        request.sensitive_header("apiKey", self.api_key.expose().to_owned());
    }
}

impl Auth for Credentials {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthFuture<'a> {
        self.add_to(request);
        Box::pin(async { Ok(()) })
    }
}

/// The [`Auth`] hook of the V-Pay client: bearer tokens obtained with the API credentials.
///
/// Every request except the token request itself (`generateAccessToken`, `POST /auth/`) gets
/// `Authorization: Bearer <token>` plus the `apiUser`/`apiKey` headers the docs' `/pay/` samples
/// send alongside it.
#[derive(Debug)]
pub struct TokenAuth {
    credentials: Credentials,
    /// Calls `/auth/` with the credentials.
    issuer: Client,
    cache: TokenCache,
}

impl TokenAuth {
    /// A hook that obtains tokens from the V-Pay API at `base_url` (the same base URL the client
    /// uses), with default timeouts.
    pub fn new(
        base_url: impl Into<String>,
        api_user: impl Into<Secret>,
        api_key: impl Into<Secret>,
    ) -> Result<Self, BuildError> {
        Self::with_transport(Transport::builder(base_url), api_user, api_key)
    }

    /// Like [`TokenAuth::new`], with the token requests sent through `transport` (your own
    /// timeouts or `reqwest::Client`); its auth hook is replaced by the credentials.
    pub fn with_transport(
        transport: paykit_runtime::TransportBuilder,
        api_user: impl Into<Secret>,
        api_key: impl Into<Secret>,
    ) -> Result<Self, BuildError> {
        let credentials = Credentials::new(api_user, api_key)?;
        let issuer = Client::from_transport(transport.auth(credentials.clone()).build()?);
        Ok(Self {
            credentials,
            issuer,
            cache: TokenCache::new(),
        })
    }

    async fn fetch(&self) -> Result<(Secret, Option<Duration>), AuthError> {
        let token = self
            .issuer
            .generate_access_token()
            .await
            .map_err(|e| AuthError::Failed {
                context: "the token request failed",
                source: Box::new(e),
            })?
            .into_inner();
        let lifetime = match &token.expires_in {
            Some(AccessTokenExpiresIn::String(text)) => parse_lifetime(text),
            Some(AccessTokenExpiresIn::Number(seconds)) => seconds_to_duration(*seconds),
            None => None,
        };
        Ok((token.access, lifetime))
    }
}

/// `Client::with_credentials`: a V-Pay client that manages its own tokens.
pub trait WithCredentials: Sized {
    /// A client for the V-Pay API at `base_url` that authenticates with the API user and key,
    /// obtaining and refreshing bearer tokens itself.
    fn with_credentials(
        base_url: impl Into<String>,
        api_user: impl Into<Secret>,
        api_key: impl Into<Secret>,
    ) -> Result<Self, BuildError>;
}

impl WithCredentials for Client {
    fn with_credentials(
        base_url: impl Into<String>,
        api_user: impl Into<Secret>,
        api_key: impl Into<Secret>,
    ) -> Result<Self, BuildError> {
        let base_url = base_url.into();
        let auth = TokenAuth::new(base_url.clone(), api_user, api_key)?;
        Self::new(base_url, auth)
    }
}

impl Auth for TokenAuth {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthFuture<'a> {
        Box::pin(async move {
            self.credentials.add_to(request);
            if request.operation != TOKEN_OPERATION {
                let token = self.cache.get(|| self.fetch()).await?;
                request.sensitive_header("Authorization", format!("Bearer {}", token.expose()));
            }
            Ok(())
        })
    }

    fn renew<'a>(&'a self, rejected: &'a Request) -> AuthFuture<'a, bool> {
        Box::pin(async move {
            let bearer = rejected
                .headers
                .iter()
                .find(|h| h.name == "Authorization")
                .and_then(|h| h.value.strip_prefix("Bearer "));
            let Some(token) = bearer else {
                // The token request itself was refused: the credentials are wrong.
                return Ok(false);
            };
            self.cache.invalidate(token).await;
            Ok(true)
        })
    }
}

/// `"300.0 seconds"` (or a bare `"300"`) as a duration; `None` when it cannot be read, and the
/// token is then kept until the server rejects it. A JSON number is read as seconds too.
fn parse_lifetime(text: &str) -> Option<Duration> {
    let mut words = text.split_whitespace();
    let seconds: f64 = words.next()?.parse().ok()?;
    match words.next() {
        None | Some("second" | "seconds" | "s" | "sec") => seconds_to_duration(seconds),
        Some(_) => None,
    }
}

/// A lifetime in seconds, when it is one (not negative, not NaN, not beyond any clock).
fn seconds_to_duration(seconds: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes() {
        assert_eq!(parse_lifetime("300.0 seconds"), Some(Duration::from_secs(300)));
        assert_eq!(parse_lifetime(" 1.5 seconds "), Some(Duration::from_millis(1500)));
        assert_eq!(parse_lifetime("300"), Some(Duration::from_secs(300)));
        assert_eq!(parse_lifetime("5 minutes"), None);
        assert_eq!(parse_lifetime("-1 seconds"), None);
        assert_eq!(parse_lifetime("NaN seconds"), None);
        assert_eq!(parse_lifetime("1e300 seconds"), None);
        assert_eq!(parse_lifetime(""), None);
    }
}
