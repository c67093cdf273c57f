//! Reading a generated struct from a JSON object, key by key. Each struct's `Deserialize` impl
//! calls [`deserialize`] and says in [`FromObject::from_object`] which key fills which field:
//! the same behaviour as `#[derive(Deserialize)]` with a flattened map of other properties
//! (missing and repeated keys are errors, `null` or absent optional fields are `None`, other
//! keys are kept), in a fraction of the code. The derive's field enum, its visitor for every
//! kind of key, its sequence form and its buffering of every entry for the flattened map made
//! deserialization most of a big client's build.
//!
//! ```
//! use paykit_runtime::object::{self, FromObject, Key, field, required};
//! use serde::de::MapAccess;
//!
//! #[derive(Debug, PartialEq)]
//! struct Pet {
//!     id: i64,
//!     name: Option<String>,
//!     additional_properties: paykit_runtime::OtherProperties,
//! }
//!
//! impl<'de> serde::Deserialize<'de> for Pet {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         object::deserialize(deserializer)
//!     }
//! }
//!
//! impl FromObject for Pet {
//!     const NAME: &'static str = "Pet";
//!
//!     fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
//!         let mut id = None;
//!         let mut name = None;
//!         let mut additional_properties = paykit_runtime::OtherProperties::new();
//!         while let Some(key) = map.next_key::<Key>()? {
//!             match key.as_str() {
//!                 "id" => field(&mut map, &mut id, "id")?,
//!                 "name" => field(&mut map, &mut name, "name")?,
//!                 _ => {
//!                     additional_properties.insert(key.into(), map.next_value()?);
//!                 }
//!             }
//!         }
//!         Ok(Self {
//!             id: required(id, "id")?,
//!             name: name.flatten(),
//!             additional_properties,
//!         })
//!     }
//! }
//!
//! let pet: Pet = serde_json::from_str(r#"{"id": 7, "name": null, "age": 3}"#).unwrap();
//! assert_eq!((pet.id, pet.name, pet.additional_properties["age"].as_i64()), (7, None, Some(3)));
//! let missing = serde_json::from_str::<Pet>(r#"{"name": "Rex"}"#).unwrap_err();
//! assert!(missing.to_string().starts_with("missing field `id`"));
//! let twice = serde_json::from_str::<Pet>(r#"{"id": 1, "id": 2}"#).unwrap_err();
//! assert!(twice.to_string().starts_with("duplicate field `id`"));
//! let array = serde_json::from_str::<Pet>("[7]").unwrap_err();
//! assert!(array.to_string().starts_with("invalid type: sequence, expected struct Pet"));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess};

/// A struct read from an object's keys and values.
pub trait FromObject: Sized {
    /// The struct's name, for "expected struct NAME" in errors.
    const NAME: &'static str;

    /// Reads every entry of `map` and builds the struct.
    fn from_object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// A [`FromObject`] struct from an object (a map); anything else is an error.
pub fn deserialize<'de, T: FromObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromObject> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(map)
    }
}

/// Reads the value of the key just read into `slot`; the key read before is an error.
pub fn field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required key, or the error that it is missing.
pub fn required<T, E: de::Error>(slot: Option<T>, key: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(key))
}

/// An object's key: borrowed from the input when it can be, so declared keys cost no allocation.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Key<'_>> for String {
    fn from(key: Key<'_>) -> Self {
        key.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}
