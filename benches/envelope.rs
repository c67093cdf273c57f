//! Reading VR pay's enveloped answers (`{"status": "success", "data": [...]}`): the runtime seeks
//! `/data` while it reads the body, metered (`paykit::runtime::decode::from_slice_at`), where it
//! used to build the whole envelope as a JSON tree and decode the value from that tree. A list of
//! 50 transactions.
//!
//! Run: `cargo bench --bench envelope`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use paykit::vrpay_secure::types::Transaction;
use serde_json::Value;

const ITEM: &str = r#"{"id": 1, "uuid": "a1b2c3", "status": "confirmed", "amount": 8925, "currency": "CHF",
    "time": "2024-01-01 12:00:00", "pageUuid": "p1", "psp": "VR pay",
    "invoice": {"referenceId": "order-1", "currency": "CHF", "originalAmount": 8925}}"#;

fn body() -> Vec<u8> {
    format!(r#"{{"status": "success", "data": [{}]}}"#, vec![ITEM; 50].join(",")).into_bytes()
}

/// The former way: the whole envelope as a tree, then the value taken out of it.
fn through_a_tree(body: &[u8]) -> Option<Vec<Transaction>> {
    let mut envelope: Value = serde_json::from_slice(body).ok()?;
    serde_json::from_value(envelope.pointer_mut("/data")?.take()).ok()
}

fn bench(c: &mut Criterion) {
    let body = body();
    let sought: Vec<Transaction> = paykit::runtime::decode::from_slice_at(&body, "/data").expect("decodes");
    assert_eq!(through_a_tree(&body).as_ref(), Some(&sought));
    let mut group = c.benchmark_group("envelope_vrpay_list_transactions");
    group.bench_function("json_tree", |b| b.iter(|| through_a_tree(black_box(&body))));
    group.bench_function("metered_seek", |b| {
        b.iter(|| paykit::runtime::decode::from_slice_at::<Vec<Transaction>>(black_box(&body), "/data"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
