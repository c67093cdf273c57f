//! `generate --spec FILE --out DIR` makes a complete crate that builds on its own, outside the
//! workspace, with paykit-runtime found through `--runtime-path`.

use std::path::Path;
use std::process::Command;

/// `paykit-codegen generate [extra] --spec responses.yaml --out <out>` succeeded.
fn generate(out: &Path, extra: &[&str]) -> bool {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .arg("generate")
        .args(extra)
        .args(["--crate-name", "my-client", "--spec"])
        .arg(manifest_dir.join("tests/fixtures/responses.yaml"))
        .arg("--out")
        .arg(out)
        .arg("--runtime-path")
        .arg(manifest_dir.join("../runtime"))
        .status()
        .unwrap()
        .success()
}

#[test]
fn a_spec_from_anywhere_becomes_a_crate_that_builds() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("paykit-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    assert!(generate(&out, &[]));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"my-client\"") && manifest.contains("[workspace]"),
        "{manifest}"
    );

    // Reuse the workspace's lock file and build directory, so the check is offline and quick.
    std::fs::copy(manifest_dir.join("../Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let target = manifest_dir.join("../target/standalone-check");
    let build = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));

    assert!(generate(&out, &["--check"]), "--check passes right after generate");
    std::fs::remove_dir_all(&out).unwrap();
}

/// What a spec says in free text can never break the crate: a title with quotes, a combining
/// accent or control characters stays valid TOML; a file name with spaces or dots still gives a
/// valid package name; descriptions with bare CRs, bidi controls and Rust code fences compile and
/// never run as doctests.
#[test]
fn free_text_from_a_spec_stays_valid() {
    use paykit_codegen::{CrateOptions, RuntimeDependency, emit, ir, load};
    let title = "Pa\u{0301}y \"Quoted\" \u{7}API\r\nv2 \u{202E}evil";
    let description = "Line one\rline two \u{2066}x\u{2069}\n\n```rust,no_run\npanic!()\n```\n\n~~~\nfn main() {}\n~~~";
    let json = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1", "description": description},
        "paths": {}
    });
    let spec = load::parse(json.to_string().as_bytes(), "my api.v2.json").unwrap();
    let api = ir::build(&spec).unwrap();
    let options = CrateOptions {
        crate_name: format!("paykit-{}", ir::package_name("my api.v2")),
        runtime: RuntimeDependency::Standalone {
            path: "C:\\runtime \"x\"".into(),
        },
    };
    let files = emit::crate_files(&api, &options).unwrap();
    let manifest = &files.iter().find(|f| f.path == "Cargo.toml").unwrap().contents;
    let parsed: toml::Table = toml::from_str(manifest).unwrap_or_else(|e| panic!("{e}\n{manifest}"));
    assert_eq!(parsed["package"]["name"].as_str(), Some("paykit-my-api-v2"));
    let description = parsed["package"]["description"].as_str().unwrap();
    assert!(
        description.contains("Pa\u{0301}y \"Quoted\" API v2 evil"),
        "{description}"
    );
    assert_eq!(
        parsed["dependencies"]["paykit-runtime"]["path"].as_str(),
        Some("C:\\runtime \"x\"")
    );
    let lib = &files.iter().find(|f| f.path == "src/lib.rs").unwrap().contents;
    for bad in ['\r', '\u{202E}', '\u{2066}', '\u{7}'] {
        assert!(!lib.contains(bad), "{bad:?} in {lib}");
    }
    assert!(lib.contains("//! ```text\n//! panic!()\n//! ```"), "{lib}");
    assert!(lib.contains("//! ~~~text\n//! fn main() {}\n//! ~~~"), "{lib}");
    assert!(!lib.contains("rust,no_run"), "{lib}");
}
