#![doc = include_str!("../README.md")]

pub use paykit_runtime as runtime;

#[cfg(feature = "vendreo")]
pub use paykit_vendreo as vendreo;
#[cfg(feature = "vinr")]
pub use paykit_vinr as vinr;
#[cfg(feature = "vrpay-secure")]
pub use paykit_vrpay_secure as vrpay_secure;
