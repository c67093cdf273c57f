//! The long_tail fixture's emitted methods on a local wiremock server: parameters described by
//! `content`, a parameter templated into the path key's query string, a multipart body that is
//! not an object and a form body that is already text, as they arrive.

use paykit_codegen_fixtures::long_tail::{Client, GetReportParams, types};
use paykit_runtime::File;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn content_parameters_go_as_their_json_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        // `{"from":1,"to":2}`, every byte outside RFC 3986's unreserved set escaped.
        .and(path("/reports/%7B%22from%22%3A1%2C%22to%22%3A2%7D"))
        .and(query_param("filter", r#"{"status":"open","tags":["a","b"]}"#))
        .and(header("x-note", "plain text"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let range = paykit_runtime::build!(types::Range {
        from: Some(1),
        to: Some(2)
    });
    let filter = paykit_runtime::build!(types::Filter {
        status: Some("open".into()),
        tags: Some(vec!["a".into(), "b".into()]),
    });
    let params = paykit_runtime::build!(GetReportParams {
        filter: Some(filter),
        x_note: Some("plain text".into()),
    });
    client.get_report(&range, params).await.expect("sent");
}

#[tokio::test]
async fn a_content_parameter_left_out_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports/%7B%7D"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let range = paykit_runtime::build!(types::Range {});
    client
        .get_report(&range, GetReportParams::default())
        .await
        .expect("sent");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].url.query(), None);
    assert!(!requests[0].headers.contains_key("x-note"));
}

#[tokio::test]
async fn a_parameter_in_the_path_keys_query_string_is_a_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("q", "red & blue"))
        .and(query_param("kind", "item"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    client.search("red & blue").await.expect("sent");
}

#[tokio::test]
async fn a_binary_multipart_body_is_one_file_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let bytes = b"%PDF-1.7\n\0binary".to_vec();
    let file = File::new(bytes.clone())
        .file_name("a.pdf")
        .content_type("application/pdf");
    client.upload(&file).await.expect("sent");

    let requests = server.received_requests().await.expect("recording is on");
    let content_type = requests[0].headers.get("content-type").and_then(|v| v.to_str().ok());
    let boundary = multer::parse_boundary(content_type.unwrap_or_default()).expect("a multipart content type");
    let body = requests[0].body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed body") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(|m| m.to_string());
        parts.push((
            name,
            file_name,
            content_type,
            field.bytes().await.expect("bytes").to_vec(),
        ));
    }
    let expected = (
        "file".to_owned(),
        Some("a.pdf".to_owned()),
        Some("application/pdf".to_owned()),
        bytes,
    );
    assert_eq!(parts, [expected]);
}

#[tokio::test]
async fn a_text_form_body_goes_as_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tokens"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=client_credentials&scope=a%20b"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"code": "0", "area": 5126, "hint": 1})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let token = client
        .create_token("grant_type=client_credentials&scope=a%20b")
        .await
        .expect("sent");
    assert_eq!(token.area, Some(5126));
    assert_eq!(token.hint, Some(serde_json::json!(1)));
}
