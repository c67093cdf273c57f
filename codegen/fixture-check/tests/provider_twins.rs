//! The differential test of `paykit_runtime::object!` on the five provider clients' structs
//! (see `src/twin.rs`), and their documented success examples, which both forms must decode.

mod twin {
    pub use paykit_codegen_fixtures::twin::*;
}

macro_rules! providers {
    ($($name:ident),*) => {
        $(mod $name {
            include!(concat!(env!("OUT_DIR"), "/providers/", stringify!($name), ".rs"));
        })*
        const PROVIDERS: &[(&str, &[twin::Struct], &[twin::Example])] =
            &[$((stringify!($name), $name::STRUCTS, $name::EXAMPLES)),*];
    };
}

providers!(payrequest, vendreo, vinr, vpay, vrpay_secure);

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn provider_structs_decode_and_encode_as_serde_derive_does(seed in any::<u64>()) {
        for &(provider, structs, _) in PROVIDERS {
            let mut inputs = twin::Inputs::new(seed, structs);
            for target in structs {
                let json = inputs.object(target, 3);
                if let Err(difference) = (target.check)(&json) {
                    prop_assert!(false, "{provider}::{}: {json}\n{difference}", target.name);
                }
            }
        }
    }
}

#[test]
fn documented_examples_decode_alike() {
    let mut checked = 0;
    for &(provider, _, examples) in PROVIDERS {
        for example in examples {
            assert!(
                (example.object.decode)(example.json),
                "{provider} {}",
                example.operation
            );
            assert!(
                (example.derive.decode)(example.json),
                "{provider} {}",
                example.operation
            );
            let (object, derive) = (
                (example.object.encoder)(example.json),
                (example.derive.encoder)(example.json),
            );
            assert_eq!(
                object.map(|f| f()),
                derive.map(|f| f()),
                "{provider} {}",
                example.operation
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} examples");
}
