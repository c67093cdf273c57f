//! The paykit layout: every spec in `specs/` becomes the crate `generated/<name>`
//! (package `paykit-<name>`), a member of the workspace.

use std::path::{Path, PathBuf};

use crate::emit::{CrateOptions, OutputFile, RuntimeDependency};
use crate::error::Error;
use crate::write::Stale;

/// The command that regenerates the workspace's clients.
pub const REGENERATE: &str = "cargo run -p paykit-codegen -- generate";

/// One spec and the crate it becomes.
#[derive(Debug, Clone)]
pub struct Target {
    pub spec: PathBuf,
    pub label: String,
    pub out_dir: PathBuf,
    pub files: Vec<OutputFile>,
    /// What the regeneration changes for dependents, against the crate on disk.
    pub release: Option<crate::semver::Release>,
}

/// Generates (in memory) every crate of the workspace at `root`.
pub fn targets(root: &Path) -> Result<Vec<Target>, Error> {
    let specs = spec_files(&root.join("specs"))
        .map_err(|e| Error::new("specs/", "", format!("cannot read the folder: {e}")))?;
    specs
        .into_iter()
        .map(|spec| {
            let name = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let file_name = spec.file_name().and_then(|s| s.to_str()).unwrap_or_default();
            let label = format!("specs/{file_name}");
            let options = CrateOptions {
                crate_name: format!("paykit-{}", crate::ir::package_name(&name)),
                runtime: RuntimeDependency::Workspace {
                    path: "../../runtime".to_owned(),
                },
            };
            let mut files = crate::generate_crate(&spec, &label, &options)?;
            let out_dir = root.join("generated").join(&name);
            let release = crate::semver::release(&out_dir, &mut files);
            Ok(Target {
                out_dir,
                spec,
                label,
                files,
                release,
            })
        })
        .collect()
}

/// The spec files (`.yaml`, `.yml`, `.json`) directly in `dir`, sorted by name.
pub fn spec_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}

/// Every generated file that is missing or differs from what the specs produce, and every file
/// under `generated/` that no spec produces.
pub fn check(root: &Path) -> Result<Vec<Stale>, Error> {
    let targets = targets(root)?;
    let mut stale: Vec<Stale> = targets
        .iter()
        .flat_map(|t| crate::write::check(&t.out_dir, &t.files))
        .collect();
    stale.extend(strays(root, &targets));
    Ok(stale)
}

/// Files under `generated/` that no spec produces: that folder holds generated files only, so
/// a hand-written file there, or the output of a removed spec, is an error.
pub fn strays(root: &Path, targets: &[Target]) -> Vec<Stale> {
    let expected: std::collections::HashSet<PathBuf> = targets
        .iter()
        .flat_map(|t| t.files.iter().map(|f| t.out_dir.join(&f.path)))
        .collect();
    let mut strays = Vec::new();
    let mut folders = vec![root.join("generated")];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                folders.push(path);
            } else if !expected.contains(&path) {
                strays.push(Stale {
                    path,
                    reason: "not generated from any spec",
                });
            }
        }
    }
    strays.sort_by(|a, b| a.path.cmp(&b.path));
    strays
}
