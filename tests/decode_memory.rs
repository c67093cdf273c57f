//! Decoding a response costs at most 64 MiB plus 16 times its body, whatever the JSON holds
//! (`paykit::runtime::decode`, which every generated client decodes through). Hostile shapes —
//! lists of the smallest items a wide struct accepts, other-property trees of empty lists — are
//! decoded as each provider's client decodes them, and the peak of the memory allocated while
//! decoding is measured by a counting allocator (the body itself, allocated before, not counted).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use paykit::runtime::decode::{budget, from_slice_at};
use serde::de::DeserializeOwned;

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = NOW.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        unsafe { System.dealloc(block, layout) };
        NOW.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(block, layout, size) };
        if !moved.is_null() {
            grew(size);
            NOW.fetch_sub(layout.size(), Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1 << 20;

/// `count` copies of `item` as a JSON list, inside `wrap` (`{}` marks where the list goes).
fn body(wrap: &str, item: &str, count: usize) -> Vec<u8> {
    let list = format!("[{}]", vec![item; count].join(","));
    wrap.replacen("{}", &list, 1).into_bytes()
}

/// Decodes `body` as `T` at `pointer`, returns whether it decoded and the peak memory it took.
fn decode<T: DeserializeOwned>(body: &[u8], pointer: &str) -> (bool, usize) {
    let before = NOW.load(Relaxed);
    PEAK.store(before, Relaxed);
    let decoded = from_slice_at::<T>(body, pointer).is_ok();
    (decoded, PEAK.load(Relaxed) - before)
}

/// How one operation's client decodes a body: whether it decoded, and the peak it took.
type Decoder = Box<dyn Fn(&[u8]) -> (bool, usize)>;

/// One test, so no other test allocates while a peak is measured.
#[test]
fn decoding_any_body_stays_within_64_mib_plus_16_times_its_size() {
    let mut over = Vec::new();
    for size in [MIB, 8 * MIB] {
        over.extend(bodies_over_budget(size));
    }
    assert!(over.is_empty(), "over the budget: {over:?}");
}

/// The hostile cases with bodies of about `size` bytes that took more than their budget.
fn bodies_over_budget(size: usize) -> Vec<String> {
    use paykit::{payrequest, vendreo, vinr, vpay, vrpay_secure};
    let vinr_payment = r#"{"id":"","object":"","status":"","amount":0,"currency":""}"#;
    let cases: Vec<(&str, Vec<u8>, Decoder)> = vec![
        (
            "VR pay list_transactions, {} items",
            body(r#"{"status":"success","data":{}}"#, "{}", size / 3),
            Box::new(|b| decode::<Vec<vrpay_secure::types::Transaction>>(b, "/data")),
        ),
        (
            "VR pay get_gateway, {} items around the one read",
            body(r#"{"status":"success","data":{}}"#, "{}", size / 3),
            Box::new(|b| decode::<vrpay_secure::types::Gateway>(b, "/data/0")),
        ),
        (
            "VINR list_payments, minimal payments",
            body(
                r#"{"object":"list","data":{}}"#,
                vinr_payment,
                size / (vinr_payment.len() + 1),
            ),
            Box::new(|b| decode::<vinr::types::PaymentList>(b, "")),
        ),
        (
            "VINR get_payment, other keys holding [] lists",
            body(
                r#"{"id":"","object":"","status":"","amount":0,"currency":"","x":{}}"#,
                "[]",
                size / 3,
            ),
            Box::new(|b| decode::<vinr::types::Payment>(b, "")),
        ),
        (
            "Vendreo list_payments, {} items",
            body("{}", "{}", size / 3),
            Box::new(|b| decode::<Vec<vendreo::types::Payment>>(b, "")),
        ),
        (
            "V-Pay get_transaction_status, other keys holding [] lists",
            body(r#"{"status":"","transaction_id":"","x":{}}"#, "[]", size / 3),
            Box::new(|b| decode::<vpay::types::PaymentOutcome>(b, "")),
        ),
        (
            "PayRequest retrieve_payment, other keys holding [] lists",
            body(r#"{"x":{}}"#, "[]", size / 3),
            Box::new(|b| decode::<payrequest::types::RetrievePaymentResponse>(b, "")),
        ),
    ];
    let mut over = Vec::new();
    for (name, body, decode) in &cases {
        let (decoded, peak) = decode(body);
        let allowed = budget(body.len());
        let outcome = if decoded { "decoded" } else { "refused" };
        println!(
            "{name}: {:.1} MiB body, {outcome}, peak {:.1} MiB (allowed {:.1} MiB)",
            body.len() as f64 / MIB as f64,
            peak as f64 / MIB as f64,
            allowed as f64 / MIB as f64
        );
        if peak > allowed {
            over.push(format!("{name} ({} bytes)", body.len()));
        }
    }
    over
}
