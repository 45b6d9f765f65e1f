//! Syncs contacts from a CSV file into Quo, keyed by `externalId`: each row
//! is created when no contact has its external id, updated where it
//! differs, and left alone when it already matches.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example sync_contacts                        # demo server, the bundled CSV
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example sync_contacts -- my.csv
//! ```
//!
//! The CSV's first columns are `external_id`, `first_name`, `last_name`,
//! `company`, `role`, `email`, `phone`; every further column is a custom
//! field, named as in Quo (`Deal Size`), its cells read as the field's
//! kind. An empty cell sets nothing, and nothing a row does not name is
//! removed from a contact. It prints one line per row and the counts;
//! run twice, the second run reports 0 created and 0 updated. Without
//! `QUO_API_KEY` it runs against the built-in demo server, twice, to show
//! exactly that.

mod common;

use common::{BoxError, connect, exit_code};
use quo_api_ext::QuoClient;
use quo_api_ext::contacts::{ContactDraft, FieldValue, Upserted};
use quo_api_ext::raw::types::CustomFieldType;

/// The CSV that ships with this example.
const BUNDLED_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/contacts.csv");
/// The columns before the custom fields.
const FIXED_COLUMNS: usize = 7;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| BUNDLED_CSV.to_owned());
    let (client, demo) = connect().await?;
    let drafts = read_drafts(&client, &path).await?;
    let passes = if demo.is_some() { 2 } else { 1 };
    for pass in 1..=passes {
        if passes > 1 {
            println!("pass {pass}");
        }
        sync(&client, &drafts).await?;
    }
    Ok(())
}

/// Upserts every draft and prints what happened.
async fn sync(client: &QuoClient, drafts: &[ContactDraft]) -> Result<(), BoxError> {
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for draft in drafts {
        let external_id = draft.external_id_value().unwrap_or_default().to_owned();
        let outcome = client
            .contacts()
            .upsert_by_external_id(draft.clone())
            .await?;
        let word = match &outcome {
            Upserted::Created(_) => {
                created += 1;
                "created"
            }
            Upserted::Updated(_) => {
                updated += 1;
                "updated"
            }
            _ => {
                unchanged += 1;
                "unchanged"
            }
        };
        println!("{external_id}\t{word}\t{}", outcome.contact().id);
    }
    println!("created {created}, updated {updated}, unchanged {unchanged}");
    Ok(())
}

/// One draft per CSV row, custom-field cells read as their field's kind.
async fn read_drafts(client: &QuoClient, path: &str) -> Result<Vec<ContactDraft>, BoxError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let headers = reader.headers()?.clone();
    let definitions = client.custom_field_definitions();
    let mut kinds = Vec::new();
    for name in headers.iter().skip(FIXED_COLUMNS) {
        let definition = definitions
            .by_name(name)
            .await?
            .ok_or_else(|| format!("{path}: no custom field named {name:?} in the workspace"))?;
        kinds.push(definition.type_.known().copied());
    }
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
        for (n, kind) in kinds.iter().enumerate() {
            let column = FIXED_COLUMNS + n;
            if let Some(text) = cell(column) {
                let value = typed(*kind, text).ok_or_else(|| {
                    format!("{path}: row {}: {text:?} is not a {kind:?}", line + 2)
                })?;
                draft = draft.custom_field(&headers[column], value);
            }
        }
        drafts.push(draft.source("sheet-sync"));
    }
    Ok(drafts)
}

/// A cell as a value of the field's kind (text for kinds read as text).
fn typed(kind: Option<CustomFieldType>, text: &str) -> Option<FieldValue> {
    Some(match kind {
        Some(CustomFieldType::Number) => FieldValue::Number(text.parse().ok()?),
        Some(CustomFieldType::Boolean) => FieldValue::Bool(text.parse().ok()?),
        Some(CustomFieldType::MultiSelect) => {
            FieldValue::Options(text.split(';').map(|s| s.trim().to_owned()).collect())
        }
        _ => FieldValue::Text(text.to_owned()),
    })
}
