//! V-Pay (Rwanda): the generated client, and what the spec cannot express (hand-written): the
//! bearer-token flow ([`token`], [`WithCredentials`]), webhook verification ([`webhook`]) and
//! rate-limit headers ([`rate_limit`]).

pub use paykit_vpay::*;

#[cfg(feature = "mock")]
pub mod mock;
pub mod rate_limit;
pub mod token;
pub mod webhook;

pub use token::WithCredentials;
