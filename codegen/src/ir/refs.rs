//! Following local `$ref`s into `#/components/…`.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, ReferenceOr};

use crate::error::{Error, Pointer, Result};

/// Resolves `$ref`s of one spec; every failure names the node that holds the `$ref`.
#[derive(Debug, Clone, Copy)]
pub struct Refs<'a> {
    doc: &'a OpenAPI,
    label: &'a str,
}

/// The `components` section a `$ref` may point into, and how to find it there.
pub trait Component: Sized + 'static {
    const KIND: &'static str;
    fn section(components: &Components) -> &Map<Self>;
}

macro_rules! component {
    ($ty:ty, $kind:literal, $field:ident) => {
        impl Component for $ty {
            const KIND: &'static str = $kind;
            fn section(components: &Components) -> &Map<Self> {
                &components.$field
            }
        }
    };
}

component!(openapiv3::Schema, "schemas", schemas);
component!(openapiv3::Parameter, "parameters", parameters);
component!(openapiv3::Response, "responses", responses);
component!(openapiv3::RequestBody, "requestBodies", request_bodies);

type Map<T> = IndexMap<String, ReferenceOr<T>>;

/// The component name a `$ref` points at, if it points into `#/components/{kind}/`.
pub fn component_name(reference: &str, kind: &str) -> Option<String> {
    let rest = reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    (!rest.contains('/')).then(|| Pointer::unescape(rest))
}

impl<'a> Refs<'a> {
    pub fn new(doc: &'a OpenAPI, label: &'a str) -> Self {
        Self { doc, label }
    }

    pub fn error(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error::new(self.label, at.to_string(), message)
    }

    /// The item behind `node` (following chains of refs), and the pointer where it lives.
    pub fn resolve<T: Component>(&self, node: &'a ReferenceOr<T>, at: &Pointer) -> Result<(&'a T, Pointer)> {
        match node {
            ReferenceOr::Item(item) => Ok((item, at.clone())),
            ReferenceOr::Reference { reference } => self.follow(reference, at),
        }
    }

    /// The component a `$ref` names, following chains of refs.
    pub fn follow<T: Component>(&self, reference: &str, at: &Pointer) -> Result<(&'a T, Pointer)> {
        let mut reference = reference;
        let mut at = at.clone();
        for _ in 0..32 {
            let name = component_name(reference, T::KIND).ok_or_else(|| {
                self.error(
                    &at,
                    format!(
                        "$ref {reference:?} is not supported here; use #/components/{}/<name>",
                        T::KIND
                    ),
                )
            })?;
            let node = self
                .doc
                .components
                .as_ref()
                .map(T::section)
                .and_then(|section| section.get(&name))
                .ok_or_else(|| self.error(&at, format!("$ref {reference:?} points at nothing")))?;
            at = Pointer::root().join("components").join(T::KIND).join(&name);
            match node {
                ReferenceOr::Item(item) => return Ok((item, at)),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        Err(self.error(&at, "$ref chain is too long or circular"))
    }
}
