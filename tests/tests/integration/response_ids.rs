//! Ids read from a response are checked like a caller's before they go
//! into a request path: a server answering `..` cannot steer a write to
//! another path (`PATCH /v1/`, the list endpoint, `/v1/webhooks`). And
//! items a response gives without an id are removed by value, or the
//! removal is refused, never reported done while kept.

use httpmock::prelude::*;
use quo_api_ext::Error;
use quo_api_ext::contacts::{ContactChanges, ContactDraft};
use quo_tests::clients::client;
use quo_tests::fixtures;
use serde_json::json;

/// Ids that would leave `/v1/contacts/{id}` if they went into the path.
const BAD_IDS: [&str; 5] = ["..", "", ".", "a\\b", "..\\webhooks"];

const CALLER_ID: &str = "664d0db69fcac7cf2e6ec99e";

#[tokio::test]
async fn an_update_patches_the_id_the_caller_named_whatever_id_the_read_answered() {
    for bad in BAD_IDS {
        let server = MockServer::start_async().await;
        let named = server
            .mock_async(|when, then| {
                when.path(format!("/v1/contacts/{CALLER_ID}"));
                then.status(200)
                    .json_body(json!({ "data": fixtures::contact(bad) }));
            })
            .await;
        let elsewhere = server
            .mock_async(|when, then| {
                when.is_true(|req| req.uri().path() != format!("/v1/contacts/{CALLER_ID}"));
                then.status(200)
                    .json_body(json!({ "data": fixtures::contact(bad) }));
            })
            .await;

        let updated = client(&server)
            .contacts()
            .update(CALLER_ID, ContactChanges::new().role("CTO"))
            .await;

        assert!(updated.is_ok(), "{bad:?}: {updated:?}");
        // The read and the PATCH, both at the caller's id; nothing else.
        assert_eq!(named.calls_async().await, 2, "{bad:?}");
        assert_eq!(elsewhere.calls_async().await, 0, "{bad:?}");
    }
}

#[tokio::test]
async fn the_patch_of_an_update_goes_to_the_callers_id() {
    let server = MockServer::start_async().await;
    let read = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/contacts/{CALLER_ID}"));
            then.status(200)
                .json_body(json!({ "data": fixtures::contact("..") }));
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/contacts/{CALLER_ID}"))
                .json_body_includes(r#"{"defaultFields": {"role": "CTO"}}"#);
            then.status(200)
                .json_body(json!({ "data": fixtures::contact(CALLER_ID) }));
        })
        .await;

    client(&server)
        .contacts()
        .update(CALLER_ID, ContactChanges::new().role("CTO"))
        .await
        .expect("update");

    assert_eq!(read.calls_async().await, 1);
    assert_eq!(patch.calls_async().await, 1);
}

#[tokio::test]
async fn an_upsert_refuses_an_id_from_the_listing_that_would_leave_its_path() {
    for bad in BAD_IDS {
        let server = MockServer::start_async().await;
        let mut listed = fixtures::contact(bad);
        listed["externalId"] = json!("crm-1");
        let listing = server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/contacts");
                then.status(200).json_body(json!({
                    "data": [listed],
                    "totalItems": 1,
                    "nextPageToken": null
                }));
            })
            .await;
        let mut writes = Vec::new();
        for method in [PATCH, POST, PUT, DELETE] {
            writes.push(
                server
                    .mock_async(|when, then| {
                        when.method(method);
                        then.status(500);
                    })
                    .await,
            );
        }

        let result = client(&server)
            .contacts()
            .upsert_by_external_id(ContactDraft::new("Grace").external_id("crm-1"))
            .await;

        match result {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path.as_deref(), Some("data[].id"), "{bad:?}");
                assert!(
                    message.contains("cannot go into a request path"),
                    "{message}"
                );
            }
            other => panic!("{bad:?}: expected a Decode error, got {other:?}"),
        }
        // The listing only: no write of any kind was sent.
        assert_eq!(listing.calls_async().await, 1, "{bad:?}");
        for write in writes {
            assert_eq!(write.calls_async().await, 0, "{bad:?}");
        }
    }
}

/// Emails and phone numbers without an `id` (the spec makes it optional):
/// a removal is matched by value and left out of the list the `PATCH`
/// replaces the contact's with; removing the last ones, which would send
/// no list at all and so keep them, is refused with nothing sent.
#[tokio::test]
async fn removing_items_without_ids_is_done_by_value_or_refused() {
    let server = MockServer::start_async().await;
    let stored = fixtures::contact_with(
        CALLER_ID,
        json!({
            "firstName": "Ada",
            "emails": [
                {"name": "work", "value": "ada@work.example"},
                {"name": "home", "value": "ada@home.example"}
            ],
            "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
        }),
        json!([]),
    );
    let read = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("/v1/contacts/{CALLER_ID}"));
            then.status(200).json_body(json!({ "data": stored }));
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/v1/contacts/{CALLER_ID}"))
                .json_body(json!({"defaultFields": {
                    "emails": [{"name": "home", "value": "ada@home.example"}],
                    "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}]
                }}));
            then.status(200)
                .json_body(json!({ "data": fixtures::contact(CALLER_ID) }));
        })
        .await;
    let any_patch = server
        .mock_async(|when, then| {
            when.method(PATCH);
            then.status(500);
        })
        .await;
    let contacts = client(&server);
    let contacts = contacts.contacts();

    contacts
        .update(
            CALLER_ID,
            ContactChanges::new().remove_email("ADA@work.example"),
        )
        .await
        .expect("update");
    assert_eq!(patch.calls_async().await, 1);

    // The last phone number, without an id: refused, nothing sent.
    for changes in [
        ContactChanges::new().remove_phone_number("+15555550123"),
        ContactChanges::new()
            .remove_email("ada@work.example")
            .remove_email("ada@home.example"),
        ContactChanges::new().replace_emails(Vec::<(String, String)>::new()),
    ] {
        match contacts.update(CALLER_ID, changes).await {
            Err(Error::InvalidInput { message, .. }) => {
                assert!(message.contains("have no id"), "{message}")
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
    assert_eq!(patch.calls_async().await, 1);
    assert_eq!(any_patch.calls_async().await, 0);
    assert_eq!(read.calls_async().await, 4);
}
