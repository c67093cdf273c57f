//! The typed mock servers (`mock` feature), used as an integrator would: for each provider,
//! create a payment and read it back; answers in sequence (pages, a 503 before a 200), answers by
//! id (path, query or body), call counts checked; what a client sees for a request without an
//! answer; configurations that contradict each other refused at once.

#![cfg(feature = "mock")]

use paykit::runtime::StreamExt;
use paykit::runtime::{Bearer, Error, Method, Request, Transport, build};
use paykit::{payrequest, vendreo, vinr, vpay, vrpay_secure};
use serde_json::json;

// ---- VINR ----------------------------------------------------------------------------------

fn vinr_payment(id: &str, status: vinr::types::PaymentStatus) -> vinr::types::Payment {
    vinr::types::Payment::new(id, "payment", status, 1250, "eur")
}

/// A page of payments `ids`, with more to come or not.
fn vinr_page(ids: &[&str], has_more: bool) -> vinr::types::PaymentList {
    let data: Vec<_> = ids
        .iter()
        .map(|id| vinr_payment(id, vinr::types::PaymentStatus::Succeeded))
        .collect();
    let mut page = vinr::types::PaymentList::new(data);
    page.page = Some(build!(vinr::types::PageInfo {
        has_more: Some(has_more)
    }));
    page
}

fn vinr_client(mock: &vinr::mock::MockServer) -> vinr::Client {
    vinr::Client::new(mock.url(), Bearer::new("sk_test")).unwrap()
}

#[tokio::test]
async fn vinr_create_then_read() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr_payment("pay_1", vinr::types::PaymentStatus::Pending);
    mock.create_payment().returns(payment.clone()).await;
    mock.get_payment().returns(payment.clone()).await;

    let client = vinr_client(&mock);
    let body = vinr::types::CreatePaymentRequest::new(1250, "eur");
    let created = client.create_payment(&body, Default::default()).await.unwrap();
    let read = client.get_payment(&created.id, Default::default()).await.unwrap();

    assert_eq!(*read, payment);
    let received = mock.create_payment().received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, body);
    assert_eq!(mock.get_payment().received().await[0].path, "/payments/pay_1");
}

/// Three pages in sequence, one answer each: the stream walks them in order, sending the last
/// id of each page as the next cursor.
#[tokio::test]
async fn vinr_walks_three_pages_in_sequence() {
    let mock = vinr::mock::MockServer::start().await;
    mock.list_payments()
        .returns(vinr_page(&["pay_1", "pay_2"], true))
        .returns(vinr_page(&["pay_3", "pay_4"], true))
        .returns(vinr_page(&["pay_5"], false))
        .times(3)
        .await;

    let client = vinr_client(&mock);
    let ids: Vec<String> = client
        .list_payments_stream(Default::default())
        .map(|item| item.unwrap().id)
        .collect()
        .await;

    assert_eq!(ids, ["pay_1", "pay_2", "pay_3", "pay_4", "pay_5"]);
    let cursors: Vec<Option<String>> = (mock.list_payments().received().await.iter())
        .map(|r| r.query("starting_after").map(str::to_owned))
        .collect();
    assert_eq!(cursors, [None, Some("pay_2".into()), Some("pay_4".into())]);
    mock.verify().unwrap();
}

/// The case: three `.returns(page)` statements for the same operation are three answers
/// in sequence, not one answer and two ignored.
#[tokio::test]
async fn vinr_answers_configured_one_by_one_follow_each_other() {
    let mock = vinr::mock::MockServer::start().await;
    mock.list_payments().returns(vinr_page(&["pay_1"], true)).await;
    mock.list_payments().returns(vinr_page(&["pay_2"], true)).await;
    mock.list_payments().returns(vinr_page(&["pay_3"], false)).await;

    let ids: Vec<String> = vinr_client(&mock)
        .list_payments_stream(Default::default())
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["pay_1", "pay_2", "pay_3"]);
}

/// Each page only for its cursor: a wrong cursor would get no answer and end the walk in an
/// error naming the request.
#[tokio::test]
async fn vinr_walks_three_pages_by_cursor() {
    let mock = vinr::mock::MockServer::start().await;
    let pages = [
        (None, vinr_page(&["pay_1", "pay_2"], true)),
        (Some("pay_2"), vinr_page(&["pay_3"], true)),
        (Some("pay_3"), vinr_page(&[], false)),
    ];
    for (cursor, page) in pages {
        mock.list_payments()
            .when_query("starting_after", cursor)
            .when_query("limit", 2)
            .returns(page)
            .times(1)
            .await;
    }

    let params = build!(vinr::ListPaymentsParams { limit: Some(2) });
    let ids: Vec<String> = vinr_client(&mock)
        .list_payments_stream(params)
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["pay_1", "pay_2", "pay_3"]);
}

#[tokio::test]
async fn vinr_answers_per_path_id() {
    let mock = vinr::mock::MockServer::start().await;
    let pending = vinr_payment("pay_1", vinr::types::PaymentStatus::Pending);
    let paid = vinr_payment("pay_2", vinr::types::PaymentStatus::Succeeded);
    mock.get_payment()
        .when_path("id", "pay_1")
        .returns(pending.clone())
        .await;
    mock.get_payment().when_path("id", "pay_2").returns(paid.clone()).await;
    // Any other id: the documented 404. The answers by id come first, having more conditions.
    let missing = vinr::types::ErrorResponse::new(vinr::types::ErrorDetail::new(
        "invalid_request_error",
        "No such payment",
    ));
    mock.get_payment().fails(404, missing.clone()).await;

    let client = vinr_client(&mock);
    assert_eq!(*client.get_payment("pay_2", Default::default()).await.unwrap(), paid);
    assert_eq!(*client.get_payment("pay_1", Default::default()).await.unwrap(), pending);
    let err = client.get_payment("pay_9", Default::default()).await.unwrap_err();
    let Error::Api(response) = err else { panic!("{err:?}") };
    assert_eq!((response.status.as_u16(), response.body), (404, missing));
    // `received` with conditions gives only the requests that met them.
    let received = mock.get_payment().when_path("id", "pay_1").received().await;
    assert_eq!(received.len(), 1);
}

/// A gateway's 503, then the payment: the client retries the GET and gets it, in two calls.
#[tokio::test]
async fn vinr_503_then_200_is_retried() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr_payment("pay_1", vinr::types::PaymentStatus::Succeeded);
    mock.get_payment()
        .fails_without_body(503)
        .returns(payment.clone())
        .times(2)
        .await;

    let read = vinr_client(&mock)
        .get_payment("pay_1", Default::default())
        .await
        .unwrap();
    assert_eq!(*read, payment);
    assert_eq!(read.attempts(), 2);
}

#[tokio::test]
async fn vinr_answers_by_body() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr_payment("pay_1", vinr::types::PaymentStatus::Pending);
    mock.create_payment()
        .when_body(json!({"amount": 1250}))
        .returns(payment.clone())
        .await;
    let declined = vinr::types::ErrorResponse::new(vinr::types::ErrorDetail::new("card_error", "Declined"));
    // The typed body, as the operation decodes it.
    mock.create_payment()
        .when(|request| request.body.amount > 5000)
        .fails(402, declined)
        .await;

    let client = vinr_client(&mock);
    let small = vinr::types::CreatePaymentRequest::new(1250, "eur");
    assert_eq!(
        *client.create_payment(&small, Default::default()).await.unwrap(),
        payment
    );
    let large = vinr::types::CreatePaymentRequest::new(9000, "eur");
    let err = client.create_payment(&large, Default::default()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(402), "{err}");
}

#[tokio::test]
async fn vinr_call_counts_are_verified() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr_payment("pay_1", vinr::types::PaymentStatus::Pending);
    mock.get_payment()
        .when_path("id", "pay_1")
        .returns(payment)
        .times(1)
        .await;
    mock.cancel_payment()
        .returns(vinr_payment("pay_1", vinr::types::PaymentStatus::Canceled))
        .times(1)
        .await;

    let client = vinr_client(&mock);
    client.get_payment("pay_1", Default::default()).await.unwrap();
    client.get_payment("pay_1", Default::default()).await.unwrap();

    let err = mock.verify().unwrap_err();
    assert_eq!(
        err.unmet(),
        [
            "getPayment (GET /payments/{id}, path id = pay_1): expected 1 call, received 2",
            "cancelPayment (POST /payments/{id}/cancel): expected 1 call, received 0",
        ]
    );
    assert!(
        err.to_string().starts_with("paykit mock: call counts not met:"),
        "{err}"
    );
    // Forgotten: dropping the server no longer fails.
    mock.reset().await;
    mock.verify().unwrap();
}

#[tokio::test]
#[should_panic(expected = "listPayments (GET /payments): expected 2 calls, received 1")]
async fn dropping_a_mock_checks_its_call_counts() {
    let mock = vinr::mock::MockServer::start().await;
    mock.list_payments().returns(vinr_page(&[], false)).times(2).await;
    vinr_client(&mock).list_payments(Default::default()).await.unwrap();
}

/// A request no answer fits gets a 501 whose explanation is in the client's error message.
#[tokio::test]
async fn a_request_without_an_answer_says_so() {
    let mock = vinr::mock::MockServer::start().await;
    let client = vinr_client(&mock);
    let err = client.get_payment("pay_1", Default::default()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(501));
    assert_eq!(
        err.to_string(),
        "unexpected response status 501 Not Implemented: no answer configured for getPayment (GET /payments/pay_1)"
    );

    // With answers for other ids only, the message says what they are for.
    mock.get_payment()
        .when_path("id", "pay_2")
        .returns(vinr_payment("pay_2", vinr::types::PaymentStatus::Pending))
        .await;
    let err = client.get_payment("pay_1", Default::default()).await.unwrap_err();
    assert!(
        err.to_string().ends_with(
            "no answer configured for getPayment (GET /payments/pay_1) (configured only for [path id = pay_2])"
        ),
        "{err}"
    );

    // A path no operation has is named by method and path.
    let transport = Transport::builder(mock.url()).build().unwrap();
    let response = transport
        .execute(Request::new("custom", Method::GET, "/nowhere"))
        .await
        .unwrap();
    let err = response.unexpected::<()>();
    assert!(
        err.to_string()
            .ends_with("no answer configured for GET /nowhere (no operation has this method and path)"),
        "{err}"
    );
}

/// Two answers that fit one request equally are not chosen between: the request gets a 501
/// naming both.
#[tokio::test]
async fn answers_that_fit_equally_are_refused() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr_payment("pay_1", vinr::types::PaymentStatus::Pending);
    mock.list_payments()
        .when_query("limit", 2)
        .returns(vinr_page(&[], false))
        .await;
    mock.list_payments()
        .when_query("customer", "cus_1")
        .returns(vinr_page(&["pay_1"], false))
        .await;
    mock.get_payment().returns(payment).await;

    let params = build!(vinr::ListPaymentsParams {
        limit: Some(2),
        customer: Some("cus_1".into())
    });
    let err = vinr_client(&mock).list_payments(params).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("2 configured answers fit GET /payments equally"),
        "{err}"
    );
    assert!(
        err.to_string().contains("query limit=2") && err.to_string().contains("query customer=cus_1"),
        "{err}"
    );
}

#[tokio::test]
#[should_panic(
    expected = "getPayment has no path parameter \"payment_id\" (its path is /payments/{id}, with [\"id\"])"
)]
async fn an_unknown_path_parameter_is_refused_at_once() {
    let mock = vinr::mock::MockServer::start().await;
    let _ = mock.get_payment().when_path("payment_id", "pay_1");
}

#[tokio::test]
#[should_panic(expected = "getPayment (GET /payments/{id}) expects 1 call and now 2: give one call count")]
async fn two_call_counts_for_the_same_answers_are_refused() {
    let mock = vinr::mock::MockServer::start().await;
    mock.get_payment().times(1).await;
    mock.get_payment().times(2).await;
}

#[tokio::test]
#[should_panic(expected = "getPayment is awaited with nothing to configure")]
async fn configuring_nothing_is_refused() {
    let mock = vinr::mock::MockServer::start().await;
    mock.get_payment().when_path("id", "pay_1").await;
}

#[tokio::test]
async fn fails_answers_the_typed_error() {
    let mock = vinr::mock::MockServer::start().await;
    let error = vinr::types::ErrorResponse::new(vinr::types::ErrorDetail::new(
        "invalid_request_error",
        "No such payment",
    ));
    mock.get_payment().fails(404, error.clone()).await;

    let client = vinr_client(&mock);
    let err = client.get_payment("pay_x", Default::default()).await.unwrap_err();
    let Error::Api(response) = err else { panic!("{err:?}") };
    assert_eq!(response.status.as_u16(), 404);
    assert_eq!(response.body, error);
}

#[tokio::test]
async fn a_body_of_another_shape_is_refused() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr_payment("pay_1", vinr::types::PaymentStatus::Pending);
    mock.create_payment().returns(payment).await;

    // A request of another shape (`amount` as a string), as a client built from an outdated spec
    // would send it: the mock refuses it, and the client reads the 422 as an error.
    let transport = Transport::builder(mock.url()).build().unwrap();
    let mut request = Request::new("createPayment", Method::POST, "/payments");
    request.json(&serde_json::json!({"amount": "12.50", "currency": "eur"}));
    let response = transport.execute(request).await.unwrap();
    let err = response.unexpected::<()>();
    let message = err.to_string();
    let Error::UnexpectedStatus(response) = err else {
        panic!("{err:?}")
    };
    assert_eq!(response.status.as_u16(), 422);
    assert!(response.raw.contains("createPayment"), "{}", response.raw);
    assert!(response.raw.contains("invalid type: string"), "{}", response.raw);
    assert!(
        message.contains("createPayment: the request body does not match the spec"),
        "{message}"
    );
}

// ---- Vendreo -------------------------------------------------------------------------------

fn vendreo_payment(status: vendreo::types::PaymentStatus) -> vendreo::types::Payment {
    build!(vendreo::types::Payment { status: Some(status) })
}

fn vendreo_client(mock: &vendreo::mock::MockServer) -> vendreo::Client {
    vendreo::Client::new(mock.url(), Bearer::new("key")).unwrap()
}

#[tokio::test]
async fn vendreo_create_then_read() {
    let mock = vendreo::mock::MockServer::start().await;
    let created = build!(vendreo::types::RequestPaymentResponse {
        payment_request_id: Some("pr_1".to_owned()),
    });
    mock.request_payment().returns(created).await;
    mock.get_payment().returns(vendreo::types::Payment::default()).await;

    let client = vendreo_client(&mock);
    let payment_type = vendreo::types::RequestPaymentSchemaPaymentType::Single;
    let body =
        vendreo::types::RequestPaymentSchema::new(500, "app", "GBP", "Tea", payment_type, "ref-1", "https://x.test");
    let created = client.request_payment(&body).await.unwrap();
    let id = created.payment_request_id.clone().unwrap();
    client.get_payment(&id).await.unwrap();

    assert_eq!(mock.request_payment().received().await[0].body, body);
    assert!(mock.get_payment().received().await[0].path.ends_with("/pr_1"));
}

/// AIS transactions page by a number in the body: one answer per page number, read from the
/// typed body.
#[tokio::test]
async fn vendreo_walks_three_pages_by_the_body_page() {
    let mock = vendreo::mock::MockServer::start().await;
    let pages = [(1, vec![199, 250]), (2, vec![300]), (3, vec![])];
    for (number, amounts) in pages {
        let data = amounts
            .into_iter()
            .map(|amount| [("amount".to_owned(), json!(amount))].into())
            .collect();
        mock.list_ais_transactions()
            .when_path("accountConsent", "consent-1")
            .when(move |request| request.body.as_ref().and_then(|filter| filter.page) == Some(number))
            .returns(build!(vendreo::types::AisTransactionsPage { data: Some(data) }))
            .times(1)
            .await;
    }

    let filter = build!(vendreo::types::AisTransactionSchema {
        date_from: Some("2022-01-01".into())
    });
    let amounts: Vec<serde_json::Value> = vendreo_client(&mock)
        .list_ais_transactions_stream("consent-1", "account-1", filter)
        .map(|item| item.unwrap()["amount"].clone())
        .collect()
        .await;
    assert_eq!(amounts, [json!(199), json!(250), json!(300)]);
}

#[tokio::test]
async fn vendreo_answers_per_path_id() {
    use vendreo::types::PaymentStatus::{Completed, Pending};
    let mock = vendreo::mock::MockServer::start().await;
    mock.get_payment()
        .when_path("payment", "uuid-1")
        .returns(vendreo_payment(Completed))
        .await;
    mock.get_payment()
        .when_path("payment", "uuid-2")
        .returns(vendreo_payment(Pending))
        .await;

    let client = vendreo_client(&mock);
    assert_eq!(client.get_payment("uuid-2").await.unwrap().status, Some(Pending));
    assert_eq!(client.get_payment("uuid-1").await.unwrap().status, Some(Completed));
}

#[tokio::test]
async fn vendreo_503_then_200_and_call_counts() {
    use vendreo::types::PaymentStatus::Completed;
    let mock = vendreo::mock::MockServer::start().await;
    mock.get_payment()
        .fails_without_body(503)
        .returns(vendreo_payment(Completed))
        .times(2)
        .await;
    mock.list_payments().returns(Default::default()).times(1).await;

    let read = vendreo_client(&mock).get_payment("uuid-1").await.unwrap();
    assert_eq!((read.status.clone(), read.attempts()), (Some(Completed), 2));
    let err = mock.verify().unwrap_err();
    assert_eq!(
        err.unmet(),
        ["listPayments (GET /v1/payments): expected 1 call, received 0"]
    );
    mock.reset().await;
}

// ---- VR pay secure -------------------------------------------------------------------------

fn vrpay_client(mock: &vrpay_secure::mock::SignedMockServer) -> vrpay_secure::Client {
    let signer = vrpay_secure::signing::ApiSignature::new("secret").unwrap();
    vrpay_secure::Client::new(mock.url(), "shop", signer).unwrap()
}

fn vrpay_gateway(id: i64, status: vrpay_secure::types::GatewayStatus) -> vrpay_secure::types::Gateway {
    build!(vrpay_secure::types::Gateway {
        id: Some(id),
        status: Some(status)
    })
}

#[tokio::test]
async fn vrpay_secure_create_then_read_signed() {
    let mock = vrpay_secure::mock::SignedMockServer::start("secret").await;
    let gateway = build!(vrpay_secure::types::Gateway { id: Some(7) });
    mock.create_gateway().returns(gateway.clone()).await;
    mock.get_gateway().returns(gateway.clone()).await;

    let client = vrpay_client(&mock);
    let created = client
        .create_gateway(&vrpay_secure::types::GatewayRequest::new(8925, "CHF"))
        .await
        .unwrap();
    let read = client.get_gateway(created.id.unwrap()).await.unwrap();

    assert_eq!(*read, gateway);
    let form = &mock.create_gateway().received().await[0].body;
    assert!(form.contains(&("amount".to_owned(), "8925".to_owned())), "{form:?}");
    assert_eq!(mock.get_gateway().received().await[0].query("instance"), Some("shop"));

    // A client with another secret is refused with VR pay's 401.
    let wrong = vrpay_secure::signing::ApiSignature::new("other").unwrap();
    let client = vrpay_secure::Client::new(mock.url(), "shop", wrong).unwrap();
    let err = client.get_gateway(7).await.unwrap_err();
    let Error::Api(response) = err else { panic!("{err:?}") };
    assert_eq!(response.status.as_u16(), 401);
    assert_eq!(response.body.status, "error");
}

/// Offset paging, each page its own signed request: one answer per offset.
#[tokio::test]
async fn vrpay_secure_walks_three_pages_by_offset() {
    let mock = vrpay_secure::mock::SignedMockServer::start("secret").await;
    let transaction = |id| build!(vrpay_secure::types::Transaction { id: Some(id) });
    let pages = [
        (None, vec![transaction(2001), transaction(2002)]),
        (Some(2), vec![transaction(2003)]),
        (Some(3), vec![]),
    ];
    for (offset, page) in pages {
        mock.list_transactions()
            .when_query("offset", offset)
            .returns(page)
            .times(1)
            .await;
    }

    let params = build!(vrpay_secure::ListTransactionsParams { limit: Some(2) });
    let ids: Vec<Option<i64>> = vrpay_client(&mock)
        .list_transactions_stream(params)
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, [Some(2001), Some(2002), Some(2003)]);
}

#[tokio::test]
async fn vrpay_secure_answers_per_path_id() {
    use vrpay_secure::types::GatewayStatus::{Confirmed, Waiting};
    let mock = vrpay_secure::mock::SignedMockServer::start("secret").await;
    // An integer id, as the client takes it.
    mock.get_gateway()
        .when_path("id", 7)
        .returns(vrpay_gateway(7, Waiting))
        .await;
    mock.get_gateway()
        .when_path("id", 8)
        .returns(vrpay_gateway(8, Confirmed))
        .await;

    let client = vrpay_client(&mock);
    assert_eq!(client.get_gateway(8).await.unwrap().status, Some(Confirmed));
    assert_eq!(client.get_gateway(7).await.unwrap().status, Some(Waiting));
    // VR pay documents a `default` error: the 501 decodes as its error body or fails to, and
    // either way the message names the request.
    let err = client.get_gateway(9).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("no answer configured for getGateway (GET /Gateway/9/)"),
        "{err}"
    );
}

#[tokio::test]
async fn vrpay_secure_503_then_200_and_call_counts() {
    use vrpay_secure::types::GatewayStatus::Confirmed;
    let mock = vrpay_secure::mock::SignedMockServer::start("secret").await;
    mock.get_gateway()
        .when_path("id", 7)
        .fails_without_body(503)
        .returns(vrpay_gateway(7, Confirmed))
        .times(2)
        .await;
    mock.delete_gateway().returns(None).times(1).await;

    let read = vrpay_client(&mock).get_gateway(7).await.unwrap();
    assert_eq!((read.status.clone(), read.attempts()), (Some(Confirmed), 2));
    let err = mock.verify().unwrap_err();
    assert_eq!(
        err.unmet(),
        ["deleteGateway (DELETE /Gateway/{id}/): expected 1 call, received 0"]
    );
    mock.reset().await;
}

// ---- V-Pay ---------------------------------------------------------------------------------

fn vpay_outcome(status: vpay::types::PaymentStatus, id: &str) -> vpay::types::PaymentOutcome {
    vpay::types::PaymentOutcome::Payment(vpay::types::Payment::new(status, id))
}

fn vpay_client(mock: &vpay::mock::TokenMockServer) -> vpay::Client {
    use vpay::WithCredentials as _;
    vpay::Client::with_credentials(mock.url(), "user", "key").unwrap()
}

#[tokio::test]
async fn vpay_create_then_read_with_token_flow() {
    let mock = vpay::mock::TokenMockServer::start().await;
    let outcome = vpay_outcome(vpay::types::PaymentStatus::Pending, "tx_1");
    mock.initiate_payment().returns(outcome.clone()).await;
    mock.get_transaction_status().returns(outcome.clone()).await;

    let client = vpay_client(&mock);
    let body = vpay::types::InitiatePaymentRequest::new(
        100,
        "RWF",
        "250780000000",
        "ext-1",
        vpay::types::PaymentMethod::Mtnrw,
    );
    client.initiate_payment(&body).await.unwrap();
    let read = client.get_transaction_status("tx_1").await.unwrap();

    assert_eq!(*read, outcome);
    let received = mock.initiate_payment().received().await;
    assert_eq!(received[0].body, body);
    assert_eq!(received[0].header("authorization"), Some("Bearer mock-access-token"));
    assert_eq!(
        mock.get_transaction_status().received().await[0].query("transaction_id"),
        Some("tx_1")
    );
}

/// Polling a payment: pending twice, then successful for every call after.
#[tokio::test]
async fn vpay_polls_a_status_in_sequence() {
    use vpay::types::PaymentStatus::{Pending, Successful};
    let mock = vpay::mock::TokenMockServer::start().await;
    mock.get_transaction_status()
        .returns(vpay_outcome(Pending, "tx_1"))
        .returns(vpay_outcome(Pending, "tx_1"))
        .returns(vpay_outcome(Successful, "tx_1"))
        .await;

    let client = vpay_client(&mock);
    let mut seen = Vec::new();
    for _ in 0..4 {
        let outcome = client.get_transaction_status("tx_1").await.unwrap().into_inner();
        let vpay::types::PaymentOutcome::Payment(payment) = outcome else {
            panic!("{outcome:?}")
        };
        seen.push(payment.status);
    }
    assert_eq!(seen, [Pending, Pending, Successful, Successful]);
}

/// V-Pay's status check takes the id in the query: one answer per id.
#[tokio::test]
async fn vpay_answers_per_transaction_id() {
    use vpay::types::PaymentStatus::{Failed, Successful};
    let mock = vpay::mock::TokenMockServer::start().await;
    for (id, status) in [("tx_1", Successful), ("tx_2", Failed)] {
        mock.get_transaction_status()
            .when_query("transaction_id", id)
            .returns(vpay_outcome(status, id))
            .await;
    }

    let client = vpay_client(&mock);
    assert_eq!(
        *client.get_transaction_status("tx_2").await.unwrap(),
        vpay_outcome(Failed, "tx_2")
    );
    assert_eq!(
        *client.get_transaction_status("tx_1").await.unwrap(),
        vpay_outcome(Successful, "tx_1")
    );
}

#[tokio::test]
async fn vpay_503_then_200_and_call_counts() {
    use vpay::types::PaymentStatus::Successful;
    let mock = vpay::mock::TokenMockServer::start().await;
    mock.get_transaction_status()
        .fails_without_body(503)
        .returns(vpay_outcome(Successful, "tx_1"))
        .times(2)
        .await;
    mock.initiate_payment()
        .returns(vpay_outcome(Successful, "tx_2"))
        .times(1)
        .await;

    let read = vpay_client(&mock).get_transaction_status("tx_1").await.unwrap();
    assert_eq!((read.attempts(), &*read), (2, &vpay_outcome(Successful, "tx_1")));
    let err = mock.verify().unwrap_err();
    assert_eq!(
        err.unmet(),
        ["initiatePayment (POST /pay/): expected 1 call, received 0"]
    );
    mock.reset().await;
}

// ---- PayRequest ----------------------------------------------------------------------------

fn payrequest_status(status: payrequest::types::PaymentStatus) -> payrequest::types::RetrievePaymentResponse {
    payrequest::types::RetrievePaymentResponse::RetrievedPayment(payrequest::types::RetrievedPayment::new(status))
}

fn payrequest_client(mock: &payrequest::mock::MockServer) -> payrequest::Client {
    payrequest::Client::new(mock.url()).unwrap()
}

async fn payrequest_retrieve(client: &payrequest::Client, id: &str) -> payrequest::types::RetrievePaymentResponse {
    let body = payrequest::types::RetrievePaymentBody::new("tok", id);
    client.retrieve_payment(&body).await.unwrap().into_inner()
}

#[tokio::test]
async fn payrequest_create_then_read() {
    let mock = payrequest::mock::MockServer::start().await;
    let created = payrequest::types::PaymentRequestCreated::new(
        payrequest::types::PaymentRequestCreatedStatus::Success,
        "https://link.payrequest.io/abc",
    );
    let created = payrequest::types::CreatePaymentRequestResponse::PaymentRequestCreated(created);
    mock.create_payment_request().returns(created.clone()).await;
    let paid = payrequest_status(payrequest::types::PaymentStatus::Paid);
    mock.retrieve_payment().returns(paid.clone()).await;

    let client = payrequest_client(&mock);
    let body = payrequest::types::CreatePaymentRequestBody::new("tok", "Tea", "5.00");
    assert_eq!(*client.create_payment_request(&body).await.unwrap(), created);

    assert_eq!(payrequest_retrieve(&client, "abc").await, paid);
    assert_eq!(mock.create_payment_request().received().await[0].body, body);
    assert_eq!(mock.retrieve_payment().received().await[0].body.id, "abc");
}

/// PayRequest takes the id in the body: one answer per id, each in sequence (pending, then paid).
#[tokio::test]
async fn payrequest_answers_per_body_id_in_sequence() {
    use payrequest::types::PaymentStatus::{Failed, Paid, Pending};
    let mock = payrequest::mock::MockServer::start().await;
    mock.retrieve_payment()
        .when_body(json!({"id": "PR-1"}))
        .returns(payrequest_status(Pending))
        .returns(payrequest_status(Paid))
        .await;
    mock.retrieve_payment()
        .when_body(json!({"id": "PR-2"}))
        .returns(payrequest_status(Failed))
        .await;

    let client = payrequest_client(&mock);
    assert_eq!(payrequest_retrieve(&client, "PR-1").await, payrequest_status(Pending));
    assert_eq!(payrequest_retrieve(&client, "PR-2").await, payrequest_status(Failed));
    assert_eq!(payrequest_retrieve(&client, "PR-1").await, payrequest_status(Paid));
    assert_eq!(payrequest_retrieve(&client, "PR-1").await, payrequest_status(Paid));
}

/// `retrievePayment` is marked idempotent in the spec, so the client retries its 503.
#[tokio::test]
async fn payrequest_503_then_200_and_call_counts() {
    use payrequest::types::PaymentStatus::Paid;
    let mock = payrequest::mock::MockServer::start().await;
    mock.retrieve_payment()
        .fails_without_body(503)
        .returns(payrequest_status(Paid))
        .times(2)
        .await;
    let created = payrequest::types::PaymentRequestCreated::new(
        payrequest::types::PaymentRequestCreatedStatus::Success,
        "https://link.payrequest.io/abc",
    );
    mock.create_payment_request()
        .returns(payrequest::types::CreatePaymentRequestResponse::PaymentRequestCreated(
            created,
        ))
        .times(1)
        .await;

    let client = payrequest_client(&mock);
    let body = payrequest::types::RetrievePaymentBody::new("tok", "PR-1");
    let read = client.retrieve_payment(&body).await.unwrap();
    assert_eq!((read.attempts(), &*read), (2, &payrequest_status(Paid)));
    let err = mock.verify().unwrap_err();
    assert_eq!(
        err.unmet(),
        ["createPaymentRequest (POST /api/create/): expected 1 call, received 0"]
    );
    mock.reset().await;
}
