//! `public-api.txt`: the crate's public API, one line per item, sorted, so that its diff in a pull
//! request shows what a regeneration changes for dependents, and [`crate::semver`] can classify it.
//! Types and the `Client`/`MockServer` declarations come from the IR (their runtime macros expand
//! to what the lines say); everything else from the generated source itself.

use std::collections::BTreeSet;

use quote::ToTokens;

use super::{ident, type_text};
use crate::ir::{Api, AuthArg, Presence, TypeDef, TypeKind};

/// The listing, from the IR's types and the generated `client.rs`, `mock.rs` and `lib.rs`.
pub fn listing(api: &Api, sources: &[(&str, &str)]) -> String {
    let mut lines = BTreeSet::new();
    for def in &api.types {
        type_lines(def, &mut lines);
    }
    client_lines(api, &mut lines);
    for (module, source) in sources {
        // Generated files parse (crate_files checked them); a file that did not lists nothing.
        if let Ok(file) = syn::parse_file(source) {
            public_items(&file.items, module, "", &mut lines);
        }
    }
    let mut text =
        String::from("# The public API of this crate, one item per line (see the README's semver policy).\n");
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// What `paykit_runtime::object!`, `open_enum!` and `tagged_union!` declare, and the plain items.
fn type_lines(def: &TypeDef, lines: &mut BTreeSet<String>) {
    let name = format!("types::{}", ident(&def.name));
    let cfg = cfg_suffix(&def.features);
    let mut add = |line: String| lines.insert(format!("{line}{cfg}"));
    match &def.kind {
        TypeKind::Struct { fields, extra } => {
            add(format!("struct {name} #[non_exhaustive]"));
            let mut args = Vec::new();
            for field in fields {
                let mut ty = type_text(&field.ty);
                if field.boxed {
                    ty = format!("Box<{ty}>");
                }
                if field.is_option() {
                    ty = format!("Option<{ty}>");
                }
                if field.presence != Presence::Optional {
                    args.push(format!("{}: {ty}", ident(&field.rust_name)));
                }
                add(format!("field {name}::{}: {ty}", ident(&field.rust_name)));
            }
            if let Some(extra) = extra {
                add(format!(
                    "field {name}::{}: map of {}",
                    ident(&extra.rust_name),
                    type_text(&extra.value)
                ));
            }
            add(format!("fn {name}::new({})", args.join(", ")));
            if fields.iter().all(|f| f.is_option()) {
                add(format!("impl Default for {name}"));
            }
        }
        TypeKind::Enum { variants, .. } => {
            add(format!("enum {name} #[non_exhaustive]"));
            for v in variants {
                add(format!("variant {name}::{} = {:?}", ident(&v.rust_name), v.wire));
            }
            add(format!("variant {name}::Unknown(String)"));
        }
        TypeKind::Tagged { variants, .. } => {
            add(format!("enum {name} #[non_exhaustive]"));
            for v in variants {
                add(format!("variant {name}::{}({})", ident(&v.rust_name), type_text(&v.ty)));
            }
            add(format!("variant {name}::Unknown(serde_json::Value)"));
        }
        TypeKind::Union { variants } => {
            // A new option is a breaking change: matches on it are exhaustive.
            add(format!("enum {name}"));
            for (variant, ty) in variants {
                add(format!("variant {name}::{}({})", ident(variant), type_text(ty)));
            }
        }
        TypeKind::Alias(ty) => {
            add(format!("type {name} = {}", type_text(ty)));
        }
        TypeKind::Newtype(ty) => {
            add(format!("struct {name}({})", type_text(ty)));
        }
    }
}

/// What `paykit_runtime::client!` and `mock_server!` declare.
fn client_lines(api: &Api, lines: &mut BTreeSet<String>) {
    let params: String = api
        .client_params
        .iter()
        .map(|p| format!(", {}: impl Into<String>", ident(&p.rust_name)))
        .collect();
    let auth = match api.auth {
        AuthArg::Any => ", auth: impl paykit_runtime::Auth + 'static",
        AuthArg::None => "",
    };
    lines.extend([
        "struct Client".to_owned(),
        format!(
            "fn Client::new(base_url: impl Into<String>{params}{auth}) -> Result<Self, paykit_runtime::BuildError>"
        ),
        format!("fn Client::from_transport(transport: paykit_runtime::Transport{params}) -> Self"),
        "fn Client::transport(&self) -> &paykit_runtime::Transport".to_owned(),
        "struct mock::MockServer".to_owned(),
        "impl std::ops::Deref for mock::MockServer".to_owned(),
        "async fn mock::MockServer::start() -> Self".to_owned(),
    ]);
}

/// ` #[cfg(feature = …)]` for an item compiled only with some tag features.
fn cfg_suffix(features: &[String]) -> String {
    if features.is_empty() {
        String::new()
    } else {
        format!(" #[cfg(feature in {})]", features.join("|"))
    }
}

/// The public items of a module; `module` prefixes their paths (`mock::`), `cfg` is inherited.
fn public_items(items: &[syn::Item], module: &str, cfg: &str, lines: &mut BTreeSet<String>) {
    for item in items {
        let cfg = format!("{cfg}{}", cfg_of(attrs(item)));
        let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
        match item {
            syn::Item::Struct(s) if public(&s.vis) => {
                let name = format!("{module}{}", s.ident);
                lines.insert(format!("struct {name}{}{cfg}", exhaustiveness(&s.attrs)));
                for (i, field) in s.fields.iter().enumerate() {
                    if public(&field.vis) {
                        let field_name = field.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                        lines.insert(format!("field {name}::{field_name}: {}{cfg}", tokens(&field.ty)));
                    }
                }
            }
            syn::Item::Enum(e) if public(&e.vis) => {
                let name = format!("{module}{}", e.ident);
                lines.insert(format!("enum {name}{}{cfg}", exhaustiveness(&e.attrs)));
                for v in &e.variants {
                    lines.insert(format!("variant {name}::{}{}{cfg}", v.ident, tokens(&v.fields)));
                }
            }
            syn::Item::Impl(i) => {
                let self_ty = format!("{module}{}", tokens(&i.self_ty));
                if let Some((trait_, _)) = &i.trait_ {
                    lines.insert(format!("impl {} for {self_ty}{cfg}", tokens(trait_)));
                    continue;
                }
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member
                        && public(&f.vis)
                    {
                        let sig = &f.sig;
                        let cfg = format!("{cfg}{}", cfg_of(&f.attrs));
                        let asyncness = if sig.asyncness.is_some() { "async " } else { "" };
                        let generics = if sig.generics.params.is_empty() {
                            String::new()
                        } else {
                            tokens(&sig.generics)
                        };
                        let inputs = tokens(&sig.inputs);
                        let output = match &sig.output {
                            syn::ReturnType::Default => String::new(),
                            output => format!(" {}", tokens(output)),
                        };
                        lines.insert(format!(
                            "{asyncness}fn {self_ty}::{}{generics}({}){output}{cfg}",
                            sig.ident,
                            inputs.trim_end_matches(',')
                        ));
                    }
                }
            }
            syn::Item::Mod(m) if public(&m.vis) => {
                if let Some((_, content)) = &m.content {
                    public_items(content, &format!("{module}{}::", m.ident), &cfg, lines);
                }
            }
            syn::Item::Const(c) if public(&c.vis) => {
                lines.insert(format!("const {module}{}: {}{cfg}", c.ident, tokens(&c.ty)));
            }
            syn::Item::Type(t) if public(&t.vis) => {
                lines.insert(format!("type {module}{} = {}{cfg}", t.ident, tokens(&t.ty)));
            }
            syn::Item::Use(u) if public(&u.vis) => {
                lines.insert(format!("use {module}{}{cfg}", tokens(&u.tree)));
            }
            _ => {}
        }
    }
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The `cfg` attributes, as a suffix: an item behind a feature is another API than one without.
fn cfg_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| format!(" {}", tokens(a)))
        .collect()
}

fn exhaustiveness(attrs: &[syn::Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        " #[non_exhaustive]"
    } else {
        ""
    }
}

/// Tokens as compact text: `Result<ResponseValue<types::Payment>, Error<E>>`. `to_string` puts a
/// space between every two tokens; these are the ones Rust is written without.
fn tokens(node: &impl ToTokens) -> String {
    let mut text = node.to_token_stream().to_string();
    for (spaced, tight) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        ("( ", "("),
        (" )", ")"),
        (" (", "("),
        ("& ", "&"),
        ("# [", "#["),
        (" : ", ": "),
        (",>", ">"),
    ] {
        text = text.replace(spaced, tight);
    }
    text
}
