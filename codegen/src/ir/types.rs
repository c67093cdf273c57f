//! Schemas → named types. Components keep their names; inline schemas that need a type of their
//! own get one from their context (`Payment` + `customer` → `PaymentCustomer`).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::extensions::{self, Extensions};
use super::names::{self, CATCH_ALL, Scope, camel, snake, type_name};
use super::refs::{Refs, component_name};
use super::{ExtraField, Field, FieldAdapter, Presence, TaggedVariant, TypeDef, TypeKind, TypeRef, Variant};
use crate::error::{Pointer, Result};
use crate::load::Spec;

/// A schema or a `$ref` to one, whichever box it came in.
#[derive(Debug, Clone, Copy)]
pub enum SchemaNode<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaNode<'a> {
    fn from(node: &'a ReferenceOr<Schema>) -> Self {
        match node {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Item(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaNode<'a> {
    fn from(node: &'a ReferenceOr<Box<Schema>>) -> Self {
        match node {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Item(schema),
        }
    }
}

/// What a schema turns into: an existing type expression, or a new type that needs a name.
enum Shape {
    Existing(TypeRef),
    New(TypeKind),
}

/// What a schema says about its values (see `TypeSpace::reading`).
enum Reading<'a> {
    String {
        format: Option<&'a str>,
        /// Its `enum`: an open enum when not empty.
        values: Vec<String>,
    },
    Integer {
        format: Option<&'a str>,
    },
    Number {
        format: Option<&'a str>,
    },
    Boolean,
    Array {
        items: Option<SchemaNode<'a>>,
    },
    /// Declared properties or `additionalProperties`: a struct, or a map when it has only the latter.
    Object(Properties<'a>),
    /// `allOf` parts merged, with the schema's own properties beside them.
    AllOf {
        parts: &'a [ReferenceOr<Schema>],
        own: Properties<'a>,
    },
    OneOf(&'a [ReferenceOr<Schema>]),
    AnyOf(&'a [ReferenceOr<Schema>]),
    /// Nothing about its shape: any JSON value.
    Any,
}

impl<'a> Reading<'a> {
    fn object(
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        at: &Pointer,
    ) -> Self {
        let mut props = Properties::default();
        props.add_object(properties, required, additional, at);
        Self::Object(props)
    }
}

/// A `format`, by the name the spec wrote, whether openapiv3 knows it or not.
fn format_name<T>(format: &VariantOrUnknownOrEmpty<T>, known: fn(&T) -> &'static str) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &StringFormat) -> &'static str {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

fn integer_format(format: &IntegerFormat) -> &'static str {
    match format {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    }
}

fn number_format(format: &NumberFormat) -> &'static str {
    match format {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

/// Properties gathered for one struct (from `properties`, or merged from `allOf` parts).
#[derive(Default)]
struct Properties<'a> {
    list: Vec<(String, SchemaNode<'a>, Pointer)>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, Pointer)>,
}

pub struct TypeSpace<'a> {
    refs: Refs<'a>,
    extensions: &'a Extensions,
    scope: Scope,
    /// Component schema name → Rust type name.
    components: BTreeMap<String, String>,
    defs: BTreeMap<String, TypeDef>,
}

impl<'a> TypeSpace<'a> {
    /// Names every component schema first (so they keep their names), then converts them.
    pub fn new(spec: &'a Spec, extensions: &'a Extensions) -> Result<Self> {
        let mut space = Self {
            refs: Refs::new(&spec.doc, &spec.label),
            extensions,
            scope: Scope::default(),
            components: BTreeMap::new(),
            defs: BTreeMap::new(),
        };
        let Some(components) = &spec.doc.components else {
            return Ok(space);
        };
        for name in components.schemas.keys() {
            let rust = space.scope.claim(type_name(name));
            space.components.insert(name.clone(), rust);
        }
        for (name, schema) in &components.schemas {
            let at = Pointer::root().join("components").join("schemas").join(name);
            let rust = space.components[name].clone();
            let (doc, shape) = match SchemaNode::from(schema) {
                SchemaNode::Ref(reference) => (None, Shape::Existing(space.ref_type(reference, &at)?)),
                // Only ever a property the auth hook adds, which no generated type holds.
                SchemaNode::Item(_) if extensions.schema(&at).auth_param => continue,
                SchemaNode::Item(schema) => (schema.schema_data.description.clone(), space.shape(schema, &rust, &at)?),
            };
            let kind = match shape {
                Shape::Existing(ty) => TypeKind::Alias(ty),
                Shape::New(kind) => kind,
            };
            space.defs.insert(
                rust.clone(),
                TypeDef {
                    name: rust,
                    doc,
                    kind,
                    features: Vec::new(),
                },
            );
        }
        // Only component schemas are aliases: untied here, before anything follows an alias
        // (parameters, bodies, unwraps, pagination pointers) and would go round a cycle forever.
        untie_alias_cycles(&mut space.defs);
        Ok(space)
    }

    /// The Rust type of a component schema.
    pub fn component_type(&self, schema: &str) -> Option<String> {
        self.components.get(schema).cloned()
    }

    pub fn refs(&self) -> Refs<'a> {
        self.refs
    }

    /// The spec's `x-paykit-*` values.
    pub fn extensions(&self) -> &'a Extensions {
        self.extensions
    }

    /// What a named type is, for callers that accept only some kinds.
    pub fn kind(&self, name: &str) -> Option<&TypeKind> {
        self.defs.get(name).map(|def| &def.kind)
    }

    /// The type of `node`; an inline schema that needs a type of its own is named after `hint`.
    pub fn type_of(&mut self, node: SchemaNode<'a>, hint: &str, at: &Pointer) -> Result<TypeRef> {
        match node {
            SchemaNode::Ref(reference) => self.ref_type(reference, at),
            SchemaNode::Item(schema) => match self.shape(schema, hint, at)? {
                Shape::Existing(ty) => Ok(ty),
                Shape::New(kind) => {
                    let name = self.scope.claim(type_name(hint));
                    let doc = schema.schema_data.description.clone();
                    self.defs.insert(
                        name.clone(),
                        TypeDef {
                            name: name.clone(),
                            doc,
                            kind,
                            features: Vec::new(),
                        },
                    );
                    Ok(TypeRef::Named(name))
                }
            },
        }
    }

    /// Whether `node` (or the component it points at) is `nullable`.
    /// `x-paykit-bool` on an integer `0`/`1` schema: a `bool` in Rust, written as the integer.
    fn int_flag(&self, node: SchemaNode<'a>, at: &Pointer) -> Result<TypeRef> {
        let (schema, at) = self.resolve(node, at)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(_)) => Ok(TypeRef::Bool),
            _ => Err(self
                .refs
                .error(
                    &at.join(extensions::BOOL),
                    "x-paykit-bool belongs on an integer schema (a 0/1 flag)",
                )
                .about_vocabulary()),
        }
    }

    /// `x-paykit-enum-aliases: {PENNDING: pending}`: other spellings the server sends for an enum
    /// value, as `(alias, value)` pairs.
    fn aliases(&self, values: &[String], at: &Pointer) -> Result<Vec<(String, String)>> {
        let mut aliases = Vec::new();
        for (alias, value) in &self.extensions.schema(at).enum_aliases {
            if !values.contains(value) {
                let at = at.join(extensions::ALIASES).join(alias);
                return Err(self.refs.error(&at, "not one of the enum's values").about_vocabulary());
            }
            aliases.push((alias.clone(), value.clone()));
        }
        Ok(aliases)
    }

    /// Whether `node` is an object whose every property the auth hook adds (`x-paykit-auth-param`):
    /// a body that carries only a signature, which the caller has nothing to put in.
    pub fn only_auth_params(&self, node: SchemaNode<'a>, at: &Pointer) -> Result<bool> {
        let (schema, at) = self.resolve(node, at)?;
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return Ok(false);
        };
        if object.properties.is_empty() || object.additional_properties.is_some() {
            return Ok(false);
        }
        for (name, property) in &object.properties {
            let (_, at) = self.resolve(SchemaNode::from(property), &at.join("properties").join(name))?;
            if !self.extensions.schema(&at).auth_param {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub fn nullable(&self, node: SchemaNode<'a>, at: &Pointer) -> Result<bool> {
        Ok(self.resolve(node, at)?.0.schema_data.nullable)
    }

    fn resolve(&self, node: SchemaNode<'a>, at: &Pointer) -> Result<(&'a Schema, Pointer)> {
        match node {
            SchemaNode::Item(schema) => Ok((schema, at.clone())),
            SchemaNode::Ref(reference) => self.refs.follow(reference, at),
        }
    }

    fn ref_type(&self, reference: &str, at: &Pointer) -> Result<TypeRef> {
        component_name(reference, "schemas")
            .and_then(|name| self.components.get(&name))
            .map(|rust| TypeRef::Named(rust.clone()))
            .ok_or_else(|| {
                self.refs.error(
                    at,
                    format!("$ref {reference:?} does not name a schema in #/components/schemas"),
                )
            })
    }

    fn shape(&mut self, schema: &'a Schema, hint: &str, at: &Pointer) -> Result<Shape> {
        let existing = |ty| Ok(Shape::Existing(ty));
        let case_insensitive = self.extensions.schema(at).case_insensitive;
        match self.reading(schema, at)? {
            Reading::String { format, values } if values.is_empty() && format == Some("password") => {
                existing(TypeRef::Secret)
            }
            Reading::String { format, values } if values.is_empty() && format == Some("binary") => {
                existing(TypeRef::File)
            }
            Reading::String { values, .. } => {
                let aliases = self.aliases(&values, at)?;
                Ok(string_shape(values, case_insensitive, aliases))
            }
            Reading::Integer { format } => existing(match format {
                Some("int32") => TypeRef::I32,
                Some("uint32") => TypeRef::U32,
                Some("uint64" | "uint") => TypeRef::U64,
                _ => TypeRef::I64,
            }),
            Reading::Number { format } => existing(match format {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            Reading::Boolean => existing(TypeRef::Bool),
            Reading::Array { items } => self.array(items, hint, at),
            Reading::Object(props) => self.object(props, hint),
            Reading::AllOf { parts, own } => self.all_of(parts, own, hint, at),
            Reading::OneOf(options) => self.union(options, schema, hint, &at.join("oneOf")),
            Reading::AnyOf(options) => self.union(options, schema, hint, &at.join("anyOf")),
            Reading::Any => existing(TypeRef::Json),
        }
    }

    /// What `schema` says about its values, read alike from the schemas openapiv3 types and from
    /// those it keeps untyped (`SchemaKind::Any`: keywords of several types mixed, such as a
    /// `minimum` on a string), so both give the same Rust type.
    fn reading(&self, schema: &'a Schema, at: &Pointer) -> Result<Reading<'a>> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Reading::String {
                format: format_name(&s.format, string_format),
                values: s.enumeration.iter().flatten().cloned().collect(),
            },
            SchemaKind::Type(Type::Integer(i)) => Reading::Integer {
                format: format_name(&i.format, integer_format),
            },
            SchemaKind::Type(Type::Number(n)) => Reading::Number {
                format: format_name(&n.format, number_format),
            },
            SchemaKind::Type(Type::Boolean(_)) => Reading::Boolean,
            SchemaKind::Type(Type::Array(a)) => Reading::Array {
                items: a.items.as_ref().map(SchemaNode::from),
            },
            SchemaKind::Type(Type::Object(o)) => {
                Reading::object(&o.properties, &o.required, o.additional_properties.as_ref(), at)
            }
            SchemaKind::AllOf { all_of } => Reading::AllOf {
                parts: all_of,
                own: Properties::default(),
            },
            SchemaKind::OneOf { one_of } => Reading::OneOf(one_of),
            SchemaKind::AnyOf { any_of } => Reading::AnyOf(any_of),
            // `not` only narrows what validates: any JSON value is sent and read.
            SchemaKind::Not { .. } => Reading::Any,
            SchemaKind::Any(any) => return self.untyped_reading(any, at),
        })
    }

    /// [`TypeSpace::reading`] of an untyped schema: composition first, then its `type`; without
    /// one, properties make an object and an `enum` of strings an open enum.
    fn untyped_reading(&self, any: &'a AnySchema, at: &Pointer) -> Result<Reading<'a>> {
        if !any.all_of.is_empty() {
            let mut own = Properties::default();
            own.add_object(&any.properties, &any.required, any.additional_properties.as_ref(), at);
            return Ok(Reading::AllOf {
                parts: &any.all_of,
                own,
            });
        }
        if !any.one_of.is_empty() {
            return Ok(Reading::OneOf(&any.one_of));
        }
        if !any.any_of.is_empty() {
            return Ok(Reading::AnyOf(&any.any_of));
        }
        // A `not` beside other keywords only narrows them; they say what the value is.
        let format = any.format.as_deref();
        let strings: Vec<String> = any
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let object = || Reading::object(&any.properties, &any.required, any.additional_properties.as_ref(), at);
        Ok(match any.typ.as_deref() {
            Some("string") => Reading::String {
                format,
                values: strings,
            },
            Some("integer") => Reading::Integer { format },
            Some("number") => Reading::Number { format },
            Some("boolean") => Reading::Boolean,
            Some("array") => Reading::Array {
                items: any.items.as_ref().map(SchemaNode::from),
            },
            Some("object") => object(),
            None if !any.properties.is_empty() || any.additional_properties.is_some() => object(),
            None if !strings.is_empty() && strings.len() == any.enumeration.len() => Reading::String {
                format,
                values: strings,
            },
            None => Reading::Any,
            Some(other) => {
                return Err(self
                    .refs
                    .error(&at.join("type"), format!("unknown schema type {other:?}")));
            }
        })
    }

    fn array(&mut self, items: Option<SchemaNode<'a>>, hint: &str, at: &Pointer) -> Result<Shape> {
        let item = match items {
            Some(items) => self.type_of(items, &format!("{hint}Item"), &at.join("items"))?,
            None => TypeRef::Json,
        };
        Ok(Shape::Existing(TypeRef::Vec(Box::new(item))))
    }

    fn object(&mut self, props: Properties<'a>, hint: &str) -> Result<Shape> {
        if props.list.is_empty() {
            let value = self.additional_value(props.additional, hint)?.unwrap_or(TypeRef::Json);
            return Ok(Shape::Existing(TypeRef::Map(Box::new(value))));
        }
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(props.list.len());
        for (wire, node, ptr) in props.list {
            // The auth hook adds it (a signature): the caller never sets it.
            if self.extensions.schema(&self.resolve(node, &ptr)?.1).auth_param {
                continue;
            }
            // Read on the property itself: `x-paykit-lenient` and `x-paykit-bool` belong nowhere else.
            let marks = self.extensions.schema(&ptr);
            let (lenient, int_flag) = (marks.lenient, marks.int_flag);
            let doc = match node {
                SchemaNode::Item(s) => s.schema_data.description.clone(),
                SchemaNode::Ref(_) => None,
            };
            let ty = if int_flag {
                self.int_flag(node, &ptr)?
            } else {
                self.type_of(node, &format!("{hint}{}", camel(&wire)), &ptr)?
            };
            let required = props.required.contains(&wire);
            let nullable = self.nullable(node, &ptr)?;
            if lenient && !ty.is_scalar() {
                return Err(self
                    .refs
                    .error(
                        &ptr,
                        "x-paykit-lenient applies to integer, number and boolean schemas only",
                    )
                    .about_vocabulary());
            }
            fields.push(Field {
                rust_name: scope.claim(snake(&wire)),
                wire_name: wire,
                ty,
                presence: match (required, nullable) {
                    (true, false) => Presence::Required,
                    (true, true) => Presence::Nullable,
                    (false, _) => Presence::Optional,
                },
                boxed: false,
                // A flag reads strings already.
                adapter: if int_flag {
                    Some(FieldAdapter::Flag)
                } else if lenient {
                    Some(FieldAdapter::Lenient)
                } else {
                    None
                },
                doc,
            });
        }
        // Where the spec does not say, properties it does not name are kept when received and can
        // be sent: an integrator is never blocked by a gap in the spec. `false` turns this off.
        let extra = match props.additional {
            None => Some(TypeRef::Json),
            said => self.additional_value(said, hint)?,
        };
        let extra = extra.map(|value| ExtraField {
            rust_name: scope.claim("additional_properties".to_owned()),
            value,
        });
        Ok(Shape::New(TypeKind::Struct { fields, extra }))
    }

    /// The value type of `additionalProperties`, when it allows any.
    fn additional_value(
        &mut self,
        additional: Option<(&'a AdditionalProperties, Pointer)>,
        hint: &str,
    ) -> Result<Option<TypeRef>> {
        match additional {
            None | Some((AdditionalProperties::Any(false), _)) => Ok(None),
            Some((AdditionalProperties::Any(true), _)) => Ok(Some(TypeRef::Json)),
            Some((AdditionalProperties::Schema(schema), at)) => self
                .type_of(SchemaNode::from(schema.as_ref()), &format!("{hint}Value"), &at)
                .map(Some),
        }
    }

    /// `allOf`: one part (plus nothing of its own) is that part; several are merged into one struct.
    fn all_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        own: Properties<'a>,
        hint: &str,
        at: &Pointer,
    ) -> Result<Shape> {
        let at_parts = at.join("allOf");
        // Parts that only annotate or constrain (`{description: …}`, `{maxLength: 5}`) add no shape.
        let mut kept = Vec::with_capacity(parts.len());
        for (i, part) in parts.iter().enumerate() {
            let at = at_parts.join(i);
            if !is_annotation(self.resolve(SchemaNode::from(part), &at)?.0) {
                kept.push((SchemaNode::from(part), at));
            }
        }
        if own.list.is_empty() {
            if let [(only, at)] = kept.as_slice() {
                return match only {
                    SchemaNode::Ref(reference) => Ok(Shape::Existing(self.ref_type(reference, at)?)),
                    SchemaNode::Item(schema) => self.shape(schema, hint, at),
                };
            }
            // Scalars or lists to merge: one type if the parts agree, any JSON if they do not.
            let mut objects = true;
            for (part, at) in &kept {
                objects &= is_object_like(self.resolve(*part, at)?.0);
            }
            if !objects {
                let mut types = Vec::with_capacity(kept.len());
                for (i, (part, at)) in kept.iter().enumerate() {
                    types.push(self.type_of(*part, &format!("{hint}Part{}", i + 1), at)?);
                }
                let same = types.windows(2).all(|pair| pair[0] == pair[1]);
                return Ok(Shape::Existing(match types.into_iter().next() {
                    Some(ty) if same => ty,
                    _ => TypeRef::Json,
                }));
            }
        }
        let (mut merged, mut seen) = (Properties::default(), BTreeSet::new());
        for (part, at) in kept {
            self.merge_into(&mut merged, part, &at, 0, &mut seen)?;
        }
        merged.merge(own);
        self.object(merged, hint)
    }

    /// Merges `node`'s properties into `into`, each schema once (`seen`, by pointer): parts that
    /// share parts (`A: allOf [B, B]`, `B: allOf [C, C]`, …) would otherwise be merged
    /// exponentially often.
    fn merge_into(
        &self,
        into: &mut Properties<'a>,
        node: SchemaNode<'a>,
        at: &Pointer,
        depth: usize,
        seen: &mut BTreeSet<String>,
    ) -> Result<()> {
        if depth > 32 {
            return Err(self.refs.error(at, "allOf nests too deeply (or is circular)"));
        }
        let (schema, at) = self.resolve(node, at)?;
        if !seen.insert(at.to_string()) {
            return Ok(());
        }
        let mut part = Properties::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                part.add_object(&o.properties, &o.required, o.additional_properties.as_ref(), &at)
            }
            SchemaKind::AllOf { all_of } => {
                for (i, sub) in all_of.iter().enumerate() {
                    self.merge_into(into, SchemaNode::from(sub), &at.join("allOf").join(i), depth + 1, seen)?;
                }
            }
            SchemaKind::Any(any)
                if any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && matches!(any.typ.as_deref(), None | Some("object")) =>
            {
                part.add_object(&any.properties, &any.required, any.additional_properties.as_ref(), &at);
                for (i, sub) in any.all_of.iter().enumerate() {
                    self.merge_into(into, SchemaNode::from(sub), &at.join("allOf").join(i), depth + 1, seen)?;
                }
            }
            _ => return Err(self.refs.error(&at, "allOf can only merge object schemas")),
        }
        into.merge(part);
        Ok(())
    }

    fn union(
        &mut self,
        options: &'a [ReferenceOr<Schema>],
        schema: &'a Schema,
        hint: &str,
        at: &Pointer,
    ) -> Result<Shape> {
        if let [only] = options {
            return self
                .type_of(SchemaNode::from(only), hint, &at.join(0))
                .map(Shape::Existing);
        }
        let mut types = Vec::with_capacity(options.len());
        for (i, option) in options.iter().enumerate() {
            types.push(self.type_of(SchemaNode::from(option), &format!("{hint}Option{}", i + 1), &at.join(i))?);
        }
        let variants = union_variants(&types);
        match &schema.schema_data.discriminator {
            Some(discriminator) if taggable(options, &discriminator.property_name) => {
                Ok(self.tagged(discriminator, options, variants))
            }
            // The discriminator is only an aid to telling the options apart (OpenAPI 3.0.3); one
            // that names no value for an inline option leaves the union to be told apart by shape
            // (DigitalOcean's DNS records, whose mapping points into files that are not bundled).
            _ => Ok(Shape::New(TypeKind::Union { variants })),
        }
    }

    /// A `oneOf` with a `discriminator` ([`taggable`]): each option a `$ref`, chosen by the
    /// values its `mapping` gives it (or its schema name, without one), or an inline object whose
    /// tag property is an `enum` of its values.
    fn tagged(
        &self,
        discriminator: &openapiv3::Discriminator,
        options: &'a [ReferenceOr<Schema>],
        variants: Vec<(String, TypeRef)>,
    ) -> Shape {
        let mut tagged = Vec::with_capacity(variants.len());
        for ((rust_name, ty), option) in variants.into_iter().zip(options) {
            let reference = match option {
                ReferenceOr::Reference { reference } => reference,
                ReferenceOr::Item(schema) => {
                    // An inline option is chosen by the values its tag property enumerates.
                    let values = inline_tag_values(schema, &discriminator.property_name);
                    tagged.push(TaggedVariant { rust_name, values, ty });
                    continue;
                }
            };
            let name = component_name(reference, "schemas").unwrap_or_default();
            let mut values: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference || **target == name)
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                values.push(name);
            }
            tagged.push(TaggedVariant { rust_name, values, ty });
        }
        Shape::New(TypeKind::Tagged {
            property: discriminator.property_name.clone(),
            variants: tagged,
        })
    }

    /// All named types, each struct field that closes a cycle of types boxed.
    pub fn finish(mut self) -> Vec<super::TypeDef> {
        flatten_union_cycles(&mut self.defs);
        let boxed: BTreeSet<(String, String)> = {
            // A field closes a cycle when its type is in its struct's strongly connected component.
            let edges = direct_edges(&self.defs);
            let component = strongly_connected(&edges);
            let same = |a: &str, b: &str| component.get(a).is_some_and(|c| component.get(b) == Some(c));
            self.defs
                .values()
                .flat_map(|def| match &def.kind {
                    TypeKind::Struct { fields, .. } => fields
                        .iter()
                        .filter(|f| direct_target(&f.ty).is_some_and(|target| same(target, &def.name)))
                        .map(|f| (def.name.clone(), f.rust_name.clone()))
                        .collect(),
                    _ => Vec::new(),
                })
                .collect()
        };
        for def in self.defs.values_mut() {
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                for field in fields {
                    field.boxed = boxed.contains(&(def.name.clone(), field.rust_name.clone()));
                }
            }
        }
        self.defs.into_values().collect()
    }
}

/// A schema that says nothing about the shape of a value: no type, properties, items, values or
/// composition (only a description, an example, constraints).
fn is_annotation(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}

/// A schema `allOf` can merge into a struct.
fn is_object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => {
            any.one_of.is_empty() && any.any_of.is_empty() && matches!(any.typ.as_deref(), None | Some("object"))
        }
        _ => false,
    }
}

/// Type aliases that reach themselves, which Rust cannot spell: through a list or map
/// (`L: {items: {$ref: L}}`) the alias becomes a newtype struct, which breaks the cycle; a cycle of
/// bare aliases (`A: {$ref: B}, B: {$ref: A}`) describes no value at all and becomes any JSON.
fn untie_alias_cycles(defs: &mut BTreeMap<String, TypeDef>) {
    let mut changes = Vec::new();
    for (name, def) in defs.iter() {
        let TypeKind::Alias(start) = &def.kind else { continue };
        // Explicit stack: (type, whether a container was passed on the way).
        let (mut stack, mut seen) = (vec![(start, false)], BTreeSet::new());
        while let Some((ty, contained)) = stack.pop() {
            match ty {
                TypeRef::Named(target) if target == name => {
                    changes.push((name.clone(), contained));
                    break;
                }
                TypeRef::Named(target) if seen.insert((target.as_str(), contained)) => {
                    if let Some(TypeDef {
                        kind: TypeKind::Alias(next),
                        ..
                    }) = defs.get(target)
                    {
                        stack.push((next, contained));
                    }
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Optional(inner) => stack.push((inner, true)),
                _ => {}
            }
        }
    }
    for (name, contained) in changes {
        if let Some(def) = defs.get_mut(&name)
            && let TypeKind::Alias(ty) = &mut def.kind
        {
            def.kind = if contained {
                TypeKind::Newtype(std::mem::replace(ty, TypeRef::Json))
            } else {
                TypeKind::Alias(TypeRef::Json)
            };
        }
    }
}

/// Unions that hold themselves without a struct between (`T: oneOf [string, T, F]`,
/// `F: oneOf [integer, T]`): no value needs the inner union, and Rust cannot size it (nor could it
/// decode one: trying the inner union would try it again, forever). Each union of such a cycle
/// holds instead what the cycle's unions hold outside it, in the order it reaches them (`T` is
/// string | integer); a tagged union's variant into the cycle is any JSON; a union with nothing
/// outside is any JSON.
fn flatten_union_cycles(defs: &mut BTreeMap<String, TypeDef>) {
    let cyclic: BTreeSet<String> = {
        let edges = union_edges(defs);
        let component = strongly_connected(&edges);
        let mut sizes = BTreeMap::<usize, usize>::new();
        for c in component.values() {
            *sizes.entry(*c).or_default() += 1;
        }
        edges
            .iter()
            .filter(|(name, targets)| sizes[&component[*name]] > 1 || targets.contains(name))
            .map(|(name, _)| (*name).to_owned())
            .collect()
    };
    let mut changes = Vec::new();
    for name in &cyclic {
        let kind = match defs.get(name).map(|def| &def.kind) {
            Some(TypeKind::Union { .. }) => match flattened(defs, &cyclic, name).as_slice() {
                [] => TypeKind::Alias(TypeRef::Json),
                variants => TypeKind::Union {
                    variants: union_variants(variants),
                },
            },
            Some(TypeKind::Tagged { property, variants }) => TypeKind::Tagged {
                property: property.clone(),
                variants: variants
                    .iter()
                    .map(|v| TaggedVariant {
                        ty: match direct_target(&v.ty) {
                            Some(target) if cyclic.contains(target) => TypeRef::Json,
                            _ => v.ty.clone(),
                        },
                        ..v.clone()
                    })
                    .collect(),
            },
            _ => continue,
        };
        changes.push((name.clone(), kind));
    }
    for (name, kind) in changes {
        if let Some(def) = defs.get_mut(&name) {
            def.kind = kind;
        }
    }
}

/// Union, tagged union and alias → the named types they hold directly.
fn union_edges(defs: &BTreeMap<String, TypeDef>) -> BTreeMap<&str, Vec<&str>> {
    defs.iter()
        .map(|(name, def)| {
            let targets = match &def.kind {
                TypeKind::Union { .. } | TypeKind::Tagged { .. } | TypeKind::Alias(_) => {
                    def.kind.members().into_iter().filter_map(direct_target).collect()
                }
                _ => Vec::new(),
            };
            (name.as_str(), targets)
        })
        .collect()
}

/// The variant types of the union `name`, with each union or alias of its cycle (`cyclic`)
/// replaced by what that holds, depth first (an explicit stack), each type once.
fn flattened(defs: &BTreeMap<String, TypeDef>, cyclic: &BTreeSet<String>, name: &str) -> Vec<TypeRef> {
    let (mut seen, mut out) = (BTreeSet::from([name.to_owned()]), Vec::new());
    let members = |name: &str| match defs.get(name).map(|def| &def.kind) {
        Some(kind @ (TypeKind::Union { .. } | TypeKind::Alias(_))) => kind.members(),
        _ => Vec::new(),
    };
    let mut stack: Vec<&TypeRef> = members(name).into_iter().rev().collect();
    while let Some(ty) = stack.pop() {
        let expands = direct_target(ty).filter(|target| {
            cyclic.contains(*target)
                && matches!(
                    defs.get(*target).map(|def| &def.kind),
                    Some(TypeKind::Union { .. } | TypeKind::Alias(_))
                )
        });
        match expands {
            Some(target) if seen.insert(target.to_owned()) => stack.extend(members(target).into_iter().rev()),
            Some(_) => {}
            None if !out.contains(ty) => out.push(ty.clone()),
            None => {}
        }
    }
    out
}

/// Union variants named after the types they hold, as [`TypeSpace::union`] names them.
fn union_variants(types: &[TypeRef]) -> Vec<(String, TypeRef)> {
    let mut scope = Scope::with_reserved(&[CATCH_ALL]);
    types
        .iter()
        .map(|ty| (scope.claim(names::variant_name(option_name(ty))), ty.clone()))
        .collect()
}

impl<'a> Properties<'a> {
    fn add_object(
        &mut self,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        at: &Pointer,
    ) {
        for (name, node) in properties {
            self.list
                .push((name.clone(), SchemaNode::from(node), at.join("properties").join(name)));
        }
        self.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            self.additional = Some((additional, at.join("additionalProperties")));
        }
    }

    /// Later parts override earlier properties of the same name, as `allOf` refinements do.
    fn merge(&mut self, other: Properties<'a>) {
        for (name, node, at) in other.list {
            match self.list.iter_mut().find(|(n, ..)| *n == name) {
                Some(slot) => *slot = (name, node, at),
                None => self.list.push((name, node, at)),
            }
        }
        self.required.extend(other.required);
        if other.additional.is_some() {
            self.additional = other.additional;
        }
    }
}

fn string_shape(values: Vec<String>, case_insensitive: bool, aliases: Vec<(String, String)>) -> Shape {
    if values.is_empty() {
        return Shape::Existing(TypeRef::String);
    }
    let mut scope = Scope::with_reserved(&[CATCH_ALL]);
    let mut seen = BTreeSet::new();
    let key = |v: &String| {
        if case_insensitive {
            v.to_ascii_lowercase()
        } else {
            v.clone()
        }
    };
    let variants = values
        .into_iter()
        .filter(|v| seen.insert(key(v)))
        .map(|wire| Variant {
            rust_name: scope.claim(names::variant_name(camel(&wire))),
            aliases: aliases
                .iter()
                .filter(|(_, v)| *v == wire)
                .map(|(a, _)| a.clone())
                .collect(),
            wire,
        })
        .collect();
    Shape::New(TypeKind::Enum {
        variants,
        case_insensitive,
    })
}

/// The string `enum` of an inline object schema's property `tag`.
/// Whether a discriminator can choose among `options`: each a `$ref`, or inline with an `enum`
/// of the tag property.
fn taggable(options: &[ReferenceOr<Schema>], property: &str) -> bool {
    options.iter().all(|option| match option {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => !inline_tag_values(schema, property).is_empty(),
    })
}

fn inline_tag_values(schema: &Schema, tag: &str) -> Vec<String> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Vec::new();
    };
    match object
        .properties
        .get(tag)
        .and_then(|p| p.as_item())
        .map(|p| &p.schema_kind)
    {
        Some(SchemaKind::Type(Type::String(s))) => s.enumeration.iter().flatten().cloned().collect(),
        _ => Vec::new(),
    }
}

/// A union variant's name, from the type it holds.
fn option_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Secret => "Secret".into(),
        TypeRef::File => "File".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Json => "Any".into(),
        TypeRef::Vec(_) => "Array".into(),
        TypeRef::Map(_) => "Object".into(),
        TypeRef::Optional(inner) => option_name(inner),
    }
}

/// The named type a field holds without indirection (not inside a `Vec` or map).
fn direct_target(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

/// Type → the named types it contains by value (struct fields, union variants, aliases).
fn direct_edges(defs: &BTreeMap<String, TypeDef>) -> BTreeMap<&str, Vec<&str>> {
    defs.iter()
        .map(|(name, def)| {
            let targets = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct_target(&f.ty)).collect(),
                TypeKind::Union { variants } => variants.iter().filter_map(|(_, ty)| direct_target(ty)).collect(),
                TypeKind::Tagged { variants, .. } => variants.iter().filter_map(|v| direct_target(&v.ty)).collect(),
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_target(ty).into_iter().collect(),
                TypeKind::Enum { .. } => Vec::new(),
            };
            (name.as_str(), targets)
        })
        .collect()
}

/// Tarjan's strongly connected components, iteratively (a long chain of types must not exhaust the
/// stack): type name → component number. Linear in types and edges.
fn strongly_connected<'a>(edges: &BTreeMap<&'a str, Vec<&'a str>>) -> BTreeMap<&'a str, usize> {
    let (mut index, mut low) = (BTreeMap::<&str, usize>::new(), BTreeMap::<&str, usize>::new());
    let (mut stack, mut on_stack) = (Vec::new(), BTreeSet::new());
    let (mut component, mut components, mut next) = (BTreeMap::new(), 0, 0);
    for &root in edges.keys() {
        if index.contains_key(root) {
            continue;
        }
        let mut calls: Vec<(&str, usize)> = vec![(root, 0)];
        index.insert(root, next);
        low.insert(root, next);
        next += 1;
        stack.push(root);
        on_stack.insert(root);
        while let Some(&mut (node, ref mut child)) = calls.last_mut() {
            let targets = edges.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&target) = targets.get(*child) {
                *child += 1;
                if let Some(&seen) = index.get(target) {
                    if on_stack.contains(target) {
                        let lowest = low[node].min(seen);
                        low.insert(node, lowest);
                    }
                } else {
                    index.insert(target, next);
                    low.insert(target, next);
                    next += 1;
                    stack.push(target);
                    on_stack.insert(target);
                    calls.push((target, 0));
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                let lowest = low[parent].min(low[node]);
                low.insert(parent, lowest);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component.insert(member, components);
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}
