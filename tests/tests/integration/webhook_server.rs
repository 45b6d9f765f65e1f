//! Webhooks in a web server: the `axum` extractor on a real axum server on
//! loopback, fed over HTTP as Quo would feed it.

use std::time::SystemTime;

use axum::Router;
use axum::routing::post;
use quo_api_ext::webhooks::{Delivery, Verifier, WebhookSecret, sign};
use tokio::net::TcpListener;

const STANDARD: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const LEGACY: &str = "R2l2ZS1tZS1hLWxlZ2FjeS1zaWduaW5nLXNlY3JldA==";
const ROTATED_IN: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const FORGER: &str = "whsec_Zm9yZ2VkLWtleS1vZi1hbi1hdHRhY2tlcg==";
const BODY: &str = r#"{"id":"EVc67ec998b35c41d388af50799aeeba3e","object":"event","apiVersion":"v4","createdAt":"2022-01-23T16:55:52.557Z","type":"message.received","data":{"object":{"id":"AC24a8","object":"message","from":"+19876543210","to":["+15555555555"],"direction":"incoming","text":"Hello","status":"delivered"}}}"#;

/// What the handler saw: the event type and the delivery id.
async fn handler(delivery: Delivery) -> String {
    format!(
        "{} {}",
        delivery.event.event_type(),
        delivery.id.as_deref().unwrap_or("-")
    )
}

/// An axum server on a free loopback port with `verifier` in its state,
/// stopped when the returned guard drops.
struct Receiver {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receiver(verifier: Verifier) -> Receiver {
    let app = Router::new()
        .route("/quo", post(handler))
        .with_state(verifier);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/quo", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Receiver { url, task }
}

/// Posts `body` with `headers`; the status and the answer's text.
async fn post_delivery(url: &str, headers: &[(&str, String)], body: Vec<u8>) -> (u16, String) {
    let mut request = reqwest::Client::new().post(url).body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn signed(secret: &str, id: &str, body: &[u8]) -> Vec<(&'static str, String)> {
    let secret = WebhookSecret::parse(secret).unwrap();
    sign(&secret, id, SystemTime::now(), body)
        .into_vec()
        .into_iter()
        .collect()
}

#[tokio::test]
async fn signed_deliveries_of_both_schemes_reach_the_handler_with_their_ids() {
    let verifier = Verifier::new(STANDARD)
        .unwrap()
        .with_secret(WebhookSecret::parse(LEGACY).unwrap());
    let server = receiver(verifier).await;
    let body = BODY.as_bytes();
    let standard = post_delivery(
        &server.url,
        &signed(STANDARD, "msg_42", body),
        body.to_vec(),
    )
    .await;
    assert_eq!(standard, (200, "message.received msg_42".to_owned()));
    let legacy = post_delivery(&server.url, &signed(LEGACY, "unused", body), body.to_vec()).await;
    assert_eq!(
        legacy,
        (
            200,
            "message.received EVc67ec998b35c41d388af50799aeeba3e".to_owned()
        )
    );
}

#[tokio::test]
async fn forged_malformed_and_oversized_deliveries_are_refused_before_the_handler() {
    let server = receiver(Verifier::new(STANDARD).unwrap().max_body_bytes(4096)).await;
    let body = BODY.as_bytes();

    let (status, reason) =
        post_delivery(&server.url, &signed(FORGER, "msg_1", body), body.to_vec()).await;
    assert_eq!(status, 401, "{reason}");
    assert!(
        reason.contains("no Standard Webhooks signature matches"),
        "{reason}"
    );

    let (status, _) = post_delivery(&server.url, &[], body.to_vec()).await;
    assert_eq!(status, 401, "an unsigned delivery");

    let mut malformed = signed(STANDARD, "msg_1", body);
    malformed[1].1 = "yesterday".to_owned();
    let (status, reason) = post_delivery(&server.url, &malformed, body.to_vec()).await;
    assert_eq!(status, 400, "{reason}");
    assert!(reason.contains("webhook-timestamp"), "{reason}");

    // Over the limit: refused with 413, whether announced or streamed.
    let big = vec![b' '; 5000];
    let (status, _) =
        post_delivery(&server.url, &signed(STANDARD, "msg_1", &big), big.clone()).await;
    assert_eq!(status, 413);
    let chunks = futures::stream::iter(
        big.chunks(1000)
            .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    );
    let mut request = reqwest::Client::new()
        .post(&server.url)
        .body(reqwest::Body::wrap_stream(chunks));
    for (name, value) in signed(STANDARD, "msg_1", &big) {
        request = request.header(name, value);
    }
    assert_eq!(request.send().await.unwrap().status().as_u16(), 413);
}

#[tokio::test]
async fn a_secret_rotated_while_the_server_runs_takes_effect_at_once() {
    let old = WebhookSecret::parse(STANDARD).unwrap();
    let new = WebhookSecret::parse(ROTATED_IN).unwrap();
    let verifier = Verifier::from_secret(old.clone());
    // The server holds a clone; rotation goes through this one.
    let server = receiver(verifier.clone()).await;
    let body = BODY.as_bytes();
    let by_old = || signed(STANDARD, "msg_old", body);
    let by_new = || signed(ROTATED_IN, "msg_new", body);

    assert_eq!(
        post_delivery(&server.url, &by_old(), body.to_vec()).await.0,
        200
    );
    assert_eq!(
        post_delivery(&server.url, &by_new(), body.to_vec()).await.0,
        401
    );

    verifier.add_secret(new.clone());
    assert_eq!(
        post_delivery(&server.url, &by_old(), body.to_vec()).await.0,
        200
    );
    assert_eq!(
        post_delivery(&server.url, &by_new(), body.to_vec()).await.0,
        200
    );

    assert!(verifier.remove_secret(&old));
    assert_eq!(
        post_delivery(&server.url, &by_old(), body.to_vec()).await.0,
        401
    );
    assert_eq!(
        post_delivery(&server.url, &by_new(), body.to_vec()).await.0,
        200
    );

    // The last secret cannot be removed, nor the set emptied.
    assert!(!verifier.remove_secret(&new));
    assert!(verifier.replace_secrets(Vec::new()).is_err());
    assert_eq!(
        post_delivery(&server.url, &by_new(), body.to_vec()).await.0,
        200
    );
}
