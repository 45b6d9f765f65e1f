//! The generated `quo-api` client against httpmock: what goes over the wire
//! for each seed operation, and what comes back (success and error bodies).

use std::num::NonZeroU64;

use httpmock::prelude::*;
use quo_api::custom_field::CustomFieldValue;
use quo_tests::clients::{KEY, raw_client as client};
use serde_json::{Value, json};

fn contact(id: &str) -> Value {
    json!({
        "id": id,
        "externalId": "ext-1",
        "source": "public-api",
        "sourceUrl": null,
        "defaultFields": {
            "company": "Quo",
            "emails": [{"name": "work", "value": "ada@example.com", "id": "e1"}],
            "firstName": "Ada",
            "lastName": null,
            "phoneNumbers": [{"name": "mobile", "value": "+12345678901", "id": "p1"}],
            "role": "Sales"
        },
        "customFields": [
            {"name": "Inbound Lead", "key": "inbound-lead", "type": "boolean", "value": "false"},
            {"name": "Score", "type": "number", "value": 42},
            {"name": "Renewal", "type": "date", "value": "2024-09-11T04:00:00.000Z"}
        ],
        "createdAt": "2022-01-01T00:00:00Z",
        "updatedAt": "2022-01-02T00:00:00Z",
        "createdByUserId": "US123abc"
    })
}

fn error_body(status: u16, code: &str, title: &str) -> Value {
    json!({
        "message": format!("{title} happened"),
        "code": code,
        "status": status,
        "docs": "https://quo.com/docs",
        "title": title,
        "trace": "trace-123",
        "errors": [{"path": "/maxResults", "message": "bad", "value": 0, "schema": {"type": "integer"}}]
    })
}

#[tokio::test]
async fn list_contacts_sends_the_documented_request_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts")
                .header("authorization", KEY)
                .is_true(|req| {
                    req.uri().query()
                        == Some("externalIds=a%2Bb&externalIds=c%2Cd&maxResults=5&pageToken=p%2Ft%3D1&sources=csv")
                });
            then.status(200).json_body(json!({
                "data": [contact("C1"), contact("C2")],
                "totalItems": 7,
                "nextPageToken": "next"
            }));
        })
        .await;
    let ids = vec!["a+b".parse().unwrap(), "c,d".parse().unwrap()];
    let sources = vec!["csv".parse().unwrap()];
    let page = client(&server)
        .list_contacts_v1(
            Some(&ids),
            NonZeroU64::new(5).unwrap(),
            Some("p/t=1"),
            Some(&sources),
        )
        .await
        .expect("page decodes")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[1].id, "C2");
    assert_eq!(page.next_page_token.as_deref(), Some("next"));
    let first = &page.data[0];
    assert_eq!(first.default_fields.first_name.as_deref(), Some("Ada"));
    assert_eq!(first.default_fields.last_name, None);
    assert_eq!(
        first.default_fields.phone_numbers[0].value.as_deref(),
        Some("+12345678901")
    );
    assert_eq!(
        first.custom_fields[0].value,
        CustomFieldValue::Boolean(Some(false))
    );
    assert_eq!(
        first.custom_fields[1].value,
        CustomFieldValue::Number(Some(42.0))
    );
    assert!(matches!(
        first.custom_fields[2].value,
        CustomFieldValue::Date(Some(_))
    ));
}

#[tokio::test]
async fn get_contact_sends_the_raw_key_and_one_encoded_path_segment() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .header("authorization", KEY)
                .is_true(|req| req.uri().path() == "/v1/contacts/a%2Fb%3Fc%23d");
            then.status(200)
                .json_body(json!({"data": contact("a/b?c#d")}));
        })
        .await;
    let got = client(&server)
        .get_contact_by_id_v1("a/b?c#d")
        .await
        .expect("contact decodes")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(got.data.id, "a/b?c#d");
    assert_eq!(got.data.default_fields.company.as_deref(), Some("Quo"));
}

#[tokio::test]
async fn documented_error_statuses_decode_as_api_error() {
    let cases = [
        (400, "0801400", "Invalid Custom Field Item"),
        (401, "0800401", "Unauthorized"),
        (403, "0801403", "Not Phone Number User"),
        (404, "0800404", "Not Found"),
        (409, "0800409", "Conflict"),
        (500, "0801500", "Unknown"),
    ];
    for (status, code, title) in cases {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/contacts");
                then.status(status)
                    .json_body(error_body(status, code, title));
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method(GET).path("/v1/contacts/missing");
                then.status(status)
                    .json_body(error_body(status, code, title));
            })
            .await;
        let client = client(&server);
        let list = client
            .list_contacts_v1(None, NonZeroU64::new(1).unwrap(), None, None)
            .await;
        let get = client.get_contact_by_id_v1("missing").await;
        for (operation, err) in [("list", list.err()), ("get", get.err())] {
            match err {
                Some(quo_api::Error::ErrorResponse(rv)) => {
                    assert_eq!(rv.status().as_u16(), status, "{operation}");
                    assert_eq!(rv.code, code, "{operation}");
                    assert_eq!(rv.title, title, "{operation}");
                    assert_eq!(rv.status as u16, status, "{operation}");
                    assert_eq!(rv.trace.as_deref(), Some("trace-123"), "{operation}");
                    // Through JSON: the items' Rust shape depends on the spec.
                    let errors = serde_json::to_value(&rv.errors).expect("serialises");
                    assert_eq!(errors[0]["path"], "/maxResults", "{operation}");
                }
                other => panic!("{operation} {status}: expected an ApiError, got {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn every_request_carries_the_api_version_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/contacts/x")
                .header_exists("api-version");
            then.status(200).json_body(json!({"data": contact("x")}));
        })
        .await;
    client(&server).get_contact_by_id_v1("x").await.expect("ok");
    mock.assert_async().await;
}
