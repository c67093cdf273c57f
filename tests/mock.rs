//! The typed mock servers (`mock` feature): for each provider, create a payment and read it
//! back against its mock; a typed error; a request of the wrong shape refused with 422.

#![cfg(feature = "mock")]

use paykit::runtime::{Bearer, Error, Method, Request, Transport};
use paykit::{payrequest, vendreo, vinr, vpay, vrpay_secure};

#[tokio::test]
async fn vinr_create_then_read() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr::types::Payment::new("pay_1", "payment", vinr::types::PaymentStatus::Pending, 1250, "eur");
    mock.create_payment().returns(payment.clone()).await;
    mock.get_payment().returns(payment.clone()).await;

    let client = vinr::Client::new(mock.url(), Bearer::new("sk_test")).unwrap();
    let body = vinr::types::CreatePaymentRequest::new(1250, "eur");
    let created = client.create_payment(&body, Default::default()).await.unwrap();
    let read = client.get_payment(&created.id, Default::default()).await.unwrap();

    assert_eq!(*read, payment);
    let received = mock.create_payment().received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, body);
    assert_eq!(mock.get_payment().received().await[0].path, "/payments/pay_1");
}

#[tokio::test]
async fn vendreo_create_then_read() {
    let mock = vendreo::mock::MockServer::start().await;
    let created = paykit::runtime::build!(vendreo::types::RequestPaymentResponse {
        payment_request_id: Some("pr_1".to_owned()),
    });
    mock.request_payment().returns(created).await;
    mock.get_payment().returns(vendreo::types::Payment::default()).await;

    let client = vendreo::Client::new(mock.url(), Bearer::new("key")).unwrap();
    let payment_type = vendreo::types::RequestPaymentSchemaPaymentType::Single;
    let body =
        vendreo::types::RequestPaymentSchema::new(500, "app", "GBP", "Tea", payment_type, "ref-1", "https://x.test");
    let created = client.request_payment(&body).await.unwrap();
    let id = created.payment_request_id.clone().unwrap();
    client.get_payment(&id).await.unwrap();

    assert_eq!(mock.request_payment().received().await[0].body, body);
    assert!(mock.get_payment().received().await[0].path.ends_with("/pr_1"));
}

#[tokio::test]
async fn vrpay_secure_create_then_read_signed() {
    let mock = vrpay_secure::mock::SignedMockServer::start("secret").await;
    let gateway = paykit::runtime::build!(vrpay_secure::types::Gateway { id: Some(7) });
    mock.create_gateway().returns(gateway.clone()).await;
    mock.get_gateway().returns(gateway.clone()).await;

    let signer = vrpay_secure::signing::ApiSignature::new("secret").unwrap();
    let client = vrpay_secure::Client::new(mock.url(), "shop", signer).unwrap();
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

#[tokio::test]
async fn payrequest_create_then_read() {
    let mock = payrequest::mock::MockServer::start().await;
    let created = payrequest::types::PaymentRequestCreated::new(
        payrequest::types::PaymentRequestCreatedStatus::Success,
        "https://link.payrequest.io/abc",
    );
    let created = payrequest::types::CreatePaymentRequestResponse::PaymentRequestCreated(created);
    mock.create_payment_request().returns(created.clone()).await;
    let paid = payrequest::types::RetrievedPayment::new(payrequest::types::PaymentStatus::Paid);
    let paid = payrequest::types::RetrievePaymentResponse::RetrievedPayment(paid);
    mock.retrieve_payment().returns(paid.clone()).await;

    let client = payrequest::Client::new(mock.url()).unwrap();
    let body = payrequest::types::CreatePaymentRequestBody::new("tok", "Tea", "5.00");
    assert_eq!(*client.create_payment_request(&body).await.unwrap(), created);
    let read = client
        .retrieve_payment(&payrequest::types::RetrievePaymentBody::new("tok", "abc"))
        .await
        .unwrap();

    assert_eq!(*read, paid);
    assert_eq!(mock.create_payment_request().received().await[0].body, body);
    assert_eq!(mock.retrieve_payment().received().await[0].body.id, "abc");
}

#[tokio::test]
async fn vpay_create_then_read_with_token_flow() {
    use vpay::WithCredentials as _;

    let mock = vpay::mock::TokenMockServer::start().await;
    let payment = vpay::types::Payment::new(vpay::types::PaymentStatus::Pending, "tx_1");
    let outcome = vpay::types::PaymentOutcome::Payment(payment);
    mock.initiate_payment().returns(outcome.clone()).await;
    mock.get_transaction_status().returns(outcome.clone()).await;

    let client = vpay::Client::with_credentials(mock.url(), "user", "key").unwrap();
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

#[tokio::test]
async fn fails_answers_the_typed_error() {
    let mock = vinr::mock::MockServer::start().await;
    let error = vinr::types::ErrorResponse::new(vinr::types::ErrorDetail::new(
        "invalid_request_error",
        "No such payment",
    ));
    mock.get_payment().fails(404, error.clone()).await;

    let client = vinr::Client::new(mock.url(), Bearer::new("sk_test")).unwrap();
    let err = client.get_payment("pay_x", Default::default()).await.unwrap_err();
    let Error::Api(response) = err else { panic!("{err:?}") };
    assert_eq!(response.status.as_u16(), 404);
    assert_eq!(response.body, error);
}

#[tokio::test]
async fn a_body_of_another_shape_is_refused() {
    let mock = vinr::mock::MockServer::start().await;
    let payment = vinr::types::Payment::new("pay_1", "payment", vinr::types::PaymentStatus::Pending, 1, "eur");
    mock.create_payment().returns(payment).await;

    // A request of another shape (`amount` as a string), as a client built from an outdated spec
    // would send it: the mock refuses it, and the client reads the 422 as an error.
    let transport = Transport::builder(mock.url()).build().unwrap();
    let mut request = Request::new("createPayment", Method::POST, "/payments");
    request.json(&serde_json::json!({"amount": "12.50", "currency": "eur"}));
    let response = transport.execute(request).await.unwrap();
    let err = response.unexpected::<()>();
    let Error::UnexpectedStatus(response) = err else {
        panic!("{err:?}")
    };
    assert_eq!(response.status.as_u16(), 422);
    assert!(response.raw.contains("createPayment"), "{}", response.raw);
    assert!(response.raw.contains("invalid type: string"), "{}", response.raw);
}
