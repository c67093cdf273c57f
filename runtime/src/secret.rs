use std::fmt;

/// A credential. `Debug` and `Display` never show it; [`Secret::expose`] is the one way out.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// A credential that is required but empty: almost always a configuration value that was never
/// set (an unset environment variable). Refused loudly, because an empty HMAC key or token makes
/// forged signatures verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {0} is empty: refusing to use an empty credential (is its configuration value set?)")]
pub struct EmptySecret(pub &'static str);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// `value` as a secret, or [`EmptySecret`] naming `what` when it is empty.
    pub fn non_empty(value: impl Into<Secret>, what: &'static str) -> Result<Self, EmptySecret> {
        let secret = value.into();
        secret.require(what)?;
        Ok(secret)
    }

    /// Refuses the secret if it is empty, naming it `what`: generated code checks each credential
    /// a request body carries (a `format: password` property), so an empty one is never sent.
    pub fn require(&self, what: &'static str) -> Result<(), EmptySecret> {
        if self.0.is_empty() {
            return Err(EmptySecret(what));
        }
        Ok(())
    }

    /// The secret itself, for the code that has to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Serialized as the plain string: it is on its way to the API that issued it.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("sk_live_abc");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.to_string(), "***");
        assert_eq!(s.expose(), "sk_live_abc");
    }

    #[test]
    fn empty_credentials_are_refused_by_name() {
        let err = Secret::non_empty("", "webhook secret").unwrap_err();
        assert!(err.to_string().contains("webhook secret is empty"), "{err}");
        assert_eq!(
            Secret::non_empty("k", "webhook secret").map(|s| s.expose().to_owned()),
            Ok("k".into())
        );
    }
}
