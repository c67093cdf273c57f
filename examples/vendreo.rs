//! Start a Vendreo open-banking payment and check its status.
//! Run with `VENDREO_SECRET=… VENDREO_APPLICATION_KEY=… cargo run --example vendreo`.

use paykit::runtime::Bearer;
use paykit::vendreo::types::{RequestPaymentSchema, RequestPaymentSchemaPaymentType};
use paykit::vendreo::{Client, servers};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vendreo = Client::new(servers::PRODUCTION, Bearer::new(std::env::var("VENDREO_SECRET")?))?;

    let request = RequestPaymentSchema::new(
        1999,
        std::env::var("VENDREO_APPLICATION_KEY")?,
        "GBP",
        "Order #1042",
        RequestPaymentSchemaPaymentType::Single,
        "order-1042",
        "https://shop.example/success",
    );
    let created = vendreo.request_payment(&request).await?;
    println!("send the payer to {:?}", created.redirect_url);

    if let Some(id) = &created.payment_request_id {
        match vendreo.get_payment(id).await {
            Ok(payment) => println!("status: {:?}", payment.status),
            Err(e) => println!("not yet: {e} (status {:?})", e.status()),
        }
    }
    Ok(())
}
