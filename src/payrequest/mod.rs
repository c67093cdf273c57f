//! PayRequest V1: the generated client, and what the spec cannot express (hand-written): amounts
//! in minor units ([`amount`]), the errors it answers inside a 200 ([`error`]) and the checks of
//! a customer's return ([`return_check`]).

pub use paykit_payrequest::*;

pub mod amount;
pub mod error;
pub mod return_check;

pub use amount::FromMinorUnits;
pub use error::IntoResult;
