//! Each provider's example runs offline, against its typed mock, as `cargo run --example NAME`
//! does on a fresh clone: no credentials, no network. It must print a created payment and the
//! same payment read back.

use std::process::Command;

/// Every variable that would make an example call its provider.
const CREDENTIALS: &[&str] = &[
    "VINR_SECRET_KEY",
    "VENDREO_SECRET",
    "VENDREO_APPLICATION_KEY",
    "VRPAY_INSTANCE",
    "VRPAY_API_SECRET",
    "VPAY_API_USER",
    "VPAY_API_KEY",
    "PAYREQUEST_TOKEN",
];

/// The output of `cargo run --example name`, which must succeed.
fn run_example(name: &str) -> String {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["run", "--quiet", "--offline", "--example", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for variable in CREDENTIALS {
        command.env_remove(variable);
    }
    let output = command.output().expect("cargo runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{name}: {}\n{stdout}\n{stderr}", output.status);
    stdout.into_owned()
}

/// The lines of `output` in order: the offline notice, the created payment, its read-back.
fn assert_offline_run(output: &str, provider: &str, created: &str, read_back: &str) {
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 3, "{output}");
    assert!(
        lines[0].starts_with(&format!("{provider} offline: the typed mock at http://127.0.0.1:")),
        "{output}"
    );
    assert!(lines[1].starts_with(created), "{output}");
    assert_eq!(lines[2], read_back, "{output}");
}

#[test]
fn vinr() {
    let output = run_example("vinr");
    assert_offline_run(
        &output,
        "VINR",
        "created pay_1042: pending, 1000 EUR",
        "read back pay_1042: pending",
    );
}

#[test]
fn vendreo() {
    let output = run_example("vendreo");
    let uuid = "9f1c2a4e-0b7d-4c55-8a3e-2d6f1e0c1042";
    assert_offline_run(
        &output,
        "Vendreo",
        &format!("created payment {uuid}"),
        &format!("read back {uuid}: PENDING"),
    );
}

#[test]
fn vrpay_secure() {
    let output = run_example("vrpay_secure");
    assert_offline_run(
        &output,
        "VR pay secure",
        "created gateway 1042: pay at https://",
        "read back gateway 1042: waiting, 8925 CHF (minor units)",
    );
}

#[test]
fn vpay() {
    let output = run_example("vpay");
    assert_offline_run(
        &output,
        "V-Pay",
        "created VP1042: pending",
        "read back VP1042: successful",
    );
}

#[test]
fn payrequest() {
    let output = run_example("payrequest");
    let lines: Vec<&str> = output.lines().collect();
    let id = lines
        .get(1)
        .and_then(|line| line.strip_prefix("created "))
        .and_then(|rest| rest.split(':').next());
    let id = id.unwrap_or_else(|| panic!("no created id: {output}"));
    assert_offline_run(
        &output,
        "PayRequest",
        "created PR-",
        &format!("read back {id}: pending"),
    );
}
