//! How a parameter is written, by where it goes and by its `style` and `explode`: OpenAPI's style
//! table, in one place. Generated code states a parameter's rule in one call
//! (`request.query_param("ids", &ids, QueryStyle::FormUnexploded)`) and never decides a
//! spelling itself. A value that cannot be written makes the request
//! [invalid](Request::invalid): sending it reports that instead of sending.
//!
//! Values are read through serde, so a parameter holds whatever a generated type holds: a scalar,
//! an open enum, a list, an object or a union of them. `null` (an optional parameter left out)
//! sends nothing. Scalars are written as JSON writes them, except in a query of a request in
//! [`Dialect::Php`], which writes booleans `1`/`0` and floats at PHP's precision.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

use crate::Request;
use crate::error::RequestError;
use crate::form::{self, Dialect, Style};

/// How a path parameter is written (`in: path`), shown for the list `[a, b]` and the object
/// `{k: v, k2: v2}` of a parameter named `id`. Each style's plain name is OpenAPI's default
/// `explode` for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `a,b`; `k,v,k2,v2`. The default.
    Simple,
    /// `a,b`; `k=v,k2=v2`.
    SimpleExploded,
    /// `.a,b`; `.k,v,k2,v2`.
    Label,
    /// `.a.b`; `.k=v.k2=v2`.
    LabelExploded,
    /// `;id=a,b`; `;id=k,v,k2,v2`.
    Matrix,
    /// `;id=a;id=b`; `;k=v;k2=v2`.
    MatrixExploded,
}

/// How a query parameter is written (`in: query`), shown as for [`PathStyle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `id=a&id=b`; `k=v&k2=v2`, containers inside as bracket keys. The default (exploded).
    Form,
    /// `id=a,b`; `id=k,v,k2,v2`.
    FormUnexploded,
    /// One value joined with spaces: `id=a%20b`, `id=k%20v%20k2%20v2`.
    SpaceDelimited,
    /// One value joined with `|`: `id=a|b`, `id=k|v|k2|v2`.
    PipeDelimited,
    /// Bracket keys at any depth: `id[0]=a&id[1]=b`, `id[k]=v&id[k2]=v2`.
    DeepObject,
}

/// How a header parameter is written (`in: header`; its one style is `simple`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderStyle {
    /// `a,b`; `k,v,k2,v2`. The default.
    Simple,
    /// `a,b`; `k=v,k2=v2`.
    SimpleExploded,
}

/// How a cookie parameter is written (`in: cookie`; its one style is `form`). A list is one
/// cookie either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieStyle {
    /// `id=a,b`; one cookie per property, `k=v; k2=v2`. The default (exploded).
    Form,
    /// `id=a,b`; `id=k,v,k2,v2`.
    FormUnexploded,
}

/// A parameter described by `content: {application/json: …}` rather than a schema: written as
/// its value's JSON text (`{"a":1}` → `filter=%7B%22a%22%3A1%7D` in a query), which the location's
/// rule escapes like any other string. `null` (an optional parameter left out) still sends nothing.
#[derive(Debug, Clone, Copy)]
pub struct JsonText<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for JsonText<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(serde::ser::Error::custom)?;
        if text == "null" {
            return serializer.serialize_none();
        }
        serializer.serialize_str(&text)
    }
}

/// Bytes left unescaped in a path segment: RFC 3986 unreserved characters.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The path parameter `name` holding `value`, written in `style` and percent-encoded, so `/`, `?`
/// or `#` in an id cannot change the path.
///
/// A segment that would be empty, `.` or `..` is refused: URL parsers resolve dot segments even
/// when percent-encoded, so such an id would address another resource (`DELETE /webhooks/..` →
/// `DELETE /`).
pub(crate) fn path_segment<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: PathStyle,
) -> Result<String, RequestError> {
    let encode = |text: &str| utf8_percent_encode(text, PATH_SEGMENT).to_string();
    let explode = matches!(
        style,
        PathStyle::SimpleExploded | PathStyle::LabelExploded | PathStyle::MatrixExploded
    );
    let segment = match (Written::of(value, Dialect::Standard)?, style) {
        (Written::Pairs(pairs), _) if explode => {
            let pairs = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v)));
            match style {
                PathStyle::LabelExploded => pairs.map(|pair| format!(".{pair}")).collect(),
                PathStyle::MatrixExploded => pairs.map(|pair| format!(";{pair}")).collect(),
                _ => pairs.collect::<Vec<_>>().join(","),
            }
        }
        (written, _) => {
            let items: Vec<String> = written.into_items().iter().map(|item| encode(item)).collect();
            let name = encode(name);
            match style {
                PathStyle::Simple | PathStyle::SimpleExploded => items.join(","),
                PathStyle::Label => format!(".{}", items.join(",")),
                PathStyle::LabelExploded => items.iter().map(|item| format!(".{item}")).collect(),
                PathStyle::Matrix => format!(";{name}={}", items.join(",")),
                PathStyle::MatrixExploded => items.iter().map(|item| format!(";{name}={item}")).collect(),
            }
        }
    };
    if segment.is_empty() || segment == "." || segment == ".." {
        return Err(RequestError::InvalidRequest(format!(
            "{segment:?} cannot be the path parameter {name}: it would address a different resource"
        )));
    }
    Ok(segment)
}

impl Request {
    /// Writes the path parameter `name` holding `value`, in `style`, into the path's first
    /// `{name}`, percent-encoded so that `/`, `?` or `#` in an id cannot change the path (and
    /// encoded segments hold no braces, so a value is never taken for a later parameter's place).
    /// A segment that would be empty, `.` or `..` makes the request [invalid](Request::invalid):
    /// URL parsers resolve dot segments even when percent-encoded.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: PathStyle) {
        match path_segment(name, value, style) {
            Ok(segment) => {
                if self.path_template.is_none() {
                    self.path_template = Some(self.path.clone());
                }
                let place = format!("{{{name}}}");
                if let Some(at) = self.path.find(&place) {
                    self.path.replace_range(at..at + place.len(), &segment);
                }
            }
            Err(error) => self.fail(error),
        }
    }

    /// Adds the query parameter `name` holding `value`, written in `style` (and in the request's
    /// [`Dialect`]); nothing for `null`, or a list or object with nothing in it.
    pub fn query_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(error) => return self.fail(RequestError::Encode(error)),
        };
        match style {
            QueryStyle::Form => self.query_form(name, value, Style::Form { explode: true }),
            QueryStyle::FormUnexploded => self.query_form(name, value, Style::Form { explode: false }),
            QueryStyle::DeepObject => self.query_form(name, value, Style::DeepObject),
            QueryStyle::SpaceDelimited => self.query_delimited(name, value, " "),
            QueryStyle::PipeDelimited => self.query_delimited(name, value, "|"),
        }
    }

    /// `form` and `deepObject` write a query parameter as a form body writes a property.
    fn query_form(&mut self, name: &str, value: Value, style: Style) {
        let wrapped = Value::Object([(name.to_owned(), value)].into_iter().collect());
        self.query
            .extend(form::form_pairs(&wrapped, &[(name, style)], self.dialect));
    }

    fn query_delimited(&mut self, name: &str, value: Value, delimiter: &str) {
        let items = Written::from_value(value, self.dialect).into_items();
        if !items.is_empty() {
            self.query(name, items.join(delimiter));
        }
    }

    /// Adds the header parameter `name` holding `value`, written in `style`; nothing for `null`.
    pub fn header_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: HeaderStyle) {
        match header_text(value, style) {
            Ok(Some(text)) => self.header(name, text),
            Ok(None) => {}
            Err(error) => self.fail(error),
        }
    }

    /// Like [`Request::header_param`], for a credential: the header is never logged, never in
    /// `Debug`.
    pub fn sensitive_header_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: HeaderStyle) {
        match header_text(value, style) {
            Ok(Some(text)) => self.sensitive_header(name, text),
            Ok(None) => {}
            Err(error) => self.fail(error),
        }
    }

    /// Adds the cookie parameter `name` holding `value`, written in `style`, to the request's one
    /// `Cookie` header; nothing for `null`.
    pub fn cookie_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: CookieStyle) {
        match Written::of(value, Dialect::Standard) {
            Ok(Written::Absent) => {}
            Ok(Written::Pairs(pairs)) if style == CookieStyle::Form => {
                pairs.iter().for_each(|(k, v)| self.cookie(k, v))
            }
            Ok(written) => self.cookie(name, written.into_items().join(",")),
            Err(error) => self.fail(error),
        }
    }
}

fn header_text<T: Serialize + ?Sized>(value: &T, style: HeaderStyle) -> Result<Option<String>, RequestError> {
    Ok(match Written::of(value, Dialect::Standard)? {
        Written::Absent => None,
        Written::Pairs(pairs) if style == HeaderStyle::SimpleExploded => Some(
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
        ),
        written => Some(written.into_items().join(",")),
    })
}

/// A parameter's value as the text the styles arrange.
enum Written {
    /// `null`: the parameter is left out.
    Absent,
    /// A scalar (one item) or a list of them.
    Items(Vec<String>),
    /// An object's properties, in order (`null` ones left out).
    Pairs(Vec<(String, String)>),
}

impl Written {
    fn of<T: Serialize + ?Sized>(value: &T, dialect: Dialect) -> Result<Self, RequestError> {
        let value = serde_json::to_value(value).map_err(RequestError::Encode)?;
        Ok(Self::from_value(value, dialect))
    }

    fn from_value(value: Value, dialect: Dialect) -> Self {
        match value {
            Value::Null => Self::Absent,
            Value::Array(items) => Self::Items(items.iter().map(|item| text(item, dialect)).collect()),
            Value::Object(properties) => Self::Pairs(
                properties
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), text(v, dialect)))
                    .collect(),
            ),
            scalar => Self::Items(vec![text(&scalar, dialect)]),
        }
    }

    /// The items of a list or scalar; an object's pairs flattened `k, v, k2, v2` (the unexploded
    /// spelling of every style).
    fn into_items(self) -> Vec<String> {
        match self {
            Self::Absent => Vec::new(),
            Self::Items(items) => items,
            Self::Pairs(pairs) => pairs.into_iter().flat_map(|(k, v)| [k, v]).collect(),
        }
    }
}

/// A scalar as `dialect` writes it; anything nested (which no style defines) as its JSON.
fn text(value: &Value, dialect: Dialect) -> String {
    form::scalar(value, dialect).unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use serde_json::json;

    /// The OpenAPI 3.0 "Style Examples" table, for the list `[blue, black, brown]` and the object
    /// `{R: 100, G: 200, B: 150}` of a parameter named `color`.
    fn list() -> Value {
        json!(["blue", "black", "brown"])
    }

    fn object() -> Value {
        json!({"R": 100, "G": 200, "B": 150})
    }

    #[test]
    fn path_parameters_follow_the_style_table() {
        let path = |value: &Value, style| path_segment("color", value, style).unwrap();
        let rows = [
            (PathStyle::Simple, "blue,black,brown", "R,100,G,200,B,150"),
            (PathStyle::SimpleExploded, "blue,black,brown", "R=100,G=200,B=150"),
            (PathStyle::Label, ".blue,black,brown", ".R,100,G,200,B,150"),
            (PathStyle::LabelExploded, ".blue.black.brown", ".R=100.G=200.B=150"),
            (PathStyle::Matrix, ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
            (
                PathStyle::MatrixExploded,
                ";color=blue;color=black;color=brown",
                ";R=100;G=200;B=150",
            ),
        ];
        for (style, listed, object_written) in rows {
            assert_eq!(path(&list(), style), listed, "{style:?}");
            assert_eq!(path(&object(), style), object_written, "{style:?}");
        }
        assert_eq!(path(&json!("blue"), PathStyle::Label), ".blue");
        assert_eq!(path(&json!(5), PathStyle::Matrix), ";color=5");
    }

    #[test]
    fn path_parameters_cannot_escape_their_segment() {
        let simple = PathStyle::Simple;
        let encode = |v: &str| path_segment("id", v, simple).unwrap();
        assert_eq!(encode("pay_1"), "pay_1");
        assert_eq!(encode("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode("ü"), "%C3%BC");
        assert_eq!(encode("a..b"), "a..b");
        assert_eq!(encode("..."), "...");
        for bad in ["", ".", ".."] {
            assert!(
                matches!(path_segment("id", bad, simple), Err(RequestError::InvalidRequest(_))),
                "{bad:?}"
            );
        }
        for bad in [json!([]), json!([""]), json!([".."]), json!({}), json!(null)] {
            assert!(path_segment("id", &bad, simple).is_err(), "{bad}");
        }
        // A union holding a scalar or a list is written as that scalar or list.
        assert_eq!(path_segment("id", &42, simple).unwrap(), "42");
        assert_eq!(path_segment("id", &["a b", "c"], simple).unwrap(), "a%20b,c");
    }

    #[test]
    fn path_parameters_fill_their_places_and_a_bad_one_makes_the_request_invalid() {
        let mut request = Request::new("get", Method::GET, "/a/{id}/b/{id}/{other}");
        request.path_param("id", "x{other}", PathStyle::Simple);
        request.path_param("id", "y", PathStyle::Simple);
        request.path_param("other", &7, PathStyle::Label);
        assert_eq!(request.path, "/a/x%7Bother%7D/b/y/.7");
        assert!(request.invalid().is_none());

        let unwritable = std::collections::BTreeMap::from([(vec![1], 1)]);
        request.query_param("first", &unwritable, QueryStyle::Form);
        request.path_param("other", "..", PathStyle::Simple);
        let error = request.invalid().expect("a map with list keys cannot be written");
        assert!(error.to_string().contains("cannot be encoded as JSON"), "{error}");
    }

    #[test]
    fn query_parameters_follow_the_style_table() {
        let query = |value: &Value, style| {
            let mut request = Request::new("get", Method::GET, "/x");
            request.query_param("color", value, style);
            let pairs: Vec<String> = request.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.join("&")
        };
        let rows = [
            (
                QueryStyle::Form,
                "color=blue&color=black&color=brown",
                "R=100&G=200&B=150",
            ),
            (
                QueryStyle::FormUnexploded,
                "color=blue,black,brown",
                "color=R,100,G,200,B,150",
            ),
            (
                QueryStyle::SpaceDelimited,
                "color=blue black brown",
                "color=R 100 G 200 B 150",
            ),
            (
                QueryStyle::PipeDelimited,
                "color=blue|black|brown",
                "color=R|100|G|200|B|150",
            ),
            (
                QueryStyle::DeepObject,
                "color[0]=blue&color[1]=black&color[2]=brown",
                "color[R]=100&color[G]=200&color[B]=150",
            ),
        ];
        for (style, listed, object_written) in rows {
            assert_eq!(query(&list(), style), listed, "{style:?}");
            assert_eq!(query(&object(), style), object_written, "{style:?}");
            assert_eq!(query(&json!("blue"), style), "color=blue", "{style:?}");
            assert_eq!(query(&json!(null), style), "", "{style:?}");
            assert_eq!(query(&json!([]), style), "", "{style:?}");
        }
        let nested = json!({"status": "open", "tags": ["a", "b"]});
        assert_eq!(
            query(&nested, QueryStyle::DeepObject),
            "color[status]=open&color[tags][0]=a&color[tags][1]=b"
        );
        assert_eq!(query(&json!(""), QueryStyle::Form), "color=");
    }

    #[test]
    fn a_php_request_writes_query_booleans_as_php_does() {
        let mut request = Request::new("get", Method::GET, "/x").dialect(Dialect::Php);
        let form = QueryStyle::Form;
        request.query_param("active", &true, form);
        request.query_param("filter", &json!({"paid": false}), QueryStyle::DeepObject);
        let mut standard = Request::new("get", Method::GET, "/x");
        standard.query_param("active", &true, form);
        assert_eq!(
            request.query,
            [
                ("active".to_owned(), "1".to_owned()),
                ("filter[paid]".to_owned(), "0".to_owned())
            ]
        );
        assert_eq!(standard.query, [("active".to_owned(), "true".to_owned())]);
    }

    #[test]
    fn header_and_cookie_parameters_follow_the_style_table() {
        let mut request = Request::new("get", Method::GET, "/x");
        let (simple, exploded) = (HeaderStyle::Simple, HeaderStyle::SimpleExploded);
        request.header_param("X-List", &list(), simple);
        request.header_param("X-Object", &object(), simple);
        request.header_param("X-Exploded", &object(), exploded);
        request.header_param("X-Absent", &None::<String>, simple);
        request.sensitive_header_param("X-Key", "sk_live_secret", simple);
        let headers: Vec<String> = request.headers.iter().map(|h| format!("{h:?}")).collect();
        assert_eq!(
            headers,
            [
                "X-List: blue,black,brown",
                "X-Object: R,100,G,200,B,150",
                "X-Exploded: R=100,G=200,B=150",
                "X-Key: ***"
            ]
        );

        let mut request = Request::new("get", Method::GET, "/x");
        request.cookie_param("session", "a b;c", CookieStyle::Form);
        request.cookie_param("color", &list(), CookieStyle::Form);
        request.cookie_param("color", &object(), CookieStyle::FormUnexploded);
        request.cookie_param("color", &object(), CookieStyle::Form);
        request.cookie_param("theme", &None::<String>, CookieStyle::Form);
        assert_eq!(request.headers.len(), 1);
        assert_eq!(
            request.headers[0].value,
            "session=a%20b%3Bc; color=blue%2Cblack%2Cbrown; color=R%2C100%2CG%2C200%2CB%2C150; R=100; G=200; B=150"
        );
        assert!(request.headers[0].sensitive);
    }
}
