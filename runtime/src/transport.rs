use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue};

use crate::error::RequestError;
use crate::{Auth, Body, NoAuth, RawResponse, Request};

/// The default time a whole request may take, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends [`Request`]s to one API: base URL, HTTP client, timeout and the auth hook.
/// Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: String,
    timeout: Duration,
    auth: Arc<dyn Auth>,
}

/// Configures a [`Transport`]; see [`Transport::builder`].
#[derive(Debug)]
pub struct TransportBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    auth: Arc<dyn Auth>,
}

/// The HTTP client could not be created (e.g. TLS could not be initialised).
#[derive(Debug, thiserror::Error)]
#[error("could not create the HTTP client: {0}")]
pub struct BuildError(#[source] reqwest::Error);

impl Transport {
    /// Starts a configuration for the API at `base_url` (one of the crate's `servers`, or a
    /// local mock server in tests).
    pub fn builder(base_url: impl Into<String>) -> TransportBuilder {
        TransportBuilder {
            base_url: base_url.into(),
            http: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("paykit/", env!("CARGO_PKG_VERSION")).to_owned(),
            auth: Arc::new(NoAuth),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP client, for hooks that have to make requests of their own (token endpoints).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Authorizes, encodes and sends `request`, and reads the whole response.
    /// On a `401`, [`Auth::renew`] may renew the credentials; the request is then sent once more.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, RequestError> {
        let (response, sent) = self.send(request.clone()).await?;
        if response.status != StatusCode::UNAUTHORIZED || !self.auth.renew(&sent).await.map_err(RequestError::Auth)? {
            return Ok(response);
        }
        Ok(self.send(request).await?.0)
    }

    /// Authorizes and sends `request` once; returns the response and the request as authorized.
    async fn send(&self, mut request: Request) -> Result<(RawResponse, Request), RequestError> {
        self.auth.authorize(&mut request).await.map_err(RequestError::Auth)?;
        let built = self.build(&request)?;
        let response = self.http.execute(built).await.map_err(RequestError::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(RequestError::Transport)?.to_vec();
        Ok((RawResponse { status, headers, body }, request))
    }

    fn build(&self, request: &Request) -> Result<reqwest::Request, RequestError> {
        let joined = format!("{}{}", self.base_url.trim_end_matches('/'), request.path);
        let mut url = url::Url::parse(&joined)
            .map_err(|e| RequestError::InvalidRequest(format!("invalid URL {joined:?}: {e}")))?;
        if !request.query.is_empty() {
            // The same encoder as form bodies, so a signer's encoding is exactly what is sent.
            let encoded = crate::form::encode(&request.query);
            let query = match url.query() {
                Some(base) if !base.is_empty() => format!("{base}&{encoded}"),
                _ => encoded,
            };
            url.set_query(Some(&query));
        }
        let mut builder = self.http.request(request.method.clone(), url).timeout(self.timeout);
        builder = builder.header(ACCEPT, HeaderValue::from_static("application/json"));
        for header in &request.headers {
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| RequestError::InvalidRequest(format!("invalid header name {:?}", header.name)))?;
            let mut value = HeaderValue::from_str(&header.value).map_err(|_| {
                RequestError::InvalidRequest(format!("invalid characters in the {} header", header.name))
            })?;
            value.set_sensitive(header.sensitive);
            builder = builder.header(name, value);
        }
        match &request.body {
            Body::Empty => {}
            Body::Json(value) => {
                let bytes = serde_json::to_vec(value).map_err(RequestError::Encode)?;
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(bytes);
            }
            Body::Form(pairs) => {
                builder = builder
                    .header(
                        CONTENT_TYPE,
                        HeaderValue::from_static("application/x-www-form-urlencoded"),
                    )
                    .body(crate::form::encode(pairs));
            }
        }
        builder.build().map_err(RequestError::Transport)
    }
}

impl TransportBuilder {
    /// The hook that authenticates every request (default: none).
    pub fn auth(mut self, auth: impl Auth + 'static) -> Self {
        self.auth = Arc::new(auth);
        self
    }

    /// Time limit for a whole request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit for connecting (default 10 s); ignored when you pass your own client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Your own `reqwest::Client` (proxies, custom TLS roots, a shared pool).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The `User-Agent` sent when paykit creates the HTTP client.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    pub fn build(self) -> Result<Transport, BuildError> {
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(BuildError)?,
        };
        Ok(Transport {
            http,
            base_url: self.base_url,
            timeout: self.timeout,
            auth: self.auth,
        })
    }
}
