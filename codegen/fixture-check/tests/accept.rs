//! Each emitted operation asks for what its documented responses come in (`Accept`), read back on
//! a local wiremock server: all their media types, JSON only where one is JSON, and none of its
//! own where no response documents a body (the HTTP client's `*/*` then).

use paykit_codegen_fixtures::{parameters, responses};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The `Accept` header of every request the server received, by path.
async fn accepted(server: &MockServer) -> Vec<(String, Option<String>)> {
    let requests = server.received_requests().await.expect("request recording is on");
    requests
        .iter()
        .map(|r| {
            let accept = r.headers.get("accept").and_then(|v| v.to_str().ok()).map(str::to_owned);
            (r.url.path().to_owned(), accept)
        })
        .collect()
}

#[tokio::test]
async fn each_operation_accepts_the_media_types_of_its_documented_responses() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = responses::Client::new(server.uri()).expect("client");
    // The answers do not matter here, only what was asked for.
    let _ = client.create_job().await;
    let _ = client.get_job_log("j1").await;
    let _ = client.get_artifact("j1").await;
    let _ = client.ping().await;
    let client = parameters::Client::new(server.uri(), "eu").expect("client");
    let _ = client.list_widgets().await;

    let some = |accept: &str| Some(accept.to_owned());
    assert_eq!(
        accepted(&server).await,
        [
            // JSON, the problem+json of its 4XX, and the text of its default answer.
            (
                "/jobs".to_owned(),
                some("application/json, application/problem+json, text/plain")
            ),
            ("/jobs/j1/log".to_owned(), some("text/plain")),
            ("/jobs/j1/artifact".to_owned(), some("application/octet-stream")),
            // Only an error body is documented, and it is JSON.
            ("/ping".to_owned(), some("application/json")),
            // No response documents a body: nothing of its own, so reqwest's default.
            ("/things".to_owned(), some("*/*")),
        ]
    );
}
