//! `paykit-codegen generate [--check]` regenerates every client of the workspace;
//! `paykit-codegen generate --spec FILE --out DIR` makes one crate from any spec;
//! `paykit-codegen diff OLD NEW` says what a change of spec changes for dependents.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use paykit_codegen::{CrateOptions, OutputFile, RuntimeDependency, semver, workspace, write};

#[derive(Parser)]
#[command(
    name = "paykit-codegen",
    version,
    about = "OpenAPI 3.0, 3.1 and Swagger 2.0 → async Rust client crates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate client crates: every spec in specs/ into generated/, or one --spec into --out.
    Generate {
        /// Write nothing; list stale files and exit 1 if any.
        #[arg(long)]
        check: bool,
        /// One spec file to generate a standalone crate from (needs --out).
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Folder for the crate made from --spec.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// Package name for --spec (default: paykit-<file stem>).
        #[arg(long, requires = "spec")]
        crate_name: Option<String>,
        /// With --spec: the folder of paykit-runtime, relative to the generated crate (an absolute
        /// path is written relative to it too), e.g. ../paykit/runtime.
        #[arg(long, requires = "spec", conflicts_with = "runtime_git")]
        runtime_path: Option<PathBuf>,
        /// With --spec: a git repository holding paykit-runtime (such as a clone of paykit's).
        #[arg(long, requires = "spec")]
        runtime_git: Option<String>,
        /// With --runtime-git: the commit, tag or branch to use (default: the default branch).
        #[arg(long, requires = "runtime_git")]
        runtime_rev: Option<String>,
        /// With --spec: generate what is supported, leave out each operation that is not, and list
        /// those (file, JSON pointer, reason) instead of failing.
        #[arg(long, requires = "spec")]
        skip_unsupported: bool,
        /// Workspace root, when not generating --spec (default: the nearest folder above with specs/).
        #[arg(long, conflicts_with = "spec")]
        root: Option<PathBuf>,
    },
    /// What regenerating from NEW instead of OLD changes in the crate's public API, and its
    /// semver class; writes nothing.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Exit 1 when the change is breaking (major).
        #[arg(long)]
        deny_breaking: bool,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate {
            check,
            spec,
            out,
            crate_name,
            runtime_path,
            runtime_git,
            runtime_rev,
            skip_unsupported,
            root,
        } => match (spec, out) {
            (Some(spec), Some(out)) => runtime_dependency(runtime_path, runtime_git, runtime_rev, &out)
                .and_then(|runtime| single(&spec, &out, crate_name, runtime, check, skip_unsupported)),
            _ => match root.or_else(find_root) {
                Some(root) => all(&root, check),
                None => Err("no specs/ folder here or above; pass --root or --spec/--out".to_owned()),
            },
        },
        Command::Diff {
            old,
            new,
            deny_breaking,
        } => diff(&old, &new, deny_breaking),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn find_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|dir| dir.join("specs").is_dir() && dir.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

fn all(root: &Path, check: bool) -> Result<ExitCode, String> {
    let targets = workspace::targets(root).map_err(|e| e.to_string())?;
    let relative = |p: String| {
        p.strip_prefix(&format!("{}/", root.display()))
            .map(str::to_owned)
            .unwrap_or(p)
    };
    let mut stale = Vec::new();
    for target in &targets {
        if !check && let Some(release) = &target.release {
            print_release(&relative(target.out_dir.display().to_string()), release);
        }
        let changed = apply(&target.out_dir, &target.files, check)?;
        stale.extend(changed.into_iter().map(relative));
    }
    let strays = workspace::strays(root, &targets);
    if !strays.is_empty() {
        let listed: Vec<String> = strays.iter().map(|s| relative(s.path.display().to_string())).collect();
        if check {
            stale.extend(listed.into_iter().map(|p| format!("{p} (not generated from any spec)")));
        } else {
            return Err(format!(
                "generated/ holds generated files only; move or delete: {}",
                listed.join(", ")
            ));
        }
    }
    report(
        stale,
        check,
        &format!("run `{}` and commit the result", workspace::REGENERATE),
    )
}

fn single(
    spec: &Path,
    out: &Path,
    crate_name: Option<String>,
    runtime: RuntimeDependency,
    check: bool,
    skip_unsupported: bool,
) -> Result<ExitCode, String> {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("client");
    let label = spec.file_name().and_then(|s| s.to_str()).unwrap_or("spec").to_owned();
    let crate_name = match crate_name {
        Some(name) if paykit_codegen::ir::package_name(&name) != name => {
            return Err(format!(
                "--crate-name {name:?} is not a valid package name (letters, digits, - and _)"
            ));
        }
        Some(name) => name,
        None => format!("paykit-{}", paykit_codegen::ir::package_name(stem)),
    };
    let options = CrateOptions { crate_name, runtime };
    let mut files = if skip_unsupported {
        let (files, skipped) =
            paykit_codegen::generate_crate_skipping_unsupported(spec, &label, &options).map_err(|e| e.to_string())?;
        for error in &skipped {
            eprintln!("skipped {error}");
        }
        if !skipped.is_empty() {
            eprintln!("{} operation(s) left out", skipped.len());
        }
        files
    } else {
        paykit_codegen::generate_crate(spec, &label, &options).map_err(|e| e.to_string())?
    };
    let release = semver::release(out, &mut files);
    if !check && let Some(release) = &release {
        print_release(&out.display().to_string(), release);
    }
    let stale = apply(out, &files, check)?;
    report(stale, check, "run the same command without --check")
}

/// Where the crate generated into `out` finds paykit-runtime: a git repository, or a folder
/// written relative to the crate (so the crate holds no path of this machine), which must hold
/// paykit-runtime. paykit-runtime is not on crates.io, so one of the two is required: a bare
/// version requirement would resolve to whoever claims the name there.
fn runtime_dependency(
    path: Option<PathBuf>,
    git: Option<String>,
    rev: Option<String>,
    out: &Path,
) -> Result<RuntimeDependency, String> {
    match (path, git) {
        (_, Some(url)) => Ok(RuntimeDependency::Git { url, rev }),
        (Some(path), None) => relative_runtime_path(&path, out).map(|path| RuntimeDependency::Standalone { path }),
        (None, None) => Err(
            "say where paykit-runtime is: --runtime-path DIR (relative to the generated crate, e.g. \
             ../paykit/runtime) or --runtime-git URL [--runtime-rev REV]"
                .to_owned(),
        ),
    }
}

/// `given` (relative to the crate in `out`, or absolute) as a path relative to that crate, once
/// it is checked to be paykit-runtime's folder. Cargo reads such a path lexically, as this does.
fn relative_runtime_path(given: &Path, out: &Path) -> Result<String, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let out = normalize(&cwd.join(out));
    let runtime = normalize(&out.join(given));
    let name = std::fs::read_to_string(runtime.join("Cargo.toml"))
        .ok()
        .and_then(|manifest| manifest.parse::<toml::Table>().ok())
        .and_then(|manifest| Some(manifest.get("package")?.get("name")?.as_str()?.to_owned()));
    if name.as_deref() != Some("paykit-runtime") {
        return Err(format!(
            "--runtime-path {}: no paykit-runtime there (a relative path is read from the generated crate, {})",
            given.display(),
            out.display()
        ));
    }
    let common = runtime
        .components()
        .zip(out.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return Err(format!(
            "--runtime-path {}: cannot be written relative to {} (another drive?)",
            given.display(),
            out.display()
        ));
    }
    let mut relative = PathBuf::new();
    for _ in out.components().skip(common) {
        relative.push("..");
    }
    relative.extend(runtime.components().skip(common));
    // Cargo reads `/` on every platform.
    Ok(relative.to_string_lossy().replace('\\', "/"))
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// What a regeneration changes for the crate's dependents, when it changes anything.
fn print_release(crate_dir: &str, release: &semver::Release) {
    if release.class == semver::Class::None {
        return;
    }
    println!(
        "{crate_dir}: {} change, version {} -> {}",
        release.class, release.old_version, release.new_version
    );
    print!("{}", release.report);
}

/// `diff OLD NEW`: both specs generated in memory and their public APIs compared. Exit 0, or 1
/// for a breaking change with `--deny-breaking`.
fn diff(old: &Path, new: &Path, deny_breaking: bool) -> Result<ExitCode, String> {
    let options = CrateOptions {
        crate_name: "diff".to_owned(),
        runtime: RuntimeDependency::Standalone {
            path: "paykit-runtime".to_owned(),
        },
    };
    let generate = |spec: &Path| -> Result<Vec<OutputFile>, String> {
        let label = spec.display().to_string();
        paykit_codegen::generate_crate(spec, &label, &options).map_err(|e| e.to_string())
    };
    // Each spec's name is written into its files; compared, both read `SPEC`.
    let generate = |spec: &Path| -> Result<Vec<OutputFile>, String> {
        let label = spec.display().to_string();
        let files = generate(spec)?;
        Ok(files
            .into_iter()
            .map(|f| OutputFile {
                contents: f.contents.replace(&label, "SPEC"),
                path: f.path,
            })
            .collect())
    };
    let (before, after) = (generate(old)?, generate(new)?);
    let listing = |files: &[OutputFile]| {
        files
            .iter()
            .find(|f| f.path == "public-api.txt")
            .map(|f| f.contents.clone())
            .unwrap_or_default()
    };
    let report = semver::compare(&listing(&before), &listing(&after));
    // The manifest stamps the spec's hash, which differs whenever the files do.
    let code_changed = before.len() != after.len()
        || before
            .iter()
            .zip(&after)
            .any(|(a, b)| a.path != "Cargo.toml" && (a.path != b.path || a.contents != b.contents));
    let class = report.class(code_changed);
    print!("{report}");
    println!("semver: {class}");
    Ok(if deny_breaking && class == semver::Class::Major {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn apply(dir: &Path, files: &[OutputFile], check: bool) -> Result<Vec<String>, String> {
    if check {
        Ok(write::check(dir, files)
            .into_iter()
            .map(|s| format!("{} ({})", s.path.display(), s.reason))
            .collect())
    } else {
        let written = write::write(dir, files).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(written.into_iter().map(|p| p.display().to_string()).collect())
    }
}

fn report(changed: Vec<String>, check: bool, fix: &str) -> Result<ExitCode, String> {
    if check {
        if changed.is_empty() {
            println!("generated code is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("stale generated files:");
        for path in &changed {
            eprintln!("  {path}");
        }
        eprintln!("{fix}");
        return Ok(ExitCode::FAILURE);
    }
    for path in &changed {
        println!("wrote {path}");
    }
    if changed.is_empty() {
        println!("nothing to do: generated code is up to date");
    }
    Ok(ExitCode::SUCCESS)
}
