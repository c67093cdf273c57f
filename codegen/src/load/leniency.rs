//! What published OpenAPI 3.0 documents write that `openapiv3` cannot read, rewritten before it
//! parses them into what they mean:
//!
//! - a `pattern` written as a number or boolean (`pattern: 0`; JSON Schema says the value "MUST be
//!   a string") is taken as the text of that scalar.

use serde_json::Value;

/// Data, not schema keywords: a `pattern` key inside these is a value like any other.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const", "x-examples"];

/// Rewrites `raw` in place. Iterative: a spec cannot nest it into a stack overflow.
pub(super) fn apply(raw: &mut Value) {
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
