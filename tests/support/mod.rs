//! Wiremock helpers the client tests share.
// Each test file is its own crate and uses a subset of these.
#![allow(dead_code)]

pub mod fault;
pub mod samples;

use serde_json::Value;
use wiremock::{Match, Request, ResponseTemplate};

/// Matches only when the query string holds exactly these pairs (in any order), so a parameter
/// the caller left out cannot slip onto the wire. `&[]` means "no query at all".
pub fn query_is(expected: &[(&str, &str)]) -> impl Match + use<> {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    expected.sort();
    move |r: &Request| {
        let mut got: Vec<(String, String)> = r
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        got.sort();
        got == expected
    }
}

/// A request without a body.
pub fn no_body(r: &Request) -> bool {
    r.body.is_empty() && !r.headers.contains_key("content-type")
}

/// A request without an `Authorization` header.
pub fn no_authorization(r: &Request) -> bool {
    !r.headers.contains_key("authorization")
}

/// The default retry policy without its waits: provider tests that meet a retry do not sleep.
/// (The waits themselves are tested on a paused clock in `tests/lifecycle.rs`.)
pub fn retries_without_waiting() -> paykit::runtime::RetryPolicy {
    paykit::runtime::RetryPolicy::default().backoff(std::time::Duration::ZERO, std::time::Duration::ZERO)
}

/// A transport for `uri` with [`retries_without_waiting`].
pub fn transport(uri: String) -> paykit::runtime::TransportBuilder {
    paykit::runtime::Transport::builder(uri).retry(retries_without_waiting())
}

/// A 200 with a JSON body.
pub fn ok_json(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}
