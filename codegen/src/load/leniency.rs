//! What published OpenAPI 3.0 documents write that `openapiv3` cannot read, rewritten before it
//! parses them into what they mean:
//!
//! - a callback given as a `$ref` (`callbacks: {onEvent: {$ref: '#/components/callbacks/…'}}`,
//!   which OpenAPI allows but `openapiv3` reads as a path item) is replaced by a copy of the
//!   component it names;
//! - a `pattern` written as a number or boolean (`pattern: 0`; JSON Schema says the value "MUST be
//!   a string") is taken as the text of that scalar.

use serde_json::Value;

/// Data, not schema keywords: a `pattern` key inside these is a value like any other.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const", "x-examples"];

/// Applies both rewrites, in place. Iterative; `$ref`s are checked to resolve before this runs.
pub(super) fn apply(raw: &mut Value) {
    inline_callback_refs(raw);
    let mut stack = vec![&mut *raw];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(pattern) = map.get_mut("pattern")
                    && matches!(pattern, Value::Number(_) | Value::Bool(_))
                {
                    *pattern = Value::String(pattern.to_string());
                }
                stack.extend(
                    map.iter_mut()
                        .filter(|(key, _)| !DATA_KEYS.contains(&key.as_str()))
                        .map(|(_, value)| value),
                );
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// The `callbacks` of every operation: a callback that is a `$ref` to `#/components/callbacks/…`
/// becomes a copy of that component (itself followed through a bounded chain of `$ref`s).
fn inline_callback_refs(raw: &mut Value) {
    let components = raw.pointer("/components/callbacks").cloned().unwrap_or_default();
    let target = |reference: &str| -> Option<Value> {
        let mut reference = reference.to_owned();
        // A component that is itself a `$ref` to another; a cycle ends here unresolved.
        for _ in 0..16 {
            let name = reference.strip_prefix("#/components/callbacks/")?;
            let found = components.get(name.replace("~1", "/").replace("~0", "~"))?;
            match found.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next.to_owned(),
                None => return Some(found.clone()),
            }
        }
        None
    };
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let operations = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(Value::as_object_mut);
    for operation in operations {
        let Some(callbacks) = operation.get_mut("callbacks").and_then(Value::as_object_mut) else {
            continue;
        };
        for callback in callbacks.values_mut() {
            if let Some(found) = callback.get("$ref").and_then(Value::as_str).and_then(&target) {
                *callback = found;
            }
        }
    }
}
