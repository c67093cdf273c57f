//! What signing a VR pay secure request costs, and how that splits between form encoding and HMAC.
//!
//! One realistic `createGateway` body with 18 leaf parameters (amount, currency, redirect URLs, a
//! PSP list, contact `fields[..][value]`, a localized purpose with spaces, `#`, `~` and umlauts,
//! VAT rate, SKU), built as the generated client builds it: `Request::form` with the operation's
//! `deepObject` styles. Measured:
//!
//! * `vrpay_signing/authorize`: `ApiSignature::authorize` on a fresh clone of the request (cloning
//!   is not timed): `form::encode` of the pairs, `base64(HMAC-SHA256)` over them, the body as the
//!   signer sends it (with `&ApiSignature=…` appended), and dropping the pairs it replaces.
//!   Goal: ≤ 5 µs.
//! * `vrpay_signing/form_encode`: `form::encode` of the same pairs, the encoding part alone.
//! * `vrpay_signing/http_build_query`: `form::http_build_query` of the same parameters as JSON,
//!   flattening included (same output as `form_encode`).
//! * `vrpay_signing/hmac_sha256_base64`: the signature alone, over the encoded string.
//!
//! The future `authorize` returns is ready at once; it is polled once with a no-op waker, so no
//! executor is timed.
//!
//! Run: `cargo bench --bench signing`.

use std::collections::BTreeMap;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use paykit::runtime::form;
use paykit::runtime::{Auth, Body, Method, Request, signature};
use paykit::vrpay_secure::signing::ApiSignature;
use paykit::vrpay_secure::types::{GatewayFieldValue, GatewayFields, GatewayRequest};

const SECRET: &str = "secret";

fn gateway_request() -> GatewayRequest {
    let field = |value: &str| {
        Some(paykit::runtime::build!(GatewayFieldValue {
            value: Some(value.to_owned()),
        }))
    };
    let mut body = GatewayRequest::new(8925, "CHF");
    body.success_redirect_url = Some("https://shop.example/checkout/ok?order=ORD-2026-0042".into());
    body.failed_redirect_url = Some("https://shop.example/checkout/failed?order=ORD-2026-0042".into());
    body.psp = Some(vec![36, 44]);
    body.reference_id = Some("ORD-2026-0042".into());
    body.fields = Some(paykit::runtime::build!(GatewayFields {
        forename: field("Max"),
        surname: field("Muster"),
        email: field("max.muster@example.com"),
        street: field("Bahnhofstrasse 1"),
        postcode: field("8001"),
        place: field("Zürich"),
        country: field("CH"),
    }));
    body.purpose = Some(BTreeMap::from([
        ("1".to_owned(), "Bestellung #ORD-2026-0042 ~ T-Shirt Größe M".to_owned()),
        ("2".to_owned(), "Order #ORD-2026-0042 ~ T-shirt size M".to_owned()),
    ]));
    body.vat_rate = Some(7.7);
    body.sku = Some("TSHIRT-BLK-M".into());
    body
}

/// Polls a future that must complete without waiting.
fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future was expected to be ready at once"),
    }
}

fn signing(c: &mut Criterion) {
    let body = gateway_request();
    let mut request = Request::new("createGateway", Method::POST, "/Gateway/");
    // GatewayRequest's form styles (`deepObject` for its nested properties) come with the type.
    request.form(&body);
    let Body::Form(pairs) = request.body.clone() else {
        unreachable!("Request::form sets a form body")
    };
    assert_eq!(pairs.len(), 18, "{:?}", request.body);
    let params = serde_json::to_value(&body).unwrap();
    let encoded = form::encode(&pairs);
    assert_eq!(form::http_build_query(&params), encoded);

    let signer = ApiSignature::new(SECRET).unwrap();
    let mut signed = request.clone();
    ready(signer.authorize(&mut signed)).unwrap();
    // The signature covers exactly the encoded pairs (however the signer then writes the body).
    let signature = signature::hmac_sha256_base64(SECRET.as_bytes(), encoded.as_bytes());
    let signature_pair = form::encode(&[("ApiSignature".into(), signature)]);
    assert!(
        matches!(&signed.body, Body::EncodedForm(body) if body.ends_with(&format!("&{signature_pair}"))),
        "{:?}",
        signed.body
    );

    let mut group = c.benchmark_group("vrpay_signing");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("authorize", |b| {
        b.iter_batched(
            || request.clone(),
            |mut request| {
                ready(signer.authorize(&mut request)).unwrap();
                // Returned, so dropping the signed request is not timed either.
                request
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("form_encode", |b| b.iter(|| form::encode(black_box(&pairs))));
    group.bench_function("http_build_query", |b| {
        b.iter(|| form::http_build_query(black_box(&params)))
    });
    group.bench_function("hmac_sha256_base64", |b| {
        b.iter(|| signature::hmac_sha256_base64(black_box(SECRET.as_bytes()), black_box(encoded.as_bytes())))
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
