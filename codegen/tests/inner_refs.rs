//! `$ref`s into a schema's inside, callbacks' and webhooks' bodies, and 3.1 `$anchor`/`$id`
//! refs: errors in a moved schema name its place in the document as written, unresolvable refs
//! are refused with their pointer, and hostile chains and cycles end quickly.

use std::sync::mpsc;
use std::time::Duration;

use paykit_codegen::{ir, load};

/// Far above what any of these specs needs, far below a hung test run.
const DEADLINE: Duration = Duration::from_secs(20);

/// Loads and builds `yaml`, on a thread with a deadline: the error line, or `None` when it builds.
fn build(yaml: String) -> Option<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = load::parse(yaml.as_bytes(), "spec.yaml").and_then(|spec| ir::build(&spec).map(drop));
        let _ = send.send(result.err().map(|e| e.to_string()));
    });
    receive.recv_timeout(DEADLINE).expect("the generator ends in time")
}

const HEAD_30: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";
const HEAD_31: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";

#[test]
fn an_error_in_a_moved_definition_names_its_original_place() {
    let yaml = format!(
        "{HEAD_30}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A/definitions/D'}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      definitions:\n        D: {{properties: {{x: {{type: string}}}}, allOf: [{{type: string}}]}}\n"
    );
    assert_eq!(
        build(yaml).as_deref(),
        Some("spec.yaml: #/components/schemas/A/definitions/D/allOf/0: allOf can only merge object schemas")
    );
}

#[test]
fn an_error_in_a_webhook_body_names_the_webhook() {
    let yaml = format!(
        "{HEAD_31}webhooks:\n  paid:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{properties: {{x: {{type: string}}}}, allOf: [{{type: string}}]}}\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let error = build(yaml).expect("the body is refused");
    assert_eq!(
        error,
        "spec.yaml: #/webhooks/paid/post/requestBody/content/application~1json/schema/allOf/0: allOf can only merge object schemas"
    );
}

#[test]
fn webhook_payloads_are_generated_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/webhooks.yaml");
    let spec = load::load(std::path::Path::new(path), "webhooks.yaml").unwrap();
    let api = ir::build(&spec).unwrap();
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    for name in [
        "PaymentSucceededWebhook",
        "DisputeOpenedWebhook",
        "Refund",
        "StatusChangedCallback",
        "RefundSettledCallback",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
}

#[test]
fn an_anchor_that_names_nothing_is_refused_with_its_pointer() {
    let yaml = format!(
        "{HEAD_31}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$anchor: here, type: string}}\n    B: {{type: object, properties: {{a: {{$ref: '#here'}}, b: {{$ref: '#there'}}}}}}\n"
    );
    assert_eq!(
        build(yaml).as_deref(),
        Some("spec.yaml: #/components/schemas/B/properties/b: $ref \"#there\" points at nothing")
    );
}

/// Definitions that refer to the next, thousands long, closing into a cycle: each is one named
/// type, reached without recursion.
#[test]
fn long_cycles_through_definitions_end() {
    const LENGTH: usize = 3_000;
    let mut yaml = format!(
        "{HEAD_30}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A/definitions/d0'}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      definitions:\n"
    );
    for i in 0..LENGTH {
        let next = (i + 1) % LENGTH;
        yaml.push_str(&format!(
            "        d{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/A/definitions/d{next}'}}}}}}\n"
        ));
    }
    assert_eq!(build(yaml), None);
}

/// A chain of refs to refs through properties, thousands long, into an object that refers back
/// to the chain's start; and a chain that only goes round, refused.
#[test]
fn long_chains_of_refs_into_properties_end() {
    const LENGTH: usize = 2_000;
    let mut yaml = format!(
        "{HEAD_30}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/S/properties/p0'}}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n"
    );
    for i in 0..LENGTH - 1 {
        yaml.push_str(&format!(
            "        p{i}: {{$ref: '#/components/schemas/S/properties/p{}'}}\n",
            i + 1
        ));
    }
    let last = format!("p{}", LENGTH - 1);
    let closing = format!(
        "        {last}: {{type: object, properties: {{back: {{$ref: '#/components/schemas/S/properties/p0'}}}}}}\n"
    );
    assert_eq!(build(format!("{yaml}{closing}")), None);
    let round = format!("        {last}: {{$ref: '#/components/schemas/S/properties/p0'}}\n");
    let error = build(format!("{yaml}{round}")).expect("a cycle of refs alone is refused");
    assert!(
        error.contains("spec.yaml: #/") && error.contains("is circular"),
        "{error}"
    );
}
