//! Checking the customer's return to the merchant's `response` URL (hand-written).
//!
//! After paying (or failing) the customer is sent to the `response` URL given at creation with
//! two values appended:
//!
//! - `response` = md5(status + id), status `success` or `failed`;
//! - `return_id` = md5(token + id).
//!
//! Both are hex MD5 digests, lower-case as PayRequest writes them. [`verify_return`] also accepts
//! them in upper case (the digest is the same, and a proxy or framework that changes the case of
//! query values must not make a genuine return fail); anything other than exactly 32 hex digits
//! never matches.
//!
//! **These hashes prove little.** `response` contains no secret: anyone who knows the id can
//! compute `md5("success" + id)`. `return_id` does not depend on the status, so whoever saw one
//! return for an id can forge the other outcome. Never mark an order paid on the redirect alone:
//! [`confirm_return`] checks the hashes and then asks PayRequest (`/api/get/`), and reports a
//! payment as paid only when the API says `paid`.

use std::convert::Infallible;
use std::fmt;

use paykit_runtime::signature::{constant_time_eq, md5_hex};

use super::Client;
use super::error::{IntoResult, PayRequestError};
use super::types::{PaymentStatus, RetrievePaymentBody};

/// The status string hashed into `response` on a successful payment.
const SUCCESS: &str = "success";
/// The status string hashed into `response` on a failed payment.
const FAILED: &str = "failed";

/// The `response` value PayRequest appends for this status and id: lower-case hex
/// `md5(status + id)`, where status is `success` or `failed`.
pub fn response_hash(status: &str, id: &str) -> String {
    md5_hex(format!("{status}{id}").as_bytes())
}

/// The `return_id` value PayRequest appends: lower-case hex `md5(token + id)`.
pub fn return_id_hash(token: &str, id: &str) -> String {
    md5_hex(format!("{token}{id}").as_bytes())
}

/// What a return with valid hashes says happened. It is the customer's browser saying so: confirm
/// with [`confirm_return`] before acting on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnOutcome {
    /// `response` is md5("success" + id).
    Success,
    /// `response` is md5("failed" + id).
    Failed,
}

/// Which check of a return failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnCheckError {
    /// The API token to check with is empty: a configuration error (an unset environment
    /// variable?), never a verified return. Checked before anything else.
    EmptyToken,
    /// `return_id` is not md5(token + id): the return is not for this token and id, or was forged.
    /// Checked first: when both values are wrong, this is the error.
    ReturnIdMismatch,
    /// `response` is neither md5("success" + id) nor md5("failed" + id).
    UnknownResponse,
}

impl fmt::Display for ReturnCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmptyToken => {
                "the API token is empty: refusing to check a return without it (is its configuration value set?)"
            }
            Self::ReturnIdMismatch => "the return's `return_id` does not match md5(token + id)",
            Self::UnknownResponse => "the return's `response` matches neither the `success` nor the `failed` hash",
        })
    }
}

impl std::error::Error for ReturnCheckError {}

/// Whether `given` is the lower-case hex digest `expected`, ignoring ASCII case in `given`,
/// compared in constant time.
fn hash_matches(expected: &str, given: &str) -> bool {
    constant_time_eq(expected.as_bytes(), given.to_ascii_lowercase().as_bytes())
}

/// Checks the `response` and `return_id` values of a return for the payment with `id`, made
/// with API token `token`, and says which outcome they report.
///
/// `return_id` must equal md5(token + id) ([`ReturnCheckError::ReturnIdMismatch`] otherwise),
/// and `response` must equal md5("success" + id) or md5("failed" + id)
/// ([`ReturnCheckError::UnknownResponse`] otherwise). Every comparison is constant-time and both
/// candidates for `response` are always compared. Hex digits may be upper- or lower-case;
/// values of the wrong length or with other characters never match.
///
/// An empty `token` is refused ([`ReturnCheckError::EmptyToken`]): md5("" + id) is public.
///
/// An `Ok` only means the hashes are consistent, not that the payment is paid: see
/// [`confirm_return`].
pub fn verify_return(
    token: &str,
    id: &str,
    response: &str,
    return_id: &str,
) -> Result<ReturnOutcome, ReturnCheckError> {
    if token.is_empty() {
        return Err(ReturnCheckError::EmptyToken);
    }
    let return_id_ok = hash_matches(&return_id_hash(token, id), return_id);
    let success = hash_matches(&response_hash(SUCCESS, id), response);
    let failed = hash_matches(&response_hash(FAILED, id), response);
    if !return_id_ok {
        return Err(ReturnCheckError::ReturnIdMismatch);
    }
    match (success, failed) {
        (true, _) => Ok(ReturnOutcome::Success),
        (false, true) => Ok(ReturnOutcome::Failed),
        (false, false) => Err(ReturnCheckError::UnknownResponse),
    }
}

/// A return whose hashes verified, with the payment's status as PayRequest's API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmedReturn {
    /// The hashes verified and the API says `paid`. The only variant that means paid.
    ///
    /// `returned` is what the redirect said; the API is the authority, so a payment the API
    /// reports paid is paid even if the redirect said `failed` (the customer may have retried).
    Paid { returned: ReturnOutcome },
    /// The hashes verified but the API does not say `paid`: `pending`, `failed`, or a status this
    /// client does not know (kept in `status`). A redirect saying `success` is not enough.
    NotPaid {
        returned: ReturnOutcome,
        status: PaymentStatus,
    },
}

impl ConfirmedReturn {
    /// Whether the payment is paid: the hashes verified and the API says `paid`.
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Paid { .. })
    }

    /// What the redirect's `response` hash said.
    pub fn returned(&self) -> ReturnOutcome {
        match self {
            Self::Paid { returned } | Self::NotPaid { returned, .. } => *returned,
        }
    }
}

/// Why [`confirm_return`] could not confirm a return.
#[derive(Debug)]
pub enum ConfirmError {
    /// A hash did not verify; the API was not called.
    Return(ReturnCheckError),
    /// PayRequest answered `/api/get/` with an error body (e.g. `nosuchlink` for an unknown id).
    PayRequest(PayRequestError),
    /// The `/api/get/` request failed: transport, an unexpected HTTP status or an undecodable body.
    Request(paykit_runtime::Error<Infallible>),
}

impl fmt::Display for ConfirmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Return(e) => write!(f, "the return did not verify: {e}"),
            Self::PayRequest(e) => write!(f, "retrieving the payment failed: {e}"),
            Self::Request(e) => write!(f, "retrieving the payment failed: {e}"),
        }
    }
}

impl std::error::Error for ConfirmError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Return(e) => Some(e),
            Self::PayRequest(e) => Some(e),
            Self::Request(e) => Some(e),
        }
    }
}

impl From<ReturnCheckError> for ConfirmError {
    fn from(e: ReturnCheckError) -> Self {
        Self::Return(e)
    }
}

impl From<PayRequestError> for ConfirmError {
    fn from(e: PayRequestError) -> Self {
        Self::PayRequest(e)
    }
}

impl From<paykit_runtime::Error<Infallible>> for ConfirmError {
    fn from(e: paykit_runtime::Error<Infallible>) -> Self {
        Self::Request(e)
    }
}

/// Verifies a return with [`verify_return`] and, only if the hashes verify, asks PayRequest for
/// the payment's status (`/api/get/` with `token` and `id`).
///
/// Reports [`ConfirmedReturn::Paid`] only when both hashes verify and the API says `paid`
/// (matched without regard to case). A return that fails verification never reaches the API.
pub async fn confirm_return(
    client: &Client,
    token: &str,
    id: &str,
    response: &str,
    return_id: &str,
) -> Result<ConfirmedReturn, ConfirmError> {
    let returned = verify_return(token, id, response, return_id)?;
    let payment = client
        .retrieve_payment(&RetrievePaymentBody::new(token, id))
        .await?
        .into_inner()
        .into_result()?;
    Ok(match payment.status {
        PaymentStatus::Paid => ConfirmedReturn::Paid { returned },
        status => ConfirmedReturn::NotPaid { returned, status },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The provider notes' worked example: the docs' fake token and id.
    const TOKEN: &str = "spJA4nChfSPDRSkD-Znb6iw-2WGkDR37GyxZ-GZomUo";
    const ID: &str = "PR-000012457";

    #[test]
    fn known_vectors() {
        assert_eq!(response_hash("success", ID), "4dc28dc5ea70ecea7aca23ec1e0c40d1");
        assert_eq!(response_hash("failed", ID), "8870ce35c588c22c5fe8c7dd9c6e5462");
        assert_eq!(return_id_hash(TOKEN, ID), "9aa9a8cafe5f78494b8fbea3807d559d");
    }

    #[test]
    fn an_empty_token_is_refused() {
        let (response, return_id) = (response_hash("success", ID), return_id_hash("", ID));
        assert_eq!(
            verify_return("", ID, &response, &return_id),
            Err(ReturnCheckError::EmptyToken)
        );
    }

    #[test]
    fn both_wrong_reports_the_return_id() {
        assert_eq!(
            verify_return(TOKEN, ID, "x", "y"),
            Err(ReturnCheckError::ReturnIdMismatch)
        );
    }
}
