//! Form bodies and query strings, encoded byte for byte as PHP's `http_build_query($params, '', '&')`
//! encodes them (RFC 1738), which is also what every form-urlencoded server decodes.
//!
//! Byte-exactness matters to signers: VR pay secure (Payrexx) signs requests with `base64(HMAC-SHA256(secret, http_build_query(params)))`
//! and re-computes that on the server in PHP, so "close enough" form encoding yields a wrong
//! signature. The expected output is defined by PHP itself: `tests/vrpay_secure_php.rs` checks this
//! module against vectors produced by real PHP (`tests/php/vectors.php`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};
use serde_json::{Map, Number, Value};

/// The bytes PHP's `urlencode` leaves alone are exactly `A-Z a-z 0-9 - _ .`; everything else becomes
/// `%XX` (upper-case hex), except space, which becomes `+` (see [`urlencode`]). `form_urlencoded`
/// cannot be used: it keeps `*` literal where PHP writes `%2A`.
const PHP_URLENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// PHP's default `precision` ini setting, which `http_build_query` uses for floats (not the
/// shortest-round-trip `serialize_precision` that `json_encode`/`var_export` use).
const PHP_PRECISION: i32 = 14;

/// Encodes `params` exactly as PHP 8's `http_build_query($params, '', '&')` (RFC 1738) encodes the
/// array `json_decode($json, true)` yields for the same JSON text.
///
/// * Keys and strings are `urlencode`d byte by byte: space → `+`, all but `A-Za-z0-9-_.` → `%XX`.
/// * Nested objects and arrays are flattened to `key%5Bsub%5D%5B0%5D=v` in insertion order (this
///   crate enables serde_json's `preserve_order`), arrays with their indices.
/// * `true`/`false` → `1`/`0`; `null` and empty arrays/objects produce no pair at all.
/// * Integers print in decimal. Floats print as PHP casts them to string with the default
///   `precision = 14`, not shortest round-trip: 14 significant digits, `%.14G`-like, e.g.
///   `0.1 + 0.2` → `0.3`, `1e15` → `1.0E+15`, `1.5e-7` → `1.5E-7`, including a zend_dtoa quirk
///   (`934121670636405.0` → `9.3412167063640E+14`). The signature covers this lossy text, so send
///   the same string you sign.
/// * Integers above `i64::MAX` (serde_json keeps them as `u64`) are floats in PHP's `json_decode`,
///   so they print as floats: `9223372036854775808` → `9.2233720368548E+18`.
/// * `-0.0` prints as `-0` (a PHP float). The JSON text `-0` is an integer `0` to PHP but
///   serde_json stores it as the float `-0.0`, so for that one text the outputs differ (`0` vs `-0`).
///
/// PHP throws a `TypeError` for anything but an array, so a top-level scalar or `null` here has
/// no parameters to encode and yields the empty string, which is also what PHP returns for `[]`.
pub fn http_build_query(params: &Value) -> String {
    let mut pairs = Vec::new();
    if let Some(children) = Children::of(params) {
        for (key, value) in children {
            flatten_into(key, value, Dialect::Php, &mut pairs);
        }
    }
    encode(&pairs)
}

/// Joins `key=value` pairs as a form body or query string, each side `urlencode`d as PHP does.
/// `encode(&form_pairs(v, styles, Dialect::Php))` equals `http_build_query(v)` when `styles`
/// makes every container property [`Style::DeepObject`].
pub fn encode(pairs: &[(String, String)]) -> String {
    // Escaping appends to one string sized for the unescaped text: signing encodes every request
    // body, and a string per key and value (grown chunk by chunk) cost more than the HMAC.
    let mut out = String::with_capacity(pairs.iter().map(|(key, value)| key.len() + value.len() + 2).sum());
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        urlencode(key, &mut out);
        out.push('=');
        urlencode(value, &mut out);
    }
    out
}

/// How a form body writes its scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// `true`/`false`, and numbers as JSON writes them: what most servers read.
    #[default]
    Standard,
    /// PHP's `http_build_query`: `1`/`0`, floats at PHP's precision of 14 digits (a spec asks for
    /// it with `x-paykit-form-dialect: php`).
    Php,
}

/// How one top-level property of a form body is serialized (OpenAPI's `encoding` object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form` (the default, with `explode: true`): arrays repeat the key (`a=1&a=2`), objects
    /// send their own keys (`x=1&y=2`); without explode both are one comma-joined value.
    Form { explode: bool },
    /// `style: deepObject`: PHP bracket keys at any depth, `a[b][c]=v`, with list indices `a[0]=v`.
    DeepObject,
    /// `contentType: application/json`: one pair holding the value's JSON text, `a={"b":1}`.
    Json,
}

/// Per property, how a form body's properties are written, by wire name (see [`FormBody`]).
pub type Styles = &'static [(&'static str, Style)];

/// A type sent as an `application/x-www-form-urlencoded` body, with how its properties are
/// written: a property of the type, so a call site only says `request.form(body)?`. Generated
/// clients implement it once per form body type, from the spec's `encoding`.
pub trait FormBody: serde::Serialize {
    /// The top-level properties whose `encoding` is not the default (`style: form`,
    /// `explode: true`), by wire name; see [`form_pairs`].
    const STYLES: Styles = &[];
}

/// A map has no declared properties: every entry is written in the default style.
impl<V: serde::Serialize> FormBody for std::collections::BTreeMap<String, V> {}

/// The `(key, value)` pairs of a form body, before URL encoding: each top-level property of
/// `body` (an object) in order, serialized by its entry in `styles` (default `style: form`,
/// `explode: true`). Scalars are written as `dialect` says; `null` and empty containers are left
/// out. Containers nested inside a `form`-style property have no `form` serialization, so they
/// fall back to bracket keys.
pub fn form_pairs(body: &Value, styles: &[(&str, Style)], dialect: Dialect) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let Some(children) = Children::of(body) else {
        return pairs;
    };
    for (key, value) in children {
        let style = styles
            .iter()
            .find(|(name, _)| *name == key)
            .map_or(Style::Form { explode: true }, |(_, style)| *style);
        match (style, Children::of(value)) {
            (Style::Json, _) if value.is_null() => {}
            (Style::Json, _) => pairs.push((key, value.to_string())),
            (Style::DeepObject, _) | (_, None) => flatten_into(key, value, dialect, &mut pairs),
            (Style::Form { explode: true }, Some(children)) => {
                let by_index = value.is_array();
                for (sub, item) in children {
                    let name = if by_index { key.clone() } else { sub };
                    flatten_into(name, item, dialect, &mut pairs);
                }
            }
            (Style::Form { explode: false }, Some(children)) => {
                let by_index = value.is_array();
                let mut parts = Vec::new();
                for (sub, item) in children {
                    if let Some(text) = scalar(item, dialect) {
                        if !by_index {
                            parts.push(sub);
                        }
                        parts.push(text);
                    }
                }
                if !parts.is_empty() {
                    pairs.push((key, parts.join(",")));
                }
            }
        }
    }
    pairs
}

/// Appends the pairs of `value` under `key`: one pair for a scalar, bracket keys for containers.
fn flatten_into(key: String, value: &Value, dialect: Dialect, pairs: &mut Vec<(String, String)>) {
    // An explicit stack instead of recursion: no input depth can overflow the call stack.
    // Each frame holds the key of a container and its remaining children.
    let Some(top) = Children::of(value) else {
        pairs.extend(scalar(value, dialect).map(|text| (key, text)));
        return;
    };
    let mut stack: Vec<(String, Children<'_>)> = vec![(key, top)];
    while let Some((prefix, children)) = stack.last_mut() {
        let Some((key, value)) = children.next() else {
            stack.pop();
            continue;
        };
        let key = format!("{prefix}[{key}]");
        match Children::of(value) {
            Some(nested) => stack.push((key, nested)),
            None => pairs.extend(scalar(value, dialect).map(|text| (key, text))),
        }
    }
}

/// A scalar as `dialect` writes it; `None` for `null` (skipped) and containers.
pub(crate) fn scalar(value: &Value, dialect: Dialect) -> Option<String> {
    match (value, dialect) {
        (Value::String(s), _) => Some(s.clone()),
        (Value::Bool(b), Dialect::Php) => Some(String::from(if *b { "1" } else { "0" })),
        (Value::Bool(b), Dialect::Standard) => Some(b.to_string()),
        (Value::Number(n), Dialect::Php) => Some(php_number(n)),
        (Value::Number(n), Dialect::Standard) => Some(n.to_string()),
        (Value::Null | Value::Array(_) | Value::Object(_), _) => None,
    }
}

/// The children of an array or object, with their keys as PHP sees them.
enum Children<'a> {
    Object(serde_json::map::Iter<'a>),
    Array(std::iter::Enumerate<std::slice::Iter<'a, Value>>),
}

impl<'a> Children<'a> {
    fn of(value: &'a Value) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Self::Object(Map::iter(map))),
            Value::Array(items) => Some(Self::Array(items.iter().enumerate())),
            _ => None,
        }
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = (String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            // Numeric-string keys become integer keys in PHP, but print identically either way.
            Self::Object(iter) => iter.next().map(|(k, v)| (k.clone(), v)),
            Self::Array(iter) => iter.next().map(|(i, v)| (i.to_string(), v)),
        }
    }
}

/// PHP's `urlencode` of `s`, appended to `out`: RFC 1738 form encoding of each UTF-8 byte, space as `+`.
fn urlencode(s: &str, out: &mut String) {
    // `percent_encode` yields each escaped byte as its own `%XX` chunk, so `%20` is exactly a space.
    for chunk in percent_encode(s.as_bytes(), PHP_URLENCODE) {
        out.push_str(if chunk == "%20" { "+" } else { chunk });
    }
}

/// A JSON number as PHP prints the value `json_decode` gives for it.
fn php_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        // Above i64::MAX: PHP's json_decode makes it a float (rounded to nearest, as `as` does).
        php_float(u as f64)
    } else {
        n.as_f64().map(php_float).unwrap_or_default()
    }
}

/// A float as PHP 8 converts it to string with `precision = 14` (`zend_gcvt(value, 14, '.', 'E')`):
/// the value rounded to 14 significant digits (ties to even, on the exact binary value), trailing
/// zeros dropped (but see [`keeps_trailing_zeros`]); plain notation when the decimal exponent is in
/// `-4..=13`, otherwise `d.dddE+x` / `d.dddE-x` with at least one fraction digit (`1.0E+25`) and an
/// unpadded exponent.
fn php_float(f: f64) -> String {
    if f.is_nan() {
        return "NAN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "INF" } else { "-INF" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    // Rust's exact formatting rounds ties to even on the exact value, like zend_dtoa mode 2.
    let sci = format!("{:.*e}", (PHP_PRECISION - 1) as usize, f.abs());
    let Some((mantissa, exponent)) = sci.split_once('e') else {
        return format!("{f}");
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return format!("{f}");
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = if keeps_trailing_zeros(f) {
        digits.as_str()
    } else {
        match digits.trim_end_matches('0') {
            "" => "0",
            trimmed => trimmed,
        }
    };
    // zend_gcvt's `decpt`: the value is 0.DIGITS × 10^decpt.
    let decpt = exponent + 1;
    if !(-3..=PHP_PRECISION).contains(&decpt) {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}.{rest}E{exp_sign}{}", exponent.unsigned_abs())
    } else if decpt <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat(decpt.unsigned_abs() as usize))
    } else {
        let int_len = decpt as usize;
        if digits.len() <= int_len {
            format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
        } else {
            let (int, frac) = digits.split_at(int_len);
            format!("{sign}{int}.{frac}")
        }
    }
}

/// A zend_dtoa quirk: when its fast floating-point rounding cannot decide (an exact tie), an integral
/// value below 1e15 goes through the exact "small integer" path, which does not drop trailing zeros
/// when it rounds down. With 14 digits that is a 15-digit integer ending in 5 whose 14th digit is
/// even: PHP prints `934121670636405.0` as `9.3412167063640E+14`, `100000000000005.0` as
/// `1.0000000000000E+14` (but `100000000000004.0` as `1.0E+14`).
fn keeps_trailing_zeros(f: f64) -> bool {
    let abs = f.abs();
    // In this range every integer is exact in an f64, so the conversion to u64 is exact too.
    (1e14..1e15).contains(&abs) && abs.fract() == 0.0 && {
        let int = abs as u64;
        int % 10 == 5 && (int / 10).is_multiple_of(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Expected strings below were printed by PHP 8.2's `http_build_query`.
    fn q(json: &str) -> String {
        serde_json::from_str::<Value>(json)
            .map(|v| http_build_query(&v))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn urlencode_matches_php_set() {
        // It appends: what `out` already holds stays as it was.
        let urlencode = |s: &str| {
            let mut out = String::from("kept:");
            super::urlencode(s, &mut out);
            assert!(out.starts_with("kept:"), "{out}");
            out.split_off("kept:".len())
        };
        assert_eq!(urlencode("x y~*-_.!'()"), "x+y%7E%2A-_.%21%27%28%29");
        assert_eq!(urlencode("&=+%#?/[]"), "%26%3D%2B%25%23%3F%2F%5B%5D");
        assert_eq!(urlencode("ü😀"), "%C3%BC%F0%9F%98%80");
        assert_eq!(urlencode("a\n\t\r\0"), "a%0A%09%0D%00");
        assert_eq!(urlencode("%20 "), "%2520+");
    }

    #[test]
    fn skips_nulls_and_empty_containers() {
        let params = r#"{"a":null,"b":[],"c":{},"d":true,"e":false,"g":[null,[],{"h":null}]}"#;
        assert_eq!(q(params), "d=1&e=0");
    }

    #[test]
    fn nests_with_bracket_keys() {
        assert_eq!(q(r#"[1,2,{"x":[3]}]"#), "0=1&1=2&2%5Bx%5D%5B0%5D=3");
        assert_eq!(
            q(r#"{"1":"a","01":"b","-5":"c","":"empty","a b[]":{"k&=":[{"z":"ü😀"}]}}"#),
            "1=a&01=b&-5=c&=empty&a+b%5B%5D%5Bk%26%3D%5D%5B0%5D%5Bz%5D=%C3%BC%F0%9F%98%80"
        );
    }

    #[test]
    fn top_level_non_containers_are_empty() {
        for json in ["5", "\"str\"", "null", "true", "[]", "{}"] {
            assert_eq!(q(json), "", "{json}");
        }
    }

    #[test]
    fn integers_and_big_integers() {
        assert_eq!(
            q(
                r#"{"a":9223372036854775807,"b":9223372036854775808,"c":18446744073709551615,
                 "d":18446744073709551616,"e":-9223372036854775808,"f":-9223372036854775809,"g":0}"#
            ),
            "a=9223372036854775807&b=9.2233720368548E%2B18&c=1.844674407371E%2B19&d=1.844674407371E%2B19\
             &e=-9223372036854775808&f=-9.2233720368548E%2B18&g=0"
        );
    }

    #[test]
    fn floats_use_precision_14() {
        let cases = [
            (1.0, "1"),
            (100.0, "100"),
            (0.1, "0.1"),
            (0.1 + 0.2, "0.3"),
            (1.0 / 3.0, "0.33333333333333"),
            (2.0 / 3.0, "0.66666666666667"),
            (1e20, "1.0E+20"),
            (1.5e-7, "1.5E-7"),
            (-0.0, "-0"),
            (1e13, "10000000000000"),
            (1e14, "1.0E+14"),
            (1e15, "1.0E+15"),
            (123456789012345680000.0, "1.2345678901235E+20"),
            (1e25, "1.0E+25"),
            (0.0001, "0.0001"),
            (1e-5, "1.0E-5"),
            (0.000125, "0.000125"),
            (9.9999999999999e-5, "9.9999999999999E-5"),
            (9.999999999999999e-5, "0.0001"),
            (10000000000000.5, "10000000000000"),
            (10000000000001.5, "10000000000002"),
            (123456789012345.0, "1.2345678901234E+14"),
            (99999999999999.5, "1.0E+14"),
            (5e-324, "4.9406564584125E-324"),
            (f64::MAX, "1.7976931348623E+308"),
            (-1.5e300, "-1.5E+300"),
            (123456.789, "123456.789"),
            (934121670636405.0, "9.3412167063640E+14"),
            (-100000000000005.0, "-1.0000000000000E+14"),
            (100000000000015.0, "1.0000000000002E+14"),
            (934121670636401.0, "9.341216706364E+14"),
            (100000000000004.0, "1.0E+14"),
            (1000000000000050.0, "1.0E+15"),
        ];
        for (f, php) in cases {
            assert_eq!(php_float(f), php, "{f:?}");
        }
        assert_eq!(http_build_query(&json!({"a": 1e20, "b": 0.5})), "a=1.0E%2B20&b=0.5");
    }

    #[test]
    fn vrpay_worked_example() {
        // The nested Gateway example of the VR pay secure provider notes, signed string from PHP.
        let params = json!({
            "amount": 8925, "currency": "CHF", "purpose": "Order #1 ~ test", "psp": [36, 44],
            "preAuthorization": false, "skipResultPage": true, "referenceId": "ORD-1",
            "fields": {"email": {"value": "max.muster@example.com"}, "forename": {"value": "Max"}},
            "basket": [{"name": "T-Shirt", "quantity": 2, "amount": 2500},
                       {"name": "Versand", "quantity": 1, "amount": 3925}],
            "successRedirectUrl": "https://shop.example/ok?x=1", "model": "Gateway",
        });
        assert_eq!(
            http_build_query(&params),
            "amount=8925&currency=CHF&purpose=Order+%231+%7E+test&psp%5B0%5D=36&psp%5B1%5D=44\
             &preAuthorization=0&skipResultPage=1&referenceId=ORD-1\
             &fields%5Bemail%5D%5Bvalue%5D=max.muster%40example.com&fields%5Bforename%5D%5Bvalue%5D=Max\
             &basket%5B0%5D%5Bname%5D=T-Shirt&basket%5B0%5D%5Bquantity%5D=2&basket%5B0%5D%5Bamount%5D=2500\
             &basket%5B1%5D%5Bname%5D=Versand&basket%5B1%5D%5Bquantity%5D=1&basket%5B1%5D%5Bamount%5D=3925\
             &successRedirectUrl=https%3A%2F%2Fshop.example%2Fok%3Fx%3D1&model=Gateway"
        );
    }

    #[test]
    fn form_pairs_follow_each_property_style() {
        let body = json!({"a": [1, 2], "b": {"x": true, "y": null}, "c": "v w", "d": [[1]], "e": [], "f": 0.5});
        let deep = Style::DeepObject;
        let flat = Style::Form { explode: false };
        let pairs = |styles: &[(&str, Style)]| encode(&form_pairs(&body, styles, Dialect::Php));
        assert_eq!(pairs(&[]), "a=1&a=2&x=1&c=v+w&d%5B0%5D=1&f=0.5");
        assert_eq!(
            pairs(&[("a", flat), ("b", flat), ("d", flat)]),
            "a=1%2C2&b=x%2C1&c=v+w&f=0.5"
        );
        let all_deep = [("a", deep), ("b", deep), ("d", deep), ("e", deep)];
        assert_eq!(pairs(&all_deep), http_build_query(&body));
        assert_eq!(
            pairs(&all_deep),
            "a%5B0%5D=1&a%5B1%5D=2&b%5Bx%5D=1&c=v+w&d%5B0%5D%5B0%5D=1&f=0.5"
        );
    }

    #[test]
    fn the_standard_dialect_writes_json_scalars() {
        let body = json!({"on": true, "off": false, "f": 1e15, "g": 0.1, "n": null, "s": "x"});
        assert_eq!(
            encode(&form_pairs(&body, &[], Dialect::Standard)),
            "on=true&off=false&f=1000000000000000.0&g=0.1&s=x"
        );
        assert_eq!(
            encode(&form_pairs(&body, &[], Dialect::Php)),
            "on=1&off=0&f=1.0E%2B15&g=0.1&s=x"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut value = json!("x");
        for _ in 0..10_000 {
            value = Value::Array(vec![value]);
        }
        assert_eq!(http_build_query(&value).len(), "%5B0%5D".len() * 9_999 + "0=x".len());
        // Value's own Drop recurses; unwind it iteratively so the test itself cannot overflow.
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }
}
