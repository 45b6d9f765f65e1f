//! Exports every call of the workspace in the last N days, over every phone
//! number and every participant, each with its summary and transcript, as
//! JSON lines on stdout: one line per call.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example export_calls                        # demo server, 30 days
//! cargo run -p quo-api-ext --features testing --example export_calls -- 7 > calls.jsonl
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example export_calls -- 30 [PN123abc ...]
//! ```
//!
//! Arguments: the number of days (default 30), then optionally the phone
//! number ids to export (default: every number of the workspace). Without
//! `QUO_API_KEY` it runs against the built-in demo server.
//!
//! Each line is `{"call": ..., "participant": ..., "summary": ...,
//! "transcript": ...}`. A summary or transcript Quo has not completed is
//! not an error: it is written as its status alone, e.g.
//! `{"status":"in-progress"}`, so the line can be exported again later; one
//! Quo has none of is `{"status":"missing"}`, and one whose request failed
//! is `{"error": "..."}`. Progress (calls, requests) and the totals go to
//! stderr, so stdout is only JSON lines.

mod common;

use common::{BoxError, ProgressDisplay, connect, exit_code};
use std::io::Write;

use futures::TryStreamExt;
use quo_api_ext::calls::CallProcessing;
use serde_json::{Value, json};

/// A progress line on stderr every this many calls.
const PROGRESS_EVERY: u64 = 5;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, _demo) = connect().await?;
    let mut args = std::env::args().skip(1);
    let days: u32 = match args.next() {
        None => 30,
        Some(days) => days.parse().ok().filter(|&d| d > 0).ok_or_else(|| {
            format!("the number of days must be a positive integer, got {days:?}")
        })?,
    };
    let numbers: Vec<String> = args.collect();

    let since = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
    let mut export = client
        .calls()
        .export()
        .created_after(since)
        .with_summaries()
        .with_transcripts()
        .concurrency(4);
    if !numbers.is_empty() {
        export = export.phone_numbers(numbers);
    }
    let progress = export.progress();
    let started = std::time::Instant::now();
    let mut calls = export.items();
    let mut out = std::io::stdout().lock();
    let display = ProgressDisplay::new(None);
    while let Some(exported) = calls.try_next().await? {
        let line = json!({
            "call": exported.call,
            "participant": exported.participant,
            "summary": outcome(exported.summary.as_ref())?,
            "transcript": outcome(exported.transcript.as_ref())?,
        });
        writeln!(out, "{line}")?;
        let done = exported.progress;
        if done.calls % PROGRESS_EVERY == 0 {
            let line = format!(
                "{} call(s), {} conversation(s), {} request(s)",
                done.calls, done.conversations, done.requests
            );
            display.update(done.calls, &line, &line);
        }
    }
    display.finish();
    out.flush()?;
    let done = progress.snapshot();
    eprintln!(
        "exported {} call(s) of the last {days} days over {} phone number(s) and {} participant(s) \
         in {} request(s) ({} listed twice, skipped) in {:.2} s",
        done.calls,
        done.phone_numbers,
        done.participants,
        done.requests,
        done.duplicates,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The whole value once Quo has completed it, else what became of it.
fn outcome<T: serde::Serialize>(value: Option<&CallProcessing<T>>) -> Result<Value, BoxError> {
    Ok(match value {
        None => Value::Null,
        Some(CallProcessing::Completed(value)) => serde_json::to_value(value)?,
        Some(CallProcessing::NotCompleted(value)) => {
            let status = serde_json::to_value(value)?["status"].clone();
            json!({ "status": status })
        }
        Some(CallProcessing::Missing) => json!({ "status": "missing" }),
        Some(CallProcessing::Failed(error)) => json!({ "error": error.to_string() }),
        Some(_) => json!({ "status": "unknown" }),
    })
}
