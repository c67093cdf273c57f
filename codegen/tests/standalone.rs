//! `generate --spec FILE --out DIR` makes a complete crate that builds on its own, outside the
//! workspace, with paykit-runtime found through `--runtime-path` (written relative to the crate,
//! so the crate holds no path of the machine it was made on) or `--runtime-git`.
//!
//! Building a generated crate compiles reqwest and its kin once more, so those tests are ignored
//! by a plain `cargo test` (it lists them as ignored); CI runs them with `--ignored`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's runtime, absolute.
fn runtime() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")
}

/// `paykit-codegen generate [extra] --spec <fixture>.yaml --out <out>`, run in `cwd`.
fn codegen(cwd: &Path, fixture: &str, out: &Path, extra: &[&std::ffi::OsStr]) -> Output {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .current_dir(cwd)
        .arg("generate")
        .args(extra)
        .args(["--crate-name", "my-client", "--spec"])
        .arg(manifest_dir.join(format!("tests/fixtures/{fixture}.yaml")))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// `generate [extra] --spec <fixture>.yaml --out <out> --runtime-path <the workspace's runtime>`
/// succeeded.
fn generate(fixture: &str, out: &Path, extra: &[&str]) -> bool {
    let mut args: Vec<&std::ffi::OsStr> = extra.iter().map(|a| a.as_ref()).collect();
    let runtime = runtime();
    args.extend(["--runtime-path".as_ref(), runtime.as_os_str()]);
    codegen(&std::env::temp_dir(), fixture, out, &args).status.success()
}

/// A fresh, empty folder outside this repository.
fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paykit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn manifest(out: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(out.join("Cargo.toml")).unwrap()).unwrap()
}

/// `a/b/../c` as `a/c`, as cargo reads a dependency's path.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

#[test]
fn a_spec_from_anywhere_becomes_a_crate_that_names_no_path_of_this_machine() {
    let out = fresh("standalone");
    assert!(generate("responses", &out, &[]));
    let manifest_text = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest_text.contains("name = \"my-client\"") && manifest_text.contains("[workspace]"),
        "{manifest_text}"
    );
    let dependency = &manifest(&out)["dependencies"]["paykit-runtime"];
    let path = dependency["path"].as_str().unwrap();
    assert!(Path::new(path).is_relative() && path.starts_with(".."), "{path}");
    assert!(dependency.get("version").is_none(), "no registry version: {dependency}");
    // Relative to the crate, it is the runtime it was given.
    assert_eq!(normalize(&out.join(path)), normalize(&runtime()));
    // No file of the crate names a folder of this machine.
    let repository = normalize(&runtime().join(".."));
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/client.rs",
        "src/types.rs",
        "public-api.txt",
    ] {
        // The runtime's relative path (checked above) may spell the folders it climbs through.
        let text = std::fs::read_to_string(out.join(file)).unwrap().replace(path, "");
        for folder in [&out, &repository, &std::env::temp_dir()] {
            let folder = folder.display().to_string();
            assert!(!text.contains(&folder), "{file} names {folder}");
        }
    }
    assert!(
        generate("responses", &out, &["--check"]),
        "--check passes right after generate"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
#[ignore = "slow: builds reqwest and its kin (CI runs it: `cargo test -- --ignored`)"]
fn a_crate_generated_into_an_empty_folder_elsewhere_builds() {
    let out = fresh("standalone-build");
    assert!(generate("responses", &out, &[]));
    check_builds(&out, &[]);
    std::fs::remove_dir_all(&out).unwrap();
}

/// A relative `--runtime-path` is read from the generated crate, wherever the generator runs, and
/// written as it is; a path relative to the working directory instead is refused, saying so.
#[test]
fn a_relative_runtime_path_is_relative_to_the_crate() {
    let work = fresh("relative");
    std::fs::create_dir_all(work.join("vendor/runtime")).unwrap();
    std::fs::copy(runtime().join("Cargo.toml"), work.join("vendor/runtime/Cargo.toml")).unwrap();
    let elsewhere = std::env::temp_dir();
    let out = work.join("clients/shop");
    let made = codegen(
        &elsewhere,
        "responses",
        &out,
        &["--runtime-path".as_ref(), "../../vendor/runtime".as_ref()],
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("paykit-runtime = { path = \"../../vendor/runtime\" }"),
        "{manifest}"
    );

    let other = work.join("clients/other");
    let refused = codegen(
        &work,
        "responses",
        &other,
        &["--runtime-path".as_ref(), "vendor/runtime".as_ref()],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--runtime-path vendor/runtime: no paykit-runtime there")
            && stderr.contains("a relative path is read from the generated crate"),
        "{stderr}"
    );
    assert!(!other.exists(), "nothing is written");
    std::fs::remove_dir_all(&work).unwrap();
}

/// `--runtime-git URL [--runtime-rev REV]` depends on a repository; without any of the options
/// the generator says what it needs instead of guessing (there is no registry version to fall
/// back on: paykit-runtime is not on crates.io).
#[test]
fn the_runtime_comes_from_git_or_must_be_named() {
    let out = fresh("git");
    let url = "https://git.example/paykit.git";
    let args: [&std::ffi::OsStr; 4] = [
        "--runtime-git".as_ref(),
        url.as_ref(),
        "--runtime-rev".as_ref(),
        "v0.1.0".as_ref(),
    ];
    let made = codegen(&std::env::temp_dir(), "responses", &out, &args);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let dependency = manifest(&out)["dependencies"]["paykit-runtime"].clone();
    let expected: toml::Table = toml::from_str(&format!("git = \"{url}\"\nrev = \"v0.1.0\"")).unwrap();
    assert_eq!(dependency, toml::Value::Table(expected));
    std::fs::remove_dir_all(&out).unwrap();

    let unnamed = codegen(&std::env::temp_dir(), "responses", &out, &[]);
    let stderr = String::from_utf8_lossy(&unnamed.stderr);
    assert_eq!(unnamed.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--runtime-path") && stderr.contains("--runtime-git"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
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
#[ignore = "slow: builds a generated crate once per tag feature (CI runs it: `cargo test -- --ignored`)"]
fn each_tag_feature_compiles_alone() {
    let out = fresh("tags");
    assert!(generate("tags", &out, &[]));
    let manifest = manifest(&out);
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
