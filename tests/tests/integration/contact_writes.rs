//! Contact writes against the stateful demo server, which deletes what a
//! `PATCH` leaves out, as Quo does: what goes over the wire, what is stored
//! after, what is refused before sending.

use std::time::Duration;

use futures::TryStreamExt;
use quo_api_ext::contacts::{ContactChanges, ContactDraft, FieldValue, Upserted};
use quo_api_ext::testing::{DemoConfig, DemoServer, Fault, RecordedRequest};
use quo_api_ext::{Contact, Error, QuoClient};
use quo_tests::clients::{self, demo};
use serde_json::{Value, json};

/// Reads the custom-field definitions once, so that the checks of
/// custom-field values that need them send nothing more.
async fn warm_definitions(client: &QuoClient) {
    let definitions = client.custom_field_definitions().list().collect_all();
    assert!(!definitions.await.unwrap().is_empty());
}

fn writes(server: &DemoServer) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect()
}

/// Emails and numbers as `(id, value)`, custom fields as `(key, value)`.
type Held = (
    Vec<(Option<String>, String)>,
    Vec<(Option<String>, String)>,
    Vec<(String, Value)>,
);

/// What a contact holds, values only: emails, numbers and custom fields
/// that have a value (a field without one holds nothing to lose).
fn held(contact: &Contact) -> Held {
    let d = &contact.default_fields;
    let emails = d
        .emails
        .iter()
        .filter_map(|e| Some((e.id.clone(), e.value.clone()?)))
        .collect();
    let numbers = d
        .phone_numbers
        .iter()
        .filter_map(|p| Some((p.id.clone(), p.value.clone()?)))
        .collect();
    let fields = contact
        .custom_fields
        .iter()
        .filter(|f| !f.value.is_null())
        .map(|f| (f.key.clone().unwrap_or_default(), f.value.to_json()))
        .collect();
    (emails, numbers, fields)
}

/// A demo contact that has emails, numbers and at least three custom
/// fields with values.
async fn rich_contact(server: &DemoServer, client: &QuoClient) -> Contact {
    for id in server.dataset().ids() {
        let contact = client.contacts().get(id).await.unwrap();
        let (emails, numbers, fields) = held(&contact);
        if emails.len() == 2 && numbers.len() == 2 && fields.len() >= 3 {
            return contact;
        }
    }
    panic!("the demo dataset has a contact with everything");
}

#[tokio::test]
async fn changing_only_the_role_sends_back_every_item_with_its_id_and_loses_nothing() {
    let (server, client) = demo().await;
    let before = rich_contact(&server, &client).await;
    server.clear_requests();

    let after = client
        .contacts()
        .update(&before.id, ContactChanges::new().role("Chief Engineer"))
        .await
        .unwrap();

    let sent = writes(&server);
    assert_eq!(sent.len(), 1, "one PATCH after one GET");
    assert_eq!(sent[0].method, "PATCH");
    let body = sent[0].body_json().unwrap();
    assert_eq!(body["defaultFields"]["role"], "Chief Engineer");
    let emails: Vec<_> = before
        .default_fields
        .emails
        .iter()
        .map(|e| (e.id.clone(), e.name.clone(), e.value.clone()))
        .collect();
    let numbers: Vec<_> = before
        .default_fields
        .phone_numbers
        .iter()
        .map(|p| (p.id.clone(), p.name.clone(), p.value.clone()))
        .collect();
    for (list, items) in [("emails", emails), ("phoneNumbers", numbers)] {
        let wire: Vec<_> = body["defaultFields"][list]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["id"].as_str().map(str::to_owned),
                    w["name"].as_str().map(str::to_owned),
                    w["value"].as_str().map(str::to_owned),
                )
            })
            .collect();
        assert_eq!(wire, items, "{list}: every item, with its id");
    }
    let wire_fields = body["customFields"].as_array().unwrap();
    assert_eq!(wire_fields.len(), before.custom_fields.len());
    for (w, field) in wire_fields.iter().zip(&before.custom_fields) {
        assert_eq!(w["id"].as_str(), field.id.as_deref());
        assert_eq!(w["key"].as_str(), field.key.as_deref());
    }
    // Unchanged scalars are not sent, so a concurrent change to them stays.
    assert!(body["defaultFields"].get("firstName").is_none());
    assert!(body.get("externalId").is_none());

    assert_eq!(after.default_fields.role.as_deref(), Some("Chief Engineer"));
    let stored = client.contacts().get(&before.id).await.unwrap();
    assert_eq!(
        held(&stored),
        held(&before),
        "every email, number and field kept, ids included"
    );
    assert_eq!(
        stored.default_fields.first_name,
        before.default_fields.first_name
    );
    assert_eq!(stored.default_fields.company, before.default_fields.company);
}

#[tokio::test]
async fn one_email_one_number_and_one_custom_field_change_alone() {
    let (server, client) = demo().await;
    let before = rich_contact(&server, &client).await;
    let (emails, numbers, _) = held(&before);
    let changes = ContactChanges::new()
        .change_email(&emails[0].1, "renamed@example.com")
        .remove_phone_number(&numbers[1].1)
        .add_phone_number("desk", "+15555550999")
        .custom_field("deal size", 1234.5)
        .remove_custom_field("Account Manager");
    let after = client.contacts().update(&before.id, changes).await.unwrap();

    let (after_emails, after_numbers, after_fields) = held(&after);
    assert_eq!(
        after_emails[0],
        (emails[0].0.clone(), "renamed@example.com".into()),
        "same item, same id"
    );
    assert_eq!(after_emails[1], emails[1]);
    assert_eq!(after_numbers[0], numbers[0]);
    assert!(!after_numbers.iter().any(|(_, v)| *v == numbers[1].1));
    assert!(after_numbers.iter().any(|(_, v)| v == "+15555550999"));
    assert!(after_fields.contains(&("deal-size".into(), json!(1234.5))));
    assert!(!after_fields.iter().any(|(k, _)| k == "account-manager"));
    // Every other custom field is as it was.
    let (_, _, fields_before) = held(&before);
    for field in fields_before
        .iter()
        .filter(|(k, _)| k != "deal-size" && k != "account-manager")
    {
        assert!(after_fields.contains(field), "{field:?} kept");
    }
}

#[tokio::test]
async fn replacing_a_whole_list_is_explicit() {
    let (server, client) = demo().await;
    let before = rich_contact(&server, &client).await;
    let after = client
        .contacts()
        .update(
            &before.id,
            ContactChanges::new().replace_emails([("work", "only@example.com")]),
        )
        .await
        .unwrap();
    let (emails, numbers, fields) = held(&after);
    assert_eq!(
        emails.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
        ["only@example.com"]
    );
    assert_eq!((numbers, fields), {
        let (_, n, f) = held(&before);
        (n, f)
    });
}

#[tokio::test]
async fn an_update_that_changes_nothing_sends_no_patch() {
    let (server, client) = demo().await;
    let before = rich_contact(&server, &client).await;
    server.clear_requests();
    let role = before.default_fields.role.clone().unwrap_or_default();
    let changes = if role.is_empty() {
        ContactChanges::new()
    } else {
        ContactChanges::new().role(role)
    };
    let after = client.contacts().update(&before.id, changes).await.unwrap();
    assert_eq!(after, before);
    assert!(writes(&server).is_empty());
    assert_eq!(server.requests().len(), 1, "only the GET");
}

#[tokio::test]
async fn create_sends_the_draft_with_custom_fields_under_their_keys() {
    let (server, client) = demo().await;
    let created = client
        .contacts()
        .create(
            ContactDraft::new("Ada")
                .last_name("Lovelace")
                .company("Engines")
                .email("work", "ada@example.com")
                .phone_number("mobile", "+15555550123")
                .external_id("crm-1815")
                .source("crm-sync")
                .source_url("https://crm.example.com/c/1815")
                .custom_field("Deal Size", 42)
                .custom_field("newsletter opt-in", true)
                .custom_field("Product Interest", ["voice", "sms"])
                .custom_field("Next Follow-up", "2026-03-01"),
        )
        .await
        .unwrap();

    let sent = writes(&server);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].method.as_str(), sent[0].path.as_str()),
        ("POST", "/v1/contacts")
    );
    let body = sent[0].body_json().unwrap();
    assert_eq!(
        body,
        json!({
            "customFields": [
                {"key": "deal-size", "value": 42.0},
                {"key": "newsletter-opt-in", "value": true},
                {"key": "product-interest", "value": ["voice", "sms"]},
                {"key": "next-follow-up", "value": "2026-03-01T00:00:00.000Z"}
            ],
            "defaultFields": {
                "company": "Engines",
                "emails": [{"name": "work", "value": "ada@example.com"}],
                "firstName": "Ada",
                "lastName": "Lovelace",
                "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
            },
            "externalId": "crm-1815",
            "source": "crm-sync",
            "sourceUrl": "https://crm.example.com/c/1815"
        })
    );
    assert_eq!(created.external_id.as_deref(), Some("crm-1815"));
    assert_eq!(client.contacts().get(&created.id).await.unwrap(), created);
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let (server, client) = demo().await;
    // Warm the definitions cache: custom-field checks need it.
    warm_definitions(&client).await;
    server.clear_requests();
    let contacts = client.contacts();
    let draft = || ContactDraft::new("Ada");
    let cases: Vec<(&str, Result<Contact, Error>)> = vec![
        (
            "phone_number",
            contacts.create(draft().phone_number("m", "  ")).await,
        ),
        ("first_name", contacts.create(ContactDraft::new(" ")).await),
        (
            "external_id",
            contacts.create(draft().external_id("x".repeat(76))).await,
        ),
        (
            "source",
            contacts.create(draft().source("csv-import")).await,
        ),
        ("source", contacts.create(draft().source("openphone")).await),
        (
            "source",
            contacts.create(draft().source("s".repeat(73))).await,
        ),
        (
            "source_url",
            contacts.create(draft().source_url("not a url")).await,
        ),
        ("email", contacts.create(draft().email("w", "")).await),
        (
            "custom_field",
            contacts
                .create(draft().custom_field("No Such Field", 1))
                .await,
        ),
        (
            "custom_field",
            contacts
                .create(draft().custom_field("Deal Size", "lots"))
                .await,
        ),
        (
            "custom_field",
            contacts.create(draft().custom_field("Website", 3)).await,
        ),
        (
            "contact_id",
            contacts.update("..", ContactChanges::new().role("x")).await,
        ),
        (
            "phone_number",
            contacts
                .update("abc", ContactChanges::new().add_phone_number("m", " "))
                .await,
        ),
    ];
    for (field, result) in cases {
        match result {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected InvalidInput, got {other:?}"),
        }
    }
    assert_eq!(server.requests().len(), 0);
    let upsert = contacts.upsert_by_external_id(draft()).await;
    assert!(matches!(
        upsert,
        Err(Error::InvalidInput {
            field: "external_id",
            ..
        })
    ));
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn the_definitions_list_like_every_list_from_one_read_until_refreshed() {
    let (server, client) = demo().await;
    let definitions = client.custom_field_definitions();
    let reads = || {
        server
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == "/v1/contact-custom-fields")
            .count()
    };
    let all = definitions.list().collect_all().await.unwrap();
    let names: Vec<&str> = all.iter().map(|d| d.name.as_str()).collect();
    assert!(
        names.contains(&"Deal Size") && names.contains(&"Website"),
        "{names:?}"
    );
    // The same list through the streams every `List` has: one page, whole.
    let pages: Vec<_> = definitions.list().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items(), all.as_slice());
    assert_eq!(pages[0].next_page_token(), None);
    let streamed: Vec<_> = definitions.list().items().try_collect().await.unwrap();
    assert_eq!(streamed, all);
    assert_eq!(reads(), 1, "three walks, one read: the list is the cache");
    definitions.refresh().await.unwrap();
    assert_eq!(definitions.list().collect_all().await.unwrap(), all);
    assert_eq!(reads(), 2, "refresh reads again; the next list does not");
}

#[tokio::test]
async fn the_definitions_are_read_once_for_many_lookups() {
    let (server, client) = demo().await;
    let definitions = client.custom_field_definitions();
    let (a, b, c) = tokio::join!(
        definitions.by_name("deal size"),
        definitions.by_key("website"),
        definitions.by_name("WEBSITE"),
    );
    assert_eq!(a.unwrap().unwrap().key, "deal-size");
    assert_eq!(b.unwrap().unwrap().name, "Website");
    assert_eq!(c.unwrap().unwrap().key, "website");
    assert!(definitions.by_name("nope").await.unwrap().is_none());
    for _ in 0..3 {
        client
            .contacts()
            .create(ContactDraft::new("A").custom_field("Deal Size", 1))
            .await
            .unwrap();
    }
    let reads = server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/contact-custom-fields")
        .count();
    assert_eq!(reads, 1);
    definitions.refresh().await.unwrap();
    assert_eq!(
        server.request_count(),
        5,
        "one read, three creates, one refresh"
    );
}

#[tokio::test]
async fn a_custom_field_key_quo_refuses_refreshes_the_definitions_once() {
    let (server, client) = demo().await;
    warm_definitions(&client).await;
    // The field is re-created in Quo's app under a new key.
    server.set_custom_field_definitions([("Deal Size", "deal-size-v2", "number")]);
    server.clear_requests();

    let created = client
        .contacts()
        .create(ContactDraft::new("Ada").custom_field("Deal Size", 7))
        .await
        .unwrap();

    let seen: Vec<(String, String, Option<u16>)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("POST".into(), "/v1/contacts".into(), Some(400)),
            ("GET".into(), "/v1/contact-custom-fields".into(), Some(200)),
            ("POST".into(), "/v1/contacts".into(), Some(201)),
        ]
    );
    assert_eq!(
        created.custom_fields[0].key.as_deref(),
        Some("deal-size-v2")
    );
}

#[tokio::test]
async fn find_by_external_id_finds_one_none_or_names_the_ambiguous_ones() {
    let (_server, client) = demo().await;
    let contacts = client.contacts();
    assert!(
        contacts
            .find_by_external_id("nobody-has-this")
            .await
            .unwrap()
            .is_none()
    );

    let one = contacts
        .create(
            ContactDraft::new("One")
                .external_id("ext-1")
                .source("other-crm"),
        )
        .await
        .unwrap();
    let found = contacts
        .find_by_external_id("ext-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, one.id);

    let two = contacts
        .create(ContactDraft::new("Two").external_id("ext-1"))
        .await
        .unwrap();
    match contacts.find_by_external_id("ext-1").await {
        Err(Error::AmbiguousExternalId {
            external_id,
            contact_ids,
            count,
        }) => {
            assert_eq!(external_id, "ext-1");
            assert_eq!(count, 2);
            assert!(contact_ids.contains(&one.id) && contact_ids.contains(&two.id));
            let message = Error::AmbiguousExternalId {
                external_id,
                contact_ids,
                count,
            }
            .to_string();
            assert!(
                message.contains(&one.id) && message.contains(&two.id),
                "{message}"
            );
        }
        other => panic!("expected AmbiguousExternalId, got {other:?}"),
    }
    assert!(matches!(
        contacts
            .upsert_by_external_id(ContactDraft::new("x").external_id("ext-1"))
            .await,
        Err(Error::AmbiguousExternalId { .. })
    ));
}

#[tokio::test]
async fn upsert_creates_then_updates_then_leaves_alone_whatever_the_source() {
    let (server, client) = demo().await;
    let contacts = client.contacts();
    // Created by another integration, under another source.
    let existing = contacts
        .create(
            ContactDraft::new("Grace")
                .external_id("crm-7")
                .source("hubspot")
                .email("work", "grace@example.com")
                .custom_field("Website", "https://grace.example"),
        )
        .await
        .unwrap();

    let draft = ContactDraft::new("Grace")
        .last_name("Hopper")
        .external_id("crm-7")
        .source("crm-sync")
        .email("work", "GRACE@example.com")
        .phone_number("mobile", "+15555550142")
        .custom_field("Deal Size", 10);
    let updated = contacts.upsert_by_external_id(draft.clone()).await.unwrap();
    let Upserted::Updated(updated) = updated else {
        panic!("expected Updated, got {updated:?}");
    };
    assert_eq!(
        updated.id, existing.id,
        "found under its own source, not duplicated"
    );
    assert_eq!(updated.source.as_deref(), Some("hubspot"), "source kept");
    assert_eq!(updated.default_fields.last_name.as_deref(), Some("Hopper"));
    assert_eq!(
        updated.default_fields.emails.len(),
        1,
        "same address in another case is not added"
    );
    assert_eq!(updated.default_fields.phone_numbers.len(), 1);
    let keys: Vec<_> = updated
        .custom_fields
        .iter()
        .filter_map(|f| f.key.as_deref())
        .collect();
    assert_eq!(
        keys,
        ["website", "deal-size"],
        "the website set earlier is kept"
    );

    server.clear_requests();
    let again = contacts.upsert_by_external_id(draft).await.unwrap();
    assert!(matches!(again, Upserted::Unchanged(_)), "{again:?}");
    assert!(writes(&server).is_empty());

    let created = contacts
        .upsert_by_external_id(ContactDraft::new("New").external_id("crm-8"))
        .await
        .unwrap();
    assert!(matches!(created, Upserted::Created(_)));
}

#[tokio::test]
async fn delete_removes_the_contact() {
    let (server, client) = demo().await;
    let id = server.dataset().ids().next().unwrap().to_owned();
    client.contacts().delete(&id).await.unwrap();
    assert!(server.contacts().position(&id).is_none());
    let again = client.contacts().delete(&id).await.unwrap_err();
    assert_eq!(again.status(), Some(404));
}

#[tokio::test]
async fn writes_are_not_retried_and_a_timeout_says_the_write_may_have_happened() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    let client = clients::builder(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    server.inject(Fault::Status(503));
    let error = client
        .contacts()
        .create(ContactDraft::new("Ada"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.request_count(), 1, "a POST is not retried on 503");

    server.inject(Fault::Delay(Duration::from_secs(2)));
    let error = client
        .contacts()
        .create(ContactDraft::new("Ada").external_id("crm-slow"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("may have been created") && message.contains("find_by_external_id"),
        "{message}"
    );
    assert_eq!(server.request_count(), 2);
    // Whether or not the slow create happened, the upsert the error points
    // to leaves exactly one contact with that external id.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    client
        .contacts()
        .upsert_by_external_id(ContactDraft::new("Ada").external_id("crm-slow"))
        .await
        .unwrap();
    let found = client
        .contacts()
        .list()
        .external_ids(["crm-slow"])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    // The GET of an update passes, its PATCH meets a 503: not retried.
    let id = server.dataset().ids().nth(1).unwrap().to_owned();
    server.clear_requests();
    server.inject(Fault::Delay(Duration::ZERO));
    server.inject(Fault::Status(503));
    let error = client
        .contacts()
        .update(&id, ContactChanges::new().role("x"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    let seen: Vec<_> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.status))
        .collect();
    assert_eq!(
        seen,
        [("GET".into(), Some(200)), ("PATCH".into(), Some(503))]
    );
}

#[tokio::test]
async fn clearing_a_custom_field_value_removes_it_and_keeps_the_rest() {
    let (server, client) = demo().await;
    let before = rich_contact(&server, &client).await;
    let (_, _, fields) = held(&before);
    let (key, _) = &fields[0];
    let after = client
        .contacts()
        .update(
            &before.id,
            ContactChanges::new().custom_field(key.as_str(), FieldValue::Clear),
        )
        .await
        .unwrap();
    let (_, _, after_fields) = held(&after);
    assert_eq!(after_fields, fields[1..]);
}

#[tokio::test]
async fn clearing_a_scalar_sends_null_for_it_alone() {
    let (server, client) = demo().await;
    let before = rich_contact(&server, &client).await;
    server.clear_requests();
    let after = client
        .contacts()
        .update(
            &before.id,
            ContactChanges::new().clear_company().role("Advisor"),
        )
        .await
        .unwrap();
    let body = writes(&server)[0].body_json().unwrap();
    let defaults = body["defaultFields"].as_object().unwrap();
    assert_eq!(
        defaults.get("company"),
        Some(&Value::Null),
        "clear is an explicit null"
    );
    assert_eq!(defaults["role"], "Advisor");
    assert!(!defaults.contains_key("firstName") && !defaults.contains_key("lastName"));
    assert_eq!(after.default_fields.company, None);
    assert_eq!(
        after.default_fields.last_name,
        before.default_fields.last_name
    );
    assert_eq!(held(&after), held(&before));
}

/// Quo's documented refusal of a custom field: code `0801400`, title
/// "Invalid Custom Field Item", a message naming only the key.
fn custom_field_refusal(key: &str) -> Fault {
    Fault::Raw {
        status: 400,
        body: json!({
            "message": key,
            "code": "0801400",
            "status": 400,
            "docs": "https://www.quo.com/docs",
            "title": "Invalid Custom Field Item",
            "trace": "t-1"
        })
        .to_string(),
    }
}

#[tokio::test]
async fn the_documented_custom_field_refusal_refreshes_once_and_retries_once() {
    let (server, client) = demo().await;
    warm_definitions(&client).await;
    server.clear_requests();
    server.inject(custom_field_refusal("deal-size"));

    client
        .contacts()
        .create(ContactDraft::new("Ada").custom_field("Deal Size", 7))
        .await
        .unwrap();

    let seen: Vec<(String, String, Option<u16>)> = server
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, r.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("POST".into(), "/v1/contacts".into(), Some(400)),
            ("GET".into(), "/v1/contact-custom-fields".into(), Some(200)),
            ("POST".into(), "/v1/contacts".into(), Some(201)),
        ]
    );

    // Refused again after the refresh: one refresh, one retry, then the
    // refusal is the caller's.
    server.clear_requests();
    server.inject(custom_field_refusal("deal-size"));
    // Faults are played one per request, any route: the refresh is served.
    server.inject(Fault::Serve);
    server.inject(custom_field_refusal("deal-size"));
    let err = client
        .contacts()
        .create(ContactDraft::new("Ada").custom_field("Deal Size", 7))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&quo_api_ext::ErrorCode::InvalidCustomFieldItem)
    );
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["POST", "GET", "POST"]);
}

#[tokio::test]
async fn a_custom_field_name_in_another_case_than_two_fields_is_refused_naming_both() {
    let (server, client) = demo().await;
    server.set_custom_field_definitions([
        ("Owner", "owner-a", "string"),
        ("owner", "owner-b", "string"),
    ]);
    server.clear_requests();

    let err = client
        .contacts()
        .create(ContactDraft::new("Ada").custom_field("OWNER", "Grace"))
        .await
        .unwrap_err();
    match &err {
        Error::InvalidInput { field, message } => {
            assert_eq!(*field, "custom_field");
            assert!(message.contains("\"Owner\" (key \"owner-a\")"), "{message}");
            assert!(message.contains("\"owner\" (key \"owner-b\")"), "{message}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(matches!(
        client.custom_field_definitions().by_name("OWNER").await,
        Err(Error::InvalidInput { .. })
    ));
    // Only the definitions were read: no write was sent.
    assert!(writes(&server).is_empty());

    // The exact name wins: each reaches its own key on the wire.
    for (name, key) in [("Owner", "owner-a"), ("owner", "owner-b")] {
        server.clear_requests();
        client
            .contacts()
            .create(ContactDraft::new("Ada").custom_field(name, "Grace"))
            .await
            .unwrap();
        let sent: Value = serde_json::from_str(&writes(&server)[0].body).unwrap();
        assert_eq!(
            sent["customFields"],
            json!([{"key": key, "value": "Grace"}]),
            "{name}"
        );
    }
}

#[tokio::test]
async fn values_the_spec_allows_reach_the_server() {
    let (server, client) = demo().await;
    warm_definitions(&client).await;
    server.clear_requests();
    let created = client
        .contacts()
        .create(
            ContactDraft::new("Ada")
                .phone_number("desk", "(555) 555-0123")
                .email("work", "ada at example")
                .source("OpenPhone-import")
                .custom_field("Website", "example.com/ada"),
        )
        .await
        .unwrap();
    let sent: Value = serde_json::from_str(&writes(&server)[0].body).unwrap();
    assert_eq!(
        sent["defaultFields"]["phoneNumbers"][0]["value"],
        "(555) 555-0123"
    );
    assert_eq!(
        sent["defaultFields"]["emails"][0]["value"],
        "ada at example"
    );
    assert_eq!(sent["source"], "OpenPhone-import");
    assert_eq!(sent["customFields"][0]["value"], "example.com/ada");
    assert_eq!(created.source.as_deref(), Some("OpenPhone-import"));
}
