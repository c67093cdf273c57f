//! JSON bodies decoded straight into their types, within a memory budget.
//!
//! A response is bounded in bytes by the transport, but what decoding makes of those bytes is
//! not: `{}` is 2 bytes, and as an item of a list of a wide struct it becomes thousands (a
//! `Vec` of VR pay's `Transaction`s from 8 MiB of `{},` took 9.7 GB). So decoding is metered:
//! every list item and map value charges the size of the value it becomes (a list item three
//! times, for the buffers of a growing `Vec`), and a body whose charges pass
//! [`budget`] bytes is refused as undecodable, with its status and raw body, before it can take
//! the memory. Strings are not charged: they are never longer than the body that holds them.
//!
//! [`from_slice_at`] decodes the value at a JSON pointer inside an envelope without building the
//! envelope: the keys on the way are sought, everything else is skipped as it is read.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, Visitor};

/// What decoding a body of `len` bytes may charge: 64 MiB, plus 16 bytes per byte of body.
pub fn budget(len: usize) -> usize {
    (64 << 20) + len.saturating_mul(16)
}

/// `T` from the JSON `bytes`, refused once decoding it charges more than [`budget`].
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    from_slice_at(bytes, "")
}

/// `T` from the value at `pointer` (RFC 6901; `""` is the whole body) inside the JSON `bytes`,
/// within the same [`budget`]. Without a value there, `T` is read from nothing: an `Option` is
/// `None`, anything else an error naming the pointer.
pub fn from_slice_at<T: DeserializeOwned>(bytes: &[u8], pointer: &str) -> Result<T, serde_json::Error> {
    let _budget = Budget::start(budget(bytes.len()));
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let tokens: Vec<String> = match pointer.strip_prefix('/') {
        Some(rest) => rest
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
        None if pointer.is_empty() => Vec::new(),
        None => return Err(de::Error::custom(format!("{pointer:?} is not a JSON pointer"))),
    };
    let found = Seek::<T> {
        tokens: &tokens,
        wanted: PhantomData,
    }
    .deserialize(&mut json)?;
    json.end()?;
    match found {
        Some(value) => Ok(value),
        None => T::deserialize(de::value::UnitDeserializer::<serde_json::Error>::new())
            .map_err(|_| de::Error::custom(format!("the body has no value at {pointer}"))),
    }
}

thread_local! {
    /// What is left of the budget of the decoding under way on this thread (decoding never
    /// awaits, so it cannot move), `None` outside one: values decoded again from a buffer (a
    /// union's, a struct's other keys) charge the same budget as the body they came from.
    static LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Sets the budget for the decoding under way and restores the one before when dropped.
struct Budget(Option<usize>);

impl Budget {
    fn start(bytes: usize) -> Self {
        Self(LEFT.replace(Some(bytes)))
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        LEFT.set(self.0);
    }
}

/// A map value no larger than this (a number, a `String`, a JSON value) is not charged.
const SMALL: usize = 32;

/// Takes `bytes` from the budget of the decoding under way, if any; an error once it is spent.
pub(crate) fn charge<E: de::Error>(bytes: usize) -> Result<(), E> {
    let spent = LEFT.with(|left| match left.get() {
        Some(rest) if rest < bytes => true,
        Some(rest) => {
            left.set(Some(rest - bytes));
            false
        }
        None => false,
    });
    match spent {
        false => Ok(()),
        true => Err(E::custom(
            "decoding the body would take more memory than its size allows (a list or map of values far larger than their JSON)",
        )),
    }
}

/// Reads the value at `tokens` below the current one (metered), skipping everything else.
struct Seek<'a, T> {
    tokens: &'a [String],
    wanted: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Seek<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        match self.tokens.split_first() {
            None => T::deserialize(Metered(deserializer)).map(Some),
            Some(_) => deserializer.deserialize_any(self),
        }
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Seek<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let Some((token, rest)) = self.tokens.split_first() else {
            return Ok(None);
        };
        let mut found = None;
        while let Some(key) = map.next_key::<crate::object::Key<'de>>()? {
            if found.is_none() && key.as_str() == token.as_str() {
                found = map.next_value_seed(Seek::<T> {
                    tokens: rest,
                    wanted: PhantomData,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        let Some((token, rest)) = self.tokens.split_first() else {
            return Ok(None);
        };
        let index = token.parse::<usize>().ok();
        let (mut at, mut found) = (0, None);
        loop {
            let item = if Some(at) == index {
                seq.next_element_seed(Seek::<T> {
                    tokens: rest,
                    wanted: PhantomData,
                })?
                .map(|value| found = value)
            } else {
                seq.next_element::<IgnoredAny>()?.map(|_| ())
            };
            if item.is_none() {
                return Ok(found);
            }
            at += 1;
        }
    }

    // A scalar has nothing below it.
    fn visit_bool<E>(self, _: bool) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
}

/// `deserializer`, its lists and maps charging the budget of the decoding under way (if any)
/// for every value they yield: how a value decoded again from a buffer stays within it.
pub fn metered<'de, D: Deserializer<'de>>(deserializer: D) -> impl Deserializer<'de, Error = D::Error> {
    Metered(deserializer)
}

/// A deserializer whose lists and maps charge the budget for every value they yield.
struct Metered<D>(D);

macro_rules! forward_metered {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($($arg: $ty,)*)? visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method($($($arg,)*)? Meter(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Metered<D> {
    type Error = D::Error;

    forward_metered! {
        deserialize_any; deserialize_bool; deserialize_i8; deserialize_i16; deserialize_i32;
        deserialize_i64; deserialize_i128; deserialize_u8; deserialize_u16; deserialize_u32;
        deserialize_u64; deserialize_u128; deserialize_f32; deserialize_f64; deserialize_char;
        deserialize_str; deserialize_string; deserialize_bytes; deserialize_byte_buf;
        deserialize_option; deserialize_unit; deserialize_seq; deserialize_map;
        deserialize_identifier; deserialize_ignored_any;
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor whose lists, maps and inner values stay metered.
struct Meter<V>(V);

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.0.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Meter<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit! {
        visit_bool(bool); visit_i8(i8); visit_i16(i16); visit_i32(i32); visit_i64(i64);
        visit_i128(i128); visit_u8(u8); visit_u16(u16); visit_u32(u32); visit_u64(u64);
        visit_u128(u128); visit_f32(f32); visit_f64(f64); visit_char(char); visit_str(&str);
        visit_borrowed_str(&'de str); visit_string(String); visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]); visit_byte_buf(Vec<u8>);
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Metered(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Metered(deserializer))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(MeteredAccess(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(MeteredAccess(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(MeteredAccess(data))
    }
}

/// A seed whose value is read metered.
struct MeteredSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for MeteredSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Metered(deserializer))
    }
}

/// A list, map, enum or variant whose values charge the budget as they are read.
struct MeteredAccess<A>(A);

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for MeteredAccess<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        let item = self.0.next_element_seed(MeteredSeed(seed))?;
        if item.is_some() {
            // Three times: a `Vec` that grows holds its old buffer and one twice as large.
            charge(3 * size_of::<S::Value>())?;
        }
        Ok(item)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for MeteredAccess<A> {
    type Error = A::Error;

    // Keys are strings, never larger than their JSON: read as they are.
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let value = self.0.next_value_seed(MeteredSeed(seed))?;
        // A struct's fields are most values: scalars and strings, held inside the struct (charged
        // as a list item) or no larger than their JSON; only what may be far larger is charged.
        if size_of::<S::Value>() > SMALL {
            charge(size_of::<S::Value>())?;
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for MeteredAccess<A> {
    type Error = A::Error;
    type Variant = MeteredAccess<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(MeteredSeed(seed))?;
        Ok((value, MeteredAccess(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for MeteredAccess<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(MeteredSeed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Meter(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Meter(visitor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn decodes_as_serde_json_does() {
        let body = br#"{"a": [1, 2, {"b": null}], "c": "d"}"#;
        let metered: Value = from_slice(body).unwrap();
        assert_eq!(metered, serde_json::from_slice::<Value>(body).unwrap());
        assert!(from_slice::<Value>(b"{} x").is_err(), "trailing characters");
        assert!(from_slice::<u8>(b"300").is_err());
    }

    #[test]
    fn a_pointer_reads_its_value_and_skips_the_rest() {
        let body = br#"{"status": "success", "data": [{"id": 1}, {"id": 2}], "later": [1, {"x": 2}]}"#;
        assert_eq!(from_slice_at::<Value>(body, "/data/1").unwrap(), json!({"id": 2}));
        assert_eq!(from_slice_at::<u8>(body, "/data/0/id").unwrap(), 1);
        assert_eq!(from_slice_at::<Option<u8>>(body, "/data/5").unwrap(), None);
        let missing = from_slice_at::<u8>(body, "/data/5").unwrap_err();
        assert!(missing.to_string().contains("no value at /data/5"), "{missing}");
        assert_eq!(
            from_slice_at::<String>(br#"{"a/b": {"~": "x"}}"#, "/a~1b/~0").unwrap(),
            "x"
        );
        assert!(
            from_slice_at::<Value>(br#"{"data": [1}"#, "/data/0").is_err(),
            "broken JSON"
        );
    }

    /// 4 KiB read from one number.
    struct Wide(#[allow(dead_code)] [u8; 4096]);

    impl<'de> de::Deserialize<'de> for Wide {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            u8::deserialize(deserializer).map(|byte| Self([byte; 4096]))
        }
    }

    #[test]
    fn a_list_of_values_far_larger_than_their_json_is_refused() {
        // Each `0` (2 bytes with its comma) becomes 2 x 4 KiB: about 4,000 times its size.
        let body = format!("[{}0]", "0,".repeat(20_000));
        let refused = from_slice::<Vec<Wide>>(body.as_bytes()).map(|_| ()).unwrap_err();
        assert!(
            refused.to_string().contains("more memory than its size allows"),
            "{refused}"
        );
        // The same list of bytes is within its budget.
        assert_eq!(from_slice::<Vec<u8>>(body.as_bytes()).unwrap().len(), 20_001);
    }
}
