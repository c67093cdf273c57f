//! multipart/form-data bodies from the multipart fixture's emitted methods, read back on a local
//! wiremock server by an independent parser (multer): part names, file names, content types and
//! bytes as sent.

use paykit_codegen_fixtures::multipart::{Client, UploadImageParams, types};
use paykit_runtime::File;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support;
use support::{Part, parts};

fn text(name: &str, value: &str) -> Part {
    (name.to_owned(), None, None, value.as_bytes().to_vec())
}

async fn received(server: &MockServer) -> Vec<Part> {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    parts(&requests[0]).await
}

#[tokio::test]
async fn a_file_goes_with_its_name_and_type_and_the_other_fields_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/7/image"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"url": "/7.png"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let png = b"\x89PNG\r\n\x1a\n\0binary".to_vec();
    let mut body = types::UploadImageBody::new(File::new(png.clone()).file_name("rex.png").content_type("image/png"));
    body.caption = Some("Rex, 3".into());
    let image = client
        .upload_image(7, &body, UploadImageParams::default())
        .await
        .expect("uploaded");
    assert_eq!(image.url.as_deref(), Some("/7.png"));

    let file = (
        "file".to_owned(),
        Some("rex.png".to_owned()),
        Some("image/png".to_owned()),
        png,
    );
    assert_eq!(received(&server).await, [file, text("caption", "Rex, 3")]);
}

#[tokio::test]
async fn files_repeat_under_one_name_and_arrays_objects_and_open_properties_are_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/documents"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let mut body = types::DocumentUpload::new(vec![File::new(b"page 1".as_slice()), File::new(b"page 2".as_slice())]);
    body.tags = Some(vec!["a".into(), "b".into()]);
    body.owner = Some(paykit_runtime::build!(types::DocumentUploadOwner { id: Some(42) }));
    body.additional_properties.insert("note".into(), "kept".into());
    client.upload_documents(Some(&body)).await.expect("uploaded");

    let octets = Some("application/octet-stream".to_owned());
    let page = |bytes: &[u8]| ("pages".to_owned(), None, octets.clone(), bytes.to_vec());
    let owner = (
        "owner".to_owned(),
        None,
        Some("application/json".to_owned()),
        br#"{"id":42}"#.to_vec(),
    );
    let expected = [
        page(b"page 1"),
        page(b"page 2"),
        text("tags", "a"),
        text("tags", "b"),
        owner,
        text("note", "kept"),
    ];
    assert_eq!(received(&server).await, expected);
}

#[tokio::test]
async fn a_body_offered_as_json_and_multipart_goes_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(wiremock::matchers::body_json(serde_json::json!({"text": "hi"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let note = paykit_runtime::build!(types::Note {
        text: Some("hi".into()),
    });
    client.create_note(&note).await.expect("created");
}
