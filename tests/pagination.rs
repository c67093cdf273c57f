//! The generated `…_pages` and `…_stream` methods (`x-paykit-pagination`) against a local
//! wiremock server: pages fetched lazily with the right cursor or page number, items in order,
//! and where the stream stops. VINR pages by cursor, forwards from its `next_cursor` or backwards
//! from `ending_before`; Vendreo's AIS transactions by a page number in the body (VR pay's
//! offset-paged transactions are walked in tests/vrpay_secure.rs, beside its signature checking
//! server).

mod support;

use paykit::runtime::{Bearer, Error, StatusCode, StreamExt, TryStreamExt};
use paykit::vinr::{
    Client, ListEventsParams, ListPaymentsParams, ListRefundsParams, ListSettlementTransactionsParams,
    ListSettlementsParams, ListWebhookEndpointsParams,
};
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

/// A page of payments saying it has more, with the page's own `next_cursor`.
fn page_with_cursor(ids: &[&str], next_cursor: &str) -> Value {
    let mut page = page(ids, Some(true));
    page["page"]["next_cursor"] = json!(next_cursor);
    page
}

#[tokio::test]
async fn the_pages_next_cursor_is_sent_rather_than_the_last_id() {
    let (server, client) = setup().await;
    mount_page(
        &server,
        &[],
        ok_json(&page_with_cursor(&["pay_1", "pay_2"], "cur_b")),
        1,
    )
    .await;
    // `next_cursor: null` while `has_more`: the last item's id is the cursor after all.
    let mut second = page(&["pay_3"], Some(true));
    second["page"]["next_cursor"] = Value::Null;
    mount_page(&server, &[("starting_after", "cur_b")], ok_json(&second), 1).await;
    mount_page(
        &server,
        &[("starting_after", "pay_3")],
        ok_json(&page(&["pay_4"], Some(false))),
        1,
    )
    .await;

    let items = client
        .list_payments_stream(ListPaymentsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(ids(items), ["pay_1", "pay_2", "pay_3", "pay_4"]);
}

#[tokio::test]
async fn an_empty_page_with_more_and_a_next_cursor_is_walked_past() {
    let (server, client) = setup().await;
    mount_page(&server, &[], ok_json(&page_with_cursor(&[], "cur_a")), 1).await;
    mount_page(
        &server,
        &[("starting_after", "cur_a")],
        ok_json(&page(&["pay_1"], Some(false))),
        1,
    )
    .await;

    let items = client
        .list_payments_stream(ListPaymentsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(ids(items), ["pay_1"]);
}

#[tokio::test]
async fn an_empty_page_with_more_and_no_cursor_ends_the_walk_with_an_error() {
    let (server, client) = setup().await;
    let first = page(&["pay_1"], Some(true));
    mount_page(&server, &[], ok_json(&first), 1).await;
    // It says there are more, and neither an item nor a next cursor says where they are.
    mount_page(
        &server,
        &[("starting_after", "pay_1")],
        ok_json(&page(&[], Some(true))),
        1,
    )
    .await;

    let mut items = client
        .list_payments_stream(ListPaymentsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    let error = items.pop().expect("two items").expect_err("the walk cannot go on");
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
    let shown = error.to_string();
    assert!(
        shown.contains("more items") && shown.contains("`starting_after`"),
        "{shown}"
    );
    assert_eq!(ids(items), ["pay_1"]);
}

#[tokio::test]
async fn started_with_ending_before_the_walk_goes_backwards_and_never_sends_both_cursors() {
    let (server, client) = setup().await;
    // VINR lists newest first, before a cursor too: the page just before `pay_5` is 8, 7, 6.
    // Its `next_cursor` is a forward cursor, which a backward walk has no use for.
    let first = page_with_cursor(&["pay_8", "pay_7", "pay_6"], "pay_6");
    mount_page(
        &server,
        &[("limit", "3"), ("ending_before", "pay_5")],
        ok_json(&first),
        1,
    )
    .await;
    let second = page_with_cursor(&["pay_10", "pay_9"], "pay_9");
    mount_page(
        &server,
        &[("limit", "3"), ("ending_before", "pay_8")],
        ok_json(&second),
        1,
    )
    .await;
    let last = page(&["pay_11"], Some(false));
    mount_page(
        &server,
        &[("limit", "3"), ("ending_before", "pay_10")],
        ok_json(&last),
        1,
    )
    .await;

    let params = paykit::runtime::build!(ListPaymentsParams {
        limit: Some(3),
        ending_before: Some("pay_5".into()),
    });
    let items = client.list_payments_stream(params).collect::<Vec<_>>().await;
    // Nearest the cursor first: each page's items last to first.
    assert_eq!(ids(items), ["pay_6", "pay_7", "pay_8", "pay_9", "pay_10", "pay_11"]);
    // `query_is` matched each query exactly: no request carried `starting_after`.
    let sent = server.received_requests().await.expect("recorded");
    assert!(
        sent.iter().all(|r| !r.url.as_str().contains("starting_after")),
        "{sent:?}"
    );
}

/// Every VINR list, started from `ending_before`, walks backwards from the first item's id and
/// sends one cursor only; started from both cursors, it sends nothing and says why.
#[tokio::test]
async fn every_vinr_list_walks_backwards_and_refuses_both_cursors() {
    let (server, client) = setup().await;
    let lists = [
        "/payments",
        "/refunds",
        "/webhooks",
        "/settlements",
        "/settlements/stl_1/transactions",
        "/events",
    ];
    for list in lists {
        let item = |id: &str| match list {
            "/payments" => payment(id),
            _ => json!({"id": id}),
        };
        let first = json!({"data": [item("x_2"), item("x_1")], "page": {"has_more": true}});
        let last = json!({"data": [item("x_3")], "page": {"has_more": false}});
        for (cursor, answer) in [("x_0", first), ("x_2", last)] {
            Mock::given(method("GET"))
                .and(path(list))
                .and(query_is(&[("ending_before", cursor)]))
                .respond_with(ok_json(&answer))
                .expect(1)
                .mount(&server)
                .await;
        }
    }
    let before = || Some("x_0".to_owned());
    let both = || (Some("x_9".to_owned()), Some("x_0".to_owned()));
    macro_rules! walk {
        ($stream:ident($($arg:expr,)*) $params:ident) => {{
            let backwards = paykit::runtime::build!($params { ending_before: before() });
            let ids: Vec<String> = client
                .$stream($($arg,)* backwards)
                .map_ok(|item| item.id)
                .try_collect()
                .await
                .expect("a backward walk");
            assert_eq!(ids, ["x_1", "x_2", "x_3"], "{}", stringify!($stream));
            let (after, before) = both();
            let params = paykit::runtime::build!($params { starting_after: after, ending_before: before });
            let error = client.$stream($($arg,)* params).next().await.expect("an error");
            assert!(matches!(error, Err(Error::Paging(_))), "{}: {error:?}", stringify!($stream));
        }};
    }
    walk!(list_payments_stream() ListPaymentsParams);
    walk!(list_refunds_stream() ListRefundsParams);
    walk!(list_webhook_endpoints_stream() ListWebhookEndpointsParams);
    walk!(list_settlements_stream() ListSettlementsParams);
    walk!(list_settlement_transactions_stream("stl_1",) ListSettlementTransactionsParams);
    walk!(list_events_stream() ListEventsParams);
    // Two pages per list, and nothing for the refused walks (`expect` is checked on drop).
    assert_eq!(server.received_requests().await.expect("recorded").len(), 12);
}

#[tokio::test]
async fn streams_are_unpin_and_pages_carry_their_metadata() {
    // `Send` too: a stream can be read in a spawned task.
    fn unpin<T: Unpin + Send>(_: &T) {}
    let (server, client) = setup().await;
    let mut first = page_with_cursor(&["pay_1"], "pay_1");
    first["page"]["total_estimate"] = json!(2);
    mount_page(&server, &[], ok_json(&first), 2).await;
    let last = page(&["pay_2"], Some(false));
    mount_page(&server, &[("starting_after", "pay_1")], ok_json(&last), 2).await;

    // `.next()` straight on the stream: no `pin!`.
    let mut items = client.list_payments_stream(ListPaymentsParams::default());
    unpin(&items);
    assert_eq!(items.next().await.expect("an item").expect("a payment").id, "pay_1");
    assert_eq!(
        items.try_next().await.expect("a payment").map(|p| p.id).as_deref(),
        Some("pay_2")
    );
    assert!(items.next().await.is_none());

    let mut pages = client.list_payments_pages(ListPaymentsParams::default());
    unpin(&pages);
    let page = pages.try_next().await.expect("a page").expect("two pages");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.page.as_ref().and_then(|p| p.total_estimate), Some(2));
    let page = pages.try_next().await.expect("a page").expect("two pages");
    assert_eq!(page.data[0].id, "pay_2");
    assert!(pages.try_next().await.expect("the end").is_none());
}
