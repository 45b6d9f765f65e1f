//! Exports the calls of the last N days between one of the workspace's
//! phone numbers and one participant, each with its summary and transcript,
//! as JSON lines on stdout: one line per call, newest first.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example export_calls                        # demo server, 30 days
//! cargo run -p quo-api-ext --features testing --example export_calls -- 7 > calls.jsonl
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example export_calls -- 30 +15555550123 [PN123abc]
//! ```
//!
//! Arguments: the number of days (default 30), the participant (E.164) and
//! the phone number id (default: the workspace's first number). Without
//! `QUO_API_KEY` it runs against the built-in demo server, where the
//! participant defaults to the demo customer; with a key it is required.
//!
//! Each line is `{"call": ..., "summary": ..., "transcript": ...}`. A
//! summary or transcript Quo has not finished (or will not make) is not an
//! error: it is written as its status alone, e.g. `{"status":"in-progress"}`,
//! so the line can be exported again later. The count goes to stderr, so
//! stdout is only JSON lines.

mod common;

use common::{BoxError, connect, exit_code};
use std::io::Write;

use futures::TryStreamExt;
use quo_api_ext::raw::Open;
use quo_api_ext::raw::types::ProcessingStatus;
use quo_api_ext::testing::DEMO_PARTICIPANT;
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, demo) = connect().await?;
    let mut args = std::env::args().skip(1);
    let days: u32 = match args.next() {
        None => 30,
        Some(days) => days.parse().ok().filter(|&d| d > 0).ok_or_else(|| {
            format!("the number of days must be a positive integer, got {days:?}")
        })?,
    };
    let participant = match (args.next(), &demo) {
        (Some(participant), _) => participant,
        (None, Some(_)) => DEMO_PARTICIPANT.to_owned(),
        (None, None) => {
            return Err(
                "usage: export_calls [DAYS] <PARTICIPANT (E.164)> [PHONE_NUMBER_ID]".into(),
            );
        }
    };
    let phone_number_id = match args.next() {
        Some(id) => id,
        None => {
            client
                .phone_numbers()
                .list(None)
                .await?
                .into_iter()
                .next()
                .ok_or("the workspace has no phone number")?
                .id
        }
    };

    let since = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
    let calls_api = client.calls();
    let mut calls = calls_api
        .list(&phone_number_id, &participant)
        .created_after(since)
        .items();
    let mut out = std::io::stdout().lock();
    let mut count = 0;
    while let Some(call) = calls.try_next().await? {
        let (summary, transcript) =
            tokio::try_join!(calls_api.summary(&call.id), calls_api.transcript(&call.id))?;
        let line = json!({
            "call": call,
            "summary": when_ready(&summary.status, &summary)?,
            "transcript": when_ready(&transcript.status, &transcript)?,
        });
        writeln!(out, "{line}")?;
        count += 1;
    }
    out.flush()?;
    eprintln!(
        "exported {count} call(s) of the last {days} days between {phone_number_id} and {participant}"
    );
    Ok(())
}

/// The whole value once Quo has completed it, else only its status.
fn when_ready(
    status: &Open<ProcessingStatus>,
    value: &impl serde::Serialize,
) -> Result<Value, BoxError> {
    Ok(match status {
        Open::Known(ProcessingStatus::Completed) => serde_json::to_value(value)?,
        other => json!({ "status": other.to_string() }),
    })
}
