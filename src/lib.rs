#![doc = include_str!("../README.md")]

pub use paykit_runtime as runtime;

#[cfg(feature = "payrequest")]
pub use paykit_payrequest as payrequest;
#[cfg(feature = "vendreo")]
pub use paykit_vendreo as vendreo;
#[cfg(feature = "vinr")]
pub use paykit_vinr as vinr;
#[cfg(feature = "vpay")]
pub use paykit_vpay as vpay;
#[cfg(feature = "vrpay-secure")]
pub use paykit_vrpay_secure as vrpay_secure;
