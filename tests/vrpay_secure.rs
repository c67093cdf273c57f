//! Wire-level tests of the generated VR pay secure client against a local wiremock server that
//! checks `ApiSignature` the way VR pay's PHP server does.
//!
//! The test server ([`PhpServer`]) never trusts the client's own encoder: it decodes the form it
//! received (the query for GET, the body otherwise), rebuilds the nested PHP array from the bracket
//! keys as PHP's `parse_str` does, drops `instance`, takes `ApiSignature` out, re-encodes the rest
//! with `paykit::runtime::form::http_build_query` (proven byte-exact against PHP by
//! `tests/vrpay_secure_php.rs`) and recomputes base64(HMAC-SHA256) with the `hmac`, `sha2` and
//! `base64` crates. A wrong signature gets the documented error body with status 401.
//!
//! Every operation is checked for method, exact path, `instance` in the query, the exact decoded
//! parameters in order (nested bracket keys, booleans as `1`/`0`), a signature the server accepts,
//! and the unwrapped, typed result. Then: the provider notes' worked signature examples, the test
//! server itself, documented errors, broken envelopes, and secrets staying out of `Debug`.
//!
//! The API secret is the provider notes' example secret, so parameterless requests must carry the
//! notes' signature of the empty string.

mod support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use paykit::runtime::StreamExt;
use paykit::runtime::form::http_build_query;
use paykit::runtime::{Error, StatusCode};
use paykit::vrpay_secure::signing::{self, ApiSignature};
use paykit::vrpay_secure::types::{
    self, AuthTokenRequest, BasketItem, GatewayCustomFieldValue, GatewayFieldValue, GatewayFields, GatewayRequest,
    GatewayStatus, InvoiceRequest, LocalizedText, PageRequest, PaymentFormField, PaymentFormFields, PhpFlag,
    SubscriptionRequest, SubscriptionStatus, SubscriptionUpdateRequest, TransactionCaptureRequest,
    TransactionChargeRequest, TransactionPreAuthorizeRequest, TransactionReceiptRequest, TransactionRefundRequest,
    TransactionRequest, TransactionStatus, TransactionUuid,
};
use paykit::vrpay_secure::{Client, ListTransactionsParams};
use serde_json::{Map, Value, json};
use sha2::Sha256;
use support::samples;
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

/// The API secret of the provider notes' worked examples (§4).
const SECRET: &str = "example-api-secret";
const INSTANCE: &str = "demo";
/// `ApiSignature` of a request without parameters under [`SECRET`]: the notes' value (from PHP).
const EMPTY_SIGNATURE: &str = "8isAVUXVAB+L7tN283iPWFCuV46zbEulNIdpox9E/Rs=";
/// The message the test server answers a wrong signature with.
const INVALID_SIGNATURE: &str = "The ApiSignature is invalid.";
const FORM: &str = "application/x-www-form-urlencoded";
/// Stands for a well-formed signature in [`Sent`]; the server checks the actual value.
const SIGNATURE: &str = "<ApiSignature>";

// ---------------------------------------------------------------------------------------------
// The signature-checking server
// ---------------------------------------------------------------------------------------------

/// VR pay's server as far as signing goes: it answers `then` when `ApiSignature` is right and the
/// documented 401 error body when it is not.
struct PhpServer {
    secret: String,
    then: ResponseTemplate,
}

impl PhpServer {
    fn new(secret: &str, then: ResponseTemplate) -> Self {
        Self {
            secret: secret.to_owned(),
            then,
        }
    }
}

impl Respond for PhpServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match php_received_pairs(request).and_then(|pairs| php_check_signature(&pairs, &self.secret)) {
            Ok(()) => self.then.clone(),
            Err(why) => {
                // Shown with the failing test's output; the client only sees the documented body.
                eprintln!("test server: rejecting {} {}: {why}", request.method, request.url);
                error_reply(401, INVALID_SIGNATURE)
            }
        }
    }
}

/// The parameters PHP sees, decoded (`+` is a space): the query for GET, the form body otherwise.
fn php_received_pairs(request: &Request) -> Result<Vec<(String, String)>, String> {
    if request.method.as_str() == "GET" {
        return Ok(decode_pairs(request.url.query().unwrap_or_default().as_bytes()));
    }
    let content_type = header(request, "content-type");
    if !content_type.as_deref().is_some_and(|t| t.starts_with(FORM)) {
        return Err(format!("no form body (content type {content_type:?})"));
    }
    Ok(decode_pairs(&request.body))
}

fn decode_pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// The server's check: rebuild the PHP array, drop `instance`, take `ApiSignature` out, re-encode
/// the rest with PHP semantics and compare HMACs.
fn php_check_signature(pairs: &[(String, String)], secret: &str) -> Result<(), String> {
    let mut params = php_parse_str(pairs);
    params.shift_remove("instance");
    let signature = match params.shift_remove("ApiSignature") {
        Some(Value::String(signature)) => signature,
        Some(other) => return Err(format!("ApiSignature is not a string: {other}")),
        None => return Err("ApiSignature is missing".to_owned()),
    };
    let message = http_build_query(&Value::Object(params));
    let expected = php_hmac_base64(secret, &message);
    if signature == expected {
        Ok(())
    } else {
        Err(format!(
            "got {signature}, expected {expected} for the signed string {message:?}"
        ))
    }
}

/// `base64_encode(hash_hmac('sha256', $message, $secret, true))`.
fn php_hmac_base64(secret: &str, message: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// PHP's `parse_str` (`php_register_variable_ex`) over decoded pairs: bracket keys build nested
/// arrays in first-seen order, a repeated key overwrites the value but keeps its place, `[]`
/// appends at the next integer index. PHP arrays are kept as JSON objects keyed by the PHP key
/// (`a[0]=v` → `{"a": {"0": "v"}}`), which `http_build_query` prints exactly as PHP prints the
/// array. Not modelled: `max_input_nesting_level`/`max_input_vars` and PHP 8.3's next index after
/// negative keys.
fn php_parse_str(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut root = Map::new();
    for (name, value) in pairs {
        let Some((base, indices)) = php_variable_path(name) else {
            continue;
        };
        let mut table = &mut root;
        let mut key = Some(base);
        for index in indices {
            let slot = php_slot(table, key);
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            let Value::Object(nested) = slot else {
                unreachable!("just made an object")
            };
            table = nested;
            key = index;
        }
        *php_slot(table, key) = Value::String(value.clone());
    }
    root
}

/// The variable name and the bracket indices of a PHP parameter name (`None` = `[]`, append), or
/// `None` when PHP drops the parameter (empty name).
fn php_variable_path(name: &str) -> Option<(String, Vec<Option<String>>)> {
    // PHP variable names cannot hold ' ' or '.' (nor an unmatched '['): they become '_'.
    let mangle = |s: &str, bracket: bool| -> String {
        s.chars()
            .map(|c| {
                if c == ' ' || c == '.' || (bracket && c == '[') {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    let name = name.trim_start_matches(' ');
    let Some(open) = name.find('[') else {
        return (!name.is_empty()).then(|| (mangle(name, false), Vec::new()));
    };
    let mut base = mangle(&name[..open], false);
    if base.is_empty() {
        return None;
    }
    let mut indices = Vec::new();
    let mut rest = &name[open + 1..]; // just after a '['
    loop {
        let after = if let Some(tail) = rest.strip_prefix(' ').unwrap_or(rest).strip_prefix(']') {
            indices.push(None); // `[]` or `[ ]`
            tail
        } else if let Some(close) = rest.find(']') {
            indices.push(Some(rest[..close].to_owned()));
            &rest[close + 1..]
        } else {
            // No closing ']': not an index. At the first level the '[' and the rest become part
            // of the name; deeper, the unterminated part is dropped.
            if indices.is_empty() {
                base.push('_');
                base.push_str(&mangle(rest, true));
            }
            break;
        };
        // Anything after ']' other than '[' ends the name (`a[b]c` is `a[b]`).
        match after.strip_prefix('[') {
            Some(next) => rest = next,
            None => break,
        }
    }
    Some((base, indices))
}

/// The slot for `key` in a PHP array (`None`: the next integer index), created empty if new.
fn php_slot(table: &mut Map<String, Value>, key: Option<String>) -> &mut Value {
    let key = key.unwrap_or_else(|| php_next_index(table).to_string());
    table.entry(key).or_insert(Value::Null)
}

/// PHP's next free integer key: one past the largest non-negative integer key, else 0.
fn php_next_index(table: &Map<String, Value>) -> i64 {
    table
        .keys()
        .filter_map(|k| php_integer_key(k.as_str()))
        .filter(|i| *i >= 0)
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

/// A key PHP stores as an integer: `0` or `-?[1-9][0-9]*` within i64 (`"01"` stays a string).
fn php_integer_key(key: &str) -> Option<i64> {
    let digits = key.strip_prefix('-').unwrap_or(key);
    let canonical = if digits == "0" {
        key == "0"
    } else {
        !digits.starts_with('0') && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if canonical { key.parse().ok() } else { None }
}

// ---------------------------------------------------------------------------------------------
// What the client must send
// ---------------------------------------------------------------------------------------------

/// One operation's expected request: method, path and its parameters in order, decoded, without
/// `instance` and `ApiSignature` (those are where they must be by construction of [`Sent`]).
#[derive(Debug, Clone)]
struct Wire {
    method: &'static str,
    path: String,
    params: Vec<(String, String)>,
}

/// A request reduced to what the tests compare; a well-formed `ApiSignature` value is masked as
/// [`SIGNATURE`] (its value is the server's business).
#[derive(Debug, PartialEq)]
struct Sent {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    content_type: Option<String>,
    body: Vec<(String, String)>,
}

impl Sent {
    fn of(request: &Request) -> Self {
        let mask = |pairs: Vec<(String, String)>| -> Vec<(String, String)> {
            pairs
                .into_iter()
                .map(|(k, v)| {
                    if k == "ApiSignature" && is_signature(&v) {
                        (k, SIGNATURE.to_owned())
                    } else {
                        (k, v)
                    }
                })
                .collect()
        };
        Self {
            method: request.method.to_string(),
            path: request.url.path().to_owned(),
            query: mask(decode_pairs(request.url.query().unwrap_or_default().as_bytes())),
            content_type: header(request, "content-type"),
            body: mask(decode_pairs(&request.body)),
        }
    }
}

impl Wire {
    fn new(method: &'static str, path: impl Into<String>, params: &[(&str, &str)]) -> Self {
        Self {
            method,
            path: path.into(),
            params: params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    /// GET: `instance`, the parameters, then `ApiSignature`, all in the query, no body. Otherwise:
    /// only `instance` in the query, and a form body of the parameters, then `ApiSignature`.
    fn expected(&self) -> Sent {
        let instance = vec![("instance".to_owned(), INSTANCE.to_owned())];
        let mut signed = self.params.clone();
        signed.push(("ApiSignature".to_owned(), SIGNATURE.to_owned()));
        let (query, content_type, body) = if self.method == "GET" {
            ([instance, signed].concat(), None, Vec::new())
        } else {
            (instance, Some(FORM.to_owned()), signed)
        };
        Sent {
            method: self.method.to_owned(),
            path: self.path.clone(),
            query,
            content_type,
            body,
        }
    }

    /// Answers exactly this request, once, after the server verified its signature.
    async fn mount(&self, server: &MockServer, then: ResponseTemplate) {
        Mock::given(method(self.method))
            .and(path(self.path.as_str()))
            .and(self.clone())
            .respond_with(PhpServer::new(SECRET, then))
            .expect(1)
            .mount(server)
            .await;
    }

    /// Asserts the one request the server received is this one (a readable diff if not) and
    /// returns it.
    async fn assert_sent(&self, server: &MockServer) -> Request {
        let mut requests = server.received_requests().await.expect("request recording is on");
        assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
        let request = requests.remove(0);
        assert_eq!(Sent::of(&request), self.expected());
        request
    }
}

impl Match for Wire {
    fn matches(&self, request: &Request) -> bool {
        Sent::of(request) == self.expected()
    }
}

/// base64 of a 32-byte digest.
fn is_signature(value: &str) -> bool {
    BASE64.decode(value).is_ok_and(|digest| digest.len() == 32)
}

/// The `ApiSignature` a request carried (query for GET, body otherwise).
fn signature_of(request: &Request) -> String {
    let pairs = if request.method.as_str() == "GET" {
        decode_pairs(request.url.query().unwrap_or_default().as_bytes())
    } else {
        decode_pairs(&request.body)
    };
    pairs
        .into_iter()
        .rev()
        .find(|(k, _)| k == "ApiSignature")
        .map(|(_, v)| v)
        .expect("an ApiSignature parameter")
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = client_for(&server, SECRET);
    (server, client)
}

fn client_for(server: &MockServer, secret: &str) -> Client {
    Client::new(server.uri(), INSTANCE, ApiSignature::new(secret).expect("secret")).expect("client")
}

fn json_reply(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// The success envelope (§5): `data` is always an array.
fn success(data: Value) -> ResponseTemplate {
    json_reply(200, &json!({"status": "success", "data": data}))
}

/// The documented error body (§5).
fn error_reply(status: u16, message: &str) -> ResponseTemplate {
    json_reply(status, &json!({"status": "error", "message": message}))
}

fn lang(entries: &[(&str, &str)]) -> LocalizedText {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn auth_token_json() -> Value {
    json!({
        "authToken": "3f1c2b0a9e8d7c6b5a493827161504f3",
        "authTokenExpirationDate": "2026-01-15 12:15:00",
        "link": "https://demo.vr-pay-secure.de/de/vpos?login=3f1c2b0a9e8d7c6b5a493827161504f3"
    })
}

/// A transaction (PXDOCS shape).
fn transaction_json(id: i64, status: &str, amount: i64) -> Value {
    json!({
        "id": id,
        "uuid": "82m09f9",
        "time": "2026-01-01 12:00:00",
        "status": status,
        "lang": "de",
        "psp": "VR pay",
        "pspId": 36,
        "mode": "TEST",
        "amount": amount,
        "payment": {"brand": "visa", "cardNumber": "4111 **** 1111", "expiry": "28-12", "wallet": null},
        "invoice": {
            "number": "4711-1",
            "currency": "CHF",
            "originalAmount": 8925,
            "refundedAmount": 0,
            "referenceId": "ORD-1",
            "paymentRequestId": 4711,
            "test": 1,
            "products": [{"name": "T-Shirt", "price": 1250, "quantity": 2, "sku": "TS-M", "vatRate": 7.7}],
            "custom_fields": []
        },
        "contact": {
            "id": 77,
            "firstname": "Max",
            "lastname": "Muster",
            "zip": "8000",
            "place": "Zürich",
            "countryISO": "CH",
            "email": "max.muster@example.com"
        },
        "metadata": [],
        "referenceId": "ORD-1",
        "refundable": true,
        "partiallyRefundable": true
    })
}

fn invoice_json() -> Value {
    json!({
        "id": 3301,
        "status": "waiting",
        "hash": "0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c",
        "link": "https://demo.vr-pay-secure.de/?payment=0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c",
        "referenceId": "INV-2026-001",
        "title": "Invoice 2026-001",
        "description": "Web design, January",
        "purpose": "Web design ~ January 2026",
        "amount": 120000,
        "currency": "EUR",
        "vatRate": 8.1,
        "psp": [36],
        "preAuthorization": 0,
        "reservation": "0",
        "hideFields": false,
        "fields": {"email": {"name": "", "mandatory": 1, "defaultValue": "anna+billing@example.com"}},
        "expirationDate": "2026-02-28",
        "createdAt": 1767225600
    })
}

fn page_json(id: i64, title: &str) -> Value {
    json!({
        "id": id,
        "title": title,
        "description": "Unterstützen Sie unsere Arbeit",
        "psp": 36,
        "name": "donations",
        "purpose": "Spende",
        "amount": 5000,
        "currency": "CHF",
        "preAuthorization": 0,
        "subscriptionState": 1,
        "subscriptionInterval": "P1M",
        "subscriptionPeriod": "P1Y",
        "subscriptionCancellationInterval": "P1M",
        "fields": [],
        "createdAt": 1767225600
    })
}

fn subscription_json(id: i64, status: &str, amount: i64) -> Value {
    json!({
        "id": id,
        "uuid": "2b1e3c4d",
        "status": status,
        "pspSubscriptionId": "sub_8f7e6d",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "valid_until": "2026-12-31",
        "cancelledDate": null,
        "firstCancelDate": "2026-11-30",
        "nextPayDate": "2026-02-01",
        "userId": 77,
        "psp": 36,
        "purpose": "Monthly box",
        "amount": amount,
        "currency": "CHF",
        "paymentInterval": "P1M",
        "period": "P1Y",
        "cancellationInterval": "P1M",
        "referenceId": "SUB-1"
    })
}

// ---------------------------------------------------------------------------------------------
// AuthToken
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_auth_token() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/AuthToken/", &[("userId", "1")]);
    wire.mount(&server, success(json!([auth_token_json()]))).await;

    let result = client.create_auth_token(&AuthTokenRequest::new(1)).await;
    let sent = wire.assert_sent(&server).await;
    // The notes' "AuthToken as in the okepay curl sample" row: `userId=1` signed by PHP.
    assert_eq!(signature_of(&sent), "Z22guSATvOBNt8tPR6qvkxtiT4AmBO67d5ITRKwPcKU=");
    let token = result.unwrap();
    assert_eq!(token.status(), StatusCode::OK);
    assert_eq!(token.auth_token.as_deref(), Some("3f1c2b0a9e8d7c6b5a493827161504f3"));
    assert_eq!(token.auth_token_expiration_date.as_deref(), Some("2026-01-15 12:15:00"));
    assert_eq!(
        token.link.as_deref(),
        Some("https://demo.vr-pay-secure.de/de/vpos?login=3f1c2b0a9e8d7c6b5a493827161504f3")
    );
}

// ---------------------------------------------------------------------------------------------
// Gateway
// ---------------------------------------------------------------------------------------------

/// The string PHP's `http_build_query` makes of [`gateway_request`] (printed by PHP 8).
const GATEWAY_SIGNED: &str = "amount=8925&currency=CHF&successRedirectUrl=https%3A%2F%2Fshop.example%2Fok%3Fx%3D1\
&failedRedirectUrl=https%3A%2F%2Fshop.example%2Ffailed&cancelRedirectUrl=https%3A%2F%2Fshop.example%2Fcancel\
&psp%5B0%5D=36&psp%5B1%5D=44&pm%5B0%5D=visa&pm%5B1%5D=mastercard&preAuthorization=0&reservation=1\
&referenceId=ORD-1&fields%5Bforename%5D%5Bvalue%5D=Max&fields%5Bemail%5D%5Bvalue%5D=max.muster%40example.com\
&fields%5Bcustom_field_1%5D%5Bvalue%5D=K-1001&fields%5Bcustom_field_1%5D%5Bname%5D%5B0%5D=Customer+no.\
&fields%5Bcustom_field_1%5D%5Bname%5D%5B1%5D=Kundennummer&purpose%5B0%5D=Order+%231+%7E+test\
&purpose%5B1%5D=Bestellung+%231+%7E+Gr%C3%B6%C3%9Fe+M&vatRate=7.7&basket%5B0%5D%5Bname%5D=T-Shirt\
&basket%5B0%5D%5Bdescription%5D=Gr%C3%B6%C3%9Fe+M&basket%5B0%5D%5Bquantity%5D=2&basket%5B0%5D%5Bamount%5D=2500\
&basket%5B0%5D%5BvatRate%5D=7.7&basket%5B1%5D%5Bname%5D=Versand&basket%5B1%5D%5Bquantity%5D=1\
&basket%5B1%5D%5Bamount%5D=3925&language=de&skipResultPage=1&validity=15&buttonText%5B0%5D=Pay+now\
&buttonText%5B1%5D=Jetzt+bezahlen";
/// PHP 8: `base64_encode(hash_hmac('sha256', GATEWAY_SIGNED, 'example-api-secret', true))`.
const GATEWAY_SIGNATURE: &str = "zi8MlKquMdwWRj5gwhXPp05Gsd+z9uHhPZOswI+s9/8=";

/// A gateway with every kind of nesting: PSP list, contact fields with a localized custom field,
/// a localized purpose with `~`, `#`, spaces and umlauts, a basket, booleans both ways.
fn gateway_request() -> GatewayRequest {
    let mut body = GatewayRequest::new(8925, "CHF");
    body.success_redirect_url = Some("https://shop.example/ok?x=1".into());
    body.failed_redirect_url = Some("https://shop.example/failed".into());
    body.cancel_redirect_url = Some("https://shop.example/cancel".into());
    body.psp = Some(vec![36, 44]);
    body.pm = Some(vec!["visa".into(), "mastercard".into()]);
    body.pre_authorization = Some(false);
    body.reservation = Some(true);
    body.reference_id = Some("ORD-1".into());
    body.fields = Some(paykit::runtime::build!(GatewayFields {
        // Set out of declaration order on purpose: the wire follows the spec's property order.
        email: Some(paykit::runtime::build!(GatewayFieldValue {
            value: Some("max.muster@example.com".into()),
        })),
        forename: Some(paykit::runtime::build!(GatewayFieldValue {
            value: Some("Max".into()),
        })),
        custom_field_1: Some(paykit::runtime::build!(GatewayCustomFieldValue {
            value: Some("K-1001".into()),
            name: Some(lang(&[("0", "Customer no."), ("1", "Kundennummer")])),
        })),
    }));
    body.purpose = Some(lang(&[("0", "Order #1 ~ test"), ("1", "Bestellung #1 ~ Größe M")]));
    body.vat_rate = Some(7.7);
    body.basket = Some(vec![
        paykit::runtime::build!(BasketItem {
            name: Some("T-Shirt".into()),
            description: Some("Größe M".into()),
            quantity: Some(2),
            amount: Some(2500),
            vat_rate: Some(7.7),
        }),
        paykit::runtime::build!(BasketItem {
            name: Some("Versand".into()),
            quantity: Some(1),
            amount: Some(3925),
        }),
    ]);
    body.language = Some("de".into());
    body.skip_result_page = Some(true);
    body.validity = Some(15);
    body.button_text = Some(lang(&[("0", "Pay now"), ("1", "Jetzt bezahlen")]));
    body
}

#[tokio::test]
async fn create_gateway() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Gateway/",
        &[
            ("amount", "8925"),
            ("currency", "CHF"),
            ("successRedirectUrl", "https://shop.example/ok?x=1"),
            ("failedRedirectUrl", "https://shop.example/failed"),
            ("cancelRedirectUrl", "https://shop.example/cancel"),
            ("psp[0]", "36"),
            ("psp[1]", "44"),
            ("pm[0]", "visa"),
            ("pm[1]", "mastercard"),
            ("preAuthorization", "0"),
            ("reservation", "1"),
            ("referenceId", "ORD-1"),
            ("fields[forename][value]", "Max"),
            ("fields[email][value]", "max.muster@example.com"),
            ("fields[custom_field_1][value]", "K-1001"),
            ("fields[custom_field_1][name][0]", "Customer no."),
            ("fields[custom_field_1][name][1]", "Kundennummer"),
            ("purpose[0]", "Order #1 ~ test"),
            ("purpose[1]", "Bestellung #1 ~ Größe M"),
            ("vatRate", "7.7"),
            ("basket[0][name]", "T-Shirt"),
            ("basket[0][description]", "Größe M"),
            ("basket[0][quantity]", "2"),
            ("basket[0][amount]", "2500"),
            ("basket[0][vatRate]", "7.7"),
            ("basket[1][name]", "Versand"),
            ("basket[1][quantity]", "1"),
            ("basket[1][amount]", "3925"),
            ("language", "de"),
            ("skipResultPage", "1"),
            ("validity", "15"),
            ("buttonText[0]", "Pay now"),
            ("buttonText[1]", "Jetzt bezahlen"),
        ],
    );
    wire.mount(&server, success(json!([samples::vrpay_gateway()]))).await;

    let result = client.create_gateway(&gateway_request()).await;
    let sent = wire.assert_sent(&server).await;
    // On the wire: PHP's own string (brackets as %5B/%5D) with the signature PHP computes for it,
    // rewritten to RFC 3986 exactly as the PHP SDK does before sending:
    // `str_replace(['+', '%7E'], ['%20', '~'], $query)`.
    assert_eq!(signature_of(&sent), GATEWAY_SIGNATURE);
    let raw = String::from_utf8(sent.body.clone()).expect("UTF-8 body");
    let php_sdk = format!("{GATEWAY_SIGNED}&ApiSignature=zi8MlKquMdwWRj5gwhXPp05Gsd%2Bz9uHhPZOswI%2Bs9%2F8%3D")
        .replace('+', "%20")
        .replace("%7E", "~");
    assert_eq!(raw, php_sdk);
    assert!(raw.contains("Order%20%231%20~%20test"), "{raw}");

    let gateway = result.unwrap();
    assert_eq!(gateway.id, Some(4711));
    assert_eq!(gateway.status, Some(GatewayStatus::Waiting));
    assert_eq!(gateway.hash.as_deref(), Some("a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3"));
    assert_eq!(
        gateway.link.as_deref(),
        Some("https://demo.vr-pay-secure.de/?payment=a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3")
    );
    assert_eq!(gateway.invoices.as_deref(), Some(&[][..]));
    assert_eq!(gateway.pre_authorization, Some(PhpFlag::Integer(0)));
    assert_eq!(gateway.reservation, Some(PhpFlag::Integer(1)));
    assert_eq!(gateway.amount, Some(8925));
    assert_eq!(gateway.vat_rate, Some(7.7));
    assert_eq!(gateway.purpose.as_ref().unwrap()["0"], "Order #1 ~ test");
    assert_eq!(gateway.created_at, Some(1767225600));
}

#[tokio::test]
async fn get_gateway() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Gateway/4711/", &[]);
    let mut gateway = samples::vrpay_gateway();
    gateway["status"] = json!("confirmed");
    gateway["invoices"] = json!([{
        "number": "4711-1",
        "currency": "CHF",
        "originalAmount": 8925,
        "refundedAmount": 0,
        "referenceId": "ORD-1",
        "paymentRequestId": 4711,
        "test": 1,
        "transactions": [transaction_json(2001, "confirmed", 8925)]
    }]);
    wire.mount(&server, success(json!([gateway]))).await;

    let result = client.get_gateway(4711).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let gateway = result.unwrap();
    assert_eq!(gateway.id, Some(4711));
    assert_eq!(gateway.status, Some(GatewayStatus::Confirmed));
    let invoices = gateway.invoices.as_ref().expect("invoices");
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0].payment_request_id, Some(4711));
    assert_eq!(invoices[0].original_amount, Some(8925));
    assert_eq!(invoices[0].test, Some(PhpFlag::Integer(1)));
    let transactions = invoices[0].transactions.as_ref().expect("transactions");
    assert_eq!(transactions[0].id, Some(2001));
    assert_eq!(transactions[0].status, Some(TransactionStatus::Confirmed));
}

#[tokio::test]
async fn delete_gateway() {
    let (server, client) = setup().await;
    // DELETE carries its (empty) parameter set and the signature in a form body.
    let wire = Wire::new("DELETE", "/Gateway/4711/", &[]);
    wire.mount(&server, success(json!([{"id": 4711}]))).await;

    let result = client.delete_gateway(4711).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    assert_eq!(result.unwrap().as_ref().and_then(|g| g.id), Some(4711));
}

// ---------------------------------------------------------------------------------------------
// Invoice (payment link)
// ---------------------------------------------------------------------------------------------

/// PHP 8's signature of the Invoice body below (`http_build_query` + `hash_hmac`).
const INVOICE_SIGNATURE: &str = "3OlM08QeZneqHqr7NWgkh+RGlqplBzeaKHtUzMYMLY4=";

#[tokio::test]
async fn create_invoice() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Invoice/",
        &[
            ("title", "Invoice 2026-001"),
            ("description", "Web design, January"),
            ("referenceId", "INV-2026-001"),
            ("purpose", "Web design ~ January 2026"),
            ("amount", "120000"),
            ("currency", "EUR"),
            ("vatRate", "8.1"),
            ("psp[0]", "36"),
            ("pm[0]", "twint"),
            ("sku", "WD-01"),
            ("preAuthorization", "0"),
            ("reservation", "0"),
            ("name", "January web design"),
            ("fields[title][mandatory]", "1"),
            ("fields[title][defaultValue]", "miss"),
            ("fields[email][mandatory]", "1"),
            ("fields[email][defaultValue]", "anna+billing@example.com"),
            ("fields[custom_field_1][name]", "Project no."),
            ("fields[custom_field_1][mandatory]", "0"),
            ("fields[terms][mandatory]", "1"),
            ("hideFields", "0"),
            ("buttonText", "Pay invoice"),
            ("expirationDate", "2026-02-28"),
            ("successRedirectUrl", "https://agency.example/paid"),
            ("failedRedirectUrl", "https://agency.example/failed"),
            ("subscriptionState", "0"),
        ],
    );
    wire.mount(&server, success(json!([invoice_json()]))).await;

    let body = samples::vrpay_invoice_request();

    let result = client.create_invoice(&body).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), INVOICE_SIGNATURE);
    // A literal `+` in a value must travel as %2B, or PHP would read a space.
    let raw = String::from_utf8(sent.body.clone()).expect("UTF-8 body");
    assert!(
        raw.contains("&fields%5Bemail%5D%5BdefaultValue%5D=anna%2Bbilling%40example.com&"),
        "{raw}"
    );

    let invoice = result.unwrap();
    assert_eq!(invoice.id, Some(3301));
    assert_eq!(invoice.status.as_deref(), Some("waiting"));
    assert_eq!(
        invoice.link.as_deref(),
        Some("https://demo.vr-pay-secure.de/?payment=0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c")
    );
    assert_eq!(invoice.reference_id.as_deref(), Some("INV-2026-001"));
    assert_eq!(invoice.reservation, Some(PhpFlag::String("0".into())));
    assert_eq!(invoice.hide_fields, Some(PhpFlag::Boolean(false)));
    assert_eq!(invoice.fields.as_ref().unwrap()["email"]["mandatory"], 1);
}

#[tokio::test]
async fn get_invoice() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Invoice/3301/", &[]);
    wire.mount(&server, success(json!([invoice_json()]))).await;

    let result = client.get_invoice(3301).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let invoice = result.unwrap();
    assert_eq!(invoice.id, Some(3301));
    assert_eq!(invoice.amount, Some(120000));
    assert_eq!(invoice.expiration_date.as_deref(), Some("2026-02-28"));
}

#[tokio::test]
async fn delete_invoice() {
    let (server, client) = setup().await;
    let wire = Wire::new("DELETE", "/Invoice/3301/", &[]);
    wire.mount(&server, success(json!([{"id": 3301}]))).await;

    let result = client.delete_invoice(3301).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    assert_eq!(result.unwrap().as_ref().and_then(|i| i.id), Some(3301));
}

// ---------------------------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_page() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Page/",
        &[
            ("title", "Spenden"),
            ("description", "Unterstützen Sie unsere Arbeit"),
            ("psp[0]", "36"),
            ("psp[1]", "44"),
            ("name", "donations"),
            ("purpose", "Spende"),
            ("amount", "5000"),
            ("currency", "CHF"),
            ("preAuthorization", "0"),
            ("subscriptionState", "1"),
            ("subscriptionInterval", "P1M"),
            ("subscriptionPeriod", "P1Y"),
            ("subscriptionCancellationInterval", "P1M"),
            ("fields[forename][mandatory]", "1"),
            ("fields[email][mandatory]", "1"),
        ],
    );
    wire.mount(&server, success(json!([page_json(12, "Spenden")]))).await;

    let mut body = PageRequest::new("Spenden", "Unterstützen Sie unsere Arbeit", vec![36, 44]);
    body.name = Some("donations".into());
    body.purpose = Some("Spende".into());
    body.amount = Some(5000);
    body.currency = Some("CHF".into());
    body.pre_authorization = Some(false);
    body.subscription_state = Some(true);
    body.subscription_interval = Some("P1M".into());
    body.subscription_period = Some("P1Y".into());
    body.subscription_cancellation_interval = Some("P1M".into());
    let mandatory = || Some(paykit::runtime::build!(PaymentFormField { mandatory: Some(true) }));
    body.fields = Some(paykit::runtime::build!(PaymentFormFields {
        forename: mandatory(),
        email: mandatory(),
    }));

    let result = client.create_page(&body).await;
    wire.assert_sent(&server).await;
    let page = result.unwrap();
    assert_eq!(page.id, Some(12));
    assert_eq!(page.created_at, Some(1767225600));
    assert_eq!(page.psp, Some(json!(36)));
    assert_eq!(page.subscription_state, Some(PhpFlag::Integer(1)));
}

#[tokio::test]
async fn list_pages() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Page/", &[]);
    wire.mount(
        &server,
        success(json!([page_json(12, "Spenden"), page_json(13, "Mitgliedschaft")])),
    )
    .await;

    let result = client.list_pages().await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let pages = result.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].id, Some(12));
    assert_eq!(pages[1].title.as_deref(), Some("Mitgliedschaft"));
}

#[tokio::test]
async fn get_page() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Page/12/", &[]);
    wire.mount(&server, success(json!([page_json(12, "Spenden")]))).await;

    let result = client.get_page(12).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let page = result.unwrap();
    assert_eq!(page.id, Some(12));
    assert_eq!(page.subscription_interval.as_deref(), Some("P1M"));
    assert_eq!(page.fields, Some(json!([])));
}

// ---------------------------------------------------------------------------------------------
// Subscription
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_subscription() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Subscription/",
        &[
            ("userId", "77"),
            ("psp", "36"),
            ("purpose", "Monthly box"),
            ("amount", "2990"),
            ("currency", "CHF"),
            ("paymentInterval", "P1M"),
            ("period", "P1Y"),
            ("cancellationInterval", "P1M"),
            ("referenceId", "SUB-1"),
        ],
    );
    wire.mount(&server, success(json!([subscription_json(55, "active", 2990)])))
        .await;

    let mut body = SubscriptionRequest::new(77, 36, "Monthly box", 2990, "CHF", "P1M", "P1Y", "P1M");
    body.reference_id = Some("SUB-1".into());
    let result = client.create_subscription(&body).await;
    wire.assert_sent(&server).await;
    let subscription = result.unwrap();
    assert_eq!(subscription.id, Some(55));
    assert_eq!(subscription.status, Some(SubscriptionStatus::Active));
    assert_eq!(subscription.psp_subscription_id.as_deref(), Some("sub_8f7e6d"));
    assert_eq!(subscription.user_id, Some(77));
}

#[tokio::test]
async fn list_subscriptions() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Subscription/", &[]);
    wire.mount(
        &server,
        success(json!([
            subscription_json(55, "active", 2990),
            subscription_json(56, "in_notice", 1990)
        ])),
    )
    .await;

    let result = client.list_subscriptions().await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let subscriptions = result.unwrap();
    assert_eq!(subscriptions.len(), 2);
    assert_eq!(subscriptions[1].id, Some(56));
    assert_eq!(subscriptions[1].status, Some(SubscriptionStatus::InNotice));
}

#[tokio::test]
async fn get_subscription() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Subscription/55/", &[]);
    wire.mount(&server, success(json!([subscription_json(55, "active", 2990)])))
        .await;

    let result = client.get_subscription(55).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let subscription = result.unwrap();
    assert_eq!(subscription.id, Some(55));
    assert_eq!(subscription.next_pay_date, Some(json!("2026-02-01")));
    assert_eq!(subscription.valid_until.as_deref(), Some("2026-12-31"));
}

#[tokio::test]
async fn update_subscription() {
    let (server, client) = setup().await;
    let wire = Wire::new("PUT", "/Subscription/55/", &[("amount", "3490"), ("currency", "CHF")]);
    wire.mount(&server, success(json!([subscription_json(55, "active", 3490)])))
        .await;

    let body = paykit::runtime::build!(SubscriptionUpdateRequest {
        amount: Some(3490),
        currency: Some("CHF".into()),
    });
    let result = client.update_subscription(55, &body).await;
    wire.assert_sent(&server).await;
    let subscription = result.unwrap();
    assert_eq!(subscription.id, Some(55));
    assert_eq!(subscription.amount, Some(3490));
}

#[tokio::test]
async fn cancel_subscription() {
    let (server, client) = setup().await;
    let wire = Wire::new("DELETE", "/Subscription/55/", &[]);
    wire.mount(&server, success(json!([subscription_json(55, "cancelled", 2990)])))
        .await;

    let result = client.cancel_subscription(55).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    assert_eq!(
        result.unwrap().as_ref().and_then(|s| s.status.clone()),
        Some(SubscriptionStatus::Cancelled)
    );
}

// ---------------------------------------------------------------------------------------------
// Transaction
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_transactions() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "GET",
        "/Transaction/",
        &[
            ("filterDatetimeUtcGreaterThan", "2026-01-01 00:00:00"),
            ("filterDatetimeUtcLessThan", "2026-01-31 23:59:59"),
            ("filterMyTransactionsOnly", "1"),
            ("orderByTime", "DESC"),
            ("offset", "20"),
            ("limit", "10"),
        ],
    );
    wire.mount(
        &server,
        success(json!([
            transaction_json(2002, "confirmed", 8925),
            transaction_json(2001, "partially-refunded", 8925)
        ])),
    )
    .await;

    let params = paykit::runtime::build!(ListTransactionsParams {
        filter_datetime_utc_greater_than: Some("2026-01-01 00:00:00".into()),
        filter_datetime_utc_less_than: Some("2026-01-31 23:59:59".into()),
        filter_my_transactions_only: Some(1),
        order_by_time: Some(types::ListTransactionsOrderByTime::Desc),
        offset: Some(20),
        limit: Some(10),
    });
    let result = client.list_transactions(params).await;
    let sent = wire.assert_sent(&server).await;
    // The query is the signed string itself, between `instance` and the signature.
    let query = sent.url.query().unwrap_or_default();
    assert!(
        query.starts_with(
            "instance=demo&filterDatetimeUtcGreaterThan=2026-01-01+00%3A00%3A00\
             &filterDatetimeUtcLessThan=2026-01-31+23%3A59%3A59&filterMyTransactionsOnly=1\
             &orderByTime=DESC&offset=20&limit=10&ApiSignature="
        ),
        "{query}"
    );
    let transactions = result.unwrap();
    assert_eq!(transactions.len(), 2);
    assert_eq!(transactions[0].id, Some(2002));
    assert_eq!(transactions[1].status, Some(TransactionStatus::PartiallyRefunded));
}

/// Offset paging: every page is its own signed request (the server checks each signature); the
/// offset counts the transactions seen, and an empty page ends the walk.
#[tokio::test]
async fn list_transactions_stream_walks_every_page_by_offset() {
    let (server, client) = setup().await;
    let pages = [
        (
            None,
            json!([
                transaction_json(2001, "confirmed", 100),
                transaction_json(2002, "confirmed", 200)
            ]),
        ),
        (Some("2"), json!([transaction_json(2003, "confirmed", 300)])),
        (Some("3"), json!([])),
    ];
    for (offset, data) in pages {
        let mut params = vec![("orderByTime", "DESC")];
        params.extend(offset.map(|offset| ("offset", offset)));
        params.push(("limit", "2"));
        Wire::new("GET", "/Transaction/", &params)
            .mount(&server, success(data))
            .await;
    }

    let params = paykit::runtime::build!(ListTransactionsParams {
        order_by_time: Some(types::ListTransactionsOrderByTime::Desc),
        limit: Some(2),
    });
    let stream = client.list_transactions_stream(params);
    let ids: Vec<_> = stream.map(|item| item.expect("a transaction").id).collect().await;
    assert_eq!(ids, [Some(2001), Some(2002), Some(2003)]);
}

#[tokio::test]
async fn list_transactions_without_filters_signs_the_empty_string() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Transaction/", &[]);
    wire.mount(&server, success(json!([]))).await;

    let result = client.list_transactions(Default::default()).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    assert!(result.unwrap().is_empty());
}

#[tokio::test]
async fn create_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Transaction/",
        &[
            ("amount", "8925"),
            ("currency", "CHF"),
            ("purpose", "Phone order ~ #7"),
            ("vatRate", "7.7"),
            ("fields[forename][value]", "Max"),
            ("fields[surname][value]", "Muster"),
            ("fields[email][value]", "max.muster@example.com"),
            ("referenceId", "MOTO-7"),
        ],
    );
    wire.mount(&server, success(json!([transaction_json(2003, "waiting", 8925)])))
        .await;

    let mut body = TransactionRequest::new(8925, "CHF");
    body.purpose = Some("Phone order ~ #7".into());
    body.vat_rate = Some(7.7);
    let value = |v: &str| {
        Some(paykit::runtime::build!(GatewayFieldValue {
            value: Some(v.to_owned()),
        }))
    };
    body.fields = Some(paykit::runtime::build!(GatewayFields {
        forename: value("Max"),
        surname: value("Muster"),
        email: value("max.muster@example.com"),
    }));
    body.reference_id = Some("MOTO-7".into());
    let result = client.create_transaction(&body).await;
    wire.assert_sent(&server).await;
    let transaction = result.unwrap();
    assert_eq!(transaction.id, Some(2003));
    assert_eq!(transaction.status, Some(TransactionStatus::Waiting));
}

#[tokio::test]
async fn get_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/Transaction/2001/", &[]);
    wire.mount(&server, success(json!([transaction_json(2001, "confirmed", 8925)])))
        .await;

    let result = client.get_transaction(2001).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    let transaction = result.unwrap();
    assert_eq!(transaction.id, Some(2001));
    assert_eq!(transaction.uuid, Some(TransactionUuid::String("82m09f9".into())));
    assert_eq!(transaction.status, Some(TransactionStatus::Confirmed));
    assert_eq!(transaction.psp_id, Some(36));
    assert_eq!(transaction.payment.as_ref().unwrap()["brand"], "visa");
    let invoice = transaction.invoice.as_ref().expect("invoice");
    assert_eq!(invoice.original_amount, Some(8925));
    assert_eq!(invoice.products.as_ref().unwrap()[0].price, Some(1250.0));
    let contact = transaction.contact.as_ref().expect("contact");
    assert_eq!(contact.firstname.as_deref(), Some("Max"));
    assert_eq!(contact.country_iso.as_deref(), Some("CH"));
    assert_eq!(transaction.refundable, Some(true));
}

#[tokio::test]
async fn charge_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Transaction/2001/",
        &[
            ("amount", "5000"),
            ("purpose", "Partial charge"),
            ("referenceId", "ORD-1-C1"),
        ],
    );
    let mut charged = transaction_json(2004, "confirmed", 5000);
    charged["referenceId"] = json!("ORD-1-C1");
    wire.mount(&server, success(json!([charged]))).await;

    let body = paykit::runtime::build!(TransactionChargeRequest {
        amount: Some(5000),
        purpose: Some("Partial charge".into()),
        reference_id: Some("ORD-1-C1".into()),
        payout_descriptor: None,
    });
    let result = client.charge_transaction(2001, Some(&body)).await;
    wire.assert_sent(&server).await;
    let transaction = result.unwrap();
    assert_eq!(transaction.id, Some(2004));
    assert_eq!(transaction.amount, Some(5000));
    assert_eq!(transaction.reference_id.as_deref(), Some("ORD-1-C1"));
}

#[tokio::test]
async fn charge_transaction_without_body_sends_only_the_signature() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/Transaction/2001/", &[]);
    wire.mount(&server, success(json!([transaction_json(2004, "confirmed", 8925)])))
        .await;

    let result = client.charge_transaction(2001, None).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    assert_eq!(result.unwrap().amount, Some(8925));
}

#[tokio::test]
async fn delete_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new("DELETE", "/Transaction/2001/", &[]);
    wire.mount(&server, success(json!([transaction_json(2001, "cancelled", 8925)])))
        .await;

    let result = client.delete_transaction(2001).await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(signature_of(&sent), EMPTY_SIGNATURE);
    assert_eq!(
        result.unwrap().as_ref().and_then(|t| t.status.clone()),
        Some(TransactionStatus::Cancelled)
    );
}

#[tokio::test]
async fn refund_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/Transaction/2001/refund", &[("amount", "1000")]);
    let mut refund = transaction_json(2005, "refunded", 1000);
    refund["originalTransactionId"] = json!(2001);
    wire.mount(&server, success(json!([refund]))).await;

    let body = paykit::runtime::build!(TransactionRefundRequest { amount: Some(1000) });
    let result = client.refund_transaction(2001, Some(&body)).await;
    wire.assert_sent(&server).await;
    let refund = result.unwrap();
    assert_eq!(refund.status, Some(TransactionStatus::Refunded));
    assert_eq!(refund.original_transaction_id, Some(2001));
}

#[tokio::test]
async fn capture_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/Transaction/2001/capture", &[("amount", "8925")]);
    wire.mount(&server, success(json!([transaction_json(2001, "confirmed", 8925)])))
        .await;

    let body = paykit::runtime::build!(TransactionCaptureRequest { amount: Some(8925) });
    let result = client.capture_transaction(2001, Some(&body)).await;
    wire.assert_sent(&server).await;
    let transaction = result.unwrap();
    assert_eq!(transaction.id, Some(2001));
    assert_eq!(transaction.status, Some(TransactionStatus::Confirmed));
}

#[tokio::test]
async fn pre_authorize_transaction() {
    let (server, client) = setup().await;
    let wire = Wire::new("POST", "/Transaction/2001/preAuthorize", &[("amount", "4900")]);
    let mut authorized = transaction_json(2006, "authorized", 4900);
    authorized["preAuthorizationId"] = json!(2001);
    wire.mount(&server, success(json!([authorized]))).await;

    let result = client
        .pre_authorize_transaction(2001, &TransactionPreAuthorizeRequest::new(4900))
        .await;
    wire.assert_sent(&server).await;
    let transaction = result.unwrap();
    assert_eq!(transaction.id, Some(2006));
    assert_eq!(transaction.status, Some(TransactionStatus::Authorized));
    assert_eq!(transaction.pre_authorization_id, Some(2001));
}

#[tokio::test]
async fn send_transaction_receipt() {
    let (server, client) = setup().await;
    let wire = Wire::new(
        "POST",
        "/Transaction/2001/receipt",
        &[("recipient", "max.muster+receipts@example.com")],
    );
    wire.mount(&server, success(json!([transaction_json(2001, "confirmed", 8925)])))
        .await;

    let result = client
        .send_transaction_receipt(2001, &TransactionReceiptRequest::new("max.muster+receipts@example.com"))
        .await;
    let sent = wire.assert_sent(&server).await;
    let raw = String::from_utf8(sent.body.clone()).expect("UTF-8 body");
    assert!(
        raw.starts_with("recipient=max.muster%2Breceipts%40example.com&ApiSignature="),
        "{raw}"
    );
    assert_eq!(result.unwrap().id, Some(2001));
}

// ---------------------------------------------------------------------------------------------
// SignatureCheck
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_signature() {
    let (server, client) = setup().await;
    let wire = Wire::new("GET", "/SignatureCheck/", &[]);
    wire.mount(&server, success(json!([{}]))).await;

    let result = client.check_signature().await;
    let sent = wire.assert_sent(&server).await;
    assert_eq!(
        sent.url.query(),
        Some("instance=demo&ApiSignature=8isAVUXVAB%2BL7tN283iPWFCuV46zbEulNIdpox9E%2FRs%3D")
    );
    let checks = result.unwrap();
    assert_eq!(checks.len(), 1);
    assert!(checks[0].is_empty());
}

// ---------------------------------------------------------------------------------------------
// The provider notes' worked examples (§4) and the test server itself
// ---------------------------------------------------------------------------------------------

/// The notes' nested Gateway example, parameters in the notes' order.
fn notes_gateway_example() -> Value {
    json!({
        "amount": 8925, "currency": "CHF", "purpose": "Order #1 ~ test", "psp": [36, 44],
        "preAuthorization": false, "skipResultPage": true, "referenceId": "ORD-1",
        "fields": {"email": {"value": "max.muster@example.com"}, "forename": {"value": "Max"}},
        "basket": [{"name": "T-Shirt", "quantity": 2, "amount": 2500},
                   {"name": "Versand", "quantity": 1, "amount": 3925}],
        "successRedirectUrl": "https://shop.example/ok?x=1", "model": "Gateway"
    })
}

/// The notes' "Signed string (RFC 1738)" of that example.
const NOTES_GATEWAY_SIGNED: &str = "amount=8925&currency=CHF&purpose=Order+%231+%7E+test&psp%5B0%5D=36&psp%5B1%5D=44\
&preAuthorization=0&skipResultPage=1&referenceId=ORD-1&fields%5Bemail%5D%5Bvalue%5D=max.muster%40example.com\
&fields%5Bforename%5D%5Bvalue%5D=Max&basket%5B0%5D%5Bname%5D=T-Shirt&basket%5B0%5D%5Bquantity%5D=2\
&basket%5B0%5D%5Bamount%5D=2500&basket%5B1%5D%5Bname%5D=Versand&basket%5B1%5D%5Bquantity%5D=1\
&basket%5B1%5D%5Bamount%5D=3925&successRedirectUrl=https%3A%2F%2Fshop.example%2Fok%3Fx%3D1&model=Gateway";
const NOTES_GATEWAY_SIGNATURE: &str = "RwF+o1Tt1bcrsFLVPGrFgMd4RrujUCA62VjWzc2z7CE=";

#[test]
fn notes_worked_examples_match_the_signer() {
    // Every row of the notes' table (§4, secret `example-api-secret`): params, signed string, signature.
    let cases = [
        (json!({}), "", EMPTY_SIGNATURE),
        (
            json!({"id": 1, "model": "Gateway"}),
            "id=1&model=Gateway",
            "ujpYhQj2mDmtvWcYtzMQwwXXtJ56bK1ClKc3Sxcgcn0=",
        ),
        (
            json!({"userId": 1}),
            "userId=1",
            "Z22guSATvOBNt8tPR6qvkxtiT4AmBO67d5ITRKwPcKU=",
        ),
        (
            json!({"userId": 1, "model": "AuthToken"}),
            "userId=1&model=AuthToken",
            "60nDPbt/YDzQJJhjAyzVjNJiKZIbnEzV/cZzDzOjs0w=",
        ),
        (notes_gateway_example(), NOTES_GATEWAY_SIGNED, NOTES_GATEWAY_SIGNATURE),
    ];
    for (params, signed, signature) in cases {
        assert_eq!(signing::http_build_query(&params), signed, "{params}");
        assert_eq!(signing::api_signature(&params, SECRET), signature, "{params}");
        // The test server's own HMAC agrees with PHP on the notes' strings.
        assert_eq!(php_hmac_base64(SECRET, signed), signature, "{signed:?}");
    }
}

#[test]
fn test_server_accepts_the_php_sdks_own_wire_body() {
    // What the PHP SDK transmits for the notes' example: the RFC 3986 variant of the signed string
    // (`%20`, literal `~`), the signature, and a leftover `instance` in the body (§3, §4).
    let body = format!(
        "{}&ApiSignature=RwF%2Bo1Tt1bcrsFLVPGrFgMd4RrujUCA62VjWzc2z7CE%3D&instance=demo",
        NOTES_GATEWAY_SIGNED.replace('+', "%20").replace("%7E", "~")
    );
    let pairs = decode_pairs(body.as_bytes());
    assert_eq!(php_check_signature(&pairs, SECRET), Ok(()));

    // Anything else is refused: another secret, a changed value, a reordered pair, no signature.
    assert!(php_check_signature(&pairs, "another-secret").is_err());
    let tampered = decode_pairs(body.replacen("amount=8925", "amount=8926", 1).as_bytes());
    assert!(php_check_signature(&tampered, SECRET).is_err());
    let mut reordered = pairs.clone();
    reordered.swap(0, 1);
    assert!(php_check_signature(&reordered, SECRET).is_err());
    let unsigned: Vec<_> = pairs.iter().filter(|(k, _)| k != "ApiSignature").cloned().collect();
    assert_eq!(
        php_check_signature(&unsigned, SECRET),
        Err("ApiSignature is missing".to_owned())
    );
}

#[test]
fn test_server_parses_bracket_keys_like_php() {
    // Expected values printed by PHP 8's `parse_str` (a PHP list `["v"]` is the array [0 => "v"]).
    let cases = [
        ("a[b][0]=v&a[c]=w&x=1", r#"{"a":{"b":{"0":"v"},"c":"w"},"x":"1"}"#),
        ("a[]=x&a[]=y&a[5]=z&a[]=q", r#"{"a":{"0":"x","1":"y","5":"z","6":"q"}}"#),
        ("a[b][]=1&a[b][]=2", r#"{"a":{"b":{"0":"1","1":"2"}}}"#),
        ("a[01]=1&a[1]=2&a[]=4", r#"{"a":{"01":"1","1":"2","2":"4"}}"#),
        ("a[+]=1&a[+]=2", r#"{"a":{"0":"1","1":"2"}}"#),
        ("c=1&b=2&c=3", r#"{"c":"3","b":"2"}"#),
        ("x[a]=1&x=2", r#"{"x":"2"}"#),
        ("x=2&x[a]=1", r#"{"x":{"a":"1"}}"#),
        ("a.b=1&a+b=2&c=3", r#"{"a_b":"2","c":"3"}"#),
        ("+a=1", r#"{"a":"1"}"#),
        ("a[b=1", r#"{"a_b":"1"}"#),
        ("a+b[c.d=1", r#"{"a_b_c_d":"1"}"#),
        ("a[b][c=1", r#"{"a":{"b":"1"}}"#),
        ("a[b]c=1&a[d]=2", r#"{"a":{"b":"1","d":"2"}}"#),
        ("a[b[c]=1", r#"{"a":{"b[c":"1"}}"#),
        ("a[x.y][z+w]=1", r#"{"a":{"x.y":{"z w":"1"}}}"#),
        ("[a]=1&=2", r#"{}"#),
        (
            "fields%5Bemail%5D%5Bvalue%5D=a%40b.c&psp%5B0%5D=36",
            r#"{"fields":{"email":{"value":"a@b.c"}},"psp":{"0":"36"}}"#,
        ),
    ];
    for (query, php) in cases {
        let parsed = php_parse_str(&decode_pairs(query.as_bytes()));
        // Compared as text: the order of keys is part of what PHP would sign.
        assert_eq!(Value::Object(parsed).to_string(), php, "{query}");
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn wrong_secret_is_a_typed_401() {
    let server = MockServer::start().await;
    let client = client_for(&server, "not-the-api-secret");
    Mock::given(method("GET"))
        .and(path("/SignatureCheck/"))
        .respond_with(PhpServer::new(SECRET, success(json!([{}]))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Invoice/"))
        .respond_with(PhpServer::new(SECRET, success(json!([invoice_json()]))))
        .expect(1)
        .mount(&server)
        .await;
    let documented = paykit::runtime::build!(types::Error {
        message: Some(INVALID_SIGNATURE.into()),
        ..types::Error::new("error")
    });
    let raw = json!({"status": "error", "message": INVALID_SIGNATURE}).to_string();

    let err = client.check_signature().await.unwrap_err();
    let Error::Api(response) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.body, documented);
    assert_eq!(response.raw, raw);
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));

    let body = InvoiceRequest::new("T", "D", "R", "P", 100, "CHF");
    let err = client.create_invoice(&body).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    match err.api_error() {
        Some(body) => assert_eq!(body.message.as_deref(), Some(INVALID_SIGNATURE)),
        None => panic!("expected a typed 401, got {err:?}"),
    }
    // The 401 is final: one request each, no retry.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn not_found_404_is_a_typed_api_error() {
    let (server, client) = setup().await;
    let message = "No Gateway found with id 99";
    let wire = Wire::new("GET", "/Gateway/99/", &[]);
    wire.mount(&server, error_reply(404, message)).await;

    let err = client.get_gateway(99).await.unwrap_err();
    wire.assert_sent(&server).await;
    let Error::Api(response) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    let body = &response.body;
    assert_eq!(body.status, "error");
    assert_eq!(body.message.as_deref(), Some(message));
    assert_eq!(response.raw, json!({"status": "error", "message": message}).to_string());
}

#[tokio::test]
async fn empty_data_on_a_get_is_a_decode_error_with_the_raw_body() {
    let (server, client) = setup().await;
    let envelope = json!({"status": "success", "data": []});
    let wire = Wire::new("GET", "/Transaction/2001/", &[]);
    wire.mount(&server, json_reply(200, &envelope)).await;

    let err = client.get_transaction(2001).await.unwrap_err();
    wire.assert_sent(&server).await;
    let Error::Decode { response, source } = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.raw, envelope.to_string());
    assert!(source.to_string().contains("/data/0"), "{source}");
    assert_eq!(err.raw_body(), Some(envelope.to_string().as_str()));
}

#[tokio::test]
async fn empty_data_on_a_delete_is_a_success_with_nothing_returned() {
    let (server, client) = setup().await;
    let envelope = json!({"status": "success", "data": []});
    let wire = Wire::new("DELETE", "/Transaction/2001/", &[]);
    wire.mount(&server, json_reply(200, &envelope)).await;

    let deleted = client
        .delete_transaction(2001)
        .await
        .expect("a deletion, answered with no data");
    wire.assert_sent(&server).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_eq!(*deleted, None);
}

#[tokio::test]
async fn html_on_200_is_a_decode_error() {
    let (server, client) = setup().await;
    let html = "<!DOCTYPE html><html><body><h1>Configuration is wrong</h1></body></html>";
    let wire = Wire::new("GET", "/Page/12/", &[]);
    wire.mount(
        &server,
        ResponseTemplate::new(200).set_body_raw(html, "text/html; charset=UTF-8"),
    )
    .await;

    let err = client.get_page(12).await.unwrap_err();
    wire.assert_sent(&server).await;
    let Error::Decode { response, .. } = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.raw, html);
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_secret_never_shows_in_debug_errors_or_on_the_wire() {
    let (server, client) = setup().await;
    let shown = format!("{client:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    let signer = format!("{:?}", ApiSignature::new(SECRET).expect("secret"));
    assert!(!signer.contains(SECRET), "{signer}");

    // A documented error (the server knows another secret), a decode error, a transport error.
    Mock::given(method("POST"))
        .and(path("/Gateway/"))
        .respond_with(PhpServer::new(
            "the-servers-secret",
            success(json!([samples::vrpay_gateway()])),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Gateway/4711/"))
        .respond_with(PhpServer::new(
            SECRET,
            ResponseTemplate::new(200).set_body_string("<html>"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let api = client.create_gateway(&gateway_request()).await.unwrap_err();
    let decode = client.get_gateway(4711).await.unwrap_err();
    assert!(
        matches!(&api, Error::Api(r) if r.status == StatusCode::UNAUTHORIZED),
        "{api:?}"
    );
    assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");

    // A port nothing listens on (wiremock pools its servers, so a dropped one may still answer).
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address")
    };
    let offline = Client::new(
        format!("http://{closed}"),
        INSTANCE,
        ApiSignature::new(SECRET).expect("secret"),
    )
    .expect("client");
    let transport = offline.check_signature().await.unwrap_err();
    assert!(matches!(transport, Error::Transport(_)), "{transport:?}");

    for shown in [
        format!("{api:?}"),
        format!("{api}"),
        format!("{decode:?}"),
        format!("{decode}"),
        format!("{transport:?}"),
        format!("{transport}"),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }

    // Only the signature travels; the secret itself is in no URL, header or body.
    for request in server.received_requests().await.unwrap() {
        let headers = format!("{:?}", request.headers);
        let body = String::from_utf8_lossy(&request.body).into_owned();
        for part in [request.url.as_str(), headers.as_str(), body.as_str()] {
            assert!(!part.contains(SECRET), "{part}");
        }
    }
}
