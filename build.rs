//! Freshness guard: the build fails, naming the regenerate command, when a spec in `specs/`
//! changed after its crate in `generated/` was generated. Each generated `Cargo.toml` stamps the
//! spec it came from and that spec's sha256 in `[package.metadata.paykit]`: one place, so that a
//! spec change rewrites only the generated files whose code changes.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

const REGENERATE: &str = "cargo run -p paykit-codegen -- generate";

fn main() {
    println!("cargo::rerun-if-changed=specs");
    println!("cargo::rerun-if-changed=generated");
    let mut stale = Vec::new();
    let Ok(entries) = fs::read_dir("specs") else { return };
    let mut specs: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| is_spec(p)).collect();
    specs.sort();
    for spec in specs {
        let (Some(name), Some(file_name)) = (
            spec.file_stem().and_then(|s| s.to_str()),
            spec.file_name().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let manifest = Path::new("generated").join(name).join("Cargo.toml");
        println!("cargo::rerun-if-changed={}", spec.display());
        println!("cargo::rerun-if-changed={}", manifest.display());
        let Ok(bytes) = fs::read(&spec) else { continue };
        let expected = (format!("specs/{file_name}"), hex(&Sha256::digest(&bytes)));
        let stamped = fs::read_to_string(&manifest).ok().and_then(|text| stamp(&text));
        if stamped.as_ref() != Some(&expected) {
            stale.push(format!("{} (generated/{name} is stale or missing)", expected.0));
        }
    }
    if !stale.is_empty() {
        eprintln!("error: these specs changed since their clients were generated:");
        for s in &stale {
            eprintln!("  {s}");
        }
        eprintln!("run `{REGENERATE}` and commit the result");
        std::process::exit(1);
    }
}

fn is_spec(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

/// `spec` and `spec-sha256` of the manifest's `[package.metadata.paykit]`.
fn stamp(manifest: &str) -> Option<(String, String)> {
    let manifest: toml::Table = manifest.parse().ok()?;
    let paykit = manifest.get("package")?.get("metadata")?.get("paykit")?;
    let field = |key: &str| paykit.get(key)?.as_str().map(str::to_owned);
    Some((field("spec")?, field("spec-sha256")?))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
