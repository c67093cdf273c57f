use std::fmt;

/// The key that makes a create call safe to repeat: the provider applies a request once per key
/// and answers a repeat with the first outcome.
///
/// It is fixed when the parameters are built: `Default` makes a fresh UUID v4, and a clone of the
/// parameters keeps it, so a caller who repeats a call after a timeout — with the same, cloned
/// parameters — repeats the key too, and the payment happens once:
///
/// ```
/// # use paykit_runtime::IdempotencyKey;
/// let key = IdempotencyKey::default();
/// assert_eq!(key.clone(), key); // what every retry of this call sends
/// assert_ne!(IdempotencyKey::default(), key); // a new call, a new key
/// ```
///
/// Automatic retries resend the same key; the key sent is on the success value and on the error
/// (`ResponseValue::idempotency_key`, `Error::idempotency_key`). Not a secret: it is logged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A fresh UUID v4.
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for IdempotencyKey {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({:?})", self.0)
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Your own key, e.g. derived from your order id so it survives a restart of your process.
impl From<String> for IdempotencyKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl From<&str> for IdempotencyKey {
    fn from(key: &str) -> Self {
        Self(key.to_owned())
    }
}
