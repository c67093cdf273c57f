//! `generate --spec FILE --out DIR` makes a complete crate that builds on its own, outside the
//! workspace, with paykit-runtime found through `--runtime-path`.

use std::path::Path;
use std::process::Command;

/// `paykit-codegen generate [extra] --spec <fixture>.yaml --out <out>` succeeded.
fn generate(fixture: &str, out: &Path, extra: &[&str]) -> bool {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .arg("generate")
        .args(extra)
        .args(["--crate-name", "my-client", "--spec"])
        .arg(manifest_dir.join(format!("tests/fixtures/{fixture}.yaml")))
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
    let out = std::env::temp_dir().join(format!("paykit-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    assert!(generate("responses", &out, &[]));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"my-client\"") && manifest.contains("[workspace]"),
        "{manifest}"
    );

    // Building it compiles reqwest and its kin once more: a slow sweep, on when PAYKIT_SLOW_TESTS
    // is set (CI sets it).
    if std::env::var_os("PAYKIT_SLOW_TESTS").is_some() {
        check_builds(&out, &[]);
    }
    assert!(
        generate("responses", &out, &["--check"]),
        "--check passes right after generate"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

/// `cargo check [features]` of the crate in `out`, offline with the workspace's lock file, in a
/// build directory inside this workspace's target directory: no error, no warning.
fn check_builds(out: &Path, features: &[&str]) {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(manifest_dir.join("../Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("standalone-check");
    let build = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .args(features)
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        build.status.success() && !stderr.contains("warning"),
        "{features:?}: {stderr}"
    );
}

/// With tag features, every feature alone, none, and all of them with the mock compile without a
/// warning: each operation's types are on whenever it is.
#[test]
fn each_tag_feature_compiles_alone() {
    if std::env::var_os("PAYKIT_SLOW_TESTS").is_none() {
        return;
    }
    let out = std::env::temp_dir().join(format!("paykit-tags-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    assert!(generate("tags", &out, &[]));
    let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(out.join("Cargo.toml")).unwrap()).unwrap();
    let features: Vec<&str> = manifest["features"]["default"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(features, ["mock-api", "pets", "store", "user-accounts"]);
    check_builds(&out, &["--no-default-features"]);
    for feature in features {
        check_builds(&out, &["--no-default-features", "--features", feature]);
    }
    check_builds(&out, &["--features", "mock"]);
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

/// A relative `--runtime-path` is written relative to the generated crate, not made absolute.
#[test]
fn a_relative_runtime_path_stays_relative() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("paykit-relative-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("vendor/runtime")).unwrap();
    std::fs::copy(
        manifest_dir.join("../runtime/Cargo.toml"),
        work.join("vendor/runtime/Cargo.toml"),
    )
    .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .current_dir(&work)
        .args(["generate", "--spec"])
        .arg(manifest_dir.join("tests/fixtures/responses.yaml"))
        .args(["--out", "clients/shop", "--runtime-path", "./vendor/runtime"])
        .status()
        .unwrap();
    assert!(status.success());
    let manifest = std::fs::read_to_string(work.join("clients/shop/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("paykit-runtime = { path = \"../../vendor/runtime\" }"),
        "{manifest}"
    );
    std::fs::remove_dir_all(&work).unwrap();
}
