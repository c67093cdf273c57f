use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use crate::error::RequestError;
use crate::form::{Style, form_pairs};

/// A request as generated code describes it, before anything is encoded for the wire.
///
/// [`crate::Auth`] hooks get it mutably, so they can add headers, query parameters or body
/// fields, and sign exactly what will be sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// Path below the base URL, with path parameters already encoded.
    pub path: String,
    /// Query parameters in the order they are sent.
    pub query: Vec<(String, String)>,
    pub headers: Vec<Header>,
    pub body: Body,
}

/// One request header; sensitive ones are marked so they never show up in logs.
#[derive(Clone)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub sensitive: bool,
}

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.sensitive { "***" } else { &self.value };
        write!(f, "{}: {value}", self.name)
    }
}

/// A request body, kept unencoded until it is sent, so hooks can read and extend it.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Body {
    #[default]
    Empty,
    /// Sent as `application/json`.
    Json(serde_json::Value),
    /// Sent as `application/x-www-form-urlencoded`: these `(key, value)` pairs, in this order,
    /// encoded by [`crate::form::encode`].
    Form(Vec<(String, String)>),
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    pub fn header(&mut self, name: impl Into<String>, value: impl ToString) {
        self.headers.push(Header {
            name: name.into(),
            value: value.to_string(),
            sensitive: false,
        });
    }

    /// A header whose value is a credential: never logged, never in `Debug`.
    pub fn sensitive_header(&mut self, name: impl Into<String>, value: String) {
        self.headers.push(Header {
            name: name.into(),
            value,
            sensitive: true,
        });
    }

    /// Sets a JSON body. Fails only if `body` cannot be represented as JSON (e.g. a map with
    /// non-string keys), which generated types never produce.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), RequestError> {
        let value = serde_json::to_value(body).map_err(RequestError::Encode)?;
        self.body = Body::Json(value);
        Ok(())
    }

    /// Sets a form body: `body`'s properties in order, each serialized by its entry in `styles`
    /// (see [`crate::form::form_pairs`]).
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T, styles: &[(&str, Style)]) -> Result<(), RequestError> {
        let value = serde_json::to_value(body).map_err(RequestError::Encode)?;
        self.body = Body::Form(form_pairs(&value, styles));
        Ok(())
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn sensitive_headers_do_not_show_in_debug() {
        let mut r = Request::new(Method::GET, "/x");
        r.sensitive_header("Authorization", "Bearer sk_live_secret".into());
        r.header("Accept", "application/json");
        let shown = format!("{r:?}");
        assert!(!shown.contains("sk_live_secret"), "{shown}");
        assert!(shown.contains("Accept: application/json"), "{shown}");
    }
}
