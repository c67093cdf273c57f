//! `generated/` holds generated files only: `check` reports anything else found there.

use std::fs;

use paykit_codegen::{workspace, write};

#[test]
fn files_no_spec_produces_are_reported() {
    let root = std::env::temp_dir().join(format!("paykit-workspace-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("specs")).unwrap();
    fs::write(
        root.join("specs/shop.yaml"),
        "openapi: 3.0.3\ninfo: {title: Shop, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    for target in workspace::targets(&root).unwrap() {
        write::write(&target.out_dir, &target.files).unwrap();
    }
    assert_eq!(workspace::check(&root).unwrap(), []);

    fs::write(root.join("generated/shop/src/ext.rs"), "// hand-written\n").unwrap();
    fs::create_dir_all(root.join("generated/removed/src")).unwrap();
    fs::write(root.join("generated/removed/src/lib.rs"), "// @generated\n").unwrap();
    let stale: Vec<String> = workspace::check(&root)
        .unwrap()
        .iter()
        .map(|s| format!("{} ({})", s.path.strip_prefix(&root).unwrap().display(), s.reason))
        .collect();
    assert_eq!(
        stale,
        [
            "generated/removed/src/lib.rs (not generated from any spec)",
            "generated/shop/src/ext.rs (not generated from any spec)",
        ]
    );
    fs::remove_dir_all(&root).unwrap();
}
