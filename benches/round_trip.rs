//! What the generated client costs on top of a hand-written reqwest call, for one whole round trip.
//!
//! Compares, against the same in-process HTTP/1.1 keep-alive server on 127.0.0.1:
//!
//! * `vinr_get_payment/paykit_client`: `paykit::vinr::Client::get_payment("pay_1", ..)` over
//!   `Transport::builder(url).auth(Bearer::new(..)).build()` (default retry policy, which does
//!   nothing on a `200`): request building, the auth hook, the tracing span, reading the body into
//!   a `RawResponse` and decoding it into a `ResponseValue<Payment>`.
//! * `vinr_get_payment/raw_reqwest`: a bare `reqwest::Client` with the transport's options (no
//!   redirects, no `Referer`, rustls, 10 s connect timeout, the same `User-Agent`) sending
//!   `GET {url}/payments/pay_1` with `Authorization` and `Accept`, a 30 s per-request timeout,
//!   reading the body bytes and `serde_json::from_slice::<Payment>`.
//!
//! Both send the same request head (header order aside) and get the same fixed `200` with a
//! realistic VINR `Payment` body, so the difference is the client's own overhead. Goal: raw time /
//! client time ≥ 0.97 (compare the medians in `target/criterion/vinr_get_payment/*/new/estimates.json`).
//!
//! Everything runs on one current-thread tokio runtime (server, hyper's connection tasks and the
//! benchmarked future), so no cross-thread wake-ups add noise to either side.
//!
//! Run: `cargo bench --bench round_trip`.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use paykit::runtime::{Bearer, Transport};
use paykit::vinr::types::Payment;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "sk_test_bench";

/// `tests/vinr.rs`'s `get_payment` response: the overview page's payment with a refund, a creation
/// time and the latest charge.
const PAYMENT: &str = concat!(
    r#"{"id":"pay_1","object":"payment","status":"completed","amount":1000,"currency":"EUR","#,
    r#""description":"Order #1042","returnUrl":"https://shop.example.com/return","#,
    r#""checkoutUrl":"https://checkout.vinr.com/pay_1","created_at":"2026-04-15T10:30:00Z","#,
    r#""metadata":{"order_id":"1042"},"amountRefunded":250,"created":1776249000,"#,
    r#""latest_charge":{"id":"ch_1","amount_captured":1000,"#,
    r#""payment_method_details":{"type":"card","card":{"brand":"visa","last4":"4242"}}}}"#,
);

/// Answers every request on every connection with the same `200`, keeping connections open.
async fn serve(listener: TcpListener, response: Arc<[u8]>) {
    while let Ok((stream, _)) = listener.accept().await {
        let response = Arc::clone(&response);
        tokio::spawn(async move {
            // A client closing its connection ends the task; nothing to report.
            let _ = connection(stream, &response).await;
        });
    }
}

/// One keep-alive connection: read a request head up to CRLFCRLF and its `Content-Length` body,
/// answer, repeat.
async fn connection(mut stream: TcpStream, response: &[u8]) -> std::io::Result<()> {
    // reqwest sets TCP_NODELAY too; without it Nagle's algorithm would delay small answers.
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(8192);
    loop {
        let head_end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        };
        let end = head_end + content_length(&buf[..head_end]);
        while buf.len() < end {
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        }
        buf.drain(..end);
        stream.write_all(response).await?;
    }
}

/// The `Content-Length` of a request head, 0 when absent.
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

fn round_trip(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            PAYMENT.len()
        );
        tokio::spawn(serve(listener, [head.as_bytes(), PAYMENT.as_bytes()].concat().into()));
        url
    });

    let transport = Transport::builder(url.as_str())
        .auth(Bearer::new(TOKEN))
        .build()
        .unwrap();
    let client = paykit::vinr::Client::from_transport(transport);

    let raw = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        // The transport's default User-Agent, so both send the same headers.
        .user_agent("paykit/0.1.0")
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .build()
        .unwrap();
    let (bearer, payment_url) = (format!("Bearer {TOKEN}"), format!("{url}/payments/pay_1"));
    // Borrowed once, so each closure copies references into its futures and stays `Fn`.
    let (raw, bearer, payment_url, client) = (&raw, &bearer, &payment_url, &client);
    let raw_get = move || async move {
        let response = raw
            .get(payment_url)
            .header(AUTHORIZATION, bearer)
            .header(ACCEPT, "application/json")
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .unwrap();
        let body = response.bytes().await.unwrap();
        serde_json::from_slice::<Payment>(&body).unwrap()
    };
    let client_get = move || async move { client.get_payment("pay_1", Default::default()).await.unwrap() };

    // Both sides decode the same payment (and open their keep-alive connection here, not in a sample).
    let (ours, theirs) = rt.block_on(async { (client_get().await.into_inner(), raw_get().await) });
    assert_eq!(ours, theirs);
    assert_eq!(ours.id, "pay_1");

    let mut group = c.benchmark_group("vinr_get_payment");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("paykit_client", |b| b.to_async(&rt).iter(client_get));
    group.bench_function("raw_reqwest", |b| b.to_async(&rt).iter(raw_get));
    group.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
