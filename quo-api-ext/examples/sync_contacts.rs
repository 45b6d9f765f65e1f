//! Syncs contacts from a CSV file into Quo, keyed by `externalId`, with
//! `client.contacts().sync(rows)`: first a dry run that prints the plan
//! (each changed field, before → after), then the sync itself, with
//! progress, one line per row and the counts.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example sync_contacts                        # demo server, the bundled CSV
//! cargo run -p quo-api-ext --features testing --example sync_contacts -- --dry-run           # the plan only
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example sync_contacts -- my.csv
//! ```
//!
//! The CSV's first columns are `external_id`, `first_name`, `last_name`,
//! `company`, `role`, `email`, `phone`; every further column is a custom
//! field, named as in Quo (`Deal Size`), its cells given as text and read
//! by the field's kind (`12000`, `true`, `2024-05-01`, `a; b`). An empty
//! cell sets nothing, and nothing a row does not name is removed from a
//! contact. A row that does not fit (a cell of the wrong kind, an external
//! id twice) fails alone, and the example exits with failure after the
//! others are synced. Without `QUO_API_KEY` it runs against the built-in
//! demo server, twice, to show that the second run writes nothing.

mod common;

use common::{BoxError, ProgressDisplay, connect, exit_code};
use futures::StreamExt;
use quo_api_ext::contacts::{ContactDraft, SyncAction, SyncCounts, SyncOutcome};
use quo_api_ext::{DEFAULT_RATE_LIMIT, QuoClient};

/// The CSV that ships with this example.
const BUNDLED_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/contacts.csv");
/// The columns before the custom fields.
const FIXED_COLUMNS: usize = 7;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let mut dry_run = false;
    let mut path = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--dry-run" => dry_run = true,
            _ => path = Some(arg),
        }
    }
    let path = path.unwrap_or_else(|| BUNDLED_CSV.to_owned());
    let drafts = read_drafts(&path)?;
    let (client, demo) = connect().await?;

    plan(&client, &drafts).await;
    if dry_run {
        return Ok(());
    }
    let passes = if demo.is_some() { 2 } else { 1 };
    let mut failed = 0;
    for pass in 1..=passes {
        if passes > 1 {
            println!("pass {pass}");
        }
        failed = sync(&client, &drafts).await;
    }
    if failed > 0 {
        return Err(format!("{failed} rows failed").into());
    }
    Ok(())
}

/// The dry run: what the sync would do to each row, field by field.
async fn plan(client: &QuoClient, drafts: &[ContactDraft]) {
    let report = client
        .contacts()
        .sync(drafts.to_vec())
        .dry_run()
        .run()
        .await;
    for outcome in &report.outcomes {
        let id = outcome.external_id.as_deref().unwrap_or("-");
        match &outcome.action {
            SyncAction::Created { .. } => println!("plan\t{id}\twould create"),
            SyncAction::Updated { changes } => {
                println!("plan\t{id}\twould update");
                for change in changes {
                    println!("plan\t{id}\t  {change}");
                }
            }
            SyncAction::Failed(error) => println!("plan\t{id}\twould fail: {error}"),
            _ => println!("plan\t{id}\tunchanged"),
        }
    }
    let s = report.summary;
    println!(
        "plan: create {}, update {}, unchanged {}, fail {} ({} reads, no writes)",
        s.created, s.updated, s.unchanged, s.failed, s.reads
    );
}

/// The sync: one line per row as rows finish, progress on stderr, the
/// counts at the end. Returns how many rows failed.
async fn sync(client: &QuoClient, drafts: &[ContactDraft]) -> usize {
    let mut outcomes = client.contacts().sync(drafts.to_vec()).outcomes();
    let (mut created, mut updated, mut unchanged, mut failed) = (0, 0, 0, 0);
    let mut last = SyncCounts::default();
    let display = ProgressDisplay::new(Some(drafts.len() as u64));
    while let Some(outcome) = outcomes.next().await {
        match outcome.action {
            SyncAction::Created { .. } => created += 1,
            SyncAction::Updated { .. } => updated += 1,
            SyncAction::Failed(_) => failed += 1,
            _ => unchanged += 1,
        }
        print_row(&outcome);
        last = outcome.progress;
        let left = last
            .estimated_remaining(DEFAULT_RATE_LIMIT)
            .map_or_else(String::new, |left| {
                format!(
                    ", about {:.0} s left at {DEFAULT_RATE_LIMIT} requests/s",
                    left.as_secs_f64()
                )
            });
        display.update(
            last.done as u64,
            &format!("{} requests{left}", last.requests),
            &format!(
                "{}/{} rows, {} requests{left}",
                last.done, last.total, last.requests
            ),
        );
    }
    display.finish();
    println!("created {created}, updated {updated}, unchanged {unchanged}");
    println!(
        "failed {failed}; {} requests ({} reads, {} writes)",
        last.requests, last.reads, last.writes
    );
    failed
}

fn print_row(outcome: &SyncOutcome) {
    let id = outcome.external_id.as_deref().unwrap_or("-");
    let contact = outcome.contact.as_ref().map_or("-", |c| c.id.as_str());
    let word = match &outcome.action {
        SyncAction::Created { .. } => "created".to_owned(),
        SyncAction::Updated { .. } => "updated".to_owned(),
        SyncAction::Failed(error) => format!("failed: {error}"),
        _ => "unchanged".to_owned(),
    };
    println!("{id}\t{word}\t{contact}");
}

/// One draft per CSV row; custom-field cells stay text, read by their
/// field's kind when the sync writes them.
fn read_drafts(path: &str) -> Result<Vec<ContactDraft>, BoxError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let headers = reader.headers()?.clone();
    let mut drafts = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let cell = |i: usize| record.get(i).map(str::trim).filter(|c| !c.is_empty());
        let Some(first_name) = cell(1) else {
            return Err(format!("{path}: row {} has no first name", line + 2).into());
        };
        let mut draft = ContactDraft::new(first_name);
        if let Some(v) = cell(0) {
            draft = draft.external_id(v);
        }
        if let Some(v) = cell(2) {
            draft = draft.last_name(v);
        }
        if let Some(v) = cell(3) {
            draft = draft.company(v);
        }
        if let Some(v) = cell(4) {
            draft = draft.role(v);
        }
        if let Some(v) = cell(5) {
            draft = draft.email("work", v);
        }
        if let Some(v) = cell(6) {
            draft = draft.phone_number("work", v);
        }
        for (column, name) in headers.iter().enumerate().skip(FIXED_COLUMNS) {
            if let Some(text) = cell(column) {
                draft = draft.custom_field_text(name, text);
            }
        }
        drafts.push(draft.source("sheet-sync"));
    }
    Ok(drafts)
}
