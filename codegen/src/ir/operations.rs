//! Paths → operations: parameters by location, the JSON body, responses by status.

use std::collections::BTreeMap;

use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::extensions::{CLIENT_PARAM, JsonPointer, PAGINATION, UNWRAP};
use super::names::{Scope, camel, method_name, snake};
use super::pagination;
use super::refs::Refs;
use super::types::{SchemaNode, TypeSpace};
use super::{
    Body, BodyEncoding, FormBody, FormStyle, HttpMethod, Operation, Param, ParamKind, PathSegment, PathStyle, Payload,
    QueryStyle, Response, Sequence, Status, TypeKind, TypeRef,
};
use crate::error::{Pointer, Result};
use crate::load::Spec;
use crate::load::openapi32::{Additions, SequenceKind, sequence_kind};

/// Argument names the generated method uses itself.
const RESERVED_ARGS: &[&str] = &["body", "params", "request", "response", "path"];

/// What `Client` declares beside its client parameters: its field `transport`, and the other
/// arguments of `new` and `from_transport`.
const CLIENT_NAMES: &[&str] = &["transport", "base_url", "auth"];

/// What the paths of a spec yield.
pub struct Operations {
    pub operations: Vec<Operation>,
    /// The client parameters the operations share, one per name and location (first declaration
    /// wins), named clear of each other and of what `Client` declares itself.
    pub client_params: Vec<Param>,
    /// The structs sent as form bodies, by name.
    pub form_bodies: Vec<FormBody>,
}

/// The operations, and what they share. With `skipped`, an operation the generator cannot handle
/// is left out and its error recorded there; without, the first such error is returned.
pub fn build<'a>(
    spec: &'a Spec,
    space: &mut TypeSpace<'a>,
    mut skipped: Option<&mut Vec<crate::Error>>,
) -> Result<Operations> {
    let refs = space.refs();
    let mut methods = Scope::default();
    let mut prefixes = Scope::with_reserved(&["Client"]);
    let mut operations = Vec::new();
    let (mut client_params, mut client_scope) = (Vec::new(), Scope::with_reserved(CLIENT_NAMES));
    let mut form_bodies: BTreeMap<String, FormBody> = BTreeMap::new();
    for (path, item) in spec.doc.paths.iter() {
        let at_path = Pointer::root().join("paths").join(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                skip(&mut skipped, refs.error(&at_path, "$ref path items are not supported"))?;
                continue;
            }
        };
        // The fixed methods, then OpenAPI 3.2's `query` and `additionalOperations` (read apart).
        let fixed = item.iter().filter_map(|(key, op)| {
            let method = HttpMethod::from_key(key)?;
            Some((method, at_path.join(key), op))
        });
        let extra = spec.additions.operations(path).filter_map(|extra| {
            let at = Pointer::from_ref(&extra.at)?;
            Some((HttpMethod::Other(extra.method.clone()), at, &extra.operation))
        });
        for (method, at, op) in fixed.chain(extra).collect::<Vec<_>>() {
            let id =
                (op.operation_id.clone()).unwrap_or_else(|| format!("{} {path}", method.as_str().to_ascii_lowercase()));
            let names = (methods.claim(method_name(&id)), prefixes.claim(camel(&id)));
            let context = OperationContext {
                refs,
                raw: &spec.raw,
                additions: &spec.additions,
                space: &mut *space,
                at_path: at_path.clone(),
                at: at.clone(),
                type_prefix: names.1.clone(),
            };
            let (mut operation, shared, form_body) =
                match context.build(names.0, id, method, path, &item.parameters, op) {
                    Ok(built) => built,
                    Err(error) => {
                        skip(&mut skipped, error)?;
                        continue;
                    }
                };
            if let Some(paging) = &mut operation.pagination {
                paging.pages_method = methods.claim(std::mem::take(&mut paging.pages_method));
                paging.stream_method = methods.claim(std::mem::take(&mut paging.stream_method));
            }
            if let Some(form_body) = form_body {
                // The styles belong to the type: every operation that sends it must agree.
                match form_bodies.get(&form_body.type_name) {
                    Some(known) if known.styles != form_body.styles => {
                        let message = format!(
                            "the form body {} has another `encoding` here than in an earlier operation; \
                             paykit-codegen keeps one encoding per type",
                            form_body.type_name
                        );
                        skip(&mut skipped, refs.error(&at.join("requestBody"), message))?;
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        form_bodies.insert(form_body.type_name.clone(), form_body);
                    }
                }
            }
            operation.client_params = shared
                .into_iter()
                .map(|param| client_param(&mut client_params, &mut client_scope, param))
                .collect();
            operations.push(operation);
        }
    }
    Ok(Operations {
        operations,
        client_params,
        form_bodies: form_bodies.into_values().collect(),
    })
}

/// The Rust name of the client parameter `param`: the known one of its name and location, or
/// a new one claimed in `scope`.
fn client_param(known: &mut Vec<Param>, scope: &mut Scope, mut param: Param) -> String {
    let same = |p: &&Param| p.wire_name == param.wire_name && p.kind.location() == param.kind.location();
    if let Some(found) = known.iter().find(same) {
        return found.rust_name.clone();
    }
    param.rust_name = scope.claim(snake(&param.wire_name));
    let name = param.rust_name.clone();
    known.push(param);
    name
}

/// Records `error` when skipping is on, unless it is a misused extension; otherwise it is the
/// result.
fn skip(skipped: &mut Option<&mut Vec<crate::Error>>, error: crate::Error) -> Result<()> {
    match skipped {
        Some(list) if !error.vocabulary => {
            list.push(error);
            Ok(())
        }
        _ => Err(error),
    }
}

struct OperationContext<'s, 'a> {
    refs: Refs<'a>,
    raw: &'a serde_json::Value,
    additions: &'a Additions,
    space: &'s mut TypeSpace<'a>,
    at_path: Pointer,
    at: Pointer,
    type_prefix: String,
}

impl<'a> OperationContext<'_, 'a> {
    fn build(
        mut self,
        method_name: String,
        operation_id: String,
        http_method: HttpMethod,
        path: &str,
        shared: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
    ) -> Result<(Operation, Vec<Param>, Option<FormBody>)> {
        let (mut required, optional, client) = self.parameters(shared, op)?;
        // Path parameters first, in the order the path names them; the rest keep their order.
        required.sort_by_key(|p| match p.kind {
            ParamKind::Path(_) => path.find(&format!("{{{}}}", p.wire_name)).unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        // A query string written into the path template (`/search?type=item`) is sent as is.
        let (path, fixed_query) = match path.split_once('?') {
            Some((path, query)) => (
                path,
                query
                    .split('&')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| {
                        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                        (name.to_owned(), value.to_owned())
                    })
                    .collect(),
            ),
            None => (path, Vec::new()),
        };
        let fixed_query = query_templates(fixed_query, &mut required);
        let segments = self.path(path, &required)?;
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
            (Some(s), None) => Some(s.clone()),
            (None, d) => d.clone(),
        };
        let extensions = self.space.extensions().operation(&self.at);
        let (body, form_body) = match self.body(op)? {
            Some((body, form_body)) => (Some(body), form_body),
            None => (None, None),
        };
        let mut operation = Operation {
            method_name,
            operation_id,
            idempotent: extensions.idempotent,
            http_method,
            path: segments,
            fixed_query,
            doc,
            // Named by `build`, in the client's scope.
            client_params: Vec::new(),
            required,
            optional,
            body,
            responses: self.responses(op)?,
            type_prefix: self.type_prefix,
            pagination: None,
            tags: op.tags.clone(),
            feature: None,
        };
        if let Some(paging) = &extensions.pagination {
            let at = self.at.join(PAGINATION);
            let pagination = pagination::build(paging, &operation, self.space, &at);
            operation.pagination = Some(pagination.map_err(crate::Error::about_vocabulary)?);
        }
        Ok((operation, client, form_body))
    }

    /// Path-item parameters, overridden by the operation's own; split into required, optional
    /// and client parameters.
    fn parameters(
        &mut self,
        shared: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
    ) -> Result<(Vec<Param>, Vec<Param>, Vec<Param>)> {
        let at_shared = self.at_path.clone();
        let mut all: Vec<(&'a Parameter, Pointer)> = Vec::new();
        let sources = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (p, at_shared.join("parameters").join(i)));
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, self.at.join("parameters").join(i)));
        for (node, at) in sources.chain(own) {
            let (param, at) = self.refs.resolve(node, &at)?;
            let key = |p: &Parameter| (p.parameter_data_ref().name.clone(), std::mem::discriminant(p));
            all.retain(|(p, _)| key(p) != key(param));
            all.push((param, at));
        }
        let mut scope = Scope::with_reserved(RESERVED_ARGS);
        let (mut required, mut optional, mut client) = (Vec::new(), Vec::new(), Vec::new());
        for (param, at) in all {
            if self.space.extensions().parameter(&at).client_param {
                // Named in the client's own scope (by `build`): client fields never clash with arguments.
                let param = self.parameter(param, &at, &mut Scope::default())?;
                let sent_as_is = matches!(param.0.kind, ParamKind::Query(_) | ParamKind::Header { .. });
                if !param.1 || !sent_as_is || param.0.ty != TypeRef::String {
                    let message = format!("{CLIENT_PARAM} belongs on a required string query or header parameter");
                    return Err(self.refs.error(&at, message).about_vocabulary());
                }
                client.push(param.0);
            } else {
                let (param, is_required) = self.parameter(param, &at, &mut scope)?;
                if is_required {
                    required.push(param)
                } else {
                    optional.push(param)
                }
            }
        }
        Ok((required, optional, client))
    }

    fn parameter(&mut self, param: &'a Parameter, at: &Pointer, scope: &mut Scope) -> Result<(Param, bool)> {
        let data = param.parameter_data_ref();
        let hint = format!("{}{}", self.type_prefix, camel(&data.name));
        let (ty, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let ty = self
                    .space
                    .type_of(SchemaNode::from(schema), &hint, &at.join("schema"))?;
                (ty, false)
            }
            ParameterSchemaOrContent::Content(content) => {
                self.content_parameter(content, &hint, &at.join("content"))?
            }
        };
        // A parameter is text: `format: binary` says nothing more there.
        let ty = match ty {
            TypeRef::File => TypeRef::String,
            TypeRef::Vec(item) if *item == TypeRef::File => TypeRef::Vec(Box::new(TypeRef::String)),
            ty => ty,
        };
        let idempotency_key = self.space.extensions().parameter(at).idempotency_key;
        let is_header = matches!(param, Parameter::Header { .. });
        if idempotency_key && (!is_header || ty != TypeRef::String) {
            return Err(self
                .refs
                .error(at, "x-paykit-idempotency-key belongs on a string header parameter")
                .about_vocabulary());
        }
        let explode = |default| data.explode.unwrap_or(default);
        let kind = match param {
            Parameter::Path { style, .. } => ParamKind::Path(match style {
                openapiv3::PathStyle::Simple => PathStyle::Simple {
                    explode: explode(false),
                },
                openapiv3::PathStyle::Label => PathStyle::Label {
                    explode: explode(false),
                },
                openapiv3::PathStyle::Matrix => PathStyle::Matrix {
                    explode: explode(false),
                },
            }),
            Parameter::Query { style, .. } => ParamKind::Query(match style {
                openapiv3::QueryStyle::Form => QueryStyle::Form { explode: explode(true) },
                openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
            }),
            Parameter::Header { .. } if idempotency_key => ParamKind::IdempotencyKey,
            Parameter::Header { .. } => ParamKind::Header {
                explode: explode(false),
            },
            Parameter::Cookie { .. } => ParamKind::Cookie { explode: explode(true) },
        };
        let required = matches!(kind, ParamKind::Path(_)) || data.required;
        let param = Param {
            rust_name: scope.claim(snake(&data.name)),
            wire_name: data.name.clone(),
            kind,
            ty,
            json,
            doc: data.description.clone(),
        };
        Ok((param, required))
    }

    /// A parameter described by `content` (OpenAPI allows exactly one media type there): of JSON,
    /// its schema's type, written as JSON text; of anything else, the text to send.
    fn content_parameter(
        &mut self,
        content: &'a indexmap::IndexMap<String, MediaType>,
        hint: &str,
        at: &Pointer,
    ) -> Result<(TypeRef, bool)> {
        let mut media_types = content.iter();
        let (Some((media_type, media)), None) = (media_types.next(), media_types.next()) else {
            return Err(self
                .refs
                .error(at, "a parameter's `content` holds one media type (OpenAPI 3.0.3: \"The map MUST only contain one entry.\")"));
        };
        if !is_json(media_type) {
            return Ok((TypeRef::String, false));
        }
        Ok((self.schema_type(media, hint, &at.join(media_type))?, true))
    }

    fn path(&self, path: &str, required: &[Param]) -> Result<Vec<PathSegment>> {
        let at = &self.at_path;
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                return Err(self.refs.error(at, "unclosed `{` in the path template"));
            };
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            if !required
                .iter()
                .any(|p| matches!(p.kind, ParamKind::Path(_)) && p.wire_name == name)
            {
                return Err(self
                    .refs
                    .error(&self.at, format!("path parameter {{{name}}} is not declared")));
            }
            segments.push(PathSegment::Param(name.to_owned()));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for param in required.iter().filter(|p| matches!(p.kind, ParamKind::Path(_))) {
            if !segments
                .iter()
                .any(|s| matches!(s, PathSegment::Param(name) if *name == param.wire_name))
            {
                return Err(self.refs.error(
                    &self.at,
                    format!("path parameter {:?} does not appear in the path", param.wire_name),
                ));
            }
        }
        Ok(segments)
    }

    /// The body, and for a struct sent as a form, how its properties are written.
    fn body(&mut self, op: &'a openapiv3::Operation) -> Result<Option<(Body, Option<FormBody>)>> {
        let Some(node) = &op.request_body else { return Ok(None) };
        let (body, at) = self.refs.resolve(node, &self.at.join("requestBody"))?;
        // Of several media types, the first of JSON, form, multipart, anything else is used.
        let json = body.content.iter().find(|(t, _)| is_json(t));
        let form = body.content.iter().find(|(t, _)| essence(t) == FORM);
        let multipart = body.content.iter().find(|(t, _)| essence(t) == MULTIPART);
        let Some((media_type, media)) = json.or(form).or(multipart) else {
            // Anything else goes as it is: text as a string, the rest as bytes.
            let Some(media_type) = body.content.keys().find(|t| !essence(t).starts_with("multipart/")) else {
                return match body.content.keys().next() {
                    Some(other) => Err(self.refs.error(
                        &at.join("content").join(other),
                        format!("request body media type {other:?} is not supported yet"),
                    )),
                    None => Ok(None),
                };
            };
            let content_type = essence(media_type);
            let body = Body {
                ty: TypeRef::String,
                required: body.required,
                encoding: BodyEncoding::Raw {
                    text: content_type.starts_with("text/"),
                    content_type,
                },
            };
            return Ok(Some((body, None)));
        };
        let at = at.join("content").join(media_type);
        if let Some(schema) = &media.schema
            && self
                .space
                .only_auth_params(SchemaNode::from(schema), &at.join("schema"))?
        {
            return Ok(None);
        }
        let mut ty = self.schema_type(media, &format!("{}Body", self.type_prefix), &at)?;
        let (encoding, form_body) = if json.is_some() {
            (BodyEncoding::Json, None)
        } else if form.is_some() {
            match self.plain_form(&mut ty) {
                Some(raw) => (raw, None),
                None => (BodyEncoding::Form, self.form_body(media, &ty, &at)?),
            }
        } else if self.is_object(&ty) {
            (BodyEncoding::Multipart, None)
        } else {
            (
                BodyEncoding::MultipartValue {
                    part: multipart_part(&ty),
                },
                None,
            )
        };
        let body = Body {
            ty,
            required: body.required,
            encoding,
        };
        Ok(Some((body, form_body)))
    }

    /// The `encoding` of a form body's properties, as a property of its struct; a map (no
    /// declared properties) takes the default style. The body itself must be an object.
    fn form_body(&self, media: &MediaType, ty: &TypeRef, at: &Pointer) -> Result<Option<FormBody>> {
        self.require_object(ty, "a form body", at)?;
        let mut styles = Vec::new();
        for (property, encoding) in &media.encoding {
            let at = at.join("encoding").join(property);
            // `headers` apply to multipart parts only ("SHALL be ignored" here). A `contentType`
            // of JSON sends the property's JSON text, unless a `style` says otherwise; any other
            // (`text/plain`) is what the default style sends anyway.
            let json = encoding.content_type.as_deref().is_some_and(is_json);
            // openapiv3 reads a missing `explode` as false; OpenAPI's default for `form` is true.
            let written = self.raw.pointer(at.join("explode").as_value_pointer()).is_some();
            let style = match &encoding.style {
                None if json => FormStyle::Json,
                None | Some(openapiv3::QueryStyle::Form) => FormStyle::Form {
                    explode: encoding.explode || !written,
                },
                Some(openapiv3::QueryStyle::DeepObject) => FormStyle::DeepObject,
                Some(other) => {
                    return Err(self.refs.error(
                        &at.join("style"),
                        format!("style {other:?} is not supported in form bodies"),
                    ));
                }
            };
            if style != (FormStyle::Form { explode: true }) {
                styles.push((property.clone(), style));
            }
        }
        match ty {
            TypeRef::Named(name) => Ok(Some(FormBody {
                type_name: name.clone(),
                styles,
            })),
            _ if styles.is_empty() => Ok(None),
            _ => Err(self.refs.error(
                &at.join("encoding"),
                "an `encoding` other than the default needs declared properties; this form body is a map",
            )),
        }
    }

    /// A form body of properties is an object: one field per property.
    fn require_object(&self, ty: &TypeRef, what: &str, at: &Pointer) -> Result<()> {
        if self.is_object(ty) {
            Ok(())
        } else {
            Err(self.refs.error(&at.join("schema"), format!("{what} must be an object")))
        }
    }

    /// Whether values of `ty` are objects: a struct or a map, through aliases, or a union whose
    /// every option is one (a form of either shape: peertube's and SoundCloud's token grants).
    fn is_object(&self, ty: &TypeRef) -> bool {
        let mut pending = vec![ty];
        // Each type is looked at a bounded number of times: a hostile spec must not spin here.
        for _ in 0..256 {
            let Some(ty) = pending.pop() else { return true };
            match ty {
                TypeRef::Map(_) => {}
                TypeRef::Named(name) => match self.space.kind(name) {
                    Some(TypeKind::Struct { .. }) => {}
                    Some(TypeKind::Alias(aliased)) => pending.push(aliased),
                    Some(TypeKind::Union { variants }) => pending.extend(variants.iter().map(|(_, ty)| ty)),
                    Some(TypeKind::Tagged { variants, .. }) => pending.extend(variants.iter().map(|v| &v.ty)),
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// A form body that is already text or bytes (`type: string`, with or without `format:
    /// binary`): sent as it is, under the form's media type. So is one that is neither text nor
    /// an object (a list: peertube's studio tasks): OpenAPI spells form fields by property name
    /// only, so the caller writes that form's text.
    fn plain_form(&self, ty: &mut TypeRef) -> Option<BodyEncoding> {
        let text = match ty {
            TypeRef::String => true,
            TypeRef::File => false,
            _ if self.is_object(ty) => return None,
            _ => {
                *ty = TypeRef::String;
                true
            }
        };
        Some(BodyEncoding::Raw {
            content_type: FORM.to_owned(),
            text,
        })
    }

    fn responses(&mut self, op: &'a openapiv3::Operation) -> Result<Vec<Response>> {
        let at = self.at.join("responses");
        let documented: Vec<_> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (status(code), r))
            .collect();
        let successes = documented.iter().filter(|(s, _)| is_success(s)).count();
        let all = documented
            .into_iter()
            .chain(op.responses.default.iter().map(|r| (Status::Default, r)));
        let mut responses = Vec::new();
        for (status, node) in all {
            let key = match status {
                Status::Code(c) => c.to_string(),
                Status::Range(r) => format!("{r}XX"),
                Status::Default => "default".to_owned(),
            };
            let (response, at) = self.refs.resolve(node, &at.join(&key))?;
            let success = is_success(&status);
            let variant = match status {
                Status::Default => "Default".to_owned(),
                _ => format!("Status{key}"),
            };
            let hint = match (success, successes) {
                (true, 1) => format!("{}Response", self.type_prefix),
                (true, _) => format!("{}Response{key}", self.type_prefix),
                (false, _) => format!("{}{variant}Error", self.type_prefix),
            };
            let mut payload = self.payload(&response.content, &hint, &at)?;
            if !success && matches!(payload, Payload::Sequence(_)) {
                return Err(self
                    .refs
                    .error(&at, "a sequential (itemSchema) error response is not supported"));
            }
            let extensions = self.space.extensions().response(&at);
            let unwrap = match &extensions.unwrap {
                None => None,
                Some(pointer) => {
                    let at = at.join(UNWRAP);
                    let (true, Payload::Json(envelope)) = (success, &payload) else {
                        return Err(self
                            .refs
                            .error(&at, format!("{UNWRAP} belongs on a success response with a JSON body"))
                            .about_vocabulary());
                    };
                    let value = self.unwrapped(envelope, pointer, &at)?;
                    // `x-paykit-unwrap-optional`: an envelope without that value is a success too.
                    payload = Payload::Json(if extensions.unwrap_optional {
                        TypeRef::Optional(Box::new(value))
                    } else {
                        value
                    });
                    Some(pointer.as_str().to_owned())
                }
            };
            responses.push(Response {
                status,
                success,
                variant,
                payload,
                unwrap,
                media_types: response.content.keys().map(|t| essence(t)).collect(),
                doc: Some(response.description.clone()).filter(|d| !d.is_empty()),
            });
        }
        // A streaming method streams whatever 2xx arrives: its successes must all be that stream.
        let mut successes = responses.iter().filter(|r| r.success).map(|r| &r.payload);
        if let Some(first) = successes.next()
            && (matches!(first, Payload::Sequence(_)) || successes.clone().any(|p| matches!(p, Payload::Sequence(_))))
            && successes.any(|p| p != first)
        {
            let message = "a sequential (itemSchema) success response must be the operation's only kind of success";
            return Err(self.refs.error(&at, message));
        }
        responses.sort_by_key(|r| match r.status {
            Status::Code(c) => (0, c),
            Status::Range(r) => (1, r),
            Status::Default => (2, 0),
        });
        Ok(responses)
    }

    /// The type of the value at `pointer` inside a value of type `envelope`: properties by wire
    /// name, array items by index, map values by key.
    fn unwrapped(&self, envelope: &TypeRef, pointer: &JsonPointer, at: &Pointer) -> Result<TypeRef> {
        let mut ty = envelope.clone();
        for segment in pointer.segments() {
            ty = self.member(&ty, &segment).ok_or_else(|| {
                let pointer = pointer.as_str();
                self.refs
                    .error(at, format!("{pointer:?}: the body has no {segment:?} to unwrap"))
                    .about_vocabulary()
            })?;
        }
        Ok(ty)
    }

    /// The type of `ty`'s property, item or map value named `segment`.
    fn member(&self, ty: &TypeRef, segment: &str) -> Option<TypeRef> {
        match ty {
            TypeRef::Vec(item) if segment.parse::<usize>().is_ok() => Some(item.as_ref().clone()),
            TypeRef::Map(value) => Some(value.as_ref().clone()),
            TypeRef::Named(name) => match self.space.kind(name)? {
                TypeKind::Alias(aliased) => self.member(aliased, segment),
                TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.wire_name == segment).map(|f| f.ty.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// JSON is decoded into its type, `text/*` kept as text, anything else as bytes.
    fn payload(
        &mut self,
        content: &'a indexmap::IndexMap<String, MediaType>,
        hint: &str,
        at: &Pointer,
    ) -> Result<Payload> {
        if let Some(sequence) = self.sequence(content, at)? {
            return Ok(Payload::Sequence(sequence));
        }
        if let Some((media_type, media)) = content.iter().find(|(t, _)| is_json(t)) {
            return self
                .schema_type(media, hint, &at.join("content").join(media_type))
                .map(Payload::Json);
        }
        Ok(match content.keys().next() {
            None => Payload::None,
            Some(t) if t.starts_with("text/") => Payload::Text,
            Some(_) => Payload::Binary,
        })
    }

    /// The first sequential media type with an `itemSchema` (OpenAPI 3.2) in `content`: its
    /// items are events, JSON lines or JSON text records of the item type.
    fn sequence(&mut self, content: &indexmap::IndexMap<String, MediaType>, at: &Pointer) -> Result<Option<Sequence>> {
        let additions: &'a Additions = self.additions;
        let found = content.keys().find_map(|media_type| {
            let at = at.join("content").join(media_type);
            Some((sequence_kind(media_type)?, additions.sequence(&at)?, at))
        });
        let Some((kind, media, at)) = found else {
            return Ok(None);
        };
        let at = at.join("itemSchema");
        let prefix = &self.type_prefix;
        let (item, json_data) = match &media.data {
            Some(data) => {
                let at = at.join("properties").join("data");
                (
                    self.space
                        .type_of(SchemaNode::from(data), &format!("{prefix}EventData"), &at)?,
                    true,
                )
            }
            None => {
                let hint = if kind == SequenceKind::Events { "Event" } else { "Item" };
                (
                    self.space
                        .type_of(SchemaNode::from(&media.item), &format!("{prefix}{hint}"), &at)?,
                    false,
                )
            }
        };
        Ok(Some(Sequence { kind, item, json_data }))
    }

    fn schema_type(&mut self, media: &'a MediaType, hint: &str, at: &Pointer) -> Result<TypeRef> {
        match &media.schema {
            Some(schema) => self.space.type_of(SchemaNode::from(schema), hint, &at.join("schema")),
            None => Ok(TypeRef::Json),
        }
    }
}

/// A path parameter templated into the query string of the path key (`/search?q={term}`) is a
/// query parameter named by its key (`q`); the other pairs stay fixed.
fn query_templates(fixed: Vec<(String, String)>, params: &mut [Param]) -> Vec<(String, String)> {
    fixed
        .into_iter()
        .filter(|(key, value)| {
            let Some(name) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) else {
                return true;
            };
            let Some(param) = params
                .iter_mut()
                .find(|p| matches!(p.kind, ParamKind::Path(_)) && p.wire_name == name)
            else {
                return true;
            };
            param.kind = ParamKind::Query(QueryStyle::Form { explode: true });
            param.wire_name = key.clone();
            false
        })
        .collect()
}

/// The name of the one part a multipart body that is not an object is sent as: `file` for
/// binary content (what upload endpoints expect), `body` for anything else.
fn multipart_part(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::File => "file",
        TypeRef::Vec(item) if **item == TypeRef::File => "file",
        _ => "body",
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// A media type without parameters, lower-cased.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

fn status(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(c) => Status::Code(*c),
        StatusCode::Range(r) => Status::Range(*r),
    }
}

fn is_success(status: &Status) -> bool {
    matches!(status, Status::Code(200..=299) | Status::Range(2))
}
