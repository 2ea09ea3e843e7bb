//! The thumbnail scenario: 400-pixel thumbnails of a 12-megapixel JPEG, in
//! photos per second, Shoebox's imaging adapter (`shoebox bench-thumbnail`,
//! one thread) against `vipsthumbnail` (libvips, shrink-on-load) on the same
//! file in the same run. Target: at least half of vips' rate.
//!
//! vips runs in batches of [`VIPS_BATCH`] files per process, so its start-up
//! is amortised as it would be in a server that keeps libvips loaded.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::report::Verdict;
use crate::prerequisites;
use crate::process::{describe, run_step};
use crate::ui::Step;

/// Files per `vipsthumbnail` process.
const VIPS_BATCH: usize = 10;
/// The target: Shoebox's rate at least this fraction of vips'.
const TARGET_RATIO: f64 = 0.5;

/// Photos per second, both ways.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ThumbnailRates {
    pub(crate) vips: f64,
    pub(crate) shoebox: f64,
}

impl ThumbnailRates {
    pub(crate) fn ratio(&self) -> f64 {
        if self.vips > 0.0 {
            self.shoebox / self.vips
        } else {
            0.0
        }
    }

    /// The line of the report.
    pub(crate) fn line(&self) -> String {
        format!(
            "thumbnails 400 px of 12 MP JPEG: shoebox {:.1} photos/s, vipsthumbnail {:.1} photos/s ({:.2}×)\n",
            self.shoebox,
            self.vips,
            self.ratio()
        )
    }

    pub(crate) fn verdict(&self) -> Verdict {
        Verdict {
            target: format!("thumbnails: photos/s ≥ {TARGET_RATIO} × vipsthumbnail"),
            measured: format!("{:.2}×", self.ratio()),
            passed: self.ratio() >= TARGET_RATIO,
        }
    }
}

/// Generates the 12-megapixel photo with `binary` (`--generate-sample`)
/// into `work_dir`; the upload and album scenarios start from it too.
pub(crate) fn generate_sample(binary: &Path, work_dir: &Path) -> Result<PathBuf> {
    let photo = work_dir.join("photo-12mp.jpg");
    run_step(
        "generating a 12-megapixel JPEG",
        Command::new(binary)
            .arg("bench-thumbnail")
            .arg("--generate-sample")
            .arg(&photo),
    )?;
    Ok(photo)
}

/// `vipsthumbnail`, installed when missing.
pub(crate) fn vipsthumbnail() -> Result<PathBuf> {
    prerequisites::debian_program("vipsthumbnail", "libvips-tools")
}

/// Measures both on `photo` for `seconds` each.
pub(crate) fn measure(
    binary: &Path,
    vips: &Path,
    photo: &Path,
    work_dir: &Path,
    seconds: u32,
) -> Result<ThumbnailRates> {
    let duration = Duration::from_secs(u64::from(seconds.max(1)));

    let step = Step::start(format!("vipsthumbnail -s 400, {seconds}s"));
    let vips_rate = vips_rate(vips, photo, work_dir, duration);
    finish_step(step, &vips_rate);
    let step = Step::start(format!("shoebox bench-thumbnail, {seconds}s"));
    let shoebox_rate = shoebox_rate(binary, photo, seconds.max(1));
    finish_step(step, &shoebox_rate);
    Ok(ThumbnailRates {
        vips: vips_rate?,
        shoebox: shoebox_rate?,
    })
}

fn finish_step<T>(step: Step, outcome: &Result<T>) {
    match outcome {
        Ok(_) => step.done(),
        Err(_) => step.failed(),
    }
}

fn vips_rate(vips: &Path, photo: &Path, work_dir: &Path, duration: Duration) -> Result<f64> {
    let output_dir = work_dir.join("vips-thumbnails");
    std::fs::create_dir_all(&output_dir)
        .with_context(|| format!("could not create {}", output_dir.display()))?;
    let pattern: PathBuf = output_dir.join("%s.jpg");
    let started = Instant::now();
    let mut made = 0usize;
    while made == 0 || started.elapsed() < duration {
        let mut command = Command::new(vips);
        command
            .args(["-s", "400", "-o"])
            .arg(&pattern)
            .args(std::iter::repeat_n(photo, VIPS_BATCH));
        let output = command
            .output()
            .with_context(|| format!("could not run `{}`", describe(&command)))?;
        if !output.status.success() {
            bail!(
                "`{}` failed ({}): {}",
                describe(&command),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        made += VIPS_BATCH;
    }
    Ok(made as f64 / started.elapsed().as_secs_f64())
}

fn shoebox_rate(binary: &Path, photo: &Path, seconds: u32) -> Result<f64> {
    let mut command = Command::new(binary);
    command
        .arg("bench-thumbnail")
        .arg(photo)
        .args(["--seconds", &seconds.to_string()]);
    let output = command
        .output()
        .with_context(|| format!("could not run `{}`", describe(&command)))?;
    if !output.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(&command),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    parse_rate(&String::from_utf8_lossy(&output.stdout))
}

/// Reads `{"photos_per_second": x}` from the command's output.
fn parse_rate(stdout: &str) -> Result<f64> {
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('{'))
        .context("`shoebox bench-thumbnail` printed no JSON line")?;
    let value: serde_json::Value =
        serde_json::from_str(line).context("`shoebox bench-thumbnail` printed invalid JSON")?;
    value["photos_per_second"]
        .as_f64()
        .filter(|rate| rate.is_finite() && *rate > 0.0)
        .context("`shoebox bench-thumbnail` printed no positive photos_per_second")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_read_from_the_last_json_line() {
        let stdout = "warming up\n{\"photos_per_second\": 12.5}\n";
        assert_eq!(parse_rate(stdout).unwrap(), 12.5);
        assert!(parse_rate("{\"photos_per_second\": 0}").is_err());
        assert!(parse_rate("nothing").is_err());
    }

    #[test]
    fn the_target_is_half_of_vips() {
        let met = ThumbnailRates {
            vips: 20.0,
            shoebox: 10.0,
        };
        assert!(met.verdict().passed);
        assert!(met.line().contains("0.50×"), "{}", met.line());
        let missed = ThumbnailRates {
            vips: 20.0,
            shoebox: 9.9,
        };
        assert!(!missed.verdict().passed);
    }
}
