//! `x-paykit-pagination` on a list operation: where a page's items are and how the next page is
//! asked for, checked against the operation's parameters and response type.

use serde_json::Value;

use super::types::TypeSpace;
use super::{Location, Operation, Payload, TypeKind, TypeRef};
use crate::error::{Pointer, Result};

pub const PAGINATION: &str = "x-paykit-pagination";

/// How a list operation pages, for its `…_stream` method.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The type of one item.
    pub item: TypeRef,
    /// From the method's return value to the items array.
    pub items: Vec<Step>,
    pub kind: PageKind,
}

#[derive(Debug, Clone)]
pub enum PageKind {
    /// The next request sets `param` to a value read from the last item, while `has_more` is true.
    Cursor {
        /// The `{Op}Params` field, by Rust name.
        param: String,
        /// From the last item to the cursor.
        from_item: Vec<Step>,
        /// The cursor's type, aliases followed: a scalar is copied rather than cloned.
        cursor: TypeRef,
        /// From the return value to a boolean; absent counts as false.
        has_more: Vec<Step>,
    },
    /// `param` counts pages from `first` until one is empty.
    Numbered { param: String, first: u64 },
}

/// One property on the way down a pointer, as the generated struct spells it.
#[derive(Debug, Clone)]
pub struct Step {
    pub rust_name: String,
    /// An `Option` field.
    pub optional: bool,
}

/// Checks and resolves the extension's `value` on `op`; `at` points at the extension.
pub fn build(value: &Value, op: &Operation, space: &TypeSpace, at: &Pointer) -> Result<Pagination> {
    let refs = space.refs();
    let mut successes = op.responses.iter().filter(|r| r.success);
    let page = match (successes.next().map(|r| &r.payload), successes.next()) {
        (Some(Payload::Json(ty)), None) => ty,
        _ => {
            return Err(refs.error(
                at,
                "a paginated operation has exactly one success response, with a JSON body",
            ));
        }
    };
    let walker = Walker { space, at };
    let (items, items_ty) = walker.walk(page, value, "items")?;
    let item = match resolved(space, &items_ty) {
        TypeRef::Vec(item) => item.as_ref().clone(),
        _ => return Err(refs.error(&at.join("items"), "items points at something that is not an array")),
    };
    let kind = match (value.get("cursor"), value.get("page")) {
        (Some(cursor), None) => {
            let at = at.join("cursor");
            let walker = Walker { space, at: &at };
            let (param, param_ty) = param(space, op, cursor, &at)?;
            let (from_item, cursor_ty) = walker.walk(&item, cursor, "from_item")?;
            let cursor_ty = resolved(space, &cursor_ty);
            if cursor_ty != resolved(space, &param_ty) {
                return Err(refs.error(
                    &at.join("from_item"),
                    format!("the cursor's type {cursor_ty:?} is not the parameter's type {param_ty:?}"),
                ));
            }
            let (has_more, more_ty) = walker.walk(page, cursor, "has_more")?;
            if resolved(space, &more_ty) != TypeRef::Bool {
                return Err(refs.error(
                    &at.join("has_more"),
                    "has_more points at something that is not a boolean",
                ));
            }
            PageKind::Cursor {
                param,
                from_item,
                cursor: cursor_ty,
                has_more,
            }
        }
        (None, Some(numbered)) => {
            let at = at.join("page");
            let (param, param_ty) = param(space, op, numbered, &at)?;
            if !matches!(
                resolved(space, &param_ty),
                TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64
            ) {
                return Err(refs.error(&at.join("param"), "a page number parameter is an integer"));
            }
            let first = match numbered.get("first") {
                None => 1,
                Some(first) => first
                    .as_u64()
                    .filter(|&n| n <= u64::from(u8::MAX))
                    .ok_or_else(|| refs.error(&at.join("first"), "first is a page number from 0 to 255"))?,
            };
            PageKind::Numbered { param, first }
        }
        _ => return Err(refs.error(at, "either `cursor` or `page` is expected")),
    };
    Ok(Pagination { item, items, kind })
}

/// The optional query parameter named by `spec`'s `param`: its Rust name and type.
fn param(space: &TypeSpace, op: &Operation, spec: &Value, at: &Pointer) -> Result<(String, TypeRef)> {
    let name = spec.get("param").and_then(Value::as_str);
    let found = op
        .optional
        .iter()
        .find(|p| Some(p.wire_name.as_str()) == name && p.location == Location::Query && !p.idempotency_key);
    match found {
        Some(p) => Ok((p.rust_name.clone(), p.ty.clone())),
        // A body property would need an owned body the stream could change: not supported.
        None => Err(space.refs().error(
            &at.join("param"),
            format!("{name:?} is not an optional query parameter of the operation"),
        )),
    }
}

struct Walker<'s, 'a> {
    space: &'s TypeSpace<'a>,
    at: &'s Pointer,
}

impl Walker<'_, '_> {
    /// Follows the JSON pointer `spec[key]` from `ty` through object properties: the steps and the
    /// type it ends at.
    fn walk(&self, ty: &TypeRef, spec: &Value, key: &str) -> Result<(Vec<Step>, TypeRef)> {
        let at = self.at.join(key);
        let refs = self.space.refs();
        let pointer = spec.get(key).and_then(Value::as_str).unwrap_or_default();
        if !pointer.starts_with('/') {
            return Err(refs.error(&at, format!("{key} is a JSON pointer to a property (`/data`)")));
        }
        let (mut steps, mut ty) = (Vec::new(), ty.clone());
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let field = match resolved(self.space, &ty) {
                TypeRef::Named(name) => match self.space.kind(&name) {
                    Some(TypeKind::Struct { fields, .. }) => fields.iter().find(|f| f.wire_name == segment),
                    _ => None,
                },
                _ => None,
            };
            let Some(field) = field else {
                return Err(refs.error(&at, format!("{pointer:?}: there is no property {segment:?} to follow")));
            };
            // A boxed property is part of a cycle of types, never a page's envelope.
            if field.boxed {
                return Err(refs.error(&at, format!("{pointer:?}: {segment:?} is recursive")));
            }
            steps.push(Step {
                rust_name: field.rust_name.clone(),
                optional: field.optional,
            });
            ty = field.ty.clone();
        }
        Ok((steps, ty))
    }
}

/// `ty` with named aliases followed.
fn resolved(space: &TypeSpace, ty: &TypeRef) -> TypeRef {
    let mut ty = ty.clone();
    while let TypeRef::Named(name) = &ty
        && let Some(TypeKind::Alias(aliased)) = space.kind(name)
    {
        ty = aliased.clone();
    }
    ty
}

#[cfg(test)]
mod tests {
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      \
        parameters:\n        - {name: after, in: query, schema: {type: string}}\n      \
        x-paykit-pagination: EXT\n      responses:\n        '200':\n          description: ok\n          \
        content:\n            application/json:\n              schema:\n                type: object\n                \
        properties:\n                  data: {type: array, items: {type: object, properties: {id: {type: string}}}}\n                  \
        more: {type: boolean}\n";

    fn error(extension: &str) -> String {
        let spec = crate::load::parse(SPEC.replace("EXT", extension).as_bytes(), "list.yaml").expect("valid YAML");
        crate::ir::build(&spec).expect_err("a bad extension").to_string()
    }

    #[test]
    fn a_valid_extension_builds() {
        let ext = "{items: /data, cursor: {param: after, from_item: /id, has_more: /more}}";
        let spec = crate::load::parse(SPEC.replace("EXT", ext).as_bytes(), "list.yaml").expect("valid YAML");
        let api = crate::ir::build(&spec).expect("a valid extension");
        assert!(api.operations[0].pagination.is_some());
    }

    #[test]
    fn errors_name_the_file_and_the_pointer() {
        let e = error("{items: /nope, cursor: {param: after, from_item: /id, has_more: /more}}");
        assert!(
            e.starts_with("list.yaml: #/paths/~1a/get/x-paykit-pagination/items: "),
            "{e}"
        );
        let e = error("{items: /data, cursor: {param: before, from_item: /id, has_more: /more}}");
        assert!(e.contains("x-paykit-pagination/cursor/param: "), "{e}");
        assert!(e.contains("not an optional query parameter"), "{e}");
        let e = error("{items: /more, cursor: {param: after, from_item: /id, has_more: /more}}");
        assert!(e.contains("not an array"), "{e}");
        let e = error("{items: /data, cursor: {param: after, from_item: /id, has_more: /data}}");
        assert!(e.contains("cursor/has_more: "), "{e}");
        let e = error("{items: /data, page: {param: after}}");
        assert!(e.contains("page/param: a page number parameter is an integer"), "{e}");
        assert!(error("{items: /data}").contains("either `cursor` or `page`"));
    }
}
