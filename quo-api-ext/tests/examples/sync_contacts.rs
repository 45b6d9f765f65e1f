//! Runs the built `sync_contacts` example twice against one demo server
//! that stands in for Quo (`QUO_API_KEY` and `QUO_BASE_URL` point at it),
//! and checks the plan and counts it prints and the contacts stored after;
//! then `--dry-run`, which prints the plan and writes nothing.

use crate::common::run_example;
use quo_api_ext::QuoClient;
use quo_api_ext::contacts::ContactDraft;
use quo_api_ext::testing::{DemoConfig, DemoServer};
use quo_api_ext::{Contact, custom_fields::ContactExt};

const CSV: &str = include_str!("../../examples/data/contacts.csv");

fn counts(stdout: &str) -> &str {
    stdout
        .lines()
        .rfind(|l| l.starts_with("created "))
        .unwrap_or_else(|| panic!("no counts in:\n{stdout}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_run_twice_creates_and_updates_once_and_loses_nothing() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()
        .unwrap();
    // Already in Quo, from another integration: a different role, an extra
    // email and a custom field the CSV does not have.
    let existing = client
        .contacts()
        .create(
            ContactDraft::new("Grace")
                .external_id("crm-1002")
                .source("hubspot")
                .role("Rear Admiral")
                .email("home", "grace@home.example")
                .custom_field("Account Manager", "Jo"),
        )
        .await
        .unwrap();

    // The example blocks; run it off the runtime that serves the demo.
    let run = |server: (String, String)| tokio::task::spawn_blocking(move || sync_with(&server));
    let first = run(server_handle(&server)).await.unwrap();
    assert!(
        first.contains("plan: create 4, update 1, unchanged 0, fail 0"),
        "{first}"
    );
    assert!(
        first.contains("plan\tcrm-1002\t  role: \"Rear Admiral\" → \"Admiral\""),
        "the plan names each field before and after:\n{first}"
    );
    assert!(
        first.contains("plan\tcrm-1002\t  customFields.Deal Size: null → 8500.0"),
        "{first}"
    );
    assert_eq!(counts(&first), "created 4, updated 1, unchanged 0");
    assert!(
        first.contains("failed 0; 6 requests (1 reads, 5 writes)"),
        "one batched read, then the writes:\n{first}"
    );
    let second = run(server_handle(&server)).await.unwrap();
    assert!(second.contains("plan: create 0, update 0, unchanged 5, fail 0"));
    assert_eq!(counts(&second), "created 0, updated 0, unchanged 5");
    assert!(second.contains("failed 0; 1 requests (1 reads, 0 writes)"));

    // Every CSV row is in Quo as written; the extra data is still there.
    for row in CSV.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let contact: Contact = client
            .contacts()
            .find_by_external_id(cells[0])
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{} synced", cells[0]));
        let d = &contact.default_fields;
        assert_eq!(d.first_name.as_deref(), Some(cells[1]));
        assert_eq!(d.last_name.as_deref(), Some(cells[2]));
        assert_eq!(
            d.role.as_deref().filter(|r| !r.is_empty()),
            Some(cells[4]).filter(|r| !r.is_empty())
        );
        assert!(contact.emails().any(|e| e == cells[5]), "{}", cells[0]);
        if !cells[6].is_empty() {
            assert!(contact.phone_numbers().any(|p| p == cells[6]));
        }
        if let Ok(deal) = cells[7].parse::<f64>() {
            assert_eq!(
                contact
                    .custom_field("Deal Size")
                    .and_then(|f| f.value.as_number()),
                Some(deal)
            );
        }
    }
    let grace = client.contacts().get(&existing.id).await.unwrap();
    assert!(
        grace.emails().any(|e| e == "grace@home.example"),
        "extra email kept"
    );
    assert_eq!(
        grace
            .custom_field("Account Manager")
            .and_then(|f| f.value.as_str()),
        Some("Jo"),
        "extra custom field kept"
    );
    assert_eq!(grace.source.as_deref(), Some("hubspot"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_prints_the_plan_and_writes_nothing() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let handle = server_handle(&server);
    let stdout = tokio::task::spawn_blocking(move || {
        let run = run_example(
            "sync_contacts",
            &["--dry-run"],
            &[],
            &[("QUO_API_KEY", &handle.1), ("QUO_BASE_URL", &handle.0)],
        );
        assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
        run.stdout
    })
    .await
    .unwrap();
    assert!(
        stdout.contains("plan: create 5, update 0, unchanged 0, fail 0"),
        "{stdout}"
    );
    assert!(stdout.contains("plan\tcrm-1001\twould create"), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("created ")),
        "{stdout}"
    );
    let writes: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    assert!(writes.is_empty(), "no write in a dry run: {writes:?}");
}

/// What a blocking thread needs to run the example against `server`.
fn server_handle(server: &DemoServer) -> (String, String) {
    (server.url(), server.api_key().to_owned())
}

fn sync_with((url, key): &(String, String)) -> String {
    let run = run_example(
        "sync_contacts",
        &[],
        &[],
        &[("QUO_API_KEY", key), ("QUO_BASE_URL", url)],
    );
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    run.stdout
}
