//! OpenAPI 3.2 input: what is read beyond 3.1, and what is refused (with the original pointer)
//! rather than generated wrong. The fixture `openapi32.yaml` shows the code; fixture-check's
//! `tests/openapi32.rs` runs it against local servers.

use paykit_codegen::{CrateOptions, RuntimeDependency, emit, ir, load};

fn generate(yaml: &str) -> Result<String, paykit_codegen::Error> {
    let spec = load::parse(yaml.as_bytes(), "spec.yaml")?;
    let api = ir::build(&spec)?;
    let options = CrateOptions {
        crate_name: "x".into(),
        runtime: RuntimeDependency::Workspace { path: "r".into() },
    };
    let files = emit::crate_files(&api, &options)?;
    Ok(files.into_iter().map(|f| f.contents).collect())
}

fn error(yaml: &str) -> String {
    generate(yaml).expect_err("the spec is refused").to_string()
}

const HEAD: &str = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\n";

fn path_item(item: &str) -> String {
    format!("{HEAD}paths:\n  /a:\n{item}")
}

const OK: &str = "        responses:\n          '204': {description: ok}\n";

#[test]
fn additional_operations_need_a_token_that_no_fixed_field_names() {
    let extra = |name: &str| path_item(&format!("    additionalOperations:\n      {name}:\n{OK}"));
    let code = generate(&extra("LINK")).expect("LINK is read");
    assert!(code.contains("paykit_runtime::method(\"LINK\")?"), "{code}");
    assert_eq!(
        error(&extra("'BAD METHOD'")),
        "spec.yaml: #/paths/~1a/additionalOperations/BAD METHOD: \"BAD METHOD\" is not an HTTP method name (an HTTP token)"
    );
    assert_eq!(
        error(&extra("POST")),
        "spec.yaml: #/paths/~1a/additionalOperations/POST: POST belongs in the path item's `post` field, not in `additionalOperations`"
    );
    assert!(error(&extra("query")).contains("the path item's `query` field"));
}

#[test]
fn errors_inside_query_operations_and_item_schemas_name_the_original_pointers() {
    let e = error(&path_item(&format!(
        "    query:\n        requestBody:\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Missing'}}\n{OK}"
    )));
    assert_eq!(
        e,
        "spec.yaml: #/paths/~1a/query/requestBody/content/application~1json/schema: $ref \"#/components/schemas/Missing\" points at nothing"
    );
    let e = error(&path_item(
        "    get:\n      responses:\n        '200':\n          content:\n            application/jsonl:\n              itemSchema:\n                properties:\n                  x: {$ref: '#/components/schemas/Missing'}\n",
    ));
    assert_eq!(
        e,
        "spec.yaml: #/paths/~1a/get/responses/200/content/application~1jsonl/itemSchema/properties/x: $ref \"#/components/schemas/Missing\" points at nothing"
    );
}

#[test]
fn unsupported_3_2_features_are_refused_with_their_pointer() {
    let cases = [
        (
            "    get:\n      parameters:\n        - {name: q, in: querystring, content: {application/json: {schema: {type: object}}}}\n      responses:\n        '204': {description: ok}\n",
            "#/paths/~1a/get/parameters/0/in: parameters `in: querystring` are not supported",
        ),
        (
            "    get:\n      parameters:\n        - {name: c, in: cookie, style: cookie, schema: {type: string}}\n      responses:\n        '204': {description: ok}\n",
            "#/paths/~1a/get/parameters/0/style: the parameter style `cookie` is not supported",
        ),
        (
            "    post:\n      requestBody:\n        content:\n          application/jsonl:\n            itemSchema: {type: object}\n      responses:\n        '204': {description: ok}\n",
            "#/paths/~1a/post/requestBody/content/application~1jsonl/itemSchema: `itemSchema` is supported on responses",
        ),
        (
            "    get:\n      responses:\n        '200':\n          content:\n            multipart/mixed:\n              itemSchema: {type: object}\n              itemEncoding: {contentType: text/plain}\n",
            "#/paths/~1a/get/responses/200/content/multipart~1mixed/itemEncoding: `itemEncoding` is not supported",
        ),
        (
            "    get:\n      responses:\n        '400':\n          content:\n            text/event-stream:\n              itemSchema: {type: object}\n",
            "#/paths/~1a/get/responses/400: a sequential (itemSchema) error response is not supported",
        ),
        (
            "    get:\n      responses:\n        '200':\n          content:\n            text/event-stream:\n              itemSchema: {type: object}\n        '201':\n          content:\n            application/json:\n              schema: {type: object}\n",
            "#/paths/~1a/get/responses: a sequential (itemSchema) success response must be the operation's only kind",
        ),
        (
            "    get:\n      responses:\n        '200':\n          content:\n            application/json: {$ref: '#/components/mediaTypes/Json'}\ncomponents:\n  mediaTypes:\n    Json: {schema: {type: object}}\n",
            "#/paths/~1a/get/responses/200/content/application~1json/$ref: $refs to `components/mediaTypes` are not supported",
        ),
        (
            "    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                oneOf: [{type: object}]\n                discriminator: {propertyName: kind, defaultMapping: '#/components/schemas/X'}\n",
            "discriminator/defaultMapping: `discriminator.defaultMapping` is not supported",
        ),
    ];
    for (item, expected) in cases {
        let e = error(&path_item(item));
        assert!(
            e.starts_with("spec.yaml: ") && e.contains(expected),
            "{e}\nexpected: {expected}"
        );
    }
}

#[test]
fn a_property_named_like_a_3_2_keyword_is_just_a_property() {
    let code = generate(&path_item(
        "    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  itemSchema: {type: string}\n                  in: {type: string}\n",
    ))
    .expect("property names are not keywords");
    assert!(code.contains("\"itemSchema\""), "{code}");
}

#[test]
fn sse_data_schemas_that_are_not_strings_are_json() {
    // `data` given as an object schema (no contentSchema): each event's data is that JSON.
    let code = generate(&path_item(
        "    get:\n      operationId: watch\n      responses:\n        '200':\n          content:\n            text/event-stream:\n              itemSchema:\n                type: object\n                properties:\n                  data: {$ref: '#/components/schemas/Thing'}\ncomponents:\n  schemas:\n    Thing: {type: object, properties: {n: {type: integer}}}\n",
    ))
    .expect("read");
    assert!(code.contains("response.json_events::<types::Thing, _>()"), "{code}");
}

#[test]
fn item_schemas_in_shared_responses_and_path_items_are_read() {
    let yaml = format!(
        "{HEAD}paths:\n  /a:\n    $ref: '#/components/pathItems/A'\n  /b:\n    get:\n      operationId: tailB\n      responses:\n        '200': {{$ref: '#/components/responses/Lines'}}\n\
         webhooks:\n  pushed:\n    post:\n      requestBody:\n        content:\n          application/jsonl:\n            itemSchema: {{type: object}}\n\
         components:\n  pathItems:\n    A:\n      get:\n        operationId: tailA\n        responses:\n          '200':\n            content:\n              application/x-ndjson:\n                itemSchema: {{type: integer}}\n  \
         responses:\n    Lines:\n      content:\n        application/json-seq:\n          itemSchema: {{type: string}}\n"
    );
    let code = generate(&yaml).unwrap_or_else(|e| panic!("{e}"));
    assert!(code.contains("response.json_lines::<i64, _>()"), "{code}");
    assert!(code.contains("response.json_seq::<String, _>()"), "{code}");
}
