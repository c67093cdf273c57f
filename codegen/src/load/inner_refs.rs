//! `$ref`s into a schema's inside (`#/components/schemas/X/properties/y`, `…/X/definitions/Y`,
//! `…/items`, a schema under `#/paths/…`, `$defs`) made into refs to named components.
//!
//! A referenced sub-schema that defines a type of its own (an object, an enum, a union, an array
//! of such, anything holding a `$ref`) is moved into `components/schemas` under a name taken from
//! its pointer (`X_y`, `Y` for a definition, collision-checked), its old place becomes a `$ref` to
//! it, and every `$ref` into it is rewritten. So one type is generated for it, however many places
//! use it, and a cycle through such refs is an ordinary recursive named type. A plain scalar
//! (`{type: string, format: date}`) is left where it is: the load stage copies it where it is used.
//!
//! The inline request body schemas of callbacks and (3.1) webhooks are moved the same way, named
//! after the callback or webhook (`PaymentSucceededWebhook`), so the requests the provider sends
//! are generated types too.
//!
//! [`Origins`] records where each moved schema came from, so errors name the original document's
//! pointers. Every walk is iterative, and each step is linear in the document.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::error::{Error, Origins, Pointer, Result};

/// How many kinds of `items` nest in a scalar array left to be copied: deeper arrays are moved.
const PLAIN_ARRAY_DEPTH: usize = 8;

/// Moves referenced inner schemas and callback/webhook bodies into components (see the module
/// docs). Refs must have been checked to resolve. A `$ref` to a `$ref` is pointed at where that
/// one leads first (a cycle of refs alone is refused).
pub fn hoist(raw: &mut Value, label: &str, origins: &mut Origins) -> Result<()> {
    let redirects = follow_chains(raw, label)?;
    // Each: the pointer (without `#`), and for a callback's or webhook's body its name and doc.
    let mut targets: HashMap<String, Option<(String, String)>> = HashMap::new();
    for reference in local_refs(raw) {
        let reference = redirects.get(&reference).unwrap_or(&reference);
        let Some(pointer) = reference.strip_prefix('#') else {
            continue;
        };
        if names_component_schema(reference) || targets.contains_key(pointer) {
            continue;
        }
        if is_schema_site(pointer) && raw.pointer(pointer).is_some_and(defines_type) {
            targets.insert(pointer.to_owned(), None);
        }
    }
    for (pointer, name, doc) in message_bodies(raw) {
        targets.insert(pointer, Some((name, doc)));
    }
    if targets.is_empty() && redirects.is_empty() {
        return Ok(());
    }
    let mut targets: Vec<_> = targets.into_iter().collect();
    // Deepest first: moving a schema leaves the pointers of those around it as they were.
    targets.sort_by(|(a, _), (b, _)| depth(b).cmp(&depth(a)).then_with(|| a.cmp(b)));
    let mut names = Names::new(raw);
    let mut moved = Vec::new();
    let mut schemas = Map::new();
    for (pointer, named) in targets {
        let (name, doc) = match named {
            Some((name, doc)) => (names.claim(name), Some(doc)),
            None => (names.claim(name_for(raw, &pointer)), None),
        };
        let Some(node) = raw.pointer_mut(&pointer) else {
            continue;
        };
        let reference = format!("#/components/schemas/{name}");
        let mut schema = std::mem::replace(node, json!({ "$ref": reference }));
        if let (Some(doc), Value::Object(schema)) = (doc, &mut schema) {
            let description = match schema.get("description").and_then(Value::as_str) {
                Some(own) => format!("{own}\n\n{doc}"),
                None => doc,
            };
            schema.insert("description".to_owned(), json!(description));
        }
        schemas.insert(name, schema);
        moved.push((reference, format!("#{pointer}")));
    }
    let components = raw
        .as_object_mut()
        .map(|doc| doc.entry("components").or_insert_with(|| json!({})));
    if let Some(Value::Object(components)) = components
        && let Value::Object(section) = components.entry("schemas").or_insert_with(|| json!({}))
    {
        section.extend(schemas);
    }
    let by_original: HashMap<&str, &str> = moved
        .iter()
        .map(|(reference, original)| (original.as_str(), reference.as_str()))
        .collect();
    rewrite_refs(raw, &redirects, &by_original);
    for (reference, original) in &moved {
        origins.record_moved(reference, original);
    }
    Ok(())
}

/// For each local `$ref` whose target is itself a `$ref` (not to a whole component, which the IR
/// follows by name), where the chain ends. Linear: each ref is followed once.
fn follow_chains(raw: &Value, label: &str) -> Result<HashMap<String, String>> {
    let mut ends: HashMap<String, String> = HashMap::new();
    for start in local_refs(raw) {
        let mut chain = Vec::new();
        let mut on_chain = HashSet::new();
        let mut current = start;
        let end = loop {
            if let Some(end) = ends.get(&current) {
                break end.clone();
            }
            let next = current
                .strip_prefix('#')
                .filter(|_| !names_component(&current))
                .and_then(|pointer| raw.pointer(pointer))
                .and_then(|target| target.get("$ref"))
                .and_then(Value::as_str)
                .filter(|next| next.starts_with('#'));
            let Some(next) = next else {
                break current;
            };
            if !on_chain.insert(current.clone()) {
                return Err(Error::new(
                    label,
                    current.clone(),
                    format!("$ref {next:?} is circular: it leads back to itself through $refs alone"),
                ));
            }
            chain.push(current);
            current = next.to_owned();
        };
        for reference in chain {
            ends.insert(reference, end.clone());
        }
    }
    ends.retain(|reference, end| reference != end);
    Ok(ends)
}

/// Every local `$ref` string of the document (not sample data, not a property named `$ref`).
fn local_refs(raw: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    let mut stack = vec![(raw, false)];
    while let Some((node, in_properties)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !in_properties && let Some(Value::String(reference)) = map.get("$ref") {
                    refs.push(reference.clone());
                }
                for (key, value) in map {
                    if key != "example" && key != "examples" {
                        stack.push((value, key == "properties"));
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, false))),
            _ => {}
        }
    }
    refs
}

/// Points every `$ref` at the end of its chain, and into a moved schema at its new place (the
/// deepest moved one holding it).
fn rewrite_refs(raw: &mut Value, redirects: &HashMap<String, String>, by_original: &HashMap<&str, &str>) {
    let mut stack = vec![(raw, false)];
    while let Some((node, in_properties)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !in_properties && let Some(Value::String(reference)) = map.get_mut("$ref") {
                    if let Some(end) = redirects.get(reference.as_str()) {
                        reference.clone_from(end);
                    }
                    if let Some(new) = moved_to(reference, by_original) {
                        *reference = new;
                    }
                }
                for (key, value) in map.iter_mut() {
                    if key != "example" && key != "examples" {
                        stack.push((value, key == "properties"));
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut().map(|item| (item, false))),
            _ => {}
        }
    }
}

fn moved_to(reference: &str, by_original: &HashMap<&str, &str>) -> Option<String> {
    let mut prefix = reference;
    loop {
        if let Some(new) = by_original.get(prefix) {
            return Some(format!("{new}{}", &reference[prefix.len()..]));
        }
        prefix = &prefix[..prefix.rfind('/')?];
    }
}

fn depth(pointer: &str) -> usize {
    pointer.bytes().filter(|&b| b == b'/').count()
}

/// `#/components/<section>/<name>`, but not 3.1's `pathItems` (copied in by the load stage).
fn names_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(section, name)| section != "pathItems" && !name.is_empty() && !name.contains('/'))
}

fn names_component_schema(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/schemas/")
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// Whether the JSON pointer (without `#`) names a schema, reading its segments as OpenAPI lays
/// documents out: a `schema` member, a component schema, and the sub-schemas of a schema.
fn is_schema_site(pointer: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Document,
        Components,
        Schema,
        Schemas,
        SchemaList,
        Other,
    }
    let mut at = At::Document;
    for (i, segment) in pointer.split('/').skip(1).enumerate() {
        at = match (at, segment) {
            (At::Document, "components") if i == 0 => At::Components,
            (At::Components, "schemas") => At::Schemas,
            (At::Document | At::Components, "schema") => At::Schema,
            (At::Document | At::Components, "example" | "examples") => At::Other,
            (At::Document | At::Components, _) => At::Document,
            (At::Schema, "properties" | "$defs" | "definitions" | "patternProperties") => At::Schemas,
            (At::Schema, "items" | "not" | "additionalProperties") => At::Schema,
            (At::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => At::SchemaList,
            (At::Schemas | At::SchemaList, _) => At::Schema,
            (At::Schema | At::Other, _) => At::Other,
        };
    }
    at == At::Schema
}

/// Whether a schema defines a type of its own (see the module docs), rather than being a plain
/// scalar (or array of them) that is as well copied, or a `$ref` that is copied as it is.
fn defines_type(schema: &Value) -> bool {
    const TYPE_KEYWORDS: [&str; 10] = [
        "properties",
        "additionalProperties",
        "patternProperties",
        "enum",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "definitions",
        "$defs",
    ];
    let mut schema = schema;
    for _ in 0..PLAIN_ARRAY_DEPTH {
        let Value::Object(map) = schema else {
            return false;
        };
        if map.contains_key("$ref") {
            return false;
        }
        if TYPE_KEYWORDS.iter().any(|key| map.contains_key(*key)) {
            return true;
        }
        match map.get("items") {
            Some(items) if items.get("$ref").is_some() => return true,
            Some(items) => schema = items,
            None => return false,
        }
    }
    true
}

/// The inline request body schemas of callbacks and webhooks: each one's pointer (without `#`),
/// the name it gets, and the doc line its type gets.
fn message_bodies<'a>(raw: &'a Value) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    // A webhook may be a `$ref` to `components/pathItems`, a callback one to `components/callbacks`:
    // the bodies are found there.
    let follow = |node: &'a Value, at: String| match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| Some((raw.pointer(pointer)?, pointer.to_owned()))),
        None => Some((node, at)),
    };
    let mut add_path_item = |item: &'a Value, at: String, name: &str, kind: &str| {
        let Some((item, at)) = follow(item, at) else {
            return;
        };
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(content) = op
                .get("requestBody")
                .and_then(|body| body.get("content"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let several = content.len() > 1;
            for (media_type, media) in content {
                if media
                    .get("schema")
                    .is_some_and(|s| s.is_object() && s.get("$ref").is_none())
                {
                    let suffix = if several { media_type.as_str() } else { "" };
                    let pointer = format!(
                        "{at}/{}/requestBody/content/{}/schema",
                        Pointer::escape(method),
                        Pointer::escape(media_type)
                    );
                    let doc = format!(
                        "What the provider sends in the `{name}` {kind} ({} request).",
                        method.to_ascii_uppercase()
                    );
                    found.push((pointer, format!("{name} {suffix} {kind}"), doc));
                }
            }
        }
    };
    for (key, item) in raw.get("webhooks").and_then(Value::as_object).into_iter().flatten() {
        add_path_item(item, format!("/webhooks/{}", Pointer::escape(key)), key, "webhook");
    }
    let operations = raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            let at = format!("/paths/{}", Pointer::escape(path));
            item.as_object()
                .into_iter()
                .flatten()
                .map(move |(method, op)| (format!("{at}/{}", Pointer::escape(method)), op))
        });
    for (at, op) in operations {
        for (callback, expressions) in op.get("callbacks").and_then(Value::as_object).into_iter().flatten() {
            let Some((expressions, at)) = follow(expressions, format!("{at}/callbacks/{}", Pointer::escape(callback)))
            else {
                continue;
            };
            for (expression, item) in expressions.as_object().into_iter().flatten() {
                add_path_item(
                    item,
                    format!("{at}/{}", Pointer::escape(expression)),
                    callback,
                    "callback",
                );
            }
        }
    }
    found
}

/// A name for the schema at `pointer`: its owner (component, operation) and the steps into it
/// that say something (`Account_definitions_accountRef` is `accountRef`; `X_properties_y` is
/// `X y`; `items` is `item`; an operation is named by its `operationId`).
fn name_for(raw: &Value, pointer: &str) -> String {
    let segments: Vec<String> = pointer.split('/').skip(1).map(Pointer::unescape).collect();
    // A definition is a schema its author named: that name alone, the owner's kept for collisions.
    if let [.., keyword, name] = segments.as_slice()
        && (keyword == "definitions" || keyword == "$defs")
    {
        return name.clone();
    }
    let mut words: Vec<String> = Vec::new();
    let mut rest = segments.as_slice();
    if let [paths, path, method, after @ ..] = rest
        && paths == "paths"
    {
        let operation = ["", "paths", path, method, "operationId"]
            .map(Pointer::escape)
            .join("/");
        match raw.pointer(&operation).and_then(Value::as_str) {
            Some(id) => words.push(id.to_owned()),
            None => words.extend([path.clone(), method.clone()]),
        }
        rest = after;
    }
    let mut previous = "";
    for segment in rest {
        let word = match (previous, segment.as_str()) {
            (_, "components" | "schemas" | "content" | "schema" | "properties") => None,
            (_, "definitions" | "$defs" | "allOf" | "anyOf" | "oneOf" | "responses" | "parameters") => None,
            (_, "requestBody") => Some("body".to_owned()),
            (_, "items") => Some("item".to_owned()),
            (_, "additionalProperties") => Some("value".to_owned()),
            ("content", _) => None,
            ("responses", code) if code.starts_with('2') => Some("response".to_owned()),
            ("responses", code) => Some(format!("{code} response")),
            (_, other) => Some(other.to_owned()),
        };
        words.extend(word);
        previous = segment;
    }
    words.join(" ")
}

/// The names components already use, compared as the Rust type names they become (letters and
/// digits, case ignored).
struct Names(HashSet<String>);

impl Names {
    fn new(raw: &Value) -> Self {
        let taken = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| key(name))
            .collect();
        Self(taken)
    }

    /// `candidate` made a component name (words joined by `_`), numbered when taken.
    fn claim(&mut self, candidate: String) -> String {
        let words: Vec<&str> = candidate
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let base = if words.is_empty() {
            "Schema".to_owned()
        } else {
            words.join("_")
        };
        let mut name = base.clone();
        let mut n = 1;
        while !self.0.insert(key(&name)) {
            n += 1;
            name = format!("{base}_{n}");
        }
        name
    }
}

fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_sites() {
        assert!(is_schema_site("/components/schemas/X/properties/y"));
        assert!(is_schema_site("/components/schemas/X/definitions/Y/items"));
        assert!(is_schema_site(
            "/paths/~1a/get/responses/200/content/application~1json/schema/allOf/0"
        ));
        assert!(is_schema_site("/components/parameters/P/schema"));
        assert!(!is_schema_site("/components/schemas/X/example"));
        assert!(!is_schema_site("/paths/~1a/get/parameters/0"));
        assert!(!is_schema_site("/components/schemas/X/properties"));
    }

    #[test]
    fn names_and_collisions() {
        let raw = json!({
            "paths": {"/pets": {"get": {"operationId": "listPets"}}},
            "components": {"schemas": {"X_y": {}, "Item": {}}}
        });
        assert_eq!(
            name_for(&raw, "/components/schemas/Account/definitions/accountRef"),
            "accountRef"
        );
        assert_eq!(name_for(&raw, "/components/schemas/X/properties/y/items"), "X y item");
        let mut names = Names::new(&raw);
        let pointer = "/paths/~1pets/get/responses/200/content/application~1json/schema/properties/owner";
        assert_eq!(names.claim(name_for(&raw, pointer)), "listPets_response_owner");
        let pointer = "/paths/~1pets/post/responses/400/content/application~1json/schema";
        assert_eq!(names.claim(name_for(&raw, pointer)), "pets_post_400_response");
        assert_eq!(names.claim("X y".to_owned()), "X_y_2");
        assert_eq!(names.claim("item".to_owned()), "item_2");
    }

    #[test]
    fn a_self_referencing_definition_becomes_a_named_component() {
        let mut raw = json!({"components": {"schemas": {"X": {
            "type": "object",
            "properties": {"node": {"$ref": "#/components/schemas/X/definitions/Node"}},
            "definitions": {"Node": {
                "type": "object",
                "properties": {"next": {"$ref": "#/components/schemas/X/definitions/Node"}}
            }}
        }}}});
        let mut origins = Origins::default();
        hoist(&mut raw, "x", &mut origins).unwrap();
        assert_eq!(
            raw["components"]["schemas"]["Node"],
            json!({"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}})
        );
        assert_eq!(
            raw["components"]["schemas"]["X"]["properties"]["node"],
            json!({"$ref": "#/components/schemas/Node"})
        );
        assert_eq!(
            origins.original("#/components/schemas/Node/properties/next"),
            "#/components/schemas/X/definitions/Node/properties/next"
        );
    }

    #[test]
    fn scalars_stay_to_be_copied() {
        let mut raw = json!({"components": {"schemas": {"X": {
            "properties": {"at": {"type": "string", "format": "date"}, "tags": {"type": "array", "items": {"type": "string"}}}
        }, "Y": {"properties": {
            "at": {"$ref": "#/components/schemas/X/properties/at"},
            "tags": {"$ref": "#/components/schemas/X/properties/tags"}
        }}}}});
        let before = raw.clone();
        hoist(&mut raw, "x", &mut Origins::default()).unwrap();
        assert_eq!(raw, before);
    }
}
