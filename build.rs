//! Freshness guard: the build fails, naming the regenerate command, when a spec in `specs/`
//! changed after its crate in `generated/` was generated. Every generated `lib.rs` starts with
//! a header that stamps the sha256 of the spec it came from.

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
        let Some(name) = spec.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let lib = Path::new("generated").join(name).join("src/lib.rs");
        println!("cargo::rerun-if-changed={}", spec.display());
        println!("cargo::rerun-if-changed={}", lib.display());
        let Ok(bytes) = fs::read(&spec) else { continue };
        let hash = hex(&Sha256::digest(&bytes));
        let stamped = fs::read_to_string(&lib).ok().and_then(|text| stamped_hash(&text));
        if stamped.as_deref() != Some(hash.as_str()) {
            stale.push(format!("{} (generated/{name} is stale or missing)", spec.display()));
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

fn stamped_hash(generated: &str) -> Option<String> {
    let first = generated.lines().next()?;
    let start = first.find("(sha256 ")? + "(sha256 ".len();
    let end = first[start..].find(')')? + start;
    Some(first[start..end].to_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
