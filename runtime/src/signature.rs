//! Signatures and digests that providers put on requests, webhooks and return URLs, written once:
//! HMAC-SHA256 (base64 or hex) and MD5 hex, with constant-time verification.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::{DecodeError, EmptySecret};

type HmacSha256 = Hmac<Sha256>;

fn hmac_sha256(key: &[u8], message: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this never fails.
    let mut mac =
        <HmacSha256 as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(message);
    mac
}

/// `base64(HMAC-SHA256(key, message))`, standard alphabet with padding.
pub fn hmac_sha256_base64(key: &[u8], message: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(key, message).finalize().into_bytes())
}

/// Whether `signature` is the hex HMAC-SHA256 of `message` under `key`, compared in constant time.
/// Upper- or lower-case hex is accepted and surrounding whitespace ignored; anything else that is
/// not 64 hex digits is rejected. An empty key is refused: with it anyone can sign.
pub fn verify_hmac_sha256_hex(key: &[u8], message: &[u8], signature: &str) -> Result<bool, EmptySecret> {
    if key.is_empty() {
        return Err(EmptySecret("webhook secret"));
    }
    let Ok(expected) = hex::decode(signature.trim()) else {
        return Ok(false);
    };
    Ok(hmac_sha256(key, message).verify_slice(&expected).is_ok())
}

/// Checks a webhook signature ([`verify_hmac_sha256_hex`]): `Ok` only when it matches.
pub fn verify_webhook(key: &[u8], body: &[u8], signature: &str) -> Result<(), WebhookError> {
    match verify_hmac_sha256_hex(key, body, signature)? {
        true => Ok(()),
        false => Err(WebhookError::Signature),
    }
}

/// Why a signed webhook was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The secret to check with is empty: a configuration error, never a verified webhook.
    #[error(transparent)]
    EmptySecret(#[from] EmptySecret),
    /// Missing, malformed or wrong signature: the body must not be trusted.
    #[error("the webhook signature does not match its body")]
    Signature,
    /// The signature is right but the body is not the documented JSON.
    #[error("the webhook body is not the documented JSON: {0}")]
    Payload(#[source] DecodeError),
}

/// Decodes a webhook body signed with a hex HMAC-SHA256 of the raw body, after checking the
/// signature in constant time; nothing is parsed before the check passes.
pub fn verified_json<T: serde::de::DeserializeOwned>(
    key: &[u8],
    body: &[u8],
    signature: &str,
) -> Result<T, WebhookError> {
    verify_webhook(key, body, signature)?;
    serde_json::from_slice(body).map_err(|e| WebhookError::Payload(DecodeError::new(&e)))
}

/// Lower-case hex of `MD5(input)`.
pub fn md5_hex(input: &[u8]) -> String {
    hex::encode(Md5::digest(input))
}

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from RFC 4231 test case 2 and RFC 1321's test suite.
    #[test]
    fn known_vectors() {
        let (key, data) = (b"Jefe".as_slice(), b"what do ya want for nothing?".as_slice());
        let hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let verify = |message: &[u8], signature: &str| verify_hmac_sha256_hex(key, message, signature);
        assert_eq!(verify(data, hex), Ok(true));
        assert_eq!(verify(data, &hex.to_uppercase()), Ok(true));
        assert_eq!(verify(b"what do ya want for nothing!", hex), Ok(false));
        assert_eq!(verify(data, &hex[..62]), Ok(false));
        assert_eq!(verify(data, &format!("{hex}00")), Ok(false));
        assert_eq!(verify(data, &hex.replace('5', "g")), Ok(false));
        assert_eq!(
            verify_hmac_sha256_hex(b"", data, hex),
            Err(EmptySecret("webhook secret"))
        );
        assert_eq!(
            hmac_sha256_base64(key, data),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
        );
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
