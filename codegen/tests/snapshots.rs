//! insta snapshots of the code emitted for each fixture spec (one per generator feature). Review
//! changes with `cargo insta review`; the fixture-check crate proves the same code compiles. The
//! provider specs' output is not snapshotted here: it is committed in `generated/`, which the
//! freshness test checks byte for byte.

use std::path::Path;

use paykit_codegen::{CrateOptions, RuntimeDependency};

fn emitted(spec: &Path, label: &str) -> String {
    let options = CrateOptions {
        crate_name: "snapshot".to_owned(),
        runtime: RuntimeDependency::Workspace {
            path: "../../runtime".to_owned(),
        },
    };
    let files = paykit_codegen::generate_crate(spec, label, &options).unwrap_or_else(|e| panic!("{e}"));
    files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

fn name(spec: &Path) -> String {
    spec.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Snapshots every spec in `dir` as `{prefix}_{name}`, labelled `{label_dir}/{name}.yaml`.
fn snapshot_all(dir: &Path, label_dir: &str, prefix: &str) -> usize {
    let specs = paykit_codegen::workspace::spec_files(dir).unwrap();
    for spec in &specs {
        let name = name(spec);
        let code = emitted(spec, &format!("{label_dir}/{name}.yaml"));
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{prefix}_{name}"), code);
        });
    }
    specs.len()
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    assert!(
        snapshot_all(&dir, "codegen/tests/fixtures", "fixture") >= 7,
        "fixtures missing"
    );
}

#[test]
fn output_is_byte_deterministic() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/vendreo.yaml");
    assert_eq!(
        emitted(&spec, "specs/vendreo.yaml"),
        emitted(&spec, "specs/vendreo.yaml")
    );
}
