//! paykit: typed async clients for payment providers, generated from the OpenAPI specs in
//! `specs/` by `paykit-codegen`. Each provider is a feature of its own name (all on by default).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let vinr = paykit::vinr::Client::new(paykit::vinr::servers::SANDBOX, paykit::runtime::Bearer::new("sk_test_…"))?;
//! let payment = vinr.get_payment("pay_123", Default::default()).await?;
//! println!("{:?}", payment.status);
//! # Ok(()) }
//! ```

pub use paykit_runtime as runtime;

#[cfg(feature = "vendreo")]
pub use paykit_vendreo as vendreo;
#[cfg(feature = "vinr")]
pub use paykit_vinr as vinr;
