//! Stage 2: the provider-neutral model the emitters read. Every name is decided here, once:
//! emitters never case-convert or deduplicate anything themselves.

mod extensions;
mod names;
mod operations;
mod pagination;
mod refs;
mod types;
mod usage;

pub(crate) use extensions::beside_ref;
pub use names::package_name;
pub use pagination::{NextLink, PageKind, PageParam, Pagination, Step};

use std::collections::{HashMap, HashSet};

use crate::error::Result;
use crate::load::Spec;

/// One API: what one generated crate contains.
#[derive(Debug, Clone)]
pub struct Api {
    /// Where it came from, for the `@generated` header and error messages.
    pub source: Source,
    pub title: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// What `Client::new` takes to authenticate requests.
    pub auth: AuthArg,
    /// `x-paykit-client-param` parameters: given once to `Client::new`, sent by every operation
    /// that declares them.
    pub client_params: Vec<Param>,
    /// The structs sent as form bodies, by name, with how their properties are written.
    pub form_bodies: Vec<FormBody>,
    /// `x-paykit-form-dialect: php`: form bodies and query booleans written as PHP writes them.
    pub php_forms: bool,
    /// `x-paykit-rate-limit-reset`: the response header that says when a rate limit resets.
    pub rate_limit_reset: Option<RateLimitReset>,
    pub operations: Vec<Operation>,
    /// Named types, sorted by name (deterministic output): those the operations use, or every
    /// one with `x-paykit-unused-schemas: keep`.
    pub types: Vec<TypeDef>,
    /// `x-paykit-tag-features`: one cargo feature per tag, all on by default; empty when off.
    pub features: Vec<String>,
    /// The names of the types that can hold a secret, for [`Api::holds_secret`].
    secret_holders: HashSet<String>,
}

/// The spec an [`Api`] was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// How the spec is named (`specs/vinr.yaml`).
    pub label: String,
    /// SHA-256 of the spec's bytes, hex: the freshness guard compares it.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthArg {
    /// The spec declares no security scheme: no auth argument at all.
    None,
    /// Any `paykit_runtime::Auth`.
    Any,
}

impl Api {
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        // `types` is sorted by name.
        let at = self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok()?;
        self.types.get(at)
    }

    /// Whether a value of `ty` can hold a [`TypeRef::Secret`] anywhere inside it (a token
    /// response).
    pub fn holds_secret(&self, ty: &TypeRef) -> bool {
        match innermost(ty) {
            TypeRef::Secret => true,
            TypeRef::Named(name) => self.secret_holders.contains(name),
            _ => false,
        }
    }
}

/// The named types that can hold a [`TypeRef::Secret`] anywhere inside: found once, backwards
/// from the types that hold one directly, each type visited once (an explicit stack, so cycles
/// and deep chains end without recursion).
fn secret_holders(types: &[TypeDef]) -> HashSet<String> {
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut stack = Vec::new();
    for def in types {
        for member in def.kind.members() {
            match innermost(member) {
                TypeRef::Secret => stack.push(def.name.as_str()),
                TypeRef::Named(name) => users.entry(name.as_str()).or_default().push(&def.name),
                _ => {}
            }
        }
    }
    let mut holders = HashSet::new();
    while let Some(name) = stack.pop() {
        if holders.insert(name.to_owned()) {
            stack.extend(users.get(name).into_iter().flatten());
        }
    }
    holders
}

/// `ty` without its `Vec`, `Map` and `Option` wrappers.
fn innermost(mut ty: &TypeRef) -> &TypeRef {
    while let TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Optional(inner) = ty {
        ty = inner;
    }
    ty
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitReset {
    /// The header name, lower-case.
    pub header: String,
    /// `true`: a Unix timestamp in seconds; `false`: seconds from now.
    pub unix_seconds: bool,
}

#[derive(Debug, Clone)]
pub struct Server {
    /// `PRODUCTION`, from the server's description.
    pub const_name: String,
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// snake_case method name on `Client`.
    pub method_name: String,
    /// The spec's `operationId` (or `get /path` without one), for traces.
    pub operation_id: String,
    /// `x-paykit-idempotent: true`: repeating the operation cannot apply it twice, so it may be
    /// retried although its method is not safe.
    pub idempotent: bool,
    /// UpperCamelCase prefix for the operation's own types (`CreatePayment` → `CreatePaymentError`).
    pub type_prefix: String,
    pub http_method: HttpMethod,
    pub path: Vec<PathSegment>,
    /// Query pairs written into the path template itself (`/search?type=item`).
    pub fixed_query: Vec<(String, String)>,
    pub doc: Option<String>,
    /// Rust names of the client parameters (`Api::client_params`) this operation sends.
    pub client_params: Vec<String>,
    /// Path parameters, then required query and header parameters: positional arguments.
    pub required: Vec<Param>,
    /// Optional query and header parameters: fields of `{prefix}Params`.
    pub optional: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// `x-paykit-pagination`: the operation also gets a `…_stream` method over its items.
    pub pagination: Option<Pagination>,
    pub tags: Vec<String>,
    /// The cargo feature it is compiled under (with tag features on; its first tag's).
    pub feature: Option<String>,
}

/// The methods OpenAPI 3.0 path items have, and any other a 3.2 path item names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// Any other method, as sent: OpenAPI 3.2's `query` (`QUERY`) and `additionalOperations`.
    Other(String),
}

impl HttpMethod {
    /// From an OpenAPI path item key (`get`, `post`, …).
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => Self::Get,
            "put" => Self::Put,
            "post" => Self::Post,
            "delete" => Self::Delete,
            "options" => Self::Options,
            "head" => Self::Head,
            "patch" => Self::Patch,
            "trace" => Self::Trace,
            _ => return None,
        })
    }

    /// `GET`, `POST`, …: the wire name, which is also the `http::Method` constant's name (but
    /// for [`HttpMethod::Other`]).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
            Self::Other(method) => method,
        }
    }
}

/// What an operation's documented error statuses decode into: their one body type where they
/// share it (status, headers and raw body are on `paykit_runtime::Error` anyway), an enum by
/// status only where the bodies really differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errors<'a> {
    /// No error status is documented.
    None,
    /// No error status documents a JSON body.
    Bodiless,
    /// Every error status has this JSON body.
    Same(&'a TypeRef),
    /// The bodies differ: one variant per status.
    ByStatus,
}

impl Operation {
    pub fn errors(&self) -> Errors<'_> {
        let mut bodies = self.responses.iter().filter(|r| !r.success).map(|r| match &r.payload {
            Payload::Json(ty) => Some(ty),
            _ => None,
        });
        let Some(first) = bodies.next() else {
            return Errors::None;
        };
        if !bodies.all(|body| body == first) {
            return Errors::ByStatus;
        }
        match first {
            Some(ty) => Errors::Same(ty),
            None => Errors::Bodiless,
        }
    }

    /// The media types the documented responses come in, each once, by status: what the
    /// request accepts. Empty when no response documents a body.
    pub fn accept(&self) -> Vec<&str> {
        let mut accept: Vec<&str> = Vec::new();
        for media_type in self.responses.iter().flat_map(|r| &r.media_types) {
            if !accept.contains(&media_type.as_str()) {
                accept.push(media_type);
            }
        }
        accept
    }

    /// The path as the spec writes it: `/payments/{id}`.
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                PathSegment::Literal(l) => l.clone(),
                PathSegment::Param(name) => format!("{{{name}}}"),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A path parameter, by wire name (one of `Operation::required`).
    Param(String),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    /// Where it goes, and how it is written there.
    pub kind: ParamKind,
    pub ty: TypeRef,
    /// Described by `content: {application/json: …}`: the value is written as its JSON text,
    /// which the location's rule then escapes like any string.
    pub json: bool,
    pub doc: Option<String>,
}

/// Where a parameter goes (OpenAPI's `in`) and how it is written there (its `style` and
/// `explode`): only the combinations OpenAPI defines. How each is spelled on the wire is the
/// runtime's business; the IR only names the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Path(PathStyle),
    Query(QueryStyle),
    /// `style: simple`, the one style of headers.
    Header {
        explode: bool,
    },
    /// `x-paykit-idempotency-key`: a string header sent as the request's idempotency key; as an
    /// optional parameter, a fresh UUID fixed when the parameters are built.
    IdempotencyKey,
    /// `style: form`, the one style of cookies.
    Cookie {
        explode: bool,
    },
}

impl ParamKind {
    /// OpenAPI's `in`.
    pub fn location(self) -> &'static str {
        match self {
            Self::Path(_) => "path",
            Self::Query(_) => "query",
            Self::Header { .. } | Self::IdempotencyKey => "header",
            Self::Cookie { .. } => "cookie",
        }
    }
}

/// OpenAPI's `style` of a path parameter, with its `explode` (default `false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    Simple { explode: bool },
    Label { explode: bool },
    Matrix { explode: bool },
}

/// OpenAPI's `style` of a query parameter. Only `form` has a choice of `explode` (default
/// `true`): a delimited list is always one value, a deepObject always one pair per property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    Form { explode: bool },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub encoding: BodyEncoding,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    /// `application/x-www-form-urlencoded`; how a struct's properties are written is a property
    /// of the struct ([`Api::form_bodies`]).
    Form,
    /// `multipart/form-data` of an object: each property one part (binary ones files).
    Multipart,
    /// `multipart/form-data` of anything else (a binary string, a string, a list), which has no
    /// properties to name parts: the whole value is the part `part`, a list one part per item.
    MultipartValue {
        part: &'static str,
    },
    /// Any other media type, sent as given: a string for `text/*`, bytes otherwise.
    Raw {
        content_type: String,
        text: bool,
    },
}

/// A struct sent as a form body, and how its properties are written: every operation that
/// sends it agrees on that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormBody {
    pub type_name: String,
    /// The properties whose `encoding` differs from the default (`style: form`,
    /// `explode: true`), by wire name.
    pub styles: Vec<(String, FormStyle)>,
}

/// OpenAPI's `encoding` styles for one property of a form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    Form {
        explode: bool,
    },
    /// PHP bracket keys at any depth: `a[b][c]=v`, `a[0]=v`.
    DeepObject,
    /// `contentType: application/json`: the value's JSON text.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    None,
    Json(TypeRef),
    Text,
    Binary,
    /// A stream of items (OpenAPI 3.2 `itemSchema`).
    Sequence(Sequence),
}

/// The items of a sequential response.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub kind: crate::load::openapi32::SequenceKind,
    /// Each item's type; for events whose data is JSON, the type of that data.
    pub item: TypeRef,
    /// Events whose `data` is JSON: items are `Event<item>`.
    pub json_data: bool,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub success: bool,
    /// `Status200`, `Status4XX`, `Default`: the variant name in per-status enums.
    pub variant: String,
    pub payload: Payload,
    /// `x-paykit-unwrap`: the JSON pointer of the value returned from inside an envelope; the
    /// payload type is that value's type.
    pub unwrap: Option<String>,
    /// The media types its `content` documents (without parameters, lower-case), in order.
    pub media_types: Vec<String>,
    pub doc: Option<String>,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(String),
    String,
    /// `format: password`: a `paykit_runtime::Secret`, which never shows itself in `Debug`.
    Secret,
    /// `format: binary`: a `paykit_runtime::File`, a file part in a multipart body.
    File,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    /// Any JSON value.
    Json,
    Vec(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// A value that may be absent: only the payload of an `x-paykit-unwrap-optional` response.
    Optional(Box<TypeRef>),
}

impl TypeRef {
    /// A boolean or a number: a plain `Copy` value, which a string may also spell.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Self::Bool | Self::I32 | Self::I64 | Self::U32 | Self::U64 | Self::F32 | Self::F64
        )
    }

    /// Whether a named type occurs anywhere in the expression.
    pub fn mentions_named(&self) -> bool {
        match self {
            Self::Named(_) => true,
            Self::Vec(inner) | Self::Map(inner) | Self::Optional(inner) => inner.mentions_named(),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// With tag features: compiled when any of these is on; always when empty.
    pub features: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        extra: Option<ExtraField>,
    },
    /// A string enum that keeps unknown values.
    Enum {
        variants: Vec<Variant>,
        /// `x-paykit-case-insensitive`: wire values match without regard to ASCII case.
        case_insensitive: bool,
    },
    /// `oneOf`/`anyOf`: the first variant that decodes wins.
    Union {
        variants: Vec<(String, TypeRef)>,
    },
    /// `oneOf` with a `discriminator`: the variant is chosen by the value of `property`, and a
    /// value no variant has is kept as JSON.
    Tagged {
        property: String,
        variants: Vec<TaggedVariant>,
    },
    Alias(TypeRef),
    /// A list or map of itself (an alias could not name it): a one-field tuple struct.
    Newtype(TypeRef),
}

impl TypeKind {
    /// The types a value of this kind holds directly.
    pub fn members(&self) -> Vec<&TypeRef> {
        match self {
            Self::Struct { fields, extra } => fields
                .iter()
                .map(|f| &f.ty)
                .chain(extra.iter().map(|e| &e.value))
                .collect(),
            Self::Union { variants } => variants.iter().map(|(_, ty)| ty).collect(),
            Self::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            Self::Alias(ty) | Self::Newtype(ty) => vec![ty],
            Self::Enum { .. } => Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TaggedVariant {
    pub rust_name: String,
    /// The discriminator values that select it.
    pub values: Vec<String>,
    pub ty: TypeRef,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Boxed to break a cycle of types.
    pub boxed: bool,
    /// How the value goes over the wire when serde's own way is not it.
    pub adapter: Option<FieldAdapter>,
    pub doc: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn is_option(&self) -> bool {
        self.presence != Presence::Required
    }
}

/// Whether a property must be there, and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// In the spec's `required` list and not `nullable`: a plain value, always sent.
    Required,
    /// Required and `nullable`: an `Option`, always sent (`null` for `None`).
    Nullable,
    /// Not required: an `Option`, left out when `None`.
    Optional,
}

/// A field's own wire form (`paykit_runtime::object::Adapter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldAdapter {
    /// `x-paykit-bool`: a `bool` written on the wire as the integer `0` or `1`.
    Flag,
    /// `x-paykit-lenient`: also accepted as a string.
    Lenient,
}

/// `additionalProperties` next to declared properties: collected into a flattened map.
#[derive(Debug, Clone)]
pub struct ExtraField {
    pub rust_name: String,
    pub value: TypeRef,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub rust_name: String,
    pub wire: String,
    /// `x-paykit-enum-aliases`: other spellings read as this value (never written).
    pub aliases: Vec<String>,
}

/// Builds the IR of a loaded spec.
pub fn build(spec: &Spec) -> Result<Api> {
    build_api(spec, None).map_err(|e| spec.original(e))
}

/// Builds the IR of everything in `spec` the generator supports: each operation it cannot handle
/// is left out and returned with its error (file, JSON pointer, reason). Problems outside
/// operations (a named schema, a document-level extension) still fail the whole spec, and so does a
/// misused `x-paykit-*` extension anywhere, inside an operation too.
pub fn build_skipping_unsupported(spec: &Spec) -> Result<(Api, Vec<crate::Error>)> {
    let mut skipped = Vec::new();
    let api = build_api(spec, Some(&mut skipped)).map_err(|e| spec.original(e))?;
    Ok((api, skipped.into_iter().map(|e| spec.original(e)).collect()))
}

fn build_api(spec: &Spec, skipped: Option<&mut Vec<crate::Error>>) -> Result<Api> {
    // First, and for the whole spec: skipping leaves out operations, never a misused extension.
    let extensions = extensions::Extensions::read(&spec.raw, &spec.label)?;
    let root = &extensions.root;
    let mut space = types::TypeSpace::new(spec, &extensions)?;
    let operations::Operations {
        mut operations,
        client_params,
        form_bodies,
    } = operations::build(spec, &mut space, skipped)?;
    let info = &spec.doc.info;
    let callback_types: Vec<String> = usage::callback_schemas(&spec.raw)
        .iter()
        .filter_map(|schema| space.component_type(schema))
        .collect();
    let mut types = space.finish();
    if root.unused_schemas == extensions::UnusedSchemas::Drop {
        usage::drop_unused(&mut types, &operations, &callback_types);
    }
    let tag_features = root
        .tag_features
        .unwrap_or_else(|| tag_features_by_default(&operations));
    let features = if tag_features {
        usage::tag_features(&mut operations, &mut types)
    } else {
        Vec::new()
    };
    Ok(Api {
        source: Source {
            label: spec.label.clone(),
            sha256: spec.sha256.clone(),
        },
        title: names::one_line(&info.title),
        description: info.description.clone(),
        servers: names::servers(&spec.doc.servers),
        auth: auth(spec),
        client_params,
        form_bodies,
        php_forms: root.form_dialect == extensions::FormDialect::Php,
        rate_limit_reset: root.rate_limit_reset.as_ref().map(RateLimitReset::from),
        operations,
        secret_holders: secret_holders(&types),
        types,
        features,
    })
}

/// Without `x-paykit-tag-features`: on for a spec of at least [`TAG_FEATURES_FROM`] operations in
/// two groups or more ([`usage::groups`]: tags, or paths in a spec without tags), where building
/// only a part pays.
fn tag_features_by_default(operations: &[Operation]) -> bool {
    let groups: HashSet<&str> = usage::groups(operations).into_iter().flatten().collect();
    operations.len() >= TAG_FEATURES_FROM && groups.len() >= 2
}

/// Whether `Client::new` takes an auth hook: when the spec declares any security scheme.
fn auth(spec: &Spec) -> AuthArg {
    if spec.doc.components.iter().any(|c| !c.security_schemes.is_empty()) {
        AuthArg::Any
    } else {
        AuthArg::None
    }
}

const TAG_FEATURES_FROM: usize = 200;
