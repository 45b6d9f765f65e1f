//! `client.contacts().get(id)`: decoding, API errors, and ids that must stay
//! one path segment (or be refused before anything is sent).

use chrono::{TimeZone, Utc};
use httpmock::prelude::*;
use quo_api_ext::{Error, ErrorCode, custom_fields::CustomFieldValue};
use quo_tests::clients::{KEY, client};
use quo_tests::fixtures;
use serde_json::json;

#[tokio::test]
async fn get_decodes_every_field_of_a_contact() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts/664d0db69fcac7cf2e6ec99e")
                .header("authorization", KEY);
            then.status(200)
                .json_body(json!({ "data": fixtures::full_contact("664d0db69fcac7cf2e6ec99e") }));
        })
        .await;

    let contact = client(&server)
        .contacts()
        .get("664d0db69fcac7cf2e6ec99e")
        .await
        .expect("contact");

    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(contact.id, "664d0db69fcac7cf2e6ec99e");
    assert_eq!(contact.external_id.as_deref(), Some("crm-42"));
    assert_eq!(contact.source.as_deref(), Some("public-api"));
    assert_eq!(
        contact.source_url.as_deref(),
        Some("https://crm.example.com/contacts/42")
    );
    assert_eq!(contact.created_by_user_id.as_deref(), Some("USlHhXmRMz"));
    assert_eq!(
        contact.created_at,
        Utc.with_ymd_and_hms(2024, 5, 21, 20, 39, 34).unwrap()
    );
    assert_eq!(
        contact.updated_at,
        Utc.with_ymd_and_hms(2024, 6, 1, 8, 0, 0).unwrap() + chrono::Duration::milliseconds(500)
    );
    let fields = &contact.default_fields;
    assert_eq!(fields.first_name.as_deref(), Some("Ada"));
    assert_eq!(fields.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(fields.company.as_deref(), Some("Acme Corp"));
    assert_eq!(fields.role.as_deref(), Some("Engineer"));
    assert_eq!(fields.emails.len(), 2);
    assert_eq!(fields.emails[0].name.as_deref(), Some("Work"));
    assert_eq!(fields.emails[0].value.as_deref(), Some("ada@acme.example"));
    assert_eq!(fields.emails[0].id.as_deref(), Some("acb1"));
    assert_eq!(fields.emails[1].value, None);
    assert_eq!(fields.emails[1].id, None);
    assert_eq!(fields.phone_numbers[0].name.as_deref(), Some("Mobile"));
    assert_eq!(
        fields.phone_numbers[0].value.as_deref(),
        Some("+15555550123")
    );
    assert_eq!(contact.custom_fields.len(), 1);
    let score = &contact.custom_fields[0];
    assert_eq!(score.name, "Lead Score");
    assert_eq!(score.key.as_deref(), Some("lead-score"));
    assert_eq!(score.id.as_deref(), Some("66d0"));
    assert_eq!(score.value, CustomFieldValue::Number(Some(42.0)));
}

#[tokio::test]
async fn a_missing_contact_is_an_api_error_with_the_not_found_code() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts/nope");
            then.status(404).json_body(json!({
                "message": "Contact not found",
                "code": "0800404",
                "status": 404,
                "docs": "https://quo.com/docs",
                "title": "Not Found",
                "trace": "trace-404"
            }));
        })
        .await;

    let error = client(&server).contacts().get("nope").await.unwrap_err();

    let Error::Api(service) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(service.status, 404);
    assert_eq!(service.code, Some(ErrorCode::NotFound));
    assert_eq!(service.message.as_deref(), Some("Contact not found"));
    assert_eq!(service.trace.as_deref(), Some("trace-404"));
    assert_eq!(error.code(), Some(&ErrorCode::NotFound));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn ids_with_reserved_characters_stay_one_encoded_path_segment() {
    let cases = [
        ("../webhooks", "/v1/contacts/..%2Fwebhooks"),
        ("a/b", "/v1/contacts/a%2Fb"),
        ("a?b#c", "/v1/contacts/a%3Fb%23c"),
        ("100%", "/v1/contacts/100%25"),
        ("%2e%2e", "/v1/contacts/%252e%252e"),
        ("a b", "/v1/contacts/a%20b"),
        ("...", "/v1/contacts/..."),
        ("é", "/v1/contacts/%C3%A9"),
    ];
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (id, path) in cases {
        let mock = server
            .mock_async(|when, then| {
                when.method(GET).path(path);
                then.status(200)
                    .json_body(json!({ "data": fixtures::full_contact(id) }));
            })
            .await;
        mocks.push(mock);
    }
    // Mocks match in creation order: anything not sent to exactly one of the
    // expected paths lands here.
    let stray = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(418).body("stray request");
        })
        .await;
    let client = client(&server);

    for ((id, path), mock) in cases.into_iter().zip(&mocks) {
        let contact = client.contacts().get(id).await;

        assert_eq!(
            mock.calls_async().await,
            1,
            "{id:?} should be sent as {path}"
        );
        assert_eq!(contact.expect("contact").id, id);
    }
    assert_eq!(stray.calls_async().await, 0);
}

#[tokio::test]
async fn ids_that_would_change_the_path_are_refused_without_a_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .json_body(json!({ "data": fixtures::full_contact("x") }));
        })
        .await;
    let client = client(&server);

    for id in [
        "",
        ".",
        "..",
        "..\\webhooks",
        "a\\b",
        "a\nb",
        "a\tb",
        "\u{0}",
    ] {
        match client.contacts().get(id).await {
            Err(Error::InvalidInput { field, message }) => {
                assert_eq!(field, "contact_id", "{id:?}: {message}");
            }
            other => panic!("{id:?} should be refused, got {other:?}"),
        }
    }

    assert_eq!(any.calls_async().await, 0);
}
