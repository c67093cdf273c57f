//! Wire-level tests of the generated PayRequest V1 client against a local wiremock server, and of
//! its hand-written helpers.
//!
//! Both operations are checked for method, exact path, no query, no auth header (the token
//! travels in the body) and exact JSON body, and their documented answers are decoded. Then: each
//! of the ten documented error codes as a typed `PayRequestError` (with `realerror` for
//! `unknown`), the return hashes against the provider notes' worked example, `verify_return`
//! against forged and malformed returns, `confirm_return` (paid only when the API says so; a
//! forged return never reaches the API), and amounts formatted from minor units.

mod support;

use paykit::payrequest::amount::format_minor_units;
use paykit::payrequest::error::PayRequestError;
use paykit::payrequest::return_check::{
    ConfirmError, ConfirmedReturn, ReturnCheckError, ReturnOutcome, confirm_return, response_hash, return_id_hash,
    verify_return,
};
use paykit::payrequest::types::{
    CreatePaymentRequestBody, ErrorCode, PaymentRequestCreatedStatus, PaymentRequestType, PaymentStatus,
    RetrievePaymentBody,
};
use paykit::payrequest::{Client, servers};
use paykit::payrequest::{FromMinorUnits, IntoResult};
use paykit::runtime::{Error, StatusCode};
use serde_json::{Value, json};
use support::{no_authorization, ok_json, transport};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The docs' fake token and id (the provider notes' worked example, §3.2).
const TOKEN: &str = "spJA4nChfSPDRSkD-Znb6iw-2WGkDR37GyxZ-GZomUo";
const ID: &str = "PR-000012457";
/// md5("success" + ID), md5("failed" + ID) and md5(TOKEN + ID), as the provider notes give them.
const SUCCESS_HASH: &str = "4dc28dc5ea70ecea7aca23ec1e0c40d1";
const FAILED_HASH: &str = "8870ce35c588c22c5fe8c7dd9c6e5462";
const RETURN_ID: &str = "9aa9a8cafe5f78494b8fbea3807d559d";

/// The ten documented error codes and the variant each decodes into.
const ERROR_CODES: [(&str, ErrorCode); 10] = [
    ("notoken", ErrorCode::Notoken),
    ("noid", ErrorCode::Noid),
    ("novalidtoken", ErrorCode::Novalidtoken),
    ("nosuchlink", ErrorCode::Nosuchlink),
    ("notitle", ErrorCode::Notitle),
    ("noamount", ErrorCode::Noamount),
    ("notvalidamount", ErrorCode::Notvalidamount),
    ("nointegration", ErrorCode::Nointegration),
    ("pspnotsupported", ErrorCode::Pspnotsupported),
    ("unknown", ErrorCode::UnknownValue),
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A fresh mock server and a client pointed at it. PayRequest has no header auth: the token is in the body.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::from_transport(transport(server.uri()).build().expect("client"));
    (server, client)
}

/// Matches a request without a query string.
fn no_query(r: &Request) -> bool {
    r.url.query().is_none()
}

/// Expects exactly one `POST {endpoint}` with exactly `body`, answered with `answer`.
async fn mount(server: &MockServer, endpoint: &str, body: Value, answer: &Value) {
    Mock::given(method("POST"))
        .and(path(endpoint))
        .and(no_query)
        .and(no_authorization)
        .and(header("Content-Type", "application/json"))
        .and(body_json(body))
        .respond_with(ok_json(answer))
        .expect(1)
        .mount(server)
        .await;
}

/// Expects exactly one `/api/get/` for the worked example's token and id, answered with `answer`.
async fn mount_retrieve(server: &MockServer, answer: &Value) {
    mount(server, "/api/get/", json!({"token": TOKEN, "id": ID}), answer).await;
}

/// Fails the test (when the server is dropped) if anything at all reaches it.
async fn mount_nothing_expected(server: &MockServer) {
    Mock::given(any())
        .respond_with(ok_json(&json!({"status": "paid"})))
        .expect(0)
        .mount(server)
        .await;
}

/// The minimal create body with the amount 12,25 given in minor units.
fn minimal_body() -> CreatePaymentRequestBody {
    CreatePaymentRequestBody::from_minor_units(TOKEN, "Invoice #15123-14", 1225)
}

async fn create(client: &Client) -> Result<paykit::payrequest::types::PaymentRequestCreated, PayRequestError> {
    client
        .create_payment_request(&minimal_body())
        .await
        .unwrap()
        .into_inner()
        .into_result()
}

async fn retrieve(client: &Client) -> Result<paykit::payrequest::types::RetrievedPayment, PayRequestError> {
    client
        .retrieve_payment(&RetrievePaymentBody::new(TOKEN, ID))
        .await
        .unwrap()
        .into_inner()
        .into_result()
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[test]
fn the_production_server_is_the_documented_host() {
    assert_eq!(servers::PRODUCTION, "https://link.payrequest.io");
}

#[tokio::test]
async fn create_sends_every_field_and_decodes_the_link() {
    let (server, client) = setup().await;
    // The docs' example body, plus the optional fields it leaves out.
    mount(
        &server,
        "/api/create/",
        json!({
            "token": TOKEN,
            "id": ID,
            "title": "Invoice #15123-14",
            "amount": "12,25",
            "name": "Jan Jansen",
            "email": "jan@example.com",
            "description": "Two tickets",
            "type": "direct",
            "response": "https://payrequest.io/responsehandler"
        }),
        &json!({"status": "success", "url": "https://link.payrequest.io/630ep3t"}),
    )
    .await;

    let mut body = CreatePaymentRequestBody::from_minor_units(TOKEN, "Invoice #15123-14", 1225);
    body.id = Some(ID.into());
    body.name = Some("Jan Jansen".into());
    body.email = Some("jan@example.com".into());
    body.description = Some("Two tickets".into());
    body.r#type = Some(PaymentRequestType::Direct);
    body.response = Some("https://payrequest.io/responsehandler".into());
    let answer = client.create_payment_request(&body).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);

    let created = answer.into_inner().into_result().unwrap();
    assert_eq!(created.status, PaymentRequestCreatedStatus::Success);
    assert_eq!(created.url, "https://link.payrequest.io/630ep3t");
}

#[tokio::test]
async fn create_leaves_unset_fields_out_of_the_body() {
    // Exact body match: `None` fields must be absent, not `null`.
    let (server, client) = setup().await;
    mount(
        &server,
        "/api/create/",
        json!({"token": TOKEN, "title": "Invoice #15123-14", "amount": "12,25"}),
        &json!({"status": "success", "url": "https://link.payrequest.io/630ep3t"}),
    )
    .await;

    let created = create(&client).await.unwrap();
    assert_eq!(created.url, "https://link.payrequest.io/630ep3t");
}

#[tokio::test]
async fn create_with_type_link_sends_link() {
    let (server, client) = setup().await;
    mount(
        &server,
        "/api/create/",
        json!({"token": TOKEN, "id": ID, "title": "T", "amount": "0,05", "type": "link"}),
        &json!({"status": "success", "url": "https://link.payrequest.io/abc1234"}),
    )
    .await;

    let mut body = CreatePaymentRequestBody::from_minor_units(TOKEN, "T", 5);
    body.id = Some(ID.into());
    body.r#type = Some(PaymentRequestType::Link);
    let created = client
        .create_payment_request(&body)
        .await
        .unwrap()
        .into_inner()
        .into_result()
        .unwrap();
    assert_eq!(created.url, "https://link.payrequest.io/abc1234");
}

#[tokio::test]
async fn retrieve_sends_token_and_id_and_decodes_each_status() {
    for (wire, expected) in [
        ("paid", PaymentStatus::Paid),
        ("failed", PaymentStatus::Failed),
        ("pending", PaymentStatus::Pending),
        // PayRequest's later API writes `PAID`; the spec matches statuses case-insensitively.
        ("PAID", PaymentStatus::Paid),
        ("refunded", PaymentStatus::Unknown("refunded".into())),
    ] {
        let (server, client) = setup().await;
        mount_retrieve(&server, &json!({"status": wire})).await;
        let payment = retrieve(&client).await.unwrap();
        assert_eq!(payment.status, expected, "status {wire}");
    }
}

#[tokio::test]
async fn an_undocumented_http_status_is_unexpected_status_with_the_raw_body() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/get/"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .expect(3) // retrievePayment is marked idempotent: retried on 502
        .mount(&server)
        .await;

    let err = client
        .retrieve_payment(&RetrievePaymentBody::new(TOKEN, ID))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus(_)), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(err.raw_body(), Some("Bad Gateway"));
}

// ---------------------------------------------------------------------------------------------
// Errors: every documented code, typed
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_error_code_from_create_is_a_typed_error() {
    for (wire, code) in ERROR_CODES {
        let (server, client) = setup().await;
        mount(
            &server,
            "/api/create/",
            json!({"token": TOKEN, "title": "Invoice #15123-14", "amount": "12,25"}),
            &json!({"status": "error", "error": wire}),
        )
        .await;

        let err = create(&client).await.unwrap_err();
        assert_eq!(err, PayRequestError { code, realerror: None }, "code {wire}");
        assert!(err.to_string().contains(&format!("`{wire}`")), "{err}");
    }
}

#[tokio::test]
async fn every_error_code_from_retrieve_is_a_typed_error() {
    for (wire, code) in ERROR_CODES {
        let (server, client) = setup().await;
        mount_retrieve(&server, &json!({"status": "error", "error": wire})).await;

        let err = retrieve(&client).await.unwrap_err();
        assert_eq!(err.code, code, "code {wire}");
        assert_eq!(err.realerror, None);
        assert!(err.to_string().contains(&format!("`{wire}`")), "{err}");
    }
}

#[tokio::test]
async fn unknown_keeps_realerror_on_both_operations() {
    let answer = json!({"status": "error", "error": "unknown", "realerror": "Mollie: amount too low"});

    let (server, client) = setup().await;
    mount(
        &server,
        "/api/create/",
        json!({"token": TOKEN, "title": "Invoice #15123-14", "amount": "12,25"}),
        &answer,
    )
    .await;
    let err = create(&client).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownValue);
    assert_eq!(err.realerror.as_deref(), Some("Mollie: amount too low"));
    assert_eq!(
        err.to_string(),
        "PayRequest error `unknown`: an unexpected error (Mollie: amount too low)"
    );

    let (server, client) = setup().await;
    mount_retrieve(&server, &answer).await;
    let err = retrieve(&client).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownValue);
    assert_eq!(err.realerror.as_deref(), Some("Mollie: amount too low"));
}

#[tokio::test]
async fn an_undocumented_error_code_is_kept_as_sent() {
    let (server, client) = setup().await;
    mount_retrieve(&server, &json!({"status": "error", "error": "ratelimited"})).await;

    let err = retrieve(&client).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unknown("ratelimited".into()));
    assert_eq!(
        err.to_string(),
        "PayRequest error `ratelimited`: an error code this client does not know"
    );
}

#[test]
fn error_display_names_the_code_and_its_meaning() {
    let err = PayRequestError {
        code: ErrorCode::Nosuchlink,
        realerror: None,
    };
    assert_eq!(err.to_string(), "PayRequest error `nosuchlink`: no payment has this id");
    let err: Box<dyn std::error::Error> = Box::new(err);
    assert!(err.source().is_none());
}

// ---------------------------------------------------------------------------------------------
// Return hashes
// ---------------------------------------------------------------------------------------------

#[test]
fn the_provider_notes_worked_example() {
    assert_eq!(response_hash("success", ID), SUCCESS_HASH);
    assert_eq!(response_hash("failed", ID), FAILED_HASH);
    assert_eq!(return_id_hash(TOKEN, ID), RETURN_ID);
}

#[test]
fn verify_return_reports_success_and_failure() {
    assert_eq!(
        verify_return(TOKEN, ID, SUCCESS_HASH, RETURN_ID),
        Ok(ReturnOutcome::Success)
    );
    assert_eq!(
        verify_return(TOKEN, ID, FAILED_HASH, RETURN_ID),
        Ok(ReturnOutcome::Failed)
    );
}

#[test]
fn verify_return_accepts_upper_case_hex() {
    let upper = |s: &str| s.to_ascii_uppercase();
    assert_eq!(
        verify_return(TOKEN, ID, &upper(SUCCESS_HASH), &upper(RETURN_ID)),
        Ok(ReturnOutcome::Success)
    );
    assert_eq!(
        verify_return(TOKEN, ID, &upper(FAILED_HASH), RETURN_ID),
        Ok(ReturnOutcome::Failed)
    );
}

#[test]
fn verify_return_refuses_a_forged_return_id() {
    // The right `response` (anyone can compute it from the id), with a wrong `return_id`.
    for forged in [
        return_id_hash("another-token", ID),
        return_id_hash(TOKEN, "PR-000012458"),
        SUCCESS_HASH.to_owned(),
        md5_of_id_alone(),
    ] {
        assert_eq!(
            verify_return(TOKEN, ID, SUCCESS_HASH, &forged),
            Err(ReturnCheckError::ReturnIdMismatch),
            "{forged}"
        );
    }
    // A genuine return for another payment does not verify for this one.
    let other = "PR-000099999";
    assert_eq!(
        verify_return(
            TOKEN,
            ID,
            &response_hash("success", other),
            &return_id_hash(TOKEN, other)
        ),
        Err(ReturnCheckError::ReturnIdMismatch)
    );
}

/// md5(id): what `return_id` would be with an empty token.
fn md5_of_id_alone() -> String {
    return_id_hash("", ID)
}

#[test]
fn verify_return_refuses_a_response_matching_neither_status() {
    for response in [
        response_hash("paid", ID),
        response_hash("SUCCESS", ID),
        response_hash("success", "PR-000012458"),
        RETURN_ID.to_owned(),
    ] {
        assert_eq!(
            verify_return(TOKEN, ID, &response, RETURN_ID),
            Err(ReturnCheckError::UnknownResponse),
            "{response}"
        );
    }
}

/// Values that must never match `hash`: wrong lengths, padding, non-hex, unhashed inputs.
fn garbage(hash: &str) -> Vec<String> {
    vec![
        String::new(),
        hash[..31].to_owned(),
        format!("{hash}0"),
        format!(" {hash}"),
        format!("{hash}\n"),
        format!("{hash}{hash}"),
        hash.replace(|c: char| c.is_ascii_digit(), "g"),
        "success".to_owned(),
        format!("success{ID}"),
        "ä".repeat(16),
        "\0".repeat(32),
    ]
}

#[test]
fn verify_return_refuses_wrong_lengths_and_garbage() {
    for bad in garbage(SUCCESS_HASH) {
        assert_eq!(
            verify_return(TOKEN, ID, &bad, RETURN_ID),
            Err(ReturnCheckError::UnknownResponse),
            "response {bad:?}"
        );
    }
    for bad in garbage(RETURN_ID) {
        assert_eq!(
            verify_return(TOKEN, ID, SUCCESS_HASH, &bad),
            Err(ReturnCheckError::ReturnIdMismatch),
            "return_id {bad:?}"
        );
    }
    // Both wrong: the return_id check is reported.
    assert_eq!(
        verify_return(TOKEN, ID, "", ""),
        Err(ReturnCheckError::ReturnIdMismatch)
    );
}

#[test]
fn return_check_errors_say_which_check_failed() {
    assert!(ReturnCheckError::ReturnIdMismatch.to_string().contains("return_id"));
    assert!(ReturnCheckError::UnknownResponse.to_string().contains("response"));
    let err: Box<dyn std::error::Error> = Box::new(ReturnCheckError::UnknownResponse);
    assert!(err.to_string().contains("neither"));
}

// ---------------------------------------------------------------------------------------------
// confirm_return: hashes, then the API
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn confirm_return_reports_paid_when_hashes_verify_and_the_api_says_paid() {
    let (server, client) = setup().await;
    mount_retrieve(&server, &json!({"status": "paid"})).await;

    let confirmed = confirm_return(&client, TOKEN, ID, SUCCESS_HASH, RETURN_ID)
        .await
        .unwrap();
    assert_eq!(
        confirmed,
        ConfirmedReturn::Paid {
            returned: ReturnOutcome::Success
        }
    );
    assert!(confirmed.is_paid());
    assert_eq!(confirmed.returned(), ReturnOutcome::Success);
}

#[tokio::test]
async fn confirm_return_does_not_report_paid_when_the_api_does_not_say_paid() {
    // The redirect says success, but the API is the authority.
    for (wire, status) in [
        ("pending", PaymentStatus::Pending),
        ("failed", PaymentStatus::Failed),
        ("refunded", PaymentStatus::Unknown("refunded".into())),
    ] {
        let (server, client) = setup().await;
        mount_retrieve(&server, &json!({"status": wire})).await;

        let confirmed = confirm_return(&client, TOKEN, ID, SUCCESS_HASH, RETURN_ID)
            .await
            .unwrap();
        assert!(!confirmed.is_paid(), "{wire}");
        assert_eq!(
            confirmed,
            ConfirmedReturn::NotPaid {
                returned: ReturnOutcome::Success,
                status
            }
        );
    }
}

#[tokio::test]
async fn confirm_return_of_a_failed_return_follows_the_api() {
    let (server, client) = setup().await;
    mount_retrieve(&server, &json!({"status": "failed"})).await;
    let confirmed = confirm_return(&client, TOKEN, ID, FAILED_HASH, RETURN_ID)
        .await
        .unwrap();
    assert_eq!(
        confirmed,
        ConfirmedReturn::NotPaid {
            returned: ReturnOutcome::Failed,
            status: PaymentStatus::Failed
        }
    );

    // A customer who failed and then paid on the same link: the API says paid, so it is paid.
    let (server, client) = setup().await;
    mount_retrieve(&server, &json!({"status": "paid"})).await;
    let confirmed = confirm_return(&client, TOKEN, ID, FAILED_HASH, RETURN_ID)
        .await
        .unwrap();
    assert_eq!(
        confirmed,
        ConfirmedReturn::Paid {
            returned: ReturnOutcome::Failed
        }
    );
}

#[tokio::test]
async fn confirm_return_surfaces_api_errors_typed() {
    let (server, client) = setup().await;
    mount_retrieve(&server, &json!({"status": "error", "error": "nosuchlink"})).await;

    let err = confirm_return(&client, TOKEN, ID, SUCCESS_HASH, RETURN_ID)
        .await
        .unwrap_err();
    let ConfirmError::PayRequest(api) = &err else {
        panic!("expected a PayRequest error, got {err:?}");
    };
    assert_eq!(api.code, ErrorCode::Nosuchlink);
    assert!(err.to_string().contains("`nosuchlink`"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn confirm_return_surfaces_http_failures() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/get/"))
        .respond_with(ResponseTemplate::new(500).set_body_string("oops"))
        .expect(3) // retrievePayment is marked idempotent: retried on 500
        .mount(&server)
        .await;

    let err = confirm_return(&client, TOKEN, ID, SUCCESS_HASH, RETURN_ID)
        .await
        .unwrap_err();
    let ConfirmError::Request(inner) = &err else {
        panic!("expected a request error, got {err:?}");
    };
    assert_eq!(inner.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(inner.raw_body(), Some("oops"));

    // A 200 that is neither documented body.
    let (server, client) = setup().await;
    mount_retrieve(&server, &json!({"unexpected": true})).await;
    let err = confirm_return(&client, TOKEN, ID, SUCCESS_HASH, RETURN_ID)
        .await
        .unwrap_err();
    assert!(matches!(err, ConfirmError::Request(Error::Decode { .. })), "{err:?}");
}

#[tokio::test]
async fn confirm_return_never_calls_the_api_for_a_forged_return() {
    // Right `response`, wrong `return_id`.
    let (server, client) = setup().await;
    mount_nothing_expected(&server).await;
    let forged = return_id_hash("guessed-token", ID);
    let err = confirm_return(&client, TOKEN, ID, SUCCESS_HASH, &forged)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConfirmError::Return(ReturnCheckError::ReturnIdMismatch)),
        "{err:?}"
    );
    assert!(err.to_string().contains("return_id"), "{err}");
    server.verify().await;

    // Right `return_id`, `response` matching neither status.
    let (server, client) = setup().await;
    mount_nothing_expected(&server).await;
    let err = confirm_return(&client, TOKEN, ID, &response_hash("paid", ID), RETURN_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ConfirmError::Return(ReturnCheckError::UnknownResponse)),
        "{err:?}"
    );

    // Garbage.
    let (server, client) = setup().await;
    mount_nothing_expected(&server).await;
    let err = confirm_return(&client, TOKEN, ID, "not-a-hash", "").await.unwrap_err();
    assert!(matches!(err, ConfirmError::Return(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

#[test]
fn amounts_are_formatted_from_minor_units_with_a_decimal_comma() {
    for (minor, expected) in [
        (0, "0,00"),
        (1, "0,01"),
        (5, "0,05"),
        (10, "0,10"),
        (99, "0,99"),
        (100, "1,00"),
        (101, "1,01"),
        (1225, "12,25"),
        (100_000_000, "1000000,00"),
        (123_456_789_012, "1234567890,12"),
        (u64::MAX, "184467440737095516,15"),
    ] {
        assert_eq!(format_minor_units(minor), expected, "{minor}");
    }
}

#[test]
fn from_minor_units_sets_the_required_fields_only() {
    let body = CreatePaymentRequestBody::from_minor_units(TOKEN, "Invoice #15123-14", 1225);
    assert_eq!(body, CreatePaymentRequestBody::new(TOKEN, "Invoice #15123-14", "12,25"));
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"token": TOKEN, "title": "Invoice #15123-14", "amount": "12,25"})
    );
}
