//! `cargo xtask build-times`: how long `quo-api-ext` takes to build, next to
//! a crate that depends only on reqwest + serde + tokio.
//!
//! The question a user asks before adding the SDK is "what does it cost my
//! builds compared with writing the calls myself?". The honest comparison is
//! a crate with the HTTP stack a hand-written client needs anyway, built
//! with the same features, the same locked versions and the same profile,
//! from an empty target directory (clean) and again after touching its own
//! source (incremental, what an edit-compile loop pays).
//!
//! Each build gets a target directory of its own under
//! `target/build-times/`, so nothing is shared between the two and the
//! workspace's usual `target/` is left alone.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The dependencies a hand-written Quo client needs; the baseline crate
/// declares them exactly as the workspace does.
const BASELINE_DEPENDENCIES: [&str; 4] = ["reqwest", "serde", "serde_json", "tokio"];

/// The baseline crate's manifest around its dependencies: the TLS backend
/// and tokio features `quo-api-ext` enables by default, and the workspace's
/// dev profile.
const BASELINE_PACKAGE: &str = r#"[package]
name = "baseline-reqwest-serde-tokio"
version = "0.0.0"
edition = "2024"
publish = false

[features]
default = ["reqwest/default-tls", "tokio/rt", "tokio/sync", "tokio/time"]

[profile.dev.package."*"]
opt-level = 1

[workspace]
"#;

/// The baseline crate's code: one typed call, so every dependency is used.
const BASELINE_LIB: &str = r#"//! A minimal hand-written contacts call.

#[derive(Debug, serde::Deserialize)]
pub struct Page {
    pub data: Vec<Contact>,
    #[serde(rename = "nextPageToken")]
    pub next_page_token: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct Contact {
    pub id: String,
}

pub async fn first_page(base: &str, key: &str) -> reqwest::Result<Page> {
    let page = reqwest::Client::new()
        .get(format!("{base}/v1/contacts"))
        .header("Authorization", key)
        .query(&[("maxResults", "50")])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    tokio::task::yield_now().await;
    Ok(page)
}
"#;

/// One crate to time: where its manifest is and which file an edit touches.
struct Subject {
    label: &'static str,
    manifest: PathBuf,
    package: &'static str,
    touched: PathBuf,
    target_dir: PathBuf,
}

/// Clean and incremental build times of one subject.
struct Timing {
    clean: Duration,
    incremental: Duration,
}

/// Times clean and incremental builds of `quo-api-ext` and of the baseline
/// crate (written under `target/build-times/`), and prints both with their
/// ratios. `release` builds with `--release` instead of the dev profile.
pub fn run(release: bool) -> Result<(), String> {
    let workspace = workspace_root();
    let scratch = workspace.join("target").join("build-times");
    let baseline = write_baseline(&workspace, &scratch)?;
    let subjects = [
        Subject {
            label: "quo-api-ext",
            manifest: workspace.join("Cargo.toml"),
            package: "quo-api-ext",
            touched: workspace.join("quo-api-ext").join("src").join("lib.rs"),
            target_dir: scratch.join("target-quo-api-ext"),
        },
        Subject {
            label: "reqwest + serde + tokio",
            manifest: baseline.join("Cargo.toml"),
            package: "baseline-reqwest-serde-tokio",
            touched: baseline.join("src").join("lib.rs"),
            target_dir: scratch.join("target-baseline"),
        },
    ];
    let profile = if release { "release" } else { "dev" };
    println!(
        "build times, profile {profile}, {} jobs (cargo's default)",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    let mut timings = Vec::new();
    for subject in &subjects {
        let timing = time_subject(subject, release)?;
        println!(
            "{:<24} clean {:>8.1} s   incremental {:>6.2} s",
            subject.label,
            timing.clean.as_secs_f64(),
            timing.incremental.as_secs_f64()
        );
        timings.push(timing);
    }
    let (sdk, base) = (&timings[0], &timings[1]);
    println!(
        "quo-api-ext / baseline: clean {:.2}x, incremental {:.2}x",
        ratio(sdk.clean, base.clean),
        ratio(sdk.incremental, base.incremental)
    );
    Ok(())
}

/// The workspace root (this crate's parent).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// Writes the baseline crate with the workspace's `Cargo.lock`, so it
/// builds the very versions `quo-api-ext` builds.
fn write_baseline(workspace: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let dir = scratch.join("baseline");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let workspace_manifest = workspace.join("Cargo.toml");
    let text = std::fs::read_to_string(&workspace_manifest)
        .map_err(|e| format!("cannot read {}: {e}", workspace_manifest.display()))?;
    write(dir.join("Cargo.toml"), &baseline_manifest(&text)?)?;
    write(src.join("lib.rs"), BASELINE_LIB)?;
    let lock = workspace.join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    Ok(dir)
}

/// Builds `subject` from an empty target directory, then again after
/// touching its source.
fn time_subject(subject: &Subject, release: bool) -> Result<Timing, String> {
    if subject.target_dir.exists() {
        std::fs::remove_dir_all(&subject.target_dir)
            .map_err(|e| format!("cannot clear {}: {e}", subject.target_dir.display()))?;
    }
    let clean = build(subject, release)?;
    touch(&subject.touched)?;
    let incremental = build(subject, release)?;
    Ok(Timing { clean, incremental })
}

/// One `cargo build` of `subject`, timed; fails if cargo does.
fn build(subject: &Subject, release: bool) -> Result<Duration, String> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .arg("build")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&subject.manifest)
        .arg("--package")
        .arg(subject.package)
        .env("CARGO_TARGET_DIR", &subject.target_dir);
    if release {
        command.arg("--release");
    }
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    if !status.success() {
        let mut message = format!("building {} failed ({status})", subject.label);
        let _ = write!(message, "; command: {command:?}");
        return Err(message);
    }
    Ok(elapsed)
}

/// Sets `path`'s modification time to now, as an edit would, without
/// changing its contents.
fn touch(path: &Path) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// `a / b`, or NaN when `b` is zero.
fn ratio(a: Duration, b: Duration) -> f64 {
    if b.is_zero() {
        f64::NAN
    } else {
        a.as_secs_f64() / b.as_secs_f64()
    }
}

/// The baseline manifest: [`BASELINE_PACKAGE`] plus the workspace's own
/// `[workspace.dependencies]` lines for [`BASELINE_DEPENDENCIES`], so the
/// baseline follows any change of version or features.
fn baseline_manifest(workspace_manifest: &str) -> Result<String, String> {
    let mut manifest = BASELINE_PACKAGE.to_owned();
    manifest.push_str("\n[dependencies]\n");
    for name in BASELINE_DEPENDENCIES {
        let line = workspace_dependency(workspace_manifest, name)
            .ok_or_else(|| format!("the workspace's Cargo.toml declares no `{name}`"))?;
        manifest.push_str(line);
        manifest.push('\n');
    }
    Ok(manifest)
}

/// The `name = ...` line of the `[workspace.dependencies]` table.
fn workspace_dependency<'a>(manifest: &'a str, name: &str) -> Option<&'a str> {
    let mut in_table = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_table = trimmed == "[workspace.dependencies]";
        } else if in_table
            && let Some(rest) = trimmed.strip_prefix(name)
            && rest.trim_start().starts_with('=')
        {
            return Some(trimmed);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{baseline_manifest, ratio, workspace_dependency};
    use std::time::Duration;

    const WORKSPACE: &str = r#"
[workspace.package]
serde = "not a dependency"

[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
reqwest = { version = "0.13", default-features = false }
tokio = "1"

[profile.dev]
tokio = "not a dependency"
"#;

    #[test]
    fn dependencies_are_read_from_the_workspace_table_only() {
        assert_eq!(
            workspace_dependency(WORKSPACE, "serde"),
            Some(r#"serde = { version = "1", features = ["derive"] }"#)
        );
        assert_eq!(
            workspace_dependency(WORKSPACE, "serde_json"),
            Some(r#"serde_json = "1""#)
        );
        assert_eq!(
            workspace_dependency(WORKSPACE, "tokio"),
            Some(r#"tokio = "1""#)
        );
        assert_eq!(workspace_dependency(WORKSPACE, "rand"), None);
    }

    #[test]
    fn the_baseline_declares_the_workspace_lines() {
        let manifest = baseline_manifest(WORKSPACE).unwrap();
        assert!(manifest.contains(
            "[dependencies]\nreqwest = { version = \"0.13\", default-features = false }\n"
        ));
        assert!(manifest.contains(
            "default = [\"reqwest/default-tls\", \"tokio/rt\", \"tokio/sync\", \"tokio/time\"]"
        ));
        let error = baseline_manifest("[workspace.dependencies]\nserde = \"1\"\n").unwrap_err();
        assert!(error.contains("`reqwest`"), "{error}");
    }

    #[test]
    fn the_real_workspace_declares_the_baseline_dependencies() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
        baseline_manifest(&text).unwrap();
    }

    #[test]
    fn ratio_of_zero_is_nan() {
        assert!(ratio(Duration::from_secs(1), Duration::ZERO).is_nan());
        assert!((ratio(Duration::from_secs(3), Duration::from_secs(2)) - 1.5).abs() < 1e-9);
    }
}
