//! Vendreo: the generated client, and postback verification (hand-written: [`webhook`]).

pub use paykit_vendreo::*;

pub mod webhook;
