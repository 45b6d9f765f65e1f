//! `cargo xtask regen` end to end, on temporary directories.

use std::path::{Path, PathBuf};

use xtask::regen::{self, NORMALISED, PROVENANCE, SURFACE, UPSTREAM};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The committed upstream document: always present, whatever spec it holds.
fn committed_upstream() -> String {
    workspace()
        .join("openapi")
        .join(UPSTREAM)
        .display()
        .to_string()
}

fn shared() -> Option<PathBuf> {
    let dir = workspace().join("..").join("shared");
    dir.join("specs").is_dir().then_some(dir)
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    [UPSTREAM, NORMALISED, SURFACE, PROVENANCE]
        .iter()
        .map(|name| {
            (
                name.to_string(),
                std::fs::read(dir.join(name)).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_same_inputs_give_byte_identical_files_and_check_passes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    regen::run(&[committed_upstream()], a.path()).unwrap();
    regen::run(&[committed_upstream()], b.path()).unwrap();
    assert_eq!(read_all(a.path()), read_all(b.path()));
    regen::check(a.path()).unwrap();
    let provenance = std::fs::read_to_string(a.path().join(PROVENANCE)).unwrap();
    assert!(
        provenance.contains(&committed_upstream()),
        "sources are recorded as given"
    );
    assert!(!provenance.contains("time"), "no timestamps");
}

#[test]
fn regenerating_the_committed_upstream_reproduces_the_committed_normalised_document() {
    let out = tempfile::tempdir().unwrap();
    regen::run(&[committed_upstream()], out.path()).unwrap();
    for name in [UPSTREAM, NORMALISED, SURFACE] {
        let committed = std::fs::read_to_string(workspace().join("openapi").join(name)).unwrap();
        let fresh = std::fs::read_to_string(out.path().join(name)).unwrap();
        assert!(committed == fresh, "{name} differs from a fresh regen");
    }
}

#[test]
fn check_fails_with_a_diff_when_the_normalised_document_was_edited() {
    let dir = tempfile::tempdir().unwrap();
    regen::run(&[committed_upstream()], dir.path()).unwrap();
    let path = dir.path().join(NORMALISED);
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("\"3.0.3\"", "\"3.0.2\"", 1);
    std::fs::write(&path, edited).unwrap();
    let err = regen::check(dir.path()).unwrap_err();
    assert!(
        err.contains("quo-api.json is not what regen writes"),
        "{err}"
    );
    assert!(err.contains("-  \"openapi\": \"3.0.2\""), "{err}");
    assert!(err.contains("+  \"openapi\": \"3.0.3\""), "{err}");
}

#[test]
fn a_failing_source_changes_nothing_and_names_the_source() {
    let dir = tempfile::tempdir().unwrap();
    regen::run(&[committed_upstream()], dir.path()).unwrap();
    let before = read_all(dir.path());
    let page = dir.path().join("page.md");
    std::fs::write(&page, "# A docs page\n\nwith no spec in it\n").unwrap();
    let page = page.display().to_string();
    let err = regen::run(&[committed_upstream(), page.clone()], dir.path()).unwrap_err();
    assert!(err.starts_with(&page), "{err}");
    assert!(err.contains("no OpenAPI document found"), "{err}");
    let err = regen::run(&["/nonexistent/spec.yaml".into()], dir.path()).unwrap_err();
    assert!(err.contains("/nonexistent/spec.yaml"), "{err}");
    assert_eq!(read_all(dir.path()), before);
}

#[test]
fn an_unsupported_construct_names_the_source_and_the_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("odd.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /v1/things:\n    get:\n      operationId: listThings_v1\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  pair: {type: array, prefixItems: [{type: string}]}\n",
    )
    .unwrap();
    let spec = spec.display().to_string();
    let out = dir.path().join("out");
    let err = regen::run(std::slice::from_ref(&spec), &out).unwrap_err();
    assert!(err.contains(&format!("(from {spec})")), "{err}");
    assert!(
        err.contains(
            "/paths/~1v1~1things/get/responses/200/content/application~1json/schema/properties/pair"
        ),
        "{err}"
    );
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn the_full_spec_merged_with_the_seed_pages_generates_every_operation() {
    let Some(shared) = shared() else {
        eprintln!("../shared is absent: the full-spec regen is not exercised here");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sources = [
        shared.join("specs/openphone-public-api-v1-2025-06.json"),
        shared.join("seeds/000_65410575f1caace7.txt"),
        shared.join("seeds/001_58153561ae6fe771.txt"),
    ]
    .map(|p| p.display().to_string());
    regen::run(&sources, dir.path()).unwrap();
    let surface = std::fs::read_to_string(dir.path().join(SURFACE)).unwrap();
    assert!(
        surface.contains("## Operations (21)"),
        "{}",
        &surface[..400.min(surface.len())]
    );
    for shape in [
        "struct Contact\n",
        "struct ApiError\n",
        "struct ContactDefaultFields\n",
    ] {
        assert!(surface.contains(shape), "missing {shape}");
    }
    // Every v1 list operation gets pagination.
    for response in ["ContactPage", "CallPage", "MessagePage"] {
        assert!(
            surface.contains(&format!("{response} -> ")),
            "{response} is not paginated"
        );
    }
    regen::check(dir.path()).unwrap();
}
