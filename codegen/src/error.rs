use std::collections::HashMap;
use std::fmt;

/// A problem with a spec (or with writing its crate), always located: the file, and either the
/// JSON pointer of the offending node or a line and column for syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    pub location: String,
    pub message: String,
    /// A misused `x-paykit-*` extension: a mistake in the spec rather than something the generator
    /// cannot handle, so skipping unsupported operations never hides it.
    pub vocabulary: bool,
}

impl Error {
    pub fn new(file: &str, location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: location.into(),
            message: message.into(),
            vocabulary: false,
        }
    }

    /// Marks the error as a misused `x-paykit-*` extension.
    pub fn about_vocabulary(mut self) -> Self {
        self.vocabulary = true;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, always: CI logs and editors read it as `file: where: what`.
        let message = self.message.replace('\n', " ");
        if self.location.is_empty() {
            write!(f, "{}: {message}", self.file)
        } else {
            write!(f, "{}: {}: {message}", self.file, self.location)
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Builds JSON pointers (`#/paths/~1payments/post`) while walking a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Self("#".to_owned())
    }

    /// Parses a local `$ref` (`#/components/schemas/X`) into a pointer.
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference.starts_with('#').then(|| Self(reference.to_owned()))
    }

    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let mut joined = self.clone();
        joined.push(segment);
        joined
    }

    /// Appends a segment in place: building a deep pointer segment by segment stays linear.
    pub fn push(&mut self, segment: impl fmt::Display) {
        self.0.push('/');
        self.0.push_str(&Self::escape(&segment.to_string()));
    }

    /// A reference token as written in a pointer (RFC 6901: `~` is `~0`, `/` is `~1`).
    pub fn escape(segment: &str) -> String {
        segment.replace('~', "~0").replace('/', "~1")
    }

    /// A reference token as it names a key (the inverse of [`Pointer::escape`]).
    pub fn unescape(token: &str) -> String {
        token.replace("~1", "/").replace("~0", "~")
    }

    /// The pointer without the leading `#`, as `serde_json::Value::pointer` takes it.
    pub fn as_value_pointer(&self) -> &str {
        &self.0[1..]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the nodes of a rewritten document came from (a Swagger 2.0 document's
/// `#/definitions/Pet` is `#/components/schemas/Pet` once converted; a 3.2 `itemSchema` is wrapped
/// in one more level; a referenced inner schema is moved into `components/schemas`): errors found in the converted document are reported at the original
/// pointer, found by the longest recorded prefix, then with each recorded infix put back.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    prefixes: HashMap<String, String>,
    infixes: Vec<(String, String)>,
}

impl Origins {
    /// Records that the node at `converted` (and everything under it) came from `original`.
    pub fn record(&mut self, converted: &Pointer, original: &Pointer) {
        self.prefixes.insert(converted.0.clone(), original.0.clone());
    }

    /// Records that the schema now at `moved` was at `original` in the document as loaded so far
    /// (so a converted 2.0 document's schema is traced back through both steps).
    pub fn record_moved(&mut self, moved: &str, original: &str) {
        let original = self.original_prefix(original);
        self.prefixes.insert(moved.to_owned(), original);
    }

    /// Records that the segments `converted`, wherever they are, were `original` as written.
    pub fn record_infix(&mut self, converted: &str, original: &str) {
        self.infixes.push((converted.to_owned(), original.to_owned()));
    }

    /// The original pointer of a converted one; anything else (a line and column) as it is.
    pub fn original(&self, location: &str) -> String {
        let mut original = self.original_prefix(location);
        for (converted, written) in &self.infixes {
            original = original.replace(converted.as_str(), written);
        }
        original
    }

    fn original_prefix(&self, location: &str) -> String {
        let mut end = location.len();
        while location.starts_with('#') {
            if let Some(original) = self.prefixes.get(&location[..end]) {
                return format!("{original}{}", &location[end..]);
            }
            match location[..end].rfind('/') {
                Some(slash) => end = slash,
                None => break,
            }
        }
        location.to_owned()
    }

    /// `error` located in the original document.
    pub fn translate(&self, mut error: Error) -> Error {
        if !self.prefixes.is_empty() || !self.infixes.is_empty() {
            error.location = self.original(&error.location);
        }
        error
    }
}
