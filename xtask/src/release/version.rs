//! Release versions (`MAJOR.MINOR.PATCH`) and where the project records them:
//! the workspace `Cargo.toml`, the web app's `package.json` (through npm) and
//! the Helm chart's `Chart.yaml`.

use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result, bail};

/// A release version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) patch: u64,
}

impl FromStr for Version {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Self> {
        let parts: Vec<&str> = text.trim().split('.').collect();
        let [major, minor, patch] = parts.as_slice() else {
            bail!("{text:?} is not a version like 1.4.0");
        };
        let number = |part: &str| {
            if part.len() > 1 && part.starts_with('0') {
                bail!("{text:?}: no leading zeros in a version");
            }
            part.parse::<u64>()
                .with_context(|| format!("{text:?} is not a version like 1.4.0"))
        };
        Ok(Self {
            major: number(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What to release: a level of change or an exact version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bump {
    Patch,
    Minor,
    Major,
    Exact(Version),
}

impl FromStr for Bump {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Self> {
        Ok(match text {
            "patch" => Self::Patch,
            "minor" => Self::Minor,
            "major" => Self::Major,
            exact => Self::Exact(
                exact
                    .parse()
                    .context("expected patch, minor, major or a version such as 1.4.0")?,
            ),
        })
    }
}

impl Bump {
    /// The version after `current`; an exact version must be newer.
    pub(crate) fn apply(self, current: Version) -> Result<Version> {
        let next = match self {
            Self::Patch => Version {
                patch: current.patch + 1,
                ..current
            },
            Self::Minor => Version {
                minor: current.minor + 1,
                patch: 0,
                ..current
            },
            Self::Major => Version {
                major: current.major + 1,
                minor: 0,
                patch: 0,
            },
            Self::Exact(version) => version,
        };
        if next <= current {
            bail!("{next} is not newer than the current version {current}");
        }
        Ok(next)
    }
}

/// The version in the workspace manifest's `[workspace.package]` table.
pub(crate) fn workspace_version(manifest: &str) -> Result<Version> {
    let (_, value) = workspace_version_line(manifest)?;
    value.parse()
}

/// `manifest` with `[workspace.package]`'s version set to `version`.
pub(crate) fn set_workspace_version(manifest: &str, version: Version) -> Result<String> {
    let (line, _) = workspace_version_line(manifest)?;
    Ok(manifest.replacen(&line, &format!("version = \"{version}\""), 1))
}

/// The `version = "…"` line of `[workspace.package]` and its value.
fn workspace_version_line(manifest: &str) -> Result<(String, String)> {
    let mut in_table = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_table = trimmed == "[workspace.package]";
            continue;
        }
        if in_table
            && let Some(value) = trimmed.strip_prefix("version")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            let value = value.trim().trim_matches('"').to_owned();
            return Ok((line.to_owned(), value));
        }
    }
    bail!("Cargo.toml has no version in [workspace.package]")
}

/// `chart` (a `Chart.yaml`) with `version` and `appVersion` set.
pub(crate) fn set_chart_version(chart: &str, version: Version) -> Result<String> {
    let mut found = (false, false);
    let lines: Vec<String> = chart
        .lines()
        .map(|line| {
            if line.starts_with("version:") {
                found.0 = true;
                format!("version: {version}")
            } else if line.starts_with("appVersion:") {
                found.1 = true;
                format!("appVersion: \"{version}\"")
            } else {
                line.to_owned()
            }
        })
        .collect();
    if found != (true, true) {
        bail!("Chart.yaml needs top-level version: and appVersion: lines");
    }
    let mut text = lines.join("\n");
    if chart.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().unwrap()
    }

    #[test]
    fn levels_bump_the_right_part() {
        let current = v("1.4.2");
        assert_eq!(Bump::Patch.apply(current).unwrap(), v("1.4.3"));
        assert_eq!(Bump::Minor.apply(current).unwrap(), v("1.5.0"));
        assert_eq!(Bump::Major.apply(current).unwrap(), v("2.0.0"));
        assert_eq!(
            "1.10.0".parse::<Bump>().unwrap().apply(current).unwrap(),
            v("1.10.0")
        );
    }

    #[test]
    fn versions_must_move_forward_and_be_well_formed() {
        let error = Bump::Exact(v("1.4.2")).apply(v("1.4.2")).unwrap_err();
        assert!(error.to_string().contains("not newer"), "{error}");
        assert!(Bump::Exact(v("1.3.9")).apply(v("1.4.2")).is_err());
        for bad in [
            "1.4",
            "1.4.2.1",
            "v1.4.2",
            "1.04.2",
            "one.two.three",
            "1.4.2-rc1",
        ] {
            assert!(bad.parse::<Bump>().is_err(), "{bad} must be refused");
        }
        assert!(v("1.10.0") > v("1.9.9"));
    }

    #[test]
    fn the_workspace_version_is_read_and_replaced_in_its_table() {
        let manifest = "[package]\nversion = \"9.9.9\"\n\n[workspace.package]\n\
                        version = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nx = { version = \"1\" }\n";
        assert_eq!(workspace_version(manifest).unwrap(), v("0.1.0"));
        let bumped = set_workspace_version(manifest, v("0.2.0")).unwrap();
        assert_eq!(workspace_version(&bumped).unwrap(), v("0.2.0"));
        assert!(bumped.contains("[package]\nversion = \"9.9.9\""));
        assert!(bumped.contains("x = { version = \"1\" }"));
        assert!(workspace_version("[workspace]\n").is_err());
    }

    #[test]
    fn chart_versions_move_together() {
        let chart = "apiVersion: v2\nname: shoebox\nversion: 0.1.0\nappVersion: \"0.1.0\"\nkubeVersion: \">=1.27.0-0\"\n";
        let bumped = set_chart_version(chart, v("0.2.0")).unwrap();
        assert_eq!(
            bumped,
            "apiVersion: v2\nname: shoebox\nversion: 0.2.0\nappVersion: \"0.2.0\"\nkubeVersion: \">=1.27.0-0\"\n"
        );
        assert!(set_chart_version("name: shoebox\n", v("0.2.0")).is_err());
    }
}
