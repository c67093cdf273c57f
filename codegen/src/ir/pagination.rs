//! `x-paykit-pagination` on a list operation: where a page's items are and how the next page is
//! asked for, checked against the operation's parameters and response type.

use super::extensions::{JsonPointer, NextPage, Paging, ParamIn};
use super::types::TypeSpace;
use super::{BodyEncoding, Operation, ParamKind, Payload, TypeKind, TypeRef};
use crate::error::{Pointer, Result};

/// How a list operation pages, for its `…_stream` method.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// `{method}_pages` and `{method}_stream`, clear of the other methods' names.
    pub pages_method: String,
    pub stream_method: String,
    /// The type of one item.
    pub item: TypeRef,
    /// From the method's return value to the items array.
    pub items: Vec<Step>,
    /// What the next request changes.
    pub param: PageParam,
    pub kind: PageKind,
}

/// The optional parameter, or body property, that asks for the next page.
#[derive(Debug, Clone)]
pub struct PageParam {
    pub wire_name: String,
    /// The `{Op}Params` field or the body struct's field.
    pub rust_name: String,
    /// A property of the JSON body (`in: body`), not a query parameter.
    pub in_body: bool,
}

#[derive(Debug, Clone)]
pub enum PageKind {
    /// While `has_more` is true, the next request sets the parameter to the page's next cursor,
    /// or the last item's; or, walking backwards, sets `before` to the first item's.
    Cursor {
        /// From an item to its cursor.
        from_item: Vec<Step>,
        /// The cursor's type, aliases followed: a scalar is copied rather than cloned.
        cursor: TypeRef,
        /// From the return value to a boolean; absent counts as false.
        has_more: Vec<Step>,
        /// From the return value to the page's own next cursor.
        next_cursor: Option<Vec<Step>>,
        /// The parameter that walks backwards, of the cursor's type.
        before: Option<PageParam>,
    },
    /// The parameter counts pages from `first` until one is empty.
    Numbered { first: u64 },
    /// The parameter counts the items seen so far, until a page is empty.
    Offset,
    /// The parameter is read from the query of the next page's URL, until there is none.
    Link { next: NextLink },
}

#[derive(Debug, Clone)]
pub enum NextLink {
    /// A string in the return value.
    Body(Vec<Step>),
    /// The `rel="next"` link of the response's `Link` header.
    Header,
}

/// One property on the way down a pointer, as the generated struct spells it.
#[derive(Debug, Clone)]
pub struct Step {
    pub rust_name: String,
    /// An `Option` field.
    pub optional: bool,
}

/// Resolves the extension's value `paging` on `op`; `at` points at the extension.
pub fn build(paging: &Paging, op: &Operation, space: &TypeSpace, at: &Pointer) -> Result<Pagination> {
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
    let (items, items_ty) = walker.walk(page, &paging.items, "items")?;
    let item = match resolved(space, &items_ty) {
        TypeRef::Vec(item) => item.as_ref().clone(),
        _ => return Err(refs.error(&at.join("items"), "items points at something that is not an array")),
    };
    let kind = paging.next.key();
    let at = at.join(kind);
    let walker = Walker { space, at: &at };
    let (param, param_ty) = page_param(space, op, paging.next.param(), &at.join("param"))?;
    let integer = matches!(param_ty, TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64);
    let kind = match &paging.next {
        NextPage::Cursor(spec) => {
            let (from_item, cursor) = walker.walk(&item, &spec.from_item, "from_item")?;
            let cursor = resolved(space, &cursor);
            if cursor != param_ty {
                return Err(refs.error(
                    &at.join("from_item"),
                    format!("the cursor's type {cursor:?} is not the parameter's type {param_ty:?}"),
                ));
            }
            let (has_more, more_ty) = walker.walk(page, &spec.has_more, "has_more")?;
            if resolved(space, &more_ty) != TypeRef::Bool {
                return Err(refs.error(
                    &at.join("has_more"),
                    "has_more points at something that is not a boolean",
                ));
            }
            let next_cursor = match &spec.next_cursor {
                None => None,
                Some(pointer) => {
                    let (steps, ty) = walker.walk(page, pointer, "next_cursor")?;
                    if resolved(space, &ty) != cursor {
                        return Err(refs.error(
                            &at.join("next_cursor"),
                            format!("the next cursor's type {ty:?} is not the parameter's type {param_ty:?}"),
                        ));
                    }
                    Some(steps)
                }
            };
            let before = match spec.before() {
                None => None,
                Some(before) => {
                    let at = at.join("before");
                    let (before, before_ty) = page_param(space, op, before, &at)?;
                    if before_ty != param_ty || before.wire_name == param.wire_name {
                        return Err(refs.error(
                            &at,
                            format!("{:?} is not a second parameter of the cursor's type", before.wire_name),
                        ));
                    }
                    Some(before)
                }
            };
            PageKind::Cursor {
                from_item,
                cursor,
                has_more,
                next_cursor,
                before,
            }
        }
        NextPage::Page(_) | NextPage::Offset(_) if !integer => {
            return Err(refs.error(&at.join("param"), format!("a {kind} parameter is an integer")));
        }
        NextPage::Page(spec) => PageKind::Numbered {
            first: u64::from(spec.first),
        },
        NextPage::Offset(_) => PageKind::Offset,
        NextPage::Link(spec) => {
            if !integer && param_ty != TypeRef::String {
                return Err(refs.error(
                    &at.join("param"),
                    "a parameter read from a link is a string or an integer",
                ));
            }
            let next = match &spec.next {
                None => NextLink::Header,
                Some(next) => {
                    let (steps, ty) = walker.walk(page, next, "next")?;
                    if resolved(space, &ty) != TypeRef::String {
                        return Err(refs.error(&at.join("next"), "next points at something that is not a string"));
                    }
                    NextLink::Body(steps)
                }
            };
            PageKind::Link { next }
        }
    };
    let method = op.method_name.trim_start_matches("r#");
    Ok(Pagination {
        // Proposed here; `operations::build` claims them among the methods.
        pages_method: format!("{method}_pages"),
        stream_method: format!("{method}_stream"),
        item,
        items,
        param,
        kind,
    })
}

/// The optional query parameter, or (`in: body`) the optional property of the JSON body, `name`;
/// and its type, aliases followed. `at` points at the name in the extension.
fn page_param(
    space: &TypeSpace,
    op: &Operation,
    (name, location): (&str, ParamIn),
    at: &Pointer,
) -> Result<(PageParam, TypeRef)> {
    let refs = space.refs();
    let found = match location {
        ParamIn::Query => op
            .optional
            .iter()
            .find(|p| p.wire_name == name && matches!(p.kind, ParamKind::Query(_)))
            .map(|p| (p.rust_name.clone(), p.ty.clone(), false))
            .ok_or_else(|| format!("{name:?} is not an optional query parameter of the operation")),
        ParamIn::Body => body_property(space, op, name).map(|(rust, ty)| (rust, ty, true)),
    };
    match found {
        Ok((rust_name, ty, in_body)) => Ok((
            PageParam {
                wire_name: name.to_owned(),
                rust_name,
                in_body,
            },
            resolved(space, &ty),
        )),
        Err(message) => Err(refs.error(at, message)),
    }
}

/// The optional property `name` of the operation's JSON object body: its Rust name and type.
fn body_property(space: &TypeSpace, op: &Operation, name: &str) -> std::result::Result<(String, TypeRef), String> {
    let body = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)
        .ok_or("the operation has no JSON body")?;
    let field = match resolved(space, &body.ty) {
        TypeRef::Named(type_name) => match space.kind(&type_name) {
            Some(TypeKind::Struct { fields, .. }) => fields.iter().find(|f| f.wire_name == name).cloned(),
            _ => None,
        },
        _ => None,
    };
    match field {
        Some(field) if field.is_option() && !field.boxed => Ok((field.rust_name, field.ty)),
        _ => Err(format!(
            "{name:?} is not an optional property of the operation's JSON body"
        )),
    }
}

struct Walker<'s, 'a> {
    space: &'s TypeSpace<'a>,
    at: &'s Pointer,
}

impl Walker<'_, '_> {
    /// Follows `pointer` (the extension's `key`) from `ty` through object properties: the steps and
    /// the type it ends at. `""` is the whole value (a bare array answer, as GitHub's lists are).
    fn walk(&self, ty: &TypeRef, pointer: &JsonPointer, key: &str) -> Result<(Vec<Step>, TypeRef)> {
        let at = self.at.join(key);
        let refs = self.space.refs();
        let (mut steps, mut ty) = (Vec::new(), ty.clone());
        for segment in pointer.segments() {
            let field = match resolved(self.space, &ty) {
                TypeRef::Named(name) => match self.space.kind(&name) {
                    Some(TypeKind::Struct { fields, .. }) => fields.iter().find(|f| f.wire_name == segment),
                    _ => None,
                },
                _ => None,
            };
            let Some(field) = field else {
                let pointer = pointer.as_str();
                return Err(refs.error(&at, format!("{pointer:?}: there is no property {segment:?} to follow")));
            };
            // A boxed property is part of a cycle of types, never a page's envelope.
            if field.boxed {
                let pointer = pointer.as_str();
                return Err(refs.error(&at, format!("{pointer:?}: {segment:?} is recursive")));
            }
            steps.push(Step {
                rust_name: field.rust_name.clone(),
                optional: field.is_option(),
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
        let e = error("{items: /data, cursor: {param: after, from_item: /id, has_more: /more, next_cursor: /more}}");
        assert!(e.contains("cursor/next_cursor: the next cursor's type Bool"), "{e}");
        let e = error("{items: /data, cursor: {param: after, before: nope, from_item: /id, has_more: /more}}");
        assert!(
            e.contains("cursor/before: \"nope\" is not an optional query parameter"),
            "{e}"
        );
        let e = error("{items: /data, cursor: {param: after, before: after, from_item: /id, has_more: /more}}");
        assert!(e.contains("cursor/before: \"after\" is not a second parameter"), "{e}");
        let e = error("{items: /data, page: {param: after}}");
        assert!(e.contains("page/param: a page parameter is an integer"), "{e}");
        let e = error("{items: /data, offset: {param: after, in: body}}");
        assert!(e.contains("offset/param: the operation has no JSON body"), "{e}");
        let e = error("{items: /data, link: {param: after, next: /data}}");
        assert!(
            e.contains("link/next: next points at something that is not a string"),
            "{e}"
        );
        assert!(error("{items: /data, link: {param: after, in: path}}").contains("link/in: "));
        assert!(error("{items: /data}").contains("one of `cursor`, `page`, `offset` or `link`"));
        let both = "{items: /data, page: {param: after}, link: {param: after}}";
        assert!(error(both).contains("one of `cursor`"));
    }
}
