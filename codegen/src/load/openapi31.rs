//! OpenAPI 3.1 read as 3.0: the document is rewritten in place, before anything else reads it,
//! into the 3.0 shape `openapiv3` and the rest of the pipeline know. Keys stay where they were,
//! so errors still name the original document's pointers (except inside the few wrappers below).
//!
//! Schemas (JSON Schema 2020-12 as 3.1 uses it):
//! - `type: [X, "null"]` is `type: X, nullable: true`; `type: "null"` (or `["null"]`) alone is a
//!   nullable schema of any type. Several non-null types become a `oneOf` of one schema per type,
//!   each taking the keywords that apply to its type (`minLength` to the string, `items` to the
//!   array, the `enum` values of its type, …).
//! - A `{type: "null"}` option of `anyOf`/`oneOf` is removed and makes the schema `nullable`; if
//!   one option is left, it becomes an `allOf` of that option (how 3.0 says "this, or null").
//! - A `type` given as a schema (`type: {type: string, enum: […]}`, a slip in codat's accounting
//!   spec) names no type: it is dropped, so the value is read as any JSON.
//! - `const: v` is `enum: [v]`; schema `examples: [a, …]` is `example: a`.
//! - Numeric `exclusiveMinimum: n` is `minimum: n, exclusiveMinimum: true` (unless a larger
//!   `minimum` makes it moot); likewise for the maximum.
//! - `$ref` with siblings: annotations beside it (`description`, `title`, `default`, `example`,
//!   `readOnly`, …) are dropped, as 3.0 ignores them; any other sibling (`nullable`, `properties`,
//!   …) makes the schema an `allOf` holding the `$ref` (appended last) beside those siblings.
//! - `prefixItems` (a tuple) is `items` of its one schema when all are the same, else `items: {}`
//!   (any JSON): a tuple of mixed types has no Rust element type but still decodes.
//! - `contentEncoding: base64`/`base64url` is `format: byte`; `contentMediaType` of a non-text
//!   type without an encoding is `format: binary` (both only on strings without a `format`).
//! - `patternProperties` with no `additionalProperties` (or `false`) is `additionalProperties` of
//!   its one schema, else any JSON; `unevaluatedProperties` given as a schema is
//!   `additionalProperties` when there is none.
//! - A property whose schema is `false` (must not appear) is removed; a schema `true` is `{}`.
//! - `$ref`s to a `$anchor` (`#card`, `https://x.test/pay#card`) or to a schema's `$id` (relative
//!   ones resolved against the enclosing `$id`s) within the document become JSON pointer refs;
//!   one that resolves to nothing is refused by the load stage, with its pointer.
//! - Dropped, as they only identify, annotate or validate, and a client accepts what its server
//!   sends: `$schema`, `$id`, `$anchor`, `$dynamicAnchor`, `$vocabulary`, `$comment`,
//!   `dependentRequired`, `dependentSchemas`, `if`/`then`/`else`, `contains`, `minContains`,
//!   `maxContains`, `propertyNames`, `unevaluatedItems`, `contentSchema`, and
//!   `unevaluatedProperties` unless it became `additionalProperties`. `$defs` is kept (openapiv3
//!   ignores it) so that `$ref`s into it resolve.
//!
//! Document: `webhooks` (the requests the provider sends) are kept, rewritten like the rest: the
//! load stage makes their bodies component types (`inner_refs`), which `openapiv3` does not read.
//! `jsonSchemaDialect` is dropped, as is `info.license.identifier`; a missing `paths` is `{}`;
//! `$ref`s to `components/pathItems` are copied in by the load stage like other non-component refs.
//! An operation without `responses` (3.1 allows it) gets an empty map: any 2xx is a success
//! without a body. A `mutualTLS` security scheme is dropped, with its place in every security
//! requirement: a client certificate is configured on the HTTP client the transport is built
//! from, not sent by an operation.
//! Every walk here is iterative, so no input nests deep enough to overflow the stack.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value, json};

use crate::error::Pointer;

/// Whether `raw` says it is an OpenAPI 3.1 document.
pub fn is_openapi_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."))
}

/// Rewrites a 3.1 document into 3.0 form (see the module docs).
pub fn to_openapi_30(raw: &mut Value) {
    let Some(document) = raw.as_object_mut() else {
        return;
    };
    document.insert("openapi".to_owned(), json!("3.0.3"));
    document.remove("jsonSchemaDialect");
    document.entry("paths").or_insert_with(|| json!({}));
    if let Some(license) = document
        .get_mut("info")
        .and_then(|info| info.get_mut("license"))
        .and_then(Value::as_object_mut)
    {
        license.remove("identifier");
    }
    optional_responses(document);
    drop_mutual_tls(document);
    resolve_identifiers(raw);
    walk(raw);
}

/// Every operation of the document's path items: under `paths`, `webhooks` and
/// `components/pathItems`.
fn operations(document: &mut Map<String, Value>) -> impl Iterator<Item = &mut Map<String, Value>> {
    document
        .iter_mut()
        .filter_map(|(key, value)| match key.as_str() {
            "paths" | "webhooks" => Some(value),
            "components" => value.get_mut("pathItems"),
            _ => None,
        })
        .filter_map(Value::as_object_mut)
        .flat_map(|items| items.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.iter_mut())
        .filter(|(method, _)| super::OPERATION_METHODS.contains(&method.as_str()))
        .filter_map(|(_, operation)| operation.as_object_mut())
}

/// 3.1 lets an operation leave out `responses`; 3.0 needs the (possibly empty) map.
fn optional_responses(document: &mut Map<String, Value>) {
    for operation in operations(document) {
        operation.entry("responses").or_insert_with(|| json!({}));
    }
}

/// A `mutualTLS` security scheme is a client certificate, which the HTTP client the transport is
/// built from presents, not a credential an operation sends: the scheme and its place in
/// security requirements are dropped.
fn drop_mutual_tls(document: &mut Map<String, Value>) {
    let Some(schemes) = document
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    if mutual.is_empty() {
        return;
    }
    schemes.retain(|name, _| !mutual.contains(name));
    let drop_from = |requirements: &mut Value| {
        let requirements = requirements.as_array_mut().into_iter().flatten();
        for requirement in requirements.filter_map(Value::as_object_mut) {
            requirement.retain(|name, _| !mutual.contains(name));
        }
    };
    if let Some(security) = document.get_mut("security") {
        drop_from(security);
    }
    for operation in operations(document) {
        if let Some(security) = operation.get_mut("security") {
            drop_from(security);
        }
    }
}

/// `$ref`s to a schema's `$anchor` (`#card`) or `$id` (resolved against the enclosing `$id`s when
/// relative) made JSON pointer refs, before the rewrite drops those keywords. One that matches
/// none is left as it is, for the load stage to refuse with its pointer.
fn resolve_identifiers(raw: &mut Value) {
    // Each identifier (`$id` URI, `base#anchor`) → the JSON pointer of its schema.
    let mut targets: HashMap<String, String> = HashMap::new();
    // Each `$ref` to resolve: the pointer of the schema holding it, and its resolved URI.
    let mut refs: Vec<(String, String)> = Vec::new();
    // Nodes as (parent, member) links, so a pointer is only spelled out for the few that need one.
    let mut links: Vec<(usize, String)> = vec![(0, String::new())];
    let pointer = |links: &[(usize, String)], mut at: usize| {
        let mut segments = Vec::new();
        while at != 0 {
            segments.push(links[at].1.as_str());
            at = links[at].0;
        }
        segments
            .iter()
            .rev()
            .fold(String::new(), |pointer, segment| pointer + "/" + segment)
    };
    // The base URI is shared by the nodes under one `$id`, not copied to each.
    let mut stack: Vec<(&Value, usize, Rc<str>, bool)> = vec![(&*raw, 0, Rc::from(""), false)];
    while let Some((node, at, base, in_properties)) = stack.pop() {
        match node {
            Value::Object(map) => {
                let mut base = base;
                if !in_properties {
                    if let Some(Value::String(id)) = map.get("$id") {
                        base = Rc::from(resolve_uri(&base, id.split('#').next().unwrap_or_default()));
                        targets.insert(base.to_string(), pointer(&links, at));
                    }
                    if let Some(Value::String(anchor)) = map.get("$anchor") {
                        targets.insert(format!("{base}#{anchor}"), pointer(&links, at));
                    }
                    if let Some(Value::String(reference)) = map.get("$ref")
                        && !reference.starts_with("#/")
                        && reference != "#"
                    {
                        refs.push((pointer(&links, at), resolve_uri(&base, reference)));
                    }
                }
                for (key, value) in map {
                    if key != "example" && key != "examples" && !key.starts_with("x-") {
                        links.push((at, Pointer::escape(key)));
                        let child = links.len() - 1;
                        stack.push((value, child, Rc::clone(&base), key == "properties" && !in_properties));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    links.push((at, i.to_string()));
                    stack.push((item, links.len() - 1, Rc::clone(&base), false));
                }
            }
            _ => {}
        }
    }
    for (pointer, uri) in refs {
        let (document, fragment) = uri.split_once('#').unwrap_or((&uri, ""));
        let target = match fragment {
            "" => targets.get(document).cloned(),
            f if f.starts_with('/') => targets.get(document).map(|at| format!("{at}{f}")),
            _ => targets.get(&uri).cloned(),
        };
        if let Some(target) = target
            && let Some(Value::Object(map)) = raw.pointer_mut(&pointer)
        {
            map.insert("$ref".to_owned(), json!(format!("#{target}")));
        }
    }
}

/// `reference` resolved against `base` (RFC 3986 section 5.2, for the forms specs use: an
/// absolute URI, a fragment, an absolute path, a relative path).
fn resolve_uri(base: &str, reference: &str) -> String {
    let has_scheme = reference
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '#', '?']));
    let base_document = base.split('#').next().unwrap_or_default();
    if has_scheme || base_document.is_empty() {
        reference.to_owned()
    } else if reference.starts_with('#') {
        format!("{base_document}{reference}")
    } else if reference.starts_with('/') {
        // Keep the scheme and authority: `https://host` of `https://host/a/b`.
        let authority_end = base_document
            .find("://")
            .and_then(|start| base_document[start + 3..].find('/').map(|end| start + 3 + end))
            .unwrap_or(base_document.len());
        format!("{}{reference}", &base_document[..authority_end])
    } else {
        let directory = base_document.rfind('/').map_or("", |end| &base_document[..=end]);
        format!("{directory}{reference}")
    }
}

/// What a node of the document is, as far as the rewrite cares.
#[derive(Clone, Copy, PartialEq)]
enum Site {
    /// Any part of the document outside schemas: a value under `schema` is a schema.
    Document,
    /// `components`, whose `schemas` is a map of schemas.
    Components,
    Schema,
    /// A map of names to schemas (`properties`, `components/schemas`, `$defs`).
    Schemas,
    /// A list of schemas (`allOf`, `anyOf`, `oneOf`).
    SchemaList,
}

fn walk(root: &mut Value) {
    let mut stack = vec![(root, Site::Document)];
    while let Some((node, site)) = stack.pop() {
        if site == Site::Schema && *node == Value::Bool(true) {
            *node = json!({});
        }
        match (node, site) {
            (Value::Object(map), Site::Document | Site::Components) => {
                for (key, value) in map.iter_mut() {
                    let child = match key.as_str() {
                        // Sample data and extensions hold no OpenAPI objects to rewrite.
                        "example" | "examples" => continue,
                        key if key.starts_with("x-") => continue,
                        "schema" => Site::Schema,
                        "components" if site == Site::Document => Site::Components,
                        "schemas" if site == Site::Components => Site::Schemas,
                        _ => Site::Document,
                    };
                    stack.push((value, child));
                }
            }
            (Value::Array(items), Site::Document) => stack.extend(items.iter_mut().map(|item| (item, Site::Document))),
            (Value::Object(map), Site::Schema) => {
                rewrite_schema(map);
                stack.extend(subschemas(map));
            }
            (Value::Object(map), Site::Schemas) => stack.extend(map.values_mut().map(|value| (value, Site::Schema))),
            (Value::Array(items), Site::SchemaList) => stack.extend(items.iter_mut().map(|item| (item, Site::Schema))),
            _ => {}
        }
    }
}

/// The schemas directly inside a (rewritten) schema.
fn subschemas(map: &mut Map<String, Value>) -> Vec<(&mut Value, Site)> {
    map.iter_mut()
        .filter_map(|(key, value)| {
            let site = match key.as_str() {
                "properties" | "$defs" | "definitions" => Site::Schemas,
                "items" | "not" => Site::Schema,
                // `true`/`false` are the 3.0 spelling here too.
                "additionalProperties" if value.is_object() => Site::Schema,
                "allOf" | "anyOf" | "oneOf" => Site::SchemaList,
                _ => return None,
            };
            Some((value, site))
        })
        .collect()
}

/// Keywords 3.0 does not have and a client does not need (see the module docs).
const DROPPED: [&str; 16] = [
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "unevaluatedItems",
];

fn rewrite_schema(map: &mut Map<String, Value>) {
    for key in DROPPED {
        map.remove(key);
    }
    open_properties(map);
    false_properties(map);
    const_to_enum(map);
    first_example(map);
    exclusive_bound(map, "exclusiveMinimum", "minimum", |bound, other| other > bound);
    exclusive_bound(map, "exclusiveMaximum", "maximum", |bound, other| other < bound);
    prefix_items(map);
    content_format(map);
    type_list(map);
    null_options(map);
    ref_siblings(map);
}

/// `patternProperties` and `unevaluatedProperties` as 3.0's `additionalProperties`.
fn open_properties(map: &mut Map<String, Value>) {
    let unevaluated = map.remove("unevaluatedProperties").filter(Value::is_object);
    if let Some(patterns) = map.remove("patternProperties").and_then(|p| p.as_object().cloned()) {
        let open = matches!(map.get("additionalProperties"), None | Some(Value::Bool(false)));
        if open && !patterns.is_empty() {
            let mut schemas = patterns.into_iter().map(|(_, schema)| schema);
            let value = match (schemas.next(), schemas.next()) {
                (Some(only), None) => only,
                _ => json!({}),
            };
            map.insert("additionalProperties".to_owned(), value);
        }
    }
    if let Some(schema) = unevaluated {
        map.entry("additionalProperties").or_insert(schema);
    }
}

/// `properties: {gone: false}`: the property never appears, so there is nothing to read.
fn false_properties(map: &mut Map<String, Value>) {
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.retain(|_, schema| *schema != Value::Bool(false));
    }
}

fn const_to_enum(map: &mut Map<String, Value>) {
    if let Some(value) = map.remove("const") {
        map.insert("enum".to_owned(), Value::Array(vec![value]));
    }
}

fn first_example(map: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
    }
}

/// A numeric `exclusive` bound as `bound` plus a boolean flag; `moot` says whether an existing
/// `bound` already excludes more.
fn exclusive_bound(map: &mut Map<String, Value>, exclusive: &str, bound: &str, moot: fn(f64, f64) -> bool) {
    let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return;
    };
    let existing = map.get(bound).and_then(Value::as_f64);
    if existing
        .zip(limit.as_f64())
        .is_some_and(|(other, limit)| moot(limit, other))
    {
        map.remove(exclusive);
    } else {
        map.insert(bound.to_owned(), limit);
        map.insert(exclusive.to_owned(), Value::Bool(true));
    }
}

fn prefix_items(map: &mut Map<String, Value>) {
    let Some(Value::Array(prefix)) = map.remove("prefixItems") else {
        return;
    };
    let rest = map.remove("items").filter(|items| *items != Value::Bool(false));
    let mut all = prefix.iter().chain(rest.as_ref());
    let first = all.next().cloned();
    let items = match first {
        Some(first) if all.all(|schema| *schema == first) => first,
        _ => json!({}),
    };
    map.insert("items".to_owned(), items);
}

/// `contentEncoding`/`contentMediaType` on a string as the 3.0 `format` that says the same.
fn content_format(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media_type = map.remove("contentMediaType");
    map.remove("contentSchema");
    let string = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if !string || map.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media_type.as_ref().and_then(Value::as_str),
    ) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(media_type)) if !is_text(media_type) => "binary",
        _ => return,
    };
    map.insert("format".to_owned(), json!(format));
}

fn is_text(media_type: &str) -> bool {
    let media_type = media_type.to_ascii_lowercase();
    media_type.starts_with("text/") || media_type.contains("json") || media_type.contains("xml")
}

/// `type: [X, "null"]` and friends (see the module docs).
fn type_list(map: &mut Map<String, Value>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Object(_)) => {
            map.remove("type");
            return;
        }
        Some(Value::String(t)) if t == "null" => Vec::new(),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => return,
    };
    let nullable = types.is_empty() || types.iter().any(|t| t == "null");
    let types: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    map.remove("type");
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    match types.as_slice() {
        [] => {}
        [only] => {
            map.insert("type".to_owned(), json!(only));
        }
        several => {
            let options = several.iter().map(|t| Value::Object(one_type(map, t))).collect();
            for keyword in TYPED_KEYWORDS.iter().flat_map(|(_, keywords)| keywords.iter()) {
                map.remove(*keyword);
            }
            map.remove("enum");
            map.remove("format");
            add_union(map, options);
        }
    }
}

/// The keywords that only apply to values of one type.
const TYPED_KEYWORDS: [(&str, &[&str]); 5] = [
    ("string", &["minLength", "maxLength", "pattern"]),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "integer",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// The option of a several-type schema for `typ`: that type, its keywords and its `enum` values.
fn one_type(map: &Map<String, Value>, typ: &str) -> Map<String, Value> {
    let mut option = Map::new();
    option.insert("type".to_owned(), json!(typ));
    let keywords = TYPED_KEYWORDS
        .iter()
        .filter(|(t, _)| *t == typ)
        .flat_map(|(_, k)| k.iter());
    for keyword in keywords {
        if let Some(value) = map.get(*keyword) {
            option.insert((*keyword).to_owned(), value.clone());
        }
    }
    if let Some(format) = map
        .get("format")
        .and_then(Value::as_str)
        .filter(|f| format_type(f) == typ)
    {
        option.insert("format".to_owned(), json!(format));
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let values: Vec<Value> = values.iter().filter(|v| is_of_type(v, typ)).cloned().collect();
        option.insert("enum".to_owned(), Value::Array(values));
    }
    option
}

fn format_type(format: &str) -> &'static str {
    match format {
        "int32" | "int64" => "integer",
        "float" | "double" => "number",
        _ => "string",
    }
}

fn is_of_type(value: &Value, typ: &str) -> bool {
    match value {
        Value::String(_) => typ == "string",
        Value::Number(n) => typ == "number" || (typ == "integer" && (n.is_i64() || n.is_u64())),
        Value::Bool(_) => typ == "boolean",
        Value::Array(_) => typ == "array",
        Value::Object(_) => typ == "object",
        Value::Null => false,
    }
}

/// Adds `options` as the schema's `oneOf`, or as an `allOf` part when it has one already.
fn add_union(map: &mut Map<String, Value>, options: Vec<Value>) {
    if !map.contains_key("oneOf") {
        map.insert("oneOf".to_owned(), Value::Array(options));
    } else {
        all_of_part(map, json!({"oneOf": options}));
    }
}

fn all_of_part(map: &mut Map<String, Value>, part: Value) {
    match map.get_mut("allOf") {
        Some(Value::Array(parts)) => parts.push(part),
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![part]));
        }
    }
}

/// `anyOf: [X, {type: "null"}]`: X, nullable.
fn null_options(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(options)) = map.get_mut(key) else {
            continue;
        };
        let before = options.len();
        options.retain(|option| !is_null_schema(option));
        if options.len() == before {
            continue;
        }
        let left = std::mem::take(options);
        map.insert("nullable".to_owned(), Value::Bool(true));
        match <[Value; 1]>::try_from(left) {
            Ok([only]) => {
                map.remove(key);
                all_of_part(map, only);
            }
            Err(left) if left.is_empty() => {
                map.remove(key);
            }
            Err(left) => {
                map.insert(key.to_owned(), Value::Array(left));
            }
        }
    }
}

/// `{type: "null"}` (or `["null"]`), with at most annotations beside.
fn is_null_schema(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let null = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null") && !types.is_empty(),
        _ => false,
    };
    null && map
        .keys()
        .all(|key| key == "type" || ANNOTATIONS.contains(&key.as_str()))
}

/// Keywords that say nothing about a value's shape.
const ANNOTATIONS: [&str; 12] = [
    "description",
    "title",
    "summary",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "externalDocs",
    "xml",
    "$comment",
];

/// `$ref` beside other keywords: annotations dropped, anything else kept beside an `allOf` of the
/// `$ref`. Extensions stay where they are (the load stage reports ours beside a lone `$ref`).
fn ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") {
        return;
    }
    // `nullable: false` says nothing either.
    let annotation = |key: &str, value: &Value| ANNOTATIONS.contains(&key) || (key == "nullable" && *value == false);
    map.retain(|key, value| !annotation(key, value));
    let shaping = map
        .keys()
        .any(|key| key != "$ref" && key != "$defs" && key != "definitions" && !key.starts_with("x-"));
    if shaping && let Some(reference) = map.remove("$ref") {
        all_of_part(map, json!({"$ref": reference}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema` rewritten as a component of a 3.1 document.
    fn rewritten(schema: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        to_openapi_30(&mut doc);
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_lists_with_null_are_nullable() {
        assert_eq!(
            rewritten(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(rewritten(json!({"type": "null"})), json!({"nullable": true}));
        assert_eq!(rewritten(json!({"type": ["integer"]})), json!({"type": "integer"}));
        // codat's accounting spec: a schema written where its name belonged.
        assert_eq!(
            rewritten(json!({"type": {"type": "string", "enum": ["A"]}, "description": "d"})),
            json!({"description": "d"})
        );
    }

    #[test]
    fn several_types_are_a_one_of_each_with_its_keywords() {
        let schema = json!({
            "type": ["string", "integer", "null"], "maxLength": 3, "minimum": 1, "format": "int64",
            "enum": ["a", 2, null], "description": "d"
        });
        assert_eq!(
            rewritten(schema),
            json!({
                "nullable": true, "description": "d",
                "oneOf": [
                    {"type": "string", "maxLength": 3, "enum": ["a"]},
                    {"type": "integer", "minimum": 1, "format": "int64", "enum": [2]}
                ]
            })
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds() {
        let schema = json!({"type": "number", "const": 5, "examples": [5, 6], "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 8});
        assert_eq!(
            rewritten(schema),
            json!({"type": "number", "enum": [5], "example": 5, "minimum": 0, "exclusiveMinimum": true, "maximum": 8})
        );
    }

    #[test]
    fn ref_siblings_are_dropped_or_wrapped() {
        assert_eq!(
            rewritten(json!({"$ref": "#/components/schemas/T", "description": "d", "readOnly": true})),
            json!({"$ref": "#/components/schemas/T"})
        );
        assert_eq!(
            rewritten(json!({"$ref": "#/components/schemas/T", "type": ["object", "null"], "description": "d"})),
            json!({"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn a_null_option_makes_the_schema_nullable() {
        let schema = json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}], "description": "d"});
        assert_eq!(
            rewritten(schema),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        let schema = json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]});
        assert_eq!(
            rewritten(schema),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn tuples_content_and_dropped_keywords() {
        assert_eq!(
            rewritten(json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]})),
            json!({"type": "array", "items": {}})
        );
        assert_eq!(
            rewritten(json!({"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "string"}})),
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            rewritten(json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            rewritten(json!({"type": "string", "contentMediaType": "application/pdf"})),
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            rewritten(json!({
                "type": "object", "$id": "x", "$schema": "y", "dependentRequired": {"a": ["b"]},
                "patternProperties": {"^x": {"type": "integer"}}, "properties": {"gone": false, "kept": true}
            })),
            json!({"type": "object", "additionalProperties": {"type": "integer"}, "properties": {"kept": {}}})
        );
    }

    #[test]
    fn nested_schemas_are_rewritten_but_not_property_names_or_examples() {
        let schema = json!({
            "type": "object",
            "properties": {
                "const": {"type": "array", "items": {"type": ["boolean", "null"]}},
                "type": {"allOf": [{"const": "x"}]}
            },
            "example": {"type": ["kept"]}
        });
        assert_eq!(
            rewritten(schema),
            json!({
                "type": "object",
                "properties": {
                    "const": {"type": "array", "items": {"type": "boolean", "nullable": true}},
                    "type": {"allOf": [{"enum": ["x"]}]}
                },
                "example": {"type": ["kept"]}
            })
        );
    }

    #[test]
    fn the_document_becomes_3_0() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
            "components": {"parameters": {"P": {"name": "p", "in": "query", "schema": {"type": ["string", "null"]}}}}
        });
        to_openapi_30(&mut doc);
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1", "license": {"name": "MIT"}},
                "paths": {},
                "components": {"parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string", "nullable": true}}}}
            })
        );
    }

    #[test]
    fn anchors_and_ids_resolve_to_pointers() {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Card": {"$anchor": "card", "type": "string"},
            "Money": {"$id": "https://pay.test/schemas/money", "type": "object", "properties": {
                "currency": {"$anchor": "currency", "type": "string"},
                "again": {"$ref": "#currency"},
                "sibling": {"$ref": "card-kind"}
            }},
            "Kind": {"$id": "https://pay.test/schemas/card-kind", "type": "string"},
            "Uses": {"type": "object", "properties": {
                "card": {"$ref": "#card"},
                "money": {"$ref": "https://pay.test/schemas/money"},
                "currency": {"$ref": "https://pay.test/schemas/money#currency"},
                "inside": {"$ref": "https://pay.test/schemas/money#/properties/currency"},
                "unknown": {"$ref": "#nowhere"}
            }}
        }}});
        to_openapi_30(&mut doc);
        let schemas = &doc["components"]["schemas"];
        let currency = json!({"$ref": "#/components/schemas/Money/properties/currency"});
        assert_eq!(schemas["Money"]["properties"]["again"], currency);
        assert_eq!(
            schemas["Money"]["properties"]["sibling"],
            json!({"$ref": "#/components/schemas/Kind"})
        );
        assert_eq!(
            schemas["Uses"]["properties"],
            json!({
                "card": {"$ref": "#/components/schemas/Card"},
                "money": {"$ref": "#/components/schemas/Money"},
                "currency": currency,
                "inside": currency,
                "unknown": {"$ref": "#nowhere"}
            })
        );
        assert_eq!(schemas["Card"], json!({"type": "string"}));
    }

    #[test]
    fn operations_without_responses_get_an_empty_map() {
        let mut doc = json!({"openapi": "3.1.0",
            "paths": {"/a": {"get": {}, "summary": "s", "post": {"responses": {"204": {"description": "ok"}}}}},
            "webhooks": {"paid": {"post": {}}},
            "components": {"pathItems": {"P": {"put": {}}}}});
        to_openapi_30(&mut doc);
        assert_eq!(doc["paths"]["/a"]["get"], json!({"responses": {}}));
        assert_eq!(doc["paths"]["/a"]["summary"], json!("s"));
        assert_eq!(
            doc["paths"]["/a"]["post"]["responses"]["204"]["description"],
            json!("ok")
        );
        assert_eq!(doc["webhooks"]["paid"]["post"], json!({"responses": {}}));
        assert_eq!(doc["components"]["pathItems"]["P"]["put"], json!({"responses": {}}));
    }

    #[test]
    fn mutual_tls_is_dropped_from_schemes_and_requirements() {
        let mut doc = json!({"openapi": "3.1.0",
        "security": [{"mtls": []}, {"key": []}],
        "paths": {"/a": {"get": {"security": [{"mtls": [], "key": []}], "responses": {}}}},
        "components": {"securitySchemes": {
            "mtls": {"type": "mutualTLS"},
            "key": {"type": "apiKey", "in": "header", "name": "K"}
        }}});
        to_openapi_30(&mut doc);
        assert_eq!(
            doc["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "K"}})
        );
        assert_eq!(doc["security"], json!([{}, {"key": []}]));
        assert_eq!(doc["paths"]["/a"]["get"]["security"], json!([{"key": []}]));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // Built by hand: `json!` would copy `schema` recursively at each step.
        let mut schema = json!({"type": ["string", "null"]});
        for _ in 0..100_000 {
            let mut array = Map::new();
            array.insert("type".to_owned(), json!("array"));
            array.insert("items".to_owned(), schema);
            schema = Value::Object(array);
        }
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {}}});
        doc["components"]["schemas"]["S"] = schema;
        to_openapi_30(&mut doc);
        let mut inner = &doc["components"]["schemas"]["S"];
        while let Some(items) = inner.get("items") {
            inner = items;
        }
        assert_eq!(*inner, json!({"type": "string", "nullable": true}));
        // Dropping 100,000 nested values recursively would overflow the stack too.
        std::mem::forget(doc);
    }
}
