//! OpenAPI 3.2 read as 3.1 plus what 3.2 adds. The document is otherwise a 3.1 one, and the 3.1
//! rewrite (`openapi31`) applies to it; this module handles the rest, around that rewrite:
//!
//! - Operations beyond `openapiv3`'s fixed path item fields: `query` (sent as `QUERY`, a safe
//!   request with a body) and `additionalOperations` (method name → operation; the name must be
//!   an HTTP token and not one of the fixed methods). They stay where they are in the document
//!   (the 3.1 rewrite and the `$ref` checks read them there) and are parsed into [`Additions`].
//! - Sequential responses: a response media type `text/event-stream`, `application/jsonl`,
//!   `application/x-ndjson` or `application/json-seq` with an `itemSchema`. For events, the item
//!   is an object of `event`, `data`, `id` and `retry`; when its `data` is JSON (a
//!   `contentSchema`, or a schema that is not a string), that schema is kept apart as the data's.
//!   Before the 3.1 rewrite each `itemSchema` is wrapped as `{schema, data: {schema}}`, where the
//!   rewrite reads schemas (and would drop `contentSchema`); afterwards it is unwrapped again.
//! - Refused, with their pointer, as the generator would get them wrong: parameters `in:
//!   querystring` or with `style: cookie`, `itemEncoding`/`prefixEncoding`, `itemSchema` anywhere
//!   but a response of a media type above (and there on an error status, or beside other kinds of
//!   success: the IR refuses those), `discriminator.defaultMapping`, and `$ref`s to
//!   `components/mediaTypes`. Webhooks are not looked into: they are dropped.
//!
//! Annotations 3.2 adds (`$self`, tag `summary`/`parent`/`kind`, response `summary`, server
//! `name`, example `dataValue`/`serializedValue`, security scheme `deprecated` and
//! `oauth2MetadataUrl`, the device authorization flow) are read past, as `openapiv3` ignores them.
//! A response may omit its `description` in 3.2: it becomes empty.

use openapiv3::{Operation, ReferenceOr, Schema};
use serde_json::{Map, Value, json};

use crate::error::{Error, Origins, Pointer, Result};

/// Whether `raw` says it is an OpenAPI 3.2 document.
pub fn is_openapi_32(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.2."))
}

/// What a 3.2 document holds beyond what `openapiv3` parses.
#[derive(Debug, Clone, Default)]
pub struct Additions {
    pub operations: Vec<ExtraOperation>,
    pub sequences: Vec<SequenceMedia>,
}

/// A `query` operation or one of `additionalOperations`.
#[derive(Debug, Clone)]
pub struct ExtraOperation {
    pub path: String,
    /// As sent: `QUERY`, or the `additionalOperations` key.
    pub method: String,
    /// Where it is in the document: `#/paths/~1pets/query`.
    pub at: String,
    pub operation: Operation,
}

/// A sequential response media type with an `itemSchema`.
#[derive(Debug, Clone)]
pub struct SequenceMedia {
    /// The media type object: `#/paths/~1pets/get/responses/200/content/text~1event-stream`.
    pub at: String,
    pub item: ReferenceOr<Schema>,
    /// For events whose `data` is JSON: the schema of that data.
    pub data: Option<ReferenceOr<Schema>>,
}

impl Additions {
    /// The sequence of the media type object at `at`, if it has one.
    pub fn sequence(&self, at: &Pointer) -> Option<&SequenceMedia> {
        self.sequences.iter().find(|s| s.at == at.as_str())
    }

    /// The extra operations of `path`.
    pub fn operations<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a ExtraOperation> + 'a {
        self.operations.iter().filter(move |op| op.path == path)
    }
}

/// The kind of sequence a media type is, if it is one.
pub fn sequence_kind(media_type: &str) -> Option<SequenceKind> {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    Some(match essence.as_str() {
        "text/event-stream" => SequenceKind::Events,
        "application/jsonl" | "application/x-ndjson" => SequenceKind::JsonLines,
        "application/json-seq" => SequenceKind::JsonSeq,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceKind {
    Events,
    JsonLines,
    JsonSeq,
}

const FIXED_METHODS: [&str; 9] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY",
];

/// Before the 3.1 rewrite: refuses what is not supported, and wraps each `itemSchema` (see the
/// module docs). Iterative.
pub fn prepare(raw: &mut Value, label: &str) -> Result<()> {
    refuse_unsupported(raw, label)?;
    let media = sequence_media(raw);
    let original = raw.clone();
    for at in media {
        let Some(object) = raw.pointer_mut(at.as_value_pointer()).and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(item) = object.remove("itemSchema") else {
            continue;
        };
        let is_events = at
            .as_str()
            .rsplit('/')
            .next()
            .is_some_and(|t| sequence_kind(&Pointer::unescape(t)) == Some(SequenceKind::Events));
        let data = if is_events { json_data(&item, &original) } else { None };
        let mut carrier = Map::new();
        carrier.insert("schema".to_owned(), item);
        if let Some(data) = data {
            carrier.insert("data".to_owned(), json!({ "schema": data }));
        }
        object.insert("itemSchema".to_owned(), Value::Object(carrier));
    }
    // 3.2 lets a response leave out its `description`, which `openapiv3` requires.
    let mut responses: Vec<&mut Value> = Vec::new();
    for (key, value) in raw.as_object_mut().into_iter().flatten() {
        match key.as_str() {
            "paths" => {
                for item in value.as_object_mut().into_iter().flat_map(|p| p.values_mut()) {
                    for op in operations_of(item) {
                        let own = op.get_mut("responses").and_then(Value::as_object_mut);
                        responses.extend(own.into_iter().flat_map(|r| r.values_mut()));
                    }
                }
            }
            "components" => {
                for (section, entries) in value.as_object_mut().into_iter().flatten() {
                    let entries = entries.as_object_mut().into_iter().flat_map(|e| e.values_mut());
                    match section.as_str() {
                        "responses" => responses.extend(entries),
                        "pathItems" => {
                            for op in entries.flat_map(operations_of) {
                                let own = op.get_mut("responses").and_then(Value::as_object_mut);
                                responses.extend(own.into_iter().flat_map(|r| r.values_mut()));
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    for response in responses.into_iter().filter_map(Value::as_object_mut) {
        if !response.contains_key("$ref") {
            response.entry("description").or_insert_with(|| json!(""));
        }
    }
    Ok(())
}

/// After the 3.1 rewrite and the `$ref` checks: parses the extra operations and the item
/// schemas, and unwraps each `itemSchema` again.
pub fn collect(raw: &mut Value, label: &str) -> Result<Additions> {
    let mut additions = Additions::default();
    for at in sequence_media(raw) {
        let Some(object) = raw.pointer_mut(at.as_value_pointer()).and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(Value::Object(mut carrier)) = object.remove("itemSchema") else {
            continue;
        };
        let item = carrier.remove("schema").unwrap_or_else(|| json!({}));
        let data = carrier
            .remove("data")
            .and_then(|mut d| d.get_mut("schema").map(Value::take));
        let at_item = at.join("itemSchema");
        let parsed_item = parse::<ReferenceOr<Schema>>(&item, &at_item, label)?;
        let parsed_data = match &data {
            Some(data) => Some(parse::<ReferenceOr<Schema>>(
                data,
                &at_item.join("properties").join("data"),
                label,
            )?),
            None => None,
        };
        object.insert("itemSchema".to_owned(), item);
        additions.sequences.push(SequenceMedia {
            at: at.to_string(),
            item: parsed_item,
            data: parsed_data,
        });
    }
    let paths = raw.get("paths").and_then(Value::as_object).into_iter().flatten();
    for (path, item) in paths {
        let at_path = Pointer::root().join("paths").join(path);
        if let Some(op) = item.get("query") {
            let at = at_path.join("query");
            additions.operations.push(ExtraOperation {
                path: path.clone(),
                method: "QUERY".to_owned(),
                operation: parse(op, &at, label)?,
                at: at.to_string(),
            });
        }
        let Some(extra) = item.get("additionalOperations") else {
            continue;
        };
        let at_extra = at_path.join("additionalOperations");
        let Some(extra) = extra.as_object() else {
            return Err(Error::new(
                label,
                at_extra.to_string(),
                "`additionalOperations` must be a map",
            ));
        };
        for (method, op) in extra {
            let at = at_extra.join(method);
            if method.is_empty() || !method.bytes().all(is_token_byte) {
                return Err(Error::new(
                    label,
                    at.to_string(),
                    format!("{method:?} is not an HTTP method name (an HTTP token)"),
                ));
            }
            if FIXED_METHODS.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                return Err(Error::new(
                    label,
                    at.to_string(),
                    format!(
                        "{method} belongs in the path item's `{}` field, not in `additionalOperations`",
                        method.to_ascii_lowercase()
                    ),
                ));
            }
            additions.operations.push(ExtraOperation {
                path: path.clone(),
                method: method.clone(),
                operation: parse(op, &at, label)?,
                at: at.to_string(),
            });
        }
    }
    Ok(additions)
}

/// Records how a pointer inside a wrapped `itemSchema` maps back to the document as written.
pub fn record_origins(origins: &mut Origins) {
    origins.record_infix("/itemSchema/data/schema", "/itemSchema/properties/data/contentSchema");
    origins.record_infix("/itemSchema/schema", "/itemSchema");
}

fn parse<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer, label: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = e.path().iter().fold(at.clone(), super::step);
        Error::new(
            label,
            pointer.to_string(),
            format!("not a valid OpenAPI 3.2 document: {}", e.inner()),
        )
    })
}

/// RFC 9110 `tchar`.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// The operations of a path item, fixed, `query` and additional ones.
fn operations_of(item: &mut Value) -> Vec<&mut Value> {
    let Some(item) = item.as_object_mut() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in item.iter_mut() {
        match key.as_str() {
            "additionalOperations" => found.extend(value.as_object_mut().into_iter().flat_map(|m| m.values_mut())),
            "query" => found.push(value),
            method if super::OPERATION_METHODS.contains(&method) => found.push(value),
            _ => {}
        }
    }
    found
}

/// The response media type objects with an `itemSchema`: in the operations of `paths` and of
/// `components/pathItems` (copied into `paths` where referenced), and in `components/responses`.
fn sequence_media(raw: &Value) -> Vec<Pointer> {
    let mut responses: Vec<(Pointer, &Value)> = Vec::new();
    let path_items = [
        (Pointer::root().join("paths"), raw.get("paths")),
        (
            Pointer::root().join("components").join("pathItems"),
            raw.pointer("/components/pathItems"),
        ),
    ];
    let path_items = path_items.into_iter().flat_map(|(at, items)| {
        items
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(move |(k, v)| (at.join(k), v))
    });
    for (at_path, item) in path_items {
        for (key, op) in item.as_object().into_iter().flatten() {
            let ops: Vec<(Pointer, &Value)> = match key.as_str() {
                "additionalOperations" => (op.as_object().into_iter().flatten())
                    .map(|(m, op)| (at_path.join(key).join(m), op))
                    .collect(),
                key if FIXED_METHODS.iter().any(|m| m.eq_ignore_ascii_case(key)) => vec![(at_path.join(key), op)],
                _ => continue,
            };
            for (at, op) in ops {
                for (code, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                    responses.push((at.join("responses").join(code), response));
                }
            }
        }
    }
    let components = raw.pointer("/components/responses").and_then(Value::as_object);
    for (name, response) in components.into_iter().flatten() {
        responses.push((
            Pointer::root().join("components").join("responses").join(name),
            response,
        ));
    }
    let mut found = Vec::new();
    for (at, response) in responses {
        for (media_type, media) in response.get("content").and_then(Value::as_object).into_iter().flatten() {
            if sequence_kind(media_type).is_some() && media.get("itemSchema").is_some() {
                found.push(at.join("content").join(media_type));
            }
        }
    }
    found
}

/// For an event's item schema (inline, or a `$ref` to a component): the schema of its `data`
/// when that is JSON (copied out: the 3.1 rewrite drops `contentSchema` where it is).
fn json_data(item: &Value, original: &Value) -> Option<Value> {
    let target = match item.get("$ref").and_then(Value::as_str) {
        Some(reference) => original.pointer(reference.strip_prefix('#')?)?.clone(),
        None => item.clone(),
    };
    let data = target.pointer("/properties/data")?;
    if let Some(schema) = data.get("contentSchema") {
        let media_type = data
            .get("contentMediaType")
            .and_then(Value::as_str)
            .unwrap_or("application/json");
        let media_type = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        return (media_type == "application/json" || media_type.ends_with("+json")).then(|| schema.clone());
    }
    let is_text = match data.get("type") {
        None => !(data.get("$ref").is_some() || data.get("properties").is_some() || data.get("items").is_some()),
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().all(|t| t == "string" || t == "null"),
        Some(_) => true,
    };
    (!is_text).then(|| data.clone())
}

/// Refuses the 3.2 features the generator does not handle (see the module docs). Iterative;
/// sample data (`example`, `examples`), extensions and property names are not looked into.
fn refuse_unsupported(raw: &Value, label: &str) -> Result<()> {
    let allowed = sequence_media(raw);
    let mut stack = vec![(raw, Pointer::root(), false)];
    while let Some((node, at, in_names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !in_names {
                    let refuse = |key: &str, message: &str| Err(Error::new(label, at.join(key).to_string(), message));
                    if map.get("in").and_then(Value::as_str) == Some("querystring") {
                        return refuse("in", "parameters `in: querystring` are not supported");
                    }
                    if map.get("style").and_then(Value::as_str) == Some("cookie") && map.contains_key("in") {
                        return refuse("style", "the parameter style `cookie` is not supported");
                    }
                    for key in ["itemEncoding", "prefixEncoding"] {
                        if map.contains_key(key) {
                            return refuse(key, &format!("`{key}` is not supported"));
                        }
                    }
                    if map.contains_key("itemSchema") && !allowed.contains(&at) {
                        return refuse(
                            "itemSchema",
                            "`itemSchema` is supported on responses of text/event-stream, application/jsonl, \
                             application/x-ndjson and application/json-seq only",
                        );
                    }
                    if at.as_str().ends_with("/discriminator") && map.contains_key("defaultMapping") {
                        return refuse("defaultMapping", "`discriminator.defaultMapping` is not supported");
                    }
                    if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                        && reference.starts_with("#/components/mediaTypes/")
                    {
                        return refuse("$ref", "$refs to `components/mediaTypes` are not supported");
                    }
                }
                for (key, value) in map {
                    // Webhooks are requests a client never makes (the 3.1 rewrite drops them).
                    let webhooks = key == "webhooks" && at == Pointer::root();
                    if key == "example" || key == "examples" || key.starts_with("x-") || webhooks {
                        continue;
                    }
                    let names = !in_names && matches!(key.as_str(), "properties" | "patternProperties");
                    stack.push((value, at.join(key), names));
                }
            }
            Value::Array(items) => {
                stack.extend(items.iter().enumerate().map(|(i, item)| (item, at.join(i), false)));
            }
            _ => {}
        }
    }
    Ok(())
}
