//! Where a VINR stream walks next: the page's `next_cursor` before the last id, past an empty
//! page that says there is more, backwards from `ending_before` (never both cursors), and the
//! page-level `…_pages` stream. Against raw wiremock, which pins each exact query and its count.
mod support;

use paykit::runtime::{Bearer, Error, StatusCode, StreamExt, TryStreamExt};
use paykit::vinr::{
    Client, ListEventsParams, ListPaymentsParams, ListRefundsParams, ListSettlementTransactionsParams,
    ListSettlementsParams, ListWebhookEndpointsParams,
};
use serde_json::{Value, json};
use support::{ok_json, query_is, transport};
use wiremock::matchers::{method, path};
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
