//! The semver policy, end to end: a crate that uses a generated client the documented way (`new`
//! and field assignment, `build!`, matches with a `_` arm) still compiles, unchanged, after the
//! client is regenerated with an optional response property added, and `diff` calls that change
//! minor. The spec change and the verdict are checked on every run; the two `cargo check`s of
//! the user crate build reqwest and its kin, so the test that runs them is ignored by a plain
//! `cargo test` (listed as ignored; CI runs it with `--ignored`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

/// A dependent of paykit-vinr, written as the README says to use a generated crate.
const USER_LIB: &str = r#"use paykit_vinr::types::{ErrorResponse, Payment, PaymentStatus};
use paykit_vinr::{Client, GetPaymentParams, servers};

pub fn sample() -> Payment {
    let mut payment = Payment::new(
        "pay_1".to_owned(),
        "payment".to_owned(),
        PaymentStatus::Pending,
        1000,
        "EUR".to_owned(),
    );
    payment.description = Some("Order #1042".to_owned());
    payment
}

pub fn with_customer() -> Payment {
    paykit_runtime::build!(Payment { customer: Some("cust_42".to_owned()), ..sample() })
}

pub fn describe(payment: &Payment) -> String {
    let state = match &payment.status {
        PaymentStatus::Completed | PaymentStatus::Succeeded => "paid",
        PaymentStatus::Failed => "failed",
        _ => "open",
    };
    let customer = payment.customer.as_deref().unwrap_or("guest");
    format!("{} {} {} for {customer}: {state}", payment.id, payment.amount, payment.currency)
}

pub fn client() -> Result<Client, paykit_runtime::BuildError> {
    Client::new(servers::SANDBOX, paykit_runtime::Bearer::new("sk_test_123"))
}

pub async fn fetch(client: &Client, id: &str) -> Result<Payment, paykit_runtime::Error<ErrorResponse>> {
    Ok(client.get_payment(id, GetPaymentParams::default()).await?.into_inner())
}
"#;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `specs/vinr.yaml`, parsed.
fn vinr() -> Value {
    let path = manifest_dir().join("../specs/vinr.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Writes `doc` to `dir/vinr.yaml` (the same file name on both sides: it names the crate).
fn write_spec(doc: &Value, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("vinr.yaml");
    std::fs::write(&path, serde_yaml::to_string(doc).unwrap()).unwrap();
    path
}

/// `paykit-codegen ARGS`: its stdout; it must succeed.
fn codegen(args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_paykit-codegen"))
        .args(args)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{args:?}: {stdout}{stderr}");
    stdout.into_owned()
}

/// The VINR crate from `spec`, standalone in `out` (regenerated in place when it is there).
fn generate(spec: &Path, out: &Path) -> String {
    let runtime = manifest_dir().join("../runtime");
    codegen(&[
        "generate".as_ref(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--runtime-path".as_ref(),
        runtime.as_os_str(),
    ])
}

/// `cargo check` of the user crate, offline with the workspace's lock file, in the build
/// directory `standalone.rs` uses (the same dependencies: they build once). No error, no warning.
fn check_user_crate(user: &Path) {
    std::fs::copy(manifest_dir().join("../Cargo.lock"), user.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("standalone-check");
    let build = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(user.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success() && !stderr.contains("warning"), "{stderr}");
}

#[test]
fn an_optional_response_property_is_a_minor_change() {
    regenerate_with_an_optional_property("dependents-diff", |_| {});
}

#[test]
#[ignore = "slow: builds reqwest and its kin (CI runs it: `cargo test -- --ignored`)"]
fn an_optional_response_property_leaves_dependents_compiling() {
    regenerate_with_an_optional_property("dependents", check_user_crate);
}

/// Generates the VINR crate and a user crate beside it, `check`s the user crate, regenerates the
/// client with an optional response property added (checking what `diff` and `generate` say of
/// it), and `check`s the user crate again.
fn regenerate_with_an_optional_property(name: &str, check: impl Fn(&Path)) {
    let work = std::env::temp_dir().join(format!("paykit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let (client, user) = (work.join("paykit-vinr"), work.join("user"));

    let before = vinr();
    let old_spec = write_spec(&before, &work.join("before"));
    generate(&old_spec, &client);
    std::fs::create_dir_all(user.join("src")).unwrap();
    let runtime = manifest_dir().join("../runtime");
    // TOML basic strings: a Windows path's backslashes must be escaped.
    let path = |p: &Path| p.display().to_string().replace('\\', "\\\\");
    std::fs::write(
        user.join("Cargo.toml"),
        format!(
            "[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\npaykit-vinr = {{ path = \"{}\" }}\npaykit-runtime = {{ path = \"{}\" }}\n\n\
             [workspace]\n",
            path(&client),
            path(&runtime)
        ),
    )
    .unwrap();
    std::fs::write(user.join("src/lib.rs"), USER_LIB).unwrap();
    check(&user);

    let mut after = before.clone();
    let properties = after["components"]["schemas"]["Payment"]["properties"]
        .as_mapping_mut()
        .unwrap();
    properties.insert(
        "statement_descriptor".into(),
        serde_yaml::from_str("{type: string, description: What the customer's statement shows.}").unwrap(),
    );
    let new_spec = write_spec(&after, &work.join("after"));
    let diff = codegen(&["diff".as_ref(), old_spec.as_os_str(), new_spec.as_os_str()]);
    assert_eq!(
        diff,
        "  added: field `types::Payment::statement_descriptor: Option<String>`\nsemver: minor\n"
    );
    // Regenerated in place: the crate says what changed and takes the next patch version (0.x).
    let regenerated = generate(&new_spec, &client);
    assert!(
        regenerated.contains("minor change, version 0.1.0 -> 0.1.1"),
        "{regenerated}"
    );
    let types = std::fs::read_to_string(client.join("src/types.rs")).unwrap();
    assert!(types.contains("statement_descriptor"), "{types}");

    check(&user);
    std::fs::remove_dir_all(&work).unwrap();
}
