//! The rendered documentation a user browses: every provider and the runtime have their own
//! pages under `paykit`, not bare re-export lines. Reads the HTML that
//! `cargo doc --workspace --no-deps --features mock` writes (`.ci/run` runs this after it).

use std::path::PathBuf;

fn doc_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("doc").join("paykit")
}

#[test]
#[ignore = "reads the HTML of `cargo doc --workspace --no-deps --features mock`: run it first (.ci/run does)"]
fn every_provider_and_the_runtime_have_pages_under_paykit() {
    let doc = doc_dir();
    let pages = [
        ("vinr", "struct.Client.html"),
        ("vendreo", "struct.Client.html"),
        ("vpay", "struct.Client.html"),
        ("vrpay_secure", "struct.Client.html"),
        ("payrequest", "struct.Client.html"),
        ("runtime", "struct.Transport.html"),
        ("runtime", "enum.Error.html"),
        ("vinr/types", "struct.Payment.html"),
    ];
    for (module, item) in pages {
        let index = doc.join(module).join("index.html");
        let html = std::fs::read_to_string(&index)
            .unwrap_or_else(|e| panic!("no page for paykit::{module} ({}): {e}", index.display()));
        let path = format!("paykit::{}", module.replace('/', "::"));
        assert!(
            html.contains(&format!("<title>{path} - Rust</title>")),
            "{} is not {path}'s page",
            index.display()
        );
        let page = doc.join(module).join(item);
        assert!(page.is_file(), "paykit::{module} renders no {item}");
    }
}
