//! V-Pay's rate-limit headers (hand-written), sent on every response, errors included.

use paykit_runtime::HeaderMap;

/// `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (a Unix timestamp in
/// seconds) of one response; a header that is missing or not a number is `None`.
///
/// Read it from a success with `RateLimit::from_headers(response.headers())` and from an error
/// with `error.headers().map(RateLimit::from_headers)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    pub reset: Option<u64>,
}

impl RateLimit {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        Self {
            limit: number("X-RateLimit-Limit"),
            remaining: number("X-RateLimit-Remaining"),
            reset: number("X-RateLimit-Reset"),
        }
    }
}
