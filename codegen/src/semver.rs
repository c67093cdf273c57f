//! What a regeneration changes for dependents: the difference of two `public-api.txt` listings
//! in Rust terms, its semver class, and the crate version that follows (cargo's rules: on `0.x`,
//! a breaking change bumps the minor number).

use std::collections::BTreeMap;
use std::fmt;

/// How much a change matters to the crates that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Nothing generated changed.
    None,
    /// The code changed, its public API did not.
    Patch,
    /// Items were added; code that compiled before still compiles.
    Minor,
    /// Something was removed or changed: code that used it may not compile.
    Major,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        })
    }
}

/// The API changes between two listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Each change that can break a dependent, in words.
    pub breaking: Vec<String>,
    /// Each item added.
    pub added: Vec<String>,
}

impl Report {
    /// The class of the change, given whether any generated file changed at all.
    pub fn class(&self, code_changed: bool) -> Class {
        if !self.breaking.is_empty() {
            Class::Major
        } else if !self.added.is_empty() {
            Class::Minor
        } else if code_changed {
            Class::Patch
        } else {
            Class::None
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.breaking {
            writeln!(f, "  breaking: {line}")?;
        }
        for line in &self.added {
            writeln!(f, "  added: {line}")?;
        }
        Ok(())
    }
}

/// One line of a listing: its kind (`fn`, `field`, …), the item's path, and the rest.
struct Item<'a> {
    kind: &'a str,
    path: &'a str,
    line: &'a str,
}

fn items(listing: &str) -> BTreeMap<String, Item<'_>> {
    listing
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (kind, rest) = match line.strip_prefix("async ") {
                Some(rest) => rest.split_once(' ').unwrap_or((rest, "")),
                None => line.split_once(' ').unwrap_or((line, "")),
            };
            // `impl` and `use` lines are their own key; others end their path at the signature.
            let path = if matches!(kind, "impl" | "use") {
                rest
            } else {
                let end = path_end(rest);
                &rest[..end]
            };
            (format!("{kind} {path}"), Item { kind, path, line })
        })
        .collect()
}

/// Where an item's path ends: at `(`, `<`, a space, `=`, or a single `:`.
fn path_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'<' | b' ' | b'=' => return i,
            b':' if bytes.get(i + 1) == Some(&b':') => i += 2,
            b':' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The changes from `old` to `new` (two `public-api.txt` texts).
pub fn compare(old: &str, new: &str) -> Report {
    let (before, after) = (items(old), items(new));
    let mut report = Report::default();
    for (key, item) in &before {
        match after.get(key) {
            None => report.breaking.push(format!("{} `{}` removed", item.kind, item.path)),
            Some(now) if now.line != item.line => report.breaking.push(changed(item, now)),
            Some(_) => {}
        }
    }
    for (key, item) in &after {
        if before.contains_key(key) {
            continue;
        }
        // A field or variant added to a type that can be built or matched exhaustively breaks
        // the code that does so; `#[non_exhaustive]` types take additions.
        let parent = item.path.rsplit_once("::").map(|(parent, _)| parent);
        let exhaustive = |kind: &str| {
            parent.is_some_and(|parent| {
                after
                    .get(&format!("{kind} {parent}"))
                    .is_some_and(|p| !p.line.contains("#[non_exhaustive]"))
                    && before.contains_key(&format!("{kind} {parent}"))
            })
        };
        // The line without its kind (`async fn` is two words).
        let line = item.line.strip_prefix("async ").unwrap_or(item.line);
        let addition = format!(
            "{} `{}`",
            item.kind,
            line.split_once(' ').map_or(line, |(_, rest)| rest)
        );
        match item.kind {
            "field" if exhaustive("struct") => report
                .breaking
                .push(format!("{addition}: added to a struct without #[non_exhaustive]")),
            "variant" if exhaustive("enum") => report
                .breaking
                .push(format!("{addition}: added to an enum without #[non_exhaustive]")),
            _ => report.added.push(addition),
        }
    }
    report
}

/// A changed item, in words: a function's arguments and result, a field's or alias's type.
fn changed(old: &Item, new: &Item) -> String {
    let name = format!("`{}`", new.path);
    if new.line.strip_suffix(" #[non_exhaustive]") == Some(old.line) {
        return format!(
            "{name} became #[non_exhaustive]: other crates can no longer write it as a literal or match it exhaustively"
        );
    }
    if matches!(new.kind, "fn") {
        let (old_args, old_out) = signature(old.line);
        let (new_args, new_out) = signature(new.line);
        let mut words = Vec::new();
        for arg in &new_args {
            match old_args.iter().find(|a| arg_name(a) == arg_name(arg)) {
                None => words.push(format!("takes a new argument `{}`", arg_name(arg))),
                Some(was) if was != arg => words.push(format!("takes `{arg}` (was `{was}`)")),
                Some(_) => {}
            }
        }
        for arg in &old_args {
            if !new_args.iter().any(|a| arg_name(a) == arg_name(arg)) {
                words.push(format!("no longer takes `{}`", arg_name(arg)));
            }
        }
        if old_out != new_out {
            words.push(format!("returns `{new_out}` (was `{old_out}`)"));
        }
        if !words.is_empty() {
            return format!("{name} {}", words.join(", "));
        }
    }
    if let (Some(was), Some(now)) = (old.line.split_once(": "), new.line.split_once(": "))
        && new.kind == "field"
    {
        return format!("{name} is now `{}` (was `{}`)", now.1, was.1);
    }
    format!("{} {name} changed: `{}` (was `{}`)", new.kind, new.line, old.line)
}

/// An argument's name: `id` of `id: &str`, `self` of `&'a self`.
fn arg_name(arg: &str) -> &str {
    match arg.split_once(':') {
        Some((name, _)) => name.trim(),
        None => arg.rsplit([' ', '&']).next().unwrap_or(arg),
    }
}

/// A function line's arguments (split at top-level commas) and what it returns.
fn signature(line: &str) -> (Vec<String>, String) {
    let Some(open) = line.find('(') else {
        return (Vec::new(), String::new());
    };
    let mut depth = 0usize;
    let mut args = Vec::new();
    let mut current = String::new();
    let mut close = line.len();
    for (i, c) in line[open + 1..].char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' if depth == 0 => {
                close = open + 1 + i;
                break;
            }
            ')' | '>' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                args.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_owned());
    }
    let output = line.get(close + 1..).unwrap_or_default().trim();
    let output = output.strip_prefix("->").unwrap_or(output).trim();
    (args, output.to_owned())
}

/// The version after a change of `class` (cargo's rules; `0.x` counts from the minor number).
pub fn bump(version: &str, class: Class) -> Option<String> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(match (class, major) {
        (Class::None, _) => version.to_owned(),
        (Class::Major, 0) => format!("0.{}.0", minor + 1),
        (Class::Major, _) => format!("{}.0.0", major + 1),
        (Class::Minor, 0) | (Class::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        (Class::Minor, _) => format!("{major}.{}.0", minor + 1),
    })
}

/// `name` in `dir` as the last commit has it, when `dir` is in a git repository.
fn committed(dir: &std::path::Path, name: &str) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("HEAD:./{name}"))
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).ok())
        .flatten()
}

/// A regeneration of a crate that is already on disk: what changed for dependents, and the
/// version its manifest now carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub report: Report,
    pub class: Class,
    pub old_version: String,
    pub new_version: String,
}

/// Compares `files` (a crate's generated files) with the crate in `dir` as last committed (as on
/// disk outside a git repository), and writes the version that follows into `files`'
/// `Cargo.toml`: so regenerating twice before a commit bumps once. `None` for a crate not
/// generated before (or without a listing yet): it keeps the version it was made with.
pub fn release(dir: &std::path::Path, files: &mut [crate::OutputFile]) -> Option<Release> {
    let in_git = committed(dir, "Cargo.toml").is_some();
    let read = |name: &str| {
        if in_git {
            committed(dir, name)
        } else {
            std::fs::read_to_string(dir.join(name)).ok()
        }
    };
    let (old_listing, old_manifest) = (read("public-api.txt")?, read("Cargo.toml")?);
    let old_version = toml::from_str::<toml::Table>(&old_manifest)
        .ok()?
        .get("package")?
        .get("version")?
        .as_str()?
        .to_owned();
    let new_listing = files.iter().find(|f| f.path == "public-api.txt")?.contents.clone();
    let code_changed = files
        .iter()
        .filter(|f| f.path != "Cargo.toml")
        .any(|f| read(&f.path).is_none_or(|on_disk| on_disk.replace("\r\n", "\n") != f.contents));
    let report = compare(&old_listing, &new_listing);
    let class = report.class(code_changed);
    let new_version = bump(&old_version, class)?;
    let manifest = files.iter_mut().find(|f| f.path == "Cargo.toml")?;
    // The manifest is ours: its one `version` line is the package's.
    manifest.contents = manifest.contents.replacen(
        &format!("\nversion = \"{}\"\n", crate::emit::INITIAL_VERSION),
        &format!("\nversion = \"{new_version}\"\n"),
        1,
    );
    Some(Release {
        report,
        class,
        old_version,
        new_version,
    })
}

#[cfg(test)]
mod tests {
    use super::{Class, bump, compare};

    const OLD: &str = "\
struct types::Pay #[non_exhaustive]
field types::Pay::amount: i64
fn types::Pay::new(amount: i64)
enum types::Status
variant types::Status::Paid = \"paid\"
async fn Client::get(&self, id: &str) -> Result<Pay, Error<E>>
";

    #[test]
    fn additions_to_non_exhaustive_types_are_minor() {
        let new = format!(
            "{OLD}field types::Pay::note: Option<String>\nconst servers::EU: &str\nasync fn Client::list(&self) -> Vec<Pay>\n"
        );
        let report = compare(OLD, &new);
        assert_eq!(report.class(true), Class::Minor, "{report}");
        assert_eq!(report.added.len(), 3);
        assert!(
            report
                .added
                .contains(&"fn `Client::list(&self) -> Vec<Pay>`".to_owned()),
            "{report}"
        );
    }

    #[test]
    fn breaking_changes_are_named() {
        let new =
            OLD.replace(
                "fn types::Pay::new(amount: i64)",
                "fn types::Pay::new(amount: i64, order_ref: String)",
            )
            .replace("amount: i64\n", "amount: String\n")
            .replace(
                "async fn Client::get(&self, id: &str)",
                "async fn Client::fetch(&self, id: &str)",
            ) + "variant types::Status::Open = \"open\"\n"
                + "fn Client::list<'a>(&'a self, id: &'a str) -> Items<'a>\n";
        let old = format!("{OLD}fn Client::list(&self) -> Items<'_>\n");
        let report = compare(&old, &new);
        let text = report.to_string();
        assert_eq!(report.class(true), Class::Major);
        assert!(
            text.contains("`Client::list` takes `&'a self` (was `&self`), takes a new argument `id`"),
            "{text}"
        );
        assert!(
            text.contains("`types::Pay::new` takes a new argument `order_ref`"),
            "{text}"
        );
        assert!(
            text.contains("`types::Pay::amount` is now `String` (was `i64`)"),
            "{text}"
        );
        assert!(text.contains("fn `Client::get` removed"), "{text}");
        assert!(text.contains("added to an enum without #[non_exhaustive]"), "{text}");
    }

    #[test]
    fn versions_bump_as_cargo_reads_them() {
        assert_eq!(bump("0.1.0", Class::Major).as_deref(), Some("0.2.0"));
        assert_eq!(bump("0.1.3", Class::Minor).as_deref(), Some("0.1.4"));
        assert_eq!(bump("1.2.3", Class::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(bump("1.2.3", Class::Major).as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.2.3", Class::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(bump("1.2.3", Class::None).as_deref(), Some("1.2.3"));
        assert_eq!(bump("1.2", Class::Patch), None);
    }
}
