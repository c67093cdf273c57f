//! The committed clients in `generated/` are exactly what the specs produce today, and the build
//! fails when a spec changed but its client was not regenerated.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use paykit_codegen::{workspace, write};

#[test]
fn generated_clients_match_their_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stale = workspace::check(root).unwrap_or_else(|e| panic!("{e}"));
    let listed: Vec<String> = stale
        .iter()
        .map(|s| format!("  {} ({})", s.path.display(), s.reason))
        .collect();
    assert!(
        stale.is_empty(),
        "generated code is stale:\n{}\nrun `{}` and commit the result",
        listed.join("\n"),
        workspace::REGENERATE
    );
}

/// The root build.rs, as the build script of a crate of its own beside a one-spec `specs/` and
/// the `generated/` made from it: `cargo build` passes, fails naming the regenerate command once
/// the spec changes, and passes again after a regeneration that rewrote only the stamp.
#[test]
fn a_stale_spec_fails_the_build_naming_the_command() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-guard");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("specs")).unwrap();
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(dir.join("src/lib.rs"), "").unwrap();
    fs::copy(repo.join("build.rs"), dir.join("build.rs")).unwrap();
    fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let ours: toml::Table = fs::read_to_string(repo.join("Cargo.toml")).unwrap().parse().unwrap();
    let mut manifest: toml::Table =
        "package = { name = \"guard\", version = \"0.0.0\", edition = \"2024\", build = \"build.rs\" }\nworkspace = {}"
            .parse()
            .unwrap();
    manifest.insert("build-dependencies".to_owned(), ours["build-dependencies"].clone());
    fs::write(dir.join("Cargo.toml"), toml::to_string(&manifest).unwrap()).unwrap();

    let spec = "openapi: 3.0.3\ninfo: {title: Shop, version: '1'}\npaths: {}\n";
    fs::write(dir.join("specs/shop.yaml"), spec).unwrap();
    let regenerate = || -> Vec<String> {
        let targets = workspace::targets(&dir).unwrap_or_else(|e| panic!("{e}"));
        let written = targets.iter().flat_map(|t| write::write(&t.out_dir, &t.files).unwrap());
        written
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect()
    };
    let build = || -> Output {
        Command::new(env!("CARGO"))
            .args(["build", "--offline", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.with_file_name("build-guard-target"))
            .output()
            .unwrap()
    };
    let stderr = |output: &Output| String::from_utf8_lossy(&output.stderr).into_owned();

    regenerate();
    let fresh = build();
    assert!(fresh.status.success(), "{}", stderr(&fresh));

    fs::write(
        dir.join("specs/shop.yaml"),
        format!("{spec}# a comment changes the hash, not the code\n"),
    )
    .unwrap();
    let stale = build();
    assert!(!stale.status.success(), "a stale spec must fail the build");
    let message = stderr(&stale);
    assert!(
        message.contains("specs/shop.yaml (generated/shop is stale or missing)")
            && message.contains(&format!("run `{}` and commit the result", workspace::REGENERATE)),
        "{message}"
    );

    assert_eq!(regenerate(), ["generated/shop/Cargo.toml"]);
    let again = build();
    assert!(again.status.success(), "{}", stderr(&again));
    fs::remove_dir_all(&dir).unwrap();
}
