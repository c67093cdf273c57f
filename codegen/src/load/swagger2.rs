//! Swagger 2.0 read as OpenAPI 3.0: the document is rewritten, before anything else reads it,
//! into the 3.0 shape `openapiv3` and the rest of the pipeline know. Where a node moves, the
//! returned [`Origins`] say where it came from, so later errors name the 2.0 document's pointers.
//!
//! Document:
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` are `components`'
//!   `schemas`, `parameters`, `responses` and `securitySchemes`; every `$ref` to them follows.
//! - `host` + `basePath` + `schemes` are `servers`, one per scheme (`https` when none is given);
//!   without a `host`, the server is the relative `basePath`.
//! - `basic` security is `http` `basic`; an `oauth2` flow `implicit`, `password`, `application`
//!   or `accessCode` is the 3.0 flow `implicit`, `password`, `clientCredentials` or
//!   `authorizationCode`.
//!
//! Parameters:
//! - `in: body` is the operation's `requestBody`, one media type per `consumes` (the operation's,
//!   else the document's, else `application/json`).
//! - `in: formData` parameters together are an object `requestBody`, one property each:
//!   `multipart/form-data` when a parameter is `type: file` or `consumes` names multipart and not
//!   `application/x-www-form-urlencoded`, else a urlencoded form.
//! - Body and form parameters named by `$ref` (or declared on the path item) are copied into each
//!   operation; `parameters` entries of those kinds are not components in 3.0 and are left out.
//! - Other parameters' value keywords (`type`, `format`, `items`, `enum`, `default`, bounds,
//!   `pattern`, …) move into `schema`; `allowEmptyValue` stays.
//! - `collectionFormat` of an array: `csv` (the default) is `form` without explode in the query
//!   and `simple` in the path or a header; `multi` is exploded `form`; `ssv` and `pipes` are
//!   `spaceDelimited` and `pipeDelimited`. In a urlencoded form the same styles go in `encoding`.
//!   Refused, with the parameter's pointer: `tsv` (3.0 has no tab-separated style), any other
//!   style than `csv` in the path or a header, arrays of arrays with their own
//!   `collectionFormat`, and a multipart array that is not `multi` (3.0 sends a part per item).
//!
//! Responses: `schema` is `content` of each `produces` media type (default `application/json`),
//! with the `examples` entry of that media type as its `example`; `headers` get a `schema`
//! likewise (only `csv`, the default, for arrays).
//!
//! Schemas: `x-nullable: true` is `nullable` (an `allOf` beside a `$ref`), a `discriminator`
//! property name is `{propertyName}`, and `type: file` is a binary string.
//!
//! Dropped as they only annotate or say what the server does: the operation's `schemes` (the
//! document's servers are used), a form parameter's `allowEmptyValue`, and response `examples`
//! of media types the operation does not produce. Every walk here is iterative.

use serde_json::{Map, Value, json};

use crate::error::{Error, Origins, Pointer, Result};

/// Whether `raw` says it is a Swagger 2.0 document.
pub fn is_swagger_2(raw: &Value) -> bool {
    raw.get("swagger").is_some()
}

/// Rewrites a 2.0 document into 3.0 form (see the module docs); `label` names it in errors.
pub fn to_openapi_30(raw: &mut Value, label: &str) -> Result<Origins> {
    let original = raw.clone();
    let Some(document) = raw.as_object_mut() else {
        return Ok(Origins::default());
    };
    let root = Pointer::root();
    let mut converter = Converter {
        original: &original,
        label,
        consumes: media_types(document.remove("consumes")),
        produces: media_types(document.remove("produces")),
        origins: Origins::default(),
        budget: COPY_BUDGET,
    };
    document.remove("swagger");
    document.insert("openapi".to_owned(), json!("3.0.3"));
    if let Some(servers) = servers(document) {
        document.insert("servers".to_owned(), servers);
        converter.record(&root.join("servers"), &root.join("host"));
    }
    let mut components = Map::new();
    if let Some(definitions) = document.remove("definitions") {
        components.insert("schemas".to_owned(), definitions);
        converter.record(&root.join("components").join("schemas"), &root.join("definitions"));
    }
    if let Some(Value::Object(parameters)) = document.remove("parameters") {
        let mut converted = Map::new();
        for (name, parameter) in parameters {
            let at = root.join("components").join("parameters").join(&name);
            let from = root.join("parameters").join(&name);
            if let Value::Object(parameter) = parameter {
                if !is_body_like(&parameter) {
                    converted.insert(name, Value::Object(converter.parameter(parameter, &at, &from)?));
                }
            } else {
                converted.insert(name, parameter);
            }
        }
        components.insert("parameters".to_owned(), Value::Object(converted));
    }
    if let Some(Value::Object(responses)) = document.remove("responses") {
        let mut converted = Map::new();
        for (name, response) in responses {
            let at = root.join("components").join("responses").join(&name);
            let from = root.join("responses").join(&name);
            let produces = converter.produces.clone();
            converted.insert(name, converter.response(response, &produces, &at, &from)?);
        }
        components.insert("responses".to_owned(), Value::Object(converted));
    }
    if let Some(Value::Object(definitions)) = document.remove("securityDefinitions") {
        let schemes = definitions
            .into_iter()
            .map(|(name, scheme)| (name, security_scheme(scheme)));
        components.insert("securitySchemes".to_owned(), Value::Object(schemes.collect()));
        converter.record(
            &root.join("components").join("securitySchemes"),
            &root.join("securityDefinitions"),
        );
    }
    if !components.is_empty() {
        document.insert("components".to_owned(), Value::Object(components));
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            if let Value::Object(item) = item {
                converter.path_item(item, &root.join("paths").join(path))?;
            }
        }
    }
    rewrite_schemas(raw);
    Ok(converter.origins)
}

struct Converter<'a> {
    /// The document as written, which `$ref`s are resolved in.
    original: &'a Value,
    label: &'a str,
    consumes: Vec<String>,
    produces: Vec<String>,
    origins: Origins,
    /// How many more nodes copies may make (see [`COPY_BUDGET`]).
    budget: usize,
}

/// How many nodes copying may produce: shared parameters and responses are copied into each
/// operation, schemas into each media type, so a hostile spec could multiply itself; it is
/// refused instead of filling memory. Kubernetes' 4 MB spec (72,000 nodes) copies 10,500.
const COPY_BUDGET: usize = 1_000_000;

/// The 2.0 operations; 2.0 has no `trace`.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// How many `$ref`s in a row are followed to find what a parameter or response is.
const MAX_REF_HOPS: usize = 64;

/// A body or form parameter: where it was declared, and the (resolved) parameter.
type Declared = (Pointer, Map<String, Value>);

impl Converter<'_> {
    fn record(&mut self, converted: &Pointer, original: &Pointer) {
        self.origins.record(converted, original);
    }

    fn error(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error::new(self.label, at.to_string(), message)
    }

    /// Pays for copying `nodes` nodes at `at` from the budget.
    fn spend(&mut self, nodes: usize, at: &Pointer) -> Result<()> {
        self.budget = self.budget.checked_sub(nodes).ok_or_else(|| {
            self.error(
                at,
                "the spec's shared parameters and responses copy to too much; they may multiply each other",
            )
        })?;
        Ok(())
    }

    /// What `node` is once its `$ref`s are followed, and its original pointer.
    fn resolve(&self, node: &Value, at: &Pointer) -> Result<(Map<String, Value>, Pointer)> {
        let (mut node, mut at) = (node, at.clone());
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = node.get("$ref") else {
                let map = node.as_object().ok_or_else(|| self.error(&at, "expected an object"))?;
                return Ok((map.clone(), at));
            };
            let target = reference
                .as_str()
                .and_then(Pointer::from_ref)
                .ok_or_else(|| self.error(&at, format!("$ref {reference} is not a local reference")))?;
            node = self
                .original
                .pointer(target.as_value_pointer())
                .ok_or_else(|| self.error(&at, format!("$ref {reference} points at nothing")))?;
            at = target;
        }
        Err(self.error(&at, "$ref is circular"))
    }

    fn path_item(&mut self, item: &mut Map<String, Value>, at: &Pointer) -> Result<()> {
        let (shared, body_like) = match item.remove("parameters") {
            Some(Value::Array(parameters)) => self.parameters(parameters, at)?,
            Some(other) => (other, Vec::new()),
            None => (Value::Array(Vec::new()), Vec::new()),
        };
        if shared.as_array().is_none_or(|list| !list.is_empty()) {
            item.insert("parameters".to_owned(), shared);
        }
        for method in METHODS {
            if let Some(Value::Object(operation)) = item.get_mut(method) {
                self.operation(operation, &body_like, &at.join(method))?;
            }
        }
        Ok(())
    }

    /// A `parameters` list at `at` (a path item or an operation): the list in 3.0 form, and the
    /// body and form parameters taken out of it.
    fn parameters(&mut self, parameters: Vec<Value>, at: &Pointer) -> Result<(Value, Vec<Declared>)> {
        let (mut kept, mut body_like) = (Vec::new(), Vec::new());
        for (i, parameter) in parameters.into_iter().enumerate() {
            let from = at.join("parameters").join(i);
            let (resolved, target) = self.resolve(&parameter, &from)?;
            if target != from {
                self.spend(nodes(resolved.values()), &from)?;
            }
            if is_body_like(&resolved) {
                body_like.push((target, resolved));
                continue;
            }
            let converted = at.join("parameters").join(kept.len());
            let names_component = parameter
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .is_some_and(|name| !name.contains('/'));
            if names_component {
                self.record(&converted, &from);
                kept.push(parameter);
            } else {
                kept.push(Value::Object(self.parameter(resolved, &converted, &target)?));
            }
        }
        Ok((Value::Array(kept), body_like))
    }

    fn operation(&mut self, operation: &mut Map<String, Value>, shared: &[Declared], at: &Pointer) -> Result<()> {
        let consumes = media_types(operation.remove("consumes")).or(&self.consumes);
        let own_produces = media_types(operation.remove("produces"));
        let produces = own_produces.clone().or(&self.produces);
        operation.remove("schemes");
        let own = match operation.remove("parameters") {
            Some(Value::Array(parameters)) => {
                let (kept, own) = self.parameters(parameters, at)?;
                operation.insert("parameters".to_owned(), kept);
                own
            }
            Some(other) => {
                operation.insert("parameters".to_owned(), other);
                Vec::new()
            }
            None => Vec::new(),
        };
        // The operation's own parameters override the path item's of the same name and place.
        let key = |p: &Map<String, Value>| (p.get("name").cloned(), p.get("in").cloned());
        let mut body_like: Vec<Declared> = shared
            .iter()
            .filter(|(_, p)| !own.iter().any(|(_, o)| key(o) == key(p)))
            .cloned()
            .collect();
        self.spend(nodes(body_like.iter().flat_map(|(_, p)| p.values())), at)?;
        body_like.extend(own);
        if let Some(body) = self.request_body(body_like, &consumes, at)? {
            operation.insert("requestBody".to_owned(), body);
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            let own_produces = (!own_produces.is_empty() && own_produces != self.produces).then_some(&produces);
            for (status, response) in responses.iter_mut() {
                let at = at.join("responses").join(status);
                let response_value = std::mem::take(response);
                // A shared response is written for the document's `produces`: an operation that
                // produces other media types gets its own copy.
                *response = match own_produces {
                    Some(produces) if response_value.get("$ref").is_some() => {
                        let (resolved, from) = self.resolve(&response_value, &at)?;
                        self.spend(nodes(resolved.values()), &at)?;
                        self.response(Value::Object(resolved), produces, &at, &from)?
                    }
                    _ => self.response(response_value, &produces, &at, &at)?,
                };
            }
        }
        Ok(())
    }

    fn request_body(&mut self, body_like: Vec<Declared>, consumes: &[String], at: &Pointer) -> Result<Option<Value>> {
        let (bodies, forms): (Vec<Declared>, Vec<Declared>) = body_like
            .into_iter()
            .partition(|(_, p)| p.get("in") == Some(&json!("body")));
        let at_body = at.join("requestBody");
        match (bodies.as_slice(), forms.as_slice()) {
            ([], []) => Ok(None),
            ([(from, body)], []) => {
                let mut body = body.clone();
                let schema = body.remove("schema").unwrap_or_else(|| json!({}));
                let mut request = Map::new();
                for (key, value) in body {
                    if key == "description" || key == "required" || key.starts_with("x-") {
                        request.insert(key, value);
                    }
                }
                let mut content = Map::new();
                for media_type in consumes.or(&[JSON.to_owned()]) {
                    let at = at_body.join("content").join(&media_type);
                    self.spend(nodes([&schema]), &at)?;
                    self.record(&at.join("schema"), &from.join("schema"));
                    content.insert(media_type, json!({"schema": schema.clone()}));
                }
                request.insert("content".to_owned(), Value::Object(content));
                self.record(&at_body, from);
                Ok(Some(Value::Object(request)))
            }
            ([], forms) => self.form_body(forms, consumes, &at_body).map(Some),
            ([_, (from, _), ..], _) => Err(self.error(from, "an operation takes one body parameter at most")),
            ([(from, _)], _) => Err(self.error(from, "an operation takes a body or form parameters, not both")),
        }
    }

    fn form_body(&mut self, forms: &[Declared], consumes: &[String], at: &Pointer) -> Result<Value> {
        let file = json!("file");
        let has_file = forms.iter().any(|(_, p)| {
            p.get("type") == Some(&file) || p.get("items").and_then(|items| items.get("type")) == Some(&file)
        });
        let multipart =
            has_file || (consumes.iter().any(|t| t == MULTIPART) && !consumes.iter().any(|t| t == URLENCODED));
        let media_type = if multipart { MULTIPART } else { URLENCODED };
        let at_media = at.join("content").join(media_type);
        let (mut properties, mut required, mut encoding) = (Map::new(), Vec::new(), Map::new());
        for (from, parameter) in forms {
            let mut parameter = parameter.clone();
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let collection = parameter.remove("collectionFormat");
            let mut schema = value_schema(&mut parameter);
            if let Some(description) = parameter.remove("description") {
                schema.insert("description".to_owned(), description);
            }
            if schema.get("type") == Some(&json!("array")) {
                let style = match (multipart, collection.as_ref().and_then(Value::as_str)) {
                    (true, Some("multi")) => None,
                    (true, _) => {
                        return Err(self.error(
                            &from.join("collectionFormat"),
                            "a multipart array is sent as one part per item (collectionFormat: multi); \
                             OpenAPI 3.0 has no other form of it",
                        ));
                    }
                    (false, format) => Some(query_style(format.unwrap_or("csv"))),
                };
                if let Some(style) = style {
                    let style = style.map_err(|message| self.error(&from.join("collectionFormat"), message))?;
                    if style != json!({"style": "form", "explode": true}) {
                        encoding.insert(name.clone(), style);
                    }
                }
            }
            check_nested_collection(&schema).map_err(|message| self.error(&from.join("items"), message))?;
            if parameter.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            self.record(&at_media.join("schema").join("properties").join(&name), from);
            self.record(&at_media.join("encoding").join(&name), from);
            properties.insert(name, Value::Object(schema));
        }
        // The form holds the declared parameters and nothing else.
        let mut schema = json!({"type": "object", "properties": properties, "additionalProperties": false});
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        let mut media = json!({"schema": schema});
        if !encoding.is_empty() {
            media["encoding"] = Value::Object(encoding);
        }
        if let Some((first, _)) = forms.first() {
            self.record(at, first);
        }
        let required = forms.iter().any(|(_, p)| p.get("required") == Some(&Value::Bool(true)));
        Ok(json!({"required": required, "content": {media_type: media}}))
    }

    /// A path, query or header parameter in 3.0 form.
    fn parameter(
        &mut self,
        mut parameter: Map<String, Value>,
        at: &Pointer,
        from: &Pointer,
    ) -> Result<Map<String, Value>> {
        let collection = parameter.remove("collectionFormat");
        let schema = value_schema(&mut parameter);
        check_nested_collection(&schema).map_err(|message| self.error(&from.join("items"), message))?;
        if schema.get("type") == Some(&json!("array")) {
            let format = collection.as_ref().and_then(Value::as_str).unwrap_or("csv");
            let place = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
            let style = match place {
                "query" => Some(query_style(format)),
                _ if format == "csv" => None,
                _ => Some(Err(format!(
                    "collectionFormat {format} is not possible in a {place} parameter"
                ))),
            };
            if let Some(style) = style {
                let style = style.map_err(|message| self.error(&from.join("collectionFormat"), message))?;
                parameter.extend(
                    style
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
        }
        parameter.insert("schema".to_owned(), Value::Object(schema));
        self.record(at, from);
        self.record(&at.join("schema"), from);
        Ok(parameter)
    }

    fn response(&mut self, response: Value, produces: &[String], at: &Pointer, from: &Pointer) -> Result<Value> {
        let Value::Object(mut response) = response else {
            return Ok(response);
        };
        if response.contains_key("$ref") {
            return Ok(Value::Object(response));
        }
        let examples = response.remove("examples");
        if let Some(schema) = response.remove("schema") {
            let mut content = Map::new();
            for media_type in produces.or(&[JSON.to_owned()]) {
                self.spend(nodes([&schema]), &at.join("content").join(&media_type))?;
                let mut media = json!({"schema": schema.clone()});
                if let Some(example) = examples.as_ref().and_then(|e| e.get(&media_type)) {
                    media["example"] = example.clone();
                }
                self.record(
                    &at.join("content").join(&media_type).join("schema"),
                    &from.join("schema"),
                );
                content.insert(media_type, media);
            }
            response.insert("content".to_owned(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let Value::Object(header) = header else { continue };
                let from = from.join("headers").join(name);
                let collection = header.remove("collectionFormat");
                let schema = value_schema(header);
                let format = collection.as_ref().and_then(Value::as_str).unwrap_or("csv");
                if schema.get("type") == Some(&json!("array")) && format != "csv" {
                    return Err(self.error(
                        &from.join("collectionFormat"),
                        format!("collectionFormat {format} is not possible in a header"),
                    ));
                }
                header.insert("schema".to_owned(), Value::Object(schema));
                self.record(&at.join("headers").join(name).join("schema"), &from);
            }
        }
        self.record(at, from);
        Ok(Value::Object(response))
    }
}

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// A `consumes` or `produces` list.
fn media_types(list: Option<Value>) -> Vec<String> {
    match list {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

trait OrDefault {
    /// The list, or `default` when it is empty.
    fn or(&self, default: &[String]) -> Vec<String>;
}

impl OrDefault for [String] {
    fn or(&self, default: &[String]) -> Vec<String> {
        if self.is_empty() { default } else { self }.to_vec()
    }
}

impl OrDefault for Vec<String> {
    fn or(&self, default: &[String]) -> Vec<String> {
        self.as_slice().or(default)
    }
}

fn is_body_like(parameter: &Map<String, Value>) -> bool {
    matches!(parameter.get("in").and_then(Value::as_str), Some("body" | "formData"))
}

/// The keywords of a 2.0 parameter or header that describe its value.
const VALUE_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Takes the value keywords out of `parameter` as a schema.
fn value_schema(parameter: &mut Map<String, Value>) -> Map<String, Value> {
    VALUE_KEYWORDS
        .iter()
        .filter_map(|key| Some(((*key).to_owned(), parameter.remove(*key)?)))
        .collect()
}

/// An array of arrays whose items say how they are joined has no 3.0 form; an item's
/// `collectionFormat` otherwise says nothing.
fn check_nested_collection(schema: &Map<String, Value>) -> std::result::Result<(), String> {
    let Some(Value::Object(items)) = schema.get("items") else {
        return Ok(());
    };
    if items.get("type") == Some(&json!("array")) && items.contains_key("collectionFormat") {
        return Err("an array of arrays with their own collectionFormat has no OpenAPI 3.0 form".to_owned());
    }
    Ok(())
}

/// The style (and explode) of a query array written with `collectionFormat`.
fn query_style(format: &str) -> std::result::Result<Value, String> {
    Ok(match format {
        "csv" => json!({"style": "form", "explode": false}),
        "multi" => json!({"style": "form", "explode": true}),
        "ssv" => json!({"style": "spaceDelimited", "explode": false}),
        "pipes" => json!({"style": "pipeDelimited", "explode": false}),
        "tsv" => return Err("collectionFormat tsv (tab-separated) has no OpenAPI 3.0 equivalent".to_owned()),
        other => return Err(format!("unknown collectionFormat {other:?}")),
    })
}

/// `servers` from `host`, `basePath` and `schemes` (which are removed).
fn servers(document: &mut Map<String, Value>) -> Option<Value> {
    let host = document.remove("host");
    let base_path = document.remove("basePath");
    let schemes = media_types(document.remove("schemes"));
    let base_path = base_path.as_ref().and_then(Value::as_str).unwrap_or_default();
    let Some(host) = host.as_ref().and_then(Value::as_str) else {
        return (!base_path.is_empty()).then(|| json!([{"url": base_path}]));
    };
    let schemes = schemes.or(&["https".to_owned()]);
    let servers = schemes
        .iter()
        .map(|scheme| json!({"url": format!("{scheme}://{host}{base_path}")}))
        .collect();
    Some(Value::Array(servers))
}

fn security_scheme(scheme: Value) -> Value {
    let Value::Object(mut scheme) = scheme else {
        return scheme;
    };
    match scheme.get("type").and_then(Value::as_str) {
        Some("basic") => {
            scheme.insert("type".to_owned(), json!("http"));
            scheme.insert("scheme".to_owned(), json!("basic"));
        }
        Some("oauth2") => {
            let flow = scheme.remove("flow");
            let mut details = Map::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(value) = scheme.remove(key) {
                    details.insert(key.to_owned(), value);
                }
            }
            details.entry("scopes").or_insert_with(|| json!({}));
            let flow = match flow.as_ref().and_then(Value::as_str) {
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                Some(other) => other,
                None => "implicit",
            };
            scheme.insert("flows".to_owned(), json!({flow: details}));
        }
        _ => {}
    }
    Value::Object(scheme)
}

/// Where 2.0 `$ref`s point in 3.0.
const REF_PREFIXES: [(&str, &str); 3] = [
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
];

/// How many nodes `values` hold, counted without recursion.
fn nodes<'a>(values: impl IntoIterator<Item = &'a Value>) -> usize {
    let mut stack: Vec<&Value> = values.into_iter().collect();
    let mut count = 0;
    while let Some(node) = stack.pop() {
        count += 1;
        match node {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    count
}

/// Maps whose keys are names (of properties, components, paths, media types, …), not keywords.
const NAME_MAPS: [&str; 9] = [
    "properties",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "securitySchemes",
    "paths",
    "content",
    "encoding",
];

/// Every `$ref`, `x-nullable`, `discriminator` and `type: file` in 3.0 form.
fn rewrite_schemas(root: &mut Value) {
    let mut stack = vec![(root, false)];
    while let Some((node, names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if names {
                    stack.extend(map.values_mut().map(|value| (value, false)));
                    continue;
                }
                rewrite_node(map);
                for (key, value) in map.iter_mut() {
                    // Sample data and extensions hold no schemas.
                    let data = matches!(key.as_str(), "example" | "examples" | "default" | "enum");
                    if !data && !key.starts_with("x-") {
                        stack.push((value, NAME_MAPS.contains(&key.as_str())));
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut().map(|item| (item, false))),
            _ => {}
        }
    }
}

fn rewrite_node(map: &mut Map<String, Value>) {
    if let Some(Value::String(reference)) = map.get_mut("$ref")
        && let Some((from, to)) = REF_PREFIXES.iter().find(|(from, _)| reference.starts_with(from))
    {
        *reference = format!("{to}{}", &reference[from.len()..]);
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".to_owned(), json!({"propertyName": property}));
    }
    if map.get("type") == Some(&json!("file")) {
        map.insert("type".to_owned(), json!("string"));
        map.insert("format".to_owned(), json!("binary"));
    }
    if let Some(nullable) = map.remove("x-nullable")
        && nullable == Value::Bool(true)
    {
        if let Some(reference) = map.remove("$ref") {
            map.insert("allOf".to_owned(), json!([{"$ref": reference}]));
        }
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
}
