//! Reads typed custom fields: branch on every `CustomFieldValue` kind, look a
//! field up by its display name or its key, and use the typed getters.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example custom_fields                    # demo server
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example custom_fields    # your workspace
//! ```
//!
//! Without `QUO_API_KEY` it runs against the built-in demo server, whose
//! workspace has one field of each kind (`Product Interest` multi-select,
//! `Billing Address`, `Account Manager` string, `Website` url, `Newsletter
//! Opt-in` boolean, `Next Follow-up` date, `Deal Size` number), some null.
//! Quo sometimes sends booleans and numbers as strings (`"424242"`,
//! `"false"`); those decode to the same typed values (the demo server plays
//! that with `DemoConfig::with_string_typed_custom_fields(true)`).
//! With your own key, the part that uses those names tells you they are
//! missing; the rest works on any workspace.

mod common;

use common::{BoxError, connect, exit_code};
use std::collections::BTreeMap;

use quo_api_ext::{Contact, custom_fields::ContactExt, custom_fields::CustomFieldValue};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, _demo) = connect().await?;
    let contacts: Vec<Contact> = client.contacts().list().collect_all().await?;
    println!("{} contacts", contacts.len());

    // 1. Branch on the kind of every value: a tally per field.
    let mut tally: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for field in contacts.iter().flat_map(|c| c.custom_fields()) {
        let entry = tally
            .entry((field.name.clone(), field.value.kind().to_owned()))
            .or_default();
        if field.value.is_null() {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    println!("\nfields (name, kind: with a value / null)");
    for ((name, kind), (set, null)) in &tally {
        println!("  {name:<20} {kind:<13} {set:>4} / {null}");
    }

    // 2. Every field of the first contact, described by a match on its kind.
    if let Some(contact) = contacts.first() {
        println!("\n{} ({})", contact.display_name(), contact.id);
        for field in contact.custom_fields() {
            let key = field.key.as_deref().unwrap_or("-");
            println!(
                "  {:<20} key {key:<18} {}",
                field.name,
                describe(&field.value)
            );
        }

        // 3. Lookup by display name or by key: both find the same field.
        if let Some(field) = contact.custom_fields().find(|f| f.key.is_some()) {
            let key = field.key.as_deref().unwrap_or_default();
            let by_name = contact.custom_field(&field.name);
            let by_key = contact.custom_field(key);
            println!(
                "\nlookup {:?} and {key:?} give the same field: {}",
                field.name,
                matches!((by_name, by_key), (Some(a), Some(b)) if std::ptr::eq(a, b))
            );
        }
    }

    // 4. Typed getters over the whole list (the demo workspace's fields).
    let deal_sizes: Vec<f64> = contacts
        .iter()
        .filter_map(|c| {
            c.custom_value("Deal Size")
                .and_then(CustomFieldValue::as_number)
        })
        .collect();
    let opted_in = contacts
        .iter()
        .filter(|c| {
            c.custom_value("newsletter-opt-in")
                .and_then(CustomFieldValue::as_bool)
                == Some(true)
        })
        .count();
    let next_follow_up = contacts
        .iter()
        .filter_map(|c| Some((c.custom_value("Next Follow-up")?.as_date()?, c)))
        .min_by_key(|(date, _)| *date);
    let mut interests: BTreeMap<&str, usize> = BTreeMap::new();
    for option in contacts
        .iter()
        .filter_map(|c| c.custom_value("Product Interest")?.as_multi_select())
        .flatten()
    {
        *interests.entry(option).or_default() += 1;
    }

    println!("\ntyped getters");
    if deal_sizes.is_empty() {
        println!("  no number field named \"Deal Size\" with a value");
    } else {
        let total: f64 = deal_sizes.iter().sum();
        println!("  Deal Size: {} values, total {total:.2}", deal_sizes.len());
    }
    println!("  newsletter-opt-in (by key): {opted_in} contacts said yes");
    match next_follow_up {
        Some((date, contact)) => println!(
            "  earliest Next Follow-up: {} with {}",
            date.format("%Y-%m-%d"),
            contact.display_name()
        ),
        None => println!("  no date field named \"Next Follow-up\" with a value"),
    }
    let interests: Vec<String> = interests
        .iter()
        .map(|(o, n)| format!("{o} ({n})"))
        .collect();
    println!("  Product Interest options: {}", interests.join(", "));
    Ok(())
}

/// One line per value, branching on every kind (the enum is
/// `#[non_exhaustive]`: kinds Quo adds later arrive as `Unknown` until the SDK
/// knows them, and a future variant falls in the last arm).
fn describe(value: &CustomFieldValue) -> String {
    match value {
        CustomFieldValue::MultiSelect(Some(options)) => format!("multi-select: {options:?}"),
        CustomFieldValue::Address(Some(address)) => format!("address: {address}"),
        CustomFieldValue::String(Some(text)) => format!("string: {text}"),
        CustomFieldValue::Url(Some(url)) => format!("url: {url}"),
        CustomFieldValue::Boolean(Some(flag)) => format!("boolean: {flag}"),
        CustomFieldValue::Date(Some(date)) => format!("date: {}", date.format("%Y-%m-%d")),
        CustomFieldValue::Number(Some(number)) => format!("number: {number}"),
        CustomFieldValue::Unknown { kind, value } => format!("unknown kind {kind:?}: {value}"),
        CustomFieldValue::Invalid {
            kind,
            value,
            reason,
        } => {
            format!("unreadable {kind}: {value} ({reason})")
        }
        // A typed kind whose value is null (or a kind added later).
        other if other.is_null() => format!("{}: null", other.kind()),
        other => format!("{}: {}", other.kind(), other.to_json()),
    }
}
