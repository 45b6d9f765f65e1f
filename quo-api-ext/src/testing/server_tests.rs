//! End-to-end tests over real HTTP with a plain `reqwest` client.

use std::collections::HashSet;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::{Value, json};

use super::server::Latency;
use super::{Dataset, DemoConfig, DemoServer, Fault, FaultQueue, RecordedRequest};

async fn start(dataset: Dataset) -> DemoServer {
    DemoServer::start(DemoConfig::new(dataset))
        .await
        .expect("server starts")
}

/// GETs `path_and_query` with the server's key.
async fn get(
    client: &reqwest::Client,
    server: &DemoServer,
    path_and_query: &str,
) -> (StatusCode, Value) {
    let response = client
        .get(format!("{}{path_and_query}", server.url()))
        .header("Authorization", server.api_key())
        .send()
        .await
        .expect("request is answered");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

#[tokio::test]
async fn requires_the_raw_key() {
    let server = DemoServer::start(DemoConfig::default()).await.unwrap();
    assert_eq!(server.api_key(), "demo-key");
    let client = reqwest::Client::new();
    let url = format!("{}/v1/contacts?maxResults=1", server.url());
    for auth in [None, Some("wrong"), Some("Bearer demo-key")] {
        let mut request = client.get(&url);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "0800401");
        assert_eq!(body["status"], 401);
        assert_eq!(body["title"], "Unauthorized");
        assert_eq!(body["docs"], "https://quo.com/docs");
        assert!(body["trace"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let (status, body) = get(&client, &server, "/v1/contacts?maxResults=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["totalItems"], 240);
}

#[tokio::test]
async fn max_results_must_be_1_to_50() {
    let server = start(Dataset::generate(10, 1)).await;
    let client = reqwest::Client::new();
    for query in ["", "?maxResults=0", "?maxResults=51", "?maxResults=ten"] {
        let (status, body) = get(&client, &server, &format!("/v1/contacts{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["code"], "0801400");
        assert_eq!(body["status"], 400);
        assert_eq!(body["errors"][0]["path"], "/maxResults");
        assert!(body["message"].as_str().unwrap().contains("maxResults"));
    }
    for ok in ["?maxResults=1", "?maxResults=50"] {
        assert_eq!(
            get(&client, &server, &format!("/v1/contacts{ok}")).await.0,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_page_walk_returns_every_contact_once() {
    let dataset = Dataset::generate(1_234, 11);
    let expected = dataset.contacts_value();
    let server = start(dataset).await;
    let client = reqwest::Client::new();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut url = format!("{}/v1/contacts", server.url());
        let mut query = vec![("maxResults".to_owned(), "50".to_owned())];
        query.extend(token.take().map(|t| ("pageToken".to_owned(), t)));
        url.push('?');
        url.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&query)
                .finish(),
        );
        let response = client
            .get(url)
            .header("Authorization", "demo-key")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        pages += 1;
        assert_eq!(body["totalItems"], 1_234);
        let data = body["data"].as_array().unwrap();
        assert!(data.len() == 50 || body["nextPageToken"].is_null());
        seen.extend(data.iter().cloned());
        match body["nextPageToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 25);
    assert_eq!(seen, expected);
    let ids: HashSet<&str> = seen.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1_234);
    assert_eq!(server.request_count(), 25);
}

#[tokio::test]
async fn filters_decode_repeated_keys() {
    let server = start(Dataset::from_values([
        json!({"id": "1", "externalId": "a+b c", "source": "csv"}),
        json!({"id": "2", "externalId": "x", "source": "google-contacts"}),
        json!({"id": "3", "externalId": "y", "source": "public-api"}),
    ]))
    .await;
    let client = reqwest::Client::new();
    let ids = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, body) = get(
        &client,
        &server,
        "/v1/contacts?maxResults=10&externalIds=a%2Bb+c&externalIds=y",
    )
    .await;
    assert_eq!(ids(&body), ["1", "3"]);
    assert_eq!(body["totalItems"], 2);
    let (_, body) = get(
        &client,
        &server,
        "/v1/contacts?maxResults=10&sources=google-contacts&sources=csv",
    )
    .await;
    assert_eq!(ids(&body), ["1", "2"]);
    let recorded = server.requests();
    assert_eq!(
        recorded[0].query.as_deref(),
        Some("maxResults=10&externalIds=a%2Bb+c&externalIds=y")
    );
    assert_eq!(
        recorded[0].query_pairs()[1],
        ("externalIds".to_owned(), "a+b c".to_owned())
    );
}

#[tokio::test]
async fn invalid_page_tokens_are_400() {
    let server = start(Dataset::generate(120, 3)).await;
    let client = reqwest::Client::new();
    let (_, first) = get(&client, &server, "/v1/contacts?maxResults=50").await;
    let token = first["nextPageToken"].as_str().unwrap().to_owned();
    for query in [
        "maxResults=50&pageToken=not-a-token".to_owned(),
        format!("maxResults=50&pageToken={token}&sources=csv"),
        format!(
            "maxResults=50&pageToken={}",
            token.replace(&token[..1], if &token[..1] == "0" { "1" } else { "0" })
        ),
    ] {
        let (status, body) = get(&client, &server, &format!("/v1/contacts?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["errors"][0]["path"], "/pageToken");
    }
}

#[tokio::test]
async fn get_by_id_and_404() {
    let dataset = Dataset::generate(20, 8);
    let id = dataset.ids().nth(7).unwrap().to_owned();
    let expected = dataset.contact_value(7);
    let server = start(dataset).await;
    let client = reqwest::Client::new();
    let (status, body) = get(&client, &server, &format!("/v1/contacts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "data": expected }));
    let (status, body) = get(&client, &server, "/v1/contacts/000000000000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (
            body["message"].as_str(),
            body["code"].as_str(),
            body["title"].as_str()
        ),
        (
            Some("Contact not found"),
            Some("0800404"),
            Some("Not Found")
        )
    );
    let (status, body) = get(&client, &server, "/v2/users").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["status"], 404);
}

#[tokio::test]
async fn injected_429_then_normal() {
    let server = start(Dataset::generate(5, 1)).await;
    server.inject(Fault::TooManyRequests {
        retry_after: Some("2".to_owned()),
    });
    server.inject(Fault::TooManyRequests { retry_after: None });
    let client = reqwest::Client::new();
    let url = format!("{}/v1/contacts/anything", server.url());
    let response = client
        .get(&url)
        .header("Authorization", "demo-key")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()[RETRY_AFTER], "2");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], 429);
    assert!(body["message"].as_str().unwrap().contains("Rate limit"));
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "faults come before auth"
    );
    assert!(response.headers().get(RETRY_AFTER).is_none());
    let (status, _) = get(&client, &server, "/v1/contacts?maxResults=5").await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<Option<u16>> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(429), Some(200)]);
}

#[tokio::test]
async fn status_raw_delay_and_disconnect_faults() {
    let faults = FaultQueue::new();
    let config = DemoConfig::new(Dataset::generate(5, 1))
        .with_faults(faults.clone())
        .with_fault(Fault::Status(503));
    let server = DemoServer::start(config).await.unwrap();
    faults.extend([
        Fault::Raw {
            status: 200,
            body: "{not json".to_owned(),
        },
        Fault::Disconnect,
        Fault::Delay(Duration::from_millis(300)),
    ]);
    assert_eq!(server.faults().len(), 4);
    let client = reqwest::Client::new();
    let url = format!("{}/v1/contacts?maxResults=1", server.url());
    let send = || client.get(&url).header("Authorization", "demo-key").send();

    let response = send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["status"].as_u64()),
        (Some("0800503"), Some(503))
    );

    assert_eq!(send().await.unwrap().text().await.unwrap(), "{not json");
    assert!(send().await.is_err(), "disconnect is a transport error");

    let timed_out = client
        .get(&url)
        .header("Authorization", "demo-key")
        .timeout(Duration::from_millis(50))
        .send()
        .await;
    assert!(timed_out.is_err_and(|e| e.is_timeout()));

    assert_eq!(send().await.unwrap().status(), StatusCode::OK);
    assert!(faults.is_empty());
    let last: &RecordedRequest = &server.requests()[2];
    assert_eq!(last.status, None);
}

#[tokio::test]
async fn fail_every_nth_request() {
    let config = DemoConfig::new(Dataset::generate(5, 1)).with_fail_every(3, Fault::Status(502));
    let server = DemoServer::start(config).await.unwrap();
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            get(&client, &server, "/v1/contacts?maxResults=1")
                .await
                .0
                .as_u16(),
        );
    }
    assert_eq!(statuses, [200, 200, 502, 200, 200, 502, 200]);
}

#[tokio::test]
async fn records_what_went_over_the_wire() {
    let config = DemoConfig::new(Dataset::generate(3, 1))
        .with_api_key("secret")
        .with_record_limit(2);
    let server = DemoServer::start(config).await.unwrap();
    let client = reqwest::Client::new();
    for path in [
        "/v1/contacts?maxResults=2",
        "/v1/contacts/a%2Fb",
        "/v1/contacts",
    ] {
        client
            .get(format!("{}{path}", server.url()))
            .header("Authorization", "secret")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(server.request_count(), 3);
    let recorded = server.requests();
    assert_eq!(recorded.len(), 2, "only the latest two are kept");
    assert_eq!(recorded[0].method, "GET");
    assert_eq!(recorded[0].path, "/v1/contacts/a%2Fb");
    assert_eq!(recorded[0].query, None);
    assert_eq!(recorded[0].authorization.as_deref(), Some("secret"));
    assert_eq!(recorded[0].status, Some(404));
    assert_eq!(recorded[1].status, Some(400));
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn concurrent_clients_are_served() {
    let server = start(Dataset::generate(500, 2)).await;
    let client = reqwest::Client::new();
    let requests = (0..32).map(|_| get(&client, &server, "/v1/contacts?maxResults=50"));
    for (status, body) in futures::future::join_all(requests).await {
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["data"].as_array().unwrap().len(), 50);
    }
    assert_eq!(server.request_count(), 32);
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let client = reqwest::Client::new();
    for graceful in [true, false] {
        let server = start(Dataset::generate(3, 1)).await;
        let url = format!("{}/v1/contacts?maxResults=1", server.url());
        // Leaves an idle keep-alive connection in the client's pool.
        assert!(
            client
                .get(&url)
                .header("Authorization", "demo-key")
                .send()
                .await
                .is_ok()
        );
        if graceful {
            server.shutdown().await;
        } else {
            drop(server);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let after = client
            .get(&url)
            .header("Authorization", "demo-key")
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        assert!(
            after.is_err(),
            "server still answers after stop (graceful: {graceful})"
        );
    }
}

#[tokio::test]
async fn latency_delays_every_answer_by_a_seeded_amount() {
    let (base, jitter) = (Duration::from_millis(30), Duration::from_millis(10));
    let config = DemoConfig::default().with_latency(base, jitter);
    let server = DemoServer::start(config.clone()).await.unwrap();
    let client = reqwest::Client::new();
    for path in ["/v1/contacts?maxResults=1", "/v1/contacts/nope"] {
        let start = std::time::Instant::now();
        get(&client, &server, path).await;
        assert!(start.elapsed() >= base, "{path} answered early");
    }

    let latency = Latency::of(&config);
    let waits: Vec<Duration> = (1..=1000).map(|n| latency.before(n)).collect();
    assert!(waits.iter().all(|w| (base..=base + jitter).contains(w)));
    let distinct: HashSet<Duration> = waits.iter().copied().collect();
    assert!(distinct.len() > 900, "{} distinct waits", distinct.len());
    // The same dataset gives the same waits; another dataset other ones.
    let again = Latency::of(&config.clone());
    assert!((1..=1000).all(|n| again.before(n) == waits[n - 1]));
    let other = Latency::of(&config.clone().with_dataset(Dataset::generate(3, 1)));
    assert!((1..=1000).any(|n| other.before(n) != waits[n - 1]));
    // Without jitter, exactly the base.
    let steady = Latency::of(&DemoConfig::default().with_latency(base, Duration::ZERO));
    assert!((1..=10).all(|n| steady.before(n) == base));
    assert_eq!(
        Latency::of(&DemoConfig::default()).before(1),
        Duration::ZERO
    );
}

/// The boolean and number custom fields of `contact`: `(type, value)`.
fn typed_fields(contact: &Value) -> Vec<(String, Value)> {
    contact["customFields"]
        .as_array()
        .expect("customFields")
        .iter()
        .filter(|f| f["type"] == "boolean" || f["type"] == "number")
        .map(|f| {
            (
                f["type"].as_str().unwrap_or_default().to_owned(),
                f["value"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn custom_fields_are_typed_by_default_and_strings_with_the_quirk_on() {
    let dataset = std::sync::Arc::new(Dataset::generate(40, 11));
    let client = reqwest::Client::new();
    let typed = DemoServer::start(DemoConfig::new(dataset.clone()))
        .await
        .expect("server starts");
    let quirky =
        DemoServer::start(DemoConfig::new(dataset.clone()).with_string_typed_custom_fields(true))
            .await
            .expect("server starts");
    let (status, plain) = get(&client, &typed, "/v1/contacts?maxResults=40").await;
    assert_eq!(status, StatusCode::OK);
    let (status, strings) = get(&client, &quirky, "/v1/contacts?maxResults=40").await;
    assert_eq!(status, StatusCode::OK);
    let (plain, strings) = (
        plain["data"].as_array().unwrap(),
        strings["data"].as_array().unwrap(),
    );
    assert_eq!(plain.len(), 40);
    let (mut booleans, mut numbers) = (0, 0);
    for (plain, strings) in plain.iter().zip(strings) {
        for ((kind, typed), (_, quirk)) in
            typed_fields(plain).into_iter().zip(typed_fields(strings))
        {
            match (kind.as_str(), &typed) {
                (_, Value::Null) => assert_eq!(quirk, Value::Null),
                ("boolean", Value::Bool(b)) => {
                    booleans += 1;
                    assert_eq!(quirk, json!(b.to_string()));
                }
                ("number", Value::Number(n)) => {
                    numbers += 1;
                    assert_eq!(quirk, json!(n.to_string()));
                }
                other => panic!("not typed by default: {other:?}"),
            }
        }
        // Everything else is the same contact.
        let strip = |c: &Value| {
            let mut c = c.clone();
            c["customFields"] = json!(null);
            c
        };
        assert_eq!(strip(plain), strip(strings));
    }
    assert!(
        booleans > 5 && numbers > 5,
        "{booleans} booleans, {numbers} numbers"
    );

    // One contact read, and a contact written, are sent the same way.
    let id = dataset.ids().next().unwrap().to_owned();
    let (_, one) = get(&client, &quirky, &format!("/v1/contacts/{id}")).await;
    assert_eq!(one["data"], strings[0]);
    let created: Value = client
        .post(format!("{}/v1/contacts", quirky.url()))
        .header("Authorization", quirky.api_key())
        .json(&json!({
            "defaultFields": {"firstName": "Ada"},
            "customFields": [{"key": "deal-size", "value": 1200}]
        }))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON body");
    assert_eq!(
        typed_fields(&created["data"]),
        vec![("number".to_owned(), json!("1200"))],
        "{created}"
    );
}
