//! Which named types the operations use. A crate holds only those (a component schema no
//! operation reaches, such as GitHub's webhook payloads, costs compile time and serves no method),
//! and with tag features each type is compiled under the features of the operations that use it.

use std::collections::{BTreeSet, HashMap, HashSet};

use heck::ToKebabCase;
use serde_json::Value;

use super::names::ascii_words;
use super::refs::component_name;
use super::{Operation, PathSegment, Payload, TypeDef, TypeRef, innermost};
use crate::error::Pointer;

/// A type used by more features than this is compiled always: gating it would save little and
/// write a long `cfg(any(…))` on it.
const MAX_GATED_FEATURES: usize = 3;

/// Feature names the crate already has.
const RESERVED_FEATURES: [&str; 2] = ["default", "mock"];

/// Keeps the types that an operation or a callback (`callback_types`) uses, directly or through
/// other types. (Client parameters are strings.)
pub(super) fn drop_unused(types: &mut Vec<TypeDef>, operations: &[Operation], callback_types: &[String]) {
    let roots = operations
        .iter()
        .flat_map(mentioned)
        .chain(callback_types.iter().map(String::as_str));
    let used: HashSet<String> = Graph::new(types).reach(roots).into_iter().map(str::to_owned).collect();
    types.retain(|t| used.contains(&t.name));
}

/// One cargo feature per tag (or path group, see [`groups`]): sets each operation's feature and
/// each type's, and returns the feature names, sorted. Operations without a tag, and the types
/// they use, are always compiled; so are the types no tagged operation uses (a callback's, a kept
/// unused schema) and everything they hold. (`Client` holds no named type: client parameters are
/// strings.)
pub(super) fn tag_features(operations: &mut [Operation], types: &mut [TypeDef]) -> Vec<String> {
    let features: Vec<Option<String>> = groups(operations)
        .into_iter()
        .map(|group| group.map(feature_name).filter(|f| !f.is_empty()))
        .collect();
    for (op, feature) in operations.iter_mut().zip(features) {
        op.feature = feature;
    }
    let graph = Graph::new(types);
    let mut by_feature: HashMap<&str, Vec<&Operation>> = HashMap::new();
    for op in operations.iter() {
        if let Some(feature) = &op.feature {
            by_feature.entry(feature).or_default().push(op);
        }
    }
    // A type more than MAX_GATED_FEATURES features use is always compiled, and so is everything it
    // holds (those features reach that too). A walk stops at such a type, so each type is walked
    // at most MAX_GATED_FEATURES + 1 times: time stays linear with a tag per operation.
    let mut users: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (feature, ops) in &by_feature {
        let mut stack: Vec<&str> = ops.iter().flat_map(|op| mentioned(op)).collect();
        let mut seen = HashSet::new();
        while let Some(name) = stack.pop() {
            let Some((name, members)) = graph.0.get_key_value(name) else {
                continue;
            };
            let features = users.entry(name).or_default();
            if seen.insert(*name) && features.len() <= MAX_GATED_FEATURES {
                features.insert(feature);
                stack.extend(members);
            }
        }
    }
    let untagged = operations.iter().filter(|op| op.feature.is_none()).flat_map(mentioned);
    let unclaimed = types
        .iter()
        .map(|t| t.name.as_str())
        .filter(|name| !users.contains_key(name));
    let always = graph.reach(untagged.chain(unclaimed));
    let gated: HashMap<String, Vec<String>> = users
        .into_iter()
        .filter(|(name, features)| features.len() <= MAX_GATED_FEATURES && !always.contains(name))
        .map(|(name, features)| (name.to_owned(), features.into_iter().map(str::to_owned).collect()))
        .collect();
    let features: BTreeSet<String> = by_feature.keys().map(|f| (*f).to_owned()).collect();
    for def in types.iter_mut() {
        def.features = gated.get(&def.name).cloned().unwrap_or_default();
    }
    features.into_iter().collect()
}

/// The part of the API each operation belongs to: its first tag; in a spec without tags, the
/// first segment of its path after any `api` or version segment (Stripe's `/v1/customers/{id}` →
/// `customers`). An operation in no part is `None`.
pub(super) fn groups(operations: &[Operation]) -> Vec<Option<&str>> {
    let tagged = operations.iter().any(|op| !op.tags.is_empty());
    operations
        .iter()
        .map(|op| match op.path.first() {
            _ if tagged => op.tags.first().map(String::as_str),
            Some(PathSegment::Literal(lead)) => {
                // Whole segments only: before a parameter, the text after the last `/` runs into it.
                let whole = match op.path.len() {
                    1 => lead.as_str(),
                    _ => lead.rsplit_once('/').map_or("", |(whole, _)| whole),
                };
                whole
                    .split('/')
                    .find(|segment| !segment.is_empty() && !is_api_or_version(segment))
            }
            _ => None,
        })
        .collect()
}

/// `api`, `v1`, `v2.1`, `2`: a segment that names no part of the API.
fn is_api_or_version(segment: &str) -> bool {
    let version = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    segment.eq_ignore_ascii_case("api")
        || (!version.is_empty() && version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// `Pull Requests` → `pull-requests`; a name the crate already uses gets `-api`.
fn feature_name(tag: &str) -> String {
    let name = ascii_words(tag).to_kebab_case();
    if RESERVED_FEATURES.contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

/// The component schemas the operations' `callbacks` and the document's (3.1) `webhooks` refer
/// to (the requests the API sends to you), through other components too. The load stage has made
/// their inline bodies components.
pub(super) fn callback_schemas(raw: &Value) -> BTreeSet<String> {
    let operations = raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    let mut stack: Vec<&Value> = operations
        .filter_map(|op| op.get("callbacks"))
        .chain(raw.get("webhooks"))
        .collect();
    let (mut followed, mut schemas) = (HashSet::new(), BTreeSet::new());
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => match map.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    if let Some(name) = component_name(reference, "schemas") {
                        schemas.insert(name);
                    } else if followed.insert(reference) {
                        let target = Pointer::from_ref(reference).and_then(|p| raw.pointer(p.as_value_pointer()));
                        stack.extend(target);
                    }
                }
                None => stack.extend(map.values()),
            },
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    schemas
}

/// The named types an operation mentions itself.
fn mentioned(op: &Operation) -> impl Iterator<Item = &str> {
    let params = op.required.iter().chain(&op.optional).map(|p| &p.ty);
    let body = op.body.iter().map(|b| &b.ty);
    let responses = op.responses.iter().filter_map(|r| match &r.payload {
        Payload::Json(ty) | Payload::Sequence(super::Sequence { item: ty, .. }) => Some(ty),
        Payload::None | Payload::Text | Payload::Binary => None,
    });
    let items = op.pagination.iter().map(|p| &p.item);
    params.chain(body).chain(responses).chain(items).filter_map(named)
}

fn named(ty: &TypeRef) -> Option<&str> {
    match innermost(ty) {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

/// Each named type → the named types it holds directly.
struct Graph<'a>(HashMap<&'a str, Vec<&'a str>>);

impl<'a> Graph<'a> {
    fn new(types: &'a [TypeDef]) -> Self {
        Self(
            types
                .iter()
                .map(|def| {
                    (
                        def.name.as_str(),
                        def.kind.members().into_iter().filter_map(named).collect(),
                    )
                })
                .collect(),
        )
    }

    /// Every type reachable from `roots`, the roots included (an explicit stack: a deep chain of
    /// types cannot exhaust the call stack).
    fn reach<'r>(&self, roots: impl Iterator<Item = &'r str>) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        let mut stack: Vec<&str> = roots.filter_map(|r| self.0.get_key_value(r).map(|(k, _)| *k)).collect();
        while let Some(name) = stack.pop() {
            if seen.insert(name) {
                stack.extend(self.0.get(name).into_iter().flatten().copied());
            }
        }
        seen
    }
}
