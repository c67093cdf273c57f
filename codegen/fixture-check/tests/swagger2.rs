//! The swagger2 fixture's emitted methods send what the Swagger 2.0 spec means, read back on a
//! local wiremock server: each `collectionFormat` in the query and a header, formData as a
//! urlencoded form (csv and multi arrays) and, with a file, as multipart/form-data.

use paykit_codegen_fixtures::swagger2::{Client, ListPetsParams, servers, types};
use paykit_runtime::ApiKeyHeader;
use paykit_runtime::File;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod support;

/// The spec's security is an API key in `X-Api-Key`.
fn client(server: &MockServer) -> Client {
    Client::new(server.uri(), ApiKeyHeader::new("X-Api-Key", "k")).expect("client")
}

async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[test]
fn servers_come_from_host_base_path_and_schemes() {
    assert_eq!(servers::SERVER_1, "https://api.example.com/v2");
    assert_eq!(servers::SERVER_2, "http://api.example.com/v2");
}

#[tokio::test]
async fn collection_formats_are_sent_as_2_0_defines_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let params = paykit_runtime::build!(ListPetsParams {
        tags: Some(vec!["a".into(), "b".into()]),
        status: Some(vec![
            types::ListPetsStatusItem::Available,
            types::ListPetsStatusItem::Sold
        ]),
        ids: Some(vec![1, 2]),
        kinds: Some(vec!["x".into(), "y".into()]),
        x_trace: Some(vec!["t1".into(), "t2".into()]),
    });
    client.list_pets(params).await.expect("listed");
    let request = received(&server).await;
    // csv (the default), multi, ssv, pipes.
    let pairs: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    let expected = [
        ("tags", "a,b"),
        ("status", "available"),
        ("status", "sold"),
        ("ids", "1 2"),
        ("kinds", "x|y"),
    ];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
    assert_eq!(
        request.headers.get("x-trace").map(|v| v.as_bytes()),
        Some(&b"t1,t2"[..])
    );
}

#[tokio::test]
async fn form_data_is_a_urlencoded_form_with_csv_and_multi_arrays() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut body = types::UpdatePetWithFormBody::new("Rex");
    body.nicknames = Some(vec!["R".into(), "Rexy".into()]);
    body.toys = Some(vec!["ball".into(), "rope".into()]);
    client.update_pet_with_form(7, &body).await.expect("updated");
    let request = received(&server).await;
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/x-www-form-urlencoded"[..])
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "name=Rex&nicknames=R%2CRexy&toys=ball&toys=rope"
    );
}

#[tokio::test]
async fn a_file_parameter_makes_the_form_multipart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"url": "/7.png"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut body = types::UploadPhotoBody::new(File::new(b"png".as_slice()).file_name("rex.png"));
    body.note = Some("Rex".into());
    let photo = client.upload_photo(7, &body).await.expect("uploaded");
    assert_eq!(photo.url.as_deref(), Some("/7.png"));

    let request = received(&server).await;
    let parts: Vec<_> = support::parts(&request)
        .await
        .into_iter()
        .map(|(name, file_name, _, bytes)| (name, file_name, bytes))
        .collect();
    assert_eq!(
        parts,
        [
            ("file".to_owned(), Some("rex.png".to_owned()), b"png".to_vec()),
            ("note".to_owned(), None, b"Rex".to_vec())
        ]
    );
}
