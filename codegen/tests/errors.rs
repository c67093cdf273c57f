//! Broken specs give one-line errors naming the file and the JSON pointer (or line), never a
//! panic — through the library and through the CLI.

use std::process::Command;

use paykit_codegen::{CrateOptions, RuntimeDependency, emit, ir, load};

/// Runs the whole in-memory pipeline on spec text.
fn generate(yaml: &str) -> Result<(), paykit_codegen::Error> {
    let spec = load::parse(yaml.as_bytes(), "broken.yaml")?;
    let api = ir::build(&spec)?;
    let options = CrateOptions {
        crate_name: "x".into(),
        runtime: RuntimeDependency::Workspace { path: "r".into() },
    };
    emit::crate_files(&api, &options).map(drop)
}

fn error(yaml: &str) -> String {
    let e = generate(yaml).expect_err("the spec is broken");
    let line = e.to_string();
    assert!(!line.contains('\n'), "errors are one line: {line}");
    assert!(line.starts_with("broken.yaml: "), "names the file: {line}");
    line
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

fn spec(rest: &str) -> String {
    format!("{HEAD}{rest}")
}

#[test]
fn a_ref_fragment_is_percent_decoded_as_a_uri_fragment() {
    // RFC 6901 section 6: `{` and `}` travel as `%7B` and `%7D` in a `$ref`'s fragment.
    let reused = "      responses:\n        '200': {$ref: '#/paths/~1items~1%7Bid%7D/get/responses/200'}\n";
    let yaml = spec(&format!(
        "paths:\n  /items/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{name: {{type: string}}}}}}\n  /copies/{{id}}:\n    get:\n      parameters:\n        - {{$ref: '#/paths/~1items~1%7Bid%7D/get/parameters/0'}}\n{reused}"
    ));
    generate(&yaml).expect("escaped $refs resolve");
    let dangling = yaml.replace("%7Bid%7D/get/parameters", "%7Bnone%7D/get/parameters");
    assert!(error(&dangling).contains("points at nothing"));
}

#[test]
fn dangling_ref_names_the_node_holding_it() {
    let e = error(&spec(
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    ));
    assert_eq!(
        e,
        "broken.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema: \
         $ref \"#/components/schemas/Missing\" points at nothing"
    );
}

#[test]
fn external_ref_is_unsupported() {
    let e = error(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/A'}\n",
    ));
    assert!(e.contains("#/components/schemas/A: external $ref"), "{e}");
}

#[test]
fn json_is_read_as_json() {
    // A surrogate-pair escape and a 1,100-byte key: valid JSON that YAML parsers refuse.
    let key = "K".repeat(1100);
    let json = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "J \ud83d\ude00", "version": "1"}}, "paths": {{}},
        "components": {{"schemas": {{"{key}": {{"type": "string"}}}}}}}}"#
    );
    let spec = load::parse(json.as_bytes(), "api.json").unwrap();
    assert_eq!(spec.doc.info.title, "J \u{1F600}");
    let e = load::parse(b"{\"openapi\": ", "api.json").unwrap_err().to_string();
    assert!(
        e.starts_with("api.json: line 1 column ") && e.contains("not valid JSON"),
        "{e}"
    );
}

#[test]
fn refs_outside_components_are_inlined_and_cycles_refused() {
    let yaml = spec(
        "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: q, in: query, schema: {type: string}}\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      operationId: getB\n      parameters:\n        - $ref: '#/paths/~1a/get/parameters/0'\n      responses: {'204': {description: ok}}\n",
    );
    let loaded = load::parse(yaml.as_bytes(), "broken.yaml").unwrap();
    let api = ir::build(&loaded).unwrap();
    assert_eq!(api.operations[1].optional[0].wire_name, "q");

    let e = error(&spec(
        "paths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\n",
    ));
    assert!(e.contains(": #/paths/~1") && e.contains("is circular"), "{e}");
    // Inside a component too: a property that is a copy of itself.
    let e = error(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        x: {$ref: '#/components/schemas/A/properties/x'}\n",
    ));
    assert!(
        e.contains(": #/components/schemas/A/properties/x: $ref") && e.contains("is circular"),
        "{e}"
    );
}

#[test]
fn deeply_nested_yaml_is_refused_at_once() {
    // libyaml's scanner is quadratic in flow depth: this took a minute before the depth check.
    let depth = 100_000;
    let e = error(&spec(&format!(
        "paths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )));
    assert!(e.contains("line 4 column ") && e.contains("nested more than"), "{e}");
}

#[test]
fn yaml_syntax_error_names_the_line() {
    let e = error(&spec("paths:\n  /a: [unclosed\n"));
    assert!(e.contains("line "), "{e}");
    assert!(e.contains("not valid YAML"), "{e}");
}

#[test]
fn wrong_versions_are_refused() {
    assert!(error("swagger: '1.2'\ninfo: {title: T, version: '1'}\npaths: {}\n").contains("#/swagger: Swagger 1.2"));
    assert!(error("openapi: 3.3.0\ninfo: {title: T, version: '1'}\npaths: {}\n").contains("#/openapi: OpenAPI 3.3.0"));
    assert!(error("info: {title: T}\n").contains("#/openapi: missing"));
}

#[test]
fn openapi_3_1_is_read_and_its_errors_name_the_original_pointers() {
    let head = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";
    generate(&format!(
        "{head}components:\n  schemas:\n    A: {{type: [string, 'null']}}\n"
    ))
    .expect("3.1 is read");
    let e = error(&format!(
        "{head}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: [string, 'null'], $ref: '#/components/schemas/Missing'}}\n"
    ));
    assert_eq!(
        e,
        "broken.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema/allOf/0: \
         $ref \"#/components/schemas/Missing\" points at nothing"
    );
    let e = error(&format!("{head}paths:\n  /a:\n    get:\n      responses: 42\n"));
    assert!(
        e.contains("#/paths/~1a/get/responses: not a valid OpenAPI 3.1 document"),
        "{e}"
    );
}

#[test]
fn invalid_document_names_where() {
    let e = error(&spec("paths:\n  /a:\n    get:\n      responses: 42\n"));
    assert!(e.contains("#/paths/~1a/get/responses"), "{e}");
}

#[test]
fn unsupported_constructs_name_their_pointer() {
    let cases = [
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          multipart/mixed:\n            schema: {type: object}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/post/requestBody/content/multipart~1mixed: request body media type",
        ),
        (
            "paths:\n  /a:\n    get:\n      parameters:\n        - {name: s, in: cookie, content: {application/json: {schema: {type: object}}, text/plain: {}}}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/get/parameters/0/content: a parameter's `content` holds one media type",
        ),
        (
            "paths:\n  /a/{id}:\n    get:\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a~1{id}/get: path parameter {id} is not declared",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: string, x-paykit-lenient: true}}}\n",
            "#/components/schemas/A/properties/x: x-paykit-lenient applies to",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    A: {properties: {x: {type: string}}, allOf: [{type: string}]}\n",
            "#/components/schemas/A/allOf/0: allOf can only merge object schemas",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          multipart/mixed:\n            schema: {type: object}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/post/requestBody/content/multipart~1mixed: request body media type \"multipart/mixed\" is not supported yet",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {type: object, properties: {t: {type: array, items: {type: string}}}}\n            encoding: {t: {style: pipeDelimited}}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/encoding/t/style: style PipeDelimited is not supported",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          x-paykit-unwrap: /data/0\n          content:\n            application/json:\n              schema: {type: object, properties: {data: {type: string}}}\n",
            "#/paths/~1a/get/responses/200/x-paykit-unwrap: \"/data/0\": the body has no \"0\" to unwrap",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '400':\n          description: no\n          x-paykit-unwrap: /data\n          content:\n            application/json:\n              schema: {type: object}\n",
            "#/paths/~1a/get/responses/400/x-paykit-unwrap: x-paykit-unwrap belongs on a success response",
        ),
        (
            "paths:\n  /a:\n    get:\n      parameters:\n        - {name: i, in: query, x-paykit-client-param: true, schema: {type: string}}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/get/parameters/0: x-paykit-client-param belongs on a required string query or header parameter",
        ),
        // Form styles belong to the body type: two operations cannot send one type two ways.
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/F'}\n            encoding: {t: {style: deepObject}}\n      responses: {'204': {description: ok}}\n  /b:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/F'}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    F: {type: object, properties: {t: {type: object}}}\n",
            "#/paths/~1b/post/requestBody: the form body F has another `encoding` here than in an earlier operation",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {type: object, additionalProperties: {type: object}}\n            encoding: {t: {style: deepObject}}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/encoding: an `encoding` other than the default needs declared properties",
        ),
    ];
    for (rest, expected) in cases {
        let e = error(&spec(rest));
        assert!(e.contains(expected), "expected {expected:?} in {e:?}");
    }
}

/// Every node of a real spec replaced by junk of each JSON kind: the pipeline answers with an
/// error or with code, never with a panic. VR pay secure has the form bodies, envelopes and
/// client parameters; V-Pay the auth and case-insensitive extensions.
///
/// By default every 17th node is mutated (a few seconds); with PAYKIT_SLOW_TESTS set (CI sets
/// it), every node (over a minute).
#[test]
fn mutated_specs_never_panic() {
    let stride = if std::env::var_os("PAYKIT_SLOW_TESTS").is_some() {
        1
    } else {
        17
    };
    for (name, minimum) in [("vrpay-secure", 2000), ("vpay", 500)] {
        let runs = mutate_every_node(name, stride);
        assert!(runs > minimum / stride, "only {runs} mutations of {name}");
    }
}

fn mutate_every_node(name: &str, stride: usize) -> usize {
    let path = format!("{}/../specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let original: serde_json::Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut pointers = Vec::new();
    collect_pointers(&original, String::new(), &mut pointers);
    let junk = [
        serde_json::json!(null),
        serde_json::json!(7),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
    // 17 is prime to the 5 kinds of junk, so a sample still tries each kind all over the spec.
    for (i, pointer) in pointers.iter().enumerate().step_by(stride) {
        // Every node gets one kind of junk; the kinds rotate so each is tried all over the spec.
        let mut mutated = original.clone();
        *mutated.pointer_mut(pointer).unwrap() = junk[i % junk.len()].clone();
        let text = serde_json::to_string(&mutated).unwrap();
        let outcome = std::panic::catch_unwind(|| generate(&text));
        assert!(
            outcome.is_ok(),
            "{name}: panicked with {pointer} replaced by {}",
            junk[i % junk.len()]
        );
    }
    pointers.len().div_ceil(stride)
}

fn collect_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &serde_json::Value)> = match value {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        serde_json::Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{at}/{key}");
        out.push(pointer.clone());
        collect_pointers(child, pointer, out);
    }
}

#[test]
fn cli_reports_one_line_and_exits_non_zero() {
    let dir = std::env::temp_dir().join(format!("paykit-codegen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("broken.yaml");
    std::fs::write(
        &spec_path,
        spec("paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .args(["generate", "--spec"])
        .arg(&spec_path)
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--runtime-git", "https://git.example/paykit.git"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("broken.yaml: #/paths/~1a/get/responses/200: $ref"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.join("out").exists(), "nothing is written for a broken spec");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lifecycle_extensions_are_checked() {
    let e = error(&spec(
        "paths:\n  /a:\n    post:\n      x-paykit-idempotent: 'yes'\n      responses:\n        '200': {description: ok}\n",
    ));
    assert!(e.contains("#/paths/~1a/post/x-paykit-idempotent: "), "{e}");
    let e = error(&spec(
        "x-paykit-rate-limit-reset: {header: X-Reset, format: minutes}\npaths: {}\n",
    ));
    assert!(e.contains("#/x-paykit-rate-limit-reset/format: "), "{e}");
    let e = error(&spec(
        "x-paykit-rate-limit-reset: {header: 'a b', format: unix-seconds}\npaths: {}\n",
    ));
    assert!(e.contains("#/x-paykit-rate-limit-reset/header: "), "{e}");
}

/// With skipping on, an operation the generator cannot handle is left out and named (file, JSON
/// pointer, reason); the rest is generated. Without it, the same spec fails at that pointer.
#[test]
fn unsupported_operations_can_be_skipped_and_are_named() {
    let yaml = spec(
        "paths:\n  /pets:\n    get:\n      operationId: listPets\n      responses: {'204': {description: ok}}\n  /session:\n    get:\n      operationId: getSession\n      parameters:\n        - {name: sid, in: header, required: true, content: {application/json: {schema: {type: object}}, text/plain: {}}}\n      responses: {'204': {description: ok}}\n  /ref: {$ref: '#/paths/~1pets'}\n",
    );
    let strict = error(&yaml);
    assert!(
        strict.contains("#/paths/~1session/get/parameters/0/content: a parameter's `content` holds one"),
        "{strict}"
    );

    let loaded = load::parse(yaml.as_bytes(), "broken.yaml").unwrap();
    let (api, skipped) = ir::build_skipping_unsupported(&loaded).unwrap();
    // The `$ref` path item is inlined: its operation is generated too, under its own path.
    let routes: Vec<String> = api.operations.iter().map(|op| op.path_template()).collect();
    assert_eq!(routes, ["/pets", "/ref"]);
    let skipped: Vec<String> = skipped.iter().map(ToString::to_string).collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].contains("#/paths/~1session/get/parameters/0/content: a parameter's `content` holds one"),
        "{skipped:?}"
    );
    let options = CrateOptions {
        crate_name: "x".into(),
        runtime: RuntimeDependency::Workspace { path: "r".into() },
    };
    assert!(emit::crate_files(&api, &options).is_ok());
}

/// A property may be named `$ref`: in a `properties` map that is a name, not a reference.
#[test]
fn a_property_named_ref_is_a_property() {
    let yaml = spec(
        "x-paykit-unused-schemas: keep\npaths: {}\ncomponents:\n  schemas:\n    Member:\n      type: object\n      properties:\n        $ref: {type: string}\n        value: {type: string}\n",
    );
    let loaded = load::parse(yaml.as_bytes(), "ok.yaml").unwrap();
    let api = ir::build(&loaded).unwrap();
    let ir::TypeKind::Struct { fields, .. } = &api.types[0].kind else {
        panic!("{:?}", api.types[0])
    };
    assert_eq!(fields[0].wire_name, "$ref");
}
