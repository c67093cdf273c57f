//! A small spec change is a small diff: regenerating a provider spec after one additive change
//! rewrites only the files, and the lines, that the change is about. Generated crates are
//! committed and depended on, so their diffs are read by people.

use std::path::Path;

use paykit_codegen::{CrateOptions, OutputFile, RuntimeDependency, emit, ir, load};
use serde_yaml::{Mapping, Value};
use similar::{ChangeTag, TextDiff};

const LABEL: &str = "specs/vinr.yaml";

/// `specs/vinr.yaml`, parsed: each test edits a copy of it.
fn vinr() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../").join(LABEL);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap()
}

/// The crate generated from `doc`, as `generate` would write it for `specs/vinr.yaml`.
fn generate(doc: &Value) -> Vec<OutputFile> {
    let text = serde_yaml::to_string(doc).unwrap();
    let spec = load::parse(text.as_bytes(), LABEL).unwrap_or_else(|e| panic!("{e}"));
    let api = ir::build(&spec).unwrap_or_else(|e| panic!("{e}"));
    let options = CrateOptions {
        crate_name: "paykit-vinr".to_owned(),
        runtime: RuntimeDependency::Workspace {
            path: "../../runtime".to_owned(),
        },
    };
    emit::crate_files(&api, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// Each file that differs between `before` and `after`, with its changed lines (`-old`, `+new`).
fn changes(before: &[OutputFile], after: &[OutputFile]) -> Vec<(String, Vec<String>)> {
    let paths = before.iter().chain(after).map(|f| f.path.as_str());
    let mut paths: Vec<&str> = paths.collect();
    paths.sort_unstable();
    paths.dedup();
    fn contents<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
        files
            .iter()
            .find(|f| f.path == path)
            .map_or("", |f| f.contents.as_str())
    }
    paths
        .into_iter()
        .filter_map(|path| {
            let (old, new) = (contents(before, path), contents(after, path));
            let diff = TextDiff::from_lines(old, new);
            let lines: Vec<String> = diff
                .iter_all_changes()
                .filter_map(|change| match change.tag() {
                    ChangeTag::Equal => None,
                    ChangeTag::Delete => Some(format!("-{}", change.value().trim_end())),
                    ChangeTag::Insert => Some(format!("+{}", change.value().trim_end())),
                })
                .collect();
            (!lines.is_empty()).then(|| (path.to_owned(), lines))
        })
        .collect()
}

/// The mapping at `path`, keys from the document's root.
fn mapping<'a>(value: &'a mut Value, path: &[&str]) -> &'a mut Mapping {
    let mut node = value;
    for key in path {
        node = node.get_mut(*key).unwrap_or_else(|| panic!("{LABEL} has no {path:?}"));
    }
    node.as_mapping_mut()
        .unwrap_or_else(|| panic!("{path:?} is not a mapping"))
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

/// The changed files, and their lines for the assertion messages.
fn listed(changes: &[(String, Vec<String>)]) -> (Vec<&str>, String) {
    let paths = changes.iter().map(|(path, _)| path.as_str()).collect();
    let lines = changes
        .iter()
        .map(|(path, lines)| format!("== {path}\n{}\n", lines.join("\n")));
    (paths, lines.collect())
}

/// The manifest changes in its spec stamp only: the hash, on one line.
fn only_the_stamp(lines: &[String]) -> bool {
    matches!(lines, [old, new] if old.starts_with("-spec-sha256 = ") && new.starts_with("+spec-sha256 = "))
}

/// What regenerating vinr changes after an optional `statement_descriptor` is added to
/// `CreatePaymentRequest` (its last property).
fn property_added() -> Vec<(String, Vec<String>)> {
    let before = vinr();
    let mut after = before.clone();
    mapping(
        &mut after,
        &["components", "schemas", "CreatePaymentRequest", "properties"],
    )
    .insert(
        yaml("statement_descriptor"),
        yaml("{type: string, description: Text on the customer's bank statement.}"),
    );
    changes(&generate(&before), &generate(&after))
}

/// One Rust file changes, by added lines only; the API listing gains the field's line.
#[test]
fn an_optional_property_changes_types_rs_and_the_stamp_only() {
    let changes = property_added();
    let (paths, shown) = listed(&changes);
    assert_eq!(paths, ["Cargo.toml", "public-api.txt", "src/types.rs"], "{shown}");
    assert!(only_the_stamp(&changes[0].1), "{shown}");
    assert_eq!(
        changes[1].1,
        ["+field types::CreatePaymentRequest::statement_descriptor: Option<String>"],
        "{shown}"
    );
    assert!(
        changes[2].1.iter().all(|l| l.starts_with('+')),
        "additive in Rust too:\n{shown}"
    );
}

#[test]
fn an_optional_property_is_its_doc_and_field_lines() {
    let changes = property_added();
    let (_, shown) = listed(&changes);
    let types = changes.iter().find(|(path, _)| path == "src/types.rs");
    assert!(types.is_some_and(|(_, lines)| lines.len() <= 4), "{shown}");
}

/// An optional query parameter is a field of the operation's `…Params` (its doc and the field)
/// and the line that sends it, all in `client.rs`; the mock server reads queries generically.
#[test]
fn an_optional_query_parameter_is_three_lines_of_client_rs() {
    let before = vinr();
    let mut after = before.clone();
    let list_payments = mapping(&mut after, &["paths", "/payments", "get"]);
    let parameters = list_payments.get_mut("parameters").and_then(Value::as_sequence_mut);
    parameters.unwrap_or_else(|| panic!("listPayments has parameters")).push(yaml(
        "{name: status, in: query, required: false, description: Only payments in this status., schema: {type: string}}",
    ));
    let changes = changes(&generate(&before), &generate(&after));
    let (paths, shown) = listed(&changes);
    assert_eq!(paths, ["Cargo.toml", "public-api.txt", "src/client.rs"], "{shown}");
    assert!(only_the_stamp(&changes[0].1), "{shown}");
    assert_eq!(
        changes[1].1,
        ["+field ListPaymentsParams::status: Option<String>"],
        "{shown}"
    );
    let client = &changes[2].1;
    assert!(
        client.len() <= 3 && client.iter().all(|l| l.starts_with('+')),
        "{shown}"
    );
}
