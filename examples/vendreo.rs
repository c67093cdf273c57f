//! Start a Vendreo open-banking payment and check its status.
//!
//! `cargo run --example vendreo` runs offline, against Vendreo's typed mock server: no network,
//! no credentials. With `VENDREO_SECRET` and `VENDREO_APPLICATION_KEY` set (a test application's
//! pair selects Vendreo's sandbox, on the same host), it runs against Vendreo.
//!
//! `get_payment` takes the payment's UUID, which the headless request returns at once (the
//! hosted `request_payment` returns only a `payment_request_id`; its payment's UUID arrives later
//! in the postback).

use paykit::runtime::{Bearer, build};
use paykit::vendreo::mock::MockServer;
use paykit::vendreo::types::{
    HeadlessRequestPaymentResponse, HeadlessRequestPaymentSchema, HeadlessRequestPaymentSchemaPaymentType, Payment,
    PaymentStatus,
};
use paykit::vendreo::{Client, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = ["VENDREO_SECRET", "VENDREO_APPLICATION_KEY"].map(|name| std::env::var(name).unwrap_or_default());
    // The mock, if any, is kept until the end: it stops when dropped.
    let (vendreo, application_key, _mock) = match credentials {
        [secret, application_key] if !secret.is_empty() && !application_key.is_empty() => {
            println!("Vendreo ({})", servers::PRODUCTION);
            (
                Client::new(servers::PRODUCTION, Bearer::new(secret))?,
                application_key,
                None,
            )
        }
        _ => {
            let mock = offline().await;
            println!(
                "Vendreo offline: the typed mock at {} (set VENDREO_SECRET and VENDREO_APPLICATION_KEY for Vendreo)",
                mock.url()
            );
            let client = Client::new(mock.url(), Bearer::new("offline-secret"))?;
            (client, "offline-application-key".to_owned(), Some(mock))
        }
    };

    let request = HeadlessRequestPaymentSchema::new(
        1999,
        "GBP",
        "Order #1042",
        HeadlessRequestPaymentSchemaPaymentType::Single,
        "https://shop.example/return",
        "order-1042",
        application_key,
    );
    let created = vendreo.headless_request_payment(&request).await?;
    let uuid = created.payment_uuid.as_deref().unwrap_or("-");
    println!(
        "created payment {uuid}: send the payer to {}",
        created.redirect_url.as_deref().unwrap_or("-")
    );

    if let Some(uuid) = &created.payment_uuid {
        // Until the payer reaches their bank, Vendreo may not know the payment yet.
        match vendreo.get_payment(uuid).await {
            Ok(payment) => {
                let status = payment
                    .status
                    .as_ref()
                    .map_or("unknown".to_owned(), ToString::to_string);
                println!("read back {uuid}: {status}");
            }
            Err(e) => println!("not readable yet: {e} (status {:?})", e.status()),
        }
    }
    Ok(())
}

/// A mock that answers as Vendreo would: the payment started, then its status by its UUID.
async fn offline() -> MockServer {
    let mock = MockServer::start().await;
    let uuid = "9f1c2a4e-0b7d-4c55-8a3e-2d6f1e0c1042";
    mock.headless_request_payment()
        .returns(build!(HeadlessRequestPaymentResponse {
            payment_uuid: Some(uuid.into()),
            redirect_url: Some(format!("https://pay.vendreo.example/{uuid}")),
            success: Some(true),
        }))
        .await;
    mock.get_payment()
        .when_path("payment", uuid)
        .returns(build!(Payment {
            payment_uuid: Some(uuid.into()),
            amount: Some(1999),
            status: Some(PaymentStatus::Pending),
        }))
        .await;
    mock
}
