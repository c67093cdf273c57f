//! `src/mock.rs` (behind the generated crate's `mock` feature): `MockServer`, a wiremock server
//! that knows every operation, with one method per operation returning a typed handle to script:
//! `.returns(value)` answers the documented success, `.fails(status, body)` an error, under
//! conditions and in sequence (see the runtime's `mock::Operation`); `.received()` gives the
//! decoded requests.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::client::path_style;
use super::{Chunk, allow_unused_imports, cfg, cfg_line, doc_lines, ident, rust_type};
use crate::ir::{Api, BodyEncoding, Errors, Operation, ParamKind, PathStyle, Payload, Status, TypeRef};

/// `src/mock.rs`, in chunks: imports, the `MockServer` declaration, its operations. Operations
/// cannot take the names of `MockServer`'s own methods: the IR reserves them for the client,
/// which the mock mirrors.
pub fn mock_rs(api: &Api) -> Vec<Chunk> {
    let allow = allow_unused_imports(api);
    let use_types = api.operations.iter().any(mentions_types).then(|| {
        quote!(
            #allow
            use super::types;
        )
    });
    let use_runtime = (!api.operations.is_empty()).then(|| {
        quote!(
            #allow
            use paykit_runtime::mock::{self, Answer, Operation};
        )
    });
    let use_path_style = api
        .operations
        .iter()
        .any(|op| styled_path_params(op).next().is_some())
        .then(|| {
            quote!(
                #allow
                use paykit_runtime::PathStyle;
            )
        });
    let head = quote! {
        #use_runtime
        #use_path_style
        #use_types
        #[allow(unused_imports)]
        use super::Client;
    };
    let mut declaration = String::from("paykit_runtime::mock_server! {\n");
    let doc = format!(
        "A mock of the {} API for tests: one method per operation of [`Client`].",
        api.title
    );
    for line in doc_lines(Some(&doc)) {
        declaration.push_str(&format!("    ///{line}\n"));
    }
    declaration.push_str("    pub struct MockServer;\n    operations: [\n");
    for op in &api.operations {
        let cfg = cfg_line(op.feature.as_slice());
        for line in cfg.lines() {
            declaration.push_str(&format!("        {line}\n"));
        }
        let [id, method, template] =
            [op.operation_id.as_str(), op.http_method.as_str(), &op.path_template()].map(Literal::string);
        declaration.push_str(&format!("        ({id}, {method}, {template}),\n"));
    }
    declaration.push_str("    ];\n");
    if api.php_forms {
        declaration.push_str("    query_dialect: Php;\n");
    }
    declaration.push_str("}\n");
    let methods: Vec<TokenStream> = api.operations.iter().map(operation).collect();
    let operations = (!methods.is_empty()).then(|| {
        quote! {
            impl MockServer {
                #(#methods)*
            }
        }
    });
    vec![
        Chunk::Tokens(head),
        Chunk::Text(declaration),
        Chunk::Tokens(operations.unwrap_or_default()),
    ]
}

fn mentions_types(op: &Operation) -> bool {
    let named = |ty: &TypeRef| ty.mentions_named();
    op.body
        .as_ref()
        .is_some_and(|b| b.encoding == BodyEncoding::Json && named(&b.ty))
        || op
            .responses
            .iter()
            .find(|r| r.success)
            .is_some_and(|r| matches!(&r.payload, Payload::Json(ty) if named(ty)))
        || matches!(op.errors(), Errors::Same(ty) if named(ty))
}

/// The `MockServer` method for `op`: its route, typed by its success, error and request bodies.
fn operation(op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let (operation_id, method) = (&op.operation_id, op.http_method.as_str());
    let template = op.path_template();
    let method_link = format!("[`Client::{}`]", op.method_name.trim_start_matches("r#"));
    let doc = format!(" The mock of {method_link} (`{method} {template}`).");
    let (body_ty, decode, validate) = body(op);
    let (success_ty, status, answer) = success(op);
    // As the client decides its error type; bodies that differ by status take any JSON.
    let error_ty = match op.errors() {
        Errors::Same(ty) => rust_type(ty, true),
        Errors::Bodiless => quote!(()),
        Errors::None | Errors::ByStatus => quote!(paykit_runtime::serde_json::Value),
    };
    let cfg = cfg(op.feature.as_slice());
    let styles = styled_path_params(op).map(|(wire, style)| {
        let style = path_style(style);
        quote!(.path_style(#wire, PathStyle::#style))
    });
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #name(&self) -> Operation<'_, #success_ty, #error_ty, #body_ty> {
            self.0.route(#operation_id, #method, #template) #(#styles)* #validate .typed(#status, #answer, #decode)
        }
    }
}

/// The path parameters not written in the default style (`simple`), by wire name: the mock
/// compares a `when_path` value as the client writes it.
fn styled_path_params(op: &Operation) -> impl Iterator<Item = (&str, PathStyle)> {
    op.required.iter().filter_map(|p| match p.kind {
        ParamKind::Path(style) if style != (PathStyle::Simple { explode: false }) => {
            Some((p.wire_name.as_str(), style))
        }
        _ => None,
    })
}

/// The received body's type, the function that decodes it, and the route's body check.
fn body(op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    let Some(body) = &op.body else {
        return (quote!(()), quote!(mock::ignore_body), quote!());
    };
    match (&body.encoding, body.required) {
        (BodyEncoding::Form, _) => (quote!(Vec<(String, String)>), quote!(mock::decode_form), quote!()),
        (BodyEncoding::Raw { .. } | BodyEncoding::Multipart | BodyEncoding::MultipartValue { .. }, _) => {
            (quote!(Vec<u8>), quote!(mock::raw_body), quote!())
        }
        (BodyEncoding::Json, true) => {
            let ty = rust_type(&body.ty, true);
            (
                ty.clone(),
                quote!(mock::decode_json),
                quote!(.validate(mock::json::<#ty>)),
            )
        }
        (BodyEncoding::Json, false) => {
            let ty = rust_type(&body.ty, true);
            (
                quote!(Option<#ty>),
                quote!(mock::decode_optional_json),
                quote!(.validate(mock::optional_json::<#ty>)),
            )
        }
    }
}

/// The value `.returns` takes, the status it answers (the first documented success) and how.
fn success(op: &Operation) -> (TokenStream, Literal, TokenStream) {
    let response = op.responses.iter().find(|r| r.success);
    let status = match response.map(|r| &r.status) {
        Some(Status::Code(code)) => *code,
        _ => 200,
    };
    let (ty, answer) = match response.map(|r| (&r.payload, r.unwrap.as_deref())) {
        Some((Payload::Json(ty), unwrap)) => {
            let unwrap = match unwrap {
                Some(pointer) => quote!(Some(#pointer)),
                None => quote!(None),
            };
            (rust_type(ty, true), quote!(Json { unwrap: #unwrap }))
        }
        // A sequence is answered as the text of the whole stream.
        Some((Payload::Text | Payload::Sequence(_), _)) => (quote!(String), quote!(Text)),
        Some((Payload::Binary, _)) => (quote!(Vec<u8>), quote!(Bytes)),
        _ => (quote!(()), quote!(Empty)),
    };
    (ty, Literal::u16_unsuffixed(status), quote!(Answer::#answer))
}
