//! `src/types.rs`: one Rust type per named type of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Chunk, cfg, cfg_line, doc_lines, docs, ident, rust_type};
use crate::ir::{Api, ExtraField, Field, TaggedVariant, TypeDef, TypeKind, TypeRef, Variant};

/// One chunk per type, made as it is consumed: a big spec's token streams never all exist at once.
pub fn types_rs(api: &Api) -> impl Iterator<Item = Chunk> + '_ {
    let derives_serde = api.types.iter().any(|t| {
        matches!(
            t.kind,
            TypeKind::Struct { .. } | TypeKind::Union { .. } | TypeKind::Newtype(_)
        )
    });
    // `Serialize` and `Deserialize` are reserved type names (see `ir::names`), and type names are
    // UpperCamelCase, so these cannot clash.
    let as_objects = api
        .types
        .iter()
        .any(|t| matches!(&t.kind, TypeKind::Struct { fields, .. } if as_object(fields)));
    let use_object = as_objects.then(|| {
        quote!(
            use paykit_runtime::object;
        )
    });
    let uses = derives_serde.then(|| {
        Chunk::Tokens(quote!(
            #use_object
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
        TypeKind::Struct { fields, extra } => strukt(docs, &cfg, &name, fields, extra.as_ref()),
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

fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty, false);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if field.optional { quote!(Option<#ty>) } else { ty }
}

fn strukt(
    type_docs: TokenStream,
    cfg: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&ExtraField>,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| f.optional);
    let default = all_optional.then(|| quote!(Default,));
    let as_object = as_object(fields);
    let field_defs = fields.iter().map(|field| {
        let docs = docs(field.doc.as_deref());
        let rust = ident(&field.rust_name);
        let ty = field_type(field);
        if as_object {
            return quote! { #docs pub #rust: #ty };
        }
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
        let flatten = (!as_object).then(|| quote!(#[serde(flatten)]));
        quote! {
            #flatten
            pub #rust: #map
        }
    });
    let constructor = (!all_optional).then(|| constructor(cfg, name, fields, extra));
    let (serde_derives, serde_impls) = if as_object {
        let (from, to) = (
            from_object(cfg, name, fields, extra),
            to_object(cfg, name, fields, extra),
        );
        (None, Some(quote!(#from #to)))
    } else {
        (Some(quote!(Serialize, Deserialize)), None)
    };
    quote! {
        #type_docs
        #cfg
        #[derive(Debug, Clone, PartialEq, #default #serde_derives)]
        pub struct #name { #(#field_defs,)* #extra_def }
        #constructor
        #serde_impls
    }
}

/// Whether a struct's `Serialize` and `Deserialize` are written out, as a JSON object key by key
/// (much cheaper to compile than serde's derives with a flattened map); fields with functions of
/// their own (`x-paykit-lenient`, `x-paykit-bool`) keep the derives.
fn as_object(fields: &[Field]) -> bool {
    fields.iter().all(|f| !f.lenient && !f.int_flag)
}

/// `Serialize` as a map: declared fields in order (an optional one only when set), then the
/// extra map's entries.
fn to_object(
    cfg: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&ExtraField>,
) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let (rust, wire) = (ident(&f.rust_name), &f.wire_name);
        if f.required {
            quote!(map.serialize_entry(#wire, &self.#rust)?;)
        } else {
            quote! {
                if let Some(value) = &self.#rust {
                    map.serialize_entry(#wire, value)?;
                }
            }
        }
    });
    let extra_entries = extra.map(|e| {
        let rust = ident(&e.rust_name);
        quote! {
            for (key, value) in &self.#rust {
                map.serialize_entry(key, value)?;
            }
        }
    });
    // Nothing to write (every property added by the auth hook, none kept): an empty map.
    let binding = if fields.is_empty() && extra.is_none() {
        quote!(let map)
    } else {
        quote!(let mut map)
    };
    quote! {
        #cfg
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                #binding = serializer.serialize_map(None)?;
                #(#entries)*
                #extra_entries
                map.end()
            }
        }
    }
}

/// `Deserialize` through `paykit_runtime::object`: each declared key fills its field, any other
/// goes to the extra map (or is skipped), then required fields are checked.
fn from_object(
    cfg: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&ExtraField>,
) -> TokenStream {
    // The map and the key are named clear of the fields, whose names the slots take.
    let taken: Vec<&str> = fields
        .iter()
        .map(|f| f.rust_name.as_str())
        .chain(extra.map(|e| e.rust_name.as_str()))
        .collect();
    let fresh = |base: &str| {
        let mut name = base.to_owned();
        while taken.contains(&name.as_str()) {
            name.push('_');
        }
        ident(&name)
    };
    let (map, key) = (fresh("map"), fresh("key"));
    let slots = fields.iter().map(|f| {
        let slot = ident(&f.rust_name);
        quote!(let mut #slot = None;)
    });
    let arms = fields.iter().map(|f| {
        let (slot, wire) = (ident(&f.rust_name), &f.wire_name);
        quote!(#wire => object::field(&mut #map, &mut #slot, #wire)?,)
    });
    let (extra_slot, other) = match extra {
        Some(extra) => {
            let slot = ident(&extra.rust_name);
            (
                Some(quote!(let mut #slot = std::collections::BTreeMap::new();)),
                quote! { #slot.insert(#key.into(), #map.next_value()?); },
            )
        }
        None => (None, quote! { #map.next_value::<serde::de::IgnoredAny>()?; }),
    };
    let read = if fields.is_empty() {
        other
    } else {
        quote! {
            match #key.as_str() {
                #(#arms)*
                _ => { #other }
            }
        }
    };
    let read_all = if fields.is_empty() && extra.is_none() {
        quote! {
            while #map.next_key::<object::Key>()?.is_some() {
                #read
            }
        }
    } else {
        quote! {
            while let Some(#key) = #map.next_key::<object::Key>()? {
                #read
            }
        }
    };
    let inits = fields.iter().map(|f| {
        let (slot, wire) = (ident(&f.rust_name), &f.wire_name);
        if f.optional {
            quote!(#slot: #slot.flatten())
        } else {
            quote!(#slot: object::required(#slot, #wire)?)
        }
    });
    let extra_init = extra.map(|e| ident(&e.rust_name));
    let type_name = name.to_string();
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                object::deserialize(deserializer)
            }
        }

        #cfg
        impl object::FromObject for #name {
            const NAME: &'static str = #type_name;

            fn from_object<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                #(#slots)*
                #extra_slot
                #read_all
                Ok(Self { #(#inits,)* #extra_init })
            }
        }
    }
}

/// `new(required fields…)`, everything optional left empty: required fields cannot be forgotten.
fn constructor(
    cfg: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&ExtraField>,
) -> TokenStream {
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
        #cfg
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
