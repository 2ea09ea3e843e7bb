//! `cargo xtask lint-migrations`: squawk checks every migration's `up.sql`
//! (part of `cargo xtask lint`, so CI runs it).
//!
//! The rules are squawk's defaults, tuned once for the whole project in
//! `.squawk.toml`. A finding is allowed only when
//! `migrations/lint-allow.toml` lists it: the migration, the rule, how many
//! findings, and why it is safe. The list is reviewed like code, and it must
//! stay exact: an unlisted finding fails, and so does an entry whose count
//! no longer matches or whose migration no longer has the finding (a stale
//! exception would silently cover the next one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::prerequisites;
use crate::project;
use crate::ui::Step;

/// squawk, from PyPI (the Rust linter's own wheel), pinned.
const SQUAWK_REQUIREMENT: &str = "squawk-cli==2.70.0";

/// Where the migrations live, relative to the workspace root.
pub(crate) const MIGRATIONS: &str = "crates/adapters/shoebox-postgres/migrations";

/// The reviewed exceptions, inside [`MIGRATIONS`].
const ALLOW_LIST: &str = "lint-allow.toml";

pub(crate) fn run() -> Result<()> {
    let squawk = prerequisites::python_tool(SQUAWK_REQUIREMENT, "squawk")?;
    let root = project::root();
    let step = Step::start("linting the migrations (squawk)");
    let result = lint(&squawk, &root.join(MIGRATIONS), &root.join(".squawk.toml"));
    match &result {
        Ok(summary) => {
            step.detail(summary);
            step.done();
        }
        Err(_) => step.failed(),
    }
    result.map(|_| ())
}

/// Lints every `up.sql` under `migrations` and checks the findings against
/// the allow-list; a summary on success.
fn lint(squawk: &Path, migrations: &Path, config: &Path) -> Result<String> {
    let files = up_files(migrations)?;
    let findings = run_squawk(squawk, migrations, config, &files)?;
    let allow_path = migrations.join(ALLOW_LIST);
    let text = std::fs::read_to_string(&allow_path)
        .with_context(|| format!("could not read {}", allow_path.display()))?;
    let allow = AllowList::parse(&text)
        .with_context(|| format!("{} is not a valid allow-list", allow_path.display()))?;
    let problems = compare(&findings, &allow, &migration_names(&files));
    if !problems.is_empty() {
        bail!(
            "the migration linter found problems:\n  {}\n\
             A finding is fixed in a new migration, or, when it is deliberate and safe, \
             listed with its reason in {} (see docs/migrations.md).",
            problems.join("\n  "),
            allow_path.display()
        );
    }
    Ok(format!(
        "{} migrations, {} findings, all of them reviewed exceptions",
        files.len(),
        findings.len()
    ))
}

/// Every migration's `up.sql`, relative to `migrations`, sorted.
fn up_files(migrations: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(migrations)
        .with_context(|| format!("could not list {}", migrations.display()))?
    {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let up = PathBuf::from(entry.file_name()).join("up.sql");
            if !migrations.join(&up).is_file() {
                bail!("migration {} has no up.sql", entry.file_name().display());
            }
            files.push(up);
        }
    }
    files.sort();
    Ok(files)
}

fn migration_names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| file.parent())
        .map(|dir| dir.display().to_string())
        .collect()
}

/// One squawk finding, as its JSON reporter prints it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Finding {
    /// The file, as given on the command line (`<migration>/up.sql`).
    file: String,
    /// Zero-based.
    line: u32,
    rule_name: String,
    message: String,
}

impl Finding {
    fn migration(&self) -> &str {
        self.file
            .strip_suffix("/up.sql")
            .unwrap_or(self.file.as_str())
    }
}

/// squawk exits 1 when it finds anything, so its exit status says nothing;
/// its JSON says everything.
fn run_squawk(
    squawk: &Path,
    migrations: &Path,
    config: &Path,
    files: &[PathBuf],
) -> Result<Vec<Finding>> {
    let output = Command::new(squawk)
        .arg("--config")
        .arg(config)
        .args(["--reporter", "json"])
        .args(files)
        .current_dir(migrations)
        .output()
        .with_context(|| format!("could not run {}", squawk.display()))?;
    parse_findings(&output.stdout).with_context(|| {
        format!(
            "squawk printed no findings ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )
    })
}

fn parse_findings(stdout: &[u8]) -> Result<Vec<Finding>> {
    let text = String::from_utf8_lossy(stdout);
    let text = text.trim();
    if text.is_empty() {
        bail!("no output");
    }
    Ok(serde_json::from_str(text)?)
}

/// `lint-allow.toml`: `[[allow]]` tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowList {
    #[serde(default)]
    allow: Vec<Exception>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exception {
    /// The migration's directory name.
    migration: String,
    /// squawk's rule name.
    rule: String,
    /// How many findings of `rule` the migration has.
    count: usize,
    /// Why they are safe: required, and more than a word.
    reason: String,
}

impl AllowList {
    fn parse(text: &str) -> Result<Self> {
        let list: Self = toml::from_str(text)?;
        let mut seen = BTreeMap::new();
        for exception in &list.allow {
            if exception.reason.split_whitespace().count() < 4 {
                bail!(
                    "the exception for {} in {} needs a reason (a sentence, not a word)",
                    exception.rule,
                    exception.migration
                );
            }
            if exception.count == 0 {
                bail!(
                    "the exception for {} in {} allows 0 findings: remove it",
                    exception.rule,
                    exception.migration
                );
            }
            if seen
                .insert((&exception.migration, &exception.rule), ())
                .is_some()
            {
                bail!(
                    "{} in {} is listed twice",
                    exception.rule,
                    exception.migration
                );
            }
        }
        Ok(list)
    }
}

/// Everything wrong, one line each: unlisted findings (with their place and
/// message), mis-counted and stale exceptions, exceptions for migrations
/// that do not exist.
fn compare(findings: &[Finding], allow: &AllowList, migrations: &[String]) -> Vec<String> {
    let mut found: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        found
            .entry((finding.migration(), finding.rule_name.as_str()))
            .or_default()
            .push(finding);
    }
    let mut problems = Vec::new();
    for exception in &allow.allow {
        if !migrations.contains(&exception.migration) {
            problems.push(format!(
                "lint-allow.toml names the migration {}, which does not exist",
                exception.migration
            ));
            continue;
        }
        let key = (exception.migration.as_str(), exception.rule.as_str());
        match found.remove(&key) {
            None => problems.push(format!(
                "stale exception: {} no longer has any {} finding; remove it from lint-allow.toml",
                exception.migration, exception.rule
            )),
            Some(hits) if hits.len() != exception.count => problems.push(format!(
                "{} has {} {} finding(s), lint-allow.toml allows {}: review the new ones",
                exception.migration,
                hits.len(),
                exception.rule,
                exception.count
            )),
            Some(_) => {}
        }
    }
    for ((_, rule), hits) in found {
        for hit in hits {
            problems.push(format!(
                "{}:{}: {} ({rule})",
                hit.file,
                hit.line + 1,
                hit.message
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, rule: &str) -> Finding {
        Finding {
            file: format!("{file}/up.sql"),
            line: 3,
            rule_name: rule.into(),
            message: format!("{rule} happened"),
        }
    }

    fn allow(text: &str) -> AllowList {
        AllowList::parse(text).unwrap()
    }

    const ONE: &str = r#"
        [[allow]]
        migration = "m1"
        rule = "ban-drop-column"
        count = 2
        reason = "the column was unused for two releases"
    "#;

    #[test]
    fn parses_squawks_json_report() {
        let json = br#"[{"file":"m1/up.sql","line":0,"column":14,"level":"Warning",
            "message":"Dropping a column may break existing clients.","help":null,
            "rule_name":"ban-drop-column","column_end":27,"line_end":0}]"#;
        let findings = parse_findings(json).unwrap();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].migration(), "m1");
        assert_eq!(findings[0].rule_name, "ban-drop-column");
        assert_eq!(parse_findings(b"[]").unwrap(), vec![]);
        assert!(parse_findings(b"").is_err());
        assert!(parse_findings(b"error: no such file").is_err());
    }

    #[test]
    fn listed_findings_with_the_right_count_pass() {
        let findings = [
            finding("m1", "ban-drop-column"),
            finding("m1", "ban-drop-column"),
        ];
        let problems = compare(&findings, &allow(ONE), &["m1".into()]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn an_unlisted_finding_fails_and_says_where() {
        let findings = [finding("m2", "require-lock-timeout")];
        let problems = compare(&findings, &AllowList::default(), &["m2".into()]);
        assert_eq!(
            problems,
            ["m2/up.sql:4: require-lock-timeout happened (require-lock-timeout)"]
        );
    }

    #[test]
    fn a_wrong_count_fails() {
        let findings = [finding("m1", "ban-drop-column")];
        let problems = compare(&findings, &allow(ONE), &["m1".into()]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("has 1 ban-drop-column finding(s)"),
            "{problems:?}"
        );
        let three = vec![finding("m1", "ban-drop-column"); 3];
        assert_eq!(compare(&three, &allow(ONE), &["m1".into()]).len(), 1);
    }

    #[test]
    fn stale_and_dangling_exceptions_fail() {
        let stale = compare(&[], &allow(ONE), &["m1".into()]);
        assert_eq!(stale.len(), 1);
        assert!(stale[0].starts_with("stale exception"), "{stale:?}");
        let dangling = compare(&[], &allow(ONE), &[]);
        assert!(dangling[0].contains("does not exist"), "{dangling:?}");
    }

    #[test]
    fn the_allow_list_demands_reasons_and_rejects_nonsense() {
        let no_reason = ONE.replace("the column was unused for two releases", "fine");
        assert!(AllowList::parse(&no_reason).is_err());
        let zero = ONE.replace("count = 2", "count = 0");
        assert!(AllowList::parse(&zero).is_err());
        let twice = format!("{ONE}\n{ONE}");
        assert!(AllowList::parse(&twice).is_err());
        let unknown = ONE.replace("count = 2", "count = 2\nexpires = 1");
        assert!(AllowList::parse(&unknown).is_err());
        let missing = ONE.replace("count = 2", "");
        assert!(AllowList::parse(&missing).is_err());
    }

    /// The real squawk, the real configuration, the real allow-list: the
    /// committed migrations pass, and an unsafe new one fails with its rule
    /// named.
    #[test]
    fn the_committed_migrations_pass_and_an_unsafe_one_does_not() {
        let squawk = prerequisites::python_tool(SQUAWK_REQUIREMENT, "squawk").unwrap();
        let root = project::root();
        let config = root.join(".squawk.toml");
        let summary = lint(&squawk, &root.join(MIGRATIONS), &config).unwrap();
        assert!(summary.contains("migrations"), "{summary}");

        let scratch = tempfile::tempdir().unwrap();
        copy_dir(&root.join(MIGRATIONS), scratch.path());
        let bad = scratch.path().join("2999-01-01-000001_drop_a_column");
        std::fs::create_dir(&bad).unwrap();
        std::fs::write(
            bad.join("up.sql"),
            "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\n\
             ALTER TABLE photos DROP COLUMN title;\n",
        )
        .unwrap();
        let error = lint(&squawk, scratch.path(), &config).unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("ban-drop-column"), "{message}");
        assert!(
            message.contains("2999-01-01-000001_drop_a_column/up.sql:3"),
            "{message}"
        );
    }

    fn copy_dir(from: &Path, to: &Path) {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
}
