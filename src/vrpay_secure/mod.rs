//! VR pay secure (a Payrexx white-label): the generated client, and the `ApiSignature` every
//! request carries, which the spec cannot express (hand-written: [`signing`]).

pub use paykit_vrpay_secure::*;

#[cfg(feature = "mock")]
pub mod mock;
pub mod signing;
