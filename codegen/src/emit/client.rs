//! `src/client.rs`: `Client`, one async method per operation, and each operation's own types
//! (`…Params` for optional parameters, `…Error` by status, `…Response` when statuses differ).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Chunk, allow_unused_imports, cfg, doc_lines, docs, ident, rust_type};
use crate::ir::{
    Api, AuthArg, Body, BodyEncoding, Errors, FormBody, FormStyle, HttpMethod, Operation, Param, ParamKind,
    PathSegment, PathStyle, Payload, QueryStyle, Response, Sequence, Status, TypeKind, TypeRef,
};
use crate::load::openapi32::SequenceKind;

/// `src/client.rs`, in chunks: imports and servers, the `Client` declaration, the operations.
pub fn client_rs(api: &Api) -> Vec<Chunk> {
    let uses_types = api.operations.iter().any(mentions_types);
    let allow = allow_unused_imports(api);
    let use_types = uses_types.then(|| {
        quote!(
            #allow
            use super::types;
        )
    });
    // Operation-level items are `{Op}Params`, `{Op}Response` and `{Op}Error`, and named types
    // live under `types::`, so these short names cannot clash.
    let use_runtime = (!api.operations.is_empty()).then(|| {
        let names = runtime_names(api);
        quote!(
            #allow
            use paykit_runtime::{#(#names),*};
        )
    });
    let (methods, items): (Vec<_>, Vec<_>) = api.operations.iter().map(|op| operation(api, op)).unzip();
    let form_bodies = api.form_bodies.iter().map(|body| form_body_impl(api, body));
    let use_form = (!api.form_bodies.is_empty()).then(|| {
        let styled = api.form_bodies.iter().any(|body| !body.styles.is_empty());
        let names = if styled {
            quote!({FormBody, Style, Styles})
        } else {
            quote!(FormBody)
        };
        quote!(
            #allow
            use paykit_runtime::form::#names;
        )
    });
    let servers = servers(api);
    let php_request = (api.php_forms && !api.operations.is_empty()).then(|| {
        // With tag features, the operations that use it may all be left out.
        let allow = (!api.features.is_empty()).then(|| quote!(#[allow(dead_code)]));
        quote! {
            /// A request of this API, whose query parameters and form bodies are written as PHP
            /// writes them (`x-paykit-form-dialect: php`).
            #allow
            fn php_request(operation: &'static str, method: Method, path: impl Into<String>) -> Request {
                Request::new(operation, method, path).dialect(paykit_runtime::form::Dialect::Php)
            }
        }
    });
    let head = quote! {
        #use_runtime
        #use_form
        #use_types

        #servers

        #php_request
    };
    let operations = (!methods.is_empty()).then(|| {
        quote! {
            impl Client {
                #(#methods)*
            }
        }
    });
    let tail = quote! {
        #operations

        #(#items)*

        #(#form_bodies)*
    };
    vec![
        Chunk::Tokens(head),
        Chunk::Text(client_declaration(api)),
        Chunk::Tokens(tail),
    ]
}

/// The `paykit_runtime::client!` invocation that declares `Client`: what differs per API (its
/// title, client parameters, authentication and rate-limit header); the runtime writes the rest.
fn client_declaration(api: &Api) -> String {
    let mut text = String::from("paykit_runtime::client! {\n");
    let title = format!("Client for the {} API: one async method per operation.", api.title);
    for line in doc_lines(Some(&title)) {
        text.push_str(&format!("    ///{line}\n"));
    }
    if api.client_params.is_empty() {
        text.push_str("    pub struct Client {}\n");
    } else {
        text.push_str("    pub struct Client {\n");
        client_fields(api, &mut text);
        text.push_str("    }\n");
    }
    let auth = match api.auth {
        AuthArg::Any => "required",
        AuthArg::None => "none",
    };
    text.push_str(&format!("    auth: {auth};\n"));
    if let Some(reset) = &api.rate_limit_reset {
        let format = if reset.unix_seconds {
            "UnixSeconds"
        } else {
            "DelaySeconds"
        };
        let header = Literal::string(&reset.header);
        text.push_str(&format!("    rate_limit_reset: {header}, {format};\n"));
    }
    text.push_str("}\n");
    text
}

/// The client parameters, as the fields of `client!`'s struct, with their docs.
fn client_fields(api: &Api, text: &mut String) {
    for p in &api.client_params {
        let doc = format!(
            "`{}` ({}), sent with every operation that takes it. {}",
            p.wire_name,
            p.kind.location(),
            p.doc.as_deref().unwrap_or_default()
        );
        for line in doc_lines(Some(&doc)) {
            text.push_str(&format!("        ///{line}\n"));
        }
        text.push_str(&format!("        {}: String,\n", ident(&p.rust_name)));
    }
}

/// What the methods name from the runtime: the request and response types, and the style of
/// each parameter location the operations use.
fn runtime_names(api: &Api) -> Vec<Ident> {
    let params = || {
        let client = api.client_params.iter();
        client.chain(
            api.operations
                .iter()
                .flat_map(|op| op.required.iter().chain(&op.optional)),
        )
    };
    let mut names = vec!["Error", "Method", "Request", "ResponseValue"];
    let kinds: Vec<ParamKind> = params().map(|p| p.kind).collect();
    if kinds.iter().any(|kind| matches!(kind, ParamKind::Path(_))) {
        names.push("PathStyle");
    }
    if kinds.iter().any(|kind| matches!(kind, ParamKind::Query(_))) {
        names.push("QueryStyle");
    }
    if kinds.iter().any(|kind| matches!(kind, ParamKind::Header { .. })) {
        names.push("HeaderStyle");
    }
    if kinds.iter().any(|kind| matches!(kind, ParamKind::Cookie { .. })) {
        names.push("CookieStyle");
    }
    if params().any(|p| p.json) {
        names.push("JsonText");
    }
    names.sort_unstable();
    names.into_iter().map(|name| format_ident!("{name}")).collect()
}

fn servers(api: &Api) -> TokenStream {
    let consts = api.servers.iter().map(|s| {
        let name = ident(&s.const_name);
        let url = &s.url;
        let doc = docs(s.description.as_deref());
        quote!(#doc pub const #name: &str = #url;)
    });
    quote! {
        /// Base URLs the spec lists, for [`Client::new`].
        pub mod servers {
            #(#consts)*
        }
    }
}

fn mentions_types(op: &Operation) -> bool {
    let named = |ty: &TypeRef| ty.mentions_named();
    op.required.iter().chain(&op.optional).any(|p| named(&p.ty))
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
        || op.responses.iter().any(|r| match &r.payload {
            Payload::Json(ty) | Payload::Sequence(Sequence { item: ty, .. }) => named(ty),
            _ => false,
        })
}

/// The method (and its `…_stream` twin, when paginated), and the items that go with it.
fn operation(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let names = ItemNames::of(op);
    let errors = op.errors();
    let error_ty = error_type(&errors, &names);
    let (output, response_enum, arms) = responses(op, &names.response, &errors, &names.error, &error_ty);
    let args = arguments(op);
    let cfg = cfg(op.feature.as_slice());
    let method = method(api, op, &args, &output, &error_ty, &arms);
    let stream = op.pagination.as_ref().map(|p| {
        let methods = super::paging::methods(op, p, &args, &output, &error_ty);
        quote!(#cfg #methods)
    });
    let items = [
        params_struct(op, &names.params),
        response_enum,
        error_enum(op, &errors, &names.error),
    ];
    let items = items.into_iter().flatten();
    (quote!(#method #stream), quote!(#(#cfg #items)*))
}

/// The names of an operation's own items: `{Op}Params`, `{Op}Error` and `{Op}Response`.
struct ItemNames {
    params: Ident,
    error: Ident,
    response: Ident,
}

impl ItemNames {
    fn of(op: &Operation) -> Self {
        Self {
            params: format_ident!("{}Params", op.type_prefix),
            error: format_ident!("{}Error", op.type_prefix),
            response: format_ident!("{}Response", op.type_prefix),
        }
    }
}

/// What the documented error statuses decode into (see [`Errors`]).
fn error_type(errors: &Errors<'_>, names: &ItemNames) -> TokenStream {
    match errors {
        Errors::None => quote!(::std::convert::Infallible),
        Errors::Bodiless => quote!(()),
        Errors::Same(ty) => rust_type(ty, true),
        Errors::ByStatus => {
            let error = &names.error;
            quote!(#error)
        }
    }
}

/// One argument of an operation's method.
pub(super) enum Arg<'a> {
    /// A path parameter, or a required query, header or cookie parameter.
    Param(&'a Param),
    Body(&'a Body),
    /// The optional parameters, as the operation's `{Op}Params`.
    Params,
}

/// The method's arguments, in order: positional parameters, the body, the optional parameters.
fn arguments(op: &Operation) -> Vec<Arg<'_>> {
    let mut args: Vec<Arg> = op.required.iter().map(Arg::Param).collect();
    args.extend(op.body.as_ref().map(Arg::Body));
    if !op.optional.is_empty() {
        args.push(Arg::Params);
    }
    args
}

/// An argument as the method declares it: `id: &str`, `body: &types::Payment`, `params: …Params`;
/// its references with `lifetime` (`'a`), if given.
pub(super) fn declare(op: &Operation, arg: &Arg, lifetime: &TokenStream) -> TokenStream {
    match arg {
        Arg::Param(p) => {
            let (rust, ty) = (ident(&p.rust_name), arg_type(&p.ty, lifetime));
            quote!(#rust: #ty)
        }
        Arg::Body(body) => {
            let ty = match &body.encoding {
                BodyEncoding::Raw { text: true, .. } => quote!(str),
                BodyEncoding::Raw { text: false, .. } => quote!([u8]),
                _ => rust_type(&body.ty, true),
            };
            if body.required {
                quote!(body: &#lifetime #ty)
            } else {
                quote!(body: Option<&#lifetime #ty>)
            }
        }
        Arg::Params => {
            let params = &ItemNames::of(op).params;
            quote!(params: #params)
        }
    }
}

/// The async method: build the request, send it, decode the answer by status.
fn method(
    api: &Api,
    op: &Operation,
    args: &[Arg],
    output: &TokenStream,
    error_ty: &TokenStream,
    arms: &[TokenStream],
) -> TokenStream {
    let name = ident(&op.method_name);
    let docs = method_docs(op);
    let cfg = cfg(op.feature.as_slice());
    let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let args = args.iter().map(|arg| declare(op, arg, &quote!()));
    let build = build_request(api, op);
    // A sequence is read as it arrives, not whole.
    let execute = if op.responses.iter().any(|r| matches!(r.payload, Payload::Sequence(_))) {
        quote!(execute_streaming)
    } else {
        quote!(execute)
    };
    quote! {
        #docs
        #cfg
        #allow
        pub async fn #name(&self, #(#args),*) -> Result<ResponseValue<#output>, Error<#error_ty>> {
            #build
            let response = self.transport.#execute(request).await?;
            match response.status() {
                #(#arms)*
            }
        }
    }
}

/// The spec's summary and description, then the route: `` `POST /payments` ``.
fn method_docs(op: &Operation) -> TokenStream {
    let doc = op.doc.as_deref().unwrap_or_default().trim_end();
    let route = format!("`{} {}`", op.http_method.as_str(), op.path_template());
    if doc.is_empty() {
        docs(Some(&route))
    } else {
        docs(Some(&format!("{doc}\n\n{route}")))
    }
}

/// `let request = …;` with everything the operation sends: path, query, headers, cookies, body.
fn build_request(api: &Api, op: &Operation) -> TokenStream {
    let (path, path_params) = path_template(op);
    let new_request = new_request(api, op, quote!(#path));
    let binding = if adds_to_request(op) {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let fixed_query = op
        .fixed_query
        .iter()
        .map(|(name, value)| quote!(request.query(#name, #value);));
    let params = send_params(api, op);
    let body = op.body.as_ref().map(|body| send_body(api, body));
    quote! {
        #binding = #new_request;
        #(#path_params)*
        #(#fixed_query)*
        #(#params)*
        #body
    }
}

/// `Request::new(…)` with what the spec says of the operation as a whole.
fn new_request(api: &Api, op: &Operation, path: TokenStream) -> TokenStream {
    // PHP APIs build every request through `php_request`, which sets the dialect once.
    let constructor = if api.php_forms {
        quote!(php_request)
    } else {
        quote!(Request::new)
    };
    let operation_id = &op.operation_id;
    let method = match &op.http_method {
        HttpMethod::Other(name) => quote!(paykit_runtime::method(#name)?),
        fixed => {
            let constant = format_ident!("{}", fixed.as_str());
            quote!(Method::#constant)
        }
    };
    let accept = op.accept();
    let accept = (!accept.is_empty()).then(|| {
        let accept = accept.join(", ");
        quote!(.accept(#accept))
    });
    let idempotent = op.idempotent.then(|| quote!(.idempotent()));
    let holds_secret = op
        .responses
        .iter()
        .any(|r| r.success && matches!(&r.payload, Payload::Json(ty) if api.holds_secret(ty)));
    let secret_response = holds_secret.then(|| quote!(.secret_response()));
    quote!(#constructor(#operation_id, #method, #path) #accept #idempotent #secret_response)
}

/// Whether anything is added to the request after it is built (so it is `let mut`).
fn adds_to_request(op: &Operation) -> bool {
    op.body.is_some()
        || !op.fixed_query.is_empty()
        || !op.optional.is_empty()
        || !op.client_params.is_empty()
        || !op.required.is_empty()
}

/// Every query, header and cookie parameter: the client's own, the positional ones, then those
/// of `params`.
fn send_params(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let client = api
        .client_params
        .iter()
        .filter(|p| op.client_params.contains(&p.rust_name))
        .map(|p| {
            let rust = ident(&p.rust_name);
            send_param(p, quote!(&self.#rust))
        });
    let required = op
        .required
        .iter()
        .filter(|p| !matches!(p.kind, ParamKind::Path(_)))
        .map(|p| send_param(p, borrowed_arg(p)));
    let optional = op.optional.iter().map(|p| {
        let rust = ident(&p.rust_name);
        match p.kind {
            ParamKind::IdempotencyKey => send_param(p, quote!(params.#rust.as_str())),
            _ => send_param(p, quote!(&params.#rust)),
        }
    });
    client.chain(required).chain(optional).collect()
}

/// Sets the body from the `body` argument, when there is one.
fn send_body(api: &Api, body: &Body) -> TokenStream {
    let checks = body_secrets(api, &body.ty);
    let set = set_body(api, body);
    let set = quote!(#(#checks)* #set);
    if body.required {
        set
    } else {
        quote!(if let Some(body) = body { #set })
    }
}

/// A check of each credential the body carries (a `format: password` property of its struct),
/// so that an empty one is refused, by name, before anything is sent.
fn body_secrets(api: &Api, ty: &TypeRef) -> Vec<TokenStream> {
    let mut ty = ty;
    while let TypeRef::Named(name) = ty
        && let Some(TypeKind::Alias(aliased)) = api.type_def(name).map(|def| &def.kind)
    {
        ty = aliased;
    }
    let fields = match ty {
        TypeRef::Named(name) => match api.type_def(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    fields
        .iter()
        .filter(|f| f.ty == TypeRef::Secret)
        .map(|f| {
            let (rust, what) = (
                ident(&f.rust_name),
                format!("`{}` property of the request body", f.wire_name),
            );
            if f.is_option() {
                quote!(if let Some(secret) = &body.#rust { secret.require(#what)?; })
            } else {
                quote!(body.#rust.require(#what)?;)
            }
        })
        .collect()
}

/// `` [`Client::create_payment`]``, for the docs of the operation's own items.
fn method_link(op: &Operation) -> String {
    format!(" [`Client::{}`]", op.method_name.trim_start_matches("r#"))
}

/// `{Op}Params`: the optional parameters, each an `Option` (an idempotency key always set).
fn params_struct(op: &Operation, name: &Ident) -> Option<TokenStream> {
    if op.optional.is_empty() {
        return None;
    }
    let fields = op.optional.iter().map(|p| {
        let rust = ident(&p.rust_name);
        let mut doc = p.doc.clone().unwrap_or_default();
        let ty = if p.kind == ParamKind::IdempotencyKey {
            doc.push_str(IDEMPOTENCY_DOC);
            quote!(paykit_runtime::IdempotencyKey)
        } else {
            let ty = rust_type(&p.ty, true);
            quote!(Option<#ty>)
        };
        let docs = docs(Some(&format!("`{}` ({}). {}", p.wire_name, p.kind.location(), doc)));
        quote!(#docs pub #rust: #ty)
    });
    let method_link = method_link(op);
    let doc = if op.optional.iter().any(|p| p.kind == ParamKind::IdempotencyKey) {
        format!(
            " Optional parameters of{method_link}; `Default::default()` leaves them all out and fixes a fresh \
             idempotency key. Clone them to repeat the call safely."
        )
    } else {
        format!(" Optional parameters of{method_link}; `Default::default()` leaves them all out.")
    };
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name { #(#fields,)* }
    })
}

/// `{Op}Error`, when the documented error bodies differ by status: one variant per status.
fn error_enum(op: &Operation, errors: &Errors<'_>, name: &Ident) -> Option<TokenStream> {
    if !matches!(errors, Errors::ByStatus) {
        return None;
    }
    let variants = op.responses.iter().filter(|r| !r.success).map(|r| {
        let variant = ident(&r.variant);
        let docs = docs(r.doc.as_deref());
        match &r.payload {
            Payload::Json(ty) => {
                let ty = rust_type(ty, true);
                quote!(#docs #variant(#ty))
            }
            _ => quote!(#docs #variant),
        }
    });
    let doc = format!(" The error responses{} documents, by status.", method_link(op));
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name { #(#variants,)* }
    })
}

const IDEMPOTENCY_DOC: &str = "\n\nA fresh UUID v4 by default, fixed when the parameters are built: a clone of these \
    parameters sends the same key, so repeating a call whose outcome is unknown can never apply it twice. \
    Automatic retries send it too; the key sent is on the response and on the error.";

/// Sets the request body from the `body` argument, as JSON, a form, multipart or as it is.
fn set_body(api: &Api, body: &Body) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Multipart => {
            let parts = multipart_parts(api, &body.ty);
            quote! {
                let mut form = paykit_runtime::multipart::Form::new();
                #parts
                request.multipart(form);
            }
        }
        BodyEncoding::MultipartValue { part } => {
            let add = match &body.ty {
                TypeRef::File => quote!(form.file(#part, body);),
                TypeRef::Vec(item) if **item == TypeRef::File => quote!(for file in body { form.file(#part, file); }),
                _ => quote!(form.field(#part, body)?;),
            };
            quote! {
                let mut form = paykit_runtime::multipart::Form::new();
                #add
                request.multipart(form);
            }
        }
        BodyEncoding::Json => quote!(request.json(body);),
        BodyEncoding::Raw { content_type, .. } => quote!(request.raw(#content_type, body);),
        // How its properties are written is the body type's own (see `form_body_impl`).
        BodyEncoding::Form => quote!(request.form(body);),
    }
}

/// `impl FormBody for types::X`: how a struct sent as a form body writes its properties, said
/// once beside the type instead of at every call site.
fn form_body_impl(api: &Api, body: &FormBody) -> TokenStream {
    let name = ident(&body.type_name);
    let features = api
        .type_def(&body.type_name)
        .map_or(&[][..], |def| def.features.as_slice());
    let cfg = cfg(features);
    if body.styles.is_empty() {
        return quote!(#cfg impl FormBody for types::#name {});
    }
    let styles = body.styles.iter().map(|(property, style)| {
        let style = match style {
            FormStyle::Form { explode } => quote!(Form { explode: #explode }),
            FormStyle::DeepObject => quote!(DeepObject),
            FormStyle::Json => quote!(Json),
        };
        quote!((#property, Style::#style))
    });
    quote! {
        #cfg
        impl FormBody for types::#name {
            const STYLES: Styles = &[#(#styles),*];
        }
    }
}

/// One part per property of the body struct, files as files; a map's entries as they come.
fn multipart_parts(api: &Api, ty: &TypeRef) -> TokenStream {
    let mut ty = ty;
    while let TypeRef::Named(name) = ty
        && let Some(TypeKind::Alias(aliased)) = api.type_def(name).map(|def| &def.kind)
    {
        ty = aliased;
    }
    let struct_kind = match ty {
        TypeRef::Named(name) => api.type_def(name).map(|def| &def.kind),
        _ => None,
    };
    let Some(TypeKind::Struct { fields, extra }) = struct_kind else {
        return quote!(form.fields(body)?;);
    };
    let parts = fields.iter().map(|f| {
        let (wire, rust) = (&f.wire_name, ident(&f.rust_name));
        match (&f.ty, f.is_option()) {
            (TypeRef::File, false) => quote!(form.file(#wire, &body.#rust);),
            (TypeRef::File, true) => quote!(if let Some(file) = &body.#rust { form.file(#wire, file); }),
            (TypeRef::Vec(item), false) if matches!(item.as_ref(), TypeRef::File) => {
                quote!(for file in &body.#rust { form.file(#wire, file); })
            }
            (TypeRef::Vec(item), true) if matches!(item.as_ref(), TypeRef::File) => {
                quote!(for file in body.#rust.iter().flatten() { form.file(#wire, file); })
            }
            _ => quote!(form.field(#wire, &body.#rust)?;),
        }
    });
    let extra = extra.as_ref().map(|e| {
        let rust = ident(&e.rust_name);
        quote!(form.fields(&body.#rust)?;)
    });
    quote!(#(#parts)* #extra)
}

/// How a positional parameter is taken: strings and lists borrowed (for `lifetime`, if given),
/// numbers by value.
fn arg_type(ty: &TypeRef, lifetime: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&#lifetime str),
        TypeRef::Vec(item) => {
            let item = rust_type(item, true);
            quote!(&#lifetime [#item])
        }
        _ if by_reference(ty) => {
            let ty = rust_type(ty, true);
            quote!(&#lifetime #ty)
        }
        _ => rust_type(ty, true),
    }
}

/// Whether [`arg_type`] borrows a value of `ty`.
pub(super) fn by_reference(ty: &TypeRef) -> bool {
    !(ty.is_scalar() || matches!(ty, TypeRef::Optional(_)))
}

/// Adds one query, header or cookie parameter whose value is `value` (a reference), naming the
/// runtime's rule for its location and style.
fn send_param(p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire_name;
    let value = json_text(p, value);
    match p.kind {
        ParamKind::Query(style) => {
            let style = match style {
                QueryStyle::Form { explode: true } => quote!(Form),
                QueryStyle::Form { explode: false } => quote!(FormUnexploded),
                QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                QueryStyle::PipeDelimited => quote!(PipeDelimited),
                QueryStyle::DeepObject => quote!(DeepObject),
            };
            quote!(request.query_param(#wire, #value, QueryStyle::#style);)
        }
        ParamKind::Header { explode } => {
            let style = if explode {
                quote!(SimpleExploded)
            } else {
                quote!(Simple)
            };
            // A credential in a header is kept out of logs and `Debug`.
            if p.ty == TypeRef::Secret {
                quote!(request.sensitive_header_param(#wire, #value, HeaderStyle::#style);)
            } else {
                quote!(request.header_param(#wire, #value, HeaderStyle::#style);)
            }
        }
        ParamKind::IdempotencyKey => quote!(request.idempotency_key(#wire, #value);),
        ParamKind::Cookie { explode } => {
            let style = if explode { quote!(Form) } else { quote!(FormUnexploded) };
            quote!(request.cookie_param(#wire, #value, CookieStyle::#style);)
        }
        ParamKind::Path(_) => unreachable!("path parameters are written into the path"),
    }
}

/// `value`, or for a parameter sent as JSON text, that text.
fn json_text(p: &Param, value: TokenStream) -> TokenStream {
    if p.json { quote!(&JsonText(#value)) } else { value }
}

/// A positional argument as the reference the runtime's parameter writers take.
fn borrowed_arg(p: &Param) -> TokenStream {
    let rust = ident(&p.rust_name);
    if by_reference(&p.ty) {
        quote!(#rust)
    } else {
        quote!(&#rust)
    }
}

/// The path template (`"/payments/{id}"`), and a `request.path_param(…)` per parameter in it,
/// which writes the value into its place.
fn path_template(op: &Operation) -> (String, Vec<TokenStream>) {
    let (mut template, mut fills) = (String::new(), Vec::new());
    for segment in &op.path {
        let name = match segment {
            PathSegment::Literal(l) => {
                template.push_str(l);
                continue;
            }
            PathSegment::Param(name) => name,
        };
        let Some((p, style)) = op.required.iter().find_map(|p| match p.kind {
            ParamKind::Path(style) if p.wire_name == *name => Some((p, style)),
            _ => None,
        }) else {
            continue;
        };
        let (wire, value) = (&p.wire_name, json_text(p, borrowed_arg(p)));
        let style = path_style(style);
        template.push_str(&format!("{{{wire}}}"));
        fills.push(quote!(request.path_param(#wire, #value, PathStyle::#style);));
    }
    (template, fills)
}

/// The body type of a success; a sequence's items fail with the operation's error type.
fn payload_type(payload: &Payload, error_ty: &TokenStream) -> TokenStream {
    match payload {
        Payload::None => quote!(()),
        Payload::Json(ty) => rust_type(ty, true),
        Payload::Text => quote!(String),
        Payload::Binary => quote!(Vec<u8>),
        Payload::Sequence(sequence) => {
            let item = rust_type(&sequence.item, true);
            let item = if sequence.json_data {
                quote!(paykit_runtime::sequence::Event<#item>)
            } else {
                item
            };
            quote!(paykit_runtime::sequence::Sequence<#item, #error_ty>)
        }
    }
}

fn reader(r: &Response) -> TokenStream {
    match (&r.payload, &r.unwrap) {
        // Naming the type pins it where a per-status variant constructor alone would not.
        (Payload::Json(ty), Some(pointer)) => {
            let ty = rust_type(ty, true);
            quote!(response.json_at::<#ty, _>(#pointer))
        }
        (Payload::Json(ty), None) => {
            let ty = rust_type(ty, true);
            quote!(response.json::<#ty, _>())
        }
        (Payload::None, _) => quote!(response.empty()),
        (Payload::Text, _) => quote!(response.text()),
        (Payload::Binary, _) => quote!(response.bytes()),
        (Payload::Sequence(sequence), _) => {
            let item = rust_type(&sequence.item, true);
            let read = match (sequence.kind, sequence.json_data) {
                (SequenceKind::Events, true) => quote!(json_events),
                (SequenceKind::Events, false) => quote!(events),
                (SequenceKind::JsonLines, _) => quote!(json_lines),
                (SequenceKind::JsonSeq, _) => quote!(json_seq),
            };
            quote!(response.#read::<#item, _>())
        }
    }
}

fn pattern(status: &Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(*code);
            quote!(#code)
        }
        Status::Range(range) => {
            let (low, high) = (
                Literal::u16_unsuffixed(range * 100),
                Literal::u16_unsuffixed(range * 100 + 99),
            );
            quote!(#low..=#high)
        }
        Status::Default => quote!(_),
    }
}

/// The success type, the per-status success enum if statuses differ, and the match arms.
fn responses(
    op: &Operation,
    response_ty: &Ident,
    errors: &Errors<'_>,
    error_enum: &Ident,
    error_ty: &TokenStream,
) -> (TokenStream, Option<TokenStream>, Vec<TokenStream>) {
    let successes: Vec<&Response> = op.responses.iter().filter(|r| r.success).collect();
    let uniform = successes
        .windows(2)
        .all(|w| (&w[0].payload, &w[0].unwrap) == (&w[1].payload, &w[1].unwrap));
    let mut arms = Vec::new();
    let (output, response_enum) = if uniform {
        // Every 2xx, documented or not, reads as the one success: an undocumented 2xx was
        // applied all the same and must never become an error that invites a repeat.
        let read = successes
            .first()
            .map_or_else(|| quote!(response.empty()), |r| reader(r));
        arms.push(quote!(200..=299 => #read,));
        (
            successes
                .first()
                .map(|r| payload_type(&r.payload, error_ty))
                .unwrap_or(quote!(())),
            None,
        )
    } else {
        let mut variants = Vec::new();
        let mut first_read = None;
        for r in &successes {
            let (pat, read, variant) = (pattern(&r.status), reader(r), ident(&r.variant));
            let docs = docs(r.doc.as_deref());
            let read = if r.payload == Payload::None {
                variants.push(quote!(#docs #variant));
                quote!(#read.map(|value| value.map(|()| #response_ty::#variant)))
            } else {
                let ty = payload_type(&r.payload, error_ty);
                variants.push(quote!(#docs #variant(#ty)));
                quote!(#read.map(|value| value.map(#response_ty::#variant)))
            };
            first_read.get_or_insert_with(|| read.clone());
            arms.push(quote!(#pat => #read,));
        }
        // An undocumented 2xx reads as the first documented success.
        if let Some(read) = first_read.filter(|_| !successes.iter().any(|r| r.status == Status::Range(2))) {
            arms.push(quote!(200..=299 => #read,));
        }
        let doc = format!(
            " The success responses of [`Client::{}`], by status.",
            op.method_name.trim_start_matches("r#")
        );
        let item = quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            #[non_exhaustive]
            pub enum #response_ty { #(#variants,)* }
        };
        (quote!(#response_ty), Some(item))
    };
    let mut error_responses: Vec<&Response> = op.responses.iter().filter(|r| !r.success).collect();
    // `default` matches everything, so it comes last.
    error_responses.sort_by_key(|r| r.status == Status::Default);
    let has_default = error_responses.iter().any(|r| r.status == Status::Default);
    match errors {
        Errors::None => {}
        Errors::ByStatus => {
            for r in &error_responses {
                let (pat, variant) = (pattern(&r.status), ident(&r.variant));
                arms.push(match &r.payload {
                    Payload::Json(_) => quote!(#pat => Err(response.error_json(#error_enum::#variant)),),
                    _ => quote!(#pat => Err(response.error_without_body(#error_enum::#variant)),),
                });
            }
        }
        // One arm for every status: `400 | 404 | 500 => …`, or `_` when `default` is among them.
        Errors::Same(_) | Errors::Bodiless => {
            let pat = if has_default {
                quote!(_)
            } else {
                let codes = error_responses.iter().map(|r| pattern(&r.status));
                quote!(#(#codes)|*)
            };
            arms.push(match errors {
                Errors::Same(_) => quote!(#pat => Err(response.error()),),
                _ => quote!(#pat => Err(response.error_without_body(())),),
            });
        }
    }
    if !has_default {
        arms.push(quote!(_ => Err(response.unexpected()),));
    }
    (output, response_enum, arms)
}

/// The runtime's `PathStyle` variant for a path parameter's style.
pub(crate) fn path_style(style: PathStyle) -> TokenStream {
    match style {
        PathStyle::Simple { explode: false } => quote!(Simple),
        PathStyle::Simple { explode: true } => quote!(SimpleExploded),
        PathStyle::Label { explode: false } => quote!(Label),
        PathStyle::Label { explode: true } => quote!(LabelExploded),
        PathStyle::Matrix { explode: false } => quote!(Matrix),
        PathStyle::Matrix { explode: true } => quote!(MatrixExploded),
    }
}
