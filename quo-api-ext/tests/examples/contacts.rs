//! Runs the built `contacts` example against its built-in demo server
//! (`QUO_API_KEY` removed from its environment) and checks what it prints
//! against the demo dataset.
//!
//! The binary is looked up next to this test's own binary
//! (`target/<profile>/examples/contacts`); see [`crate::common`].

use crate::common::{Run, run_example};
use quo_api_ext::testing::Dataset;
use quo_api_ext::{Contact, custom_fields::ContactExt};
use serde_json::Value;

/// The example's default page size.
const PAGE_SIZE: usize = 50;

/// Runs the example with `args`, without `QUO_API_KEY`, and collects its output.
fn run(args: &[&str]) -> Run {
    run_example("contacts", args, &["QUO_API_KEY", "QUO_BASE_URL"], &[])
}

fn demo_contacts() -> Vec<Contact> {
    Dataset::demo()
        .contacts_value()
        .into_iter()
        .map(|value| serde_json::from_value(value).expect("a demo contact decodes"))
        .collect()
}

/// The table row of the contact with `id` (rows start with the id).
fn row_of<'a>(stdout: &'a str, id: &str) -> &'a str {
    stdout
        .lines()
        .find(|line| line.starts_with(id))
        .unwrap_or_else(|| panic!("no row for contact {id} in:\n{stdout}"))
}

/// The ids of the table rows (lines starting with a 24-hex-digit id).
fn row_ids(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| word.len() == 24 && word.chars().all(|c| c.is_ascii_hexdigit()))
        .collect()
}

/// `(contacts, pages, requests)` from `N contacts, P pages, R requests, T ms`.
fn summary(text: &str) -> (usize, usize, usize) {
    let line = text
        .lines()
        .find(|line| line.contains(" contacts, ") && line.ends_with(" ms"))
        .unwrap_or_else(|| panic!("no summary line in:\n{text}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().expect("a count"))
        .collect();
    assert_eq!(numbers.len(), 4, "summary line {line:?}");
    (numbers[0], numbers[1], numbers[2])
}

/// The custom-fields cell the example should print for a contact, computed
/// from the wire JSON (not from the SDK's decoding): `name=value; ...`.
fn expected_fields_cell(contact: &Value) -> String {
    let fields = contact["customFields"].as_array().expect("customFields");
    if fields.is_empty() {
        return "-".to_owned();
    }
    let rendered: Vec<String> = fields
        .iter()
        .map(|field| {
            let name = field["name"].as_str().expect("name");
            let kind = field["type"].as_str().expect("type");
            format!("{name}={}", expected_value(kind, &field["value"]))
        })
        .collect();
    rendered.join("; ")
}

fn expected_value(kind: &str, value: &Value) -> String {
    if value.is_null() {
        return "-".to_owned();
    }
    match (kind, value) {
        ("multi-select", Value::Array(options)) if options.is_empty() => "(none)".to_owned(),
        ("multi-select", Value::Array(options)) => options
            .iter()
            .map(|o| o.as_str().expect("option"))
            .collect::<Vec<_>>()
            .join("|"),
        ("boolean", Value::Bool(true)) => "yes".to_owned(),
        ("boolean", Value::Bool(false)) => "no".to_owned(),
        ("boolean", Value::String(text)) => match text.as_str() {
            "true" => "yes".to_owned(),
            "false" => "no".to_owned(),
            other => panic!("unexpected boolean text {other:?}"),
        },
        // Dates are midnight New York time, sent as e.g. 2025-09-23T04:00:00.000Z.
        ("date", Value::String(text)) => text[..10].to_owned(),
        ("number", Value::Number(n)) => match n.as_i64() {
            Some(whole) => whole.to_string(),
            None => n.as_f64().expect("a number").to_string(),
        },
        // String-encoded numbers are whole numbers in the demo data.
        ("number", Value::String(text)) => text.trim().to_owned(),
        (_, Value::String(text)) => text.clone(),
        (kind, other) => panic!("unexpected {kind} value {other}"),
    }
}

#[test]
fn table_lists_every_demo_contact_with_its_custom_fields() {
    let run = run(&[]);
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);

    let notices: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("QUO_API_KEY is not set"))
        .collect();
    assert_eq!(notices.len(), 1, "stderr:\n{}", run.stderr);
    assert!(notices[0].contains("http://127.0.0.1:"), "{}", notices[0]);

    let dataset = Dataset::demo();
    let (contacts, pages, requests) = summary(&run.stdout);
    assert_eq!(contacts, dataset.len());
    assert_eq!(pages, dataset.len().div_ceil(PAGE_SIZE));
    assert!(
        requests > pages,
        "the demo server injects a fault that must have been retried: {requests} requests for {pages} pages"
    );
    assert_eq!(row_ids(&run.stdout).len(), dataset.len());

    let known = &demo_contacts()[0];
    let name = known.display_name();
    assert!(
        row_of(&run.stdout, &known.id).contains(&name),
        "{name} missing"
    );

    // Every row ends with exactly the expected custom fields (so no number
    // keeps a trailing `.0`, every null is `-`, ...), and the dataset really
    // has a value of each kind, a null, and typed booleans and numbers (the
    // demo server's default; Quo's string-typed spelling is opt-in).
    let mut kinds_seen = std::collections::BTreeSet::new();
    let (mut nulls, mut typed) = (0, 0);
    for contact in dataset.contacts_value() {
        let id = contact["id"].as_str().expect("id");
        let cell = expected_fields_cell(&contact);
        let row = row_of(&run.stdout, id);
        assert!(
            row.ends_with(&cell),
            "row {row:?}\nshould end with {cell:?}"
        );
        for field in contact["customFields"].as_array().expect("customFields") {
            let value = &field["value"];
            let kind = field["type"].as_str().expect("type");
            match value {
                Value::Null => nulls += 1,
                Value::Bool(_) | Value::Number(_) if kind == "number" || kind == "boolean" => {
                    typed += 1
                }
                _ => {}
            }
            if !value.is_null() {
                kinds_seen.insert(kind.to_owned());
            }
        }
    }
    let all_kinds: std::collections::BTreeSet<String> = quo_api_ext::custom_fields::KNOWN_KINDS
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(kinds_seen, all_kinds);
    assert!(nulls > 0 && typed > 0);

    // A few renderings spelled out, so a failure above is easy to read.
    let stdout = &run.stdout;
    assert!(stdout.contains("Newsletter Opt-in=yes") && stdout.contains("Newsletter Opt-in=no"));
    assert!(stdout.contains("Next Follow-up=20"));
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("Product Interest=") && l.contains('|'))
    );
    assert!(!stdout.contains(".0;") && !stdout.contains("T00:00:00"));
}

#[test]
fn json_prints_one_parseable_contact_per_line() {
    let run = run(&["--json"]);
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    let ids: Vec<String> = run
        .stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {line}"));
            assert!(value.is_object(), "{line}");
            value["id"].as_str().expect("id").to_owned()
        })
        .collect();
    let dataset = Dataset::demo();
    assert_eq!(ids.len(), dataset.len());
    assert!(
        ids.iter().map(String::as_str).eq(dataset.ids()),
        "ids out of order"
    );
    // The summary goes to stderr, keeping stdout pure JSON.
    assert_eq!(summary(&run.stderr).0, dataset.len());
}

#[test]
fn get_prints_a_known_contact() {
    let contact = &demo_contacts()[1];
    let run = run(&["--get", &contact.id]);
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    assert!(
        run.stdout.contains(&contact.display_name()),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&contact.id));
    for email in contact.emails().chain(contact.phone_numbers()) {
        assert!(
            run.stdout.contains(email),
            "{email} missing:\n{}",
            run.stdout
        );
    }
}

#[test]
fn get_of_a_missing_contact_fails_with_not_found() {
    let run = run(&["--get", "does-not-exist"]);
    assert!(!run.success);
    assert_eq!(run.code, Some(1));
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "stderr:\n{}", run.stderr);
    assert!(
        errors[0].contains("not found") && errors[0].contains("0800404"),
        "{}",
        errors[0]
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn external_id_filter_prints_exactly_that_contact() {
    let contacts = demo_contacts();
    let contact = contacts
        .iter()
        .find(|c| c.external_id.is_some())
        .expect("a demo contact with an external id");
    let external_id = contact.external_id.as_deref().unwrap_or_default();
    let run = run(&["--external-id", external_id]);
    assert!(run.success, "exit {:?}\n{}", run.code, run.stderr);
    assert_eq!(
        row_ids(&run.stdout),
        [contact.id.as_str()],
        "{}",
        run.stdout
    );
    assert!(row_of(&run.stdout, &contact.id).contains(&contact.display_name()));
    assert_eq!(summary(&run.stdout), (1, 1, 1));
}

#[test]
fn limit_stops_early_and_bad_input_is_one_error_line() {
    let run_limited = run(&["--limit", "3", "--page-size", "2"]);
    assert!(run_limited.success, "{}", run_limited.stderr);
    let (contacts, pages, _) = summary(&run_limited.stdout);
    assert_eq!((contacts, pages), (3, 2));

    let refused = run(&["--page-size", "0"]);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains("error: invalid input `page_size`"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
}
