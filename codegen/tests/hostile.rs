//! Hostile specs: cycles reached from every place a schema can be, and names that collide with
//! what the generated code declares itself. Each spec runs through the CLI in its own process
//! with a deadline, so a stack overflow (an abort) or a hang fails the test instead of ending or
//! blocking the whole run. What must also compile is a fixture (`fixtures/hostile.yaml`).

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above what any of these specs needs (milliseconds), far below a hung test run.
const DEADLINE: Duration = Duration::from_secs(20);

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

/// `A → B → C → A`, aliases all.
const ALIAS_CYCLE: &str = "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {$ref: '#/components/schemas/A'}\n";

/// How generating a spec ended.
#[derive(Debug)]
enum Outcome {
    /// Generated: what would be written.
    Generated,
    /// Refused: the one-line error.
    Refused(String),
}

/// Generates `rest` (after the spec's head) in a child process; panics on a crash or a hang.
fn run(name: &str, rest: &str) -> Outcome {
    let dir = std::env::temp_dir().join(format!("paykit-codegen-hostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("hostile.yaml");
    std::fs::write(&spec, format!("{HEAD}{rest}")).unwrap();
    // `--check` writes nothing: 1 means it would write the crate, 2 that the spec is refused.
    let mut child = Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .args(["generate", "--check", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--runtime-git", "https://git.example/paykit.git"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            std::fs::remove_dir_all(&dir).unwrap();
            panic!("{name}: the generator hung (killed after {DEADLINE:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    match status.code() {
        Some(1) => Outcome::Generated,
        Some(2) => {
            assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            Outcome::Refused(stderr.trim().to_owned())
        }
        _ => panic!("{name}: the generator crashed ({status}): {stderr}"),
    }
}

/// `schema` placed in every spot an operation reaches a schema from.
fn placements(schema: &str) -> Vec<(&'static str, String)> {
    let op = |rest: String| format!("paths:\n  /a/{{p}}:\n    get:\n{rest}");
    let path_param = "      parameters:\n        - {name: p, in: path, required: true, schema: {type: string}}\n";
    let ok = "      responses: {'204': {description: ok}}\n";
    let param = |location: &str, required: bool| {
        format!(
            "      parameters:\n        - {{name: p, in: path, required: true, schema: {schema}}}\n        - {{name: x, in: {location}, required: {required}, schema: {schema}}}\n{ok}"
        )
    };
    let json = format!("content: {{application/json: {{schema: {schema}}}}}");
    let page = format!(
        "content: {{application/json: {{schema: {{properties: {{data: {{type: array, items: {{properties: {{id: {schema}}}}}}}, more: {{type: boolean}}}}}}}}}}"
    );
    vec![
        ("query", op(param("query", false))),
        ("required_query", op(param("query", true))),
        ("header", op(param("header", false))),
        ("cookie", op(param("cookie", true))),
        (
            "deep_object",
            op(format!(
                "      parameters:\n        - {{name: p, in: path, required: true, schema: {schema}}}\n        - {{name: x, in: query, style: deepObject, schema: {schema}}}\n{ok}"
            )),
        ),
        (
            "body",
            op(format!(
                "{path_param}      requestBody: {{required: true, {json}}}\n{ok}"
            )),
        ),
        (
            "form_body",
            op(format!(
                "{path_param}      requestBody: {{content: {{application/x-www-form-urlencoded: {{schema: {schema}}}}}}}\n{ok}"
            )),
        ),
        (
            "response",
            op(format!(
                "{path_param}      responses: {{'200': {{description: ok, {json}}}}}\n"
            )),
        ),
        (
            "error_response",
            op(format!(
                "{path_param}      responses: {{'400': {{description: no, {json}}}}}\n"
            )),
        ),
        (
            "response_header",
            op(format!(
                "{path_param}      responses: {{'204': {{description: ok, headers: {{X-H: {{schema: {schema}}}}}}}}}\n"
            )),
        ),
        (
            "unwrap",
            op(format!(
                "{path_param}      responses: {{'200': {{description: ok, x-paykit-unwrap: /data/0/x, {json}}}}}\n"
            )),
        ),
        (
            "pagination",
            op(format!(
                "{path_param}        - {{name: after, in: query, schema: {schema}}}\n      x-paykit-pagination: {{items: /data, cursor: {{param: after, from_item: /id, has_more: /more}}}}\n      responses: {{'200': {{description: ok, {page}}}}}\n"
            )),
        ),
        (
            "callback",
            op(format!(
                "{path_param}      callbacks:\n        done:\n          '{{$request.body#/url}}':\n            post:\n              requestBody: {{{json}}}\n              responses: {{'204': {{description: ok}}}}\n{ok}"
            )),
        ),
    ]
}

/// A cycle of `$ref` aliases, from every place: each ends, generated (the cycle is any JSON) or
/// refused with the file and the pointer.
#[test]
fn alias_cycles_end_from_every_place() {
    for (place, paths) in placements("{$ref: '#/components/schemas/A'}") {
        match run(place, &format!("{paths}{ALIAS_CYCLE}")) {
            Outcome::Generated => {}
            Outcome::Refused(e) => assert!(e.contains("hostile.yaml: #/"), "{place}: {e}"),
        }
    }
}

/// `allOf` parts that share parts, 30 deep: each schema is merged once, not 2^30 times.
#[test]
fn shared_all_of_parts_are_merged_once() {
    let mut schemas = String::from("x-paykit-unused-schemas: keep\npaths: {}\ncomponents:\n  schemas:\n");
    for i in 1..=30 {
        let next = format!("{{$ref: '#/components/schemas/S{}'}}", i + 1);
        schemas.push_str(&format!(
            "    S{i}: {{allOf: [{next}, {next}, {{properties: {{p{i}: {{type: string}}}}}}]}}\n"
        ));
    }
    schemas.push_str("    S31: {properties: {z: {type: string}}}\n");
    assert!(matches!(run("all_of", &schemas), Outcome::Generated));
}

/// A path parameter declared twice is one argument, as OpenAPI has it (unique by name and
/// location): the operation's own overrides the path item's, and of two there the last counts.
#[test]
fn a_path_parameter_declared_twice_is_one_argument() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile.yaml");
    let spec = paykit_codegen::load::load(std::path::Path::new(path), "hostile.yaml").unwrap();
    let api = paykit_codegen::ir::build(&spec).unwrap();
    let op = api.operations.iter().find(|op| op.operation_id == "getThing").unwrap();
    let ids: Vec<_> = op.required.iter().filter(|p| p.wire_name == "id").collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].ty, paykit_codegen::ir::TypeRef::String);
    let client: Vec<_> = api.client_params.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(
        client,
        ["auth_2", "base_url_2", "transport_2", "instance", "instance_2"]
    );
}
