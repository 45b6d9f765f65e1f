//! Custom fields and contact helpers, decoded through real list pages: every
//! kind, lenient encodings, odd values that must not fail the page, and the
//! `ContactExt` lookups users rely on.

use chrono::{TimeZone, Utc};
use httpmock::prelude::*;
use quo_api_ext::{
    Contact, custom_fields::ContactExt, custom_fields::CustomField, custom_fields::CustomFieldValue,
};
use quo_tests::clients;
use quo_tests::fixtures::contact_with;
use serde_json::{Value, json};

fn field(name: &str, key: &str, kind: &str, value: Value) -> Value {
    json!({ "name": name, "key": key, "id": format!("id-{key}"), "type": kind, "value": value })
}

/// Serves `contacts` as a single page and lists them through the SDK.
async fn list(contacts: Vec<Value>) -> Vec<Contact> {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts");
            then.status(200).json_body(json!({
                "data": contacts,
                "totalItems": contacts.len(),
                "nextPageToken": null
            }));
        })
        .await;
    let client = clients::builder(&server).build().expect("client");
    let listed = client
        .contacts()
        .list()
        .collect_all()
        .await
        .expect("the page decodes");
    assert_eq!(mock.calls_async().await, 1);
    listed
}

async fn one(custom_fields: Value) -> Contact {
    let mut contacts = list(vec![contact_with("c1", json!({}), custom_fields)]).await;
    assert_eq!(contacts.len(), 1);
    contacts.remove(0)
}

fn value<'a>(contact: &'a Contact, name: &str) -> &'a CustomFieldValue {
    contact
        .custom_value(name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[tokio::test]
async fn every_known_kind_decodes_to_its_typed_value() {
    let contact = one(json!([
        field("Tags", "tags", "multi-select", json!(["vip", "beta"])),
        field(
            "Address",
            "address",
            "address",
            json!("1 Main St, Springfield")
        ),
        field("Notes", "notes", "string", json!("prefers email")),
        field("Website", "website", "url", json!("https://acme.example")),
        field("Inbound Lead", "inbound-lead", "boolean", json!(true)),
        field(
            "Renewal",
            "renewal",
            "date",
            json!("2024-09-11T04:00:00.000Z")
        ),
        field("Lead Score", "lead-score", "number", json!(87.5)),
    ]))
    .await;

    assert_eq!(
        value(&contact, "Tags"),
        &CustomFieldValue::MultiSelect(Some(vec!["vip".into(), "beta".into()]))
    );
    assert_eq!(
        value(&contact, "Address"),
        &CustomFieldValue::Address(Some("1 Main St, Springfield".into()))
    );
    assert_eq!(
        value(&contact, "Notes"),
        &CustomFieldValue::String(Some("prefers email".into()))
    );
    assert_eq!(
        value(&contact, "Website"),
        &CustomFieldValue::Url(Some("https://acme.example".into()))
    );
    assert_eq!(
        value(&contact, "Inbound Lead"),
        &CustomFieldValue::Boolean(Some(true))
    );
    assert_eq!(
        value(&contact, "Renewal"),
        &CustomFieldValue::Date(Some(Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap()))
    );
    assert_eq!(
        value(&contact, "Lead Score"),
        &CustomFieldValue::Number(Some(87.5))
    );
    let kinds: Vec<&str> = contact.custom_fields().map(CustomField::kind).collect();
    assert_eq!(
        kinds,
        [
            "multi-select",
            "address",
            "string",
            "url",
            "boolean",
            "date",
            "number"
        ]
    );
    assert!(contact.custom_fields().all(|f| f.problem().is_none()));
}

#[tokio::test]
async fn numbers_and_booleans_sent_as_strings_are_typed() {
    let contact = one(json!([
        field("Inbound Lead", "inbound-lead", "boolean", json!("false")),
        field("Opted In", "opted-in", "boolean", json!(" TRUE ")),
        field("Employees", "employees", "number", json!("424242")),
        field("Discount", "discount", "number", json!("-0.25")),
        field("Start", "start", "date", json!("2024-01-31")),
    ]))
    .await;

    assert_eq!(value(&contact, "Inbound Lead").as_bool(), Some(false));
    assert_eq!(value(&contact, "Opted In").as_bool(), Some(true));
    assert_eq!(value(&contact, "Employees").as_number(), Some(424_242.0));
    assert_eq!(value(&contact, "Discount").as_number(), Some(-0.25));
    assert_eq!(
        value(&contact, "Start").as_date(),
        Some(Utc.with_ymd_and_hms(2024, 1, 31, 0, 0, 0).unwrap())
    );
}

#[tokio::test]
async fn null_and_missing_values_are_typed_empty_values() {
    let contact = one(json!([
        field("Tags", "tags", "multi-select", Value::Null),
        field("Inbound Lead", "inbound-lead", "boolean", Value::Null),
        field("Renewal", "renewal", "date", Value::Null),
        field("Lead Score", "lead-score", "number", Value::Null),
        field("Notes", "notes", "string", Value::Null),
        {"name": "No Value", "key": "no-value", "type": "url"},
    ]))
    .await;

    assert_eq!(
        value(&contact, "Tags"),
        &CustomFieldValue::MultiSelect(None)
    );
    assert_eq!(
        value(&contact, "Inbound Lead"),
        &CustomFieldValue::Boolean(None)
    );
    assert_eq!(value(&contact, "Renewal"), &CustomFieldValue::Date(None));
    assert_eq!(
        value(&contact, "Lead Score"),
        &CustomFieldValue::Number(None)
    );
    assert_eq!(value(&contact, "Notes"), &CustomFieldValue::String(None));
    assert_eq!(value(&contact, "No Value"), &CustomFieldValue::Url(None));
    assert!(contact.custom_fields().all(|f| f.value.is_null()));
    assert!(contact.custom_fields().all(|f| f.problem().is_none()));
}

#[tokio::test]
async fn an_unknown_kind_keeps_the_page_and_the_raw_value() {
    let contacts = list(vec![
        contact_with(
            "c1",
            json!({"firstName": "Ada"}),
            json!([field("Rating", "rating", "stars", json!({"stars": 4}))]),
        ),
        contact_with("c2", json!({"firstName": "Grace"}), json!([])),
    ])
    .await;

    assert_eq!(contacts.len(), 2, "the other contact on the page is kept");
    let rating = contacts[0].custom_field("Rating").expect("kept");
    assert_eq!(rating.kind(), "stars");
    assert_eq!(
        rating.value,
        CustomFieldValue::Unknown {
            kind: "stars".into(),
            value: json!({"stars": 4})
        }
    );
    assert_eq!(rating.problem(), None, "unknown is not invalid");
    // Written back exactly as received.
    assert_eq!(
        rating.to_json(),
        field("Rating", "rating", "stars", json!({"stars": 4}))
    );
}

#[tokio::test]
async fn an_invalid_value_keeps_the_page_and_reports_the_problem() {
    let contacts = list(vec![
        contact_with(
            "c1",
            json!({}),
            json!([
                field("Lead Score", "lead-score", "number", json!("lots")),
                field("Renewal", "renewal", "date", json!("next tuesday")),
                field("Tags", "tags", "multi-select", json!(["ok", 3])),
                field("Notes", "notes", "string", json!("fine")),
            ]),
        ),
        contact_with("c2", json!({}), json!([])),
    ])
    .await;

    assert_eq!(contacts.len(), 2);
    let contact = &contacts[0];
    for name in ["Lead Score", "Renewal", "Tags"] {
        let field = contact.custom_field(name).unwrap();
        let problem = field
            .problem()
            .unwrap_or_else(|| panic!("{name} is invalid"));
        assert!(!problem.is_empty());
        assert_eq!(field.value.as_number(), None);
        assert_eq!(field.value.as_date(), None);
    }
    assert_eq!(contact.custom_field("Lead Score").unwrap().kind(), "number");
    assert_eq!(
        contact.custom_value("Lead Score").unwrap(),
        &CustomFieldValue::Invalid {
            kind: "number".into(),
            value: json!("lots"),
            reason: contact
                .custom_field("Lead Score")
                .unwrap()
                .problem()
                .unwrap()
                .to_owned(),
        }
    );
    // The valid field next to them is unaffected.
    assert_eq!(value(contact, "Notes").as_str(), Some("fine"));
    // Invalid values are written back unchanged.
    assert_eq!(
        contact.custom_fields_json()[0],
        field("Lead Score", "lead-score", "number", json!("lots"))
    );
}

#[tokio::test]
async fn lookup_matches_the_name_first_then_the_key() {
    let contact = one(json!([
        // Its key is another field's name: the name must win.
        field("Score", "Priority", "number", json!(1)),
        field("Priority", "priority-key", "string", json!("high")),
        field("Lead Score", "lead-score", "number", json!(87)),
    ]))
    .await;

    assert_eq!(value(&contact, "Priority").as_str(), Some("high"));
    assert_eq!(value(&contact, "priority-key").as_str(), Some("high"));
    assert_eq!(value(&contact, "lead-score").as_number(), Some(87.0));
    assert_eq!(value(&contact, "Lead Score").as_number(), Some(87.0));
    assert_eq!(
        contact.custom_field("Score").unwrap().key.as_deref(),
        Some("Priority")
    );
    assert!(
        contact.custom_field("lead score").is_none(),
        "matching is exact"
    );
    assert!(contact.custom_field("Missing").is_none());
}

#[tokio::test]
async fn typed_getters_return_values_only_for_their_kind() {
    let contact = one(json!([
        field("Tags", "tags", "multi-select", json!(["vip"])),
        field("Website", "website", "url", json!("https://acme.example")),
        field("Address", "address", "address", json!("1 Main St")),
        field("Inbound Lead", "inbound-lead", "boolean", json!(true)),
        field("Lead Score", "lead-score", "number", json!(3)),
        field(
            "Renewal",
            "renewal",
            "date",
            json!("2024-09-11T06:00:00+02:00")
        ),
    ]))
    .await;

    assert_eq!(
        value(&contact, "Tags").as_multi_select(),
        Some(&["vip".to_owned()][..])
    );
    assert_eq!(
        value(&contact, "Website").as_str(),
        Some("https://acme.example")
    );
    assert_eq!(value(&contact, "Address").as_str(), Some("1 Main St"));
    assert_eq!(value(&contact, "Inbound Lead").as_bool(), Some(true));
    assert_eq!(value(&contact, "Lead Score").as_number(), Some(3.0));
    // Converted to UTC.
    assert_eq!(
        value(&contact, "Renewal").as_date(),
        Some(Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap())
    );
    // The wrong getter gives None rather than a converted value.
    assert_eq!(value(&contact, "Lead Score").as_str(), None);
    assert_eq!(value(&contact, "Inbound Lead").as_number(), None);
    assert_eq!(value(&contact, "Tags").as_str(), None);
}

#[tokio::test]
async fn display_name_falls_back_from_names_to_company_to_id() {
    let contacts = list(vec![
        contact_with(
            "c1",
            json!({"firstName": "Ada", "lastName": "Lovelace", "company": "Acme"}),
            json!([]),
        ),
        contact_with(
            "c2",
            json!({"firstName": "Ada", "company": "Acme"}),
            json!([]),
        ),
        contact_with("c3", json!({"lastName": "Lovelace"}), json!([])),
        contact_with(
            "c4",
            json!({"firstName": "  ", "lastName": "", "company": "Acme"}),
            json!([]),
        ),
        contact_with("c5", json!({"company": " "}), json!([])),
    ])
    .await;

    let names: Vec<String> = contacts.iter().map(ContactExt::display_name).collect();
    assert_eq!(names, ["Ada Lovelace", "Ada", "Lovelace", "Acme", "c5"]);
}

#[tokio::test]
async fn emails_and_phone_numbers_skip_null_and_blank_values() {
    let contact = list(vec![contact_with(
        "c1",
        json!({
            "emails": [
                {"name": "Work", "value": "ada@acme.example"},
                {"name": "Old", "value": null},
                {"name": "Blank", "value": ""},
                {"name": "Home", "value": "ada@home.example", "id": "e2"}
            ],
            "phoneNumbers": [
                {"name": "Mobile", "value": null},
                {"name": "Office", "value": "+15555550123"}
            ]
        }),
        json!([]),
    )])
    .await
    .remove(0);

    assert_eq!(
        contact.emails().collect::<Vec<_>>(),
        ["ada@acme.example", "ada@home.example"]
    );
    assert_eq!(
        contact.phone_numbers().collect::<Vec<_>>(),
        ["+15555550123"]
    );
}

#[tokio::test]
async fn custom_fields_json_writes_back_what_quo_sent() {
    let sent = json!([
        field("Tags", "tags", "multi-select", json!(["vip"])),
        field("Lead Score", "lead-score", "number", json!(87)),
        field("Inbound Lead", "inbound-lead", "boolean", json!(false)),
        field(
            "Renewal",
            "renewal",
            "date",
            json!("2024-09-11T04:00:00.000Z")
        ),
        field("Rating", "rating", "stars", json!({"stars": 4})),
    ]);
    let contact = one(sent.clone()).await;

    assert_eq!(contact.custom_fields_json(), sent);
}
