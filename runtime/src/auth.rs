use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::{EmptySecret, Request, Secret};

/// What [`Auth`]'s methods return: a boxed future, so `Auth` stays usable as a trait object.
pub type AuthFuture<'a, T = ()> = Pin<Box<dyn Future<Output = Result<T, AuthError>> + Send + 'a>>;

/// Why an [`Auth`] hook could not authorize a request or renew its credentials.
///
/// Nothing in it can hold a credential: its texts are fixed (`&'static str`, so no secret can be
/// formatted into them), and a cause is an error of its own that never shows one (paykit's
/// errors never do).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// A credential the hook needs is empty (a configuration value that was never set).
    #[error(transparent)]
    EmptyCredential(#[from] EmptySecret),
    /// The hook cannot authorize this request as it is built (a signer of form bodies given JSON).
    #[error("{0}")]
    Unsupported(&'static str),
    /// Obtaining a credential failed (a token request); `context` says what was attempted.
    #[error("{context}: {source}")]
    Failed {
        context: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// The hook every request passes through just before it is sent.
///
/// Bearer tokens and API keys add a header; later providers sign the request's parameters or
/// fetch a token first. The hook sees the request before it is encoded, so a signature can be
/// computed over exactly the parameters that will be sent. An `Err` becomes [`crate::Error::Auth`].
pub trait Auth: fmt::Debug + Send + Sync {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthFuture<'a>;

    /// Called when the server answered `401` to `rejected` (the request as authorized). Returning
    /// `true` means the credentials were renewed: the transport then authorizes and sends the
    /// request once more, and never more than once. A 401 means the server refused the request
    /// before acting on it, so resending cannot apply anything twice. The default never renews.
    fn renew<'a>(&'a self, rejected: &'a Request) -> AuthFuture<'a, bool> {
        let _ = rejected;
        Box::pin(async { Ok(false) })
    }
}

/// No authentication at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

impl Auth for NoAuth {
    fn authorize<'a>(&'a self, _request: &'a mut Request) -> AuthFuture<'a> {
        Box::pin(async { Ok(()) })
    }
}

/// `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct Bearer {
    /// `Bearer <token>`, built once; `None` when the token is empty.
    header: Option<Secret>,
}

impl Bearer {
    pub fn new(token: impl Into<Secret>) -> Self {
        let token = token.into();
        let header = (!token.is_empty()).then(|| Secret::new(format!("Bearer {}", token.expose())));
        Self { header }
    }
}

impl Auth for Bearer {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthFuture<'a> {
        let added = match &self.header {
            Some(header) => {
                request.sensitive_header("Authorization", header.expose().to_owned());
                Ok(())
            }
            None => Err(EmptySecret("bearer token").into()),
        };
        Box::pin(async { added })
    }
}

/// An empty credential fails every request loudly instead of being sent.
fn non_empty<'a>(secret: &'a Secret, what: &'static str) -> Result<&'a str, AuthError> {
    if secret.is_empty() {
        return Err(EmptySecret(what).into());
    }
    Ok(secret.expose())
}

/// An API key in a header of the provider's choosing (`X-Api-Key: <key>`).
#[derive(Debug, Clone)]
pub struct ApiKeyHeader {
    name: String,
    key: Secret,
}

impl ApiKeyHeader {
    pub fn new(name: impl Into<String>, key: impl Into<Secret>) -> Self {
        Self {
            name: name.into(),
            key: key.into(),
        }
    }
}

impl Auth for ApiKeyHeader {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthFuture<'a> {
        let added =
            non_empty(&self.key, "API key").map(|key| request.sensitive_header(self.name.clone(), key.to_owned()));
        Box::pin(async { added })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    /// Polls a future that completes without waiting (every hook here does).
    fn ready<T>(future: AuthFuture<'_, T>) -> Result<T, AuthError> {
        let waker = std::task::Waker::noop();
        match std::pin::pin!(future).poll(&mut std::task::Context::from_waker(waker)) {
            std::task::Poll::Ready(result) => result,
            std::task::Poll::Pending => panic!("the hook was expected to finish at once"),
        }
    }

    #[test]
    fn auth_errors_say_what_failed_without_the_secret() {
        let mut request = Request::new("getThing", Method::GET, "/x");
        let empty = ready(Bearer::new("").authorize(&mut request)).unwrap_err();
        assert!(matches!(empty, AuthError::EmptyCredential(_)), "{empty:?}");
        assert!(empty.to_string().contains("bearer token is empty"), "{empty}");

        // A failure with a cause shows the cause, whose own text is the hook's responsibility.
        let cause = std::io::Error::other("the token endpoint answered 401");
        let failed = AuthError::Failed {
            context: "the token request failed",
            source: Box::new(cause),
        };
        assert_eq!(
            failed.to_string(),
            "the token request failed: the token endpoint answered 401"
        );
        assert!(std::error::Error::source(&failed).is_some());

        let error = crate::Error::<()>::Auth(failed);
        let shown = error.to_string();
        assert!(
            shown.starts_with("could not authenticate the request: the token request failed"),
            "{shown}"
        );

        // Authorizing with a real key puts it on the request, never into anything shown.
        let mut request = Request::new("getThing", Method::GET, "/x");
        ready(ApiKeyHeader::new("X-Api-Key", "sk_live_secret").authorize(&mut request)).unwrap();
        assert!(!format!("{request:?}").contains("sk_live_secret"));
    }
}
