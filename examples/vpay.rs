//! Ask a V-Pay payer to pay by MTN Mobile Money, then check the payment's status.
//!
//! `cargo run --example vpay` runs offline, against V-Pay's typed mock server, which also runs
//! the token flow (`/auth/`, then the bearer token on every call): no network, no credentials.
//! With `VPAY_API_USER` and `VPAY_API_KEY` set (sandbox credentials select V-Pay's sandbox, on
//! the same host), it runs against V-Pay, paying from the sandbox number `0780000000`, which
//! always succeeds.

use paykit::vpay::mock::TokenMockServer;
use paykit::vpay::types::{InitiatePaymentRequest, Payment, PaymentMethod, PaymentOutcome, PaymentStatus};
use paykit::vpay::{Client, WithCredentials, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = ["VPAY_API_USER", "VPAY_API_KEY"].map(|name| std::env::var(name).unwrap_or_default());
    // The mock, if any, is kept until the end: it stops when dropped.
    let (vpay, _mock) = match credentials {
        [user, key] if !user.is_empty() && !key.is_empty() => {
            println!("V-Pay ({})", servers::PRODUCTION);
            (Client::with_credentials(servers::PRODUCTION, user, key)?, None)
        }
        _ => {
            let mock = offline().await;
            println!(
                "V-Pay offline: the typed mock at {} (set VPAY_API_USER and VPAY_API_KEY for V-Pay)",
                mock.url()
            );
            (
                Client::with_credentials(mock.url(), "offline-user", "offline-key")?,
                Some(mock),
            )
        }
    };

    // `external_id` must be new for every payment: V-Pay refuses a reused one.
    let external_id = format!("order-{}", std::process::id());
    let mut request = InitiatePaymentRequest::new(100, "RWF", "0780000000", external_id, PaymentMethod::Mtnrw);
    request.payee_message = Some("Order 1042".into());
    // V-Pay reports some failures inside a 200: the outcome is a payment or an error.
    let created = match vpay.initiate_payment(&request).await?.into_inner() {
        PaymentOutcome::Payment(payment) => payment,
        PaymentOutcome::ErrorResponse(error) => return Err(format!("V-Pay refused: {error:?}").into()),
    };
    println!("created {}: {}", created.transaction_id, created.status);

    match vpay.get_transaction_status(&created.transaction_id).await?.into_inner() {
        PaymentOutcome::Payment(payment) => println!("read back {}: {}", payment.transaction_id, payment.status),
        PaymentOutcome::ErrorResponse(error) => println!("read back: an error, {error:?}"),
    }
    Ok(())
}

/// A mock that answers as V-Pay's sandbox would: the payment pending, then successful when its
/// status is read by its transaction id.
async fn offline() -> TokenMockServer {
    let mock = TokenMockServer::start().await;
    let payment = |status| PaymentOutcome::Payment(Payment::new(status, "VP1042"));
    mock.initiate_payment().returns(payment(PaymentStatus::Pending)).await;
    mock.get_transaction_status()
        .when_query("transaction_id", "VP1042")
        .returns(payment(PaymentStatus::Successful))
        .await;
    mock
}
