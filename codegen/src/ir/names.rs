//! All naming rules: case (heck), Rust keywords, non-ASCII (deunicode), collisions.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use super::Server;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Type names generated code uses unqualified; a schema with one of these names is renamed.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Eq",
    "Err",
    "From",
    "Hash",
    "Into",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Some",
    "String",
    "Sync",
    "ToString",
    "Vec",
];

/// Method names `Client` already has
/// (and, since the mock server mirrors the client, the `MockServer`'s own methods).
const RESERVED_METHODS: &[&str] = &[
    "new",
    "from_transport",
    "transport",
    "start",
    "url",
    "server",
    "reset",
    "route",
];

/// ASCII words of `raw`: transliterated, everything else a separator.
pub(super) fn ascii_words(raw: &str) -> String {
    deunicode::deunicode(raw)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `payment_method`, `r#type`, `_3ds`, `plus_1` (`+1`), `v2`; never empty.
pub fn snake(raw: &str) -> String {
    // A sign before a number is part of the name: GitHub's reactions are `+1` and `-1`.
    let sign = match raw.as_bytes() {
        [b'+', digit, ..] if digit.is_ascii_digit() => "plus ",
        [b'-', digit, ..] if digit.is_ascii_digit() => "minus ",
        _ => "",
    };
    let mut name = ascii_words(&format!("{sign}{raw}")).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        // `_1` is no name (clippy's `just_underscores_and_digits`).
        name.insert(0, 'v');
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// `PaymentStatus`, `V3ds`; never empty, never a keyword.
pub fn camel(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// A type name, kept clear of the names generated code uses itself.
pub fn type_name(raw: &str) -> String {
    let mut name = camel(raw);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// The catch-all variant every open enum and tagged union has for values it does not know.
pub const CATCH_ALL: &str = "Unknown";

/// A variant name clear of [`CATCH_ALL`]: a spec value (or option type) that would take its name
/// is `UnknownValue`, which says it is one of the known values.
pub fn variant_name(name: String) -> String {
    if name == CATCH_ALL {
        format!("{name}Value")
    } else {
        name
    }
}

pub fn method_name(raw: &str) -> String {
    let mut name = snake(raw);
    if RESERVED_METHODS.contains(&name.as_str()) {
        name.push_str("_operation");
    }
    name
}

/// Hands out names unique within one scope, by suffixing `2`, `3`, … in order of request.
#[derive(Debug, Default)]
pub struct Scope {
    used: BTreeSet<String>,
    /// The next number to try after a taken name: thousands of clashing names stay linear.
    next: BTreeMap<String, u64>,
}

impl Scope {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            used: reserved.iter().map(|s| s.to_string()).collect(),
            next: BTreeMap::new(),
        }
    }

    pub fn claim(&mut self, candidate: String) -> String {
        if self.used.insert(candidate.clone()) {
            return candidate;
        }
        let separator = if candidate.starts_with(|c: char| c.is_ascii_lowercase()) || candidate.starts_with("r#") {
            "_"
        } else {
            ""
        };
        let base = candidate.trim_start_matches("r#").to_owned();
        let next = self.next.entry(base.clone()).or_insert(2);
        loop {
            let name = format!("{base}{separator}{next}");
            *next += 1;
            if self.used.insert(name.clone()) {
                return name;
            }
        }
    }
}

/// Text for one line of generated docs or a manifest: whitespace runs (line breaks included)
/// become one space, other control characters and bidirectional formatting characters go.
pub fn one_line(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .filter(
            |c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
        )
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A valid Cargo package name from free text (a spec's file name): ASCII letters, digits, `-`
/// and `_`, every other run of characters one `-`; `client` if nothing is left.
pub fn package_name(text: &str) -> String {
    let mut name = String::new();
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if name.is_empty() { "client".to_owned() } else { name }
}

pub fn servers(servers: &[openapiv3::Server]) -> Vec<Server> {
    let mut scope = Scope::default();
    servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            let from_description = server
                .description
                .as_deref()
                .map(|d| ascii_words(d).to_shouty_snake_case());
            let candidate = match from_description {
                Some(name) if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) => name,
                _ => format!("SERVER_{}", i + 1),
            };
            Server {
                const_name: scope.claim(candidate),
                url: server.url.clone(),
                description: server.description.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("returnUrl"), "return_url");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("created.gte"), "created_gte");
        assert_eq!(snake("3ds"), "_3ds");
        assert_eq!(snake("+1"), "plus_1");
        assert_eq!(snake("-1"), "minus_1");
        assert_eq!(snake("2"), "v2");
        assert_eq!(snake("1-2"), "v1_2");
        assert_eq!(snake("prénom"), "prenom");
        assert_eq!(snake("💳"), "credit_card");
        assert_eq!(snake("$$"), "value");
        assert_eq!(snake("X-Api-Key"), "x_api_key");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("requires_action"), "RequiresAction");
        assert_eq!(camel("PENNDING"), "Pennding");
        assert_eq!(camel("2XX"), "V2xx");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(camel("*"), "Value");
    }

    #[test]
    fn scopes_deduplicate_in_order() {
        let mut s = Scope::default();
        assert_eq!(s.claim("a".into()), "a");
        assert_eq!(s.claim("a".into()), "a_2");
        assert_eq!(s.claim("r#type".into()), "r#type");
        assert_eq!(s.claim("r#type".into()), "type_2");
        assert_eq!(s.claim("Pay".into()), "Pay");
        assert_eq!(s.claim("Pay".into()), "Pay2");
    }
}
