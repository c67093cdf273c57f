//! The generated `…_stream` methods (`x-paykit-pagination`) against a local wiremock server:
//! pages fetched lazily with the right cursor or page number, items in order, and where the
//! stream stops. VINR pages by cursor; Vendreo's AIS transactions by a page number in the body
//! (VR pay's offset-paged transactions are walked in tests/vrpay_secure.rs, beside its signature
//! checking server).

mod support;

use futures_util::StreamExt;
use paykit::runtime::{Bearer, StatusCode};
use paykit::vinr::{Client, ListPaymentsParams, ListSettlementTransactionsParams};
use serde_json::{Value, json};
use support::{ok_json, query_is, transport};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::from_transport(
        transport(server.uri())
            .auth(Bearer::new("sk_test_123"))
            .build()
            .expect("client"),
    );
    (server, client)
}

fn payment(id: &str) -> Value {
    json!({"id": id, "object": "payment", "status": "completed", "amount": 1000, "currency": "EUR"})
}

/// A page of payments; `has_more: None` leaves the `page` object out.
fn page(ids: &[&str], has_more: Option<bool>) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| payment(id)).collect();
    match has_more {
        Some(has_more) => json!({"object": "list", "data": data, "page": {"has_more": has_more}}),
        None => json!({"object": "list", "data": data}),
    }
}

/// Answers `GET /payments` with exactly this query, exactly `times` times.
async fn mount_page(server: &MockServer, query: &[(&str, &str)], answer: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path("/payments"))
        .and(query_is(query))
        .respond_with(answer)
        .expect(times)
        .mount(server)
        .await;
}

fn ids(items: Vec<Result<paykit::vinr::types::Payment, impl std::fmt::Debug>>) -> Vec<String> {
    items.into_iter().map(|item| item.expect("a payment").id).collect()
}

#[tokio::test]
async fn walks_every_page_sending_the_last_id_as_cursor() {
    let (server, client) = setup().await;
    let first = page(&["pay_1", "pay_2"], Some(true));
    mount_page(&server, &[("limit", "2")], ok_json(&first), 1).await;
    let second = page(&["pay_3", "pay_4"], Some(true));
    mount_page(
        &server,
        &[("limit", "2"), ("starting_after", "pay_2")],
        ok_json(&second),
        1,
    )
    .await;
    let last = page(&["pay_5"], Some(false));
    mount_page(
        &server,
        &[("limit", "2"), ("starting_after", "pay_4")],
        ok_json(&last),
        1,
    )
    .await;

    let params = paykit::runtime::build!(ListPaymentsParams { limit: Some(2) });
    let items = client.list_payments_stream(params).collect::<Vec<_>>().await;
    assert_eq!(ids(items), ["pay_1", "pay_2", "pay_3", "pay_4", "pay_5"]);
}

#[tokio::test]
async fn taking_fewer_items_than_a_page_fetches_only_that_page() {
    let (server, client) = setup().await;
    mount_page(
        &server,
        &[],
        ok_json(&page(&["pay_1", "pay_2", "pay_3"], Some(true))),
        1,
    )
    .await;
    mount_page(
        &server,
        &[("starting_after", "pay_3")],
        ok_json(&page(&[], Some(false))),
        0,
    )
    .await;

    let stream = client.list_payments_stream(ListPaymentsParams::default());
    let items = stream.take(2).collect::<Vec<_>>().await;
    assert_eq!(ids(items), ["pay_1", "pay_2"]);
}

#[tokio::test]
async fn an_error_page_is_the_last_item() {
    let (server, client) = setup().await;
    mount_page(&server, &[], ok_json(&page(&["pay_1"], Some(true))), 1).await;
    let error = json!({"error": {"type": "invalid_request_error", "message": "bad cursor"}});
    let bad = ResponseTemplate::new(400).set_body_raw(error.to_string(), "application/json");
    mount_page(&server, &[("starting_after", "pay_1")], bad, 1).await;

    let mut items = client
        .list_payments_stream(ListPaymentsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    let error = items.pop().expect("two items").expect_err("page 2 fails");
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(items.pop().expect("one item").expect("a payment").id, "pay_1");
}

#[tokio::test]
async fn an_empty_page_without_page_info_is_an_empty_stream() {
    let (server, client) = setup().await;
    mount_page(&server, &[], ok_json(&page(&[], None)), 1).await;

    let items = client
        .list_payments_stream(ListPaymentsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert!(items.is_empty(), "{items:?}");
}

#[tokio::test]
async fn path_arguments_are_sent_with_every_page() {
    let (server, client) = setup().await;
    let transactions = "/settlements/stl_1/transactions";
    let first = json!({"data": [{"id": "txn_1"}], "page": {"has_more": true}});
    Mock::given(method("GET"))
        .and(path(transactions))
        .and(query_is(&[]))
        .respond_with(ok_json(&first))
        .expect(1)
        .mount(&server)
        .await;
    let last = json!({"data": [{"id": "txn_2"}], "page": {"has_more": false}});
    Mock::given(method("GET"))
        .and(path(transactions))
        .and(query_is(&[("starting_after", "txn_1")]))
        .respond_with(ok_json(&last))
        .expect(1)
        .mount(&server)
        .await;

    let stream = client.list_settlement_transactions_stream("stl_1", ListSettlementTransactionsParams::default());
    let ids: Vec<_> = stream.map(|item| item.expect("a transaction").id).collect().await;
    assert_eq!(ids, ["txn_1", "txn_2"]);
}

#[tokio::test]
async fn vendreo_transactions_walk_page_numbers_in_the_body_until_an_empty_page() {
    use paykit::vendreo::{Client, types::AisTransactionSchema};

    let server = MockServer::start().await;
    let transport = transport(server.uri()).auth(Bearer::new("secret")).build();
    let client = Client::from_transport(transport.expect("client"));
    let transactions = "/v1/ais/consent/consent-1/bank-account/account-1/transactions";
    let pages = [
        (1, json!([{"amount": 199}, {"amount": 250}])),
        (2, json!([{"amount": 300}])),
        (3, json!([])),
    ];
    for (page, data) in pages {
        // The filter goes with every page; only `page` changes.
        let filter = json!({"date_from": "2022-01-01", "date_to": "2022-01-30", "page": page});
        Mock::given(method("GET"))
            .and(path(transactions))
            .and(body_json(filter))
            .respond_with(ok_json(&json!({"data": data, "meta": {"tracing_id": "t"}})))
            .expect(1)
            .mount(&server)
            .await;
    }

    let filter = paykit::runtime::build!(AisTransactionSchema {
        date_from: Some("2022-01-01".into()),
        date_to: Some("2022-01-30".into()),
        // Whatever page the caller names, the walk starts at the first.
        page: Some(7),
    });
    let stream = client.list_ais_transactions_stream("consent-1", "account-1", filter);
    let amounts: Vec<Value> = stream
        .map(|item| item.expect("a transaction")["amount"].clone())
        .collect()
        .await;
    assert_eq!(amounts, [json!(199), json!(250), json!(300)]);
}
