//! `src/types.rs`: one Rust type per named type of the IR.

use quote::quote;

use super::{Chunk, cfg, cfg_line, doc_lines, docs, ident, rust_type, type_text};
use crate::ir::{Api, ExtraField, Field, FieldAdapter, Presence, TaggedVariant, TypeDef, TypeKind, TypeRef, Variant};

/// One chunk per type, made as it is consumed: a big spec's token streams never all exist at once.
pub fn types_rs(api: &Api) -> impl Iterator<Item = Chunk> + '_ {
    // `Serialize` and `Deserialize` are reserved type names (see `ir::names`), and type names are
    // UpperCamelCase, so these cannot clash.
    let derives_serde = api
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::Union { .. } | TypeKind::Newtype(_)));
    let uses = derives_serde.then(|| {
        Chunk::Tokens(quote!(
            use serde::{Deserialize, Serialize};
        ))
    });
    uses.into_iter().chain(api.types.iter().map(type_def))
}

fn type_def(def: &TypeDef) -> Chunk {
    let docs = docs(def.doc.as_deref());
    let name = ident(&def.name);
    let cfg = cfg(&def.features);
    let text = |macro_call: String| Chunk::Text(cfg_line(&def.features) + &macro_call);
    Chunk::Tokens(match &def.kind {
        TypeKind::Struct { fields, extra } => return text(object(def, &name, fields, extra.as_ref())),
        TypeKind::Enum {
            variants,
            case_insensitive,
        } => return text(open_enum(def, &name, variants, *case_insensitive)),
        TypeKind::Tagged { property, variants } => return text(tagged_union(def, &name, property, variants)),
        TypeKind::Union { variants } => {
            let variants = variants.iter().map(|(variant, ty)| {
                let variant = ident(variant);
                let ty = rust_type(ty, false);
                quote!(#variant(#ty))
            });
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #(#variants,)* }
            }
        }
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, false);
            quote! { #docs #cfg pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = rust_type(ty, false);
            quote! {
                #docs
                #cfg
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    })
}

/// A struct as a `paykit_runtime::object!` declaration: one line per field with its wire name,
/// `?` where the key may be left out, and its adapter; the macro writes the serde code and
/// `new(required…)`. `Default` too when every field is an `Option`.
fn object(def: &TypeDef, name: &proc_macro2::Ident, fields: &[Field], extra: Option<&ExtraField>) -> String {
    let mut text = String::from("paykit_runtime::object! {\n");
    push_doc(&mut text, "    ", def.doc.as_deref());
    if fields.iter().all(Field::is_option) {
        text.push_str("    #[derive(Default)]\n");
    }
    text.push_str(&format!("    pub struct {name} {{\n"));
    for field in fields {
        push_doc(&mut text, "        ", field.doc.as_deref());
        let mut ty = type_text(&field.ty);
        if field.boxed {
            ty = format!("Box<{ty}>");
        }
        if field.is_option() {
            ty = format!("Option<{ty}>");
        }
        let wire = proc_macro2::Literal::string(&field.wire_name);
        let optional = if field.presence == Presence::Optional { "?" } else { "" };
        let adapter = match field.adapter {
            None => "",
            Some(FieldAdapter::Flag) => " with Flag",
            Some(FieldAdapter::Lenient) => " with Lenient",
        };
        text.push_str(&format!(
            "        {}: {ty} = {wire}{optional}{adapter},\n",
            ident(&field.rust_name)
        ));
    }
    if let Some(extra) = extra {
        let map = match &extra.value {
            TypeRef::Json => "paykit_runtime::OtherProperties".to_owned(),
            value => format!("std::collections::BTreeMap<String, {}>", type_text(value)),
        };
        text.push_str(&format!("        ..{}: {map},\n", ident(&extra.rust_name)));
    }
    text.push_str("    }\n}\n");
    text
}

fn push_doc(text: &mut String, indent: &str, doc: Option<&str>) {
    for line in doc_lines(doc) {
        text.push_str(&format!("{indent}///{line}\n"));
    }
}

/// A `oneOf` with a `discriminator`: `paykit_runtime::tagged_union!` picks the variant by the tag's
/// value and keeps any other as JSON in `Unknown`.
fn tagged_union(def: &TypeDef, name: &proc_macro2::Ident, property: &str, variants: &[TaggedVariant]) -> String {
    let mut text = String::from("paykit_runtime::tagged_union! {\n");
    for line in doc_lines(def.doc.as_deref()) {
        text.push_str(&format!("    ///{line}\n"));
    }
    let tag = proc_macro2::Literal::string(property);
    text.push_str(&format!("    pub enum {name}: {tag} {{\n"));
    for v in variants {
        let values: Vec<String> = v
            .values
            .iter()
            .map(|s| proc_macro2::Literal::string(s).to_string())
            .collect();
        let ty = rust_type(&v.ty, false);
        text.push_str(&format!(
            "        {}({ty}) = {},\n",
            ident(&v.rust_name),
            values.join(" | ")
        ));
    }
    text.push_str("    }\n}\n");
    text
}

/// A string enum that keeps values it does not know in `Unknown`, so one new server value never
/// fails a whole response: `paykit_runtime::open_enum!` declares it with its `as_str`,
/// `From<&str>`, `Display` and serde impls, written out one variant per line.
fn open_enum(def: &TypeDef, name: &proc_macro2::Ident, variants: &[Variant], case_insensitive: bool) -> String {
    let mut text = String::from("paykit_runtime::open_enum! {\n");
    if case_insensitive {
        text.push_str("    #[ascii_case_insensitive]\n");
    }
    for line in doc_lines(def.doc.as_deref()) {
        text.push_str(&format!("    ///{line}\n"));
    }
    text.push_str(&format!("    pub enum {name} {{\n"));
    for v in variants {
        let spellings: Vec<String> = std::iter::once(&v.wire)
            .chain(&v.aliases)
            .map(|s| proc_macro2::Literal::string(s).to_string())
            .collect();
        text.push_str(&format!(
            "        {} = {},\n",
            ident(&v.rust_name),
            spellings.join(" | ")
        ));
    }
    text.push_str("    }\n}\n");
    text
}
