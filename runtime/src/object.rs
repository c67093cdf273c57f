//! Generated structs, declared with [`object!`](crate::object!): each field with its wire name, and
//! whether the key may be left out. The macro writes what serde's derives would (the same JSON in
//! and out: missing and repeated keys are errors, `null` or absent optional fields are `None`,
//! other keys are kept or skipped), reading and writing the object key by key. That costs about
//! half the compile time of `#[derive(Serialize, Deserialize)]`: the derive's field enum, its
//! visitor for every kind of key and its sequence form are most of a big client's build.
//!
//! ```
//! paykit_runtime::object! {
//!     /// A pet.
//!     pub struct Pet {
//!         /// Its number.
//!         id: i64 = "id",
//!         name: Option<String> = "name"?,
//!         vaccinated: Option<bool> = "vaccinated"? with Flag,
//!         ..additional_properties: paykit_runtime::OtherProperties,
//!     }
//! }
//!
//! let pet: Pet = serde_json::from_str(r#"{"id": 7, "name": null, "vaccinated": 1, "age": 3}"#).unwrap();
//! assert_eq!((pet.id, pet.name.as_deref(), pet.vaccinated), (7, None, Some(true)));
//! assert_eq!(pet.additional_properties["age"], 3);
//! assert_eq!(serde_json::to_string(&Pet::new(8)).unwrap(), r#"{"id":8}"#);
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

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess};
use serde::{Serialize, Serializer};

use crate::Secret;

/// Declares a struct read from and written to a JSON object, as generated clients do:
///
/// - `name: Type = "wire",` is a required key, always written (a `Type` that is an `Option` may
///   be `null`, and reads as `None` when absent, as with serde's derive);
/// - `name: Option<Type> = "wire"?,` is a key that may be left out: absent or `null` is `None`,
///   and `None` is not written;
/// - `… with Adapter,` sends the value through an [`Adapter`] ([`Flag`], [`Lenient`]);
/// - `..name: Map,` last, keeps the keys not declared, in `name`, and writes them after the
///   others; without it, such keys are skipped.
///
/// The struct derives `Debug`, `Clone` and `PartialEq` (add more with `#[derive(…)]` before it),
/// implements `Serialize`, `Deserialize` and [`FromObject`], and gets
/// `new(every field not marked ?)`, taking each value through [`IntoField`] (a `&str` for a
/// `String`, a value for a `Box`); the other fields start empty. It is `#[non_exhaustive]`:
/// other crates build it with `new` (or `Default`) and set fields by assignment, so a field
/// added later breaks none of them.
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $wire:literal $(? $optional:vis)? $(with $adapter:ident)?,
            )*
            $(.. $extra:ident : $extra_ty:ty,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        $vis struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
            $(pub $extra: $extra_ty,)?
        }

        impl $name {
            /// A value with the required fields set and every optional one empty.
            // Inline: built where it is used, so a crate pays no code for the `new` it never calls.
            #[inline]
            #[allow(clippy::too_many_arguments)]
            pub fn new(
                // A field marked `?` is no argument: `cfg(any())` is false, so its parameter is
                // configured away (`$optional` is empty; it only says the mark is there).
                $(
                    $(#[cfg(any())] #[cfg_attr(any(), doc = stringify!($optional))])?
                    $field: impl $crate::object::IntoField<$ty>,
                )*
            ) -> Self {
                Self {
                    $(
                        $(#[cfg(any())] #[cfg_attr(any(), doc = stringify!($optional))])?
                        $field: $crate::object::IntoField::into_field($field),
                        $(#[cfg_attr(any(), doc = stringify!($optional))] $field: ::std::option::Option::None,)?
                    )*
                    $($extra: ::std::default::Default::default(),)?
                }
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use $crate::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $($crate::object!(@write map, self.$field, $wire, [$(? $optional)?], [$($adapter)?]);)*
                $(
                    for (key, value) in &self.$extra {
                        map.serialize_entry(key, value)?;
                    }
                )?
                map.end()
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }

        impl $crate::object::FromObject for $name {
            const NAME: &'static str = ::std::stringify!($name);

            fn from_object<'de, A: $crate::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                // Other keys wait, borrowed, until the declared ones are known to be all there: a
                // union trying this struct on another shape fails before building them.
                $(let mut $extra = $crate::object::Pending::default();)?
                while let ::std::option::Option::Some(key) = map.next_key::<$crate::object::Key<'de>>()? {
                    match key.as_str() {
                        $($wire => $crate::object!(@read map, $field, $wire, [$($adapter)?]),)*
                        _ => $crate::object!(@other map, key, [$($extra)?]),
                    }
                }
                $(let $field = $crate::object!(@take $field, A, $wire, [$(? $optional)?], [$($adapter)?]);)*
                ::std::result::Result::Ok(Self {
                    $($field,)*
                    $($extra: $extra.finish::<$extra_ty, _, A::Error>()?,)?
                })
            }
        }
    };
    (@write $map:ident, $value:expr, $wire:literal, [], []) => {
        $map.serialize_entry($wire, &$value)?
    };
    (@write $map:ident, $value:expr, $wire:literal, [? $optional:vis], []) => {
        if let ::std::option::Option::Some(value) = &$value {
            $map.serialize_entry($wire, value)?;
        }
    };
    (@write $map:ident, $value:expr, $wire:literal, [], [$adapter:ident]) => {
        $map.serialize_entry($wire, &$crate::object::Adapted::<$crate::object::$adapter, _>::new(&$value))?
    };
    (@write $map:ident, $value:expr, $wire:literal, [? $optional:vis], [$adapter:ident]) => {
        if $value.is_some() {
            $map.serialize_entry($wire, &$crate::object::Adapted::<$crate::object::$adapter, _>::new(&$value))?;
        }
    };
    (@read $map:ident, $slot:ident, $wire:literal, []) => {
        $crate::object::field(&mut $map, &mut $slot, $wire)?
    };
    (@read $map:ident, $slot:ident, $wire:literal, [$adapter:ident]) => {
        $crate::object::field_with::<$crate::object::$adapter, _, _>(&mut $map, &mut $slot, $wire)?
    };
    (@other $map:ident, $key:ident, []) => {{
        $map.next_value::<$crate::serde::de::IgnoredAny>()?;
    }};
    (@other $map:ident, $key:ident, [$extra:ident]) => {{
        $extra.push($key, $map.next_value()?);
    }};
    // A key that may be left out reads as `None` when it is; a required one asks the field's
    // type (an `Option` is `None`, anything else is missing).
    (@take $slot:ident, $access:ident, $wire:literal, [? $optional:vis], [$($adapter:ident)?]) => {
        $slot.flatten()
    };
    (@take $slot:ident, $access:ident, $wire:literal, [], []) => {
        match $slot {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => $crate::object::missing::<_, $access::Error>($wire)?,
        }
    };
    (@take $slot:ident, $access:ident, $wire:literal, [], [$adapter:ident]) => {
        match $slot {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => {
                <$crate::object::$adapter as $crate::object::Adapter<_>>::missing::<$access::Error>($wire)?
            }
        }
    };
}

/// A generated struct with some fields set and the others at their `Default`: what a struct
/// literal with `..Default::default()` says, for the `#[non_exhaustive]` structs of
/// [`object!`](crate::object!), which other crates cannot write as literals. `..base` last starts
/// from `base` instead (`..Payment::new(…)` for a struct with required fields).
///
/// ```
/// paykit_runtime::object! {
///     #[derive(Default)]
///     pub struct Item {
///         name: Option<String> = "name"?,
///         quantity: Option<i64> = "quantity"?,
///     }
/// }
/// let item = paykit_runtime::build!(Item { name: Some("Tea".into()), quantity: Some(2) });
/// assert_eq!((item.name.as_deref(), item.quantity), (Some("Tea"), Some(2)));
/// ```
#[macro_export]
macro_rules! build {
    ($ty:path { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let mut value = <$ty as ::std::default::Default>::default();
        $(value.$field = $crate::build!(@value $field $(, $value)?);)*
        value
    }};
    ($ty:path { $($field:ident $(: $value:expr)?,)* .. $base:expr $(,)? }) => {{
        let mut value: $ty = $base;
        $(value.$field = $crate::build!(@value $field $(, $value)?);)*
        value
    }};
    (@value $field:ident) => {
        $field
    };
    (@value $field:ident, $value:expr) => {
        $value
    };
}

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

/// [`field`], through the adapter `W`.
pub fn field_with<'de, W: Adapter<T>, T, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value_seed(Through::<W, T>(PhantomData))?);
    Ok(())
}

/// The value of a key that is not there: `None` for an `Option`, else the error that it is
/// missing, as serde's derive does.
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(key: &'static str) -> Result<T, E> {
    T::deserialize(Missing(key, PhantomData))
}

/// A deserializer for an absent value: only an `Option` can be made from it.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// How a field's value goes over the wire when serde's own way is not it (`with` in
/// [`object!`](crate::object!)). Implemented for the field's whole type: `bool` and
/// `Option<bool>` alike.
pub trait Adapter<T> {
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
    /// The value when the key is absent.
    fn missing<E: de::Error>(key: &'static str) -> Result<T, E>;
}

/// A `bool` the wire writes as the integer `0` or `1` (`x-paykit-bool`): written as the integer,
/// read from `0`/`1`, `true`/`false`, or either as a string.
pub struct Flag;

impl Adapter<bool> for Flag {
    fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        crate::lenient::flag::serialize(value, serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        crate::lenient::flag::deserialize(deserializer)
    }

    fn missing<E: de::Error>(key: &'static str) -> Result<bool, E> {
        Err(E::missing_field(key))
    }
}

impl Adapter<Option<bool>> for Flag {
    fn serialize<S: Serializer>(value: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
        crate::lenient::flag::option::serialize(value, serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
        crate::lenient::flag::option::deserialize(deserializer)
    }

    fn missing<E: de::Error>(_: &'static str) -> Result<Option<bool>, E> {
        Ok(None)
    }
}

/// A number or boolean also accepted as a string (`"1999"`, `"true"`; `x-paykit-lenient`), as
/// some providers send them; written as the value. An optional one reads `""` as `None`.
pub struct Lenient;

/// The types [`Lenient`] reads from a string.
pub trait Scalar: Serialize + de::DeserializeOwned + std::str::FromStr<Err: fmt::Display> {}

impl Scalar for bool {}
impl Scalar for i32 {}
impl Scalar for i64 {}
impl Scalar for u32 {}
impl Scalar for u64 {}
impl Scalar for f32 {}
impl Scalar for f64 {}

impl<T: Scalar> Adapter<T> for Lenient {
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        crate::lenient::value(deserializer)
    }

    fn missing<E: de::Error>(key: &'static str) -> Result<T, E> {
        Err(E::missing_field(key))
    }
}

impl<T: Scalar> Adapter<Option<T>> for Lenient {
    fn serialize<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        crate::lenient::option(deserializer)
    }

    fn missing<E: de::Error>(_: &'static str) -> Result<Option<T>, E> {
        Ok(None)
    }
}

/// Reads a value through the adapter `W`.
struct Through<W, T>(PhantomData<fn() -> (W, T)>);

impl<'de, W: Adapter<T>, T> DeserializeSeed<'de> for Through<W, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        W::deserialize(deserializer)
    }
}

/// A field's value, written through the adapter `W`.
pub struct Adapted<'a, W, T>(&'a T, PhantomData<fn() -> W>);

impl<'a, W: Adapter<T>, T> Adapted<'a, W, T> {
    pub fn new(value: &'a T) -> Self {
        Self(value, PhantomData)
    }
}

impl<W: Adapter<T>, T> Serialize for Adapted<'_, W, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        W::serialize(self.0, serializer)
    }
}

/// What `new` takes for a field of type `T`: the value itself, a `&str` for a `String` or a
/// [`Secret`], or the value of a `Box<T>`.
pub trait IntoField<T> {
    fn into_field(self) -> T;
}

impl<T> IntoField<T> for T {
    fn into_field(self) -> T {
        self
    }
}

impl IntoField<String> for &str {
    fn into_field(self) -> String {
        self.to_owned()
    }
}

impl IntoField<Secret> for &str {
    fn into_field(self) -> Secret {
        Secret::from(self)
    }
}

impl IntoField<Secret> for String {
    fn into_field(self) -> Secret {
        Secret::from(self)
    }
}

impl<T> IntoField<Box<T>> for T {
    fn into_field(self) -> Box<T> {
        Box::new(self)
    }
}

/// The entries of an object's undeclared keys, held as read (strings borrowed from the input
/// where they can be) until [`Pending::finish`] makes the struct's map of them.
#[derive(Default)]
pub struct Pending<'de>(Vec<(Key<'de>, Raw<'de>)>);

impl<'de> Pending<'de> {
    pub fn push(&mut self, key: Key<'de>, value: Raw<'de>) {
        self.0.push((key, value));
    }

    /// The map of the entries, each value read as `V` (a later repeated key wins, as in a map).
    pub fn finish<M, V, E>(self) -> Result<M, E>
    where
        M: FromIterator<(String, V)>,
        V: Deserialize<'de>,
        E: de::Error,
    {
        self.0
            .into_iter()
            .map(|(key, raw)| {
                Ok((
                    String::from(key),
                    V::deserialize(crate::decode::metered(RawDeserializer::<E>(raw, PhantomData)))?,
                ))
            })
            .collect()
    }
}

/// A JSON value as read, its strings borrowed where the input allows: what an undeclared key
/// holds until its struct is known to decode.
pub enum Raw<'de> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'de, str>),
    Seq(Vec<Raw<'de>>),
    Map(Vec<(Cow<'de, str>, Raw<'de>)>),
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> de::Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw<'de>, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::I64(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::U64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Raw<'de>, E> {
        Ok(Raw::F64(value))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(value)))
    }

    // Each node charges the decoding's memory budget itself (see `crate::decode`): a buffer is
    // also read from buffers that are not metered, such as a union's.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            crate::decode::charge::<A::Error>(2 * size_of::<Raw>())?;
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Key<'de>>()? {
            crate::decode::charge::<A::Error>(2 * size_of::<(Cow<'de, str>, Raw<'de>)>())?;
            entries.push((key.into_cow(), map.next_value()?));
        }
        Ok(Raw::Map(entries))
    }
}

/// A [`Raw`] value read again, as whatever type wants it.
pub struct RawDeserializer<'de, E>(Raw<'de>, PhantomData<E>);

impl<'de, E: de::Error> de::IntoDeserializer<'de, E> for Raw<'de> {
    type Deserializer = RawDeserializer<'de, E>;

    fn into_deserializer(self) -> Self::Deserializer {
        RawDeserializer(self, PhantomData)
    }
}

impl<'de, E: de::Error> Deserializer<'de> for RawDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Raw::Null => visitor.visit_unit(),
            Raw::Bool(value) => visitor.visit_bool(value),
            Raw::I64(value) => visitor.visit_i64(value),
            Raw::U64(value) => visitor.visit_u64(value),
            Raw::F64(value) => visitor.visit_f64(value),
            Raw::Str(Cow::Borrowed(value)) => visitor.visit_borrowed_str(value),
            Raw::Str(Cow::Owned(value)) => visitor.visit_string(value),
            Raw::Seq(items) => {
                let mut items = de::value::SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut items)?;
                items.end()?;
                Ok(value)
            }
            Raw::Map(entries) => {
                let mut entries = de::value::MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut entries)?;
                entries.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Raw::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// An object's key: borrowed from the input when it can be, else held inline when short, so
/// declared keys cost no allocation (a key read from a buffer, as a union's is, is not borrowed).
pub struct Key<'de>(KeyText<'de>);

/// Keys up to this many bytes are held inline.
const INLINE_KEY: usize = 30;

enum KeyText<'de> {
    Borrowed(&'de str),
    Inline(u8, [u8; INLINE_KEY]),
    Owned(String),
}

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            KeyText::Borrowed(key) => key,
            // Copied from a `str` whole, so always UTF-8.
            KeyText::Inline(len, bytes) => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            KeyText::Owned(key) => key,
        }
    }

    fn copied(key: &str) -> Self {
        match u8::try_from(key.len()) {
            Ok(len) if key.len() <= INLINE_KEY => {
                let mut bytes = [0; INLINE_KEY];
                bytes[..key.len()].copy_from_slice(key.as_bytes());
                Self(KeyText::Inline(len, bytes))
            }
            _ => Self(KeyText::Owned(key.to_owned())),
        }
    }

    fn into_cow(self) -> Cow<'de, str> {
        match self.0 {
            KeyText::Borrowed(key) => Cow::Borrowed(key),
            KeyText::Owned(key) => Cow::Owned(key),
            KeyText::Inline(..) => Cow::Owned(self.as_str().to_owned()),
        }
    }
}

impl From<Key<'_>> for String {
    fn from(key: Key<'_>) -> Self {
        key.into_cow().into_owned()
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
        Ok(Key(KeyText::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::copied(key))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(KeyText::Owned(key)))
    }
}
