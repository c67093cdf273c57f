//! Create a VINR payment in the sandbox and read it back.
//! Run with `VINR_SECRET_KEY=sk_test_… cargo run --example vinr`.

use paykit::runtime::Bearer;
use paykit::vinr::types::CreatePaymentRequest;
use paykit::vinr::{Client, CreatePaymentParams, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("VINR_SECRET_KEY")?;
    let vinr = Client::new(servers::SANDBOX, Bearer::new(secret))?;

    let mut request = CreatePaymentRequest::new(1000, "EUR");
    request.description = Some("Order #1042".into());
    request.return_url = Some("https://shop.example/return".into());
    // No idempotency key given: the client sends a fresh one, so a retry never charges twice.
    let payment = vinr.create_payment(&request, CreatePaymentParams::default()).await?;
    println!(
        "created {} ({}), checkout at {:?}",
        payment.id, payment.status, payment.checkout_url
    );

    let again = vinr.get_payment(&payment.id, Default::default()).await?;
    println!("status now {}", again.status);
    Ok(())
}
