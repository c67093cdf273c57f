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

/// A `bool` that the wire writes as the integer `0` or `1` (a spec's `x-paykit-bool` flag, as PHP
/// servers take them). Read from `0`/`1`, `true`/`false`, or either written as a string.
pub mod flag {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        super::to_flag(Written::deserialize(deserializer)?)
    }

    /// The same, for an optional flag; `null` is `None`.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(value: &Option<bool>, serializer: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
            Option::<super::Written>::deserialize(deserializer)?
                .map(super::super::to_flag)
                .transpose()
        }
    }

    /// A flag as a server may write it.
    #[derive(Deserialize)]
    #[serde(untagged)]
    pub(super) enum Written {
        Bool(bool),
        Number(i64),
        Text(String),
    }
}

fn to_flag<E: serde::de::Error>(written: flag::Written) -> Result<bool, E> {
    match written {
        flag::Written::Bool(value) => Ok(value),
        flag::Written::Number(0) => Ok(false),
        flag::Written::Number(1) => Ok(true),
        flag::Written::Text(text) => match text.trim() {
            "0" | "false" => Ok(false),
            "1" | "true" => Ok(true),
            other => Err(E::custom(format!("{other:?} is not a 0/1 flag"))),
        },
        flag::Written::Number(other) => Err(E::custom(format!("{other} is not a 0/1 flag"))),
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

    #[derive(serde::Serialize, Deserialize, Debug, PartialEq)]
    struct Flags {
        #[serde(with = "super::flag")]
        on: bool,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super::flag::option")]
        maybe: Option<bool>,
    }

    #[test]
    fn flags_are_written_as_integers_and_read_in_any_form() {
        let flags = Flags {
            on: true,
            maybe: Some(false),
        };
        assert_eq!(serde_json::to_string(&flags).unwrap(), r#"{"on":1,"maybe":0}"#);
        for text in [
            r#"{"on":1,"maybe":0}"#,
            r#"{"on":true,"maybe":false}"#,
            r#"{"on":"1","maybe":"0"}"#,
        ] {
            assert_eq!(serde_json::from_str::<Flags>(text).unwrap(), flags, "{text}");
        }
        let absent: Flags = serde_json::from_str(r#"{"on":0}"#).unwrap();
        assert_eq!(absent, Flags { on: false, maybe: None });
        assert!(serde_json::from_str::<Flags>(r#"{"on":2}"#).is_err());
        assert!(serde_json::from_str::<Flags>(r#"{"on":"yes"}"#).is_err());
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(serde_json::from_str::<T>(r#"{"amount":"12x"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"amount":[1]}"#).is_err());
    }
}
