//! When a spec gets one cargo feature per part of the API, and what the parts are (the `tags`
//! fixture and its snapshot show the gating itself).

use paykit_codegen::{ir, load};

/// A spec of `count` operations `GET {path(i)}`, tagged `tag(i)` when given.
fn spec(root: &str, count: usize, path: impl Fn(usize) -> String, tag: impl Fn(usize) -> Option<String>) -> ir::Api {
    let mut yaml = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{root}paths:\n");
    for i in 0..count {
        let path = path(i);
        let tags = tag(i).map(|t| format!("      tags: [{t}]\n")).unwrap_or_default();
        let id = if path.contains("{id}") {
            "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
        } else {
            ""
        };
        yaml.push_str(&format!(
            "  {path}:\n    get:\n      operationId: op{i}\n{tags}{id}      responses: {{'204': {{description: ok}}}}\n"
        ));
    }
    let spec = load::parse(yaml.as_bytes(), "t.yaml").unwrap_or_else(|e| panic!("{e}"));
    ir::build(&spec).unwrap_or_else(|e| panic!("{e}"))
}

fn features(api: &ir::Api) -> Vec<Option<&str>> {
    api.operations.iter().map(|op| op.feature.as_deref()).collect()
}

#[test]
fn big_specs_get_features_small_ones_do_not() {
    let tag = |i: usize| Some(["a", "b"][i % 2].to_owned());
    let path = |i: usize| format!("/x{i}");
    assert_eq!(spec("", 200, path, tag).features, ["a", "b"]);
    assert!(spec("", 199, path, tag).features.is_empty());
    // One part only: nothing to choose between.
    assert!(spec("", 300, path, |_| Some("a".to_owned())).features.is_empty());
    // Said at the root, either way.
    assert_eq!(spec("x-paykit-tag-features: true\n", 2, path, tag).features, ["a", "b"]);
    assert!(
        spec("x-paykit-tag-features: false\n", 300, path, tag)
            .features
            .is_empty()
    );
}

#[test]
fn without_tags_the_first_path_segment_after_api_and_versions_is_the_part() {
    let paths = [
        "/v1/customers/{id}",
        "/v1/customers",
        "/api/v2.1/payment_intents/{id}/confirm",
        "/v1/{id}",
        "/health",
        "/",
    ];
    let api = spec(
        "x-paykit-tag-features: true\n",
        paths.len(),
        |i| paths[i].to_owned(),
        |_| None,
    );
    assert_eq!(
        features(&api),
        [
            Some("customers"),
            Some("customers"),
            Some("payment-intents"),
            None,
            Some("health"),
            None
        ]
    );
    assert_eq!(api.features, ["customers", "health", "payment-intents"]);
}

#[test]
fn in_a_tagged_spec_an_untagged_operation_is_always_compiled() {
    let api = spec(
        "x-paykit-tag-features: true\n",
        3,
        |i| format!("/things/x{i}"),
        |i| (i < 2).then(|| ["Pull Requests", "mock"][i].to_owned()),
    );
    assert_eq!(features(&api), [Some("pull-requests"), Some("mock-api"), None]);
}
