//! VR pay secure's `ApiSignature` (hand-written): the [`Auth`] hook to give `Client::new`.
//!
//! Every request carries `ApiSignature = base64(HMAC-SHA256(key = API secret, message =
//! http_build_query(parameters)))` over all parameters but `instance`, encoded exactly as PHP's
//! `http_build_query($params, '', '&')` (RFC 1738), which the server recomputes.

use paykit_runtime::serde_json::Value;
use paykit_runtime::{Auth, AuthError, AuthFuture, Body, EmptySecret, Method, Request, Secret, form, signature};

/// The parameter the signature travels in.
const SIGNATURE: &str = "ApiSignature";
/// The one parameter that is sent but not signed.
const UNSIGNED: &str = "instance";

/// PHP's `http_build_query($params, '', '&')`, byte for byte: RFC 1738 (`+` for space, `~` →
/// `%7E`), nested objects and arrays as `a%5Bb%5D%5B0%5D` keys in insertion order, booleans as
/// `1`/`0`, `null` and empty containers left out, numbers printed as PHP prints them.
pub fn http_build_query(params: &Value) -> String {
    form::http_build_query(params)
}

/// `base64(HMAC-SHA256(key = api_secret, message = http_build_query(params)))`.
pub fn api_signature(params: &Value, api_secret: &str) -> String {
    sign(&http_build_query(params), api_secret)
}

fn sign(message: &str, api_secret: &str) -> String {
    signature::hmac_sha256_base64(api_secret.as_bytes(), message.as_bytes())
}

/// The [`Auth`] hook that signs every request with the API secret.
///
/// It signs the parameters exactly as they will be sent and in the same order: for `GET` the
/// query string without `instance`, for every other method the form body (empty for a bare
/// `DELETE`). The signature is appended last, to the query for `GET` and to the body otherwise.
/// The body is encoded once: the signed RFC 1738 string plus `&ApiSignature=…`, sent in its
/// RFC 3986 form as VR pay's docs and PHP SDK do (`%20` for a space, a literal `~`).
#[derive(Debug, Clone)]
pub struct ApiSignature {
    api_secret: Secret,
}

impl ApiSignature {
    /// A signer with the instance's API secret; an empty secret is refused.
    pub fn new(api_secret: impl Into<Secret>) -> Result<Self, EmptySecret> {
        Ok(Self {
            api_secret: Secret::non_empty(api_secret, "VR pay secure API secret")?,
        })
    }

    fn sign_request(&self, request: &mut Request) -> Result<(), AuthError> {
        let secret = self.api_secret.expose();
        if request.method == Method::GET {
            let signed: Vec<(String, String)> = request
                .query
                .iter()
                .filter(|(name, _)| name != UNSIGNED)
                .cloned()
                .collect();
            let signature = sign(&form::encode(&signed), secret);
            request.query.push((SIGNATURE.to_owned(), signature));
            return Ok(());
        }
        let mut encoded = match &request.body {
            Body::Empty => String::new(),
            Body::Form(pairs) => form::encode(pairs),
            _ => {
                return Err(AuthError::Unsupported(
                    "VR pay secure signs form bodies; this request has another body",
                ));
            }
        };
        let signature = sign(&encoded, secret);
        let signature_pair = [(SIGNATURE.to_owned(), signature)];
        if !encoded.is_empty() {
            encoded.push('&');
        }
        encoded.push_str(&form::encode(&signature_pair));
        request.body = Body::EncodedForm(rfc3986(&encoded));
        Ok(())
    }
}

/// The RFC 3986 form of an RFC 1738 string, as the docs ask bodies to be sent and as the PHP SDK
/// sends them: `+` (a space; a literal plus is `%2B`) becomes `%20`, and `%7E` becomes `~`. The
/// server decodes it to the same parameters, so the RFC 1738 signature still matches.
fn rfc3986(rfc1738: &str) -> String {
    let mut out = String::with_capacity(rfc1738.len() + rfc1738.len() / 8);
    let mut rest = rfc1738;
    while let Some(at) = rest.find(['+', '%']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix('+') {
            out.push_str("%20");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("%7E") {
            out.push('~');
            rest = after;
        } else {
            out.push('%');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

impl Auth for ApiSignature {
    fn authorize<'a>(&'a self, request: &'a mut Request) -> AuthFuture<'a> {
        let signed = self.sign_request(request);
        Box::pin(async move { signed })
    }
}
