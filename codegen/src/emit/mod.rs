//! Stage 3: IR → Rust source. `quote!` builds token streams, `prettyplease` prints them; the
//! output depends on nothing but the IR, so the same spec gives the same bytes everywhere.

mod api;
mod client;
mod krate;
mod mock;
mod paging;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::error::{Error, Result};
use crate::ir::{Api, TypeRef};

pub use krate::{CrateOptions, INITIAL_VERSION, RuntimeDependency};

/// One file of a generated crate, path relative to the crate's root (`src/lib.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

/// A piece of a generated Rust file: items for prettyplease, or text already laid out (macro
/// invocations, which prettyplease would print on a few long lines).
pub(crate) enum Chunk {
    Tokens(TokenStream),
    Text(String),
}

/// Every file of the crate generated for `api`.
pub fn crate_files(api: &Api, options: &CrateOptions) -> Result<Vec<OutputFile>> {
    // Each chunk is parsed and printed on its own, so memory follows the largest chunk, not the
    // file; text chunks are parsed to check them.
    let rust = |path: &str, chunks: &mut dyn Iterator<Item = Chunk>| -> Result<OutputFile> {
        let internal = |e: syn::Error| {
            Error::new(
                &api.source.label,
                "",
                format!(
                    "internal error: the code generated for {path} does not parse ({e}); please report this with the spec"
                ),
            )
        };
        let mut parts = Vec::new();
        for chunk in chunks {
            parts.push(match chunk {
                Chunk::Tokens(tokens) => {
                    let file = syn::parse2::<syn::File>(tokens).map_err(internal)?;
                    space_items(&prettyplease::unparse(&file))
                }
                Chunk::Text(text) => {
                    syn::parse_file(&text).map_err(internal)?;
                    text
                }
            });
        }
        let code = parts
            .iter()
            .map(|p| p.trim_end())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        Ok(OutputFile {
            path: path.to_owned(),
            contents: format!("{}{code}\n", header(api, "//")),
        })
    };
    let files = vec![
        OutputFile {
            path: "Cargo.toml".to_owned(),
            contents: format!("{}{}", header(api, "#"), krate::manifest(api, options)),
        },
        rust("src/lib.rs", &mut std::iter::once(Chunk::Tokens(krate::lib_rs(api))))?,
        rust("src/types.rs", &mut types::types_rs(api))?,
        rust("src/client.rs", &mut client::client_rs(api).into_iter())?,
        rust("src/mock.rs", &mut mock::mock_rs(api).into_iter())?,
    ];
    let sources: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| match f.path.as_str() {
            "src/lib.rs" | "src/client.rs" => Some(("", f.contents.as_str())),
            "src/mock.rs" => Some(("mock::", f.contents.as_str())),
            _ => None,
        })
        .collect();
    let listing = api::listing(api, &sources);
    let mut files = files;
    files.push(OutputFile {
        path: "public-api.txt".to_owned(),
        contents: format!("{}{listing}", header(api, "#")),
    });
    Ok(files)
}

/// A blank line between items, as a person would write them: at the top level and inside
/// `impl` and `mod` blocks (prettyplease prints none). Consecutive `use` lines stay together.
/// prettyplease's output is regular enough to read by indentation: in an item container, every
/// line at the container's own indentation starts or ends an item.
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    // Indentations at which items are listed: the top level, and the body of each open
    // `impl`/`mod` block (with the indentation of its opening line, to know when it closes).
    let mut containers: Vec<(usize, usize)> = vec![(0, usize::MAX)];
    let mut previous: Option<&str> = None;
    // The first line of the item being printed at the innermost container's level.
    let mut item_start = "";
    for line in code.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(&(_, opened_at)) = containers.last()
            && indent == opened_at
            && trimmed.starts_with('}')
        {
            containers.pop();
        }
        let in_container = containers.last().is_some_and(|&(items_at, _)| items_at == indent);
        let starts_item = match previous {
            None => in_container,
            Some(prev) => {
                let prev_trimmed = prev.trim_start();
                let prev_ended_item = prev.len() - prev_trimmed.len() == indent
                    && (prev_trimmed.ends_with('}') || prev_trimmed.ends_with(';'))
                    && !prev_trimmed.starts_with("//");
                // A `use` spread over lines (`use a::{` … `};`) stays beside the next `use` too.
                let both_use = item_start.starts_with("use ") && trimmed.starts_with("use ");
                let starts_item = in_container && prev_ended_item && !trimmed.starts_with('}');
                if starts_item && !both_use {
                    out.push('\n');
                }
                starts_item
            }
        };
        if starts_item {
            item_start = trimmed;
        }
        let opens_container = ["impl ", "impl<", "pub mod ", "mod ", "pub trait ", "trait "]
            .iter()
            .any(|k| trimmed.starts_with(k))
            && trimmed.ends_with('{');
        if in_container && opens_container {
            containers.push((indent + 4, indent));
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// The first line of every generated file. It names the spec but not its hash, so that a spec
/// change rewrites only the files whose code changes: the hash is stamped once, in `Cargo.toml`.
pub fn header(api: &Api, comment: &str) -> String {
    format!(
        "{comment} @generated by paykit-codegen from {}. Do not edit.\n",
        api.source.label
    )
}

/// An identifier from an IR name (IR names are already valid; `r#` marks raw identifiers).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc]` attributes for spec text.
pub(crate) fn docs(text: Option<&str>) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// Spec text as doc lines. Lines are unindented; every code fence becomes `text`, so prose from a
/// spec never runs as a doctest; bare carriage returns end lines, and the Unicode controls that
/// reorder text (which rustc refuses in source) are dropped.
pub(crate) fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .collect();
    let mut fence: Option<&str> = None;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            let line = match (marker, fence) {
                (Some(m), None) => {
                    fence = Some(m);
                    format!("{m}text")
                }
                (Some(m), Some(open)) if m == open && trimmed.trim_end() == m => {
                    fence = None;
                    m.to_owned()
                }
                (_, Some(_)) => line.to_owned(),
                (None, None) => link_bare_urls(trimmed),
            };
            if line.is_empty() { line } else { format!(" {line}") }
        })
        .collect()
}

/// Bare `http(s)://` URLs in prose as `<…>` autolinks (rustdoc warns about bare ones); URLs in
/// code spans, autolinks and Markdown links stay as written.
fn link_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let bare = !in_code
            && (rest.starts_with("http://") || rest.starts_with("https://"))
            && !out.ends_with('<')
            && !out.ends_with("](");
        if bare {
            let end = rest
                .find(|c: char| c.is_whitespace() || "<>\"'`()[]".contains(c))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        if c == '`' {
            in_code = !in_code;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Explicit bidirectional formatting characters (embeddings, overrides, isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `#[cfg(feature = "…")]` on an item compiled only with some of the crate's tag features;
/// nothing for an item always compiled.
pub(crate) fn cfg(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `#[allow(unused_imports)]` for a crate with tag features: with only some of them on, an import
/// may have no user left.
pub(crate) fn allow_unused_imports(api: &Api) -> TokenStream {
    if api.features.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[allow(unused_imports)])
    }
}

/// [`cfg`] as a line of text, for the items written as text.
pub(crate) fn cfg_line(features: &[String]) -> String {
    let feature = |f: &String| format!("feature = {}", proc_macro2::Literal::string(f));
    match features {
        [] => String::new(),
        [one] => format!("#[cfg({})]\n", feature(one)),
        many => format!(
            "#[cfg(any({}))]\n",
            many.iter().map(feature).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The Rust type of a type expression; `qualify` prefixes named types with `types::`.
pub(crate) fn rust_type(ty: &TypeRef, qualify: bool) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            if qualify { quote!(types::#name) } else { quote!(#name) }
        }
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(paykit_runtime::Secret),
        TypeRef::File => quote!(paykit_runtime::File),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(paykit_runtime::serde_json::Value),
        TypeRef::Vec(item) => {
            let item = rust_type(item, qualify);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, qualify);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Optional(inner) => {
            let inner = rust_type(inner, qualify);
            quote!(Option<#inner>)
        }
    }
}

/// The Rust type of a type expression, as text (for the items written as text).
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => ident(name).to_string(),
        TypeRef::Vec(item) => format!("Vec<{}>", type_text(item)),
        TypeRef::Map(value) => format!("std::collections::BTreeMap<String, {}>", type_text(value)),
        TypeRef::Optional(inner) => format!("Option<{}>", type_text(inner)),
        scalar => rust_type(scalar, false).to_string().replace(' ', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::link_bare_urls;

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            link_bare_urls("See https://a.example/x?y=1. Or (https://b.example/{id})."),
            "See <https://a.example/x?y=1>. Or (<https://b.example/{id}>)."
        );
        for kept in [
            "`https://a.example` in code",
            "<https://a.example> already",
            "[a link](https://a.example)",
        ] {
            assert_eq!(link_bare_urls(kept), kept);
        }
    }
}
