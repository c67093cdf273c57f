//! Contract tests: every operation of every generated client, called through the real client (auth
//! hooks on) against Prism 5, an independent OpenAPI validator and mock server, serving the spec
//! the client was generated from.
//!
//! `tests/contract/run` starts one `prism mock --errors` per spec and runs this test (`--ignored`):
//! a plain `cargo test` stays hermetic and lists it as ignored, and run without the
//! `PAYKIT_PRISM_*` variables that script exports, it fails rather than pass having checked nothing.
//!
//! For each operation the spec lists (read from the spec, so a new operation without a call here
//! fails the test):
//! - the request is sent with realistic inputs (those of the provider's wire tests); Prism
//!   answers a request that breaks the spec with 400/422 and names the violation, which is
//!   reported;
//! - the success body decodes: Prism's static answer (the documented example, or one built from the
//!   schema), each named example, and bodies generated from the schema (`Prefer: dynamic=true`
//!   with fixed seeds, every optional property filled). Where the body is a `oneOf`, the seeds go on
//!   until every branch has decoded;
//! - every documented error status, forced with `Prefer: code=NNN`, comes back as `Error::Api` with
//!   that status and a decoded body (a `default` response is checked with status 503).
//!
//! Every failure is collected and all are reported at the end, grouped by kind and operation.

mod contract {
    pub mod payrequest;
    pub mod spec;
    pub mod vendreo;
    pub mod vinr;
    pub mod vpay;
    pub mod vrpay_secure;
}
mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Debug};
use std::path::{Path, PathBuf};
use std::time::Instant;

use contract::spec::{self, Operation, Site, Spec};
use paykit::runtime::{Error, ResponseValue, RetryPolicy, Sent, Transport, TransportBuilder};
use serde::Serialize;
use serde_json::Value;

/// Schema-generated bodies asked of every operation (seeds 1..=N).
const DYNAMIC_SEEDS: u32 = 12;
/// The most seeds tried to see every branch of a `oneOf` body.
const MAX_BRANCH_SEEDS: u32 = 64;
/// Separates a finding from the body it was seen with.
const BODY: &str = "\n  body: ";
/// How much of a raw body a finding quotes.
const RAW_LIMIT: usize = 700;

#[tokio::test]
#[ignore = "needs Prism: tests/contract/run starts it and runs this test"]
async fn every_operation_against_prism() {
    let providers = ["vinr", "vendreo", "vrpay-secure", "vpay", "payrequest"];
    let urls: Vec<(&str, Option<String>)> = providers.iter().map(|p| (*p, std::env::var(env_var(p)).ok())).collect();
    assert!(
        urls.iter().any(|(_, url)| url.is_some()),
        "PAYKIT_PRISM_* are not set: run tests/contract/run, which starts Prism and runs this test"
    );
    let started = Instant::now();
    let specs_dir = std::env::var_os("PAYKIT_CONTRACT_SPECS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let mut report = Report::default();
    report.check_specs_are_covered(&specs_dir, &providers);

    for (stem, url) in urls {
        let Some(url) = url else {
            report.setup(stem, format!("{} is not set", env_var(stem)));
            continue;
        };
        let spec = match Spec::load(&specs_dir, stem) {
            Ok(spec) => spec,
            Err(e) => {
                report.setup(stem, format!("cannot read the spec: {e}"));
                continue;
            }
        };
        match stem {
            "vinr" => run::<contract::vinr::Vinr>(&url, &spec, &mut report).await,
            "vendreo" => run::<contract::vendreo::Vendreo>(&url, &spec, &mut report).await,
            "vrpay-secure" => run::<contract::vrpay_secure::VrPay>(&url, &spec, &mut report).await,
            "vpay" => contract::vpay::run(&url, &spec, &mut report).await,
            "payrequest" => run::<contract::payrequest::PayRequest>(&url, &spec, &mut report).await,
            _ => unreachable!("{stem} is in the provider list"),
        }
    }
    report.finish(started);
}

/// `vrpay-secure` -> `PAYKIT_PRISM_VRPAY_SECURE`, as `tests/contract/run` exports it.
fn env_var(stem: &str) -> String {
    format!("PAYKIT_PRISM_{}", stem.to_uppercase().replace('-', "_"))
}

// ---------------------------------------------------------------------------------------------
// One provider: what it must offer, and the checks run over its operations
// ---------------------------------------------------------------------------------------------

/// A provider's section: its client with the provider's auth hook, and one call per operation.
pub(crate) trait Provider {
    /// `specs/<SPEC>.yaml`.
    const SPEC: &'static str;
    type Client;

    /// A client for `url` with the provider's auth hook, sending `Prefer: <prefer>` on every
    /// request when given (Prism's way of choosing an answer).
    fn client(url: &str, prefer: Option<&str>) -> Result<Self::Client, String>;

    /// Calls `operation` (the spec's `operationId`) with realistic inputs; `None` when this section
    /// has no call for it.
    async fn call(client: &Self::Client, operation: &str) -> Option<Outcome>;
}

/// How Prism is asked to answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Mode {
    /// No preference: the documented example, or one built from the schema.
    Static,
    /// A named example of the success response.
    Example(String),
    /// A body generated from the schema, every optional property filled.
    Dynamic(u32),
    /// A documented error status, with its documented example or one built from the schema.
    Code(u16),
    /// A named example of a documented error status.
    CodeExample(u16, String),
    /// A documented error status with a body generated from the schema.
    CodeDynamic(u16, u32),
    /// Not a call: where a finding came from (a delivery, a missing section).
    Label(&'static str),
}

impl Mode {
    fn prefer(&self) -> Option<String> {
        match self {
            Self::Static | Self::Label(_) => None,
            Self::Example(name) => Some(format!("example={name}")),
            Self::Dynamic(seed) => Some(format!("dynamic=true, seed={seed}")),
            Self::Code(code) => Some(format!("code={code}")),
            Self::CodeExample(code, name) => Some(format!("code={code}, example={name}")),
            Self::CodeDynamic(code, seed) => Some(format!("code={code}, dynamic=true, seed={seed}")),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.prefer()) {
            (Self::Label(label), _) => f.write_str(label),
            (_, None) => f.write_str("static"),
            (_, Some(prefer)) => write!(f, "Prefer: {prefer}"),
        }
    }
}

/// Clients by `Prefer` header, built once each (V-Pay's fetch a token per client).
struct Clients<'u, P: Provider> {
    url: &'u str,
    built: HashMap<Option<String>, P::Client>,
}

impl<'u, P: Provider> Clients<'u, P> {
    fn new(url: &'u str) -> Self {
        Self {
            url,
            built: HashMap::new(),
        }
    }

    fn get(&mut self, mode: &Mode) -> Result<&P::Client, String> {
        let prefer = mode.prefer();
        if !self.built.contains_key(&prefer) {
            let client = P::client(self.url, prefer.as_deref())?;
            self.built.insert(prefer.clone(), client);
        }
        Ok(&self.built[&prefer])
    }
}

/// Runs every check over every operation of `P`'s spec.
pub(crate) async fn run<P: Provider>(url: &str, spec: &Spec, report: &mut Report) {
    let mut clients = Clients::<P>::new(url);
    for op in &spec.operations {
        let Some(first) = call(&mut clients, op, &Mode::Static, report).await else {
            let file = P::SPEC.replace('-', "_");
            let detail = format!(
                "{} is in the spec but tests/contract/{file}.rs has no call for it",
                op.route
            );
            report.finding(Kind::Coverage, P::SPEC, &op.id, &Mode::Label("-"), detail);
            continue;
        };
        report.operations += 1;
        let mut branches = Branches::default();
        branches.observe(spec, op, &first);
        report.judge_success(P::SPEC, op, &Mode::Static, first);

        // Named examples, then bodies generated from the schema: at least DYNAMIC_SEEDS, more
        // while a `oneOf` branch has not decoded yet. A seed Prism's generator fails on does not
        // count.
        let mut modes = op.success_examples.iter().map(|name| Mode::Example(name.clone()));
        let (mut seed, mut answered) = (0, 0);
        loop {
            let mode = match modes.next() {
                Some(example) => example,
                None if seed < MAX_BRANCH_SEEDS && (answered < DYNAMIC_SEEDS || !branches.missing().is_empty()) => {
                    seed += 1;
                    Mode::Dynamic(seed)
                }
                None => break,
            };
            if let Some(outcome) = call(&mut clients, op, &mode, report).await {
                branches.observe(spec, op, &outcome);
                let judged = report.judge_success(P::SPEC, op, &mode, outcome);
                answered += u32::from(matches!(mode, Mode::Dynamic(_)) && !matches!(judged, Judged::NoAnswer));
            }
        }
        let missing = branches.missing();
        if !missing.is_empty() {
            let detail = format!(
                "oneOf branches that never decoded (static, examples, {seed} dynamic seeds): {}",
                missing.join(", ")
            );
            report.finding(Kind::Branch, P::SPEC, &op.id, &Mode::Label("all success modes"), detail);
        }
        report.one_of_sites += branches.sites.as_ref().map_or(0, BTreeMap::len);

        for error in &op.errors {
            report.error_statuses += 1;
            let mut modes = vec![Mode::Code(error.code), Mode::CodeDynamic(error.code, 1)];
            modes.extend(
                error
                    .examples
                    .iter()
                    .map(|name| Mode::CodeExample(error.code, name.clone())),
            );
            for mode in &modes {
                if let Some(outcome) = call(&mut clients, op, mode, report).await {
                    report.judge_error(P::SPEC, op, mode, error, outcome);
                }
            }
        }
    }
}

/// The `oneOf`s of an operation's success body, and the branches its decoded bodies took.
#[derive(Default)]
struct Branches {
    /// Known after the first decoded body (where the client decodes from).
    sites: Option<BTreeMap<Site, Vec<String>>>,
    taken: BTreeSet<(Site, String)>,
}

impl Branches {
    fn observe(&mut self, spec: &Spec, op: &Operation, outcome: &Outcome) {
        let Ok(Some(body)) = &outcome.result else {
            return;
        };
        self.sites.get_or_insert_with(|| spec.one_of_sites(op, outcome.at));
        spec.branches_taken(op, outcome.at, body, &mut self.taken);
    }

    /// `PhpFlag: integer`, for each branch not taken yet.
    fn missing(&self) -> Vec<String> {
        let Some(sites) = &self.sites else {
            return Vec::new();
        };
        sites
            .iter()
            .flat_map(|(site, labels)| labels.iter().map(move |label| (site, label)))
            .filter(|(site, label)| !self.taken.contains(&((*site).clone(), (*label).clone())))
            .map(|(site, label)| format!("{}: {label}", spec::site_name(site)))
            .collect()
    }
}

/// Calls `op` through the client for `mode`; `None` when `P` has no call for it. A client that
/// cannot be built is an outcome too (a failure).
async fn call<P: Provider>(
    clients: &mut Clients<'_, P>,
    op: &Operation,
    mode: &Mode,
    report: &mut Report,
) -> Option<Outcome> {
    let client = match clients.get(mode) {
        Ok(client) => client,
        Err(e) => {
            return Some(Outcome {
                violations: None,
                at: "",
                result: Err(Failure::Other(format!("cannot build the client: {e}"))),
            });
        }
    };
    report.requests += 1;
    P::call(client, &op.id).await
}

// ---------------------------------------------------------------------------------------------
// What a call came back with
// ---------------------------------------------------------------------------------------------

/// A call's result, without its type: enough to judge it and to show what Prism said.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Prism's `sl-violations` header: the violations it found in the request and its answer.
    violations: Option<String>,
    /// Where in the response body the client decoded from (a JSON pointer; `""` for all of it).
    at: &'static str,
    /// The decoded body serialized again (to see which `oneOf` branches it took), or the failure.
    result: Result<Option<Value>, Failure>,
}

#[derive(Debug)]
enum Failure {
    /// A documented error status, decoded.
    Api {
        status: u16,
        raw: String,
    },
    Unexpected {
        status: u16,
        raw: String,
    },
    Decode {
        status: u16,
        raw: String,
        message: String,
    },
    /// Sent, then the connection closed without an answer (Prism's body generator can die mid-way).
    NoAnswer(String),
    /// No response, or none the client could use (connecting, auth hook, invalid request).
    Other(String),
}

/// The outcome of a call whose client decodes the whole response body.
pub(crate) fn outcome<T: Serialize, E: Debug>(result: Result<ResponseValue<T>, Error<E>>) -> Outcome {
    outcome_at("", result)
}

/// The outcome of a call whose client decodes the response body from `at` (a JSON pointer).
pub(crate) fn outcome_at<T: Serialize, E: Debug>(
    at: &'static str,
    result: Result<ResponseValue<T>, Error<E>>,
) -> Outcome {
    match result {
        Ok(value) => Outcome {
            violations: value.header("sl-violations").map(str::to_owned),
            at,
            result: Ok(serde_json::to_value(&*value).ok()),
        },
        Err(err) => {
            let violations = err
                .headers()
                .and_then(|h| h.get("sl-violations"))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let raw = err.raw_body().unwrap_or_default().to_owned();
            let failure = match &err {
                // `api_error()` is the decoded body.
                Error::Api(response) if err.api_error().is_some() => Failure::Api {
                    status: response.status.as_u16(),
                    raw,
                },
                Error::UnexpectedStatus(response) => Failure::Unexpected {
                    status: response.status.as_u16(),
                    raw,
                },
                Error::Decode { response, source } => Failure::Decode {
                    status: response.status.as_u16(),
                    raw,
                    message: source.to_string(),
                },
                Error::Transport(transport) if transport.sent == Sent::Maybe && transport.status.is_none() => {
                    Failure::NoAnswer(err.to_string())
                }
                other => Failure::Other(match err.status() {
                    Some(status) => format!("{other} (status {status}, body {})", cut(&raw)),
                    None => other.to_string(),
                }),
            };
            Outcome {
                violations,
                at,
                result: Err(failure),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building clients
// ---------------------------------------------------------------------------------------------

/// A transport for `url` that never retries, sending `Prefer: <prefer>` on every request.
pub(crate) fn transport(url: &str, prefer: Option<&str>) -> Result<TransportBuilder, String> {
    let builder = Transport::builder(url).retry(RetryPolicy::never());
    let Some(prefer) = prefer else {
        return Ok(builder);
    };
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(prefer).map_err(|e| format!("Prefer: {prefer}: {e}"))?;
    headers.insert("prefer", value);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    Ok(builder.http_client(http))
}

// ---------------------------------------------------------------------------------------------
// Judging and reporting
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// Prism refused the request: the client sends what the spec does not allow.
    RequestViolation,
    /// Prism refused its own answer: the spec's example (or a body built from its schema) breaks
    /// the spec's schema.
    ResponseViolation,
    /// A body Prism answered with, valid for the spec, did not decode.
    DecodeFailure,
    /// A documented error status did not come back as `Error::Api` with that status.
    ErrorStatus,
    /// A `oneOf` branch never decoded.
    Branch,
    /// An operation of the spec without a call, or a spec without a section.
    Coverage,
    /// Anything else (no answer, an auth hook failing, Prism refusing for another reason).
    Other,
    /// The test could not run a part (a variable unset, a spec unreadable).
    Setup,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Self::RequestViolation => "Request violations (Prism refused what the client sent)",
            Self::ResponseViolation => "Response violations (the spec's own answer breaks its schema)",
            Self::DecodeFailure => "Decode failures (a valid answer the client could not decode)",
            Self::ErrorStatus => "Documented error statuses not returned as Error::Api",
            Self::Branch => "oneOf branches never decoded",
            Self::Coverage => "Coverage",
            Self::Other => "Other failures",
            Self::Setup => "Setup",
        }
    }
}

/// Where a finding showed: the modes, and the first body it came with.
#[derive(Default)]
struct Seen {
    modes: Vec<Mode>,
    body: Option<String>,
}

/// All findings, each listed once with every mode it showed up in.
#[derive(Default)]
pub(crate) struct Report {
    operations: usize,
    requests: usize,
    error_statuses: usize,
    /// `oneOf`s in success bodies, each counted per operation.
    one_of_sites: usize,
    /// (kind, spec, operation, what is wrong) -> where it showed.
    findings: BTreeMap<(Kind, String, String, String), Seen>,
    /// Prism's warnings on answered requests: (spec, operation, warning) -> modes.
    warnings: BTreeMap<(String, String, String), Vec<Mode>>,
    /// Generated bodies Prism could not produce: (spec, operation, what it said) -> modes.
    notes: BTreeMap<(String, String, String), Vec<Mode>>,
    /// Extra checks a section made (V-Pay's webhook payloads), for the count line.
    extra: Vec<String>,
}

impl Report {
    /// Records a failure. What follows [`BODY`] in `detail` is an example body: the same failure
    /// with another body (another seed) is listed once.
    pub(crate) fn finding(&mut self, kind: Kind, spec: &str, operation: &str, mode: &Mode, detail: String) {
        let (what, body) = match detail.split_once(BODY) {
            Some((what, body)) => (what.to_owned(), Some(body.to_owned())),
            None => (detail, None),
        };
        let seen = self
            .findings
            .entry((kind, spec.to_owned(), operation.to_owned(), what))
            .or_default();
        seen.modes.push(mode.clone());
        if seen.body.is_none() {
            seen.body = body;
        }
    }

    /// A part of the test that could not run.
    fn setup(&mut self, spec: &str, detail: String) {
        self.finding(Kind::Setup, spec, "-", &Mode::Label("-"), detail);
    }

    pub(crate) fn extra(&mut self, line: String) {
        self.extra.push(line);
    }

    /// Every spec in the directory has a section here.
    fn check_specs_are_covered(&mut self, dir: &Path, providers: &[&str]) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            self.setup("-", "cannot list the specs directory".into());
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".yaml")
                && !providers.contains(&stem)
            {
                self.finding(
                    Kind::Coverage,
                    stem,
                    "-",
                    &Mode::Label("-"),
                    format!("specs/{name} has no section in tests/contract.rs"),
                );
            }
        }
    }

    /// Records what is wrong with a call that should have succeeded.
    fn judge_success(&mut self, spec: &str, op: &Operation, mode: &Mode, outcome: Outcome) -> Judged {
        self.warn(spec, op, mode, outcome.violations.as_deref());
        match outcome.result {
            Ok(_) => Judged::Decoded,
            Err(failure) => self.record(spec, op, mode, explain(&failure, outcome.violations.as_deref(), None)),
        }
    }

    /// Records what is wrong with a call that should have failed with `error.code`.
    fn judge_error(&mut self, spec: &str, op: &Operation, mode: &Mode, error: &spec::ErrorStatus, outcome: Outcome) {
        self.warn(spec, op, mode, outcome.violations.as_deref());
        let documented = if error.from_default {
            format!("{} (the `default` response)", error.code)
        } else {
            error.code.to_string()
        };
        let header = outcome.violations.as_deref();
        let verdict = match outcome.result {
            // Prism answers a refused request with the documented 400 or 422 too.
            Err(failure) if !request_errors(header).is_empty() => explain(&failure, header, Some(&documented)),
            Err(Failure::Api { status, .. }) if status == error.code => return,
            Ok(_) => Verdict::Finding(
                Kind::ErrorStatus,
                format!("asked for the documented status {documented}, the call succeeded"),
            ),
            Err(Failure::Unexpected { status, raw }) if status == error.code => Verdict::Finding(
                Kind::ErrorStatus,
                format!(
                    "documented status {documented} is Error::UnexpectedStatus, not Error::Api{BODY}{}",
                    cut(&raw)
                ),
            ),
            Err(failure) => explain(&failure, outcome.violations.as_deref(), Some(&documented)),
        };
        self.record(spec, op, mode, verdict);
    }

    /// A finding, or for a generated body Prism could not produce, a note.
    fn record(&mut self, spec: &str, op: &Operation, mode: &Mode, verdict: Verdict) -> Judged {
        match verdict {
            Verdict::Finding(kind, detail) => {
                self.finding(kind, spec, &op.id, mode, detail);
                Judged::Failed
            }
            Verdict::NoAnswer(detail) if matches!(mode, Mode::Dynamic(_) | Mode::CodeDynamic(..)) => {
                self.notes
                    .entry((spec.to_owned(), op.id.clone(), detail))
                    .or_default()
                    .push(mode.clone());
                Judged::NoAnswer
            }
            Verdict::NoAnswer(detail) => {
                self.finding(Kind::Other, spec, &op.id, mode, detail);
                Judged::Failed
            }
        }
    }

    /// Keeps Prism's warnings for the report (its errors are findings).
    fn warn(&mut self, spec: &str, op: &Operation, mode: &Mode, header: Option<&str>) {
        for violation in parse_violations(header) {
            if violation.severity != "Error" {
                self.warnings
                    .entry((spec.to_owned(), op.id.clone(), violation.to_string()))
                    .or_default()
                    .push(mode.clone());
            }
        }
    }

    /// Prints every finding grouped by kind, then the count line; panics if anything failed.
    fn finish(self, started: Instant) {
        let mut out = String::new();
        let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
        let mut current: Option<Kind> = None;
        for ((kind, spec, operation, what), Seen { modes, body }) in &self.findings {
            *by_kind.entry(*kind).or_default() += 1;
            if current != Some(*kind) {
                out.push_str(&format!("\n== {} ==\n", kind.title()));
                current = Some(*kind);
            }
            out.push_str(&format!(
                "- {spec} {operation} [{}]\n    {}\n",
                modes_summary(modes),
                indent(what)
            ));
            if let Some(body) = body {
                out.push_str(&format!("    body ({}): {}\n", modes[0], indent(body)));
            }
        }
        if !self.warnings.is_empty() {
            out.push_str("\n== Prism warnings (not failures) ==\n");
            for ((spec, operation, warning), modes) in &self.warnings {
                out.push_str(&format!(
                    "- {spec} {operation} [{}]\n    {warning}\n",
                    modes_summary(modes)
                ));
            }
        }
        if !self.notes.is_empty() {
            out.push_str("\n== Generated bodies Prism could not produce (skipped, not failures) ==\n");
            for ((spec, operation, said), modes) in &self.notes {
                out.push_str(&format!(
                    "- {spec} {operation} [{}]\n    {}\n",
                    modes_summary(modes),
                    indent(said)
                ));
            }
        }
        for line in &self.extra {
            out.push_str(&format!("\n{line}"));
        }
        let count = |kind| by_kind.get(&kind).copied().unwrap_or(0);
        let failed = self.findings.len();
        out.push_str(&format!(
            "\ncontract: {} operations called ({} requests, {} oneOfs), {} request violations, {} response violations, \
             {} decode failures, {} error statuses checked ({} not as documented), {} other findings; {} failures in \
             all, {:.1} s\n",
            self.operations,
            self.requests,
            self.one_of_sites,
            count(Kind::RequestViolation),
            count(Kind::ResponseViolation),
            count(Kind::DecodeFailure),
            self.error_statuses,
            count(Kind::ErrorStatus),
            count(Kind::Branch) + count(Kind::Coverage) + count(Kind::Other) + count(Kind::Setup),
            failed,
            started.elapsed().as_secs_f64(),
        ));
        println!("{out}");
        assert!(
            failed == 0,
            "{failed} contract failures (listed above); Prism's logs follow when run by tests/contract/run"
        );
    }
}

/// What a failed call means, Prism's own words first.
fn explain(failure: &Failure, header: Option<&str>, expected_status: Option<&str>) -> Verdict {
    let request_errors = request_errors(header);
    let (status, raw) = match failure {
        Failure::Api { status, raw } | Failure::Unexpected { status, raw } | Failure::Decode { status, raw, .. } => {
            (*status, raw.as_str())
        }
        // A note for a generated body (`record` decides), a finding for any other answer.
        Failure::NoAnswer(message) => return Verdict::NoAnswer(format!("Prism closed the connection: {message}")),
        Failure::Other(message) => return Verdict::Finding(Kind::Other, message.clone()),
    };
    if !request_errors.is_empty() {
        let answered = format!("{BODY}status {status}, {}", cut(raw));
        return Verdict::Finding(Kind::RequestViolation, join(&request_errors) + &answered);
    }
    if let Some((problem, detail)) = prism_problem(raw) {
        let said = format!("Prism {status} {problem}: {detail}");
        return match problem.as_str() {
            "VIOLATIONS" => Verdict::Finding(Kind::ResponseViolation, said),
            // Prism's own failures, mostly its body generator (json-schema-faker) giving up.
            "UNKNOWN" | "SCHEMA_TOO_COMPLEX" | "NO_RESPONSE_DEFINED" => Verdict::NoAnswer(said),
            _ => Verdict::Finding(Kind::RequestViolation, said),
        };
    }
    let wanted = match expected_status {
        Some(code) => format!(" (asked for the documented status {code})"),
        None => String::new(),
    };
    Verdict::Finding(
        match failure {
            Failure::Decode { .. } => Kind::DecodeFailure,
            Failure::Api { .. } => Kind::ErrorStatus,
            _ => Kind::Other,
        },
        match failure {
            Failure::Decode { message, raw, .. } => {
                // The position differs from body to body: it goes with the body, so a failure seen
                // with many generated bodies is listed once.
                let (message, position) = match message.rsplit_once(" at line ") {
                    Some((message, position)) => (message, format!(" (at line {position})")),
                    None => (message.as_str(), String::new()),
                };
                format!(
                    "the {status} body did not decode{wanted}: {message}{BODY}status {status}{position}, {}",
                    cut(raw)
                )
            }
            Failure::Api { .. } => format!(
                "Error::Api with status {status}{wanted}{BODY}status {status}, {}",
                cut(raw)
            ),
            _ => format!(
                "Error::UnexpectedStatus {status}{wanted}{BODY}status {status}, {}",
                cut(raw)
            ),
        },
    )
}

/// What a failed call means.
enum Verdict {
    Finding(Kind, String),
    /// Prism could not produce an answer (not the client's doing).
    NoAnswer(String),
}

/// What became of a call that should have succeeded.
enum Judged {
    Decoded,
    Failed,
    NoAnswer,
}

/// A Prism problem+json body (`https://stoplight.io/prism/errors#TYPE`): its type, and its
/// detail with each violation.
fn prism_problem(raw: &str) -> Option<(String, String)> {
    let body: Value = serde_json::from_str(raw).ok()?;
    let problem = body.get("type")?.as_str()?.split_once("prism/errors#")?.1.to_owned();
    let title = body.get("title").and_then(Value::as_str).unwrap_or_default();
    let mut detail = match body.get("detail").and_then(Value::as_str) {
        Some(detail) if !detail.is_empty() => detail.to_owned(),
        // An internal error: its title is the exception, with a stack trace; keep the message and
        // where in the schema it happened.
        _ => match title.split_once("\n") {
            Some((message, rest)) => match rest.rsplit_once(" in /") {
                Some((_, at)) => format!("{message} (at /{at})"),
                None => message.to_owned(),
            },
            None => title.to_owned(),
        },
    };
    if let Some(list) = body.get("validation").and_then(Value::as_array) {
        let violations: Vec<Violation> = list.iter().filter_map(Violation::from_json).collect();
        detail = join(&violations);
    }
    Some((problem, detail))
}

/// One violation as Prism reports it.
struct Violation {
    location: String,
    severity: String,
    message: String,
}

impl Violation {
    fn from_json(value: &Value) -> Option<Self> {
        let location = match value.get("location") {
            Some(Value::Array(parts)) => parts
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("."),
            _ => String::new(),
        };
        Some(Self {
            location,
            severity: value.get("severity")?.as_str()?.to_owned(),
            message: value.get("message")?.as_str()?.to_owned(),
        })
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.location, self.message, self.severity)
    }
}

/// The violations Prism refused the request for.
fn request_errors(header: Option<&str>) -> Vec<Violation> {
    parse_violations(header)
        .into_iter()
        .filter(|v| v.severity == "Error" && v.location.starts_with("request"))
        .collect()
}

fn parse_violations(header: Option<&str>) -> Vec<Violation> {
    let Some(header) = header else {
        return Vec::new();
    };
    match serde_json::from_str::<Value>(header) {
        Ok(Value::Array(list)) => list.iter().filter_map(Violation::from_json).collect(),
        _ => vec![Violation {
            location: "sl-violations".into(),
            severity: "Error".into(),
            message: header.to_owned(),
        }],
    }
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(Violation::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first [`RAW_LIMIT`] bytes of a body.
fn cut(raw: &str) -> String {
    if raw.len() <= RAW_LIMIT {
        return raw.to_owned();
    }
    let end = raw.floor_char_boundary(RAW_LIMIT);
    format!("{}… ({} more bytes)", &raw[..end], raw.len() - end)
}

fn indent(text: &str) -> String {
    text.replace('\n', "\n    ")
}

/// The modes a finding showed up in, folded: `static; dynamic seeds 1-16; code=401/403`.
fn modes_summary(modes: &[Mode]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let (mut seeds, mut codes, mut dynamic_codes) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for mode in modes {
        match mode {
            Mode::Dynamic(seed) => {
                seeds.insert(*seed);
            }
            Mode::Code(code) => {
                codes.insert(*code);
            }
            Mode::CodeDynamic(code, _) => {
                dynamic_codes.insert(*code);
            }
            other => {
                let shown = other.to_string();
                if !parts.contains(&shown) {
                    parts.push(shown);
                }
            }
        }
    }
    let slash = |set: &BTreeSet<u16>| set.iter().map(u16::to_string).collect::<Vec<_>>().join("/");
    if let (Some(first), Some(last)) = (seeds.first(), seeds.last()) {
        let contiguous = usize::try_from(last - first).is_ok_and(|span| span + 1 == seeds.len());
        parts.push(match seeds.len() {
            1 => format!("dynamic seed {first}"),
            _ if contiguous => format!("dynamic seeds {first}-{last}"),
            _ => format!(
                "dynamic seeds {}",
                seeds.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            ),
        });
    }
    if !codes.is_empty() {
        parts.push(format!("code={}", slash(&codes)));
    }
    if !dynamic_codes.is_empty() {
        parts.push(format!("code={} dynamic", slash(&dynamic_codes)));
    }
    parts.join("; ")
}
