//! `multipart/form-data` bodies: the [`File`] a `format: binary` property holds, and the
//! [`Form`] a generated method fills, part by part, from its body.
//!
//! The form stays plain data until it is sent, so a retry sends it again unchanged; reqwest
//! writes the wire format (boundary, part headers) on each attempt.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::RequestError;

/// The content of a `format: binary` property: in a multipart body, a file part with an
/// optional file name and content type; in JSON (where some specs put one), its bytes as a
/// string. `Debug` shows its size, never its bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct File {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl File {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            ..Self::default()
        }
    }

    /// The `filename` of its part; many upload endpoints require one.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The `Content-Type` of its part (`image/png`); `application/octet-stream` without one.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<Vec<u8>> for File {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&[u8]> for File {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::new(text.into_bytes()))
    }
}

/// The parts of a multipart body, in order.
#[derive(Clone, Default, PartialEq)]
pub struct Form {
    parts: Vec<(String, Part)>,
}

#[derive(Clone, PartialEq)]
enum Part {
    Text(String),
    /// An object or an array of objects, as OpenAPI's default `application/json` part.
    Json(String),
    File(File),
}

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    /// A file part.
    pub fn file(&mut self, name: &str, file: &File) {
        self.parts.push((name.to_owned(), Part::File(file.clone())));
    }

    /// A part for any other property, as OpenAPI encodes it: `None` is left out, a scalar is a
    /// text part, an array of scalars one text part per item, anything else a JSON part.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), RequestError> {
        let value = serde_json::to_value(value).map_err(RequestError::Encode)?;
        match value {
            Value::Array(items) if items.iter().all(is_scalar) => {
                for item in &items {
                    self.scalar(name, item);
                }
            }
            value if is_scalar(&value) => self.scalar(name, &value),
            value => self.parts.push((name.to_owned(), Part::Json(value.to_string()))),
        }
        Ok(())
    }

    /// One part per property of `value`, an object: for the properties a spec leaves open.
    pub fn fields<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), RequestError> {
        if let Value::Object(properties) = serde_json::to_value(value).map_err(RequestError::Encode)? {
            for (name, value) in &properties {
                self.field(name, value)?;
            }
        }
        Ok(())
    }

    fn scalar(&mut self, name: &str, value: &Value) {
        let text = match value {
            Value::Null => return,
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        self.parts.push((name.to_owned(), Part::Text(text)));
    }

    /// The reqwest form to send, built afresh for each attempt.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form, RequestError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::Json(json) => reqwest::multipart::Part::text(json.clone())
                    .mime_str("application/json")
                    .map_err(|_| RequestError::InvalidRequest("invalid JSON part".to_owned()))?,
                Part::File(file) => {
                    let mut part = reqwest::multipart::Part::bytes(file.bytes.clone());
                    if let Some(file_name) = &file.file_name {
                        part = part.file_name(file_name.clone());
                    }
                    let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
                    part.mime_str(content_type).map_err(|_| {
                        RequestError::InvalidRequest(format!("invalid content type {content_type:?} for part {name:?}"))
                    })?
                }
            };
            form = form.part(name.clone(), part);
        }
        Ok(form)
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// The part names and kinds, never their content.
impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, part) in &self.parts {
            match part {
                Part::Text(_) | Part::Json(_) => list.entry(name),
                Part::File(file) => list.entry(&format_args!("{name}: <file, {} bytes>", file.bytes.len())),
            };
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_become_parts_as_openapi_encodes_them() {
        let mut form = Form::new();
        form.field("name", "Rex").unwrap();
        form.field("age", &3).unwrap();
        form.field("absent", &None::<String>).unwrap();
        form.field("tags", &["a", "b"]).unwrap();
        form.field("owner", &serde_json::json!({"id": 1})).unwrap();
        form.file("photo", &File::new(b"\x89PNG".as_slice()).file_name("rex.png"));
        let text = |t: &str| Part::Text(t.to_owned());
        let expected = [
            ("name".to_owned(), text("Rex")),
            ("age".to_owned(), text("3")),
            ("tags".to_owned(), text("a")),
            ("tags".to_owned(), text("b")),
            ("owner".to_owned(), Part::Json(r#"{"id":1}"#.to_owned())),
        ];
        assert!(form.parts[..5] == expected[..]);
        assert!(matches!(&form.parts[5], (name, Part::File(file)) if name == "photo" && file.bytes() == b"\x89PNG"));
    }

    #[test]
    fn debug_shows_names_and_sizes_only() {
        let mut form = Form::new();
        form.field("token", "tok_secret").unwrap();
        form.file("file", &File::new(b"secret bytes".as_slice()));
        let shown = format!("{form:?} {:?}", File::new(b"secret bytes".as_slice()));
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("token") && shown.contains("12 bytes"), "{shown}");
    }
}
