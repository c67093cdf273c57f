//! Postback verification (hand-written): Vendreo signs each postback with the `signature`
//! header, the hex HMAC-SHA256 of the raw body keyed with the Payment Profile's callback secret.

use paykit_runtime::signature;
pub use paykit_runtime::signature::WebhookError;

use super::types::Postback;

/// The header that carries the signature (literally `signature`, no `X-` prefix).
pub const SIGNATURE_HEADER: &str = "signature";

/// Whether `signature` is the HMAC-SHA256 of `body` (the raw bytes as received, before any
/// parsing) under the callback `secret`; compared in constant time. A signature of the wrong
/// length or with non-hex characters is rejected ([`WebhookError::Signature`]), and an empty
/// `secret` is a configuration error ([`WebhookError::EmptySecret`]), never a pass.
pub fn verify_signature(body: &[u8], signature: &str, secret: &str) -> Result<(), WebhookError> {
    signature::verify_webhook(secret.as_bytes(), body, signature)
}

/// Verifies the signature and only then parses the postback.
pub fn parse_postback(body: &[u8], signature: &str, secret: &str) -> Result<Postback, WebhookError> {
    signature::verified_json(secret.as_bytes(), body, signature)
}
