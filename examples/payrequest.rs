//! Create a PayRequest payment request (a payment link) and read its status back.
//!
//! `cargo run --example payrequest` runs offline, against PayRequest's typed mock server: no
//! network, no credentials. With `PAYREQUEST_TOKEN` set (your API token; PayRequest has no sandbox
//! host, so use its test mode), it runs against PayRequest.

use paykit::payrequest::mock::MockServer;
use paykit::payrequest::types::{
    CreatePaymentRequestBody, CreatePaymentRequestResponse, PaymentRequestCreated, PaymentRequestCreatedStatus,
    PaymentStatus, RetrievePaymentBody, RetrievePaymentResponse, RetrievedPayment,
};
use paykit::payrequest::{Client, FromMinorUnits, IntoResult, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The mock, if any, is kept until the end: it stops when dropped.
    let (payrequest, token, _mock) = match std::env::var("PAYREQUEST_TOKEN").ok().filter(|token| !token.is_empty()) {
        Some(token) => {
            println!("PayRequest ({})", servers::PRODUCTION);
            (Client::new(servers::PRODUCTION)?, token, None)
        }
        None => {
            let mock = offline().await;
            println!(
                "PayRequest offline: the typed mock at {} (set PAYREQUEST_TOKEN for PayRequest)",
                mock.url()
            );
            (Client::new(mock.url())?, "offline-token".to_owned(), Some(mock))
        }
    };

    // Your own id for it: PayRequest answers by it later.
    let id = format!("PR-{}", std::process::id());
    let mut body = CreatePaymentRequestBody::from_minor_units(token.as_str(), "Order #1042", 1225); // "12,25"
    body.id = Some(id.clone());
    body.response = Some("https://shop.example/payrequest/return".into());
    // PayRequest reports errors inside a 200: `into_result` types them.
    let created = payrequest
        .create_payment_request(&body)
        .await?
        .into_inner()
        .into_result()?;
    println!("created {id}: send the customer to {}", created.url);

    let read = payrequest
        .retrieve_payment(&RetrievePaymentBody::new(token.as_str(), id.as_str()))
        .await?;
    println!("read back {id}: {}", read.into_inner().into_result()?.status);
    Ok(())
}

/// A mock that answers as PayRequest would: the payment link, then the payment still pending.
async fn offline() -> MockServer {
    let mock = MockServer::start().await;
    let created = PaymentRequestCreated::new(
        PaymentRequestCreatedStatus::Success,
        "https://link.payrequest.io/offline",
    );
    mock.create_payment_request()
        .returns(CreatePaymentRequestResponse::PaymentRequestCreated(created))
        .await;
    let pending = RetrievedPayment::new(PaymentStatus::Pending);
    mock.retrieve_payment()
        .returns(RetrievePaymentResponse::RetrievedPayment(pending))
        .await;
    mock
}
