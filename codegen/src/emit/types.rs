//! `src/types.rs`: one Rust type per named type of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Chunk, doc_lines, docs, ident, rust_type};
use crate::ir::{Api, ExtraField, Field, TaggedVariant, TypeDef, TypeKind, TypeRef, Variant};

/// One chunk per type, made as it is consumed: a big spec's token streams never all exist at once.
pub fn types_rs(api: &Api) -> impl Iterator<Item = Chunk> + '_ {
    let derives_serde = api.types.iter().any(|t| {
        matches!(
            t.kind,
            TypeKind::Struct { .. } | TypeKind::Union { .. } | TypeKind::Newtype(_)
        )
    });
    // `Serialize` and `Deserialize` are reserved type names (see `ir::names`), so this cannot clash.
    let use_serde = derives_serde.then(|| {
        Chunk::Tokens(quote!(
            use serde::{Deserialize, Serialize};
        ))
    });
    use_serde.into_iter().chain(api.types.iter().map(type_def))
}

fn type_def(def: &TypeDef) -> Chunk {
    let docs = docs(def.doc.as_deref());
    let name = ident(&def.name);
    Chunk::Tokens(match &def.kind {
        TypeKind::Struct { fields, extra } => strukt(docs, &name, fields, extra.as_ref()),
        TypeKind::Enum {
            variants,
            case_insensitive,
        } => return Chunk::Text(open_enum(def, &name, variants, *case_insensitive)),
        TypeKind::Tagged { property, variants } => return Chunk::Text(tagged_union(def, &name, property, variants)),
        TypeKind::Union { variants } => {
            let variants = variants.iter().map(|(variant, ty)| {
                let variant = ident(variant);
                let ty = rust_type(ty, false);
                quote!(#variant(#ty))
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #(#variants,)* }
            }
        }
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, false);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = rust_type(ty, false);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    })
}

fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty, false);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if field.optional { quote!(Option<#ty>) } else { ty }
}

fn strukt(
    type_docs: TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&ExtraField>,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| f.optional);
    let default = all_optional.then(|| quote!(Default,));
    let field_defs = fields.iter().map(|field| {
        let docs = docs(field.doc.as_deref());
        let rust = ident(&field.rust_name);
        let ty = field_type(field);
        let mut serde = Vec::new();
        if field.wire_name != field.rust_name.trim_start_matches("r#") {
            let wire = &field.wire_name;
            serde.push(quote!(rename = #wire));
        }
        // A missing `Option` is `None` to serde already; `deserialize_with` needs it said.
        if field.optional && (field.lenient || field.int_flag) {
            serde.push(quote!(default));
        }
        if !field.required {
            serde.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        if field.int_flag {
            let with = if field.optional {
                "paykit_runtime::lenient::flag::option"
            } else {
                "paykit_runtime::lenient::flag"
            };
            serde.push(quote!(with = #with));
        }
        if field.lenient {
            let with = if field.optional {
                "paykit_runtime::lenient::option"
            } else {
                "paykit_runtime::lenient::value"
            };
            serde.push(quote!(deserialize_with = #with));
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote! { #docs #serde pub #rust: #ty }
    });
    let extra_def = extra.map(|extra| {
        let rust = ident(&extra.rust_name);
        let map = match &extra.value {
            TypeRef::Json => quote!(paykit_runtime::OtherProperties),
            value => {
                let value = rust_type(value, false);
                quote!(std::collections::BTreeMap<String, #value>)
            }
        };
        quote! {
            #[serde(flatten)]
            pub #rust: #map
        }
    });
    let constructor = (!all_optional).then(|| constructor(name, fields, extra));
    quote! {
        #type_docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        pub struct #name { #(#field_defs,)* #extra_def }
        #constructor
    }
}

/// `new(required fields…)`, everything optional left empty: required fields cannot be forgotten.
fn constructor(name: &proc_macro2::Ident, fields: &[Field], extra: Option<&ExtraField>) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
    let args = required.iter().map(|f| {
        let rust = ident(&f.rust_name);
        if f.ty == TypeRef::String && !f.boxed {
            quote!(#rust: impl Into<String>)
        } else if f.ty == TypeRef::Secret {
            quote!(#rust: impl Into<paykit_runtime::Secret>)
        } else {
            let ty = rust_type(&f.ty, false);
            quote!(#rust: #ty)
        }
    });
    let inits = fields.iter().map(|f| {
        let rust = ident(&f.rust_name);
        match (f.optional, f.boxed, &f.ty) {
            (true, ..) => quote!(#rust: None),
            (false, true, _) => quote!(#rust: Box::new(#rust)),
            (false, false, TypeRef::String | TypeRef::Secret) => quote!(#rust: #rust.into()),
            (false, false, _) => quote!(#rust),
        }
    });
    let extra_init = extra.map(|e| {
        let rust = ident(&e.rust_name);
        quote!(#rust: Default::default(),)
    });
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            /// A value with the required fields set and every optional one empty.
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #extra_init }
            }
        }
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
