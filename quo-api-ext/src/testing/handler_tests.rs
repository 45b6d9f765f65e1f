//! Socket-free tests of routing, validation and pagination.

use std::sync::Arc;

use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::dataset::Dataset;
use super::handler::{Handler, RequestParts};

const KEY: &str = "k";

fn call(
    handler: &Handler,
    method: Method,
    path: &str,
    query: Option<&str>,
    auth: Option<&str>,
) -> (StatusCode, Value) {
    let parts = RequestParts {
        method: &method,
        path,
        query,
        authorization: auth.map(str::as_bytes),
        body: &[],
    };
    let reply = handler.handle(&parts, "trace-1");
    let body = serde_json::from_slice(&reply.body).expect("every reply is JSON");
    (reply.status, body)
}

fn get(handler: &Handler, path: &str, query: Option<&str>) -> (StatusCode, Value) {
    call(handler, Method::GET, path, query, Some(KEY))
}

fn handler(dataset: Dataset) -> Handler {
    Handler::new(Arc::new(dataset), KEY)
}

#[test]
fn authentication_comes_first_and_is_exact() {
    let h = handler(Dataset::generate(3, 1));
    for auth in [None, Some(""), Some("K"), Some("Bearer k"), Some("k ")] {
        let (status, body) = call(&h, Method::GET, "/v1/contacts", Some("maxResults=1"), auth);
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(body["code"], "0800401");
        assert_eq!(body["trace"], "trace-1");
    }
    let (status, _) = call(&h, Method::GET, "/nowhere", None, None);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[test]
fn unknown_routes_and_methods_are_404() {
    let h = handler(Dataset::generate(3, 1));
    for (method, path) in [
        (Method::GET, "/"),
        (Method::GET, "/v1/contacts/"),
        (Method::GET, "/v1/contacts/a/b"),
        (Method::GET, "/v1/contactsx"),
        (Method::PUT, "/v1/contacts"),
        (Method::PUT, "/v1/contacts/abc"),
        (Method::DELETE, "/v1/contacts/abc"),
    ] {
        let (status, body) = call(&h, method.clone(), path, None, Some(KEY));
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(body["code"], "0800404");
        assert_eq!(body["title"], "Not Found");
    }
}

#[test]
fn get_by_id_decodes_one_segment() {
    let h = handler(Dataset::from_values([
        json!({"id": "a/b c"}),
        json!({"id": "plain"}),
    ]));
    assert_eq!(
        get(&h, "/v1/contacts/a%2Fb%20c", None).1,
        json!({"data": {"id": "a/b c"}})
    );
    assert_eq!(
        get(&h, "/v1/contacts/plain", None).1,
        json!({"data": {"id": "plain"}})
    );
    let (status, body) = get(&h, "/v1/contacts/missing", None);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["message"], "Contact not found");
    let (status, body) = get(&h, "/v1/contacts/%FF%FE", None);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["path"], "/id");
}

#[test]
fn empty_dataset_gives_one_empty_page() {
    let h = handler(Dataset::default());
    let (status, body) = get(&h, "/v1/contacts", Some("maxResults=10"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"data": [], "totalItems": 0, "nextPageToken": null})
    );
}

#[test]
fn pages_split_exactly_and_page_size_may_change() {
    let dataset = Dataset::generate(100, 2);
    let expected = dataset.contacts_value();
    let h = handler(dataset);
    let (_, first) = get(&h, "/v1/contacts", Some("maxResults=50"));
    assert_eq!(first["totalItems"], 100);
    assert_eq!(first["data"].as_array().unwrap()[..], expected[..50]);
    let token = first["nextPageToken"].as_str().unwrap();
    let (_, second) = get(
        &h,
        "/v1/contacts",
        Some(&format!("maxResults=50&pageToken={token}")),
    );
    assert_eq!(second["data"].as_array().unwrap()[..], expected[50..]);
    assert_eq!(second["nextPageToken"], Value::Null);
    // The same token with another page size continues from the same place.
    let (_, small) = get(
        &h,
        "/v1/contacts",
        Some(&format!("maxResults=7&pageToken={token}")),
    );
    assert_eq!(small["data"].as_array().unwrap()[..], expected[50..57]);
    assert!(small["nextPageToken"].is_string());
}

#[test]
fn filters_combine_with_and() {
    let h = handler(Dataset::from_values([
        json!({"id": "1", "externalId": "a", "source": "csv"}),
        json!({"id": "2", "externalId": "b", "source": "public-api"}),
        json!({"id": "3", "externalId": "c", "source": "csv"}),
        json!({"id": "4", "externalId": null, "source": null}),
    ]));
    let ids = |query: &str| -> Vec<String> {
        let (status, body) = get(&h, "/v1/contacts", Some(query));
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(body["totalItems"], body["data"].as_array().unwrap().len());
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("maxResults=50"), ["1", "2", "3", "4"]);
    assert_eq!(
        ids("maxResults=50&externalIds=c&externalIds=a&externalIds=a"),
        ["1", "3"]
    );
    assert_eq!(ids("maxResults=50&sources=csv"), ["1", "3"]);
    assert_eq!(
        ids("maxResults=50&sources=csv&sources=public-api"),
        ["1", "2", "3"]
    );
    assert_eq!(
        ids("maxResults=50&externalIds=a&externalIds=b&sources=public-api"),
        ["2"]
    );
    assert_eq!(ids("maxResults=50&externalIds=zzz").len(), 0);
}

#[test]
fn tokens_belong_to_their_query() {
    // Enough contacts that more than one page of them came from a CSV.
    let h = handler(Dataset::generate(100, 4));
    let (_, page) = get(&h, "/v1/contacts", Some("maxResults=5&sources=csv"));
    let token = page["nextPageToken"]
        .as_str()
        .expect("more than 5 csv contacts")
        .to_owned();
    let (status, _) = get(
        &h,
        "/v1/contacts",
        Some(&format!("maxResults=5&sources=csv&pageToken={token}")),
    );
    assert_eq!(status, StatusCode::OK);
    for query in [
        format!("maxResults=5&pageToken={token}"),
        format!("maxResults=5&sources=hubspot&pageToken={token}"),
        "maxResults=5&pageToken=garbage".to_owned(),
        "maxResults=5&pageToken=%FF".to_owned(),
    ] {
        let (status, body) = get(&h, "/v1/contacts", Some(&query));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["code"], "0801400");
    }
    // A token from another dataset is rejected too.
    let other = handler(Dataset::generate(30, 5));
    let (_, page) = get(&other, "/v1/contacts", Some("maxResults=5"));
    let foreign = page["nextPageToken"].as_str().unwrap();
    let (status, _) = get(
        &h,
        "/v1/contacts",
        Some(&format!("maxResults=5&pageToken={foreign}")),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[test]
fn phone_numbers_messages_and_calls_are_routed_with_their_own_codes() {
    let h = handler(Dataset::generate(1, 1));
    let (status, body) = get(&h, "/v1/phone-numbers", None);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["id"], "PNdemo0001");
    assert_eq!(
        get(&h, "/v1/phone-numbers/PNdemo0002", None).0,
        StatusCode::OK
    );
    let conversation = "phoneNumberId=PNdemo0001&participants=%2B15555550123&maxResults=10";
    let (status, messages) = get(&h, "/v1/messages", Some(conversation));
    assert_eq!(status, StatusCode::OK);
    let id = messages["data"][0]["id"].as_str().unwrap();
    assert_eq!(
        get(&h, &format!("/v1/messages/{id}"), None).0,
        StatusCode::OK
    );
    let (status, calls) = get(&h, "/v1/calls", Some(conversation));
    assert_eq!(status, StatusCode::OK);
    let id = calls["data"][0]["id"].as_str().unwrap();
    for path in [
        format!("/v1/calls/{id}"),
        format!("/v1/call-summaries/{id}"),
        format!("/v1/call-transcripts/{id}"),
    ] {
        let (status, body) = get(&h, &path, None);
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            body["data"]["callId"]
                .as_str()
                .or(body["data"]["id"].as_str()),
            Some(id)
        );
    }
    for (path, code) in [
        ("/v1/calls/ACnope", "0100404"),
        ("/v1/messages/ACnope", "0200404"),
        ("/v1/phone-numbers/PNnope", "0400404"),
        ("/v1/call-summaries/ACnope", "0500404"),
        ("/v1/call-transcripts/ACnope", "0600404"),
        ("/v1/calls/a/b", "0100404"),
        ("/v1/call-summaries", "0500404"),
    ] {
        let (status, body) = get(&h, path, None);
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["code"], code, "{path}");
    }
    let (status, body) = call(&h, Method::GET, "/v1/calls", Some(conversation), None);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "0100401");
    let (status, body) = get(&h, "/v1/messages/%FF", None);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "0200400");
}

#[test]
fn a_message_sent_over_the_handler_is_listed() {
    let h = handler(Dataset::generate(1, 1));
    let body = json!({"from": "PNdemo0001", "to": ["+15555550123"], "content": "On my way"});
    let bytes = serde_json::to_vec(&body).unwrap();
    let parts = RequestParts {
        method: &Method::POST,
        path: "/v1/messages",
        query: None,
        authorization: Some(KEY.as_bytes()),
        body: &bytes,
    };
    let reply = h.handle(&parts, "t");
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let sent: Value = serde_json::from_slice(&reply.body).unwrap();
    let (_, listed) = get(
        &h,
        "/v1/messages",
        Some("phoneNumberId=PNdemo0001&participants=%2B15555550123&maxResults=1"),
    );
    assert_eq!(listed["data"][0], sent["data"]);
}
