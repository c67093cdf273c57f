//! Documented sample bodies several test files answer with, kept once.

use paykit::vrpay_secure::types::{InvoiceRequest, PaymentFormField, PaymentFormFields};
use serde_json::{Value, json};

/// The overview page's payment ("Response Format"), with the optional fields the client knows.
pub fn vinr_payment() -> Value {
    json!({
        "id": "pay_1234567890",
        "object": "payment",
        "status": "completed",
        "amount": 1000,
        "currency": "EUR",
        "description": "Order #1042",
        "returnUrl": "https://shop.example.com/return",
        "checkoutUrl": "https://checkout.vinr.com/pay_1234567890",
        "created_at": "2026-04-15T10:30:00Z",
        "metadata": {"order_id": "1042"}
    })
}

/// The docs' "Standard Response" sample of `POST /pay/`, misspelt status included.
pub fn vpay_standard_payment() -> Value {
    json!({
        "status": "PENNDING",
        "message": "Payment link created. Redirect the customer to payment_url.",
        "transaction_id": "VP86583387",
        "merchant": "VONSUNG",
        "payment_url": "https://vonsung.rw/api/checkout/3f9aab1b-39e6-4188-a239-81a4xxxxxxx"
    })
}

/// The docs' "Self-hosted MoMo payment Response" sample.
pub fn vpay_self_hosted_payment() -> Value {
    json!({
        "status_code": 200,
        "status": "SUCCESSFUL",
        "message": "Transaction completed successfully.",
        "amount": "240.00",
        "currency": "RWF",
        "transaction_date": "2026-05-30 08:03:32 PM",
        "timezone": "Africa/Kigali",
        "transaction_date_gmt": "2026-05-30 06:03:32 PM",
        "time_taken": "16 sec",
        "payer_name": "Celestin Niyomugabo",
        "payer_phone": "250790000000",
        "mode": "live",
        "transaction_id": "VP86583387",
        "merchant": "VONSUNG",
        "external_id": "TXN_TDTAGD1HFJS"
    })
}

/// A VR pay gateway as `data[0]` echoes it (PHP style: flags as 0/1, empty `invoices`).
pub fn vrpay_gateway() -> Value {
    json!({
        "id": 4711,
        "status": "waiting",
        "hash": "a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3",
        "referenceId": "ORD-1",
        "link": "https://demo.vr-pay-secure.de/?payment=a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3",
        "invoices": [],
        "preAuthorization": 0,
        "reservation": 1,
        "fields": {"forename": {"value": "Max"}, "email": {"value": "max.muster@example.com"}},
        "psp": [36, 44],
        "pm": ["visa", "mastercard"],
        "amount": 8925,
        "currency": "CHF",
        "vatRate": 7.7,
        "sku": "",
        "purpose": {"0": "Order #1 ~ test", "1": "Bestellung #1 ~ Größe M"},
        "skipResultPage": 1,
        "createdAt": 1767225600
    })
}

/// A VR pay invoice with every optional field the invoice form documents.
pub fn vrpay_invoice_request() -> InvoiceRequest {
    let mut body = InvoiceRequest::new(
        "Invoice 2026-001",
        "Web design, January",
        "INV-2026-001",
        "Web design ~ January 2026",
        120000,
        "EUR",
    );
    body.vat_rate = Some(8.1);
    body.psp = Some(vec![36]);
    body.pm = Some(vec!["twint".into()]);
    body.sku = Some("WD-01".into());
    body.pre_authorization = Some(false);
    body.reservation = Some(false);
    body.name = Some("January web design".into());
    body.fields = Some(paykit::runtime::build!(PaymentFormFields {
        title: Some(paykit::runtime::build!(PaymentFormField {
            mandatory: Some(true),
            default_value: Some("miss".into()),
        })),
        email: Some(paykit::runtime::build!(PaymentFormField {
            mandatory: Some(true),
            default_value: Some("anna+billing@example.com".into()),
        })),
        custom_field_1: Some(paykit::runtime::build!(PaymentFormField {
            name: Some("Project no.".into()),
            mandatory: Some(false),
        })),
        terms: Some(paykit::runtime::build!(PaymentFormField { mandatory: Some(true) })),
    }));
    body.hide_fields = Some(false);
    body.button_text = Some("Pay invoice".into());
    body.expiration_date = Some("2026-02-28".into());
    body.success_redirect_url = Some("https://agency.example/paid".into());
    body.failed_redirect_url = Some("https://agency.example/failed".into());
    body.subscription_state = Some(false);
    body
}
