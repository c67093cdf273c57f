//! The differential test of `paykit_runtime::object!`: every fixture struct and its
//! `#[derive(Serialize, Deserialize)]` twin (written by build.rs from the same IR) must decode the
//! same JSON to the same value, or both refuse it. Inputs are generated from each struct's shape,
//! then disturbed: keys dropped, repeated or added, values of the wrong type, `null`s.

use paykit_runtime::serde_json::{self, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What JSON a field holds.
#[derive(Debug)]
pub enum Shape {
    Text,
    Bool,
    Integer,
    Number,
    Any,
    List(&'static Shape),
    Map(&'static Shape),
    /// Another struct of the same fixture, by name.
    Struct(&'static str),
    /// A string enum's values.
    Enum(&'static [&'static str]),
}

pub struct Struct {
    pub name: &'static str,
    pub fields: &'static [(&'static str, Shape)],
    /// Decodes one input with both, and compares: whether both accepted it, or the difference.
    pub check: fn(&str) -> Result<bool, String>,
}

/// Both refuse `json` (`false`), or both accept it and write the same JSON back (`true`).
pub fn compare<Object, Twin>(json: &str) -> Result<bool, String>
where
    Object: DeserializeOwned + Serialize,
    Twin: DeserializeOwned + Serialize,
{
    let object = serde_json::from_str::<Object>(json);
    let twin = serde_json::from_str::<Twin>(json);
    match (object, twin) {
        (Err(_), Err(_)) => Ok(false),
        (Ok(_), Err(e)) => Err(format!("object! accepts, the derive refuses ({e})")),
        (Err(e), Ok(_)) => Err(format!("the derive accepts, object! refuses ({e})")),
        (Ok(object), Ok(twin)) => {
            let (object, twin) = (to_value(&object)?, to_value(&twin)?);
            if object == twin {
                Ok(true)
            } else {
                Err(format!("written differently:\n  object!: {object}\n  derive:  {twin}"))
            }
        }
    }
}

/// A provider's documented success body, and its type twice: as generated and as derived.
pub struct Example {
    pub operation: &'static str,
    pub json: &'static str,
    pub object: Codec,
    pub derive: Codec,
}

/// Decoding and encoding one type, behind function pointers.
pub struct Codec {
    /// Whether `json` decodes (from bytes, as a response body is).
    pub decode: fn(&str) -> bool,
    /// Whether `json` decodes as a client decodes a body: metered (`paykit_runtime::decode`).
    pub metered: fn(&str) -> bool,
    /// `json` decoded once, and what encodes it.
    pub encoder: fn(&str) -> Option<Encoder>,
}

/// Encodes a value decoded before; returns the length written.
pub type Encoder = Box<dyn Fn() -> usize>;

impl Codec {
    pub const fn of<T: DeserializeOwned + Serialize + 'static>() -> Self {
        Self {
            decode: |json| serde_json::from_slice::<T>(json.as_bytes()).is_ok(),
            metered: |json| paykit_runtime::decode::from_slice::<T>(json.as_bytes()).is_ok(),
            encoder: |json| {
                let value = serde_json::from_str::<T>(json).ok()?;
                Some(Box::new(move || {
                    serde_json::to_vec(&value).map_or(0, |bytes| bytes.len())
                }))
            },
        }
    }
}

fn to_value(value: &impl Serialize) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("cannot write it back: {e}"))
}

/// A small deterministic generator (xorshift), driven by a seed proptest picks and shrinks.
pub struct Inputs<'a> {
    state: u64,
    structs: &'a [Struct],
}

impl<'a> Inputs<'a> {
    pub fn new(seed: u64, structs: &'a [Struct]) -> Self {
        Self {
            state: seed | 1,
            structs,
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An object for `target`, as JSON text (text, so that a key can be repeated).
    pub fn object(&mut self, target: &Struct, depth: u32) -> String {
        let mut entries = Vec::new();
        for (key, shape) in target.fields {
            match self.below(10) {
                0 | 1 => {}                                                     // left out
                2 => entries.push((key.to_string(), "null".to_owned())),        // null
                3 => entries.push((key.to_string(), self.any(depth))),          // any value
                _ => entries.push((key.to_string(), self.value(shape, depth))), // well typed
            }
            if self.below(25) == 0 {
                entries.push((key.to_string(), self.value(shape, depth))); // repeated
            }
        }
        for extra in 0..self.below(3) {
            entries.push((format!("extra{extra}"), self.any(depth)));
        }
        let body: Vec<String> = entries
            .into_iter()
            .map(|(key, value)| format!("{}:{value}", Value::from(key)))
            .collect();
        format!("{{{}}}", body.join(","))
    }

    fn value(&mut self, shape: &Shape, depth: u32) -> String {
        if depth == 0 {
            return "null".to_owned();
        }
        match shape {
            Shape::Text => self.text(),
            Shape::Bool => ["true", "false", "0", "1", "\"1\""][self.below(5) as usize].to_owned(),
            Shape::Integer => ["0", "7", "-3", "1999", "\"1999\"", "4294967296"][self.below(6) as usize].to_owned(),
            Shape::Number => ["1.5", "0", "-2.25", "\"12.5\"", "1e3"][self.below(5) as usize].to_owned(),
            Shape::Any => self.any(depth),
            Shape::List(item) => {
                let items: Vec<String> = (0..self.below(3)).map(|_| self.value(item, depth - 1)).collect();
                format!("[{}]", items.join(","))
            }
            Shape::Map(value) => {
                let entries: Vec<String> = (0..self.below(3))
                    .map(|i| format!("\"k{i}\":{}", self.value(value, depth - 1)))
                    .collect();
                format!("{{{}}}", entries.join(","))
            }
            Shape::Struct(name) => match self.structs.iter().find(|s| s.name == *name) {
                Some(target) => self.object(target, depth - 1),
                None => self.any(depth),
            },
            Shape::Enum(values) if !values.is_empty() && self.below(4) != 0 => {
                Value::from(values[self.below(values.len() as u64) as usize]).to_string()
            }
            Shape::Enum(_) => self.text(),
        }
    }

    fn text(&mut self) -> String {
        ["\"\"", "\"1\"", "\"true\"", "\"pay_1\"", "\"ü\\n\\\"\""][self.below(5) as usize].to_owned()
    }

    fn any(&mut self, depth: u32) -> String {
        match self.below(if depth == 0 { 5 } else { 7 }) {
            0 => "null".to_owned(),
            1 => "true".to_owned(),
            2 => "12".to_owned(),
            3 => "-0.5".to_owned(),
            4 => self.text(),
            5 => format!("[{}]", self.any(depth - 1)),
            _ => format!("{{\"a\":{}}}", self.any(depth - 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Inputs, Struct};
    use proptest::prelude::*;

    fn every_fixture() -> &'static [(&'static str, &'static [Struct])] {
        crate::FIXTURE_STRUCTS
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Each case tries one generated input on every struct of every fixture.
        #[test]
        fn object_macro_decodes_and_encodes_as_serde_derive_does(seed in any::<u64>()) {
            for &(fixture, structs) in every_fixture() {
                let mut inputs = Inputs::new(seed, structs);
                for target in structs {
                    let json = inputs.object(target, 3);
                    if let Err(difference) = (target.check)(&json) {
                        prop_assert!(false, "{fixture}::{}: {json}\n{difference}", target.name);
                    }
                }
            }
        }
    }

    /// The generator reaches both outcomes: some inputs decode, some are refused.
    #[test]
    fn inputs_are_accepted_and_refused() {
        let (mut accepted, mut refused) = (0, 0);
        for seed in 1..200 {
            for &(_, structs) in every_fixture() {
                let mut inputs = Inputs::new(seed, structs);
                for target in structs {
                    let json = inputs.object(target, 3);
                    match (target.check)(&json) {
                        Ok(true) => accepted += 1,
                        Ok(false) => refused += 1,
                        Err(difference) => panic!("{}: {json}\n{difference}", target.name),
                    }
                }
            }
        }
        assert!(
            accepted > 1000 && refused > 1000,
            "accepted {accepted}, refused {refused}"
        );
    }
}
