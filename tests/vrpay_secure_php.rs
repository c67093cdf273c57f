//! VR pay secure's signer (`paykit_vrpay_secure::signing`) against real PHP: vectors from
//! `tests/php/vectors.php` (see `tests/php/README.md`). PHP is the oracle; expected strings are
//! never written by hand.

use paykit::vrpay_secure::signing::{api_signature, http_build_query};
use serde::Deserialize;
use serde_json::Value;

/// One case as `vectors.php` prints it.
#[derive(Deserialize)]
struct Vector {
    params: Value,
    query: String,
    signature: String,
    secret: String,
}

/// Checks every vector of `json` and returns how many there were; one failure report for all
/// mismatches, each with the params, PHP's output and ours.
fn check_vectors(source: &str, json: &str) -> usize {
    let vectors: Vec<Vector> =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{source} is not a vector list: {e}"));
    let mut failures = Vec::new();
    for (i, vector) in vectors.iter().enumerate() {
        let ours = http_build_query(&vector.params);
        let params = vector.params.to_string();
        if ours != vector.query {
            failures.push(format!(
                "#{i} params: {params}\n  php:  {}\n  ours: {ours}",
                vector.query
            ));
            continue;
        }
        let signature = api_signature(&vector.params, &vector.secret);
        if signature != vector.signature {
            failures.push(format!(
                "#{i} signature of {ours:?} with secret {:?}\n  php:  {}\n  ours: {signature}",
                vector.secret, vector.signature
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors in {source} differ from PHP:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
    vectors.len()
}

/// The vectors only mean something if serde_json reads PHP's floats as the same doubles PHP's
/// `json_decode` does; by default it can land 1 ULP off (this one became `8.321862629764651e-20`,
/// and PHP's 14-digit output then differed), hence the `float_roundtrip` dev-dependency feature.
#[test]
fn serde_json_reads_floats_like_php() {
    let text = "8.32186262976465e-20";
    let parsed: f64 = serde_json::from_str(text).expect("a JSON number");
    let exact: f64 = text.parse().expect("a float");
    assert_eq!(
        parsed.to_bits(),
        exact.to_bits(),
        "enable serde_json's float_roundtrip feature"
    );
}

#[test]
fn committed_vectors_match_php() {
    let count = check_vectors(
        "tests/fixtures/php_http_build_query.json",
        include_str!("fixtures/php_http_build_query.json"),
    );
    assert!(
        count >= 200,
        "the committed fixture should hold at least 200 vectors, has {count}"
    );
}

#[test]
#[ignore = "needs PHP: set PAYKIT_PHP_VECTORS as tests/php/README.md says, then run with --ignored"]
fn live_php_vectors_match() {
    let path = std::env::var_os("PAYKIT_PHP_VECTORS")
        .filter(|p| !p.is_empty())
        .expect("PAYKIT_PHP_VECTORS names a file of fresh PHP vectors (see tests/php/README.md)");
    let source = path.to_string_lossy().into_owned();
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
    let count = check_vectors(&source, &json);
    eprintln!("{count} live PHP vectors from {source} match");
}
