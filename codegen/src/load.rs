//! Stage 1: read a spec file (YAML or JSON) into `openapiv3::OpenAPI`, checking the version and
//! that every `$ref` is local and points at something. OpenAPI 3.1 and Swagger 2.0 are first
//! rewritten into 3.0 form (`openapi31`, `swagger2`); so is 3.2, whose additions are read apart
//! (`openapi32`).

mod inner_refs;
mod leniency;
mod openapi31;
pub mod openapi32;
mod swagger2;

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Origins, Pointer, Result};

/// The fields of a 3.0 path item that hold an operation, by HTTP method.
pub(crate) const OPERATION_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A loaded spec: the parsed document plus what generated crates stamp (label and hash).
#[derive(Debug, Clone)]
pub struct Spec {
    /// How the spec is named in errors and headers (`specs/vinr.yaml`).
    pub label: String,
    pub sha256: String,
    pub doc: OpenAPI,
    /// The document as read, for the few facts `openapiv3` drops (whether `explode` was written).
    pub raw: Value,
    /// What an OpenAPI 3.2 document holds that `openapiv3` does not read (empty otherwise).
    pub additions: openapi32::Additions,
    /// Where the nodes of a rewritten document (Swagger 2.0, 3.2, moved schemas) came from, for errors.
    pub origins: Origins,
}

impl Spec {
    /// `error`, found in the document as loaded, located in the document as written.
    pub fn original(&self, error: Error) -> Error {
        self.origins.translate(error)
    }
}

/// Reads and parses `path`; `label` names it in errors and generated headers.
pub fn load(path: &Path, label: &str) -> Result<Spec> {
    let bytes = std::fs::read(path).map_err(|e| Error::new(label, "", format!("cannot read the spec: {e}")))?;
    parse(&bytes, label)
}

/// Parses spec bytes: JSON with a JSON parser (YAML parsers refuse some valid JSON: surrogate-pair
/// escapes, keys over 1 KB), anything else as YAML.
pub fn parse(bytes: &[u8], label: &str) -> Result<Spec> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let raw: Value = if text.trim_ascii_start().starts_with(b"{") {
        serde_json::from_slice(text).map_err(|e| {
            Error::new(
                label,
                format!("line {} column {}", e.line(), e.column()),
                format!("not valid JSON: {e}")
                    .split(" at line ")
                    .next()
                    .unwrap_or_default(),
            )
        })?
    } else {
        parse_yaml(text, label)?
    };
    check_version(&raw, label)?;
    let from_2 = swagger2::is_swagger_2(&raw);
    let from_32 = openapi32::is_openapi_32(&raw);
    let from_31 = openapi31::is_openapi_31(&raw) || from_32;
    let version = match (from_2, from_32, from_31) {
        (true, ..) => "Swagger 2.0",
        (_, true, _) => "OpenAPI 3.2",
        (.., true) => "OpenAPI 3.1",
        _ => "OpenAPI 3.0",
    };
    let mut raw = raw;
    decode_ref_escapes(&mut raw);
    let mut origins = if from_2 {
        // Checked as written, so a dangling `$ref` is reported as the author spelt it.
        check_refs(&raw, &raw, &Pointer::root(), label)?;
        swagger2::to_openapi_30(&mut raw, label)?
    } else {
        Origins::default()
    };
    if from_32 {
        openapi32::prepare(&mut raw, label)?;
        openapi32::record_origins(&mut origins);
    }
    if from_31 {
        openapi31::to_openapi_30(&mut raw);
    }
    leniency::apply(&mut raw);
    let checked = check_refs(&raw, &raw, &Pointer::root(), label)
        .and_then(|()| inner_refs::hoist(&mut raw, label, &mut origins))
        .and_then(|()| inline_non_component_refs(raw, label))
        .and_then(|mut raw| {
            let additions = if from_32 {
                openapi32::collect(&mut raw, label)?
            } else {
                openapi32::Additions::default()
            };
            let doc: OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|e| {
                // openapiv3 flattens maps, which hides where deep errors are; look closer first.
                let (pointer, message) =
                    locate(&raw).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
                Error::new(
                    label,
                    pointer.to_string(),
                    format!("not a valid {version} document: {message}"),
                )
            })?;
            Ok((doc, raw, additions))
        });
    let (doc, raw, additions) = checked.map_err(|e| origins.translate(e))?;
    Ok(Spec {
        label: label.to_owned(),
        sha256: hex(&Sha256::digest(bytes)),
        doc,
        raw,
        additions,
        origins,
    })
}

/// Deeper than this, counting every `[` and `{` (even inside strings), YAML is refused before
/// parsing: libyaml's scanner spends time per token proportional to the flow depth, so 100,000
/// nested brackets (200 KB) would take minutes, while serde_yaml refuses anything past 128 anyway.
const MAX_FLOW_DEPTH: usize = 1_000;

fn parse_yaml(bytes: &[u8], label: &str) -> Result<Value> {
    check_flow_depth(bytes, label)?;
    serde_yaml::from_slice(bytes).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        let message = e.to_string();
        // serde_yaml appends " at line X column Y"; the location already says it.
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        Error::new(label, location, format!("not valid YAML or JSON: {message}"))
    })
}

fn check_flow_depth(bytes: &[u8], label: &str) -> Result<()> {
    let mut depth = 0usize;
    let (mut line, mut line_start) = (1, 0);
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, line_start) = (line + 1, i + 1),
            _ => {}
        }
        if depth > MAX_FLOW_DEPTH {
            return Err(Error::new(
                label,
                format!("line {line} column {}", i - line_start + 1),
                format!("not valid YAML or JSON: brackets nested more than {MAX_FLOW_DEPTH} deep"),
            ));
        }
    }
    Ok(())
}

fn check_version(raw: &Value, label: &str) -> Result<()> {
    if let Some(version) = raw.get("swagger") {
        return match version.as_str() {
            Some("2.0") => Ok(()),
            _ => Err(Error::new(
                label,
                "#/swagger",
                format!(
                    "Swagger {} is not supported; paykit-codegen reads Swagger 2.0",
                    version.as_str().map_or_else(|| version.to_string(), str::to_owned)
                ),
            )),
        };
    }
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") || v.starts_with("3.2.") => Ok(()),
        Some(v) => Err(Error::new(
            label,
            "#/openapi",
            format!(
                "OpenAPI {v} is not supported; paykit-codegen reads Swagger 2.0 and OpenAPI 3.0.x, 3.1.x and 3.2.x"
            ),
        )),
        None => Err(Error::new(
            label,
            "#/openapi",
            "missing `openapi: 3.0.x`; is this an OpenAPI document?",
        )),
    }
}

/// A `$ref` is a URI, and its fragment a JSON pointer percent-encoded where a URI cannot hold a
/// character (RFC 6901 section 6): `#/paths/~1users~1%7Bid%7D` is the path `/users/{id}`. Each
/// local one is decoded once here, so the rest of the pipeline meets plain pointers. Iterative.
fn decode_ref_escapes(raw: &mut Value) {
    let mut stack = vec![(raw, false)];
    while let Some((node, in_properties)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if !in_properties
                    && let Some(Value::String(reference)) = map.get_mut("$ref")
                    && reference.starts_with('#')
                    && reference.contains('%')
                    && let Ok(decoded) = percent_encoding::percent_decode_str(reference).decode_utf8()
                {
                    *reference = decoded.into_owned();
                }
                for (key, value) in map.iter_mut() {
                    // `example(s)` hold sample data; a `properties` map's keys are names.
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

/// Every `$ref` must be local (`#/…`) and resolve; the error names the node holding the `$ref`.
fn check_refs(root: &Value, node: &Value, at: &Pointer, label: &str) -> Result<()> {
    match node {
        Value::Object(map) => {
            // In a `properties` map, `$ref` is the name of a property, not a reference.
            if let Some(reference) = map.get("$ref").filter(|_| !is_properties(at)) {
                if let Some((key, message)) = crate::ir::beside_ref(map) {
                    return Err(Error::new(label, at.join(key).to_string(), message).about_vocabulary());
                }
                let Some(reference) = reference.as_str() else {
                    return Err(Error::new(
                        label,
                        at.join("$ref").to_string(),
                        "`$ref` must be a string",
                    ));
                };
                let Some(target) = Pointer::from_ref(reference) else {
                    return Err(Error::new(
                        label,
                        at.to_string(),
                        format!("external $ref {reference:?} is not supported; only local refs (#/…) are"),
                    ));
                };
                if root.pointer(target.as_value_pointer()).is_none() {
                    return Err(Error::new(
                        label,
                        at.to_string(),
                        format!("$ref {reference:?} points at nothing"),
                    ));
                }
            }
            for (key, value) in map {
                // `example(s)` hold sample data, not schema: a `$ref` key there is just data.
                if key != "example" && key != "examples" {
                    check_refs(root, value, &at.join(key), label)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_refs(root, item, &at.join(i), label)),
        _ => Ok(()),
    }
}

/// Whether `at` is a schema's `properties` map, whose keys are property names.
fn is_properties(at: &Pointer) -> bool {
    at.as_str().ends_with("/properties")
}

/// How many nodes inlining `$ref`s may produce: a spec whose refs multiply (each one used twice,
/// on and on) is refused instead of filling memory.
const INLINE_BUDGET: usize = 20_000_000;

/// Replaces every local `$ref` that does not name a component (`#/paths/~1pets/get/parameters/0`,
/// a `$ref` path item, a property of a component: `#/components/schemas/Profile/properties/email`)
/// by a copy of its target, so the rest of the pipeline only meets component refs. Iterative, with
/// a budget and a circularity check.
fn inline_non_component_refs(mut raw: Value, label: &str) -> Result<Value> {
    let original = raw.clone();
    let mut budget = INLINE_BUDGET;
    // Each entry: a JSON pointer to visit (without the `#` errors show), and the refs already
    // expanded above it.
    let mut stack: Vec<(String, Vec<String>)> = vec![(String::new(), Vec::new())];
    while let Some((pointer, chain)) = stack.pop() {
        let error_here = |message: String| Error::new(label, format!("#{pointer}"), message);
        budget = budget.checked_sub(1).ok_or_else(|| {
            error_here("the spec's $refs expand to too much; they may multiply each other".to_owned())
        })?;
        let Some(node) = raw.pointer_mut(&pointer) else {
            continue;
        };
        let reference = node
            .get("$ref")
            .and_then(Value::as_str)
            .filter(|_| !pointer.ends_with("/properties"))
            .map(str::to_owned);
        if let Some(reference) = reference.filter(|r| !names_component(r)) {
            if chain.contains(&reference) {
                return Err(error_here(format!("$ref {reference:?} is circular")));
            }
            let target = Pointer::from_ref(&reference)
                .and_then(|target| original.pointer(target.as_value_pointer()))
                .ok_or_else(|| error_here(format!("$ref {reference:?} points at nothing")))?;
            *node = target.clone();
            let mut chain = chain;
            chain.push(reference);
            stack.push((pointer, chain));
            continue;
        }
        let children: Vec<String> = match node {
            Value::Object(map) => map
                .keys()
                // `example(s)` hold sample data, not schema: a `$ref` key there is just data.
                .filter(|key| *key != "example" && *key != "examples")
                .map(|key| format!("{pointer}/{}", Pointer::escape(key)))
                .collect(),
            Value::Array(items) => (0..items.len()).map(|i| format!("{pointer}/{i}")).collect(),
            _ => Vec::new(),
        };
        stack.extend(children.into_iter().map(|child| (child, chain.clone())));
    }
    Ok(raw)
}

/// Whether a `$ref` names a whole component, `#/components/<section>/<name>`: the IR follows
/// those by name (and keeps their type names); anything deeper is copied in, and so are 3.1's
/// `pathItems`, which 3.0 (and the IR) has no section for, and `callbacks`, which an operation
/// (as `openapiv3` reads it) holds only inline.
fn names_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(section, name)| {
            !section.is_empty()
                && section != "pathItems"
                && section != "callbacks"
                && !name.is_empty()
                && !name.contains('/')
        })
}

/// The first operation or component that fails on its own, with the error inside it.
fn locate(raw: &Value) -> Option<(Pointer, String)> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: Pointer) -> Option<(Pointer, String)> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let inner = error.path().iter().fold(at, step);
        Some((inner, error.inner().to_string()))
    }
    let root = Pointer::root();
    for (path, item) in raw.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let at = root.join("paths").join(path);
        for method in OPERATION_METHODS {
            if let Some(op) = item.get(*method) {
                let found = check::<openapiv3::Operation>(op, at.join(method));
                if found.is_some() {
                    return found;
                }
            }
        }
        if let Some(found) = check::<openapiv3::PathItem>(item, at) {
            return Some(found);
        }
    }
    let components = raw.get("components").and_then(Value::as_object)?;
    type Checker = fn(&Value, Pointer) -> Option<(Pointer, String)>;
    let sections: [(&str, Checker); 4] = [
        ("schemas", check::<openapiv3::ReferenceOr<openapiv3::Schema>>),
        ("parameters", check::<openapiv3::ReferenceOr<openapiv3::Parameter>>),
        ("responses", check::<openapiv3::ReferenceOr<openapiv3::Response>>),
        ("requestBodies", check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>),
    ];
    sections.iter().find_map(|(section, check)| {
        let entries = components.get(*section)?.as_object()?;
        entries
            .iter()
            .find_map(|(name, value)| check(value, root.join("components").join(section).join(name)))
    })
}

/// `pointer` one serde path segment further.
pub(crate) fn step(pointer: Pointer, segment: &serde_path_to_error::Segment) -> Pointer {
    use serde_path_to_error::Segment;
    match segment {
        Segment::Seq { index } => pointer.join(index),
        Segment::Map { key } => pointer.join(key),
        Segment::Enum { variant } => pointer.join(variant),
        Segment::Unknown => pointer,
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> Pointer {
    path.iter().fold(Pointer::root(), step)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
