//! V-Pay: bearer tokens the client obtains itself from `/auth/` with the API user and key;
//! inputs from `tests/vpay.rs`.
//!
//! `initiatePayment` declares a callback (the payment webhook), which Prism sends, with a body
//! generated from the schema, to the payment's `callback_url`: that points at a local receiver
//! here (so nothing leaves the machine), and each delivery must decode as `WebhookEvent`.

use std::sync::OnceLock;
use std::time::Duration;

use paykit::vpay::token::TokenAuth;
use paykit::vpay::types::{
    CreatePaymentLinkRequest, InitiatePaymentRequest, PaymentLinkType, PaymentMethod, WebhookEvent,
};
use paykit::vpay::{Client, WithCredentials};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::contract::spec::Spec;
use crate::{Kind, Mode, Outcome, Provider, Report, outcome, transport};

const API_USER: &str = "vpay_sandbox_merchant42";
const API_KEY: &str = "sk_sandbox_7f3c9a1e5b2d4680";
/// Where Prism delivers the payment webhook (the local receiver).
static CALLBACK_URL: OnceLock<String> = OnceLock::new();

pub struct Vpay;

impl Provider for Vpay {
    const SPEC: &'static str = "vpay";
    type Client = Client;

    fn client(url: &str, prefer: Option<&str>) -> Result<Client, String> {
        match prefer {
            None => Client::with_credentials(url, API_USER, API_KEY).map_err(|e| e.to_string()),
            Some(_) => {
                // Tokens are fetched without `Prefer`: only the call under test gets the forced answer.
                let auth = TokenAuth::with_transport(transport(url, None)?, API_USER, API_KEY);
                let transport = transport(url, prefer)?.auth(auth.map_err(|e| e.to_string())?).build();
                Ok(Client::from_transport(transport.map_err(|e| e.to_string())?))
            }
        }
    }

    async fn call(client: &Client, operation: &str) -> Option<Outcome> {
        Some(match operation {
            "generateAccessToken" => outcome(client.generate_access_token().await),
            "initiatePayment" => outcome(client.initiate_payment(&payment_request()).await),
            "getTransactionStatus" => outcome(client.get_transaction_status("VP86583387").await),
            "createPaymentLink" => {
                let mut body = CreatePaymentLinkRequest::new("Monthly fee June", PaymentLinkType::Multiple);
                body.amount = Some(10000);
                body.description = Some("Membership, June".into());
                body.redirect_url = Some("https://shop.example.com/thanks".into());
                outcome(client.create_payment_link(&body).await)
            }
            _ => return None,
        })
    }
}

/// A card payment with every optional field set; its webhook goes to the local receiver.
fn payment_request() -> InitiatePaymentRequest {
    let mut body = InitiatePaymentRequest::new(1500, "RWF", "0790000000", "TXNID_5473", PaymentMethod::Card);
    body.payer_name = Some("Payer full name".into());
    body.payer_email = Some("payer@example.com".into());
    body.payee_message = Some("Short message".into());
    body.send_receipt = Some(true);
    body.callback_url = CALLBACK_URL.get().cloned();
    body.metadata = Some([("order_id".to_owned(), "1042".to_owned())].into());
    body
}

/// The operations, then the webhook deliveries Prism made meanwhile.
pub async fn run(url: &str, spec: &Spec, report: &mut Report) {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    CALLBACK_URL.get_or_init(|| format!("{}/vpay/webhook", receiver.uri()));

    crate::run::<Vpay>(url, spec, report).await;

    // Prism sends callbacks after it answered: give the last ones a moment.
    let mut deliveries = Vec::new();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let received = receiver.received_requests().await.unwrap_or_default();
        if !received.is_empty() && received.len() == deliveries.len() {
            break;
        }
        deliveries = received;
    }
    let operation = "paymentWebhook (callback of initiatePayment)";
    if deliveries.is_empty() {
        let detail = "Prism delivered no payment webhook to callback_url".to_owned();
        report.finding(Kind::Other, Vpay::SPEC, operation, &Mode::Label("-"), detail);
    }
    for delivery in &deliveries {
        // Prism 5 leaves a callback's header parameters out, so the signature is checked only
        // when one came.
        if let Some(signature) = delivery.headers.get("x-vpay-signature") {
            let signature = signature.to_str().unwrap_or_default();
            let hex = |b: u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
            if signature.len() != 64 || !signature.bytes().all(hex) {
                let detail = format!("X-VPay-Signature is not 64 lower-case hex digits: {signature:?}");
                report.finding(Kind::Other, Vpay::SPEC, operation, &Mode::Label("delivery"), detail);
            }
        }
        if let Err(e) = serde_json::from_slice::<WebhookEvent>(&delivery.body) {
            let body = String::from_utf8_lossy(&delivery.body);
            let detail = format!(
                "the delivery did not decode as WebhookEvent: {e}{}{}",
                crate::BODY,
                crate::cut(&body)
            );
            report.finding(
                Kind::DecodeFailure,
                Vpay::SPEC,
                operation,
                &Mode::Label("delivery"),
                detail,
            );
        }
    }
    report.extra(format!(
        "contract: V-Pay: {} payment webhook deliveries from Prism checked",
        deliveries.len()
    ));
}
