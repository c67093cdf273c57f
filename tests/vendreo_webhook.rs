//! Vendreo postbacks: the `signature` header check and parsing into `Postback`
//! (the hand-written `paykit::vendreo::webhook` module).
//!
//! The worked example is the one in the Vendreo provider notes (§6 "Postbacks"); the other
//! signatures were computed independently (Python `hmac`) over the exact bodies below.

use paykit::vendreo::types::PostbackAct;
use paykit::vendreo::webhook::{self, WebhookError};

const SECRET: &str = "example-callback-secret";
const BODY: &str = r#"{"act":"payment_completed","options":"optional string","payment_id":752,"reference_id":"123456","payment_request_id":537}"#;
const SIGNATURE: &str = "fbb20e41e370a14be358a846ef4e43bcb3046d600b7eb766d79be5f19c30d01c";

#[test]
fn worked_example_verifies_and_parses() {
    assert_eq!(webhook::SIGNATURE_HEADER, "signature");
    assert!(webhook::verify_signature(BODY.as_bytes(), SIGNATURE, SECRET).is_ok());
    let postback = webhook::parse_postback(BODY.as_bytes(), SIGNATURE, SECRET).unwrap();
    assert_eq!(postback.act, PostbackAct::PaymentCompleted);
    assert_eq!(postback.options.as_deref(), Some("optional string"));
    assert_eq!(postback.payment_id, Some(752));
    assert_eq!(postback.payment_request_id, Some(537));
    assert_eq!(postback.reference_id.as_deref(), Some("123456"));
    assert_eq!(postback.status, None);
    assert_eq!(postback.payor, None);
}

#[test]
fn tampered_bodies_and_wrong_or_malformed_signatures_are_rejected() {
    // One byte of the body changed: payment_id 752 becomes 952.
    let mut tampered = BODY.as_bytes().to_vec();
    tampered[BODY.find("752").unwrap()] = b'9';
    assert_eq!(tampered.len(), BODY.len());
    assert_eq!(tampered.iter().zip(BODY.as_bytes()).filter(|(a, b)| a != b).count(), 1);
    let body = BODY.as_bytes();
    let last_digit_changed = format!("{}d", &SIGNATURE[..63]);
    let zeros = "0".repeat(64);
    let too_long = format!("{SIGNATURE}00");
    let non_hex = format!("{}z", &SIGNATURE[..63]);
    let cases: [(&str, &[u8], &str, &str); 9] = [
        ("tampered body", &tampered, SIGNATURE, SECRET),
        ("wrong secret", body, SIGNATURE, "another-callback-secret"),
        ("wrong signature, 64 hex digits", body, &last_digit_changed, SECRET),
        ("all zeros, 64 hex digits", body, &zeros, SECRET),
        ("62 hex digits", body, &SIGNATURE[..62], SECRET),
        ("63 hex digits", body, &SIGNATURE[..63], SECRET),
        ("66 hex digits", body, &too_long, SECRET),
        ("non-hex character", body, &non_hex, SECRET),
        ("empty signature", body, "", SECRET),
    ];
    for (case, body, signature, secret) in cases {
        assert!(
            matches!(
                webhook::verify_signature(body, signature, secret),
                Err(WebhookError::Signature)
            ),
            "{case}"
        );
        assert!(
            matches!(
                webhook::parse_postback(body, signature, secret),
                Err(WebhookError::Signature)
            ),
            "{case}"
        );
    }
}

#[test]
fn an_empty_secret_is_a_configuration_error_not_a_verdict() {
    // HMAC of BODY under the empty key (Python's hmac): what a forger sends when the secret's
    // variable is unset. It must not verify.
    let forged = "0ce74401624a82099e88f1cb91f4e2c1fccec2b5873e8ee5756e625b3098a183";
    for signature in [SIGNATURE, forged, ""] {
        let err = webhook::verify_signature(BODY.as_bytes(), signature, "").unwrap_err();
        assert!(matches!(err, WebhookError::EmptySecret(_)), "{err:?}");
        assert!(err.to_string().contains("secret is empty"), "{err}");
        let err = webhook::parse_postback(BODY.as_bytes(), signature, "").unwrap_err();
        assert!(matches!(err, WebhookError::EmptySecret(_)), "{err:?}");
    }
}

#[test]
fn the_right_signature_in_upper_case_hex_is_accepted() {
    // Upper-case hex is the same 32 bytes, which are what is compared (in constant time).
    let upper = SIGNATURE.to_uppercase();
    assert!(webhook::verify_signature(BODY.as_bytes(), &upper, SECRET).is_ok());
    let postback = webhook::parse_postback(BODY.as_bytes(), &upper, SECRET).unwrap();
    assert_eq!(postback.act, PostbackAct::PaymentCompleted);
}

#[test]
fn both_spellings_of_consent_received_parse() {
    // The single-payments guide spells the act `payment_consent_recieved`.
    let misspelt = br#"{"act":"payment_consent_recieved","options":null,"payment_id":752,"reference_id":"123456","payment_request_id":537,"bank":"Example Bank"}"#;
    let signature = "2af7e0e9d09acf960af5a72529038ed64ac324d557c5d816c2fff6c5a2d28535";
    let postback = webhook::parse_postback(misspelt, signature, SECRET).unwrap();
    assert_eq!(postback.act, PostbackAct::PaymentConsentRecieved);
    assert_eq!(postback.act.as_str(), "payment_consent_recieved");
    assert_eq!(postback.options, None);
    assert_eq!(postback.bank.as_deref(), Some("Example Bank"));
    assert_eq!(postback.payment_id, Some(752));

    let spelt = br#"{"act":"payment_consent_received","options":null,"payment_id":752,"reference_id":"123456","payment_request_id":537,"bank":"Example Bank"}"#;
    let signature = "5cedf3ebe81ad6cbb63957ecd9c7551b6abb840c5e8004a825a9478fd27798e1";
    let postback = webhook::parse_postback(spelt, signature, SECRET).unwrap();
    assert_eq!(postback.act, PostbackAct::PaymentConsentReceived);
}

#[test]
fn an_unknown_act_survives_as_unknown() {
    let body = br#"{"act":"payment_refunded","options":null,"payment_id":752,"reference_id":"123456","payment_request_id":537}"#;
    let signature = "dd734d718f0945f81eeec86feae730e2d78e4eccef64a3514531459bd56bc7e0";
    let postback = webhook::parse_postback(body, signature, SECRET).unwrap();
    assert_eq!(postback.act, PostbackAct::Unknown("payment_refunded".into()));
    assert_eq!(postback.act.as_str(), "payment_refunded");
    assert_eq!(postback.reference_id.as_deref(), Some("123456"));
    assert_eq!(postback.payment_request_id, Some(537));
}

#[test]
fn a_right_signature_over_a_body_without_act_is_a_payload_error() {
    let body = br#"{"payment_id":752,"reference_id":"123456"}"#;
    let signature = "eb44143a2f3f9e8857afb0e99d98de538061ddbec8c295bb5561d5db5c3b1330";
    assert!(webhook::verify_signature(body, signature, SECRET).is_ok());
    assert!(matches!(
        webhook::parse_postback(body, signature, SECRET),
        Err(WebhookError::Payload(_))
    ));
}
