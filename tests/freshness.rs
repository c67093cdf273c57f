//! The committed clients in `generated/` are exactly what the specs produce today.

use std::path::Path;

use paykit_codegen::workspace;

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
