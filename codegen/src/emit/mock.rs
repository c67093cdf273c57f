//! `src/mock.rs` (behind the generated crate's `mock` feature): `MockServer`, a wiremock server
//! with one method per operation returning a typed handle: `.returns(value)` answers the
//! documented success, `.fails(status, body)` an error, `.received()` gives the decoded requests.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{docs, ident, rust_type};
use crate::error::{Error, Result};
use crate::ir::{Api, BodyEncoding, Operation, PathSegment, Payload, Response, Status, TypeRef};

/// Method names `MockServer` has itself.
const RESERVED: [&str; 5] = ["start", "url", "core", "reset", "new"];

pub fn mock_rs(api: &Api) -> Result<TokenStream> {
    if let Some(op) = api
        .operations
        .iter()
        .find(|op| RESERVED.contains(&op.method_name.as_str()))
    {
        return Err(Error::new(
            &api.source.label,
            "",
            format!(
                "operation `{}` would be named like a MockServer method ({}); rename it with an operationId",
                op.operation_id,
                RESERVED.join(", ")
            ),
        ));
    }
    let use_types = api.operations.iter().any(mentions_types).then(|| {
        quote!(
            use super::types;
        )
    });
    let (methods, handles): (Vec<_>, Vec<_>) = api.operations.iter().map(operation).unzip();
    let doc = format!(
        " A mock of the {} API for tests: one method per operation of [`Client`].",
        api.title
    );
    let use_runtime = if api.operations.is_empty() {
        quote!(
            use paykit_runtime::mock::MockCore;
        )
    } else {
        quote!(
            use paykit_runtime::mock::{MockCore, Received, Route};
        )
    };
    Ok(quote! {
        #use_runtime
        #use_types
        #[allow(unused_imports)]
        use super::Client;

        #[doc = #doc]
        ///
        /// Give [`MockServer::url`] to the client as its base URL, configure each operation's answer
        /// (`.returns(…)`, `.fails(…)`), then read what it received (`.received()`). JSON bodies that
        /// do not decode as the operation's body type are answered 422, naming the operation.
        #[derive(Debug)]
        pub struct MockServer {
            core: MockCore,
        }

        impl MockServer {
            /// Starts a server on a free local port.
            pub async fn start() -> Self {
                Self { core: MockCore::start().await }
            }

            /// The base URL to give [`Client::new`].
            pub fn url(&self) -> String {
                self.core.url()
            }

            /// The runtime's mock server, to mount wiremock mocks of your own.
            pub fn core(&self) -> &MockCore {
                &self.core
            }

            /// Forgets every configured answer and every received request.
            pub async fn reset(&self) {
                self.core.reset().await;
            }

            #(#methods)*
        }

        #(#handles)*
    })
}

fn mentions_types(op: &Operation) -> bool {
    let named = |ty: &TypeRef| ty.mentions_named();
    op.body
        .as_ref()
        .is_some_and(|b| b.encoding == BodyEncoding::Json && named(&b.ty))
        || success(op).is_some_and(|r| matches!(&r.payload, Payload::Json(ty) if named(ty)))
        || matches!(error_body(op), ErrorBody::Typed(ty) if named(ty))
}

/// The `MockServer` method and the handle type it returns.
fn operation(op: &Operation) -> (TokenStream, TokenStream) {
    let name = ident(&op.method_name);
    let handle = format_ident!("{}Mock", op.type_prefix);
    let (operation_id, method) = (&op.operation_id, op.http_method.as_str());
    let template = path_template(op);
    let method_link = format!("[`Client::{}`]", op.method_name.trim_start_matches("r#"));
    let method_doc = format!(" The mock of {method_link} (`{method} {template}`).");
    let (body_ty, decode, validate) = body(op);
    let handle_doc = format!(" Configures and inspects the mock of {method_link}.");
    let returns = returns(op);
    let fails = fails(op);
    let received_doc = " The requests received, in order: path, query, headers and the decoded body.";
    let method = quote! {
        #[doc = #method_doc]
        pub fn #name(&self) -> #handle<'_> {
            #handle(self.core.route(#operation_id, #method, #template) #validate)
        }
    };
    let handle = quote! {
        #[doc = #handle_doc]
        #[derive(Debug, Clone)]
        pub struct #handle<'a>(Route<'a>);

        impl #handle<'_> {
            #returns
            #fails

            #[doc = #received_doc]
            pub async fn received(&self) -> Vec<Received<#body_ty>> {
                self.0.received(#decode).await
            }
        }
    };
    (method, handle)
}

/// The received body's type, the function that decodes it, and the route's body check.
fn body(op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    let Some(body) = &op.body else {
        return (quote!(()), quote!(paykit_runtime::mock::ignore_body), quote!());
    };
    match (&body.encoding, body.required) {
        (BodyEncoding::Form(_), _) => (
            quote!(Vec<(String, String)>),
            quote!(paykit_runtime::mock::decode_form),
            quote!(),
        ),
        (BodyEncoding::Json, true) => {
            let ty = rust_type(&body.ty, true);
            (
                ty.clone(),
                quote!(paykit_runtime::mock::decode_json::<#ty>),
                quote!(.validate(paykit_runtime::mock::json::<#ty>)),
            )
        }
        (BodyEncoding::Json, false) => {
            let ty = rust_type(&body.ty, true);
            (
                quote!(Option<#ty>),
                quote!(paykit_runtime::mock::decode_optional_json::<#ty>),
                quote!(.validate(paykit_runtime::mock::optional_json::<#ty>)),
            )
        }
    }
}

/// The response `.returns` answers: the first documented success.
fn success(op: &Operation) -> Option<&Response> {
    op.responses.iter().find(|r| r.success)
}

/// `.returns(value)`: the documented success status, its body wrapped back in its envelope.
fn returns(op: &Operation) -> TokenStream {
    let response = success(op);
    let status = match response.map(|r| &r.status) {
        Some(Status::Code(code)) => *code,
        _ => 200,
    };
    let status_doc = format!(" Answers {status}");
    let status = Literal::u16_unsuffixed(status);
    match response.map(|r| (&r.payload, r.unwrap.as_deref())) {
        Some((Payload::Json(ty), unwrap)) => {
            let ty = rust_type(ty, true);
            let (unwrap, how) = match unwrap {
                Some(pointer) => (quote!(Some(#pointer)), format!(" in its envelope (at `{pointer}`)")),
                None => (quote!(None), String::new()),
            };
            let doc = format!("{status_doc} with `value`{how}.");
            quote! {
                #[doc = #doc]
                pub async fn returns(&self, value: #ty) {
                    self.0.returns(#status, &value, #unwrap).await;
                }
            }
        }
        Some((Payload::Text, _)) => raw_returns(status, &status_doc, quote!(String), quote!(value.into_bytes())),
        Some((Payload::Binary, _)) => raw_returns(status, &status_doc, quote!(Vec<u8>), quote!(value)),
        _ => {
            let doc = format!("{status_doc} without a body.");
            quote! {
                #[doc = #doc]
                pub async fn returns(&self) {
                    self.0.returns_raw(#status, None).await;
                }
            }
        }
    }
}

fn raw_returns(status: Literal, status_doc: &str, ty: TokenStream, bytes: TokenStream) -> TokenStream {
    let doc = format!("{status_doc} with `value` as it is.");
    quote! {
        #[doc = #doc]
        pub async fn returns(&self, value: #ty) {
            self.0.returns_raw(#status, Some(#bytes)).await;
        }
    }
}

/// What `.fails` takes, following how the client decides its error type.
enum ErrorBody<'a> {
    /// Every error status has this JSON body: the client's `Error<ty>`.
    Typed(&'a TypeRef),
    /// No error status documents a body.
    Bodiless,
    /// The bodies differ by status, or no error is documented: any JSON.
    Any,
}

fn error_body(op: &Operation) -> ErrorBody<'_> {
    let mut bodies = op.responses.iter().filter(|r| !r.success).map(|r| match &r.payload {
        Payload::Json(ty) => Some(ty),
        _ => None,
    });
    let Some(first) = bodies.next() else {
        return ErrorBody::Any;
    };
    match (bodies.all(|body| body == first), first) {
        (true, Some(ty)) => ErrorBody::Typed(ty),
        (true, None) => ErrorBody::Bodiless,
        (false, _) => ErrorBody::Any,
    }
}

/// `.fails(status, body)`, with the operation's error body type.
fn fails(op: &Operation) -> TokenStream {
    let (arg, body, doc) = match error_body(op) {
        ErrorBody::Typed(ty) => {
            let ty = rust_type(ty, true);
            (
                quote!(body: #ty),
                quote!(&body),
                " Answers the error `status` with `body`.",
            )
        }
        ErrorBody::Bodiless => (
            quote!(),
            quote!(&()),
            " Answers the error `status` (its body is `null`).",
        ),
        ErrorBody::Any => (
            quote!(body: paykit_runtime::serde_json::Value),
            quote!(&body),
            " Answers the error `status` with `body` as JSON.",
        ),
    };
    let doc = docs(Some(doc.trim()));
    quote! {
        #doc
        pub async fn fails(&self, status: u16, #arg) {
            self.0.fails(status, #body).await;
        }
    }
}

fn path_template(op: &Operation) -> String {
    op.path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(name) => format!("{{{name}}}"),
        })
        .collect()
}
