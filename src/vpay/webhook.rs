//! Webhook verification (hand-written): V-Pay signs each delivery with `X-VPay-Signature`, the
//! lower-case hex HMAC-SHA256 of the raw body keyed with the webhook secret.

use paykit_runtime::signature;
pub use paykit_runtime::signature::WebhookError;

use super::types::WebhookEvent;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-VPay-Signature";

/// Whether `signature` is the HMAC-SHA256 of `body` (the raw bytes as received, before any
/// parsing) under `secret`; compared in constant time. A signature of the wrong length or with
/// non-hex characters is rejected ([`WebhookError::Signature`]), and an empty `secret` is a
/// configuration error ([`WebhookError::EmptySecret`]), never a pass.
pub fn verify_signature(body: &[u8], signature: &str, secret: &str) -> Result<(), WebhookError> {
    signature::verify_webhook(secret.as_bytes(), body, signature)
}

/// Verifies the signature and only then parses the event. Answer the delivery with 401 on
/// [`WebhookError::Signature`], as V-Pay suggests.
pub fn parse_event(body: &[u8], signature: &str, secret: &str) -> Result<WebhookEvent, WebhookError> {
    signature::verified_json(secret.as_bytes(), body, signature)
}
