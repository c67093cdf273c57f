//! Documented sample bodies several test files answer with, kept once.

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
