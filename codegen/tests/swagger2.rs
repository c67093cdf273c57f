//! Swagger 2.0 input: what the load stage turns it into (the 3.0 document the rest of the
//! pipeline reads), and errors that name the 2.0 document's own pointers and the file.

use paykit_codegen::{ir, load};
use serde_json::{Value, json};

const HEAD: &str = "swagger: '2.0'\ninfo: {title: T, version: '1'}\n";

/// The 3.0 document a 2.0 spec becomes.
fn converted(rest: &str) -> Value {
    let spec = load::parse(format!("{HEAD}{rest}").as_bytes(), "two.yaml").unwrap_or_else(|e| panic!("{e}"));
    spec.raw
}

/// The one-line error of a broken 2.0 spec, through loading and the IR.
fn error(rest: &str) -> String {
    let e = load::parse(format!("{HEAD}{rest}").as_bytes(), "two.yaml")
        .and_then(|spec| ir::build(&spec).map(drop))
        .expect_err("the spec is broken")
        .to_string();
    assert!(e.starts_with("two.yaml: "), "names the file: {e}");
    e
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    let servers = |rest: &str| converted(&format!("{rest}paths: {{}}\n"))["servers"].take();
    assert_eq!(
        servers("host: api.example.com\nbasePath: /v1\nschemes: [http, https]\n"),
        json!([{"url": "http://api.example.com/v1"}, {"url": "https://api.example.com/v1"}])
    );
    assert_eq!(
        servers("host: api.example.com\n"),
        json!([{"url": "https://api.example.com"}])
    );
    assert_eq!(servers("basePath: /v1\n"), json!([{"url": "/v1"}]));
    assert_eq!(servers(""), Value::Null);
}

#[test]
fn body_parameters_are_request_bodies_of_each_consumed_media_type() {
    let doc = converted(
        "consumes: [application/json, application/xml]\nparameters:\n  Body: {name: b, in: body, required: true, description: The pet., schema: {$ref: '#/definitions/Pet'}}\npaths:\n  /pets:\n    post:\n      parameters: [{$ref: '#/parameters/Body'}, {name: q, in: query, type: string}]\n      responses: {'204': {description: ok}}\n    put:\n      consumes: [text/plain]\n      parameters: [{name: b, in: body, schema: {type: string}}]\n      responses: {'204': {description: ok}}\ndefinitions:\n  Pet: {type: object}\n",
    );
    let schema = json!({"$ref": "#/components/schemas/Pet"});
    assert_eq!(
        doc["paths"]["/pets"]["post"],
        json!({
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
            "responses": {"204": {"description": "ok"}},
            "requestBody": {
                "description": "The pet.", "required": true,
                "content": {"application/json": {"schema": schema}, "application/xml": {"schema": schema}}
            }
        })
    );
    assert_eq!(
        doc["paths"]["/pets"]["put"]["requestBody"],
        json!({"content": {"text/plain": {"schema": {"type": "string"}}}})
    );
    // A body parameter is not a 3.0 component.
    assert_eq!(doc["components"]["parameters"], json!({}));
}

#[test]
fn form_parameters_are_one_object_body_multipart_with_files() {
    let doc = converted(
        "parameters:\n  Note: {name: note, in: formData, type: string}\npaths:\n  /a:\n    parameters: [{name: shared, in: formData, type: integer, required: true}]\n    post:\n      parameters: [{name: tags, in: formData, type: array, items: {type: string}}, {$ref: '#/parameters/Note'}]\n      responses: {'204': {description: ok}}\n    put:\n      consumes: [multipart/form-data]\n      parameters: [{name: f, in: formData, type: file}]\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        doc["paths"]["/a"]["post"]["requestBody"],
        json!({"required": true, "content": {"application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {"shared": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}, "note": {"type": "string"}},
                "additionalProperties": false,
                "required": ["shared"]
            },
            "encoding": {"tags": {"style": "form", "explode": false}}
        }}})
    );
    let put = &doc["paths"]["/a"]["put"]["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"];
    assert_eq!(
        *put,
        json!({"shared": {"type": "integer"}, "f": {"type": "string", "format": "binary"}})
    );
    // The path item keeps no form parameters of its own.
    assert_eq!(doc["paths"]["/a"].get("parameters"), None);
}

#[test]
fn collection_formats_are_styles() {
    let doc = converted(
        "paths:\n  /a/{p}:\n    get:\n      parameters:\n        - {name: p, in: path, required: true, type: array, items: {type: string}}\n        - {name: csv, in: query, type: array, items: {type: string}}\n        - {name: multi, in: query, type: array, items: {type: string}, collectionFormat: multi}\n        - {name: ssv, in: query, type: array, items: {type: string}, collectionFormat: ssv}\n        - {name: pipes, in: query, type: array, items: {type: string}, collectionFormat: pipes}\n        - {name: h, in: header, type: array, items: {type: integer}, collectionFormat: csv, x-nullable: true}\n        - {name: e, in: query, type: string, allowEmptyValue: true, enum: [a, b], default: a, maxLength: 3}\n      responses: {'204': {description: ok}}\n",
    );
    let items = json!({"type": "array", "items": {"type": "string"}});
    assert_eq!(
        doc["paths"]["/a/{p}"]["get"]["parameters"],
        json!([
            {"name": "p", "in": "path", "required": true, "schema": items},
            {"name": "csv", "in": "query", "style": "form", "explode": false, "schema": items},
            {"name": "multi", "in": "query", "style": "form", "explode": true, "schema": items},
            {"name": "ssv", "in": "query", "style": "spaceDelimited", "explode": false, "schema": items},
            {"name": "pipes", "in": "query", "style": "pipeDelimited", "explode": false, "schema": items},
            {"name": "h", "in": "header", "schema": {"type": "array", "items": {"type": "integer"}, "nullable": true}},
            {"name": "e", "in": "query", "allowEmptyValue": true, "schema": {"type": "string", "default": "a", "maxLength": 3, "enum": ["a", "b"]}}
        ])
    );
}

#[test]
fn responses_have_content_per_produced_media_type_and_header_schemas() {
    let doc = converted(
        "produces: [application/json]\nresponses:\n  Gone: {description: gone, schema: {$ref: '#/definitions/E'}}\npaths:\n  /a:\n    get:\n      produces: [application/json, text/csv]\n      responses:\n        '200':\n          description: ok\n          headers: {X-Rate: {type: integer, description: left}}\n          examples: {text/csv: 'a,b'}\n          schema: {type: file}\n        '410': {$ref: '#/responses/Gone'}\n    delete:\n      responses:\n        '410': {$ref: '#/responses/Gone'}\ndefinitions:\n  E: {type: object}\n",
    );
    let file = json!({"type": "string", "format": "binary"});
    let gone = json!({"description": "gone", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/E"}},
        "text/csv": {"schema": {"$ref": "#/components/schemas/E"}}
    }});
    assert_eq!(
        doc["paths"]["/a"]["get"]["responses"],
        json!({
            "200": {
                "description": "ok",
                "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": file}, "text/csv": {"schema": file, "example": "a,b"}}
            },
            // Produced as the operation says, not as the document does.
            "410": gone
        })
    );
    assert_eq!(
        doc["paths"]["/a"]["delete"]["responses"]["410"],
        json!({"$ref": "#/components/responses/Gone"})
    );
}

#[test]
fn schemas_security_and_refs() {
    let doc = converted(
        "paths: {}\nsecurityDefinitions:\n  b: {type: basic}\n  k: {type: apiKey, name: key, in: query}\n  i: {type: oauth2, flow: implicit, authorizationUrl: 'https://a'}\n  p: {type: oauth2, flow: password, tokenUrl: 'https://t', scopes: {r: read}}\n  c: {type: oauth2, flow: application, tokenUrl: 'https://t'}\n  a: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a', tokenUrl: 'https://t', description: code}\ndefinitions:\n  Pet:\n    type: object\n    discriminator: kind\n    properties:\n      kind: {type: string}\n      discriminator: {type: string, x-nullable: true}\n      owner: {$ref: '#/definitions/Owner', x-nullable: true}\n      same: {$ref: '#/definitions/Owner/properties/name', x-nullable: false}\n    example: {discriminator: x, owner: {$ref: '#/definitions/Pet'}}\n  Owner: {type: object, properties: {name: {type: string}}}\n",
    );
    assert_eq!(
        doc["components"]["securitySchemes"],
        json!({
            "b": {"type": "http", "scheme": "basic"},
            "k": {"type": "apiKey", "name": "key", "in": "query"},
            "i": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {}}}},
            "p": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://t", "scopes": {"r": "read"}}}},
            "c": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}},
            "a": {"type": "oauth2", "description": "code", "flows": {"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}}}
        })
    );
    assert_eq!(
        doc["components"]["schemas"]["Pet"],
        json!({
            "type": "object",
            "discriminator": {"propertyName": "kind"},
            "properties": {
                "kind": {"type": "string"},
                "discriminator": {"type": "string", "nullable": true},
                "owner": {"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true},
                // A ref into a component is copied in by the load stage.
                "same": {"type": "string"}
            },
            // Sample data is left as written.
            "example": {"discriminator": "x", "owner": {"$ref": "#/definitions/Pet"}}
        })
    );
}

#[test]
fn errors_name_the_original_pointers() {
    // A body parameter's schema, found broken in the request body it became.
    let e = error(
        "paths:\n  /pets:\n    post:\n      parameters: [{name: p, in: body, schema: {type: strin}}]\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        e,
        "two.yaml: #/paths/~1pets/post/parameters/0/schema/type: unknown schema type \"strin\""
    );
    // A body parameter shared by $ref: where it was declared.
    let e = error(
        "parameters:\n  P: {name: p, in: body, schema: {type: strin}}\npaths:\n  /pets:\n    post:\n      parameters: [{$ref: '#/parameters/P'}]\n      responses: {'204': {description: ok}}\n",
    );
    assert!(e.starts_with("two.yaml: #/parameters/P/schema/type: "), "{e}");
    // A parameter after a body parameter keeps its index (the body left the list in 3.0).
    let e = error(
        "paths:\n  /pets/{id}:\n    get:\n      parameters:\n        - {name: b, in: body, schema: {type: string}}\n        - {name: id, in: path, required: true, type: string, x-paykit-idempotency-key: true}\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        e,
        "two.yaml: #/paths/~1pets~1{id}/get/parameters/1: x-paykit-idempotency-key belongs on a string header parameter"
    );
    // A definition's property, found broken by the IR.
    let e = error(
        "paths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      id: {type: integer, x-paykit-enum-aliases: {a: [b]}}\n",
    );
    assert!(e.starts_with("two.yaml: #/definitions/Pet/properties/id"), "{e}");
    // A form parameter's collectionFormat, and a response's schema.
    let e = error(
        "paths:\n  /a:\n    post:\n      parameters: [{name: t, in: formData, type: array, items: {type: string}, collectionFormat: tsv}]\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        e,
        "two.yaml: #/paths/~1a/post/parameters/0/collectionFormat: collectionFormat tsv (tab-separated) has no OpenAPI 3.0 equivalent"
    );
    let e = error("paths:\n  /a:\n    get:\n      responses: {'200': {description: ok, schema: {type: objekt}}}\n");
    assert!(e.starts_with("two.yaml: #/paths/~1a/get/responses/200/schema"), "{e}");
    // A dangling $ref, as the author spelt it.
    let e = error(
        "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok, schema: {$ref: '#/definitions/Nope'}}}\n",
    );
    assert_eq!(
        e,
        "two.yaml: #/paths/~1a/get/responses/200/schema: $ref \"#/definitions/Nope\" points at nothing"
    );
}

#[test]
fn what_2_0_says_but_3_0_cannot_is_refused() {
    for (parameter, pointer) in [
        (
            "{name: p, in: path, required: true, type: array, items: {type: string}, collectionFormat: multi}",
            "collectionFormat",
        ),
        (
            "{name: h, in: header, type: array, items: {type: string}, collectionFormat: pipes}",
            "collectionFormat",
        ),
        (
            "{name: q, in: query, type: array, items: {type: array, items: {type: string}, collectionFormat: pipes}}",
            "items",
        ),
        (
            "{name: f, in: formData, type: array, items: {type: file}}",
            "collectionFormat",
        ),
    ] {
        let e = error(&format!(
            "paths:\n  /a:\n    post:\n      parameters: [{parameter}]\n      responses: {{'204': {{description: ok}}}}\n"
        ));
        assert!(
            e.starts_with(&format!("two.yaml: #/paths/~1a/post/parameters/0/{pointer}: ")),
            "{e}"
        );
    }
    let e = error(
        "paths:\n  /a:\n    post:\n      parameters: [{name: a, in: body, schema: {}}, {name: b, in: body, schema: {}}]\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        e,
        "two.yaml: #/paths/~1a/post/parameters/1: an operation takes one body parameter at most"
    );
    let e = load::parse(b"swagger: '1.2'\n", "two.yaml")
        .expect_err("1.2")
        .to_string();
    assert_eq!(
        e,
        "two.yaml: #/swagger: Swagger 1.2 is not supported; paykit-codegen reads Swagger 2.0"
    );
}

#[test]
fn copies_that_multiply_are_refused() {
    // A shared body of 302 nodes, in 1,000 media types, in 10 operations: 3 million copied nodes.
    let values: Vec<String> = (0..300).map(|i| i.to_string()).collect();
    let types: Vec<String> = (0..1000).map(|i| format!("application/x{i}")).collect();
    let paths: String = (0..10)
        .map(|i| format!("  /p{i}:\n    post:\n      parameters: [{{$ref: '#/parameters/B'}}]\n      responses: {{'204': {{description: ok}}}}\n"))
        .collect();
    let e = error(&format!(
        "consumes: [{}]\nparameters:\n  B: {{name: b, in: body, schema: {{type: integer, enum: [{}]}}}}\npaths:\n{paths}",
        types.join(", "),
        values.join(", ")
    ));
    assert!(e.contains("copy to too much"), "{e}");
}
