//! Generates every fixture spec of `codegen/tests/fixtures` into `OUT_DIR`, as one module each,
//! so that building this crate proves the emitted code compiles (the snapshots show it), with
//! every tag feature on.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use paykit_codegen::{CrateOptions, RuntimeDependency};

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    println!("cargo::rerun-if-changed={}", fixtures.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let specs = paykit_codegen::workspace::spec_files(&fixtures).expect("codegen/tests/fixtures exists");
    let options = CrateOptions {
        crate_name: "fixture".to_owned(),
        runtime: RuntimeDependency::Workspace {
            path: "../../runtime".to_owned(),
        },
    };
    let mut modules = String::new();
    for spec in specs {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture names are UTF-8")
            .to_owned();
        let label = format!("codegen/tests/fixtures/{name}.yaml");
        let api = paykit_codegen::load::load(&spec, &label)
            .and_then(|loaded| paykit_codegen::ir::build(&loaded))
            .unwrap_or_else(|e| panic!("{e}"));
        let files = paykit_codegen::emit::crate_files(&api, &options).unwrap_or_else(|e| panic!("{e}"));
        // A fixture's tag features are all on, as in its own crate by default.
        for feature in &api.features {
            println!("cargo::rustc-check-cfg=cfg(feature, values({feature:?}))");
            println!("cargo::rustc-cfg=feature={feature:?}");
        }
        let dir = out.join(&name);
        std::fs::create_dir_all(&dir).expect("OUT_DIR is writable");
        for file in files
            .iter()
            .filter(|f| ["src/types.rs", "src/client.rs", "src/mock.rs"].contains(&f.path.as_str()))
        {
            let target = dir.join(file.path.trim_start_matches("src/"));
            std::fs::write(&target, &file.contents).expect("OUT_DIR is writable");
        }
        let dir = dir.display();
        writeln!(
            modules,
            "pub mod {name} {{ pub mod types {{ include!(\"{dir}/types.rs\"); }} mod client {{ include!(\"{dir}/client.rs\"); }} pub use client::*; pub mod mock {{ include!(\"{dir}/mock.rs\"); }} }}"
        )
        .expect("writing to a String cannot fail");
    }
    std::fs::write(out.join("fixtures.rs"), modules).expect("OUT_DIR is writable");
}
