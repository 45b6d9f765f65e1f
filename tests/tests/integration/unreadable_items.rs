//! No page lost to one item: odd contacts decode, and a contact that cannot
//! be read is an error item of the stream, in its place, after which the
//! walk goes on with the rest of the page and the next pages.

use futures::StreamExt;
use httpmock::prelude::*;
use quo_api_ext::Error;
use quo_tests::clients::client;
use quo_tests::fixtures;
use serde_json::{Value, json};

/// Contacts of the first page that are odd but readable, by index.
const ABSENT_ARRAYS: usize = 3;
const NULL_ARRAYS: usize = 10;
const NO_OFFSET: usize = 17;
const EMAIL_WITHOUT_NAME: usize = 24;
const DUPLICATED_KEY: usize = 31;
/// Contacts of the first page that cannot be read, by index.
const UNREADABLE: [usize; 3] = [5, 20, 40];

fn id(i: usize) -> String {
    format!("CT{i:02}")
}

/// The first page's body: 50 contacts, five odd and three unreadable (the
/// last of them without an id). Text, since one carries a key twice.
fn first_page() -> String {
    let mut contacts = Vec::new();
    for i in 0..50 {
        let mut contact = fixtures::contact_with(
            &id(i),
            json!({"firstName": "Ada"}),
            json!([{"name": "Lead", "key": "lead", "type": "string", "value": "warm"}]),
        );
        match i {
            ABSENT_ARRAYS => {
                let defaults = contact["defaultFields"].as_object_mut().unwrap();
                defaults.remove("emails");
                defaults.remove("phoneNumbers");
                contact.as_object_mut().unwrap().remove("customFields");
            }
            NULL_ARRAYS => {
                contact["defaultFields"]["emails"] = Value::Null;
                contact["defaultFields"]["phoneNumbers"] = Value::Null;
                contact["customFields"] = Value::Null;
            }
            NO_OFFSET => contact["createdAt"] = json!("2024-01-02T03:04:05.123"),
            EMAIL_WITHOUT_NAME => {
                contact["defaultFields"]["emails"] =
                    json!([{"id": "E1", "value": "ada@example.com"}]);
            }
            5 | 20 => contact["createdAt"] = json!(42),
            40 => contact = json!({"createdAt": 42, "defaultFields": {}}),
            _ => {}
        }
        let mut text = contact.to_string();
        if i == DUPLICATED_KEY {
            text = text.replace(r#""name":"Lead""#, r#""name":"Lead","name":"Other""#);
            assert!(text.contains(r#""name":"Other""#));
        }
        contacts.push(text);
    }
    format!(
        r#"{{"data":[{}],"totalItems":52,"nextPageToken":"page-2"}}"#,
        contacts.join(",")
    )
}

fn second_page() -> String {
    json!({
        "data": [fixtures::contact("CT50"), fixtures::contact("CT51")],
        "totalItems": 52,
        "nextPageToken": null,
    })
    .to_string()
}

async fn server() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts")
                .query_param("pageToken", "page-2");
            then.status(200)
                .header("content-type", "application/json")
                .body(second_page());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts")
                .query_param_missing("pageToken");
            then.status(200)
                .header("content-type", "application/json")
                .body(first_page());
        })
        .await;
    server
}

#[tokio::test]
async fn a_page_with_odd_and_unreadable_contacts_keeps_every_readable_one() {
    let server = server().await;
    for prefetch in [0, 1] {
        let results: Vec<_> = client(&server)
            .contacts()
            .list()
            .prefetch(prefetch)
            .items()
            .collect()
            .await;
        assert_eq!(results.len(), 52, "prefetch {prefetch}");
        let mut contacts = Vec::new();
        let mut errors = Vec::new();
        for (place, result) in results.into_iter().enumerate() {
            match result {
                Ok(contact) => {
                    assert_eq!(contact.id, id(place), "in order");
                    contacts.push(contact);
                }
                Err(Error::UnreadableItem(e)) => {
                    assert_eq!(e.index, place, "in its place");
                    assert_eq!(e.path.as_deref(), Some("createdAt"), "{e}");
                    errors.push(*e);
                }
                Err(other) => panic!("unexpected error {other}"),
            }
        }
        assert_eq!(
            contacts.len(),
            47 + 2,
            "47 of the first page, then the next page's"
        );
        let indexes: Vec<usize> = errors.iter().map(|e| e.index).collect();
        assert_eq!(indexes, UNREADABLE);
        let ids: Vec<Option<&str>> = errors.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, [Some("CT05"), Some("CT20"), None]);
        let shown = errors[0].to_string();
        assert!(
            shown.starts_with(
                "item 5 of the page (id `CT05`) could not be decoded at `createdAt`: \
                 invalid type: integer `42`"
            ),
            "{shown}"
        );

        let by_id = |i: usize| contacts.iter().find(|c| c.id == id(i)).expect("decoded");
        for i in [ABSENT_ARRAYS, NULL_ARRAYS] {
            let odd = by_id(i);
            assert!(odd.default_fields.emails.is_empty() && odd.custom_fields.is_empty());
        }
        assert_eq!(
            by_id(NO_OFFSET).created_at,
            "2024-01-02T03:04:05.123Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
        );
        let email = &by_id(EMAIL_WITHOUT_NAME).default_fields.emails[0];
        assert_eq!(
            (email.name.as_deref(), email.value.as_deref()),
            (None, Some("ada@example.com"))
        );
        assert_eq!(
            by_id(DUPLICATED_KEY).custom_fields[0].name,
            "Lead",
            "the first wins"
        );
    }
}

#[tokio::test]
async fn a_page_carries_its_item_errors() {
    let server = server().await;
    let pages: Vec<_> = client(&server).contacts().list().pages().collect().await;
    let pages: Vec<_> = pages.into_iter().map(|p| p.expect("page")).collect();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].len(), 47);
    let indexes: Vec<usize> = pages[0].item_errors().iter().map(|e| e.index).collect();
    assert_eq!(indexes, UNREADABLE);
    assert_eq!(pages[0].next_page_token(), Some("page-2"));
    assert_eq!(pages[0].total_items_hint(), Some(52));
    assert_eq!((pages[1].len(), pages[1].item_errors().len()), (2, 0));
}

#[tokio::test]
async fn a_page_of_only_unreadable_items_does_not_end_the_walk() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts").query_param("pageToken", "next");
            then.status(200)
                .header("content-type", "application/json")
                .body(second_page());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts").query_param_missing("pageToken");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"data": [7, {"id": "CT1"}], "nextPageToken": "next"}"#);
        })
        .await;
    let results: Vec<_> = client(&server).contacts().list().items().collect().await;
    let shape: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(c) => c.id.clone(),
            Err(Error::UnreadableItem(e)) => format!("error {}", e.index),
            Err(other) => panic!("unexpected error {other}"),
        })
        .collect();
    assert_eq!(shape, ["error 0", "error 1", "CT50", "CT51"]);
}
