//! Generates the `quo-api` client from the normalised OpenAPI document.
//!
//! Reads only `spec/quo-api.json` (the normalised document written by
//! `cargo xtask regen`), generates with the settings in `codegen.rs`, and
//! writes `$OUT_DIR/codegen.rs`. Errors are reported, never panicked.

// The surface summary in codegen.rs is used by xtask only.
#[allow(dead_code)]
#[path = "codegen.rs"]
mod codegen;

use std::path::PathBuf;
use std::process::ExitCode;

const SPEC: &str = "spec/quo-api.json";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=codegen.rs");
    println!("cargo:rerun-if-changed=build.rs");
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: quo-api code generation failed: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let spec = std::fs::read_to_string(SPEC)
        .map_err(|e| format!("cannot read {SPEC}: {e} (run `cargo xtask regen`)"))?;
    let generated = codegen::generate(&spec)?;
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let out = PathBuf::from(out_dir).join("codegen.rs");
    std::fs::write(&out, generated.source)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    // The typed httpmock helpers cost a second generation pass: only when
    // the `httpmock` feature asks for them.
    if std::env::var_os("CARGO_FEATURE_HTTPMOCK").is_some() {
        let mocks = codegen::generate_mocks(&spec)?;
        let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?)
            .join("mocks.rs");
        std::fs::write(&out, mocks).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    Ok(())
}
