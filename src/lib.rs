#![doc = include_str!("../README.md")]
//!
//! Each provider module re-exports its generated client crate (`generated/<name>`) and adds the
//! hand-written code the spec cannot express, in `src/<provider>/`.

#[doc(inline)]
pub use paykit_runtime as runtime;

#[cfg(feature = "payrequest")]
pub mod payrequest;
#[cfg(feature = "vendreo")]
pub mod vendreo;
#[cfg(feature = "vinr")]
#[doc(inline)]
pub use paykit_vinr as vinr;
#[cfg(feature = "vpay")]
pub mod vpay;
#[cfg(feature = "vrpay-secure")]
pub mod vrpay_secure;
