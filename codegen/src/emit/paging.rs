//! A paginated operation's two extra methods: `{method}_pages`, its whole pages, and
//! `{method}_stream`, their items; both walked by `paykit_runtime::pagination`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::client::{Arg, declare};
use super::{docs, ident, rust_type};
use crate::ir::{NextLink, Operation, PageKind, Pagination, Step, TypeRef};

/// `{method}_pages` and `{method}_stream`. Pages are fetched through the method itself (so its
/// retry policy applies). What the next request changes is the `…Params`, or, when the paging
/// parameter is a body property, an owned body (with the params beside it, if the operation has
/// any). `page` is the method's success type.
pub(super) fn methods(
    op: &Operation,
    pagination: &Pagination,
    args: &[Arg],
    page: &TokenStream,
    error_ty: &TokenStream,
) -> TokenStream {
    let method = op.method_name.trim_start_matches("r#");
    let (pages_name, stream_name) = (ident(&pagination.pages_method), ident(&pagination.stream_method));
    let method_ident = ident(&op.method_name);
    let required: Vec<_> = op.required.iter().map(|p| ident(&p.rust_name)).collect();
    let body = op.body.as_ref().filter(|_| pagination.param.in_body);
    let has_params = !op.optional.is_empty();
    // Streams that hold borrowed arguments live as long as the shortest of them.
    let borrows = args.iter().any(|arg| match arg {
        Arg::Param(p) => super::client::by_reference(&p.ty),
        Arg::Body(_) => body.is_none(),
        Arg::Params => false,
    });
    let (generics, lifetime, self_ref) = if borrows {
        (quote!(<'a>), quote!('a), quote!(&'a self))
    } else {
        (quote!(), quote!('_), quote!(&self))
    };
    let arg_lifetime = if borrows { quote!('a) } else { quote!() };
    let (declared, fetch, state, holder, holding) = match body {
        None => {
            let body = op.body.as_ref().map(|_| quote!(body,));
            let fetch = quote!(move |params| self.#method_ident(#(#required,)* #body params));
            let declared: Vec<_> = args.iter().map(|arg| declare(op, arg, &arg_lifetime)).collect();
            (declared, fetch, quote!(params), quote!(params), quote!(params))
        }
        Some(body) => {
            // The stream owns the body, since each page changes it.
            let ty = rust_type(&body.ty, true);
            let declared: Vec<_> = args
                .iter()
                .map(|arg| match arg {
                    Arg::Body(_) => quote!(body: #ty),
                    _ => declare(op, arg, &arg_lifetime),
                })
                .collect();
            let pass = if body.required {
                quote!(&body)
            } else {
                quote!(Some(&body))
            };
            let params = has_params.then(|| quote!(params));
            let call = quote!(self.#method_ident(#(#required,)* #pass, #params).await);
            if has_params {
                let fetch = quote!(move |(params, body)| async move { #call });
                (declared, fetch, quote!((params, body)), quote!((_, body)), quote!(body))
            } else {
                let fetch = quote!(move |body| async move { #call });
                (declared, fetch, quote!(body), quote!(body), quote!(body))
            }
        }
    };
    let passed = args.iter().map(|arg| match arg {
        Arg::Param(p) => ident(&p.rust_name),
        Arg::Body(_) => format_ident!("body"),
        Arg::Params => format_ident!("params"),
    });
    let field = ident(&pagination.param.rust_name);
    let setter = |value: &str| {
        let value = format_ident!("{value}");
        quote!(|#holder, #value| #holding.#field = Some(#value))
    };
    let listed = slice(&pagination.items);
    let (walk, how) = match &pagination.kind {
        PageKind::Cursor {
            from_item,
            cursor,
            has_more,
            next_cursor,
            before,
        } => {
            let has_more = match borrowed(quote!(page), has_more) {
                (more, true) => quote!(#more == Some(&true)),
                (more, false) => more,
            };
            let cursor_of = owned_value(borrowed(quote!(item), from_item), cursor);
            let next = match next_cursor {
                Some(steps) => {
                    let next = owned_value(borrowed(quote!(page), steps), cursor);
                    quote!(|page| #next)
                }
                // Without a next cursor, the page is not read: no unused `page`.
                None => quote!(|_| None),
            };
            let after = &pagination.param.wire_name;
            let before_call = before.as_ref().map(|before| {
                let (wire, rust) = (&before.wire_name, ident(&before.rust_name));
                quote!(.before(#wire, &mut #holding.#rust))
            });
            let walk = quote! {
                paykit_runtime::pagination::cursor(
                    #state,
                    #fetch,
                    |page| #listed,
                    |page| #has_more,
                    |item| #cursor_of,
                    #next,
                    |#holder| paykit_runtime::pagination::Cursors::after(#after, &mut #holding.#field) #before_call,
                )
            };
            let after_what = if next_cursor.is_some() {
                "the page's next cursor (or else its last item)"
            } else {
                "its last item"
            };
            let mut how =
                format!("While a page says it has more, each next page starts after\n{after_what}, sent as `{after}`.");
            if let Some(before) = before {
                how.push_str(&format!(
                    " Started with `{}`, the walk goes backwards: each next page\nends before the first \
                     item of the one before. The two cursors are never sent together:\nparameters that set \
                     both are an error.",
                    before.wire_name
                ));
            }
            (walk, how)
        }
        PageKind::Numbered { first } => {
            let first = Literal::u64_unsuffixed(*first);
            let set = setter("page");
            let walk = quote! {
                paykit_runtime::pagination::numbered(#state, #first, #fetch, |page| #listed, #set)
            };
            (walk, "Page numbers count up until a page is empty.".to_owned())
        }
        PageKind::Offset => {
            let set = setter("offset");
            let walk = quote! {
                paykit_runtime::pagination::offset(#state, #fetch, |page| #listed, |#holder| #holding.#field, #set)
            };
            (
                walk,
                "Each next page skips the items seen so far, until a page is empty.".to_owned(),
            )
        }
        PageKind::Link { next } => {
            let wire = &pagination.param.wire_name;
            let (next_url, whence) = match next {
                NextLink::Header => (
                    quote!(paykit_runtime::pagination::next_link),
                    "the `rel=\"next\"` link of its `Link` header".to_owned(),
                ),
                NextLink::Body(steps) => {
                    let url = owned_value(borrowed(quote!(page), steps), &TypeRef::String);
                    (quote!(|page| #url), "the link in its body".to_owned())
                }
            };
            let set = setter("value");
            let walk = quote! {
                paykit_runtime::pagination::link(#state, #wire, #fetch, #next_url, #set)
            };
            let how = format!(
                "Each next page is the one {whence} names; only its `{wire}` is\ntaken from it, \
                 and the request goes to this client's server."
            );
            (walk, how)
        }
    };
    let item = rust_type(&pagination.item, true);
    let items = owned(quote!(page), &pagination.items);
    let read = "Pages are fetched as the stream is read, each through that method (so its retries apply);\n\
        an error is the last item. `Unpin`: read it with `paykit_runtime::StreamExt::next` or\n\
        `TryStreamExt::try_next`, no pinning needed.";
    let pages_doc = docs(Some(&format!(
        "The pages of [`Client::{method}`], each the whole response (status, headers, body).\n\n{how}\n\n{read}"
    )));
    let backward = matches!(&pagination.kind, PageKind::Cursor { before: Some(_), .. })
        .then_some(" (on a backward walk, each page's items last to first)")
        .unwrap_or_default();
    let pages = &pagination.pages_method;
    let stream_doc = docs(Some(&format!(
        "The items of [`Client::{method}`], page after page, as [`Client::{pages}`]\nwalks them{backward}.\n\n{read}"
    )));
    quote! {
        #pages_doc
        pub fn #pages_name #generics(#self_ref, #(#declared),*) -> paykit_runtime::pagination::Pages<#lifetime, #page, #error_ty> {
            #walk
        }

        #stream_doc
        pub fn #stream_name #generics(#self_ref, #(#declared),*) -> paykit_runtime::pagination::Items<#lifetime, #item, #error_ty> {
            paykit_runtime::pagination::Items::new(self.#pages_name(#(#passed),*), |page| #items)
        }
    }
}

/// An owned value of `ty` from [`borrowed`]'s place: `Option<ty>`, copied for scalars.
fn owned_value((place, optional): (TokenStream, bool), ty: &TypeRef) -> TokenStream {
    match (optional, ty.is_scalar()) {
        (true, true) => quote!(#place.copied()),
        (true, false) => quote!(#place.cloned()),
        (false, true) => quote!(Some(#place)),
        (false, false) => quote!(Some(#place.clone())),
    }
}

/// The items at `steps` below `page`, as a slice; an absent optional property reads as empty.
fn slice(steps: &[Step]) -> TokenStream {
    match borrowed(quote!(page), steps) {
        (items, true) => quote!(#items.map_or(&[][..], Vec::as_slice)),
        (items, false) => quote!(#items.as_slice()),
    }
}

/// The value at `steps` below `root`, moved out; an absent optional property reads as empty.
fn owned(root: TokenStream, steps: &[Step]) -> TokenStream {
    let (mut expr, mut option) = (root, false);
    for step in steps {
        let field = ident(&step.rust_name);
        expr = match (option, step.optional) {
            (false, _) => quote!(#expr.#field),
            (true, true) => quote!(#expr.and_then(|v| v.#field)),
            (true, false) => quote!(#expr.map(|v| v.#field)),
        };
        option |= step.optional;
    }
    if option {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// The value at `steps` below `root`, borrowed: an `Option<&T>` when a property on the way is
/// optional (`true`), else the place itself.
fn borrowed(root: TokenStream, steps: &[Step]) -> (TokenStream, bool) {
    let (mut expr, mut option) = (root, false);
    for step in steps {
        let field = ident(&step.rust_name);
        expr = match (option, step.optional) {
            (false, false) => quote!(#expr.#field),
            (false, true) => quote!(#expr.#field.as_ref()),
            (true, true) => quote!(#expr.and_then(|v| v.#field.as_ref())),
            (true, false) => quote!(#expr.map(|v| &v.#field)),
        };
        option |= step.optional;
    }
    (expr, option)
}
