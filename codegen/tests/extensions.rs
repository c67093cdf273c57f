//! The `x-paykit-*` vocabulary is checked over the whole document: an unknown, misplaced or
//! mistyped extension is an error naming the file and the JSON pointer, with skipping on too.

use paykit_codegen::{CrateOptions, RuntimeDependency, ir, load};

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

fn build(rest: &str) -> Result<ir::Api, paykit_codegen::Error> {
    build_document(&format!("{HEAD}{rest}"))
}

fn build_document(yaml: &str) -> Result<ir::Api, paykit_codegen::Error> {
    ir::build(&load::parse(yaml.as_bytes(), "specs/x.yaml")?)
}

/// The one-line error `rest` (the spec after `info`) gives.
fn error(rest: &str) -> String {
    error_in(&format!("{HEAD}{rest}"))
}

fn error_in(yaml: &str) -> String {
    let line = build_document(yaml).expect_err("a misused extension").to_string();
    assert!(
        line.starts_with("specs/x.yaml: #/"),
        "names the file and the pointer: {line}"
    );
    line
}

/// An operation carrying `ext`.
fn on_operation(ext: &str) -> String {
    format!("paths:\n  /a:\n    post:\n      {ext}\n      responses: {{'204': {{description: ok}}}}\n")
}

/// A header parameter carrying `ext`.
fn on_parameter(ext: &str) -> String {
    format!(
        "paths:\n  /a:\n    get:\n      parameters:\n        - {{name: K, in: header, schema: {{type: string}}, {ext}}}\n      responses: {{'204': {{description: ok}}}}\n"
    )
}

/// A success response with a JSON envelope, carrying `ext`.
fn on_response(ext: &str) -> String {
    format!(
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          {ext}\n          content:\n            application/json:\n              schema: {{type: object, properties: {{data: {{type: array, items: {{type: string}}}}}}}}\n"
    )
}

/// An integer property of a component schema, carrying `ext`.
fn on_property(ext: &str) -> String {
    format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{n: {{type: integer, {ext}}}}}}}\n"
    )
}

/// A string enum component schema, carrying `ext`.
fn on_enum(ext: &str) -> String {
    format!("paths: {{}}\ncomponents:\n  schemas:\n    S: {{type: string, enum: [a], {ext}}}\n")
}

#[test]
fn misspellings_are_refused_with_the_closest_name() {
    let cases = [
        (
            format!("x-paykit-form-dialekt: php\n{}", on_operation("")),
            "specs/x.yaml: #/x-paykit-form-dialekt: `x-paykit-form-dialekt` is not a paykit-codegen extension; did you mean `x-paykit-form-dialect`?",
        ),
        (
            on_operation("x-paykit-idempotnet: true"),
            "specs/x.yaml: #/paths/~1a/post/x-paykit-idempotnet: `x-paykit-idempotnet` is not a paykit-codegen extension; did you mean `x-paykit-idempotent`?",
        ),
        (
            on_parameter("x-paykit-client-parm: true"),
            "specs/x.yaml: #/paths/~1a/get/parameters/0/x-paykit-client-parm: `x-paykit-client-parm` is not a paykit-codegen extension; did you mean `x-paykit-client-param`?",
        ),
        (
            // A property of an inline schema inside an inline schema of a response body.
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  customer:\n                    type: object\n                    properties:\n                      vip: {type: integer, x-paykit-bol: true}\n".to_owned(),
            "specs/x.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema/properties/customer/properties/vip/x-paykit-bol: `x-paykit-bol` is not a paykit-codegen extension; did you mean `x-paykit-bool`?",
        ),
        (
            on_response("X-PayKit-Unwrap: /data"),
            "specs/x.yaml: #/paths/~1a/get/responses/200/X-PayKit-Unwrap: `X-PayKit-Unwrap` is not a paykit-codegen extension; did you mean `x-paykit-unwrap`?",
        ),
        (
            on_operation("x-paykit-retries: 3"),
            "specs/x.yaml: #/paths/~1a/post/x-paykit-retries: `x-paykit-retries` is not a paykit-codegen extension",
        ),
    ];
    for (rest, expected) in cases {
        assert_eq!(error(&rest), expected);
    }
}

#[test]
fn unknown_names_are_found_everywhere() {
    let e = error_in(&format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1', x-paykit-x: 1}}\n{}",
        on_operation("")
    ));
    assert!(e.contains(" #/info/x-paykit-x: `x-paykit-x` is not"), "{e}");
    let cases = [
        (
            "servers: [{url: 'https://a', x-paykit-x: 1}]\npaths: {}\n",
            "#/servers/0/x-paykit-x",
        ),
        ("paths:\n  x-paykit-x: 1\n", "#/paths/x-paykit-x"),
        ("paths:\n  /a:\n    x-paykit-x: 1\n", "#/paths/~1a/x-paykit-x"),
        (
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            x-paykit-x: 1\n            schema: {type: object}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/post/requestBody/content/application~1json/x-paykit-x",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: array\n      items:\n        allOf:\n          - oneOf: [{type: string, x-paykit-x: 1}]\n",
            "#/components/schemas/A/items/allOf/0/oneOf/0/x-paykit-x",
        ),
        (
            "paths: {}\ncomponents:\n  securitySchemes:\n    Key: {type: apiKey, in: header, name: K, x-paykit-x: 1}\n",
            "#/components/securitySchemes/Key/x-paykit-x",
        ),
        (
            "paths:\n  /a:\n    post:\n      callbacks:\n        done:\n          '{$request.body#/url}':\n            post:\n              x-paykit-x: 1\n              responses: {'204': {description: ok}}\n      responses: {'204': {description: ok}}\n",
            "#/paths/~1a/post/callbacks/done/{$request.body#~1url}/post/x-paykit-x",
        ),
    ];
    for (rest, pointer) in cases {
        let e = error(rest);
        assert!(
            e.contains(&format!(" {pointer}: `x-paykit-x` is not")),
            "{pointer}: {e}"
        );
    }
}

#[test]
fn mistyped_values_are_refused() {
    let cases = [
        (
            format!("x-paykit-form-dialect: PHP\n{}", on_operation("")),
            "#/x-paykit-form-dialect: unknown variant `PHP`, expected `standard` or `php`",
        ),
        (
            format!("x-paykit-unused-schemas: true\n{}", on_operation("")),
            "#/x-paykit-unused-schemas: invalid type: boolean `true`, expected a string",
        ),
        (
            format!("x-paykit-tag-features: 'yes'\n{}", on_operation("")),
            "#/x-paykit-tag-features: invalid type: string \"yes\", expected a boolean",
        ),
        (
            format!("x-paykit-rate-limit-reset: X-Reset\n{}", on_operation("")),
            "#/x-paykit-rate-limit-reset: invalid type: string \"X-Reset\", expected a map",
        ),
        (
            format!(
                "x-paykit-rate-limit-reset: {{header: X-Reset, format: minutes}}\n{}",
                on_operation("")
            ),
            "#/x-paykit-rate-limit-reset/format: unknown variant `minutes`, expected `unix-seconds` or `delay-seconds`",
        ),
        (
            format!(
                "x-paykit-rate-limit-reset: {{header: 'a b', format: unix-seconds}}\n{}",
                on_operation("")
            ),
            "#/x-paykit-rate-limit-reset/header: \"a b\" is not a header name",
        ),
        (
            format!(
                "x-paykit-rate-limit-reset: {{header: X-Reset, format: unix-seconds, jitter: 1}}\n{}",
                on_operation("")
            ),
            "#/x-paykit-rate-limit-reset/jitter: unknown field `jitter`, expected `header` or `format`",
        ),
        (
            on_operation("x-paykit-idempotent: 'yes'"),
            "#/paths/~1a/post/x-paykit-idempotent: invalid type: string \"yes\", expected a boolean",
        ),
        (
            on_operation("x-paykit-pagination: [data]"),
            "#/paths/~1a/post/x-paykit-pagination: invalid type: sequence, expected a map",
        ),
        (
            on_operation("x-paykit-pagination: {items: /data, offset: [skip]}"),
            "#/paths/~1a/post/x-paykit-pagination/offset: invalid type: sequence, expected a map",
        ),
        (
            on_operation("x-paykit-pagination: {items: /data, offset: {param: skip}, page: {param: p}}"),
            "#/paths/~1a/post/x-paykit-pagination: one of `cursor`, `page`, `offset` or `link` is expected",
        ),
        (
            on_operation(
                "x-paykit-pagination: {items: /data, cursor: {param: after, from_item: /id, has_mroe: /more}}",
            ),
            "#/paths/~1a/post/x-paykit-pagination/cursor/has_mroe: unknown field `has_mroe`, expected one of `param`, `in`, `from_item`, `has_more`",
        ),
        (
            on_operation("x-paykit-pagination: {items: data, offset: {param: skip}}"),
            "#/paths/~1a/post/x-paykit-pagination/items: \"data\" is not a JSON pointer",
        ),
        (
            on_operation("x-paykit-pagination: {items: /data, page: {param: p, first: 256}}"),
            "#/paths/~1a/post/x-paykit-pagination/page/first: invalid value: integer `256`, expected u8",
        ),
        (
            on_parameter("x-paykit-idempotency-key: 1"),
            "#/paths/~1a/get/parameters/0/x-paykit-idempotency-key: invalid type: integer `1`, expected a boolean",
        ),
        (
            on_parameter("x-paykit-client-param: 'true'"),
            "#/paths/~1a/get/parameters/0/x-paykit-client-param: invalid type: string \"true\", expected a boolean",
        ),
        (
            on_response("x-paykit-unwrap: 0"),
            "#/paths/~1a/get/responses/200/x-paykit-unwrap: invalid type: integer `0`, expected a string",
        ),
        (
            on_response("x-paykit-unwrap: null"),
            "#/paths/~1a/get/responses/200/x-paykit-unwrap: invalid type: null, expected a string",
        ),
        (
            on_response("x-paykit-unwrap: data"),
            "#/paths/~1a/get/responses/200/x-paykit-unwrap: \"data\" is not a JSON pointer",
        ),
        (
            on_response("x-paykit-unwrap: /data\n          x-paykit-unwrap-optional: 1"),
            "#/paths/~1a/get/responses/200/x-paykit-unwrap-optional: invalid type: integer `1`, expected a boolean",
        ),
        (
            on_property("x-paykit-auth-param: 'yes'"),
            "#/components/schemas/A/properties/n/x-paykit-auth-param: invalid type: string \"yes\", expected a boolean",
        ),
        (
            on_property("x-paykit-bool: 1"),
            "#/components/schemas/A/properties/n/x-paykit-bool: invalid type: integer `1`, expected a boolean",
        ),
        (
            on_property("x-paykit-lenient: 1"),
            "#/components/schemas/A/properties/n/x-paykit-lenient: invalid type: integer `1`, expected a boolean",
        ),
        (
            on_enum("x-paykit-case-insensitive: null"),
            "#/components/schemas/S/x-paykit-case-insensitive: invalid type: null, expected a boolean",
        ),
        (
            on_enum("x-paykit-enum-aliases: [A]"),
            "#/components/schemas/S/x-paykit-enum-aliases: invalid type: sequence, expected a map",
        ),
        (
            on_enum("x-paykit-enum-aliases: {A: 1}"),
            "#/components/schemas/S/x-paykit-enum-aliases/A: invalid type: integer `1`, expected a string",
        ),
    ];
    for (rest, expected) in cases {
        let e = error(&rest);
        assert!(
            e.contains(&format!("specs/x.yaml: {expected}")),
            "expected {expected:?} in {e:?}"
        );
    }
}

#[test]
fn misplaced_extensions_are_refused() {
    let cases = [
        (
            "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, x-paykit-unwrap: /data}\n".to_owned(),
            "#/components/schemas/A/x-paykit-unwrap: `x-paykit-unwrap` belongs on a response, not on a component schema",
        ),
        (
            format!("x-paykit-idempotent: true\n{}", on_operation("")),
            "#/x-paykit-idempotent: `x-paykit-idempotent` belongs on an operation, not on the document root",
        ),
        (
            on_operation("x-paykit-form-dialect: php"),
            "#/paths/~1a/post/x-paykit-form-dialect: `x-paykit-form-dialect` belongs on the document root, not on an operation",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses:\n        x-paykit-unwrap: /data\n        '204': {description: ok}\n".to_owned(),
            "#/paths/~1a/get/responses/x-paykit-unwrap: `x-paykit-unwrap` belongs on a response, not on a responses object",
        ),
        (
            // Read on the property that holds the schema, never on a component it references.
            "paths: {}\ncomponents:\n  schemas:\n    Amount: {type: integer, x-paykit-lenient: true}\n".to_owned(),
            "#/components/schemas/Amount/x-paykit-lenient: `x-paykit-lenient` belongs on a schema written inline in `properties`, not on a component schema",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    Flags: {type: array, items: {type: integer, x-paykit-bool: true}}\n".to_owned(),
            "#/components/schemas/Flags/items/x-paykit-bool: `x-paykit-bool` belongs on a schema written inline in `properties`, not on a schema outside `properties`",
        ),
        (
            on_response("x-paykit-unwrap-optional: true"),
            "#/paths/~1a/get/responses/200/x-paykit-unwrap-optional: `x-paykit-unwrap-optional` belongs next to `x-paykit-unwrap`",
        ),
        (
            "paths:\n  /a:\n    post:\n      callbacks:\n        done:\n          '{$request.body#/url}':\n            post:\n              x-paykit-idempotent: true\n              responses: {'204': {description: ok}}\n      responses: {'204': {description: ok}}\n".to_owned(),
            "#/paths/~1a/post/callbacks/done/{$request.body#~1url}/post/x-paykit-idempotent: `x-paykit-idempotent` has no effect in a callback",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses:\n        '204':\n          description: ok\n          headers:\n            X-Kind: {schema: {type: string, enum: [a], x-paykit-case-insensitive: true}}\n".to_owned(),
            "#/paths/~1a/get/responses/204/headers/X-Kind/schema/x-paykit-case-insensitive: `x-paykit-case-insensitive` has no effect in a header object",
        ),
        (
            // OpenAPI 3.0 reads a `$ref` alone: what is beside it would be dropped.
            "paths: {}\ncomponents:\n  schemas:\n    Amount: {type: integer}\n    A: {type: object, properties: {n: {$ref: '#/components/schemas/Amount', x-paykit-lenient: true}}}\n".to_owned(),
            "#/components/schemas/A/properties/n/x-paykit-lenient: `x-paykit-lenient` beside `$ref` would be ignored",
        ),
    ];
    for (rest, expected) in cases {
        let e = error(&rest);
        assert!(
            e.contains(&format!("specs/x.yaml: {expected}")),
            "expected {expected:?} in {e:?}"
        );
    }
}

/// Other vendors' extensions, property names and sample data are not ours to check.
#[test]
fn what_is_not_an_extension_of_ours_is_left_alone() {
    let api = build(
        "x-foo: {x-paykit-x: 1}\npaths:\n  /a:\n    get:\n      x-codegen-retries: 3\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  x-paykit-idempotent: {type: boolean}\n                example: {x-paykit-x: 1}\n",
    )
    .expect("nothing of ours is misused");
    assert_eq!(api.operations.len(), 1);
}

/// JSON specs are read the same way, keys with `/` escaped in the pointer.
#[test]
fn json_specs_are_checked_too() {
    let json = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a/b": {"get": {"x-paykit-idempotent": "yes", "responses": {"204": {"description": "ok"}}}}}}"#;
    let spec = load::parse(json.as_bytes(), "specs/x.json").expect("valid JSON");
    let e = ir::build(&spec).expect_err("mistyped").to_string();
    assert_eq!(
        e,
        "specs/x.json: #/paths/~1a~1b/get/x-paykit-idempotent: invalid type: string \"yes\", expected a boolean"
    );
}

/// Skipping leaves out operations the generator cannot handle; a misused extension still fails
/// the whole spec, through the library function the CLI's `--skip-unsupported` calls.
#[test]
fn skipping_unsupported_operations_does_not_hide_them() {
    let unsupported = "  /session:\n    post:\n      requestBody: {content: {multipart/mixed: {schema: {type: object}}}}\n      responses: {'204': {description: ok}}\n";
    let misused = format!("{}{unsupported}", on_operation("x-paykit-idempotnet: true"));
    // The last two are found by the checks inside an operation rather than by reading the
    // vocabulary: still misused extensions, not operations the generator cannot handle.
    let on_an_error = on_response("x-paykit-unwrap: /data").replace("'200'", "'400'");
    let without_a_page = on_operation("x-paykit-pagination: {items: /data, offset: {param: skip}}");
    let cases = [
        (misused.clone(), "#/paths/~1a/post/x-paykit-idempotnet: "),
        (
            format!("{on_an_error}{unsupported}"),
            "#/paths/~1a/get/responses/400/x-paykit-unwrap: x-paykit-unwrap belongs on a success response",
        ),
        (
            format!("{without_a_page}{unsupported}"),
            "#/paths/~1a/post/x-paykit-pagination: a paginated operation has exactly one success response",
        ),
    ];
    for (rest, expected) in cases {
        let spec = load::parse(format!("{HEAD}{rest}").as_bytes(), "specs/x.yaml").expect("valid YAML");
        let e = ir::build_skipping_unsupported(&spec).expect_err("a misused extension");
        assert!(e.vocabulary, "{e}");
        assert!(e.to_string().starts_with(&format!("specs/x.yaml: {expected}")), "{e}");
    }

    let dir = std::env::temp_dir().join(format!("paykit-codegen-extensions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("x.yaml");
    let options = CrateOptions {
        crate_name: "x".into(),
        runtime: RuntimeDependency::Workspace { path: "r".into() },
    };
    std::fs::write(&path, format!("{HEAD}{misused}")).expect("written");
    let e = paykit_codegen::generate_crate_skipping_unsupported(&path, "specs/x.yaml", &options)
        .expect_err("a misspelt extension");
    assert!(e.to_string().contains("#/paths/~1a/post/x-paykit-idempotnet: "), "{e}");
    // Without the misspelling the same spec generates, the unsupported operation left out.
    std::fs::write(
        &path,
        format!("{HEAD}{}{unsupported}", on_operation("x-paykit-idempotent: true")),
    )
    .expect("written");
    let (_, skipped) = paykit_codegen::generate_crate_skipping_unsupported(&path, "specs/x.yaml", &options)
        .expect("the rest generates");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    std::fs::remove_dir_all(&dir).expect("removed");
}
