//! paykit-codegen: OpenAPI 3.0 and 3.1 (and Swagger 2.0) specs in, async Rust client crates out.
//!
//! The pipeline, one module per stage:
//! [`load`] (YAML/JSON → `openapiv3`, refs checked) → [`ir`] (names and types decided) →
//! [`emit`] (`quote!` + `prettyplease`) → [`write`](mod@write) (write, or check without writing).
//! [`workspace`] runs it over a project's `specs/` folder.

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod semver;
pub mod workspace;
pub mod write;

pub use emit::{CrateOptions, OutputFile, RuntimeDependency};
pub use error::Error;

/// Loads `spec_path` and generates every file of its crate (nothing is written).
pub fn generate_crate(
    spec_path: &std::path::Path,
    label: &str,
    options: &CrateOptions,
) -> Result<Vec<OutputFile>, Error> {
    let spec = load::load(spec_path, label)?;
    let api = ir::build(&spec)?;
    emit::crate_files(&api, options)
}

/// Like [`generate_crate`], leaving out every operation the generator cannot handle; returns the
/// files and the errors of the operations left out.
pub fn generate_crate_skipping_unsupported(
    spec_path: &std::path::Path,
    label: &str,
    options: &CrateOptions,
) -> Result<(Vec<OutputFile>, Vec<Error>), Error> {
    let spec = load::load(spec_path, label)?;
    let (api, skipped) = ir::build_skipping_unsupported(&spec)?;
    Ok((emit::crate_files(&api, options)?, skipped))
}
