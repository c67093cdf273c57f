//! When a request is sent again, and how long to wait first.
//!
//! A request is repeated only when repeating it cannot apply it twice: when the connection
//! failed before anything was sent, or when the request is retry-safe
//! ([`crate::Request::is_retry_safe`]: a safe method, an idempotency key, or an operation the spec
//! marks idempotent) and the answer was lost or was 429, 500, 502, 503 or 504. A status whose body
//! broke off mid-read is that status's answer: after a 2xx the request was applied, and it is
//! never sent again.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

/// How often and for how long a [`crate::Transport`] retries. On by default:
/// 3 attempts, exponential backoff from 500 ms with full jitter (each wait is random between
/// zero and the backoff, which doubles up to 8 s), and no retry that would end later than 60 s
/// after the first attempt started. A server's `Retry-After` (or the spec's rate-limit reset
/// header) replaces the computed wait; if that wait does not fit in the time left, the error is
/// returned at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Every request is sent once (a `401` may still renew credentials and resend once).
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff, and the most any computed backoff may grow to.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// No retry starts later than this after the first attempt started.
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The wait before retry number `retry` (1-based), given the server's wish if any; `None`:
    /// give up.
    pub(crate) fn delay(&self, retry: u32, elapsed: Duration, server: Option<Duration>) -> Option<Duration> {
        if retry >= self.max_attempts {
            return None;
        }
        let delay = server.unwrap_or_else(|| self.jittered(retry));
        (elapsed.checked_add(delay)? <= self.max_elapsed).then_some(delay)
    }

    /// Full jitter: uniform in `[0, min(max, initial · 2^(retry-1))]`.
    fn jittered(&self, retry: u32) -> Duration {
        let backoff = self
            .initial_backoff
            .checked_mul(1u32.checked_shl(retry - 1).unwrap_or(u32::MAX))
            .map_or(self.max_backoff, |d| d.min(self.max_backoff));
        let nanos = u64::try_from(backoff.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(..=nanos))
    }
}

/// Whether an answer with this status is worth another attempt of a retry-safe request.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// A response header that says when a rate limit resets, named by the spec
/// (`x-paykit-rate-limit-reset`); read when a `429` or `503` has no `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetHeader {
    /// `None`: the name given is no header name, so no response carries it.
    name: Option<HeaderName>,
    format: ResetFormat,
}

/// How a [`ResetHeader`] writes its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetFormat {
    /// A Unix timestamp in seconds (`X-RateLimit-Reset: 1767225600`).
    UnixSeconds,
    /// Seconds from now (`RateLimit-Reset: 30`).
    DelaySeconds,
}

impl ResetHeader {
    /// The header `name`, in any case (header names are case-insensitive). A name no header can
    /// have (a space in it, say) is accepted too: no response carries it, so it is never read.
    pub fn new(name: &str, format: ResetFormat) -> Self {
        Self {
            name: HeaderName::from_bytes(name.as_bytes()).ok(),
            format,
        }
    }
}

/// How long the server asks to wait: `Retry-After` (seconds or an HTTP date), else the reset
/// header on a `429`/`503`.
pub(crate) fn server_delay(status: StatusCode, headers: &HeaderMap, reset: Option<&ResetHeader>) -> Option<Duration> {
    let text = |name: &HeaderName| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(value) = text(&RETRY_AFTER) {
        return match value.parse::<u64>() {
            Ok(seconds) => Some(Duration::from_secs(seconds)),
            Err(_) => until(httpdate::parse_http_date(value).ok()?),
        };
    }
    let reset = reset.filter(|_| matches!(status.as_u16(), 429 | 503))?;
    let number: u64 = text(reset.name.as_ref()?)?.parse().ok()?;
    match reset.format {
        ResetFormat::DelaySeconds => Some(Duration::from_secs(number)),
        ResetFormat::UnixSeconds => until(SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(number))?),
    }
}

/// The time from now until `at`; zero if it has passed.
fn until(at: SystemTime) -> Option<Duration> {
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn full_jitter_stays_under_the_doubling_backoff() {
        let policy = RetryPolicy::default().max_attempts(10).max_elapsed(Duration::MAX);
        for retry in 1..10 {
            let cap = Duration::from_millis(500 * 2u64.pow(retry - 1)).min(Duration::from_secs(8));
            for _ in 0..200 {
                let delay = policy.delay(retry, Duration::ZERO, None).unwrap();
                assert!(delay <= cap, "retry {retry}: {delay:?} > {cap:?}");
            }
        }
        assert_eq!(policy.delay(10, Duration::ZERO, None), None);
    }

    #[test]
    fn attempts_and_total_time_are_capped() {
        let policy = RetryPolicy::default();
        assert!(policy.delay(2, Duration::ZERO, Some(Duration::from_secs(1))).is_some());
        assert_eq!(policy.delay(3, Duration::ZERO, Some(Duration::from_secs(1))), None);
        assert_eq!(
            policy.delay(1, Duration::from_secs(59), Some(Duration::from_secs(2))),
            None
        );
        assert_eq!(RetryPolicy::never().delay(1, Duration::ZERO, None), None);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_and_reset_headers() {
        let mut headers = HeaderMap::new();
        let tooearly = StatusCode::TOO_MANY_REQUESTS;
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 7 "));
        assert_eq!(server_delay(tooearly, &headers, None), Some(Duration::from_secs(7)));
        let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(61));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&in_a_minute).unwrap());
        let delay = server_delay(tooearly, &headers, None).unwrap();
        assert!(
            (Duration::from_secs(59)..=Duration::from_secs(61)).contains(&delay),
            "{delay:?}"
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(server_delay(tooearly, &headers, None), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(server_delay(tooearly, &headers, None), None);

        let reset = ResetHeader::new("x-ratelimit-reset", ResetFormat::UnixSeconds);
        let mut headers = HeaderMap::new();
        let at = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 30;
        headers.insert("x-ratelimit-reset", HeaderValue::from(at));
        let delay = server_delay(tooearly, &headers, Some(&reset)).unwrap();
        assert!(
            (Duration::from_secs(28)..=Duration::from_secs(30)).contains(&delay),
            "{delay:?}"
        );
        assert_eq!(server_delay(StatusCode::BAD_GATEWAY, &headers, Some(&reset)), None);
    }

    #[test]
    fn reset_header_names_in_any_case_and_invalid_ones_do_not_panic() {
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-reset", HeaderValue::from_static("12"));
        let status = StatusCode::TOO_MANY_REQUESTS;
        let upper = ResetHeader::new("RateLimit-Reset", ResetFormat::DelaySeconds);
        assert_eq!(upper, ResetHeader::new("ratelimit-reset", ResetFormat::DelaySeconds));
        assert_eq!(
            server_delay(status, &headers, Some(&upper)),
            Some(Duration::from_secs(12))
        );
        for invalid in ["", "rate limit reset", "reset\n", "ünïcode"] {
            let reset = ResetHeader::new(invalid, ResetFormat::DelaySeconds);
            assert_eq!(server_delay(status, &headers, Some(&reset)), None, "{invalid:?}");
        }
    }
}
