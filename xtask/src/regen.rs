//! What a regen writes, and the drift check.
//!
//! `openapi/` holds four files, all deterministic (same inputs, same bytes):
//! - `quo-public-api.json`: the merged document as published (3.1);
//! - `quo-api.json`: the normalised document `quo-api/build.rs` reads;
//! - `api-surface.txt`: the generated client's API surface, for review;
//! - `provenance.json`: the sources as given and checksums.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::json::to_pretty;
use crate::merge::{METHODS, escape, merge};
use crate::normalize::normalize;
use crate::source::{self, DEFAULT_SOURCE, FALLBACK_SOURCE};

/// The merged, as-published document.
pub const UPSTREAM: &str = "quo-public-api.json";
/// The normalised document the build reads.
pub const NORMALISED: &str = "quo-api.json";
/// The reviewable API surface summary.
pub const SURFACE: &str = "api-surface.txt";
/// Sources and checksums.
pub const PROVENANCE: &str = "provenance.json";

/// The workspace's `openapi/` directory.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("openapi")
}

/// Everything a regen derives from the upstream document.
pub struct Outputs {
    /// `quo-public-api.json` text.
    pub upstream: String,
    /// `quo-api.json` text.
    pub normalised: String,
    /// `api-surface.txt` text.
    pub surface: String,
    /// Number of generated operations.
    pub operations: usize,
}

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Normalises `upstream` and generates the surface; `origin` names the
/// source of a JSON pointer for error messages.
pub fn derive(
    upstream: &Value,
    origin: &dyn Fn(&str) -> Option<String>,
) -> Result<Outputs, String> {
    let normalised = normalize(upstream).map_err(|e| {
        let from = origin(&e.pointer)
            .map(|s| format!(" (from {s})"))
            .unwrap_or_default();
        format!(
            "cannot normalise{from}: at {}: {}",
            display_pointer(&e.pointer),
            e.message
        )
    })?;
    let normalised_text = to_pretty(&normalised);
    let generated = crate::codegen::generate(&normalised_text)?;
    let surface = crate::codegen::surface(&generated.file);
    let operations = count_operations(&normalised);
    Ok(Outputs {
        upstream: to_pretty(upstream),
        normalised: normalised_text,
        surface,
        operations,
    })
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

fn operations(doc: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.insert(format!("{} {path}", method.to_uppercase()), op.clone());
            }
        }
    }
    out
}

fn count_operations(doc: &Value) -> usize {
    operations(doc).len()
}

/// Pulls the sources, merges, normalises and writes `dir`.
pub fn run(from: &[String], dir: &Path) -> Result<(), String> {
    let names: Vec<String> = if from.is_empty() {
        vec![DEFAULT_SOURCE.to_owned()]
    } else {
        from.to_vec()
    };
    let mut docs = Vec::new();
    let mut provenance_sources = Vec::new();
    for name in &names {
        eprintln!("reading {name}");
        let src = if from.is_empty() {
            source::read_first(&[DEFAULT_SOURCE, FALLBACK_SOURCE], source::read)?
        } else {
            source::read(name)?
        };
        let name = &src.name;
        let doc = source::parse(&src)?;
        eprintln!(
            "  {} bytes, OpenAPI {}, {} operation(s)",
            src.bytes.len(),
            doc["openapi"].as_str().unwrap_or("?"),
            count_operations(&doc)
        );
        provenance_sources.push(json!({"source": name, "sha256": sha256(&src.bytes)}));
        docs.push((name.clone(), doc));
    }
    let merged = merge(&docs);
    for line in &merged.report {
        eprintln!("  replaced: {line}");
    }
    let outputs = derive(&merged.doc, &|p| merged.origin_of(p).map(str::to_owned))?;
    let previous = std::fs::read_to_string(dir.join(UPSTREAM))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok());
    report_changes(previous.as_ref(), &merged.doc);
    let command = if from.is_empty() {
        "cargo xtask regen".to_owned()
    } else {
        let args: Vec<String> = from.iter().map(|f| format!("--from {f}")).collect();
        format!("cargo xtask regen {}", args.join(" "))
    };
    let provenance = to_pretty(&json!({
        "command": command,
        "sources": provenance_sources,
        "merge_rule": "sources merge in the order given; a later source replaces the same path+method or component; for info, servers and other top-level keys the last source that has the key wins",
        "outputs": {
            UPSTREAM: sha256(outputs.upstream.as_bytes()),
            NORMALISED: sha256(outputs.normalised.as_bytes()),
            SURFACE: sha256(outputs.surface.as_bytes()),
        },
    }));
    write_all(
        dir,
        &[
            (UPSTREAM, &outputs.upstream),
            (NORMALISED, &outputs.normalised),
            (SURFACE, &outputs.surface),
            (PROVENANCE, &provenance),
        ],
    )?;
    eprintln!(
        "wrote {} ({} operations generated)",
        dir.display(),
        outputs.operations
    );
    Ok(())
}

fn report_changes(previous: Option<&Value>, next: &Value) {
    let before = previous.map(operations).unwrap_or_default();
    let after = operations(next);
    let mut any = false;
    for (name, op) in &after {
        match before.get(name) {
            None => eprintln!("  added:   {name}"),
            Some(old) if old != op => eprintln!("  changed: {name}"),
            Some(_) => continue,
        }
        any = true;
    }
    for name in before.keys().filter(|k| !after.contains_key(*k)) {
        eprintln!("  removed: {name}");
        any = true;
    }
    if !any {
        eprintln!("  no operation changed");
    }
}

/// Writes every file to a temporary name first, then renames them all, so
/// a failure leaves `dir` as it was.
fn write_all(dir: &Path, files: &[(&str, &String)]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut staged = Vec::new();
    for (name, text) in files {
        let tmp = dir.join(format!(".{name}.tmp"));
        if let Err(e) = std::fs::write(&tmp, text) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write {}: {e}", tmp.display()));
        }
        staged.push((tmp, dir.join(name)));
    }
    for (tmp, target) in staged {
        std::fs::rename(&tmp, &target)
            .map_err(|e| format!("cannot move {} into place: {e}", target.display()))?;
    }
    Ok(())
}

/// Re-derives everything from the committed upstream document and fails,
/// with a unified diff, when a committed file differs. Needs no network.
pub fn check(dir: &Path) -> Result<(), String> {
    let upstream_path = dir.join(UPSTREAM);
    let upstream_text = std::fs::read_to_string(&upstream_path)
        .map_err(|e| format!("cannot read {}: {e}", upstream_path.display()))?;
    let upstream: Value = serde_json::from_str(&upstream_text)
        .map_err(|e| format!("{}: malformed JSON: {e}", upstream_path.display()))?;
    let outputs = derive(&upstream, &|_| Some(UPSTREAM.to_owned()))?;
    let mut problems = Vec::new();
    for (name, expected) in [
        (UPSTREAM, &outputs.upstream),
        (NORMALISED, &outputs.normalised),
        (SURFACE, &outputs.surface),
    ] {
        let actual = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if &actual != expected {
            let diff = similar::TextDiff::from_lines(&actual, expected)
                .unified_diff()
                .header(&format!("committed {name}"), &format!("regenerated {name}"))
                .to_string();
            problems.push(format!("{name} is not what regen writes:\n{diff}"));
        }
    }
    let provenance: Value = std::fs::read_to_string(dir.join(PROVENANCE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    for (name, text) in [
        (UPSTREAM, &outputs.upstream),
        (NORMALISED, &outputs.normalised),
        (SURFACE, &outputs.surface),
    ] {
        let recorded = provenance
            .pointer(&format!("/outputs/{}", escape(name)))
            .and_then(Value::as_str);
        if recorded != Some(sha256(text.as_bytes()).as_str()) {
            problems.push(format!(
                "{PROVENANCE}: the checksum of {name} is missing or stale"
            ));
        }
    }
    if problems.is_empty() {
        eprintln!(
            "{} is up to date ({} operations)",
            dir.display(),
            outputs.operations
        );
        Ok(())
    } else {
        Err(format!(
            "{} differs from what `cargo xtask regen` writes:\n\n{}",
            dir.display(),
            problems.join("\n")
        ))
    }
}
