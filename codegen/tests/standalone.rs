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
