//! PayRequest V1: no auth header (the API token is in every body); both answers are a `oneOf` of
//! an error and the result, always HTTP 200. Inputs from `tests/payrequest.rs`.

use paykit::payrequest::types::{CreatePaymentRequestBody, PaymentRequestType, RetrievePaymentBody};
use paykit::payrequest::{Client, FromMinorUnits};

use crate::{Outcome, Provider, outcome, transport};

const TOKEN: &str = "spJA4nChfSPDRSkD-Znb6iw-2WGkDR37GyxZ-GZomUo";
const ID: &str = "PR-000012457";

pub struct PayRequest;

impl Provider for PayRequest {
    const SPEC: &'static str = "payrequest";
    type Client = Client;

    fn client(url: &str, prefer: Option<&str>) -> Result<Client, String> {
        match prefer {
            None => Client::new(url).map_err(|e| e.to_string()),
            Some(_) => Ok(Client::from_transport(
                transport(url, prefer)?.build().map_err(|e| e.to_string())?,
            )),
        }
    }

    async fn call(client: &Client, operation: &str) -> Option<Outcome> {
        Some(match operation {
            "createPaymentRequest" => {
                let mut body = CreatePaymentRequestBody::from_minor_units(TOKEN, "Invoice #15123-14", 1225);
                body.id = Some(ID.into());
                body.name = Some("Jan Jansen".into());
                body.email = Some("jan@example.com".into());
                body.description = Some("Two tickets".into());
                body.r#type = Some(PaymentRequestType::Direct);
                body.response = Some("https://payrequest.io/responsehandler".into());
                outcome(client.create_payment_request(&body).await)
            }
            "retrievePayment" => {
                let body = RetrievePaymentBody::new(TOKEN, ID);
                outcome(client.retrieve_payment(&body).await)
            }
            _ => return None,
        })
    }
}
