use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use crate::error::RequestError;
use crate::form::{Dialect, Style, form_pairs};

/// A request as generated code describes it, before anything is encoded for the wire.
///
/// [`crate::Auth`] hooks get it mutably, so they can add headers, query parameters or body
/// fields, and sign exactly what will be sent. Its `Debug` shows names, never values: query
/// values, bodies and sensitive headers may hold credentials or signatures.
#[derive(Clone)]
pub struct Request {
    /// The spec's `operationId`, for logs and traces.
    pub operation: &'static str,
    pub method: Method,
    /// Path below the base URL, with path parameters already encoded.
    pub path: String,
    /// Query parameters in the order they are sent.
    pub query: Vec<(String, String)>,
    pub headers: Vec<Header>,
    pub body: Body,
    /// The idempotency key this request carries, if any (see [`Request::idempotency_key`]).
    pub idempotency_key: Option<String>,
    /// The spec marks the operation idempotent (`x-paykit-idempotent`): repeating it cannot
    /// apply it twice, so it may be retried although its method is not safe.
    pub idempotent: bool,
    /// A successful answer holds credentials (a token, a signing secret): no error keeps any of
    /// its body, not even the start of an oversized one.
    pub secret_response: bool,
}

/// One request header; sensitive ones are marked so they never show up in logs.
#[derive(Clone)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub sensitive: bool,
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = if self.sensitive { "***" } else { &self.value };
        write!(f, "{}: {value}", self.name)
    }
}

/// A request body, kept unencoded until it is sent, so hooks can read and extend it.
#[derive(Clone, Default, PartialEq)]
pub enum Body {
    #[default]
    Empty,
    /// Sent as `application/json`.
    Json(serde_json::Value),
    /// Sent as `application/x-www-form-urlencoded`: these `(key, value)` pairs, in this order,
    /// encoded by [`crate::form::encode`].
    Form(Vec<(String, String)>),
    /// An `application/x-www-form-urlencoded` body already encoded, sent byte for byte: a signer
    /// that signed the encoded form sets it, so the form is encoded once.
    EncodedForm(String),
    /// Any other media type, sent as these bytes.
    Raw { content_type: String, bytes: Vec<u8> },
    /// `multipart/form-data`.
    Multipart(crate::multipart::Form),
}

/// Shows the shape of the body, never its content.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Empty"),
            Self::Json(_) => f.write_str("Json(<redacted>)"),
            Self::Form(pairs) => f.debug_tuple("Form").field(&Names(pairs)).finish(),
            Self::EncodedForm(encoded) => write!(f, "EncodedForm(<{} bytes redacted>)", encoded.len()),
            Self::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
            Self::Raw { content_type, bytes } => write!(f, "Raw({content_type}, <{} bytes redacted>)", bytes.len()),
        }
    }
}

/// The keys of `(key, value)` pairs.
struct Names<'a>(&'a [(String, String)]);

impl fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(name, _)| name)).finish()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &Names(&self.query))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("idempotency_key", &self.idempotency_key)
            .field("idempotent", &self.idempotent)
            .field("secret_response", &self.secret_response)
            .finish()
    }
}

impl Request {
    /// A request for the operation `operation` (its `operationId`).
    pub fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        Self {
            operation,
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            idempotency_key: None,
            idempotent: false,
            secret_response: false,
        }
    }

    /// Marks the request idempotent (the spec says so), which allows retrying it.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Marks the successful answer as holding credentials (generated code does, where the spec
    /// types a response field `format: password`).
    pub fn secret_response(mut self) -> Self {
        self.secret_response = true;
        self
    }

    /// Whether sending it again cannot apply it twice: a safe method, an idempotency key, or an
    /// operation the spec marks idempotent. Only such requests are retried once sent.
    pub fn is_retry_safe(&self) -> bool {
        matches!(self.method, Method::GET | Method::HEAD | Method::OPTIONS)
            || self.idempotency_key.is_some()
            || self.idempotent
    }

    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// A query parameter, when it is set.
    pub fn optional_query(&mut self, name: &str, value: Option<impl ToString>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// A header, when it is set.
    pub fn optional_header(&mut self, name: &str, value: Option<impl ToString>) {
        if let Some(value) = value {
            self.header(name, value);
        }
    }

    pub fn header(&mut self, name: impl Into<String>, value: impl ToString) {
        self.headers.push(Header {
            name: name.into(),
            value: value.to_string(),
            sensitive: false,
        });
    }

    /// A cookie, added to the request's one `Cookie` header (marked sensitive: cookies are
    /// often credentials). The value is percent-encoded where a cookie value cannot hold it.
    pub fn cookie(&mut self, name: &str, value: impl ToString) {
        let pair = format!("{name}={}", utf8_percent_encode(&value.to_string(), COOKIE_VALUE));
        match self.headers.iter_mut().find(|h| h.name.eq_ignore_ascii_case("cookie")) {
            Some(header) => {
                header.value.push_str("; ");
                header.value.push_str(&pair);
            }
            None => self.sensitive_header("Cookie", pair),
        }
    }

    /// A cookie parameter holding an object or a union (`form` style): a list is `a,b`, an
    /// object `k,v,k2,v2`, or exploded one cookie per property.
    pub fn structured_cookie<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
    ) -> Result<(), RequestError> {
        match Structured::of(value)? {
            Structured::Pairs(pairs) if explode => pairs.iter().for_each(|(k, v)| self.cookie(k, v)),
            Structured::Pairs(pairs) => {
                let flat: Vec<String> = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
                self.cookie(name, flat.join(","));
            }
            Structured::Items(items) => self.cookie(name, items.join(",")),
        }
        Ok(())
    }

    /// A query parameter holding an object, list or union, written as OpenAPI's `style` says:
    /// `deepObject` as `name[key]=value`, `form` as the object's own pairs (exploded) or
    /// `name=key,value`.
    pub fn query_value<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> Result<(), RequestError> {
        let value = serde_json::to_value(value).map_err(RequestError::Encode)?;
        let wrapped = serde_json::Value::Object([(name.to_owned(), value)].into_iter().collect());
        self.query
            .extend(form_pairs(&wrapped, &[(name, style)], Dialect::Standard));
        Ok(())
    }

    /// A header whose value is a credential: never logged, never in `Debug`.
    pub fn sensitive_header(&mut self, name: impl Into<String>, value: String) {
        self.headers.push(Header {
            name: name.into(),
            value,
            sensitive: true,
        });
    }

    /// Sends `key` in the header `name` and remembers it: the request becomes retry-safe, and
    /// the key is reported on the response and on any error.
    pub fn idempotency_key(&mut self, name: &str, key: &str) {
        self.header(name, key);
        self.idempotency_key = Some(key.to_owned());
    }

    /// Sets a JSON body. Fails only if `body` cannot be represented as JSON (e.g. a map with
    /// non-string keys), which generated types never produce.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), RequestError> {
        let value = serde_json::to_value(body).map_err(RequestError::Encode)?;
        self.body = Body::Json(value);
        Ok(())
    }

    /// Sets a body of any other media type (`text/csv`, `application/octet-stream`, …), sent as it
    /// is: a `&str` or bytes.
    pub fn raw(&mut self, content_type: &str, body: impl AsRef<[u8]>) {
        self.body = Body::Raw {
            content_type: content_type.to_owned(),
            bytes: body.as_ref().to_vec(),
        };
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: crate::multipart::Form) {
        self.body = Body::Multipart(form);
    }

    /// Sets a form body: `body`'s properties in order, each serialized by its entry in `styles`
    /// (see [`crate::form::form_pairs`]), booleans as `true`/`false`.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T, styles: &[(&str, Style)]) -> Result<(), RequestError> {
        self.form_in(body, styles, Dialect::Standard)
    }

    /// Like [`Request::form`], with scalars as PHP writes them (`1`/`0`): for APIs whose spec
    /// says `x-paykit-form-dialect: php`.
    pub fn php_form<T: Serialize + ?Sized>(&mut self, body: &T, styles: &[(&str, Style)]) -> Result<(), RequestError> {
        self.form_in(body, styles, Dialect::Php)
    }

    fn form_in<T: Serialize + ?Sized>(
        &mut self,
        body: &T,
        styles: &[(&str, Style)],
        dialect: Dialect,
    ) -> Result<(), RequestError> {
        let value = serde_json::to_value(body).map_err(RequestError::Encode)?;
        self.body = Body::Form(form_pairs(&value, styles, dialect));
        Ok(())
    }
}

/// Bytes escaped in a cookie value: controls, space, `"`, `,`, `;`, `\\` and `%` (RFC 6265).
const COOKIE_VALUE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// Bytes left unescaped in a path segment: RFC 3986 unreserved characters.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes one path parameter, so `/`, `?` or `#` in an id cannot change the path.
///
/// Empty, `.` and `..` are refused: URL parsers resolve dot segments even when percent-encoded,
/// so such an id would address another resource (`DELETE /webhooks/..` → `DELETE /`).
pub fn encode_path_segment(value: &str) -> Result<String, RequestError> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(RequestError::InvalidRequest(format!(
            "{value:?} cannot be a path parameter: it would address a different resource"
        )));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// How a path parameter is written (OpenAPI's `style` for `in: path`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `a,b` (the default).
    Simple,
    /// `.a.b` exploded, `.a,b` not.
    Label,
    /// `;id=a;id=b` exploded, `;id=a,b` not.
    Matrix,
}

/// A path parameter named `name` holding `values` (one for a scalar), each percent-encoded as
/// [`encode_path_segment`] does, written in `style`. The result must not be empty, `.` or `..`.
pub fn encode_path_param(
    name: &str,
    values: &[String],
    style: PathStyle,
    explode: bool,
) -> Result<String, RequestError> {
    let encoded: Vec<String> = values
        .iter()
        .map(|value| utf8_percent_encode(value, PATH_SEGMENT).to_string())
        .collect();
    let name = utf8_percent_encode(name, PATH_SEGMENT).to_string();
    let segment = match (style, explode) {
        (PathStyle::Simple, _) => encoded.join(","),
        (PathStyle::Label, true) => encoded.iter().map(|v| format!(".{v}")).collect(),
        (PathStyle::Label, false) => format!(".{}", encoded.join(",")),
        (PathStyle::Matrix, true) => encoded.iter().map(|v| format!(";{name}={v}")).collect(),
        (PathStyle::Matrix, false) => format!(";{name}={}", encoded.join(",")),
    };
    if segment.is_empty() || segment == "." || segment == ".." {
        return Err(RequestError::InvalidRequest(format!(
            "{segment:?} cannot be the path parameter {name}: it would address a different resource"
        )));
    }
    Ok(segment)
}

/// A path parameter holding an object, or a union (a scalar, a list or an object at run time),
/// written in `style` as OpenAPI spells it: an object is `k,v,k2,v2`, or exploded `k=v,k2=v2`
/// (`simple`), `.k=v.k2=v2` (`label`), `;k=v;k2=v2` (`matrix`); keys and values percent-encoded
/// as [`encode_path_segment`] does.
pub fn encode_structured_path_param<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: PathStyle,
    explode: bool,
) -> Result<String, RequestError> {
    let pairs = match Structured::of(value)? {
        Structured::Items(items) => return encode_path_param(name, &items, style, explode),
        Structured::Pairs(pairs) if !explode => {
            return encode_path_param(
                name,
                &pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>(),
                style,
                false,
            );
        }
        Structured::Pairs(pairs) => pairs,
    };
    let encode = |text: &str| utf8_percent_encode(text, PATH_SEGMENT).to_string();
    let pairs = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v)));
    let segment: String = match style {
        PathStyle::Simple => pairs.collect::<Vec<_>>().join(","),
        PathStyle::Label => pairs.map(|pair| format!(".{pair}")).collect(),
        PathStyle::Matrix => pairs.map(|pair| format!(";{pair}")).collect(),
    };
    if segment.is_empty() {
        return Err(RequestError::InvalidRequest(format!(
            "an empty object cannot be the path parameter {name}: it would address a different resource"
        )));
    }
    Ok(segment)
}

/// A header parameter holding an object or a union, in OpenAPI's `simple` style: a list is
/// `a,b`, an object `k,v,k2,v2`, or exploded `k=v,k2=v2`.
pub fn structured_header_value<T: Serialize + ?Sized>(value: &T, explode: bool) -> Result<String, RequestError> {
    Ok(match Structured::of(value)? {
        Structured::Items(items) => items.join(","),
        Structured::Pairs(pairs) if explode => pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        Structured::Pairs(pairs) => pairs
            .into_iter()
            .flat_map(|(k, v)| [k, v])
            .collect::<Vec<_>>()
            .join(","),
    })
}

/// A structured parameter's value, flattened to text the way the non-query styles need it.
enum Structured {
    /// A scalar (one item) or a list of them.
    Items(Vec<String>),
    /// An object's properties, in order.
    Pairs(Vec<(String, String)>),
}

impl Structured {
    fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, RequestError> {
        Ok(match serde_json::to_value(value).map_err(RequestError::Encode)? {
            serde_json::Value::Null => Self::Items(Vec::new()),
            serde_json::Value::Array(items) => Self::Items(items.iter().map(text).collect()),
            serde_json::Value::Object(properties) => Self::Pairs(
                properties
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), text(v)))
                    .collect(),
            ),
            scalar => Self::Items(vec![text(&scalar)]),
        })
    }
}

/// A scalar as text; anything nested (which no style defines) as its JSON.
fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_path_and_header_values_follow_the_openapi_style_table() {
        // The examples of the OpenAPI 3.0 "Style Examples" table, for the object {R:100, G:200}.
        let color = serde_json::json!({"R": 100, "G": 200});
        let path = |style, explode| encode_structured_path_param("color", &color, style, explode).unwrap();
        assert_eq!(path(PathStyle::Simple, false), "R,100,G,200");
        assert_eq!(path(PathStyle::Simple, true), "R=100,G=200");
        assert_eq!(path(PathStyle::Label, false), ".R,100,G,200");
        assert_eq!(path(PathStyle::Label, true), ".R=100.G=200");
        assert_eq!(path(PathStyle::Matrix, false), ";color=R,100,G,200");
        assert_eq!(path(PathStyle::Matrix, true), ";R=100;G=200");
        assert_eq!(structured_header_value(&color, false).unwrap(), "R,100,G,200");
        assert_eq!(structured_header_value(&color, true).unwrap(), "R=100,G=200");
        // A union holding a scalar or a list is written as that scalar or list.
        assert_eq!(
            encode_structured_path_param("id", &42, PathStyle::Simple, false).unwrap(),
            "42"
        );
        assert_eq!(
            encode_structured_path_param("id", &"a/b", PathStyle::Simple, false).unwrap(),
            "a%2Fb"
        );
        assert_eq!(structured_header_value(&["x", "y"], false).unwrap(), "x,y");
        assert!(encode_structured_path_param("id", &serde_json::json!({}), PathStyle::Simple, true).is_err());
    }

    #[test]
    fn path_segments_cannot_escape() {
        let encode = |v| encode_path_segment(v).unwrap();
        assert_eq!(encode("pay_1"), "pay_1");
        assert_eq!(encode("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode("ü"), "%C3%BC");
        assert_eq!(encode("a..b"), "a..b");
        assert_eq!(encode("..."), "...");
        for bad in ["", ".", ".."] {
            assert!(
                matches!(encode_path_segment(bad), Err(RequestError::InvalidRequest(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn debug_shows_names_never_values() {
        let mut r = Request::new("getThing", Method::GET, "/x");
        r.sensitive_header("Authorization", "Bearer sk_live_secret".into());
        r.header("Accept", "application/json");
        r.query("ApiSignature", "c2lnbmF0dXJl");
        let shown = format!("{r:?}");
        assert!(
            !shown.contains("sk_live_secret") && !shown.contains("c2lnbmF0dXJl"),
            "{shown}"
        );
        assert!(
            shown.contains("Accept: application/json") && shown.contains("ApiSignature"),
            "{shown}"
        );
        for body in [
            Body::Json(serde_json::json!({"token": "tok_secret"})),
            Body::Form(vec![("token".into(), "tok_secret".into())]),
            Body::EncodedForm("token=tok_secret".into()),
        ] {
            r.body = body;
            let shown = format!("{r:?}");
            assert!(!shown.contains("tok_secret"), "{shown}");
        }
    }

    #[test]
    fn cookies_share_one_sensitive_header_and_objects_follow_their_query_style() {
        let mut r = Request::new("get", Method::GET, "/x");
        r.cookie("session", "a b;c");
        r.cookie("theme", "dark");
        assert_eq!(r.headers.len(), 1);
        assert_eq!(r.headers[0].value, "session=a%20b%3Bc; theme=dark");
        assert!(r.headers[0].sensitive);
        let filter = serde_json::json!({"status": "open", "tags": ["a", "b"]});
        r.query_value("filter", &filter, Style::DeepObject).unwrap();
        r.query_value("page", &serde_json::json!({"size": 10}), Style::Form { explode: true })
            .unwrap();
        r.query_value(
            "at",
            &serde_json::json!({"lat": 1, "lon": 2}),
            Style::Form { explode: false },
        )
        .unwrap();
        let pairs: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            pairs,
            [
                "filter[status]=open",
                "filter[tags][0]=a",
                "filter[tags][1]=b",
                "size=10",
                "at=lat,1,lon,2"
            ]
        );
    }

    #[test]
    fn path_styles() {
        let values = ["a b".to_owned(), "c".to_owned()];
        let param = |style, explode| encode_path_param("id", &values, style, explode).unwrap();
        assert_eq!(param(PathStyle::Simple, false), "a%20b,c");
        assert_eq!(param(PathStyle::Label, true), ".a%20b.c");
        assert_eq!(param(PathStyle::Label, false), ".a%20b,c");
        assert_eq!(param(PathStyle::Matrix, true), ";id=a%20b;id=c");
        assert_eq!(param(PathStyle::Matrix, false), ";id=a%20b,c");
        for bad in [&[][..], &[String::new()][..], &["..".to_owned()][..]] {
            assert!(
                encode_path_param("id", bad, PathStyle::Simple, false).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn retry_safety() {
        let post = Request::new("create", Method::POST, "/p");
        assert!(!post.is_retry_safe());
        assert!(post.clone().idempotent().is_retry_safe());
        let mut keyed = post;
        keyed.idempotency_key("Idempotency-Key", "k1");
        assert!(keyed.is_retry_safe());
        assert!(Request::new("list", Method::GET, "/p").is_retry_safe());
        assert!(!Request::new("delete", Method::DELETE, "/p").is_retry_safe());
    }
}
