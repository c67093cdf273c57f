//! Create a VINR payment and read it back.
//!
//! `cargo run --example vinr` runs offline, against VINR's typed mock server: no network, no
//! credentials. With `VINR_SECRET_KEY=sk_test_…` set, it runs against VINR's sandbox.

use paykit::runtime::Bearer;
use paykit::vinr::mock::MockServer;
use paykit::vinr::types::{CreatePaymentRequest, Payment, PaymentStatus};
use paykit::vinr::{Client, CreatePaymentParams, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The mock, if any, is kept until the end: it stops when dropped.
    let (vinr, _mock) = match std::env::var("VINR_SECRET_KEY").ok().filter(|key| !key.is_empty()) {
        Some(secret) => {
            println!("VINR sandbox ({})", servers::SANDBOX);
            (Client::new(servers::SANDBOX, Bearer::new(secret))?, None)
        }
        None => {
            let mock = offline().await;
            println!(
                "VINR offline: the typed mock at {} (set VINR_SECRET_KEY for the sandbox)",
                mock.url()
            );
            (Client::new(mock.url(), Bearer::new("sk_test_offline"))?, Some(mock))
        }
    };

    let mut request = CreatePaymentRequest::new(1000, "EUR");
    request.description = Some("Order #1042".into());
    request.return_url = Some("https://shop.example/return".into());
    // No idempotency key given: the client sends a fresh one, so a retry never charges twice.
    let payment = vinr.create_payment(&request, CreatePaymentParams::default()).await?;
    println!(
        "created {}: {}, {} {} (minor units), checkout at {}",
        payment.id,
        payment.status,
        payment.amount,
        payment.currency,
        payment.checkout_url.as_deref().unwrap_or("-")
    );

    let again = vinr.get_payment(&payment.id, Default::default()).await?;
    println!("read back {}: {}", again.id, again.status);
    Ok(())
}

/// A mock that answers as the sandbox would: the payment created, then the same payment read
/// back by its id.
async fn offline() -> MockServer {
    let mock = MockServer::start().await;
    let mut payment = Payment::new("pay_1042", "payment", PaymentStatus::Pending, 1000, "EUR");
    payment.description = Some("Order #1042".into());
    payment.checkout_url = Some("https://checkout.vinr.example/pay_1042".into());
    mock.create_payment().returns(payment.clone()).await;
    mock.get_payment().when_path("id", "pay_1042").returns(payment).await;
    mock
}
