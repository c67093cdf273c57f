//! The `x-paykit-*` vocabulary in one place: which extensions exist, where each belongs, and its
//! typed value. The whole document is checked before anything is built, so an unknown, misplaced
//! or mistyped extension fails the spec (with skipping on too) instead of silently changing what
//! goes on the wire. The rest of the IR reads the typed values by the JSON pointer of their node.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::LazyLock;

use indexmap::IndexMap;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::error::{Error, Pointer, Result};

pub const PAGINATION: &str = "x-paykit-pagination";
pub const CLIENT_PARAM: &str = "x-paykit-client-param";
pub const UNWRAP: &str = "x-paykit-unwrap";
const UNWRAP_OPTIONAL: &str = "x-paykit-unwrap-optional";
pub const BOOL: &str = "x-paykit-bool";
pub const ALIASES: &str = "x-paykit-enum-aliases";

/// Every extension and where it belongs; the structs below hold their values.
const VOCABULARY: [(&str, Place); 15] = [
    ("x-paykit-form-dialect", Place::Root),
    ("x-paykit-rate-limit-reset", Place::Root),
    ("x-paykit-unused-schemas", Place::Root),
    ("x-paykit-tag-features", Place::Root),
    ("x-paykit-idempotent", Place::Operation),
    (PAGINATION, Place::Operation),
    ("x-paykit-idempotency-key", Place::Parameter),
    (CLIENT_PARAM, Place::Parameter),
    (UNWRAP, Place::Response),
    (UNWRAP_OPTIONAL, Place::Response),
    ("x-paykit-auth-param", Place::PropertyOrComponent),
    (BOOL, Place::Property),
    ("x-paykit-lenient", Place::Property),
    ("x-paykit-case-insensitive", Place::Schema),
    (ALIASES, Place::Schema),
];

/// At the document root.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootExtensions {
    #[serde(rename = "x-paykit-form-dialect", default, deserialize_with = "keyword")]
    pub form_dialect: FormDialect,
    #[serde(rename = "x-paykit-rate-limit-reset", default, deserialize_with = "object")]
    pub rate_limit_reset: Option<ResetHeader>,
    #[serde(rename = "x-paykit-unused-schemas", default, deserialize_with = "keyword")]
    pub unused_schemas: UnusedSchemas,
    /// Unset: decided by the spec's size.
    #[serde(rename = "x-paykit-tag-features", default, deserialize_with = "some")]
    pub tag_features: Option<bool>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormDialect {
    #[default]
    Standard,
    Php,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnusedSchemas {
    #[default]
    Drop,
    Keep,
}

/// `{header: X-RateLimit-Reset, format: unix-seconds}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetHeader {
    header: HeaderName,
    #[serde(deserialize_with = "keyword")]
    format: ResetFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ResetFormat {
    UnixSeconds,
    DelaySeconds,
}

/// A keyword such as `php`: read as a string first, so that a value of another type is reported
/// as not a string (serde_json would say it expected a string or a map).
fn keyword<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> std::result::Result<T, D::Error> {
    let word = String::deserialize(deserializer)?;
    T::deserialize(word.into_deserializer())
}

/// A value that, written, is there: `null` is refused rather than read as unset.
fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> std::result::Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A struct read from a map only: serde would also take a list of its fields, in order.
fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> std::result::Result<Option<T>, D::Error> {
    struct Object<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Object<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_map(Object(PhantomData)).map(Some)
}

/// A header name as the generated code may write it in a string literal.
#[derive(Debug, Deserialize)]
#[serde(try_from = "String")]
struct HeaderName(String);

impl TryFrom<String> for HeaderName {
    type Error = String;

    fn try_from(name: String) -> std::result::Result<Self, String> {
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b)) {
            Ok(Self(name))
        } else {
            Err(format!(
                "{name:?} is not a header name (ASCII letters, digits, `-` and `_`)"
            ))
        }
    }
}

impl From<&ResetHeader> for super::RateLimitReset {
    fn from(reset: &ResetHeader) -> Self {
        Self {
            header: reset.header.0.to_ascii_lowercase(),
            unix_seconds: reset.format == ResetFormat::UnixSeconds,
        }
    }
}

/// On an operation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationExtensions {
    #[serde(rename = "x-paykit-idempotent", default)]
    pub idempotent: bool,
    #[serde(rename = "x-paykit-pagination", default, deserialize_with = "object")]
    pub pagination: Option<Paging>,
}

/// `x-paykit-pagination` as written: where the items are, and exactly one way to ask for the next
/// page (whether those fit the operation is for [`super::pagination`] to say).
#[derive(Debug, Deserialize)]
#[serde(try_from = "PagingFields")]
pub struct Paging {
    pub items: JsonPointer,
    pub next: NextPage,
}

#[derive(Debug)]
pub enum NextPage {
    Cursor(CursorPaging),
    Page(PagePaging),
    Offset(OffsetPaging),
    Link(LinkPaging),
}

impl NextPage {
    /// Its key in the extension.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Cursor(_) => "cursor",
            Self::Page(_) => "page",
            Self::Offset(_) => "offset",
            Self::Link(_) => "link",
        }
    }

    /// The parameter (or body property) that asks for the next page, and where it is.
    pub fn param(&self) -> (&str, ParamIn) {
        match self {
            Self::Cursor(c) => (&c.param, c.location),
            Self::Page(p) => (&p.param, p.location),
            Self::Offset(o) => (&o.param, o.location),
            Self::Link(l) => (&l.param, l.location),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PagingFields {
    items: JsonPointer,
    #[serde(default, deserialize_with = "object")]
    cursor: Option<CursorPaging>,
    #[serde(default, deserialize_with = "object")]
    page: Option<PagePaging>,
    #[serde(default, deserialize_with = "object")]
    offset: Option<OffsetPaging>,
    #[serde(default, deserialize_with = "object")]
    link: Option<LinkPaging>,
}

impl TryFrom<PagingFields> for Paging {
    type Error = &'static str;

    fn try_from(fields: PagingFields) -> std::result::Result<Self, &'static str> {
        let next = match (fields.cursor, fields.page, fields.offset, fields.link) {
            (Some(cursor), None, None, None) => NextPage::Cursor(cursor),
            (None, Some(page), None, None) => NextPage::Page(page),
            (None, None, Some(offset), None) => NextPage::Offset(offset),
            (None, None, None, Some(link)) => NextPage::Link(link),
            _ => return Err("one of `cursor`, `page`, `offset` or `link` is expected"),
        };
        Ok(Self {
            items: fields.items,
            next,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorPaging {
    param: String,
    #[serde(rename = "in", default, deserialize_with = "keyword")]
    location: ParamIn,
    pub from_item: JsonPointer,
    pub has_more: JsonPointer,
    /// The page's own cursor of the next page; unset, or `null` on a page: the last item's.
    #[serde(default, deserialize_with = "some")]
    pub next_cursor: Option<JsonPointer>,
    /// The parameter that walks backwards (`ending_before`), in the same place as `param`.
    #[serde(default, deserialize_with = "some")]
    pub before: Option<String>,
}

impl CursorPaging {
    /// The backward parameter and where it is.
    pub fn before(&self) -> Option<(&str, ParamIn)> {
        self.before.as_deref().map(|name| (name, self.location))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagePaging {
    param: String,
    #[serde(rename = "in", default, deserialize_with = "keyword")]
    location: ParamIn,
    #[serde(default = "first_page")]
    pub first: u8,
}

fn first_page() -> u8 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetPaging {
    param: String,
    #[serde(rename = "in", default, deserialize_with = "keyword")]
    location: ParamIn,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkPaging {
    param: String,
    #[serde(rename = "in", default, deserialize_with = "keyword")]
    location: ParamIn,
    /// Unset: the `rel="next"` target of the `Link` header.
    #[serde(default, deserialize_with = "some")]
    pub next: Option<JsonPointer>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamIn {
    #[default]
    Query,
    Body,
}

/// A JSON pointer into a value: `/data/0`, or `""` for the whole value.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct JsonPointer(String);

impl TryFrom<String> for JsonPointer {
    type Error = String;

    fn try_from(text: String) -> std::result::Result<Self, String> {
        if text.is_empty() || text.starts_with('/') {
            Ok(Self(text))
        } else {
            Err(format!(
                "{text:?} is not a JSON pointer (`/data`, or `\"\"` for the whole value)"
            ))
        }
    }
}

impl JsonPointer {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its reference tokens, unescaped.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(Pointer::unescape)
    }
}

/// On a parameter.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterExtensions {
    #[serde(rename = "x-paykit-idempotency-key", default)]
    pub idempotency_key: bool,
    #[serde(rename = "x-paykit-client-param", default)]
    pub client_param: bool,
}

/// On a response.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseExtensions {
    #[serde(rename = "x-paykit-unwrap", default, deserialize_with = "some")]
    pub unwrap: Option<JsonPointer>,
    /// Only next to `unwrap`.
    #[serde(rename = "x-paykit-unwrap-optional", default)]
    pub unwrap_optional: bool,
}

/// On a schema.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaExtensions {
    #[serde(rename = "x-paykit-auth-param", default)]
    pub auth_param: bool,
    #[serde(rename = "x-paykit-bool", default)]
    pub int_flag: bool,
    #[serde(rename = "x-paykit-lenient", default)]
    pub lenient: bool,
    #[serde(rename = "x-paykit-case-insensitive", default)]
    pub case_insensitive: bool,
    /// Spelling → enum value, in the order written.
    #[serde(rename = "x-paykit-enum-aliases", default)]
    pub enum_aliases: IndexMap<String, String>,
}

/// Every `x-paykit-*` value of one document, typed, by the JSON pointer of the node holding it.
#[derive(Debug, Default)]
pub struct Extensions {
    pub root: RootExtensions,
    operations: HashMap<String, OperationExtensions>,
    parameters: HashMap<String, ParameterExtensions>,
    responses: HashMap<String, ResponseExtensions>,
    schemas: HashMap<String, SchemaExtensions>,
}

impl Extensions {
    pub fn operation(&self, at: &Pointer) -> &OperationExtensions {
        static NONE: LazyLock<OperationExtensions> = LazyLock::new(OperationExtensions::default);
        self.operations.get(at.as_str()).unwrap_or(&NONE)
    }

    pub fn parameter(&self, at: &Pointer) -> &ParameterExtensions {
        static NONE: LazyLock<ParameterExtensions> = LazyLock::new(ParameterExtensions::default);
        self.parameters.get(at.as_str()).unwrap_or(&NONE)
    }

    pub fn response(&self, at: &Pointer) -> &ResponseExtensions {
        static NONE: LazyLock<ResponseExtensions> = LazyLock::new(ResponseExtensions::default);
        self.responses.get(at.as_str()).unwrap_or(&NONE)
    }

    pub fn schema(&self, at: &Pointer) -> &SchemaExtensions {
        static NONE: LazyLock<SchemaExtensions> = LazyLock::new(SchemaExtensions::default);
        self.schemas.get(at.as_str()).unwrap_or(&NONE)
    }

    /// Reads every `x-paykit-*` key of the document `raw` (named `label` in errors), walking it
    /// as OpenAPI 3.0 lays it out: in maps of names (`properties`, `components/schemas`) a key is
    /// a name, and sample data (`example`, `default`, `enum`) is not looked into. Iterative: a
    /// hostile document may nest deeper than the call stack.
    pub fn read(raw: &Value, label: &str) -> Result<Self> {
        let mut read = Self::default();
        let mut path: Vec<Segment> = Vec::new();
        let mut stack = vec![Frame {
            depth: 0,
            segment: None,
            value: raw,
            holds: Holds::One(Node::Document),
            ignored: None,
        }];
        while let Some(frame) = stack.pop() {
            path.truncate(frame.depth.saturating_sub(1));
            path.extend(frame.segment);
            let depth = frame.depth + 1;
            let mut children = Vec::new();
            match (frame.holds, frame.value) {
                (Holds::List(node), Value::Array(items)) => {
                    children.extend(items.iter().enumerate().map(|(i, item)| Frame {
                        depth,
                        segment: Some(Segment::Index(i)),
                        value: item,
                        holds: Holds::One(node),
                        ignored: frame.ignored,
                    }));
                }
                (Holds::Map(node), Value::Object(entries)) => {
                    children.extend(entries.iter().map(|(name, value)| Frame {
                        depth,
                        segment: Some(Segment::Key(name)),
                        value,
                        holds: Holds::One(node),
                        ignored: frame.ignored,
                    }));
                }
                (Holds::One(node), Value::Object(members)) => {
                    let ours: Vec<(&String, &Value)> = members.iter().filter(|(key, _)| is_ours(key)).collect();
                    if !ours.is_empty() {
                        let mut at = Pointer::root();
                        for segment in &path {
                            segment.push_onto(&mut at);
                        }
                        read.take(node, frame.ignored, &ours, &at, label)?;
                    }
                    // What is inside a callback or a header is never generated.
                    let ignored = match node {
                        Node::Callback => Some("in a callback (the generated client neither sends nor reads one)"),
                        Node::Header => Some("in a header object (the generated client reads no header schemas)"),
                        _ => frame.ignored,
                    };
                    children.extend(members.iter().filter(|(key, _)| !key.starts_with("x-")).filter_map(
                        |(key, value)| {
                            let holds = node.member(key)?;
                            Some(Frame {
                                depth,
                                segment: Some(Segment::Key(key)),
                                value,
                                holds,
                                ignored,
                            })
                        },
                    ));
                }
                // Not the shape OpenAPI gives it: the document's parser has said so already.
                _ => {}
            }
            // Reversed, so that the first problem in document order is the one reported.
            stack.extend(children.into_iter().rev());
        }
        Ok(read)
    }

    /// Checks and stores the extensions `ours` of one `node` at `at`.
    fn take(
        &mut self,
        node: Node,
        ignored: Option<&str>,
        ours: &[(&String, &Value)],
        at: &Pointer,
        label: &str,
    ) -> Result<()> {
        let error =
            |key: &str, message: String| Error::new(label, at.join(key).to_string(), message).about_vocabulary();
        for &(key, _) in ours {
            let Some(&(_, place)) = VOCABULARY.iter().find(|(name, _)| name == key) else {
                let hint = suggestion(key).map(|name| format!("; did you mean `{name}`?"));
                return Err(error(
                    key,
                    format!("`{key}` is not a paykit-codegen extension{}", hint.unwrap_or_default()),
                ));
            };
            if let Some(reason) = ignored {
                return Err(error(key, format!("`{key}` has no effect {reason}")));
            }
            if !node.site().is_some_and(|site| place.admits(site)) {
                return Err(error(
                    key,
                    format!("`{key}` belongs on {}, not on {}", place.describe(), node.describe()),
                ));
            }
        }
        if ours.iter().any(|(key, _)| *key == UNWRAP_OPTIONAL) && !ours.iter().any(|(key, _)| *key == UNWRAP) {
            return Err(error(
                UNWRAP_OPTIONAL,
                format!("`{UNWRAP_OPTIONAL}` belongs next to `{UNWRAP}`"),
            ));
        }
        let values = Value::Object(ours.iter().map(|&(key, value)| (key.clone(), value.clone())).collect());
        let key = at.to_string();
        match node.site() {
            Some(Site::Root) => self.root = parse(values, at, label)?,
            Some(Site::Operation) => {
                self.operations.insert(key, parse(values, at, label)?);
            }
            Some(Site::Parameter) => {
                self.parameters.insert(key, parse(values, at, label)?);
            }
            Some(Site::Response) => {
                self.responses.insert(key, parse(values, at, label)?);
            }
            Some(Site::Schema(_)) => {
                self.schemas.insert(key, parse(values, at, label)?);
            }
            // Every key was refused above.
            None => {}
        }
        Ok(())
    }
}

/// Whether `key` is meant as one of ours: `x-paykit` in any case.
fn is_ours(key: &str) -> bool {
    key.as_bytes()
        .get(..8)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-paykit"))
}

/// Whether `object` holds one of ours beside a `$ref`, which OpenAPI 3.0 reads alone: the key and
/// the error message. The loader asks, for it sees every `$ref` before local ones are inlined.
pub fn beside_ref(object: &Map<String, Value>) -> Option<(&str, String)> {
    let key = object.keys().find(|key| is_ours(key))?;
    Some((
        key,
        format!(
            "`{key}` beside `$ref` would be ignored (OpenAPI 3.0 reads a $ref alone); put it on what the $ref names"
        ),
    ))
}

/// The known name closest to a misspelt one, if it is close.
fn suggestion(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    VOCABULARY
        .iter()
        .map(|&(name, _)| (edit_distance(&key, name), name))
        .filter(|&(distance, _)| distance <= 3)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) from `a` to `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the table: two back, one back, this one.
    let mut rows = [vec![0; b.len() + 1], (0..=b.len()).collect(), vec![0; b.len() + 1]];
    for i in 1..=a.len() {
        rows[2][0] = i;
        for j in 1..=b.len() {
            let substitute = rows[1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitute.min(rows[1][j] + 1).min(rows[2][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[0][j - 2] + 1);
            }
            rows[2][j] = best;
        }
        rows.rotate_left(1);
    }
    rows[1][b.len()]
}

fn parse<T: DeserializeOwned>(values: Value, at: &Pointer, label: &str) -> Result<T> {
    serde_path_to_error::deserialize(values).map_err(|e| {
        let at = e.path().iter().fold(at.clone(), crate::load::step);
        Error::new(label, at.to_string(), e.inner().to_string()).about_vocabulary()
    })
}

/// Where an extension belongs.
#[derive(Debug, Clone, Copy)]
enum Place {
    Root,
    Operation,
    Parameter,
    Response,
    Schema,
    /// A schema written inline in `properties` (the IR reads it on the property).
    Property,
    /// A schema in `properties`, or a `components/schemas` entry that properties reference.
    PropertyOrComponent,
}

impl Place {
    fn admits(self, site: Site) -> bool {
        matches!(
            (self, site),
            (Self::Root, Site::Root)
                | (Self::Operation, Site::Operation)
                | (Self::Parameter, Site::Parameter)
                | (Self::Response, Site::Response)
                | (Self::Schema, Site::Schema(_))
                | (Self::Property, Site::Schema(SchemaSite::Property))
                | (
                    Self::PropertyOrComponent,
                    Site::Schema(SchemaSite::Property | SchemaSite::Component)
                )
        )
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Root => "the document root",
            Self::Operation => "an operation",
            Self::Parameter => "a parameter",
            Self::Response => "a response",
            Self::Schema => "a schema",
            Self::Property => "a schema written inline in `properties`",
            Self::PropertyOrComponent => "a schema in `properties` or in `components/schemas`",
        }
    }
}

/// The nodes that may hold extensions of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    Root,
    Operation,
    Parameter,
    Response,
    Schema(SchemaSite),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SchemaSite {
    /// A value of a `properties` map.
    Property,
    /// A value of `components/schemas`.
    Component,
    Other,
}

/// The OpenAPI 3.0 objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema(SchemaSite),
    Discriminator,
    Xml,
    Components,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
}

/// What a member of an object holds.
#[derive(Debug, Clone, Copy)]
enum Holds {
    One(Node),
    List(Node),
    /// A map from names (which are never extensions) to objects.
    Map(Node),
}

impl Node {
    /// What the member `key` (not an extension) holds; `None` for sample data, scalars and
    /// members OpenAPI does not define.
    fn member(self, key: &str) -> Option<Holds> {
        use Holds::{List, Map, One};
        use Node::*;
        Some(match (self, key) {
            (Document, "info") => One(Info),
            (Document | PathItem | Operation, "servers") => List(Server),
            (Document, "paths") => One(Paths),
            (Document, "components") => One(Components),
            (Document, "tags") => List(Tag),
            (Document | Operation | Tag | Schema(_), "externalDocs") => One(ExternalDocs),
            (Info, "contact") => One(Contact),
            (Info, "license") => One(License),
            (Server, "variables") => Map(ServerVariable),
            (Paths | Callback, _) => One(PathItem),
            (PathItem, method) if crate::load::OPERATION_METHODS.contains(&method) => One(Operation),
            (PathItem | Operation, "parameters") => List(Parameter),
            (Operation, "requestBody") => One(RequestBody),
            (Operation, "responses") => One(Responses),
            (Operation, "callbacks") => Map(Callback),
            (Parameter | Header | MediaType, "schema") => One(Schema(SchemaSite::Other)),
            (Parameter | Header | MediaType, "examples") => Map(Example),
            (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
            (MediaType, "encoding") => Map(Encoding),
            (Encoding | Response, "headers") => Map(Header),
            (Responses, _) => One(Response),
            (Response, "links") => Map(Link),
            (Link, "server") => One(Server),
            (Schema(_), "allOf" | "oneOf" | "anyOf") => List(Schema(SchemaSite::Other)),
            (Schema(_), "not" | "items" | "additionalProperties") => One(Schema(SchemaSite::Other)),
            (Schema(_), "properties") => Map(Schema(SchemaSite::Property)),
            (Schema(_), "discriminator") => One(Discriminator),
            (Schema(_), "xml") => One(Xml),
            (Components, "schemas") => Map(Schema(SchemaSite::Component)),
            (Components, "responses") => Map(Response),
            (Components, "parameters") => Map(Parameter),
            (Components, "examples") => Map(Example),
            (Components, "requestBodies") => Map(RequestBody),
            (Components, "headers") => Map(Header),
            (Components, "securitySchemes") => Map(SecurityScheme),
            (Components, "links") => Map(Link),
            (Components, "callbacks") => Map(Callback),
            (SecurityScheme, "flows") => One(OAuthFlows),
            (OAuthFlows, "implicit" | "password" | "clientCredentials" | "authorizationCode") => One(OAuthFlow),
            _ => return None,
        })
    }

    fn site(self) -> Option<Site> {
        match self {
            Self::Document => Some(Site::Root),
            Self::Operation => Some(Site::Operation),
            Self::Parameter => Some(Site::Parameter),
            Self::Response => Some(Site::Response),
            Self::Schema(site) => Some(Site::Schema(site)),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Document => "the document root",
            Self::Info => "the info object",
            Self::Contact => "a contact",
            Self::License => "a license",
            Self::Server => "a server",
            Self::ServerVariable => "a server variable",
            Self::Paths => "the paths object",
            Self::PathItem => "a path item",
            Self::Operation => "an operation",
            Self::ExternalDocs => "an externalDocs object",
            Self::Parameter => "a parameter",
            Self::RequestBody => "a request body",
            Self::MediaType => "a media type",
            Self::Encoding => "an encoding",
            Self::Responses => "a responses object",
            Self::Response => "a response",
            Self::Callback => "a callback",
            Self::Example => "an example",
            Self::Link => "a link",
            Self::Header => "a header",
            Self::Tag => "a tag",
            Self::Schema(SchemaSite::Property) => "a property's schema",
            Self::Schema(SchemaSite::Component) => "a component schema",
            Self::Schema(SchemaSite::Other) => "a schema outside `properties`",
            Self::Discriminator => "a discriminator",
            Self::Xml => "an xml object",
            Self::Components => "the components object",
            Self::SecurityScheme => "a security scheme",
            Self::OAuthFlows => "an OAuth flows object",
            Self::OAuthFlow => "an OAuth flow",
        }
    }
}

/// One node still to visit.
struct Frame<'v> {
    /// How many segments its pointer has.
    depth: usize,
    segment: Option<Segment<'v>>,
    value: &'v Value,
    holds: Holds,
    /// Why extensions have no effect here, inside a part the client never generates.
    ignored: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

impl Segment<'_> {
    fn push_onto(self, at: &mut Pointer) {
        match self {
            Self::Key(key) => at.push(key),
            Self::Index(i) => at.push(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table and the structs agree: each name is a field of the struct of its place.
    #[test]
    fn every_name_is_read_where_it_belongs() {
        fn known<T: DeserializeOwned>(name: &str) -> bool {
            let unknown = serde_json::from_value::<T>(serde_json::json!({ name: null }))
                .is_err_and(|e| e.to_string().starts_with("unknown field"));
            !unknown
        }
        for (name, place) in VOCABULARY {
            let read = match place {
                Place::Root => known::<RootExtensions>(name),
                Place::Operation => known::<OperationExtensions>(name),
                Place::Parameter => known::<ParameterExtensions>(name),
                Place::Response => known::<ResponseExtensions>(name),
                Place::Schema | Place::Property | Place::PropertyOrComponent => known::<SchemaExtensions>(name),
            };
            assert!(read, "{name} is not read on {}", place.describe());
        }
    }

    #[test]
    fn misspellings_get_the_closest_name() {
        assert_eq!(edit_distance("x-paykit-idempotnet", "x-paykit-idempotent"), 1);
        assert_eq!(suggestion("x-paykit-idempotnet"), Some("x-paykit-idempotent"));
        assert_eq!(suggestion("X-PayKit-Unwrap"), Some("x-paykit-unwrap"));
        assert_eq!(suggestion("x-paykit-idempotency"), Some("x-paykit-idempotent"));
        assert_eq!(suggestion("x-paykit-retries"), None);
    }

    /// 100,000 nested schemas (more than any parser here lets through, built by hand): walked
    /// without recursion, and the error names the innermost one.
    #[test]
    fn deep_documents_are_walked_without_recursion() {
        let depth = 100_000;
        let mut schema = serde_json::json!({"type": "string", "x-paykit-lenient": true});
        for _ in 0..depth {
            let mut array = Map::new();
            array.insert("type".into(), "array".into());
            array.insert("items".into(), schema);
            schema = Value::Object(array);
        }
        let mut doc = serde_json::json!({"components": {"schemas": {}}});
        doc["components"]["schemas"]["Deep"] = schema;
        let e = Extensions::read(&doc, "deep.json").expect_err("lenient outside properties");
        assert!(e.location.starts_with("#/components/schemas/Deep/items/items/"), "{e}");
        assert_eq!(e.location.matches("/items").count(), depth);
        assert!(
            e.message.contains("belongs on a schema written inline in `properties`"),
            "{e}"
        );
        // Dropping a `Value` recurses; this one is too deep for that.
        std::mem::forget(doc);
    }
}
