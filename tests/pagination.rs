//! The generated `…_stream` methods (`x-paykit-pagination`) against the typed mock servers:
//! pages fetched lazily with the right cursor or page number, items in order, and where the
//! stream stops. VINR pages by cursor; Vendreo's AIS transactions by a page number in the body
//! (VR pay's offset-paged transactions are walked in tests/vrpay_secure.rs, beside its signature
//! checking server). Each page answers only the exact request expected, once. Cursor directions
//! and page-level streams: tests/pagination_cursors.rs.

#![cfg(feature = "mock")]

use paykit::runtime::mock::Received;
use paykit::runtime::{Bearer, StatusCode, StreamExt, build};
use paykit::vinr::mock::MockServer;
use paykit::vinr::types::{ErrorDetail, ErrorResponse, PageInfo, Payment, PaymentList, PaymentStatus};
use paykit::vinr::{Client, ListPaymentsParams, ListSettlementTransactionsParams};
use serde_json::{Value, json};

async fn setup() -> (MockServer, Client) {
    let mock = MockServer::start().await;
    let client = Client::new(mock.url(), Bearer::new("sk_test_123")).expect("client");
    (mock, client)
}

/// A page of payments; `has_more: None` leaves the `page` object out.
fn page(ids: &[&str], has_more: Option<bool>) -> PaymentList {
    let payment = |id: &&str| Payment::new(*id, "payment", PaymentStatus::Succeeded, 1000, "EUR");
    let mut page = PaymentList::new(ids.iter().map(payment).collect::<Vec<_>>());
    page.page = has_more.map(|has_more| {
        build!(PageInfo {
            has_more: Some(has_more)
        })
    });
    page
}

/// Only requests whose query is exactly these pairs (in any order), so a parameter the stream
/// should not send cannot slip onto the wire. `&[]` means "no query at all".
fn query_is(expected: &[(&str, &str)]) -> impl Fn(&Received<()>) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> = expected.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    expected.sort();
    move |request| {
        let mut sent = request.query.clone();
        sent.sort();
        sent == expected
    }
}

fn ids(items: Vec<Result<Payment, impl std::fmt::Debug>>) -> Vec<String> {
    items.into_iter().map(|item| item.expect("a payment").id).collect()
}

#[tokio::test]
async fn walks_every_page_sending_the_last_id_as_cursor() {
    let (mock, client) = setup().await;
    let pages = [
        (None, page(&["pay_1", "pay_2"], Some(true))),
        (Some("pay_2"), page(&["pay_3", "pay_4"], Some(true))),
        (Some("pay_4"), page(&["pay_5"], Some(false))),
    ];
    for (cursor, page) in pages {
        let mut query = vec![("limit", "2")];
        query.extend(cursor.map(|cursor| ("starting_after", cursor)));
        mock.list_payments().when(query_is(&query)).returns(page).times(1).await;
    }

    let params = build!(ListPaymentsParams { limit: Some(2) });
    let items = client.list_payments_stream(params).collect::<Vec<_>>().await;
    assert_eq!(ids(items), ["pay_1", "pay_2", "pay_3", "pay_4", "pay_5"]);
}

#[tokio::test]
async fn taking_fewer_items_than_a_page_fetches_only_that_page() {
    let (mock, client) = setup().await;
    let first = page(&["pay_1", "pay_2", "pay_3"], Some(true));
    mock.list_payments().when(query_is(&[])).returns(first).times(1).await;
    let second = page(&[], Some(false));
    let after = query_is(&[("starting_after", "pay_3")]);
    mock.list_payments().when(after).returns(second).times(0).await;

    let stream = client.list_payments_stream(ListPaymentsParams::default());
    let items = stream.take(2).collect::<Vec<_>>().await;
    assert_eq!(ids(items), ["pay_1", "pay_2"]);
}

#[tokio::test]
async fn an_error_page_is_the_last_item() {
    let (mock, client) = setup().await;
    let first = page(&["pay_1"], Some(true));
    mock.list_payments().when(query_is(&[])).returns(first).times(1).await;
    let bad_cursor = ErrorResponse::new(ErrorDetail::new("invalid_request_error", "bad cursor"));
    let after = query_is(&[("starting_after", "pay_1")]);
    mock.list_payments().when(after).fails(400, bad_cursor).times(1).await;

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
    let (mock, client) = setup().await;
    mock.list_payments()
        .when(query_is(&[]))
        .returns(page(&[], None))
        .times(1)
        .await;

    let items = client
        .list_payments_stream(ListPaymentsParams::default())
        .collect::<Vec<_>>()
        .await;
    assert!(items.is_empty(), "{items:?}");
}

#[tokio::test]
async fn path_arguments_are_sent_with_every_page() {
    use paykit::vinr::types::{SettlementTransaction, SettlementTransactionList};

    let (mock, client) = setup().await;
    let pages = [(None, "txn_1", true), (Some("txn_1"), "txn_2", false)];
    for (cursor, id, has_more) in pages {
        let mut page = SettlementTransactionList::new(vec![SettlementTransaction::new(id)]);
        page.page = Some(build!(PageInfo {
            has_more: Some(has_more)
        }));
        let query: Vec<_> = cursor.map(|cursor| ("starting_after", cursor)).into_iter().collect();
        mock.list_settlement_transactions()
            .when_path("id", "stl_1")
            .when(query_is(&query))
            .returns(page)
            .times(1)
            .await;
    }

    let stream = client.list_settlement_transactions_stream("stl_1", ListSettlementTransactionsParams::default());
    let ids: Vec<_> = stream.map(|item| item.expect("a transaction").id).collect().await;
    assert_eq!(ids, ["txn_1", "txn_2"]);
}

#[tokio::test]
async fn vendreo_transactions_walk_page_numbers_in_the_body_until_an_empty_page() {
    use paykit::vendreo::{Client, mock::MockServer, types::AisTransactionSchema, types::AisTransactionsPage};

    let mock = MockServer::start().await;
    let client = Client::new(mock.url(), Bearer::new("secret")).expect("client");
    let pages = [
        (1, json!([{"amount": 199}, {"amount": 250}])),
        (2, json!([{"amount": 300}])),
        (3, json!([])),
    ];
    for (page, data) in pages {
        // The filter goes with every page; only `page` changes.
        let filter = json!({"date_from": "2022-01-01", "date_to": "2022-01-30", "page": page});
        let data = serde_json::from_value(data).expect("transactions");
        mock.list_ais_transactions()
            .when_path("accountConsent", "consent-1")
            .when_path("bankAccount", "account-1")
            .when_body(filter)
            .returns(build!(AisTransactionsPage { data: Some(data) }))
            .times(1)
            .await;
    }

    let filter = build!(AisTransactionSchema {
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
