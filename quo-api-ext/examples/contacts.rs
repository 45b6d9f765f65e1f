//! Lists the contacts of a Quo workspace as a table (or JSON lines), or
//! fetches one contact by id.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example contacts                      # demo server
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example contacts      # your workspace
//! cargo run -p quo-api-ext --features testing --example contacts -- --source csv --limit 10
//! cargo run -p quo-api-ext --features testing --example contacts -- --external-id cust_100003 --json
//! cargo run -p quo-api-ext --features testing --example contacts -- --get <CONTACT_ID>
//! RUST_LOG=quo_api_ext=debug cargo run -p quo-api-ext --features testing --example contacts   # see the retries
//! ```
//!
//! With `QUO_API_KEY` set, the client is built by [`QuoClient::from_env`] and
//! talks to `https://api.quo.com` (or `QUO_BASE_URL`). Without it, the example
//! says so on stderr, starts the built-in demo server (240 realistic contacts,
//! every custom-field kind, nulls, and an injected `429` on every 4th request
//! so the retry path really runs) and points the same client at it: the same
//! builder, pagination, custom-field decoding and errors as with a real key.
//!
//! The table shows id, name, company, phones, emails and the custom fields
//! (`name=value`, `; `-separated: dates as `YYYY-MM-DD`, numbers as written,
//! booleans `yes`/`no`, multi-select options joined with `|`, null as `-`),
//! then `N contacts, P pages, R requests, T ms`. Errors are printed as one
//! line on stderr, with exit status 1.

mod common;

use common::{BoxError, connect_with};
use std::error::Error as StdError;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use futures::TryStreamExt;
use quo_api_ext::testing::{DemoConfig, Fault};
use quo_api_ext::{Contact, QuoClient, custom_fields::ContactExt, custom_fields::CustomFieldValue};

/// List the contacts of a Quo workspace (a local demo server when QUO_API_KEY is not set).
#[derive(Debug, Parser)]
#[command(name = "contacts")]
struct Args {
    /// Only contacts with this external id (repeatable).
    #[arg(long = "external-id", value_name = "ID")]
    external_ids: Vec<String>,
    /// Only contacts from this source, e.g. `public-api` or `csv` (repeatable).
    #[arg(long = "source", value_name = "SOURCE")]
    sources: Vec<String>,
    /// Contacts per request (1 to 50).
    #[arg(long, value_name = "N", default_value_t = quo_api_ext::contacts::MAX_PAGE_SIZE)]
    page_size: u32,
    /// Print one JSON object per contact per line instead of the table.
    #[arg(long)]
    json: bool,
    /// Fetch and print the one contact with this id.
    #[arg(long, value_name = "ID", conflicts_with_all = ["external_ids", "sources", "limit"])]
    get: Option<String>,
    /// Stop after this many contacts (and fetch no further pages).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&*error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", one_line(&*error));
            ExitCode::FAILURE
        }
    }
}

/// The error and the causes its own message does not already include (a
/// transport error's "connection refused", for instance), on one line.
fn one_line(error: &(dyn StdError + 'static)) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let text = inner.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = inner.source();
    }
    line
}

async fn run(args: Args) -> Result<(), BoxError> {
    // The demo server (if any) must outlive every request: keep it bound.
    let (client, demo) =
        connect_with(DemoConfig::default().with_fail_every(4, Fault::rate_limited(0))).await?;
    if let Some(id) = &args.get {
        return get(&client, id, args.json).await;
    }

    let started = Instant::now();
    let mut pages = client
        .contacts()
        .list()
        .external_ids(args.external_ids)
        .sources(args.sources)
        .page_size(args.page_size)
        .pages();
    let limit = args.limit.unwrap_or(usize::MAX);
    let (mut contacts, mut page_count) = (0, 0);
    // Written through a buffer flushed per page; a closed pipe (`| head`)
    // then ends the program quietly instead of panicking like `println!`.
    let mut out = BufWriter::new(std::io::stdout());
    // The header goes out with the first page, so that an error (a bad
    // filter, no connection) is not preceded by an empty table.
    let mut header = !args.json;
    // Checking the limit first means no page is fetched that is not needed.
    while contacts < limit {
        let Some(page) = pages.try_next().await? else {
            break;
        };
        page_count += 1;
        if std::mem::take(&mut header) {
            writeln!(out, "{}", row(HEADER.map(str::to_owned)))?;
        }
        for contact in page.into_items().into_iter().take(limit - contacts) {
            contacts += 1;
            if args.json {
                writeln!(out, "{}", serde_json::to_string(&contact)?)?;
            } else {
                writeln!(out, "{}", table_row(&contact))?;
            }
        }
        out.flush()?;
    }
    let requests = match &demo {
        Some(server) => format!("{} requests", server.request_count()),
        // Retries happen inside the client; a real server's count is not visible.
        None => format!("{page_count} requests (retries not counted)"),
    };
    let summary = format!(
        "{contacts} contacts, {page_count} pages, {requests}, {} ms",
        started.elapsed().as_millis()
    );
    // In JSON mode stdout holds only the JSON lines.
    if args.json {
        eprintln!("{summary}");
    } else {
        if header {
            writeln!(out, "{}", row(HEADER.map(str::to_owned)))?;
        }
        writeln!(out, "{summary}")?;
    }
    out.flush()?;
    Ok(())
}

fn is_broken_pipe(error: &(dyn StdError + 'static)) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// `--get ID`: one contact, in detail (or as one JSON line).
async fn get(client: &QuoClient, id: &str, json: bool) -> Result<(), BoxError> {
    let contact = match client.contacts().get(id).await {
        Ok(contact) => contact,
        Err(error) if error.is_not_found() => {
            let answer = error.service_error();
            let message = answer.and_then(|e| e.message.as_deref());
            let trace = answer.and_then(|e| e.trace.as_deref());
            let code = answer.and_then(|e| e.code_text.as_deref());
            let mut line = format!("not found ({}): ", code.unwrap_or("404"));
            line.push_str(message.unwrap_or("no such contact"));
            line.push_str(&format!(" (id {id:?}"));
            if let Some(trace) = trace {
                line.push_str(&format!(", trace {trace}"));
            }
            line.push(')');
            return Err(line.into());
        }
        Err(error) => return Err(error.into()),
    };
    // Written in one go (an error, not a panic, if stdout is closed).
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(&contact)?)?;
        return Ok(());
    }
    let defaults = &contact.default_fields;
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    let mut lines = vec![contact.display_name()];
    let details = [
        ("id", contact.id.clone()),
        ("company", text(&defaults.company)),
        ("role", text(&defaults.role)),
        ("phones", join(contact.phone_numbers(), ", ")),
        ("emails", join(contact.emails(), ", ")),
        ("external id", text(&contact.external_id)),
        ("source", text(&contact.source)),
        ("created", contact.created_at.to_rfc3339()),
        ("updated", contact.updated_at.to_rfc3339()),
    ];
    lines.extend(details.map(|(label, value)| format!("  {label:<13} {value}")));
    lines.push("  custom fields".to_owned());
    lines.extend(contact.custom_fields().map(|field| {
        let (name, kind) = (&field.name, field.value.kind());
        format!("    {name:<20} {kind:<13} {}", render(&field.value))
    }));
    writeln!(out, "{}", lines.join("\n"))?;
    Ok(())
}

const HEADER: [&str; 6] = ["ID", "NAME", "COMPANY", "PHONES", "EMAILS", "CUSTOM FIELDS"];
/// Minimum widths of the padded columns (longer values push, never truncated).
const WIDTHS: [usize; 5] = [24, 24, 26, 28, 58];

fn row(cells: [String; 6]) -> String {
    let mut line = String::new();
    for (cell, width) in cells.iter().zip(WIDTHS) {
        line.push_str(&format!("{cell:<width$}  "));
    }
    line.push_str(&cells[5]);
    line
}

fn table_row(contact: &Contact) -> String {
    let company = contact.default_fields.company.as_deref().unwrap_or("-");
    row([
        contact.id.clone(),
        contact.display_name(),
        company.to_owned(),
        join(contact.phone_numbers(), ", "),
        join(contact.emails(), ", "),
        custom_fields(contact),
    ])
}

/// `name=value; name=value` for every custom field, in Quo's order.
fn custom_fields(contact: &Contact) -> String {
    let fields: Vec<String> = contact
        .custom_fields()
        .map(|field| format!("{}={}", field.name, render(&field.value)))
        .collect();
    if fields.is_empty() {
        "-".to_owned()
    } else {
        fields.join("; ")
    }
}

/// A custom-field value for people: dates as `YYYY-MM-DD`, numbers without a
/// trailing `.0`, booleans `yes`/`no`, options joined with `|`, null as `-`.
fn render(value: &CustomFieldValue) -> String {
    match value {
        _ if value.is_null() => "-".to_owned(),
        CustomFieldValue::Date(Some(date)) => date.format("%Y-%m-%d").to_string(),
        // `Display` for f64 writes 42000.0 as `42000` and 12.5 as `12.5`.
        CustomFieldValue::Number(Some(number)) => number.to_string(),
        CustomFieldValue::Boolean(Some(flag)) => if *flag { "yes" } else { "no" }.to_owned(),
        CustomFieldValue::MultiSelect(Some(options)) if options.is_empty() => "(none)".to_owned(),
        CustomFieldValue::MultiSelect(Some(options)) => options.join("|"),
        CustomFieldValue::Address(Some(text))
        | CustomFieldValue::String(Some(text))
        | CustomFieldValue::Url(Some(text)) => text.clone(),
        CustomFieldValue::Invalid { value, .. } => format!("{value} (invalid)"),
        // `Unknown` kinds, and any kind added later: the raw JSON value.
        other => other.to_json().to_string(),
    }
}

fn join<'a>(items: impl Iterator<Item = &'a str>, separator: &str) -> String {
    let items: Vec<&str> = items.collect();
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(separator)
    }
}
