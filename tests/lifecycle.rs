//! The request lifecycle every generated client shares, tried as a hostile network and a careless
//! caller would: retries (and where they must not happen), idempotency keys, undocumented 2xx,
//! redirects, redaction of signatures, response size limits, empty secrets and V-Pay's token.
//!
//! Every server here is the scripted in-process [`FaultServer`], and every test runs on a paused
//! tokio clock: timeouts and backoff waits pass in virtual time, and the arrival times the server
//! records show exactly how long the client waited.

mod support;

use std::time::{Duration, SystemTime};

use paykit::payrequest::FromMinorUnits;
use paykit::runtime::{Bearer, Error, IdempotencyKey, RetryPolicy, Transport};
use paykit::vinr::types::CreatePaymentRequest;
use paykit::vinr::{self, CreatePaymentParams, GetPaymentParams};
use paykit::vpay::WithCredentials;
use paykit::vrpay_secure::signing::ApiSignature;
use paykit::{payrequest, vpay, vrpay_secure};
use serde_json::{Value, json};
use support::fault::{FaultServer, Received, Reply, refused_url};

const KEY: &str = "sk_test_lifecycle";

fn payment_json() -> Value {
    json!({
        "id": "pay_1", "object": "payment", "status": "pending", "amount": 1000, "currency": "EUR",
        "created_at": "2026-04-15T10:30:00Z"
    })
}

fn vinr_client(url: String) -> vinr::Client {
    vinr_with(Transport::builder(url))
}

fn vinr_with(builder: paykit::runtime::TransportBuilder) -> vinr::Client {
    vinr::Client::from_transport(builder.auth(Bearer::new(KEY)).build().expect("client"))
}

async fn create(
    client: &vinr::Client,
    params: CreatePaymentParams,
) -> Result<paykit::vinr::types::Payment, Error<paykit::vinr::types::ErrorResponse>> {
    client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), params)
        .await
        .map(|p| p.into_inner())
}

/// A VR pay client signing with a test secret: its `createGateway` is a POST without an
/// idempotency key.
fn vrpay_with(builder: paykit::runtime::TransportBuilder) -> vrpay_secure::Client {
    let signer = ApiSignature::new("secret").expect("secret");
    vrpay_secure::Client::from_transport(builder.auth(signer).build().expect("client"), "shop")
}

async fn create_gateway(client: &vrpay_secure::Client) -> Error<vrpay_secure::types::Error> {
    client
        .create_gateway(&vrpay_secure::types::GatewayRequest::new(100, "CHF"))
        .await
        .unwrap_err()
}

/// Virtual time between consecutive requests the server received.
fn gaps(received: &[Received]) -> Vec<Duration> {
    received.windows(2).map(|w| w[1].at - w[0].at).collect()
}

fn keys(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.header("idempotency-key").unwrap_or_default().to_owned())
        .collect()
}

// --- Idempotency keys survive retries, automatic and the caller's own. -------------------------

#[tokio::test(start_paused = true)]
async fn a_timed_out_create_is_retried_with_the_same_key_and_reports_it() {
    let server = FaultServer::start(vec![Reply::Stall, Reply::json(200, &payment_json())]).await;
    let client = vinr_client(server.url());
    let params = CreatePaymentParams::default();
    let key = params.idempotency_key.clone();

    let payment = client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), params)
        .await
        .expect("the retry succeeds");
    assert_eq!(payment.id, "pay_1");
    assert_eq!(payment.attempts(), 2);
    assert_eq!(payment.idempotency_key(), Some(key.as_str()));
    let received = server.received();
    assert_eq!(keys(&received), [key.as_str(), key.as_str()]);
    // The first attempt waited for the whole 30 s timeout.
    assert!(gaps(&received)[0] >= Duration::from_secs(30), "{:?}", gaps(&received));
}

#[tokio::test(start_paused = true)]
async fn the_callers_own_retry_with_cloned_params_sends_the_same_key() {
    let server = FaultServer::start(vec![Reply::Stall]).await;
    let client = vinr_with(Transport::builder(server.url()).retry(RetryPolicy::never()));
    let params = CreatePaymentParams::default();

    let err = create(&client, params.clone()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    let key = err.idempotency_key().expect("the key is on the error").to_owned();
    assert_eq!(key, params.idempotency_key.as_str());
    assert!(err.to_string().contains(&key), "{err}");

    let _ = create(&client, params.clone()).await.unwrap_err();
    let _ = create(&client, CreatePaymentParams::default()).await.unwrap_err();
    let sent = keys(&server.received());
    assert_eq!(sent[0], key);
    assert_eq!(sent[1], key, "a repeat with the same params must not charge twice");
    assert_ne!(sent[2], key, "a new call gets a new key");
    assert_eq!(IdempotencyKey::from(key.clone()).as_str(), key);
}

// --- What is retried, and what never is. ----------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_get_is_retried_on_502_and_503_with_jittered_backoff() {
    let server = FaultServer::start(vec![
        Reply::status(502),
        Reply::status(503),
        Reply::json(200, &payment_json()),
    ])
    .await;
    let payment = vinr_client(server.url())
        .get_payment("pay_1", GetPaymentParams::default())
        .await
        .expect("third attempt");
    assert_eq!(payment.attempts(), 3);
    let gaps = gaps(&server.received());
    // Full jitter: at most 500 ms before the first retry, at most 1 s before the second.
    assert!(gaps[0] <= Duration::from_millis(500), "{gaps:?}");
    assert!(gaps[1] <= Duration::from_secs(1), "{gaps:?}");
}

#[tokio::test(start_paused = true)]
async fn a_non_idempotent_post_is_sent_exactly_once_whatever_goes_wrong() {
    // VR pay's createGateway: a POST without an idempotency key.
    let faults = [
        ("stall", Reply::Stall),
        ("reset", Reply::Reset),
        ("500", Reply::status(500)),
        ("502", Reply::status(502)),
        ("503", Reply::status(503).header("Retry-After", "1")),
        ("504", Reply::status(504)),
        ("429", Reply::status(429).header("Retry-After", "1")),
    ];
    for (name, fault) in faults {
        let server = FaultServer::start(vec![fault, Reply::json(200, &json!({"status": "success", "data": []}))]).await;
        let client = vrpay_with(Transport::builder(server.url()));
        let err = create_gateway(&client).await;
        assert_eq!(server.count(), 1, "{name}: sent {} times", server.count());
        assert_eq!(err.attempts(), Some(1), "{name}");
        let unknown = matches!(name, "stall" | "reset" | "500" | "502" | "504");
        assert_eq!(err.is_outcome_unknown(), unknown, "{name}: {err}");
        assert_eq!(err.idempotency_key(), None, "{name}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_lost_answer_to_a_post_says_its_outcome_is_unknown() {
    let server = FaultServer::start(vec![Reply::Reset]).await;
    let client = vrpay_with(Transport::builder(server.url()));
    let err = create_gateway(&client).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_outcome_unknown());
    assert!(!err.was_applied());
    assert!(err.to_string().contains("may have been applied"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_even_for_a_post_because_nothing_was_sent() {
    let client = vrpay_with(Transport::builder(refused_url()));
    let err = create_gateway(&client).await;
    let Error::Transport(transport) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(transport.sent, paykit::runtime::Sent::No);
    assert_eq!(err.attempts(), Some(3));
    assert!(!err.is_outcome_unknown());
    assert!(err.to_string().contains("could not be sent"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_and_as_an_http_date_is_honoured() {
    let in_twelve_seconds = httpdate_in(12);
    let server = FaultServer::start(vec![
        Reply::status(429).header("Retry-After", "7"),
        Reply::status(503).header("Retry-After", &in_twelve_seconds),
        Reply::json(200, &payment_json()),
    ])
    .await;
    let payment = vinr_client(server.url())
        .get_payment("pay_1", GetPaymentParams::default())
        .await
        .expect("third attempt");
    assert_eq!(payment.attempts(), 3);
    let gaps = gaps(&server.received());
    assert_eq!(gaps[0], Duration::from_secs(7), "{gaps:?}");
    // An HTTP date has one-second resolution and is read against the wall clock.
    assert!(
        (Duration::from_secs(10)..=Duration::from_secs(12)).contains(&gaps[1]),
        "{gaps:?}"
    );
}

fn httpdate_in(seconds: u64) -> String {
    let at = SystemTime::now() + Duration::from_secs(seconds);
    let since_epoch = at.duration_since(SystemTime::UNIX_EPOCH).expect("after 1970").as_secs();
    // RFC 9110 IMF-fixdate, computed here rather than by the crate under test.
    let (days, rest) = (since_epoch / 86_400, since_epoch % 86_400);
    let (hour, minute, second) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let (year, month, day) = civil_from_days(days as i64);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][month - 1];
    format!("{weekday}, {day:02} {month} {year} {hour:02}:{minute:02}:{second:02} GMT")
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's civil_from_days.
fn civil_from_days(days: i64) -> (i64, usize, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month as usize, day)
}

#[tokio::test(start_paused = true)]
async fn a_wait_longer_than_the_time_budget_is_not_made() {
    let server = FaultServer::start(vec![Reply::status(503).header("Retry-After", "120")]).await;
    let err = vinr_client(server.url())
        .get_payment("pay_1", GetPaymentParams::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));

    // Retry-After 25 s fits the default 60 s budget twice (3 attempts); a 30 s budget once.
    for (budget, sends) in [(Duration::from_secs(60), 3), (Duration::from_secs(30), 2)] {
        let server = FaultServer::start(vec![Reply::status(503).header("Retry-After", "25")]).await;
        let policy = RetryPolicy::default().max_elapsed(budget);
        let err = vinr_with(Transport::builder(server.url()).retry(policy))
            .get_payment("pay_1", GetPaymentParams::default())
            .await
            .unwrap_err();
        assert_eq!(server.count(), sends, "budget {budget:?}");
        assert_eq!(err.attempts(), Some(sends as u32));
        assert!(gaps(&server.received()).iter().all(|g| *g == Duration::from_secs(25)));
    }
}

#[tokio::test(start_paused = true)]
async fn attempts_are_capped_and_retries_can_be_turned_off() {
    for (policy, sends) in [
        (RetryPolicy::default(), 3),
        (RetryPolicy::default().max_attempts(5), 5),
        (RetryPolicy::never(), 1),
    ] {
        let server = FaultServer::start(vec![Reply::status(503)]).await;
        let err = vinr_with(Transport::builder(server.url()).retry(policy))
            .get_payment("pay_1", GetPaymentParams::default())
            .await
            .unwrap_err();
        assert_eq!(server.count(), sends);
        assert_eq!(err.attempts(), Some(sends as u32));
    }
}

#[tokio::test(start_paused = true)]
async fn v_pay_waits_for_its_rate_limit_reset_header() {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let token = json!({"access": "tok", "expires_in": "300.0 seconds"});
    let status = json!({"status": "success", "transaction_id": "VP1", "transaction_status": "pending"});
    let server = FaultServer::start(vec![
        Reply::json(200, &token),
        Reply::json(
            429,
            &json!({"status": "error", "error_code": "RATE_LIMITED", "message": "slow down"}),
        )
        .header("X-RateLimit-Reset", &(now + 20).to_string()),
        Reply::json(200, &status),
    ])
    .await;
    let client = vpay::Client::with_credentials(server.url(), "user", "key").expect("client");
    let outcome = client.get_transaction_status("VP1").await;
    let received = server.received();
    assert_eq!(received.len(), 3, "{outcome:?}");
    let wait = received[2].at - received[1].at;
    assert!(
        (Duration::from_secs(18)..=Duration::from_secs(20)).contains(&wait),
        "{wait:?}"
    );
}

// --- Undocumented 2xx, redirects. -----------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn an_undocumented_201_is_a_success_and_an_undecodable_one_says_it_was_applied() {
    let server = FaultServer::start(vec![
        Reply::json(201, &payment_json()),
        Reply::json(201, &json!({"unexpected": true})),
    ])
    .await;
    let client = vinr_client(server.url());
    let created = client
        .create_payment(&CreatePaymentRequest::new(1000, "EUR"), CreatePaymentParams::default())
        .await
        .expect("201 is a success");
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.id, "pay_1");

    let err = create(&client, CreatePaymentParams::default()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.was_applied());
    assert!(!err.is_outcome_unknown());
    assert!(err.to_string().contains("was applied"), "{err}");
    assert_eq!(err.raw_body(), Some(r#"{"unexpected":true}"#));
    assert_eq!(server.count(), 2, "an applied request is never retried");
}

/// A status that arrived with a body that then broke off is that status's answer: after a 2xx
/// the request was applied, so a keyed POST (retry-safe otherwise) is not sent again; a 503
/// whose body broke is retried as any 503 of a retry-safe request.
#[tokio::test(start_paused = true)]
async fn a_2xx_whose_body_breaks_mid_read_is_never_sent_again() {
    let cut = |status: u16| Reply::Truncated {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"id": "pay_1", "object": "pay"#.to_vec(),
        claimed: 4096,
    };
    for status in [200, 201] {
        let server = FaultServer::start(vec![cut(status), Reply::json(200, &payment_json())]).await;
        let err = create(&vinr_client(server.url()), CreatePaymentParams::default())
            .await
            .unwrap_err();
        assert_eq!(server.count(), 1, "{status}: a POST that was applied went out again");
        assert!(err.was_applied() && !err.is_outcome_unknown(), "{err:?}");
        assert_eq!(err.attempts(), Some(1));
        assert!(err.to_string().contains("(the request was applied)"), "{err}");
    }

    let server = FaultServer::start(vec![cut(503), Reply::json(200, &payment_json())]).await;
    let payment = vinr_client(server.url())
        .get_payment("pay_1", GetPaymentParams::default())
        .await
        .expect("the second attempt");
    assert_eq!((server.count(), payment.attempts()), (2, 2));
}

#[tokio::test(start_paused = true)]
async fn redirects_are_not_followed_and_send_nothing_elsewhere() {
    let elsewhere = FaultServer::start(vec![Reply::json(200, &payment_json())]).await;
    for status in [301, 302, 303, 307, 308] {
        let location = format!("{}/payments", elsewhere.url());
        let server = FaultServer::start(vec![Reply::status(status).header("Location", &location)]).await;
        let err = create(&vinr_client(server.url()), CreatePaymentParams::default())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::UnexpectedStatus(_)), "{status}: {err:?}");
        assert_eq!(err.redirect_location(), Some(location.as_str()));
        assert!(err.to_string().contains("redirect"), "{err}");
        assert_eq!(server.count(), 1);
        assert_eq!(server.received()[0].header("referer"), None);
    }
    assert_eq!(elsewhere.count(), 0, "credentials went to the redirect target");
}

#[tokio::test(start_paused = true)]
async fn no_provider_resends_a_token_or_signed_body_on_307_or_308() {
    let elsewhere = FaultServer::start(vec![Reply::status(200)]).await;
    let target = format!("{}/steal", elsewhere.url());
    let redirect = |status| Reply::status(status).header("Location", &target);

    // PayRequest: the token is in the JSON body.
    let server = FaultServer::start(vec![redirect(307)]).await;
    let body = payrequest::types::CreatePaymentRequestBody::from_minor_units("pr_token", "Invoice", 1225);
    let err = payrequest::Client::new(server.url())
        .expect("client")
        .create_payment_request(&body)
        .await
        .unwrap_err();
    assert_eq!(err.redirect_location(), Some(target.as_str()));

    // VR pay: the signed form body.
    let server = FaultServer::start(vec![redirect(308)]).await;
    let client =
        vrpay_secure::Client::new(server.url(), "shop", ApiSignature::new("secret").expect("secret")).expect("client");
    let err = create_gateway(&client).await;
    assert_eq!(err.redirect_location(), Some(target.as_str()));

    // V-Pay: apiUser/apiKey headers on the token call, the bearer token after it.
    let server = FaultServer::start(vec![redirect(307)]).await;
    let client = vpay::Client::with_credentials(server.url(), "user", "key").expect("client");
    let err = client.get_transaction_status("VP1").await.unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");

    assert_eq!(elsewhere.count(), 0, "a credential went to the redirect target");
}

// --- Nothing leaks, nothing is unbounded. ---------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_failed_vr_pay_get_shows_no_signature() {
    for fault in [Reply::Reset, Reply::Stall] {
        let server = FaultServer::start(vec![fault]).await;
        let client = vrpay_with(
            Transport::builder(server.url())
                .retry(RetryPolicy::never())
                .timeout(Duration::from_secs(5)),
        );
        let err = client.get_gateway(4711).await.unwrap_err();
        let target = &server.received()[0].target;
        let signature = target.split("ApiSignature=").nth(1).expect("signed query");
        assert!(signature.len() > 20, "{target}");
        let decoded = signature.replace("%2B", "+").replace("%2F", "/").replace("%3D", "=");
        for shown in [format!("{err}"), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!shown.contains(signature) && !shown.contains(&decoded), "{shown}");
            assert!(!shown.contains("ApiSignature"), "{shown}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_huge_body_stops_at_the_limit_and_keeps_a_short_prefix() {
    for content_length in [false, true] {
        let server = FaultServer::start(vec![Reply::Stream {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            total: 2 << 30,
            content_length,
        }])
        .await;
        let err = vinr_client(server.url())
            .get_payment("pay_1", GetPaymentParams::default())
            .await
            .unwrap_err();
        let Error::TooLarge { response, limit } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*limit, paykit::runtime::DEFAULT_MAX_RESPONSE_BYTES);
        assert_eq!(response.status.as_u16(), 200);
        assert!(response.raw.len() <= 4096, "{}", response.raw.len());
        assert!(err.was_applied());
        assert_eq!(server.count(), 1, "an oversized answer is not fetched again");
        assert!(format!("{err:?}").len() < 4096);
    }
    // A small limit of your own.
    let server = FaultServer::start(vec![Reply::json(200, &payment_json())]).await;
    let err = vinr_with(Transport::builder(server.url()).max_response_bytes(64))
        .get_payment("pay_1", GetPaymentParams::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 64, .. }), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn empty_credentials_are_refused_loudly() {
    let err = ApiSignature::new("").unwrap_err();
    assert!(err.to_string().contains("API secret is empty"), "{err}");
    assert!(matches!(
        vpay::Client::with_credentials("http://127.0.0.1:9", "", "key"),
        Err(paykit::runtime::BuildError::EmptyCredential(_))
    ));
    assert!(matches!(
        payrequest::return_check::verify_return("", "PR-1", "x", "y"),
        Err(payrequest::return_check::ReturnCheckError::EmptyToken)
    ));

    let server = FaultServer::start(vec![Reply::json(200, &payment_json())]).await;
    let client = vinr::Client::from_transport(
        Transport::builder(server.url())
            .auth(Bearer::new(""))
            .build()
            .expect("client"),
    );
    let err = client
        .get_payment("pay_1", GetPaymentParams::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("bearer token is empty"), "{err}");
    assert_eq!(server.count(), 0, "nothing is sent with an empty credential");

    // PayRequest's token travels in the body: an empty one is refused by name, and not sent.
    let answer = json!({"status": "success", "url": "https://link.payrequest.io/x"});
    let server = FaultServer::start(vec![Reply::json(200, &answer)]).await;
    let client = payrequest::Client::from_transport(Transport::builder(server.url()).build().expect("client"));
    let body = payrequest::types::CreatePaymentRequestBody::from_minor_units("", "Invoice 1", 1225);
    let err = client.create_payment_request(&body).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("the `token` property of the request body is empty"),
        "{err}"
    );
    let body = payrequest::types::RetrievePaymentBody::new("", "PR-1");
    let err = client.retrieve_payment(&body).await.unwrap_err();
    assert!(err.to_string().contains("`token` property"), "{err}");
    assert_eq!(server.count(), 0, "nothing is sent with an empty token");
}

// --- V-Pay's token. -------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn v_pay_accepts_expires_in_as_a_number_and_refreshes_on_time() {
    let status = json!({"status": "success", "transaction_id": "VP1", "transaction_status": "pending"});
    let server = FaultServer::start(vec![
        Reply::json(200, &json!({"access": "tok-1", "expires_in": 300})),
        Reply::json(200, &status),
        Reply::json(200, &json!({"access": "tok-2", "expires_in": 300.0})),
        Reply::json(200, &status),
    ])
    .await;
    let client = vpay::Client::with_credentials(server.url(), "user", "key").expect("client");
    client.get_transaction_status("VP1").await.expect("first call");
    tokio::time::advance(Duration::from_secs(280)).await;
    client.get_transaction_status("VP1").await.expect("after a refresh");
    let received = server.received();
    let targets: Vec<&str> = received.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets[0], "/auth/");
    assert_eq!(
        targets[2], "/auth/",
        "the token is replaced before it expires: {targets:?}"
    );
    assert_eq!(received[3].header("authorization"), Some("Bearer tok-2"));
}
