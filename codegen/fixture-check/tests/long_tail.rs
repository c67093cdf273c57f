//! The long_tail fixture's emitted methods on a local wiremock server: parameters described by
//! `content`, a parameter templated into the path key's query string, a multipart body that is
//! not an object and a form body that is already text, as they arrive.

use paykit_codegen_fixtures::long_tail::{Client, GetReportParams, types};
use paykit_runtime::File;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;

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
    let parts = support::parts(&requests[0]).await;
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

#[tokio::test]
async fn a_list_form_body_is_the_form_text_the_caller_writes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/studio"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("tasks%5B0%5D%5Bname%5D=cut"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    client.edit_video("tasks%5B0%5D%5Bname%5D=cut").await.expect("sent");
}

#[tokio::test]
async fn a_form_property_of_json_content_type_is_its_json_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/aggregate"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        // `filter={"status":"a b","tags":["x"]}&name=n`, RFC 1738 form-encoded; no header added.
        .and(body_string(
            "filter=%7B%22status%22%3A%22a+b%22%2C%22tags%22%3A%5B%22x%22%5D%7D&name=n",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let filter = paykit_runtime::build!(types::Filter {
        status: Some("a b".into()),
        tags: Some(vec!["x".into()]),
    });
    let body = paykit_runtime::build!(types::AggregateBody {
        filter: Some(filter),
        name: Some("n".into()),
    });
    client.aggregate(&body).await.expect("sent");
    let requests = server.received_requests().await.expect("recording is on");
    assert!(!requests[0].headers.contains_key("x-ignored"));
}

#[tokio::test]
async fn a_form_of_either_shape_goes_as_the_chosen_one_and_an_untaggable_union_reads_by_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/grants"))
        .and(body_string("grant_type=refresh_token&refresh_token=r%2F1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"type": "MX", "priority": 10})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let grant = types::GrantBody::RefreshGrant(types::RefreshGrant::new(
        String::from("refresh_token"),
        String::from("r/1"),
    ));
    let record = client.grant(&grant).await.expect("sent");
    let types::Record::RecordOption2(mx) = record.into_inner() else {
        panic!("read as the first option")
    };
    assert_eq!(mx.priority, 10);
}
