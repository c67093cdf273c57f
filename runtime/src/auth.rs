use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::{EmptySecret, Request, Secret};

/// What [`Auth`]'s methods return: a boxed future, so `Auth` stays usable as a trait object.
pub type AuthFuture<'a, T = ()> = Pin<Box<dyn Future<Output = Result<T, String>> + Send + 'a>>;

/// The hook every request passes through just before it is sent.
///
/// Bearer tokens and API keys add a header; later providers sign the request's parameters or
/// fetch a token first. The hook sees the request before it is encoded, so a signature can be
/// computed over exactly the parameters that will be sent. An `Err` becomes [`crate::Error::Auth`];
/// it must not contain the secret.
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
            None => Err(EmptySecret("bearer token").to_string()),
        };
        Box::pin(async { added })
    }
}

/// An empty credential fails every request loudly instead of being sent.
fn non_empty<'a>(secret: &'a Secret, what: &'static str) -> Result<&'a str, String> {
    if secret.is_empty() {
        return Err(EmptySecret(what).to_string());
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
