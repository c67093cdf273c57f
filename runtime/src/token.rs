//! A cached access token that is fetched on first use, refreshed shortly before it expires, and
//! fetched by one caller at a time however many requests need it at once.

use std::future::Future;
use std::time::Duration;

use tokio::sync::Mutex;
// tokio's clock, so tests of expiry can run on a paused clock.
use tokio::time::Instant;

use crate::Secret;

/// At most this long before a token expires it is replaced (and after 90 % of its lifetime at the
/// latest), so a request never leaves with a token that runs out on the way.
const MAX_EARLY_REFRESH: Duration = Duration::from_secs(30);

/// Holds one bearer token for an [`crate::Auth`] hook that obtains its own tokens.
#[derive(Debug, Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
}

#[derive(Debug)]
struct Cached {
    token: Secret,
    /// `None`: the lifetime is unknown, so the token is kept until the server rejects it.
    refresh_at: Option<Instant>,
}

impl TokenCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached token, or a fresh one from `fetch` (`token`, `lifetime` if known) when there is
    /// none or it is about to expire. Callers that arrive while a fetch runs wait for it and
    /// share its token, so only one fetch ever runs at a time. A failed fetch is not cached: its
    /// error is returned, and the next call fetches again.
    pub async fn get<F, Fut, E>(&self, fetch: F) -> Result<Secret, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Option<Duration>), E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref()
            && cached.refresh_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(cached.token.clone());
        }
        let fetched_at = Instant::now();
        let (token, lifetime) = fetch().await?;
        // A lifetime too long to add to the clock counts as unknown.
        let refresh_at =
            lifetime.and_then(|lifetime| fetched_at.checked_add(lifetime - (lifetime / 10).min(MAX_EARLY_REFRESH)));
        *slot = Some(Cached {
            token: token.clone(),
            refresh_at,
        });
        Ok(token)
    }

    /// Forgets `rejected` if it is still the cached token, so the next [`TokenCache::get`]
    /// fetches a new one. A token other callers already replaced is left alone: one rejection
    /// wave causes one refresh.
    pub async fn invalidate(&self, rejected: &str) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|cached| cached.token.expose() == rejected) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn fetch_counted(
        count: &AtomicUsize,
        lifetime: Option<Duration>,
    ) -> Result<(Secret, Option<Duration>), String> {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok((Secret::from(format!("token-{n}")), lifetime))
    }

    #[tokio::test]
    async fn one_fetch_for_many_concurrent_callers() {
        let cache = Arc::new(TokenCache::new());
        let count = Arc::new(AtomicUsize::new(0));
        let calls = (0..50).map(|_| {
            let (cache, count) = (cache.clone(), count.clone());
            tokio::spawn(async move {
                let token = cache
                    .get(|| fetch_counted(&count, Some(Duration::from_secs(300))))
                    .await;
                token.map(|t| t.expose().to_owned())
            })
        });
        for call in calls.collect::<Vec<_>>() {
            assert_eq!(call.await.ok().and_then(Result::ok).as_deref(), Some("token-1"));
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn refreshes_before_expiry_and_after_invalidation() {
        let cache = TokenCache::new();
        let count = AtomicUsize::new(0);
        let get = || cache.get(|| fetch_counted(&count, Some(Duration::from_millis(200))));
        assert_eq!(get().await.map(|t| t.expose().to_owned()), Ok("token-1".into()));
        assert_eq!(get().await.map(|t| t.expose().to_owned()), Ok("token-1".into()));
        // 90 % of the 200 ms lifetime has passed: a new token, although the old one is still valid.
        tokio::time::sleep(Duration::from_millis(185)).await;
        assert_eq!(get().await.map(|t| t.expose().to_owned()), Ok("token-2".into()));
        cache.invalidate("token-1").await; // already replaced: no effect
        assert_eq!(get().await.map(|t| t.expose().to_owned()), Ok("token-2".into()));
        cache.invalidate("token-2").await;
        assert_eq!(get().await.map(|t| t.expose().to_owned()), Ok("token-3".into()));
    }

    #[tokio::test]
    async fn a_failed_fetch_is_not_cached() {
        let cache = TokenCache::new();
        let failed = cache
            .get(|| async { Err::<(Secret, Option<Duration>), _>("down".to_owned()) })
            .await;
        assert_eq!(failed.err().as_deref(), Some("down"));
        let count = AtomicUsize::new(0);
        let token = cache.get(|| fetch_counted(&count, None)).await;
        assert_eq!(token.map(|t| t.expose().to_owned()), Ok("token-1".into()));
    }
}
