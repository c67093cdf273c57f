//! What the contract test needs to know about a spec, read from the spec itself (not from the
//! generated client): its operations, the error statuses each documents, the named examples Prism
//! can be asked for, and the `oneOf` branches a success body can take.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// HTTP methods an OpenAPI path item can hold operations under.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The status asked for to exercise a `default` response: one no spec here documents by number.
pub const DEFAULT_STATUS: u16 = 503;

/// How deep the walks below go (the VR pay schemas nest recursively).
const MAX_DEPTH: usize = 64;

/// A `oneOf` (or `anyOf`) in the spec, by its JSON pointer, e.g. `/components/schemas/PhpFlag`.
pub type Site = String;

/// A spec, read with the codegen's own loader (YAML to JSON, every `$ref` checked).
pub struct Spec {
    raw: Value,
    pub operations: Vec<Operation>,
}

/// One operation of a spec.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    /// `GET /payments/{id}`, for messages.
    pub route: String,
    /// Names of the named examples (`examples:`) of the success response.
    pub success_examples: Vec<String>,
    /// JSON pointer of the success body's schema.
    success_schema: Option<String>,
    pub errors: Vec<ErrorStatus>,
}

/// A documented error status of an operation.
#[derive(Debug, Clone)]
pub struct ErrorStatus {
    pub code: u16,
    /// Documented only through the `default` response.
    pub from_default: bool,
    /// Names of its named examples.
    pub examples: Vec<String>,
}

impl Spec {
    /// Reads `dir/<stem>.yaml`; the operations are in the spec's order.
    pub fn load(dir: &Path, stem: &str) -> Result<Self, String> {
        let path = dir.join(format!("{stem}.yaml"));
        let label = format!("specs/{stem}.yaml");
        let raw = paykit_codegen::load::load(&path, &label)
            .map_err(|e| e.to_string())?
            .raw;
        let mut operations = Vec::new();
        let paths = raw["paths"].as_object().ok_or("the spec has no paths")?;
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let route = format!("{} {path}", method.to_uppercase());
                let id = op["operationId"]
                    .as_str()
                    .ok_or_else(|| format!("{route} has no operationId"))?;
                let pointer = format!("/paths/{}/{method}", escape(path));
                operations.push(operation(&raw, id, route, &pointer, op));
            }
        }
        Ok(Self { raw, operations })
    }

    /// Every `oneOf` reachable in `op`'s success body below `at` (a JSON pointer into the body:
    /// where the client decodes from, e.g. `/data/0`), with its branches.
    pub fn one_of_sites(&self, op: &Operation, at: &str) -> BTreeMap<Site, Vec<String>> {
        let mut sites = BTreeMap::new();
        if let Some((pointer, schema)) = self.body_schema(op, at) {
            self.collect_sites(pointer, schema, &mut sites, &mut BTreeSet::new(), 0);
        }
        sites
    }

    /// Records the branch each `oneOf` in `value` took: `value` is the body as decoded (and
    /// serialized again) from `at`.
    pub fn branches_taken(&self, op: &Operation, at: &str, value: &Value, taken: &mut BTreeSet<(Site, String)>) {
        if let Some((pointer, schema)) = self.body_schema(op, at) {
            self.walk(pointer, schema, value, taken, 0);
        }
    }

    /// The schema of the success body at `at`, with its pointer.
    fn body_schema(&self, op: &Operation, at: &str) -> Option<(String, &Value)> {
        let start = op.success_schema.as_deref()?;
        let (mut pointer, mut schema) = self.follow(start.to_owned(), self.raw.pointer(start)?);
        for segment in at.split('/').skip(1) {
            let child = if segment.parse::<usize>().is_ok() {
                format!("{pointer}/items")
            } else {
                format!("{pointer}/properties/{}", escape(segment))
            };
            (pointer, schema) = self.follow(child.clone(), self.raw.pointer(&child)?);
        }
        Some((pointer, schema))
    }

    /// Follows `$ref`s from `schema` (found at `pointer`): the schema and where it is.
    fn follow<'a>(&'a self, mut pointer: String, mut schema: &'a Value) -> (String, &'a Value) {
        for _ in 0..MAX_DEPTH {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let target = reference.trim_start_matches('#');
            match self.raw.pointer(target) {
                Some(resolved) => (pointer, schema) = (target.to_owned(), resolved),
                None => break,
            }
        }
        (pointer, schema)
    }

    fn collect_sites(
        &self,
        pointer: String,
        schema: &Value,
        sites: &mut BTreeMap<Site, Vec<String>>,
        visited: &mut BTreeSet<String>,
        depth: usize,
    ) {
        let (pointer, schema) = self.follow(pointer, schema);
        if depth > MAX_DEPTH || !visited.insert(pointer.clone()) {
            return;
        }
        for (key, list) in alternatives(schema) {
            let labels = list.iter().enumerate().map(|(i, b)| branch_label(b, i)).collect();
            sites.insert(pointer.clone(), labels);
            for (i, branch) in list.iter().enumerate() {
                self.collect_sites(format!("{pointer}/{key}/{i}"), branch, sites, visited, depth + 1);
            }
        }
        for (child_pointer, child) in children(&pointer, schema) {
            self.collect_sites(child_pointer, child, sites, visited, depth + 1);
        }
    }

    fn walk(&self, pointer: String, schema: &Value, value: &Value, taken: &mut BTreeSet<(Site, String)>, depth: usize) {
        let (pointer, schema) = self.follow(pointer, schema);
        if depth > MAX_DEPTH {
            return;
        }
        // Like the generated untagged enums: the first branch the value fits.
        for (key, list) in alternatives(schema) {
            if let Some((i, branch)) = list.iter().enumerate().find(|(_, b)| self.fits(b, value)) {
                taken.insert((pointer.clone(), branch_label(branch, i)));
                self.walk(format!("{pointer}/{key}/{i}"), branch, value, taken, depth + 1);
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for (i, part) in all.iter().enumerate() {
                self.walk(format!("{pointer}/allOf/{i}"), part, value, taken, depth + 1);
            }
        }
        match value {
            Value::Object(map) => {
                for (name, item) in map {
                    if let Some(property) = schema.get("properties").and_then(|p| p.get(name)) {
                        let child = format!("{pointer}/properties/{}", escape(name));
                        self.walk(child, property, item, taken, depth + 1);
                    } else if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
                        self.walk(format!("{pointer}/additionalProperties"), extra, item, taken, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.walk(format!("{pointer}/items"), item_schema, item, taken, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether `value` has the JSON type and the required properties of `schema`.
    fn fits(&self, schema: &Value, value: &Value) -> bool {
        let (_, schema) = self.follow(String::new(), schema);
        if value.is_null() {
            return schema.get("nullable") == Some(&Value::Bool(true));
        }
        let type_fits = match schema.get("type").and_then(Value::as_str) {
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            _ => true,
        };
        let required = schema.get("required").and_then(Value::as_array);
        let required_fit = required.is_none_or(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .all(|name| value.get(name).is_some())
        });
        let all_fit = schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_none_or(|parts| parts.iter().all(|part| self.fits(part, value)));
        type_fits && required_fit && all_fit
    }
}

fn operation(raw: &Value, id: &str, route: String, pointer: &str, op: &Value) -> Operation {
    let mut result = Operation {
        id: id.to_owned(),
        route,
        success_examples: Vec::new(),
        success_schema: None,
        errors: Vec::new(),
    };
    let Some(responses) = op["responses"].as_object() else {
        return result;
    };
    let documented: BTreeSet<u16> = responses.keys().filter_map(|k| k.parse().ok()).collect();
    for (key, response) in responses {
        let (response_pointer, response) = resolve(raw, format!("{pointer}/responses/{key}"), response);
        let media = json_media(response);
        let examples = media.map(|(_, m)| example_names(m)).unwrap_or_default();
        match key.parse::<u16>() {
            Ok(code) if (200..300).contains(&code) => {
                result.success_examples = examples;
                result.success_schema = media
                    .filter(|(_, m)| m.get("schema").is_some())
                    .map(|(mime, _)| format!("{response_pointer}/content/{}/schema", escape(mime)));
            }
            Ok(code) if code >= 400 => result.errors.push(ErrorStatus {
                code,
                from_default: false,
                examples,
            }),
            Ok(_) => {}
            Err(_) if key == "default" && !documented.contains(&DEFAULT_STATUS) => result.errors.push(ErrorStatus {
                code: DEFAULT_STATUS,
                from_default: true,
                examples,
            }),
            Err(_) => {}
        }
    }
    result
}

/// Follows `$ref`s (local ones: the loader refuses any other), keeping track of where they lead.
fn resolve<'a>(raw: &'a Value, mut pointer: String, mut value: &'a Value) -> (String, &'a Value) {
    for _ in 0..MAX_DEPTH {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let target = reference.trim_start_matches('#');
        match raw.pointer(target) {
            Some(resolved) => (pointer, value) = (target.to_owned(), resolved),
            None => break,
        }
    }
    (pointer, value)
}

/// The JSON media type of a response (`application/json` or a `+json` one), with its name.
fn json_media(response: &Value) -> Option<(&str, &Value)> {
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(mime, _)| *mime == "application/json" || mime.ends_with("+json"))
        .map(|(mime, media)| (mime.as_str(), media))
}

fn example_names(media: &Value) -> Vec<String> {
    media
        .get("examples")
        .and_then(Value::as_object)
        .map(|examples| examples.keys().cloned().collect())
        .unwrap_or_default()
}

/// A schema's `oneOf` and `anyOf` lists.
fn alternatives(schema: &Value) -> impl Iterator<Item = (&'static str, &Vec<Value>)> {
    ["oneOf", "anyOf"]
        .into_iter()
        .filter_map(|key| Some((key, schema.get(key)?.as_array()?)))
}

/// The subschemas a value nested in one of `schema`'s values is described by.
fn children<'a>(pointer: &str, schema: &'a Value) -> Vec<(String, &'a Value)> {
    let mut children = Vec::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            children.push((format!("{pointer}/properties/{}", escape(name)), property));
        }
    }
    if let Some(items) = schema.get("items") {
        children.push((format!("{pointer}/items"), items));
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        children.push((format!("{pointer}/additionalProperties"), extra));
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for (i, part) in all.iter().enumerate() {
            children.push((format!("{pointer}/allOf/{i}"), part));
        }
    }
    children
}

/// A branch as the generated enum names its variant: the referenced schema's name, else its type.
fn branch_label(branch: &Value, index: usize) -> String {
    match branch.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.rsplit('/').next().unwrap_or(reference).to_owned(),
        None => match branch.get("type").and_then(Value::as_str) {
            Some(ty) => ty.to_owned(),
            None => format!("branch {index}"),
        },
    }
}

/// A JSON pointer segment (`/` and `~` escaped).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `/components/schemas/PhpFlag` -> `PhpFlag`, for messages.
pub fn site_name(site: &str) -> &str {
    site.strip_prefix("/components/schemas/").unwrap_or(site)
}
