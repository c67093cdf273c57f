//! Create a VR pay secure payment gateway (a payment page) and read it back.
//!
//! `cargo run --example vrpay_secure` runs offline, against VR pay's typed mock server, which
//! checks every request's `ApiSignature` as VR pay does: no network, no credentials. With
//! `VRPAY_INSTANCE` (your instance name, `example` for `example.vr-pay-secure.de`) and
//! `VRPAY_API_SECRET` set, it runs against VR pay (which has no sandbox host: use a test
//! instance).

use paykit::runtime::build;
use paykit::vrpay_secure::mock::SignedMockServer;
use paykit::vrpay_secure::signing::ApiSignature;
use paykit::vrpay_secure::types::{Gateway, GatewayRequest, GatewayStatus, LocalizedText};
use paykit::vrpay_secure::{Client, servers};

/// The API secret of the offline mock.
const OFFLINE_SECRET: &str = "offline-api-secret";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = ["VRPAY_INSTANCE", "VRPAY_API_SECRET"].map(|name| std::env::var(name).unwrap_or_default());
    // The mock, if any, is kept until the end: it stops when dropped.
    let (vrpay, _mock) = match credentials {
        [instance, secret] if !instance.is_empty() && !secret.is_empty() => {
            println!("VR pay secure ({}, instance {instance})", servers::PRODUCTION);
            (
                Client::new(servers::PRODUCTION, instance, ApiSignature::new(secret)?)?,
                None,
            )
        }
        _ => {
            let mock = offline().await;
            println!(
                "VR pay secure offline: the typed mock at {} (set VRPAY_INSTANCE and VRPAY_API_SECRET for VR pay)",
                mock.url()
            );
            let client = Client::new(mock.url(), "offline", ApiSignature::new(OFFLINE_SECRET)?)?;
            (client, Some(mock))
        }
    };

    let mut request = GatewayRequest::new(8925, "CHF");
    request.purpose = Some(LocalizedText::from([("0".to_owned(), "Order #1042".to_owned())]));
    request.reference_id = Some("order-1042".into());
    // A signed form body: psp%5B0%5D=…&ApiSignature=…
    let gateway = vrpay.create_gateway(&request).await?;
    let id = gateway.id.ok_or("VR pay answered a gateway without an id")?;
    println!(
        "created gateway {id}: pay at {}",
        gateway.link.as_deref().unwrap_or("-")
    );

    let again = vrpay.get_gateway(id).await?;
    let status = again.status.as_ref().map_or("unknown".to_owned(), ToString::to_string);
    let amount = again.amount.map_or("-".to_owned(), |amount| amount.to_string());
    let currency = again.currency.as_deref().unwrap_or("-");
    println!("read back gateway {id}: {status}, {amount} {currency} (minor units)");
    Ok(())
}

/// A mock that answers as VR pay would, and refuses any request not signed with
/// [`OFFLINE_SECRET`]: the gateway created, then read back by its id.
async fn offline() -> SignedMockServer {
    let mock = SignedMockServer::start(OFFLINE_SECRET).await;
    let gateway = build!(Gateway {
        id: Some(1042),
        status: Some(GatewayStatus::Waiting),
        link: Some("https://offline.vr-pay-secure.example/?payment=1042".into()),
        amount: Some(8925),
        currency: Some("CHF".into()),
        reference_id: Some("order-1042".into()),
    });
    mock.create_gateway().returns(gateway.clone()).await;
    mock.get_gateway().when_path("id", 1042).returns(gateway).await;
    mock
}
