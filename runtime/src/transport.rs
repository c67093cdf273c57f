use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, SET_COOKIE};
use tokio::time::Instant;
use tracing::Instrument;

use crate::error::{RequestError, Sent, TransportError};
use crate::retry::{self, ResetHeader, RetryPolicy};
use crate::sequence::StreamingResponse;
use crate::{Auth, Body, EmptySecret, NoAuth, RawResponse, Request};

/// The default time a whole request may take, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default limit on a response body: far above any payment API's answer, far below what
/// would hurt a server.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// How much of an oversized body an error keeps.
const TOO_LARGE_PREFIX: usize = 4 * 1024;

/// Sends [`Request`]s to one API: base URL, HTTP client, timeout, retry policy, size limit and
/// the auth hook. Cheap to clone; clones share the connection pool. `Debug` leaves out any
/// credentials written into the base URL.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    rate_limit_reset: Option<ResetHeader>,
    auth: Arc<dyn Auth>,
    /// The caller gave its own `reqwest::Client`, which may follow redirects.
    foreign_client: bool,
}

/// Configures a [`Transport`]; see [`Transport::builder`].
#[derive(Debug)]
pub struct TransportBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    max_response_bytes: usize,
    auth: Arc<dyn Auth>,
}

/// A client could not be created.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The HTTP client could not be created (e.g. TLS could not be initialised).
    #[error("could not create the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    /// A required credential is empty.
    #[error(transparent)]
    EmptyCredential(#[from] EmptySecret),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &without_userinfo(&self.base_url))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limit_reset", &self.rate_limit_reset)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

/// `https://user:pass@host/…` without `user:pass@`.
fn without_userinfo(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "<not a URL>".to_owned(),
    }
}

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
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
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

    /// The header the API uses to say when a rate limit resets (generated clients set what the
    /// spec names); honoured like `Retry-After` when that is absent.
    pub fn rate_limit_reset(mut self, header: ResetHeader) -> Self {
        self.rate_limit_reset = Some(header);
        self
    }

    /// Authorizes, encodes and sends `request`, retrying as the [`RetryPolicy`] allows, and reads
    /// the whole response. On a `401`, [`Auth::renew`] may renew the credentials; the request is
    /// then sent once more. An [invalid](Request::invalid) request is not sent: its error is
    /// returned.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, RequestError> {
        let (response, _) = self.execute_traced(request, false).await?;
        Ok(response)
    }

    /// Like [`Transport::execute`], but a 2xx body is left to read as a sequence (OpenAPI 3.2
    /// `itemSchema`): retries stop once a 2xx status arrives. Any other status is read whole.
    pub async fn execute_streaming(&self, request: Request) -> Result<StreamingResponse, RequestError> {
        let (head, body) = self.execute_traced(request, true).await?;
        Ok(StreamingResponse { head, body })
    }

    /// Refuses an invalid request unsent; sends a valid one inside its trace span (which shows the
    /// path template, never a parameter's value).
    async fn execute_traced(
        &self,
        request: Request,
        streaming: bool,
    ) -> Result<(RawResponse, Option<reqwest::Response>), RequestError> {
        if let Some(invalid) = request.invalid() {
            return Err(invalid);
        }
        let span = tracing::info_span!(
            "paykit.request",
            operation = request.operation,
            method = %request.method,
            path = %request.shown_path(),
            idempotency_key = request.idempotency_key.as_deref(),
        );
        self.execute_with_retries(request, streaming).instrument(span).await
    }

    async fn execute_with_retries(
        &self,
        request: Request,
        streaming: bool,
    ) -> Result<(RawResponse, Option<reqwest::Response>), RequestError> {
        let started = Instant::now();
        let retry_safe = request.is_retry_safe();
        let (mut attempts, mut retries, mut renewed) = (0, 0, false);
        loop {
            attempts += 1;
            let result = self.send(request.clone(), streaming).await;
            let (wanted, reason) = match &result {
                Ok((response, _, sent)) => {
                    tracing::info!(
                        attempt = attempts,
                        status = response.status.as_u16(),
                        elapsed_ms = elapsed_ms(started),
                        "response"
                    );
                    if response.status == StatusCode::UNAUTHORIZED
                        && !renewed
                        && self.auth.renew(sent).await.map_err(RequestError::Auth)?
                    {
                        renewed = true;
                        continue;
                    }
                    let wanted = (retry_safe && retry::retryable_status(response.status)).then(|| {
                        retry::server_delay(response.status, &response.headers, self.rate_limit_reset.as_ref())
                    });
                    (wanted, "status")
                }
                Err(RequestError::Transport(t)) => match t.status {
                    // The status arrived, then the body broke: the answer is that status, and its
                    // rules apply. After a 2xx the request was applied: it is never sent again.
                    Some(status) => {
                        tracing::info!(attempt = attempts, status = status.as_u16(), elapsed_ms = elapsed_ms(started), error = %t.source, "body not read");
                        (
                            (retry_safe && retry::retryable_status(status)).then_some(None),
                            "status",
                        )
                    }
                    None => {
                        tracing::info!(attempt = attempts, elapsed_ms = elapsed_ms(started), error = %t.source, "no response");
                        ((t.sent == Sent::No || retry_safe).then_some(None), "no response")
                    }
                },
                Err(_) => (None, ""),
            };
            let delay = wanted.and_then(|server| self.retry.delay(retries + 1, started.elapsed(), server));
            let Some(delay) = delay else {
                return finish(result, attempts, request.idempotency_key);
            };
            retries += 1;
            tracing::info!(
                attempt = attempts,
                delay_ms = delay.as_millis() as u64,
                reason,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Authorizes and sends `request` once; returns the response, its 2xx body still to read when
    /// `streaming`, and the request as authorized.
    async fn send(
        &self,
        mut request: Request,
        streaming: bool,
    ) -> Result<(RawResponse, Option<reqwest::Response>, Request), RequestError> {
        self.auth.authorize(&mut request).await.map_err(RequestError::Auth)?;
        let built = self.build(&request)?;
        // paykit's own client never redirects; one passed in might (see `http_client`).
        let sent_to = self.foreign_client.then(|| built.url().clone());
        let mut response = self.http.execute(built).await.map_err(|e| lost(e, None))?;
        if sent_to.is_some_and(|url| response.url() != &url) {
            tracing::warn!("the HTTP client followed a redirect; build it with reqwest::redirect::Policy::none()");
        }
        let status = response.status();
        let mut headers = std::mem::take(response.headers_mut());
        hide_credentials(&mut headers);
        let limit = self.max_response_bytes;
        let sensitive = request.secret_response && status.is_success();
        if streaming && status.is_success() {
            let mut raw = RawResponse::new(status, headers, Vec::new());
            raw.sensitive = sensitive;
            return Ok((raw, Some(response), request));
        }
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large(status, headers, Vec::new(), limit, sensitive));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| lost(e, Some(status)))? {
            if body.len() + chunk.len() > limit {
                body.extend_from_slice(&chunk[..TOO_LARGE_PREFIX.saturating_sub(body.len()).min(chunk.len())]);
                return Err(too_large(status, headers, body, limit, sensitive));
            }
            body.extend_from_slice(&chunk);
        }
        let mut raw = RawResponse::new(status, headers, body);
        raw.sensitive = sensitive;
        Ok((raw, None, request))
    }

    fn build(&self, request: &Request) -> Result<reqwest::Request, RequestError> {
        let base = self.base_url.trim_end_matches('/');
        let mut joined = String::with_capacity(base.len() + request.path.len());
        joined.push_str(base);
        joined.push_str(&request.path);
        // The base URL may carry credentials (`user:pass@`): the message names the path only.
        let mut url = url::Url::parse(&joined).map_err(|e| {
            RequestError::InvalidRequest(format!(
                "the base URL with the path {:?} is not a URL: {e}",
                request.path
            ))
        })?;
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
        for header in &request.headers {
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| RequestError::InvalidRequest(format!("invalid header name {:?}", header.name)))?;
            let mut value = HeaderValue::from_str(&header.value).map_err(|_| {
                RequestError::InvalidRequest(format!("invalid characters in the {} header", header.name))
            })?;
            value.set_sensitive(header.sensitive);
            builder = builder.header(name, value);
        }
        const FORM: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");
        builder = match &request.body {
            Body::Empty => builder,
            Body::Json(value) => {
                let bytes = serde_json::to_vec(value).map_err(RequestError::Encode)?;
                builder
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(bytes)
            }
            Body::Form(pairs) => builder.header(CONTENT_TYPE, FORM).body(crate::form::encode(pairs)),
            Body::EncodedForm(encoded) => builder.header(CONTENT_TYPE, FORM).body(encoded.clone()),
            Body::Raw { content_type, bytes } => {
                let content_type = HeaderValue::from_str(content_type)
                    .map_err(|_| RequestError::InvalidRequest(format!("invalid content type {content_type:?}")))?;
                builder.header(CONTENT_TYPE, content_type).body(bytes.clone())
            }
            Body::Multipart(form) => builder.multipart(form.to_reqwest()?),
        };
        builder
            .build()
            .map_err(|e| RequestError::InvalidRequest(e.without_url().to_string()))
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A request that got no complete answer. Only a failure to connect proves nothing was sent.
fn lost(error: reqwest::Error, status: Option<StatusCode>) -> RequestError {
    let sent = if error.is_connect() { Sent::No } else { Sent::Maybe };
    RequestError::Transport(Box::new(TransportError {
        source: error.without_url(),
        sent,
        status,
        idempotency_key: None,
        attempts: 0,
    }))
}

fn too_large(
    status: StatusCode,
    headers: HeaderMap,
    mut prefix: Vec<u8>,
    limit: usize,
    sensitive: bool,
) -> RequestError {
    prefix.truncate(TOO_LARGE_PREFIX);
    let mut raw = RawResponse::new(status, headers, prefix);
    raw.sensitive = sensitive;
    RequestError::TooLarge {
        response: raw.into_error(()),
        limit,
    }
}

/// Response headers that can carry credentials never show in `Debug`.
fn hide_credentials(headers: &mut HeaderMap) {
    for name in [SET_COOKIE, AUTHORIZATION] {
        if let reqwest::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

/// Stamps the attempt count and idempotency key on whatever the last attempt produced.
fn finish(
    result: Result<(RawResponse, Option<reqwest::Response>, Request), RequestError>,
    attempts: u32,
    idempotency_key: Option<String>,
) -> Result<(RawResponse, Option<reqwest::Response>), RequestError> {
    match result {
        Ok((mut response, body, _)) => {
            response.attempts = attempts;
            response.idempotency_key = idempotency_key;
            Ok((response, body))
        }
        Err(RequestError::Transport(mut t)) => {
            t.attempts = attempts;
            t.idempotency_key = idempotency_key;
            Err(RequestError::Transport(t))
        }
        Err(RequestError::TooLarge { mut response, limit }) => {
            response.attempts = attempts;
            response.idempotency_key = idempotency_key;
            Err(RequestError::TooLarge { response, limit })
        }
        Err(other) => Err(other),
    }
}

impl TransportBuilder {
    /// The hook that authenticates every request (default: none).
    pub fn auth(mut self, auth: impl Auth + 'static) -> Self {
        self.auth = Arc::new(auth);
        self
    }

    /// Time limit for a whole attempt, response body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time limit for connecting (default 10 s); ignored when you pass your own client.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When to retry (default [`RetryPolicy::default`]; [`RetryPolicy::never`] turns it off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body accepted (default 8 MiB); a larger one ends reading at once
    /// with [`crate::Error::TooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Your own `reqwest::Client` (proxies, custom TLS roots, a shared pool). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: a client that follows redirects sends your
    /// credentials (and re-posts a signed body on 307/308) wherever a `Location` points. paykit's
    /// own client never follows redirects and sends no `Referer`.
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
        let foreign_client = self.http.is_some();
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Transport {
            http,
            base_url: self.base_url,
            timeout: self.timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            rate_limit_reset: None,
            auth: self.auth,
            foreign_client,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wiremock::matchers::{body_bytes, header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A body of another media type goes out byte for byte, with its content type.
    #[tokio::test]
    async fn raw_bodies_are_sent_as_they_are() {
        let server = MockServer::start().await;
        let bytes = vec![0u8, 159, 146, 150, 255];
        Mock::given(method("PUT"))
            .and(header("content-type", "application/octet-stream"))
            .and(body_bytes(bytes.clone()))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let transport = Transport::builder(server.uri()).build().unwrap();
        let mut request = Request::new("uploadFile", reqwest::Method::PUT, "/files/a");
        request.raw("application/octet-stream", &bytes);
        assert!(format!("{request:?}").contains("<5 bytes redacted>"));
        let response = transport.execute(request).await.unwrap();
        assert_eq!(response.status(), 204);
    }
}
