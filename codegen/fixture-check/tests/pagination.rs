//! The paging kinds no provider spec uses (offset, link header, link in the body, a page number
//! in a JSON body, an integer cursor both ways), through the pagination fixture's emitted
//! `…_stream` methods, against a local wiremock server.

use paykit_codegen_fixtures::pagination::{
    Client, ListEventsParams, ListFilesParams, ListIssuesParams, ListTicketsParams, SearchParams, types::SearchBody,
};
use paykit_runtime::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(server.uri()).expect("client");
    (server, client)
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn items<E: std::fmt::Debug>(items: Vec<Result<String, E>>) -> Vec<String> {
    items.into_iter().map(|item| item.expect("an item")).collect()
}

#[tokio::test]
async fn offset_paging_skips_what_it_has_seen_until_a_page_is_empty() {
    let (server, client) = setup().await;
    let pages = [("10", json!(["a", "b"])), ("12", json!(["c"])), ("13", json!([]))];
    for (skip, events) in pages {
        Mock::given(method("GET"))
            .and(path("/events"))
            .and(query_param("skip", skip))
            .and(query_param("limit", "2"))
            .respond_with(ok(json!({"events": events})))
            .expect(1)
            .mount(&server)
            .await;
    }
    // The walk starts where the caller's offset says.
    let params = paykit_runtime::build!(ListEventsParams {
        skip: Some(10),
        limit: Some(2),
    });
    let got = client.list_events_stream(params).collect::<Vec<_>>().await;
    assert_eq!(items(got), ["a", "b", "c"]);
}

#[tokio::test]
async fn link_header_paging_reads_the_page_from_rel_next_and_stays_on_this_server() {
    let (server, client) = setup().await;
    // The links name another host: only their `page` is used, the requests stay here.
    let link =
        |page: u32| format!("<https://elsewhere.invalid/repos/a%2Fb/issues?page={page}&per_page=2>; rel=\"next\"");
    let first = ok(json!(["i1", "i2"])).insert_header("link", link(2));
    let second = ok(json!(["i3"])).insert_header(
        "link",
        format!("<https://elsewhere.invalid/x?page=1>; rel=\"first\", {}", link(3)),
    );
    let last = ok(json!(["i4"])).insert_header("link", "<https://elsewhere.invalid/x?page=1>; rel=\"first\"");
    for (page, answer) in [(None, first), (Some("2"), second), (Some("3"), last)] {
        let mock = Mock::given(method("GET")).and(path("/repos/a%2Fb/issues"));
        let mock = match page {
            Some(page) => mock.and(query_param("page", page)),
            None => mock.and(query_param_is_missing("page")),
        };
        mock.respond_with(answer).expect(1).mount(&server).await;
    }
    let got = client
        .list_issues_stream("a/b", ListIssuesParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(items(got), ["i1", "i2", "i3", "i4"]);
}

#[tokio::test]
async fn body_link_paging_stops_when_the_link_is_null_or_repeats() {
    let (server, client) = setup().await;
    let pages = [
        (None, json!({"files": ["f1"], "links": {"next": "/files?cursor=c2"}})),
        (
            Some("c2"),
            json!({"files": ["f2"], "links": {"next": "/files?cursor=c3"}}),
        ),
        (Some("c3"), json!({"files": ["f3"], "links": {"next": null}})),
    ];
    for (cursor, page) in pages {
        let mock = Mock::given(method("GET")).and(path("/files"));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("cursor", cursor)),
            None => mock.and(query_param_is_missing("cursor")),
        };
        mock.respond_with(ok(page)).expect(1).mount(&server).await;
    }
    let got = client
        .list_files_stream(ListFilesParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(items(got), ["f1", "f2", "f3"]);

    // A server that names the page just fetched as the next one is asked once, not forever.
    let (server, client) = setup().await;
    let stuck = json!({"files": ["again"], "links": {"next": "/files?cursor=same"}});
    Mock::given(method("GET"))
        .and(path("/files"))
        .respond_with(ok(stuck))
        .expect(2)
        .mount(&server)
        .await;
    let got = client
        .list_files_stream(ListFilesParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(items(got), ["again", "again"]);
}

#[tokio::test]
async fn a_page_number_in_the_body_counts_up_and_keeps_the_rest_of_the_request() {
    let (server, client) = setup().await;
    for (page, hits) in [(1, json!(["h1", "h2"])), (2, json!(["h3"])), (3, json!([]))] {
        Mock::given(method("POST"))
            .and(path("/searches"))
            .and(query_param("limit", "2"))
            .and(body_json(json!({"query": "refund", "page": page})))
            .respond_with(ok(json!({"hits": hits})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let body = SearchBody::new("refund");
    let params = paykit_runtime::build!(SearchParams { limit: Some(2) });
    let got = client.search_stream(body, params).collect::<Vec<_>>().await;
    assert_eq!(items(got), ["h1", "h2", "h3"]);
}

/// Answers `GET /tickets` with exactly this query, once, with the unwrapped `page`.
async fn tickets(server: &MockServer, query: &[(&str, &str)], page: Value) {
    let mut mock = Mock::given(method("GET")).and(path("/tickets"));
    for name in ["since_id", "max_id"] {
        mock = match query.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => mock.and(query_param(name, *value)),
            None => mock.and(query_param_is_missing(name)),
        };
    }
    mock.respond_with(ok(json!({ "page": page })))
        .expect(1)
        .mount(server)
        .await;
}

fn ticket_ids<E: std::fmt::Debug>(got: Vec<Result<paykit_codegen_fixtures::pagination::types::Ticket, E>>) -> Vec<i64> {
    got.into_iter().map(|t| t.expect("a ticket").id).collect()
}

#[tokio::test]
async fn an_integer_cursor_follows_the_next_id_forwards_and_the_first_id_backwards() {
    let (server, client) = setup().await;
    let page = |ids: &[i64], more: bool, next: Value| json!({"tickets": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(), "has_more": more, "next_id": next});
    // Forwards: the page's `next_id`, or the last id when it is null.
    tickets(&server, &[], page(&[1, 2], true, json!(10))).await;
    tickets(&server, &[("since_id", "10")], page(&[11], true, Value::Null)).await;
    tickets(&server, &[("since_id", "11")], page(&[], false, Value::Null)).await;
    let got = client
        .list_tickets_stream(ListTicketsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(ticket_ids(got), [1, 2, 11]);

    // Backwards from `max_id`: the first id of each page, items last to first, `since_id` never sent.
    tickets(&server, &[("max_id", "50")], page(&[48, 49], true, json!(49))).await;
    tickets(&server, &[("max_id", "48")], page(&[47], false, Value::Null)).await;
    let params = paykit_runtime::build!(ListTicketsParams { max_id: Some(50) });
    let got = client.list_tickets_stream(params).collect::<Vec<_>>().await;
    assert_eq!(ticket_ids(got), [49, 48, 47]);
}
