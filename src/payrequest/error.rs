//! PayRequest's errors as a typed Rust error (hand-written).
//!
//! PayRequest answers errors with HTTP 200 and `{"status": "error", "error": "<code>"}` (plus
//! `realerror` for `unknown`), so each operation's decoded answer is an untagged union of
//! [`types::Error`] and the success body. [`IntoResult::into_result`] on each union turns it into a
//! `Result` whose error is a [`PayRequestError`]:
//!
//! ```no_run
//! # use paykit::payrequest::{Client, error::IntoResult, types::RetrievePaymentBody};
//! # async fn run(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
//! let payment = client
//!     .retrieve_payment(&RetrievePaymentBody::new("token", "PR-000012457"))
//!     .await?
//!     .into_inner()
//!     .into_result()?; // Err(PayRequestError { code: ErrorCode::Nosuchlink, .. }) for an unknown id
//! println!("{}", payment.status);
//! # Ok(()) }
//! ```

use std::fmt;

use super::types::{self, ErrorCode};

/// An error answer from PayRequest: the typed code, and `realerror` when the server sent it (it
/// is documented for [`ErrorCode::UnknownValue`], the wire code `unknown`).
///
/// `Display` names the code and what it means, and appends `realerror` when present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayRequestError {
    /// The `error` code. Codes this client does not know are kept as [`ErrorCode::Unknown`].
    pub code: ErrorCode,
    /// The underlying error message PayRequest sends with `unknown`.
    pub realerror: Option<String>,
}

impl PayRequestError {
    /// What the documentation says the code means.
    pub fn meaning(&self) -> &'static str {
        match self.code {
            ErrorCode::Notoken => "no token was given",
            ErrorCode::Noid => "no unique id was given",
            ErrorCode::Novalidtoken => "the token is not valid",
            ErrorCode::Nosuchlink => "no payment has this id",
            ErrorCode::Notitle => "no payment title was given",
            ErrorCode::Noamount => "no amount was given",
            ErrorCode::Notvalidamount => "the amount is not valid",
            ErrorCode::Nointegration => "no payment provider is connected, or its onboarding is unfinished",
            ErrorCode::Pspnotsupported => "the connected payment provider is not supported by the API",
            ErrorCode::UnknownValue => "an unexpected error",
            _ => "an error code this client does not know",
        }
    }
}

impl fmt::Display for PayRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayRequest error `{}`: {}", self.code, self.meaning())?;
        if let Some(realerror) = &self.realerror {
            write!(f, " ({realerror})")?;
        }
        Ok(())
    }
}

impl std::error::Error for PayRequestError {}

impl From<types::Error> for PayRequestError {
    fn from(error: types::Error) -> Self {
        Self {
            code: error.error,
            realerror: error.realerror,
        }
    }
}

/// `into_result()` on PayRequest's answers: the success body, or its error as a
/// [`PayRequestError`].
pub trait IntoResult {
    /// The success body.
    type Ok;

    fn into_result(self) -> Result<Self::Ok, PayRequestError>;
}

/// The created payment request, or PayRequest's error.
impl IntoResult for types::CreatePaymentRequestResponse {
    type Ok = types::PaymentRequestCreated;

    fn into_result(self) -> Result<types::PaymentRequestCreated, PayRequestError> {
        match self {
            Self::PaymentRequestCreated(created) => Ok(created),
            Self::Error(error) => Err(error.into()),
        }
    }
}

/// The payment's state, or PayRequest's error. A status other than `paid`, `failed` or `pending`
/// is kept as [`types::PaymentStatus::Unknown`]; treat it as not paid.
impl IntoResult for types::RetrievePaymentResponse {
    type Ok = types::RetrievedPayment;

    fn into_result(self) -> Result<types::RetrievedPayment, PayRequestError> {
        match self {
            Self::RetrievedPayment(payment) => Ok(payment),
            Self::Error(error) => Err(error.into()),
        }
    }
}
