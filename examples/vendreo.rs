//! Start a Vendreo open-banking payment and check its status.
//! Run with `VENDREO_SECRET=… VENDREO_APPLICATION_KEY=… cargo run --example vendreo`.
//!
//! `get_payment` takes the payment's UUID, which the headless request returns at once (the
//! hosted `request_payment` returns only a `payment_request_id`; its payment's UUID arrives later
//! in the postback).

use paykit::runtime::Bearer;
use paykit::vendreo::types::{HeadlessRequestPaymentSchema, HeadlessRequestPaymentSchemaPaymentType};
use paykit::vendreo::{Client, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vendreo = Client::new(servers::PRODUCTION, Bearer::new(std::env::var("VENDREO_SECRET")?))?;

    let request = HeadlessRequestPaymentSchema::new(
        1999,
        "GBP",
        "Order #1042",
        HeadlessRequestPaymentSchemaPaymentType::Single,
        "https://shop.example/return",
        "order-1042",
        std::env::var("VENDREO_APPLICATION_KEY")?,
    );
    let created = vendreo.headless_request_payment(&request).await?;
    println!("send the payer to {:?}", created.redirect_url);

    if let Some(uuid) = &created.payment_uuid {
        match vendreo.get_payment(uuid).await {
            Ok(payment) => println!("status: {:?}", payment.status),
            Err(e) => println!("not yet: {e} (status {:?})", e.status()),
        }
    }
    Ok(())
}
