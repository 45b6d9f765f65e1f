//! Maintainer tasks for quo-rs. Run as `cargo xtask <task>`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Maintainer tasks for quo-rs")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Pull the Quo OpenAPI document, merge, normalise and write `openapi/`.
    Regen {
        /// A source: a URL, or a file holding an OpenAPI document (JSON or
        /// YAML) or a Quo docs page. Repeat to merge several, later ones
        /// overriding earlier ones. Default: Quo's published v1 JSON.
        #[arg(long = "from", value_name = "URL|FILE")]
        from: Vec<String>,
        /// Change nothing; fail with a diff when `openapi/` is not what
        /// regen would write from the committed upstream document.
        #[arg(long)]
        check: bool,
        /// The directory to write (default: the workspace's `openapi/`).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Time clean and incremental builds of quo-api-ext next to a crate that
    /// depends only on reqwest + serde + tokio (several minutes).
    BuildTimes {
        /// Build with `--release` instead of the dev profile.
        #[arg(long)]
        release: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Regen { from, check, out } => {
            let dir = out.unwrap_or_else(xtask::regen::default_dir);
            if check {
                if !from.is_empty() {
                    eprintln!(
                        "error: --check re-normalises the committed document; it takes no --from"
                    );
                    return ExitCode::from(2);
                }
                xtask::regen::check(&dir)
            } else {
                xtask::regen::run(&from, &dir)
            }
        }
        Task::BuildTimes { release } => xtask::build_times::run(release),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
