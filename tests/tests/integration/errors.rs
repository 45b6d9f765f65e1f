//! What a caller gets when a request fails: every documented error status in
//! both body shapes Quo uses (the spec's flat one and the live API's nested
//! one), bodies in neither shape (HTML, empty), and success bodies that do
//! not decode, with the failing field named and excerpts bounded.

use futures::StreamExt;
use httpmock::prelude::*;
use quo_api_ext::{Error, ErrorCode, QuoClient};
use quo_api_ext::{MAX_EXCERPT_CHARS, ServiceError};
use quo_tests::{clients, fixtures};
use serde_json::{Value, json};

/// A client that sends each request once, so every answer is the final one.
fn client(server: &MockServer) -> QuoClient {
    clients::builder(server)
        .no_retries()
        .build()
        .expect("client")
}

/// Answers `GET /v1/contacts/c1` with `status` and `body` as JSON.
async fn answer(server: &MockServer, status: u16, body: &str) {
    let body = body.to_owned();
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/contacts/c1");
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
}

async fn get_error(server: &MockServer) -> Error {
    let client = client(server);
    client
        .call(|raw| async move { raw.get_contact_by_id_v1("c1").await })
        .await
        .expect_err("an error")
}

fn service(err: &Error) -> &ServiceError {
    match err {
        Error::Api(e) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The documented statuses with the code and title the spec gives them.
const DOCUMENTED: &[(u16, &str, ErrorCode, &str)] = &[
    (
        400,
        "0801400",
        ErrorCode::InvalidCustomFieldItem,
        "Invalid Custom Field Item",
    ),
    (401, "0800401", ErrorCode::Unauthorized, "Unauthorized"),
    (
        403,
        "0801403",
        ErrorCode::NotPhoneNumberUser,
        "Not Phone Number User",
    ),
    (404, "0800404", ErrorCode::NotFound, "Not Found"),
    (409, "0800409", ErrorCode::Conflict, "Conflict"),
    (500, "0801500", ErrorCode::Unknown, "Unknown"),
];

#[tokio::test]
async fn documented_statuses_in_the_flat_shape() {
    for (status, code, expected, title) in DOCUMENTED {
        let server = MockServer::start_async().await;
        let mut body = json!({
            "message": format!("message for {status}"),
            "code": code,
            "status": status,
            "docs": "https://quo.com/docs",
            "title": title,
            "trace": format!("trace-{status}"),
        });
        if *status == 400 {
            body["errors"] = json!([
                {"path": "/defaultFields/emails/0/value", "message": "Expected string",
                 "value": 42, "schema": {"type": "string"}},
                {"path": "/customFields", "message": "Unknown key", "schema": {"type": "array"}}
            ]);
            body["description"] = json!(title);
        }
        answer(&server, *status, &body.to_string()).await;
        let err = get_error(&server).await;
        let e = service(&err);
        assert_eq!(e.status, *status);
        assert_eq!(e.code.as_ref(), Some(expected), "{status}");
        assert_eq!(err.code(), Some(expected));
        assert_eq!(err.status(), Some(*status));
        assert_eq!(e.title.as_deref(), Some(*title));
        assert_eq!(e.message, Some(format!("message for {status}")));
        assert_eq!(e.docs.as_deref(), Some("https://quo.com/docs"));
        assert_eq!(e.trace, Some(format!("trace-{status}")));
        assert!(!err.is_retryable(), "{status}");
        let shown = err.to_string();
        assert!(shown.contains(&status.to_string()), "{shown}");
        assert!(shown.contains(&format!("message for {status}")), "{shown}");
        if *status == 400 {
            assert_eq!(e.field_errors.len(), 2);
            assert_eq!(e.field_errors[0].path, "/defaultFields/emails/0/value");
            assert_eq!(e.field_errors[0].message, "Expected string");
            assert_eq!(e.field_errors[0].value, Some(json!(42)));
            assert_eq!(e.field_errors[1].path, "/customFields");
            assert_eq!(e.field_errors[1].value, None);
            assert!(shown.contains("/customFields: Unknown key"), "{shown}");
        } else {
            assert!(e.field_errors.is_empty());
        }
    }
}

/// Every `(code, title, status)` the vendored spec documents in an error
/// answer of any operation.
fn documented_codes() -> Vec<(String, String, u16)> {
    fn walk(value: &Value, out: &mut Vec<(String, String, u16)>) {
        match value {
            Value::Object(map) => {
                let text = |name: &str| {
                    map.get(name)?
                        .get("const")
                        .or_else(|| map.get(name)?.get("example"))
                        .cloned()
                };
                if let (Some(Value::String(code)), Some(Value::String(title)), Some(status)) =
                    (text("code"), text("title"), text("status"))
                {
                    let status = u16::try_from(status.as_u64().unwrap()).unwrap();
                    if !out.iter().any(|(c, ..)| c == &code) {
                        out.push((code, title, status));
                    }
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/quo-public-api.json"
    );
    let spec: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out = Vec::new();
    walk(&spec["paths"], &mut out);
    out
}

#[tokio::test]
async fn every_code_the_spec_documents_has_its_meaning_and_answers_its_check() {
    let codes = documented_codes();
    assert!(codes.len() >= 60, "{} codes found", codes.len());
    let server = MockServer::start_async().await;
    for (code, title, status) in &codes {
        let body = json!({
            "message": "documented", "code": code, "status": status,
            "docs": "https://quo.com/docs", "title": title,
        });
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("/v1/contacts/{code}"));
                then.status(*status).json_body(body);
            })
            .await;
    }
    let client = client(&server);
    for (code, title, status) in &codes {
        let err = client
            .call(|raw| async move { raw.get_contact_by_id_v1(code).await })
            .await
            .expect_err("an error");
        let meaning = err.code().unwrap_or_else(|| panic!("{code}: {err:?}"));
        assert!(!matches!(meaning, ErrorCode::Other(_)), "{code} unknown");
        assert_eq!(meaning.title(), title, "{code}");
        assert_eq!(
            err.service_error().unwrap().code_text.as_deref(),
            Some(code.as_str())
        );
        let checks = [
            (401, err.is_unauthorized()),
            (403, err.is_forbidden()),
            (404, err.is_not_found()),
            (409, err.is_conflict()),
            (429, err.is_rate_limited()),
        ];
        for (answers, yes) in checks {
            assert_eq!(
                yes,
                *status == answers,
                "{code} ({status}): is_* for {answers}"
            );
        }
    }
    eprintln!("{} documented codes checked", codes.len());
}

#[tokio::test]
async fn documented_statuses_in_the_live_nested_shape() {
    for (status, code, expected, _) in DOCUMENTED {
        let server = MockServer::start_async().await;
        let body = json!({
            "error": {"message": format!("live {status}"), "key": code, "trace": "live-trace"}
        });
        answer(&server, *status, &body.to_string()).await;
        let err = get_error(&server).await;
        let e = service(&err);
        assert_eq!(e.status, *status);
        assert_eq!(e.code.as_ref(), Some(expected));
        assert_eq!(e.message, Some(format!("live {status}")));
        assert_eq!(e.trace.as_deref(), Some("live-trace"));
        assert_eq!(e.title, None);
        assert!(e.field_errors.is_empty());
    }
}

#[tokio::test]
async fn textual_keys_are_kept_as_other_codes() {
    let server = MockServer::start_async().await;
    answer(
        &server,
        404,
        r#"{"error":{"message":"Contact not found","key":"contact_not_found"}}"#,
    )
    .await;
    let err = get_error(&server).await;
    assert_eq!(
        err.code(),
        Some(&ErrorCode::Other("contact_not_found".into()))
    );
    assert_eq!(
        err.service_error().and_then(|e| e.code_text.as_deref()),
        Some("contact_not_found")
    );
    assert!(err.is_not_found());
}

#[tokio::test]
async fn a_partial_flat_body_still_decodes() {
    // `docs` and `title` missing: the generated type refuses it, this SDK does not.
    let server = MockServer::start_async().await;
    answer(
        &server,
        404,
        r#"{"message":"Contact not found","code":"0800404","status":404}"#,
    )
    .await;
    let err = get_error(&server).await;
    let e = service(&err);
    assert_eq!(e.code, Some(ErrorCode::NotFound));
    assert_eq!(e.message.as_deref(), Some("Contact not found"));
    assert_eq!(e.docs, None);
}

#[tokio::test]
async fn a_429_is_rate_limited_with_its_wait() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts/c1");
            then.status(429)
                .header("retry-after", "7")
                .json_body(json!({
                    "message": "Rate limit exceeded", "code": "0800429", "status": 429,
                    "docs": "https://quo.com/docs", "title": "Too Many Requests"
                }));
        })
        .await;
    let err = get_error(&server).await;
    match &err {
        Error::RateLimited { retry_after, error } => {
            assert_eq!(*retry_after, Some(std::time::Duration::from_secs(7)));
            assert_eq!(error.code, Some(ErrorCode::Other("0800429".into())));
            assert_eq!(error.title.as_deref(), Some("Too Many Requests"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.to_string().contains("retry after 7s"), "{err}");
}

const HTML: &str = "<html><head><title>502 Bad Gateway</title></head>\
    <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

#[tokio::test]
async fn an_html_page_from_a_proxy_keeps_status_and_excerpt() {
    // 502 is not a documented status (an unexpected response); 400 is (the
    // typed body fails to decode). Both end up the same.
    for status in [502, 400] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.path("/v1/contacts/c1");
                then.status(status)
                    .header("content-type", "text/html")
                    .body(HTML);
            })
            .await;
        let err = get_error(&server).await;
        let e = service(&err);
        assert_eq!(e.status, status);
        assert_eq!(e.code, None);
        assert_eq!(e.message, None);
        assert_eq!(e.body_excerpt.as_deref(), Some(HTML));
        assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
        assert_eq!(err.is_retryable(), status == 502);
    }
}

#[tokio::test]
async fn an_empty_body_keeps_the_status() {
    for status in [404, 500, 503] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.path("/v1/contacts/c1");
                then.status(status);
            })
            .await;
        let err = get_error(&server).await;
        let e = service(&err);
        assert_eq!(e.status, status);
        assert_eq!(e.body_excerpt, None);
        assert_eq!(e.message, None);
        assert_eq!(err.to_string(), format!("HTTP {status}"));
    }
}

#[tokio::test]
async fn long_bodies_are_cut_to_a_bounded_excerpt() {
    let long = format!("<html>{}</html>", "é<b>x</b>".repeat(2000));
    for status in [400, 503] {
        let server = MockServer::start_async().await;
        let body = long.clone();
        server
            .mock_async(|when, then| {
                when.path("/v1/contacts/c1");
                then.status(status).body(body);
            })
            .await;
        let err = get_error(&server).await;
        let excerpt = service(&err).body_excerpt.clone().expect("excerpt");
        assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS);
        assert!(excerpt.starts_with("<html>é<b>x</b>"), "{excerpt}");
        assert!(err.to_string().chars().count() < 400);
    }
}

/// A contact whose first name is `first_name` (of any JSON type).
fn contact(first_name: Value) -> Value {
    fixtures::contact_with("c1", json!({ "firstName": first_name }), json!([]))
}

#[tokio::test]
async fn a_wrong_field_type_names_the_field() {
    let server = MockServer::start_async().await;
    answer(
        &server,
        200,
        &json!({ "data": contact(json!(12345)) }).to_string(),
    )
    .await;
    let err = get_error(&server).await;
    match &err {
        Error::Decode {
            status,
            path,
            message,
            excerpt,
        } => {
            assert_eq!(*status, Some(200));
            assert_eq!(path.as_deref(), Some("data.defaultFields.firstName"));
            assert!(message.contains("invalid type"), "{message}");
            assert!(excerpt.contains("12345"), "{excerpt}");
            assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(200));
    assert!(
        err.to_string().contains("data.defaultFields.firstName"),
        "{err}"
    );
}

#[tokio::test]
async fn a_bad_item_in_a_long_list_is_located_and_excerpted() {
    let server = MockServer::start_async().await;
    let mut items: Vec<Value> = (0..30).map(|_| contact(json!("Ada"))).collect();
    items[17]["createdAt"] = json!("not a date");
    let body = json!({"data": items, "nextPageToken": null, "totalItems": 30}).to_string();
    assert!(body.len() > 5 * MAX_EXCERPT_CHARS);
    server
        .mock_async(|when, then| {
            when.path("/v1/contacts");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    // The rest of the page is read; the bad item is an error in its place.
    let results: Vec<_> = client(&server).contacts().list().items().collect().await;
    assert_eq!(results.len(), 30);
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 29);
    match &results[17] {
        Err(Error::UnreadableItem(e)) => {
            assert_eq!(e.index, 17);
            assert_eq!(e.path.as_deref(), Some("createdAt"));
            assert!(e.excerpt.contains("not a date"), "{}", e.excerpt);
            assert!(e.excerpt.chars().count() <= MAX_EXCERPT_CHARS);
        }
        other => panic!("expected UnreadableItem, got {other:?}"),
    }
}

#[tokio::test]
async fn a_success_body_that_is_not_json_is_a_decode_error() {
    let server = MockServer::start_async().await;
    answer(&server, 200, "<html>maintenance</html>").await;
    let err = get_error(&server).await;
    match &err {
        Error::Decode {
            status,
            path,
            excerpt,
            ..
        } => {
            assert_eq!(*status, Some(200));
            assert_eq!(path, &None);
            assert_eq!(excerpt, "<html>maintenance</html>");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_success_status_is_reported() {
    let server = MockServer::start_async().await;
    answer(&server, 202, r#"{"accepted":true}"#).await;
    let err = get_error(&server).await;
    match &err {
        Error::Decode {
            status, message, ..
        } => {
            assert_eq!(*status, Some(202));
            assert!(message.contains("202"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}
