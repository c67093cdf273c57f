//! OpenAPI 3.2 through the openapi32 fixture's emitted client: a `QUERY` and an
//! `additionalOperations` method on a local wiremock server, and sequential responses (events,
//! JSON Lines, JSON text sequences) from a raw local server that writes the stream in pieces.

use std::time::Duration;

use paykit_codegen_fixtures::openapi32::{Client, PurgePetsParams, types};
use paykit_runtime::sequence::MAX_ITEM_BYTES;
use paykit_runtime::{Error, StreamExt};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Serves one request: status 200 with `content_type`, then each piece written on its own after
/// a pause (so that the client reads them as separate chunks), then the connection closes.
async fn streaming_server(content_type: &'static str, pieces: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind on loopback");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut request = Vec::new();
        let mut buffer = [0; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.expect("the request");
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..n]);
        }
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n");
        socket.write_all(head.as_bytes()).await.expect("the head");
        for piece in pieces {
            // The client may stop reading (an oversized item): the rest is not needed.
            if socket.write_all(&piece).await.is_err() || socket.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    });
    format!("http://{address}")
}

fn pieces(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

fn pet(id: &str, name: &str) -> types::Pet {
    types::Pet::new(id.to_owned(), name.to_owned())
}

#[tokio::test]
async fn query_is_sent_as_query_with_its_body_and_retried_like_get() {
    let server = MockServer::start().await;
    let filter = json!({"name_prefix": "R", "limit": 2});
    Mock::given(method("QUERY"))
        .and(path("/pets"))
        .and(body_json(&filter))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("QUERY"))
        .and(path("/pets"))
        .and(body_json(&filter))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "p1", "name": "Rex"}])))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let mut body = types::PetFilter::new();
    body.name_prefix = Some("R".to_owned());
    body.limit = Some(2);
    let pets = client.search_pets(&body).await.expect("pets");
    assert_eq!(*pets, [pet("p1", "Rex")]);
    // QUERY is safe and idempotent: the 503 was retried.
    assert_eq!(pets.attempts(), 2);
}

#[tokio::test]
async fn an_additional_operation_is_sent_with_its_own_method() {
    let server = MockServer::start().await;
    Mock::given(method("PURGE"))
        .and(path("/pets"))
        .and(query_param("older_than", "30"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    let mut params = PurgePetsParams::default();
    params.older_than = Some(30);
    client.purge_pets(params).await.expect("purged");
}

#[tokio::test]
async fn events_arrive_typed_whatever_the_chunks() {
    let stream = pieces(&[
        "\u{feff}: connected\r\n",
        "retry: 3000\r\nid: 1\r\nevent: created\r\ndata: {\"id\": \"p1\", ",
        "\"name\": \"Rex\"}\r",
        "\n\r\n",
        "data: {\"id\": \"p2\",\ndata:  \"name\": \"Fido\",\ndata: \"tag\": null}\n\n",
        ": keep-alive\n\nid: 2\ndata: not json\n\n",
        "event: deleted\rdata: {\"id\": \"p3\", \"name\": \"Max\"}\r\r",
        "data: {\"id\": \"cut off\"",
    ]);
    let client = Client::new(streaming_server("text/event-stream", stream).await).expect("client");
    let events: Vec<_> = client
        .watch_pets()
        .await
        .expect("a stream")
        .into_inner()
        .collect()
        .await;
    assert_eq!(events.len(), 4, "{events:?}");
    let first = events[0].as_ref().expect("an event");
    assert_eq!(
        (first.event.as_deref(), &first.data, first.id.as_deref(), first.retry),
        (Some("created"), &pet("p1", "Rex"), Some("1"), Some(3000))
    );
    let second = events[1].as_ref().expect("an event");
    assert_eq!(
        (second.event.as_deref(), &second.data, second.id.as_deref()),
        (None, &pet("p2", "Fido"), Some("1"))
    );
    // An event whose data does not decode is an error item with its raw text; the stream goes on.
    match &events[2] {
        Err(Error::Decode { response, .. }) => assert_eq!(response.raw, "not json"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    let last = events[3].as_ref().expect("an event");
    assert_eq!(
        (last.event.as_deref(), &last.data, last.id.as_deref()),
        (Some("deleted"), &pet("p3", "Max"), Some("2"))
    );
}

#[tokio::test]
async fn text_events_decode_into_the_item_schema() {
    let stream = pieces(&[
        "data: first line\ndata: second line\nid: 9\n\n",
        "event: warn\ndata:\n\n",
    ]);
    let client = Client::new(streaming_server("text/event-stream", stream).await).expect("client");
    let events: Vec<types::TailLogEvent> = (client.tail_log().await.expect("a stream").into_inner())
        .map(|event| event.expect("an event"))
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0].data.as_str(), events[0].id.as_deref()),
        ("first line\nsecond line", Some("9"))
    );
    assert_eq!(
        (events[1].data.as_str(), events[1].event.as_deref()),
        ("", Some("warn"))
    );
}

#[tokio::test]
async fn an_oversized_event_ends_the_stream_with_its_start() {
    let mut stream = pieces(&["data: {\"id\": \"p1\", \"name\": \"Rex\"}\n\n", "data: "]);
    let megabyte = vec![b'x'; 1024 * 1024];
    stream.extend(std::iter::repeat_n(megabyte, MAX_ITEM_BYTES / (1024 * 1024) + 1));
    let client = Client::new(streaming_server("text/event-stream", stream).await).expect("client");
    let mut events = client.watch_pets().await.expect("a stream").into_inner();
    assert_eq!(
        events.next().await.expect("an event").expect("decoded").data,
        pet("p1", "Rex")
    );
    match events.next().await {
        Some(Err(Error::TooLarge { response, limit })) => {
            assert_eq!(limit, MAX_ITEM_BYTES);
            assert_eq!(response.status, 200);
            assert!(response.raw.starts_with("data: xxx"), "{:?}", &response.raw[..16]);
            assert!(response.raw.len() <= 4096);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(events.next().await.is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn an_error_status_of_a_streaming_operation_decodes_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/events"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"title": "no"})))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).expect("client");
    match client.watch_pets().await {
        Err(Error::Api(error)) => assert_eq!(error.body.title, "no"),
        other => panic!("expected the documented error, got {other:?}"),
    }
}

#[tokio::test]
async fn json_lines_and_json_seq_yield_typed_items() {
    let lines = pieces(&[
        "{\"id\": \"p1\", \"name\": \"Rex\"}\r\n\n{\"id\": \"p2\",",
        " \"name\": \"Fido\"}\n{\"id\": 3}\n",
    ]);
    let client = Client::new(streaming_server("application/jsonl", lines).await).expect("client");
    let pets: Vec<_> = client
        .export_pets()
        .await
        .expect("a stream")
        .into_inner()
        .collect()
        .await;
    assert_eq!(pets.len(), 3);
    assert_eq!(pets[0].as_ref().expect("a pet"), &pet("p1", "Rex"));
    assert_eq!(pets[1].as_ref().expect("a pet"), &pet("p2", "Fido"));
    assert!(matches!(&pets[2], Err(Error::Decode { response, .. }) if response.raw == "{\"id\": 3}"));

    let records = pieces(&[
        "\u{1e}{\"pet_id\": \"p1\", \"change\": \"created\"}\n\u{1e}{\"pet_id\"",
        ": \"p1\", \"change\": \"deleted\"}\n",
    ]);
    let client = Client::new(streaming_server("application/json-seq", records).await).expect("client");
    let changes: Vec<_> = (client.list_changes().await.expect("a stream").into_inner())
        .map(|change| change.expect("a change"))
        .collect()
        .await;
    let changes: Vec<_> = changes.iter().map(|c| (c.pet_id.as_str(), c.change.as_str())).collect();
    assert_eq!(changes, [("p1", "created"), ("p1", "deleted")]);
}
