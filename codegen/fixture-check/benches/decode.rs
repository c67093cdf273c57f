//! Decoding and encoding speed of the generated structs (`paykit_runtime::object!`) against
//! their `#[derive(Serialize, Deserialize)]` twins, on each provider's documented success bodies
//! (the examples of its spec), in the same run. Each iteration decodes (or encodes) every example
//! of the provider once. Goal: the generated form at least as fast (derive time / object time ≥
//! 1.0; compare the medians in `target/criterion/{decode,encode}_*/*/new/estimates.json`).
//! `decode_*/metered` decodes the generated form as clients decode a response, within the memory
//! budget of `paykit_runtime::decode`: its cost against `decode_*/object`.
//!
//! Run: `cargo bench -p paykit-codegen-fixtures --bench decode`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

mod twin {
    pub use paykit_codegen_fixtures::twin::*;
}

macro_rules! providers {
    ($($name:ident),*) => {
        $(#[allow(dead_code, unused_imports, clippy::all)] mod $name {
            include!(concat!(env!("OUT_DIR"), "/providers/", stringify!($name), ".rs"));
        })*
        const PROVIDERS: &[(&str, &[twin::Example])] = &[$((stringify!($name), $name::EXAMPLES)),*];
    };
}

providers!(payrequest, vendreo, vinr, vpay, vrpay_secure);

/// Which of an example's two forms to run.
type Form = fn(&twin::Example) -> &twin::Codec;

/// The generated form and its derived twin, side by side.
const FORMS: [(&str, Form); 2] = [("object", |e| &e.object), ("derive", |e| &e.derive)];

fn bench(c: &mut Criterion) {
    for &(provider, examples) in PROVIDERS {
        let mut decode = c.benchmark_group(format!("decode_{provider}"));
        for (label, codec) in FORMS {
            decode.bench_function(label, |b| {
                b.iter(|| examples.iter().filter(|e| (codec(e).decode)(black_box(e.json))).count())
            });
        }
        decode.bench_function("metered", |b| {
            b.iter(|| {
                examples
                    .iter()
                    .filter(|e| (e.object.metered)(black_box(e.json)))
                    .count()
            })
        });
        decode.finish();
        let mut encode = c.benchmark_group(format!("encode_{provider}"));
        for (label, codec) in FORMS {
            let encoders: Vec<_> = examples.iter().filter_map(|e| (codec(e).encoder)(e.json)).collect();
            encode.bench_function(label, |b| {
                b.iter(|| encoders.iter().map(|f| black_box(f())).sum::<usize>())
            });
        }
        encode.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
