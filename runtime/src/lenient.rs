//! Deserializers for numbers and booleans that some providers send as strings (`"1999"`,
//! `"true"`). Generated code uses them on fields marked `x-paykit-lenient: true`.

use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum NativeOrText<T> {
    Native(T),
    Text(String),
}

fn resolve<T, E>(value: NativeOrText<T>) -> Result<T, E>
where
    T: FromStr,
    T::Err: Display,
    E: serde::de::Error,
{
    match value {
        NativeOrText::Native(v) => Ok(v),
        NativeOrText::Text(s) => s.trim().parse().map_err(|e| E::custom(format!("{s:?}: {e}"))),
    }
}

/// A required value, native or written as a string.
pub fn value<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
    T::Err: Display,
{
    resolve(NativeOrText::deserialize(deserializer)?)
}

/// An optional value, native or written as a string; `null` and `""` are `None`.
pub fn option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + FromStr,
    T::Err: Display,
{
    match Option::<NativeOrText<T>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(NativeOrText::Text(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => resolve(v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(deserialize_with = "super::value")]
        amount: i64,
        #[serde(default, deserialize_with = "super::option")]
        ok: Option<bool>,
    }

    #[test]
    fn accepts_native_and_text() {
        let a: T = serde_json::from_str(r#"{"amount":"1999","ok":"true"}"#).unwrap();
        let b: T = serde_json::from_str(r#"{"amount":1999,"ok":true}"#).unwrap();
        assert_eq!(a, b);
        let c: T = serde_json::from_str(r#"{"amount":5}"#).unwrap();
        assert_eq!(c.ok, None);
        let d: T = serde_json::from_str(r#"{"amount":5,"ok":null}"#).unwrap();
        assert_eq!(d.ok, None);
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(serde_json::from_str::<T>(r#"{"amount":"12x"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"amount":[1]}"#).is_err());
    }
}
