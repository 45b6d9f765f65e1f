//! Webhook verification and decoding, as a receiver relies on them.
//!
//! The known answers are computed independently of this SDK: the Standard
//! Webhooks ones are that project's published test vectors, the legacy ones
//! were computed with Python's `hmac` (the command is beside each constant).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use quo_api_ext::testing::{Dataset, DemoConfig, DemoServer};
use quo_api_ext::webhooks::{
    Direction, EnvelopeFormat, Event, Scheme, Verifier, WebhookError, WebhookSecret,
    legacy_signature, sign, standard_signature,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Standard Webhooks' published vector (libraries/python/tests/test_webhooks.py,
/// `test_sign_function`).
const SW_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SW_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SW_TIMESTAMP: u64 = 1_614_265_330;
const SW_BODY: &str = r#"{"test": 2432232314}"#;
const SW_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

/// Standard Webhooks' Rust library vector (libraries/rust/src/lib.rs, `test_sign`).
const SW2_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const SW2_ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const SW2_TIMESTAMP: u64 = 1_649_367_553;
const SW2_BODY: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
const SW2_SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

/// A legacy signing secret (base64 of `Give-me-a-legacy-signing-secret`).
const LEGACY_SECRET: &str = "R2l2ZS1tZS1hLWxlZ2FjeS1zaWduaW5nLXNlY3JldA==";
/// The timestamp of Quo's documented `openphone-signature` example (ms).
const LEGACY_MS: u64 = 1_639_710_054_089;
/// Quo's `message.received` sample from its payload guide, compacted.
const LEGACY_BODY: &str = r#"{"id":"EVc67ec998b35c41d388af50799aeeba3e","object":"event","apiVersion":"v4","createdAt":"2022-01-23T16:55:52.557Z","type":"message.received","data":{"object":{"id":"AC24a8b8321c4f4cf2be110f4250793d51","object":"message","from":"+19876543210","to":["+15555555555"],"direction":"incoming","text":"Hello, world!","status":"delivered","createdAt":"2022-01-23T16:55:52.420Z","userId":"USu5AsEHuQ","phoneNumberId":"PNtoDbDhuz","contactIds":["6824dfb69aee85c132b7dg65"]}}}"#;
/// python3 -c 'import hmac,hashlib,base64; k=base64.b64decode(LEGACY_SECRET);
///   print(base64.b64encode(hmac.new(k, b"1639710054089." + LEGACY_BODY, hashlib.sha256).digest()))'
const LEGACY_SIGNATURE_MS: &str = "xXY2hAB56JDL/s3V4+xu/UsvkQXy+tNvpxpB/cklPVc=";
/// The same over `1639710054.` + LEGACY_BODY (a timestamp in seconds).
const LEGACY_SIGNATURE_SECONDS: &str = "0MaM+cnXqHCYNVEfeOnLJrBE0kWaiwDyxC3GCSIBujI=";

fn at_secs(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn at_ms(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

fn sw_headers(id: &str, timestamp: u64, signature: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".into(), id.into()),
        ("webhook-timestamp".into(), timestamp.to_string()),
        ("webhook-signature".into(), signature.into()),
    ]
}

fn legacy_header(value: &str) -> Vec<(String, String)> {
    vec![("openphone-signature".into(), value.into())]
}

fn legacy_verifier() -> Verifier {
    Verifier::new(LEGACY_SECRET).unwrap()
}

fn legacy_ms_headers() -> Vec<(String, String)> {
    legacy_header(&format!("hmac;1;{LEGACY_MS};{LEGACY_SIGNATURE_MS}"))
}

// ---------------------------------------------------------------- known answers

#[test]
fn standard_webhooks_published_vectors_sign_and_verify() {
    for (secret, id, timestamp, body, expected) in [
        (SW_SECRET, SW_ID, SW_TIMESTAMP, SW_BODY, SW_SIGNATURE),
        (SW2_SECRET, SW2_ID, SW2_TIMESTAMP, SW2_BODY, SW2_SIGNATURE),
    ] {
        let parsed = WebhookSecret::parse(secret).unwrap();
        assert_eq!(parsed.scheme(), Scheme::StandardWebhooks);
        assert_eq!(
            standard_signature(&parsed, id, timestamp, body.as_bytes()),
            expected
        );
        let signed = sign(&parsed, id, at_secs(timestamp), body.as_bytes());
        assert_eq!(signed.get("webhook-signature"), Some(expected));
        assert_eq!(signed.get("webhook-id"), Some(id));
        assert_eq!(
            signed.get("Webhook-Timestamp"),
            Some(timestamp.to_string().as_str())
        );

        let verified = Verifier::new(secret)
            .unwrap()
            .verify_signature_at(
                &sw_headers(id, timestamp, expected),
                body.as_bytes(),
                at_secs(timestamp),
            )
            .unwrap();
        assert_eq!(verified.scheme, Scheme::StandardWebhooks);
        assert_eq!(verified.delivery_id.as_deref(), Some(id));
        assert_eq!(verified.signed_at, at_secs(timestamp));
    }
    // The key may be given without its prefix when the scheme is explicit.
    let bare = WebhookSecret::standard(SW_SECRET.trim_start_matches("whsec_")).unwrap();
    assert_eq!(
        standard_signature(&bare, SW_ID, SW_TIMESTAMP, SW_BODY.as_bytes()),
        SW_SIGNATURE
    );
}

#[test]
fn legacy_known_answers_in_milliseconds_and_seconds() {
    let secret = WebhookSecret::parse(LEGACY_SECRET).unwrap();
    assert_eq!(secret.scheme(), Scheme::Legacy);
    let body = LEGACY_BODY.as_bytes();
    assert_eq!(
        legacy_signature(&secret, LEGACY_MS, body),
        format!("hmac;1;{LEGACY_MS};{LEGACY_SIGNATURE_MS}")
    );
    assert_eq!(
        legacy_signature(&secret, LEGACY_MS / 1000, body),
        format!("hmac;1;{};{LEGACY_SIGNATURE_SECONDS}", LEGACY_MS / 1000)
    );
    assert_eq!(
        sign(&secret, "unused", at_ms(LEGACY_MS), body).get("openphone-signature"),
        Some(format!("hmac;1;{LEGACY_MS};{LEGACY_SIGNATURE_MS}").as_str())
    );

    let verifier = legacy_verifier();
    let verified = verifier
        .verify_signature_at(&legacy_ms_headers(), body, at_ms(LEGACY_MS))
        .unwrap();
    assert_eq!(verified.scheme, Scheme::Legacy);
    assert_eq!(verified.delivery_id, None);
    assert_eq!(verified.signed_at, at_ms(LEGACY_MS));

    let seconds = legacy_header(&format!("hmac;1;1639710054;{LEGACY_SIGNATURE_SECONDS}"));
    let verified = verifier
        .verify_signature_at(&seconds, body, at_ms(LEGACY_MS))
        .unwrap();
    assert_eq!(verified.signed_at, at_secs(1_639_710_054));

    // And the verified delivery decodes to the guide's message.
    let Event::MessageReceived(message) = verifier
        .verify_at(&legacy_ms_headers(), body, at_ms(LEGACY_MS))
        .unwrap()
        .event
    else {
        panic!("not a message.received");
    };
    assert_eq!(
        message.id.as_deref(),
        Some("EVc67ec998b35c41d388af50799aeeba3e")
    );
    assert_eq!(message.resource.text.as_deref(), Some("Hello, world!"));
    assert_eq!(message.resource.from.as_deref(), Some("+19876543210"));
}

// ---------------------------------------------------------------- refusals

#[test]
fn a_tampered_body_is_refused() {
    let mut body = SW_BODY.as_bytes().to_vec();
    body[10] ^= 1;
    let error = Verifier::new(SW_SECRET)
        .unwrap()
        .verify_at(
            &sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE),
            &body,
            at_secs(SW_TIMESTAMP),
        )
        .unwrap_err();
    assert_eq!(
        error,
        WebhookError::NoMatchingSignature {
            scheme: Scheme::StandardWebhooks,
            signatures: 1
        }
    );
    assert!(!error.is_authentic());

    let mut body = LEGACY_BODY.as_bytes().to_vec();
    body.push(b'\n');
    assert!(matches!(
        legacy_verifier().verify_at(&legacy_ms_headers(), &body, at_ms(LEGACY_MS)),
        Err(WebhookError::NoMatchingSignature {
            scheme: Scheme::Legacy,
            signatures: 1
        })
    ));
}

#[test]
fn re_serialised_json_is_refused_because_the_raw_bytes_matter() {
    // Same JSON value, other bytes: what a framework that parses first sends on.
    for (verifier, headers, body, now) in [
        (
            Verifier::new(SW_SECRET).unwrap(),
            sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE),
            SW_BODY,
            at_secs(SW_TIMESTAMP),
        ),
        (
            legacy_verifier(),
            legacy_ms_headers(),
            LEGACY_BODY,
            at_ms(LEGACY_MS),
        ),
    ] {
        let value: Value = serde_json::from_str(body).unwrap();
        for reserialised in [
            serde_json::to_vec(&value).unwrap(),
            serde_json::to_vec_pretty(&value).unwrap(),
        ] {
            assert_ne!(reserialised, body.as_bytes());
            assert!(matches!(
                verifier.verify_at(&headers, &reserialised, now),
                Err(WebhookError::NoMatchingSignature { .. })
            ));
        }
        assert!(verifier.verify_at(&headers, body.as_bytes(), now).is_ok());
    }
}

#[test]
fn a_wrong_secret_is_refused() {
    let wrong = Verifier::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
    assert!(matches!(
        wrong.verify_at(
            &sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE),
            SW_BODY.as_bytes(),
            at_secs(SW_TIMESTAMP)
        ),
        Err(WebhookError::NoMatchingSignature { .. })
    ));
    let wrong = Verifier::new("d3Jvbmctc2VjcmV0").unwrap();
    assert!(matches!(
        wrong.verify_at(
            &legacy_ms_headers(),
            LEGACY_BODY.as_bytes(),
            at_ms(LEGACY_MS)
        ),
        Err(WebhookError::NoMatchingSignature { .. })
    ));
    // A Standard Webhooks key does not verify legacy deliveries, even made
    // with the same key bytes: the header it needs is not there.
    let same_bytes = Verifier::new(&format!("whsec_{LEGACY_SECRET}")).unwrap();
    assert_eq!(
        same_bytes
            .verify_at(
                &legacy_ms_headers(),
                LEGACY_BODY.as_bytes(),
                at_ms(LEGACY_MS)
            )
            .unwrap_err(),
        WebhookError::MissingHeader {
            name: "webhook-signature"
        }
    );
}

#[test]
fn a_stale_delivery_is_refused_with_its_age() {
    let verifier = Verifier::new(SW_SECRET).unwrap();
    let headers = sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE);
    let body = SW_BODY.as_bytes();
    // Exactly five minutes late is still in time; a second more is not.
    assert!(
        verifier
            .verify_signature_at(&headers, body, at_secs(SW_TIMESTAMP + 300))
            .is_ok()
    );
    let error = verifier
        .verify_signature_at(&headers, body, at_secs(SW_TIMESTAMP + 301))
        .unwrap_err();
    assert_eq!(
        error,
        WebhookError::Expired {
            age: Duration::from_secs(301),
            tolerance: Duration::from_secs(300)
        }
    );
    // Decided from the timestamp alone, before any MAC: not a sign of
    // authenticity, and a 400 rather than a 401.
    assert!(!error.is_authentic());
    assert_eq!(error.status(), 400);
    assert!(error.to_string().contains("301s ago"), "{error}");
    // The tolerance is configurable.
    let lenient = verifier.clone().tolerance(Duration::from_secs(3600));
    assert!(
        lenient
            .verify_signature_at(&headers, body, at_secs(SW_TIMESTAMP + 3000))
            .is_ok()
    );
    let strict = verifier.tolerance(Duration::from_secs(10));
    assert!(matches!(
        strict.verify_signature_at(&headers, body, at_secs(SW_TIMESTAMP + 11)),
        Err(WebhookError::Expired { .. })
    ));

    // Legacy milliseconds are compared as milliseconds.
    let late = legacy_verifier().verify_signature_at(
        &legacy_ms_headers(),
        LEGACY_BODY.as_bytes(),
        at_ms(LEGACY_MS + 300_001),
    );
    assert_eq!(
        late.unwrap_err(),
        WebhookError::Expired {
            age: Duration::from_millis(300_001),
            tolerance: Duration::from_secs(300)
        }
    );
}

#[test]
fn a_delivery_from_the_future_is_refused_with_how_far_ahead() {
    let verifier = Verifier::new(SW_SECRET).unwrap();
    let headers = sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE);
    assert!(
        verifier
            .verify_signature_at(&headers, SW_BODY.as_bytes(), at_secs(SW_TIMESTAMP - 300))
            .is_ok()
    );
    assert_eq!(
        verifier
            .verify_signature_at(&headers, SW_BODY.as_bytes(), at_secs(SW_TIMESTAMP - 400))
            .unwrap_err(),
        WebhookError::FromFuture {
            ahead: Duration::from_secs(400),
            tolerance: Duration::from_secs(300)
        }
    );
    assert!(matches!(
        legacy_verifier().verify_signature_at(
            &legacy_ms_headers(),
            LEGACY_BODY.as_bytes(),
            at_ms(LEGACY_MS - 600_000)
        ),
        Err(WebhookError::FromFuture { .. })
    ));
}

#[test]
fn malformed_and_missing_headers_are_refused_by_name() {
    let verifier = Verifier::new(SW_SECRET).unwrap();
    let body = SW_BODY.as_bytes();
    let now = at_secs(SW_TIMESTAMP);
    let ts = SW_TIMESTAMP.to_string();
    let cases: Vec<(Vec<(&str, &str)>, WebhookError)> = vec![
        (
            vec![],
            WebhookError::MissingHeader {
                name: "webhook-signature",
            },
        ),
        (
            vec![
                ("webhook-timestamp", ts.as_str()),
                ("webhook-signature", SW_SIGNATURE),
            ],
            WebhookError::MissingHeader { name: "webhook-id" },
        ),
        (
            vec![("webhook-id", SW_ID), ("webhook-signature", SW_SIGNATURE)],
            WebhookError::MissingHeader {
                name: "webhook-timestamp",
            },
        ),
    ];
    for (headers, expected) in cases {
        assert_eq!(
            verifier.verify_at(&headers, body, now).unwrap_err(),
            expected
        );
    }
    for (id, timestamp, signature, name) in [
        (
            SW_ID,
            "16142653300000000000000",
            SW_SIGNATURE,
            "webhook-timestamp",
        ),
        (SW_ID, "1614265330.5", SW_SIGNATURE, "webhook-timestamp"),
        (SW_ID, "", SW_SIGNATURE, "webhook-timestamp"),
        ("", ts.as_str(), SW_SIGNATURE, "webhook-id"),
        (
            SW_ID,
            ts.as_str(),
            "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "webhook-signature",
        ),
        (SW_ID, ts.as_str(), "v1,", "webhook-signature"),
        (
            SW_ID,
            ts.as_str(),
            "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "webhook-signature",
        ),
    ] {
        let headers = [
            ("webhook-id", id),
            ("webhook-timestamp", timestamp),
            ("webhook-signature", signature),
        ];
        match verifier.verify_at(&headers, body, now) {
            Err(WebhookError::MalformedHeader { name: got, .. }) => assert_eq!(got, name),
            other => panic!("{headers:?}: {other:?}"),
        }
    }
    // A header value that is not text (obs-text bytes through an http::HeaderMap).
    let mut map = http::HeaderMap::new();
    map.insert(
        "webhook-id",
        http::HeaderValue::from_bytes(b"msg_\xff").unwrap(),
    );
    map.insert("webhook-timestamp", ts.parse().unwrap());
    map.insert("webhook-signature", SW_SIGNATURE.parse().unwrap());
    assert!(matches!(
        verifier.verify_at(&map, body, now),
        Err(WebhookError::MalformedHeader {
            name: "webhook-id",
            ..
        })
    ));

    let legacy = legacy_verifier();
    for value in [
        "hmac;1;1639710054089",
        "hmac;1;yesterday;xXY2hAB56JDL/s3V4+xu/UsvkQXy+tNvpxpB/cklPVc=",
        "hmac;1;1639710054089;not*base64",
        "",
        ";;;",
    ] {
        assert!(
            matches!(
                legacy.verify_at(
                    &legacy_header(value),
                    LEGACY_BODY.as_bytes(),
                    at_ms(LEGACY_MS)
                ),
                Err(WebhookError::MalformedHeader {
                    name: "openphone-signature",
                    ..
                })
            ),
            "{value:?}"
        );
    }
}

#[test]
fn any_one_of_several_signatures_is_enough() {
    let verifier = Verifier::new(SW_SECRET).unwrap();
    let several = format!(
        "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,!!! {SW_SIGNATURE}"
    );
    assert!(
        verifier
            .verify_at(
                &sw_headers(SW_ID, SW_TIMESTAMP, &several),
                SW_BODY.as_bytes(),
                at_secs(SW_TIMESTAMP)
            )
            .is_ok()
    );
    // Also when the entries come as separate header lines.
    let mut split = sw_headers(SW_ID, SW_TIMESTAMP, "v1,AAAA");
    split.push(("webhook-signature".into(), SW_SIGNATURE.into()));
    assert!(
        verifier
            .verify_signature_at(&split, SW_BODY.as_bytes(), at_secs(SW_TIMESTAMP))
            .is_ok()
    );

    let legacy = legacy_header(&format!(
        "hmac;1;{LEGACY_MS};AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,hmac;1;{LEGACY_MS};{LEGACY_SIGNATURE_MS}"
    ));
    assert!(
        legacy_verifier()
            .verify_signature_at(&legacy, LEGACY_BODY.as_bytes(), at_ms(LEGACY_MS))
            .is_ok()
    );
    // None valid: refused, counting what was checked.
    let none = sw_headers(
        SW_ID,
        SW_TIMESTAMP,
        "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=",
    );
    assert_eq!(
        verifier
            .verify_signature_at(&none, SW_BODY.as_bytes(), at_secs(SW_TIMESTAMP))
            .unwrap_err(),
        WebhookError::NoMatchingSignature {
            scheme: Scheme::StandardWebhooks,
            signatures: 2
        }
    );
}

#[test]
fn a_rotated_secret_verifies_beside_the_new_one_until_dropped() {
    let old = WebhookSecret::parse(SW2_SECRET).unwrap();
    let new = WebhookSecret::parse(SW_SECRET).unwrap();
    let body = SW_BODY.as_bytes();
    let now = at_secs(SW_TIMESTAMP);
    let signed_old = sign(&old, SW_ID, now, body);
    let signed_new = sign(&new, SW_ID, now, body);

    let rotating = Verifier::from_secrets([new.clone(), old.clone()]).unwrap();
    assert!(rotating.verify_signature_at(&signed_old, body, now).is_ok());
    assert!(rotating.verify_signature_at(&signed_new, body, now).is_ok());

    // Quo signing with both keys at once: either verifier accepts.
    let both = format!(
        "{} {}",
        signed_old.get("webhook-signature").unwrap(),
        signed_new.get("webhook-signature").unwrap()
    );
    let headers = sw_headers(SW_ID, SW_TIMESTAMP, &both);
    assert!(
        Verifier::from_secret(new.clone())
            .verify_signature_at(&headers, body, now)
            .is_ok()
    );
    assert!(
        Verifier::from_secret(old.clone())
            .verify_signature_at(&headers, body, now)
            .is_ok()
    );

    // Once the old secret is dropped, what it signed is refused.
    assert!(matches!(
        Verifier::from_secret(new).verify_signature_at(&signed_old, body, now),
        Err(WebhookError::NoMatchingSignature { .. })
    ));
    assert!(matches!(
        Verifier::from_secrets(Vec::new()),
        Err(WebhookError::BadSecret { .. })
    ));
}

#[test]
fn one_verifier_serves_both_schemes_and_header_names_in_any_case() {
    let standard = WebhookSecret::parse(SW_SECRET).unwrap();
    let legacy = WebhookSecret::parse(LEGACY_SECRET).unwrap();
    let verifier = Verifier::from_secret(standard).with_secret(legacy);
    let shouting: Vec<(String, String)> = sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE)
        .into_iter()
        .map(|(name, value)| (name.to_uppercase(), value))
        .collect();
    assert_eq!(
        verifier
            .verify_signature_at(&shouting, SW_BODY.as_bytes(), at_secs(SW_TIMESTAMP))
            .unwrap()
            .scheme,
        Scheme::StandardWebhooks
    );
    let mut map = http::HeaderMap::new();
    map.insert(
        "OpenPhone-Signature",
        legacy_ms_headers()[0].1.parse().unwrap(),
    );
    assert_eq!(
        verifier
            .verify_signature_at(&map, LEGACY_BODY.as_bytes(), at_ms(LEGACY_MS))
            .unwrap()
            .scheme,
        Scheme::Legacy
    );
    // Neither scheme's header: the newer scheme's is named as missing.
    assert_eq!(
        verifier
            .verify_at(
                &[("content-type", "application/json")],
                b"{}",
                at_ms(LEGACY_MS)
            )
            .unwrap_err(),
        WebhookError::MissingHeader {
            name: "webhook-signature"
        }
    );
}

#[test]
fn signed_headers_verify_as_a_header_map_and_as_pairs() {
    let secret = WebhookSecret::parse(SW_SECRET).unwrap();
    let now = SystemTime::now();
    let body = LEGACY_BODY.as_bytes();
    let signed = sign(&secret, "msg_x", now, body);
    let verifier = Verifier::from_secret(secret);
    assert!(verifier.verify(&signed, body).is_ok());
    assert!(verifier.verify(&signed.to_header_map(), body).is_ok());
    let pairs = signed.clone().into_vec();
    assert_eq!(pairs.len(), 3);
    assert!(verifier.verify(&pairs, body).is_ok());
    assert!(verifier.verify(pairs.as_slice(), body).is_ok());
}

// ---------------------------------------------------------------- secrecy

#[test]
fn secrets_never_appear_in_debug_errors_or_traces() {
    let captured = crate::support::capture_traces();
    let secret_texts = [SW_SECRET, LEGACY_SECRET];
    let key_fragments = ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "R2l2ZS1tZS1hLWxlZ2Fje"];

    let verifier = Verifier::new(SW_SECRET)
        .unwrap()
        .with_secret(WebhookSecret::parse(LEGACY_SECRET).unwrap());
    let mut shown = vec![format!("{verifier:?}"), format!("{verifier:#?}")];
    for error in [
        verifier
            .verify_at(
                &sw_headers(SW_ID, SW_TIMESTAMP, "v1,AAAA"),
                SW_BODY.as_bytes(),
                at_secs(SW_TIMESTAMP),
            )
            .unwrap_err(),
        verifier
            .verify_at(&legacy_header("hmac;1;1;AAAA"), b"{}", at_secs(1))
            .unwrap_err(),
        WebhookSecret::parse(&format!("whsec_{}!", &SW_SECRET[6..])).unwrap_err(),
        WebhookSecret::parse("R2l2ZS1tZS1hLWxlZ2FjeS1zaWduaW5nLXNlY3JldA=*").unwrap_err(),
    ] {
        shown.push(format!("{error} {error:?}"));
    }
    let traces = captured.text();
    assert!(
        traces.contains("webhook signature refused"),
        "the refusals should have been traced: {traces}"
    );
    shown.push(traces);
    for text in &shown {
        for secret in secret_texts.iter().chain(&key_fragments) {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
}

// ---------------------------------------------------------------- events

fn v1(event_type: &str, object: Value) -> Value {
    json!({"id": "EV1", "object": "event", "apiVersion": "v4",
           "createdAt": "2022-06-24T19:35:46.825Z", "type": event_type,
           "data": {"object": object}})
}

fn newer(event_type: &str, resource: Value) -> Value {
    json!({"id": "EV2", "apiVersion": "2026-03-30", "createdAt": "2026-04-13T12:00:00.000Z",
           "type": event_type,
           "data": {"resource": resource,
                    "context": {"contacts": {"ids": ["C1"], "lookupStatus": "matched"}},
                    "links": {"quo": "https://my.quo.com/x"}}})
}

/// Quo's documented resource for each type (from its payload guide; the
/// guide shows a call for every call event and a contact for contact events).
fn documented_resource(event_type: &str) -> Value {
    let call = json!({
        "id": "ACsXlF0", "object": "call", "answeredAt": "2022-01-01T00:00:00Z",
        "answeredBy": "USlHhXmRMz", "initiatedBy": "USlHhXmRMz", "direction": "outgoing",
        "status": "ringing", "completedAt": "2022-01-01T00:10:00Z",
        "createdAt": "2022-01-01T00:00:00Z", "duration": 60, "forwardedFrom": "UShYmRNzlm",
        "forwardedTo": "UShXmRMzln", "phoneNumberId": "PN1ZmRMzlx",
        "participants": ["+15555555555"], "updatedAt": "2022-01-01T00:00:00Z",
        "userId": "USlHhXmRMz", "contactIds": ["6824dfb69aee85c132b7dg65"]});
    match event_type {
        t if t.starts_with("message.") => json!({
            "id": "AC24a8b8321c4f4cf2be110f4250793d51", "object": "message",
            "from": "+19876543210", "to": ["+15555555555"], "direction": "incoming",
            "text": "Hello, world!", "status": "delivered",
            "createdAt": "2022-01-23T16:55:52.420Z", "userId": "USu5AsEHuQ",
            "phoneNumberId": "PNtoDbDhuz", "contactIds": ["6824dfb69aee85c132b7dg65"]}),
        "call.summary.completed" => json!({
            "callId": "AC16558bc5f73445598a2627f5a94fe014", "object": "callSummary",
            "status": "completed", "summary": ["You talked about the weather."],
            "nextSteps": ["Bring an umbrella."], "contactIds": ["6824dfb69aee85c132b7dg65"]}),
        "call.transcript.completed" => json!({
            "callId": "AC16558bc5f73445598a2627f5a94fe014", "object": "callTranscript",
            "createdAt": "2022-06-24T19:34:50.279Z",
            "dialogue": [{"content": "Hello, world!", "start": 5.123456, "end": 10.123456,
                          "identifier": "+19876543210", "userId": "USlHhXmRMz"}],
            "duration": 5, "status": "completed", "contactIds": ["6824dfb69aee85c132b7dg65"]}),
        t if t.starts_with("contact.") => json!({
            "id": "66d0d87e8dc1211467372303", "externalId": "cust_1", "source": "public-api",
            "defaultFields": {"firstName": "Ada", "lastName": "Lovelace", "company": "Engines",
                              "role": "Analyst", "phoneNumbers": [], "emails": []},
            "customFields": [], "createdAt": "2024-01-01T00:00:00.000Z",
            "updatedAt": "2024-02-01T00:00:00.000Z"}),
        _ => call,
    }
}

/// Checks the typed fields of a decoded documented resource.
fn assert_documented_fields(event: &Event) {
    let t = event.event_type();
    match event {
        Event::MessageReceived(e) | Event::MessageDelivered(e) | Event::MessageFailed(e) => {
            let m = &e.resource;
            assert_eq!(m.from.as_deref(), Some("+19876543210"));
            assert_eq!(m.to, ["+15555555555"]);
            assert_eq!(m.direction, Some(Direction::Incoming));
            assert_eq!(m.text.as_deref(), Some("Hello, world!"));
            assert_eq!(m.contact_ids, ["6824dfb69aee85c132b7dg65"]);
            assert_eq!(
                m.created_at.unwrap().to_rfc3339(),
                "2022-01-23T16:55:52.420+00:00"
            );
        }
        Event::CallRinging(e)
        | Event::CallAnswered(e)
        | Event::CallCompleted(e)
        | Event::CallForwarded(e)
        | Event::CallMissed(e)
        | Event::CallRecordingCompleted(e)
        | Event::CallVoicemailCompleted(e) => {
            let c = &e.resource;
            assert_eq!(c.id.as_deref(), Some("ACsXlF0"), "{t}");
            assert_eq!(c.duration, Some(60));
            assert_eq!(c.direction, Some(Direction::Outgoing));
            assert_eq!(c.participants, ["+15555555555"]);
            assert_eq!(c.answered_by.as_deref(), Some("USlHhXmRMz"));
            assert_eq!(c.forwarded_to.as_deref(), Some("UShXmRMzln"));
            assert!(c.completed_at > c.answered_at);
        }
        Event::CallSummaryCompleted(e) => {
            assert_eq!(e.resource.summary, ["You talked about the weather."]);
            assert_eq!(e.resource.next_steps, ["Bring an umbrella."]);
            assert_eq!(
                e.resource.call_id.as_deref(),
                Some("AC16558bc5f73445598a2627f5a94fe014")
            );
        }
        Event::CallTranscriptCompleted(e) => {
            let line = &e.resource.dialogue[0];
            assert_eq!(line.content.as_deref(), Some("Hello, world!"));
            assert_eq!((line.start, line.end), (Some(5.123456), Some(10.123456)));
            assert_eq!(line.user_id.as_deref(), Some("USlHhXmRMz"));
            assert_eq!(e.resource.duration, Some(5.0));
        }
        Event::ContactUpdated(e) | Event::ContactDeleted(e) => {
            let c = &e.resource;
            assert_eq!(c.id.as_deref(), Some("66d0d87e8dc1211467372303"));
            assert_eq!(
                (c.first_name.as_deref(), c.last_name.as_deref()),
                (Some("Ada"), Some("Lovelace"))
            );
            assert_eq!(c.external_id.as_deref(), Some("cust_1"));
        }
        other => panic!("{t} decoded as {other:?}"),
    }
}

#[test]
fn every_documented_event_type_decodes_in_both_envelopes() {
    let documented = [
        "message.received",
        "message.delivered",
        "message.failed",
        "call.ringing",
        "call.answered",
        "call.completed",
        "call.forwarded",
        "call.missed",
        "call.recording.completed",
        "call.summary.completed",
        "call.transcript.completed",
        "call.voicemail.completed",
        "contact.updated",
        "contact.deleted",
    ];
    assert_eq!(Event::KNOWN_TYPES, documented);
    for event_type in documented {
        let old = Event::from_value(v1(event_type, documented_resource(event_type)));
        assert_eq!(old.event_type(), event_type);
        assert_eq!(old.unknown_reason(), None);
        assert_documented_fields(&old);
        assert_eq!(old.id(), Some("EV1"));

        let value = newer(event_type, documented_resource(event_type));
        let new = Event::from_value(value.clone());
        assert_documented_fields(&new);
        assert_eq!(new.raw(), &value);
        assert_eq!(
            new.created_at().unwrap().to_rfc3339(),
            "2026-04-13T12:00:00+00:00"
        );
    }
    // The envelope's own fields, in each format.
    let Event::CallCompleted(old) =
        Event::from_value(v1("call.completed", documented_resource("call.completed")))
    else {
        panic!()
    };
    assert_eq!(old.format, EnvelopeFormat::Object);
    assert_eq!(old.api_version.as_deref(), Some("v4"));
    assert_eq!(old.resource_raw().unwrap()["object"], "call");
    assert_eq!(old.quo_link(), None);
    let Event::ContactDeleted(new) = Event::from_value(newer(
        "contact.deleted",
        documented_resource("contact.deleted"),
    )) else {
        panic!()
    };
    assert_eq!(new.format, EnvelopeFormat::Resource);
    assert_eq!(new.api_version.as_deref(), Some("2026-03-30"));
    assert_eq!(new.quo_link(), Some("https://my.quo.com/x"));
    assert_eq!(
        new.context.as_ref().unwrap()["contacts"]["lookupStatus"],
        "matched"
    );
    assert_eq!(new.resource_raw().unwrap()["customFields"], json!([]));
}

#[test]
fn the_guides_older_type_names_for_summaries_and_transcripts_decode() {
    // Quo's payload guide shows `callSummary` and `callTranscript` as types.
    let summary = Event::from_value(v1(
        "callSummary",
        documented_resource("call.summary.completed"),
    ));
    assert!(
        matches!(summary, Event::CallSummaryCompleted(_)),
        "{summary:?}"
    );
    assert_eq!(summary.event_type(), "callSummary");
    let transcript = Event::from_value(v1(
        "callTranscript",
        documented_resource("call.transcript.completed"),
    ));
    assert!(
        matches!(transcript, Event::CallTranscriptCompleted(_)),
        "{transcript:?}"
    );
}

#[test]
fn in_the_wild_shapes_decode() {
    let message = Event::from_value(json!({
        "id": "EVold", "object": "event", "apiVersion": "v2", "createdAt": "2021-04-01T10:00:00.000Z",
        "type": "message.received",
        "data": {"object": {"id": "AC1", "object": "message", "from": "+15555550001",
                 "to": "+15555550002", "body": "Old style", "direction": "incoming",
                 "media": ["https://media.example/1.jpg", {"url": "https://media.example/2.png", "type": "image/png"}],
                 "status": "received", "createdAt": "2021-04-01T10:00:00.000Z",
                 "contactIds": null, "conversationId": "CN1"}}}));
    let Event::MessageReceived(message) = message else {
        panic!("{message:?}")
    };
    assert_eq!(message.api_version.as_deref(), Some("v2"));
    let m = &message.resource;
    assert_eq!(m.text.as_deref(), Some("Old style"));
    assert_eq!(m.to, ["+15555550002"]);
    assert!(m.contact_ids.is_empty());
    assert_eq!(m.media.len(), 2);
    assert_eq!(
        m.media[0].url.as_deref(),
        Some("https://media.example/1.jpg")
    );
    assert_eq!(m.media[1].media_type.as_deref(), Some("image/png"));

    let call = Event::from_value(json!({
        "id": "EVv3", "object": "event", "apiVersion": "v3", "createdAt": "2023-01-01T00:00:00Z",
        "type": "call.completed",
        "data": {"object": {"id": "AC2", "object": "call", "direction": "inbound",
                 "status": "completed", "duration": "42", "participants": "+15555550003",
                 "voicemail": {"url": "https://media.example/vm.mp3", "duration": 12},
                 "media": [{"url": "https://media.example/rec.mp3", "type": "audio/mpeg", "duration": 42}],
                 "answeredAt": null, "completedAt": "2023-01-01T00:01:00Z"}}}));
    let Event::CallCompleted(call) = call else {
        panic!("{call:?}")
    };
    let c = &call.resource;
    assert_eq!(c.direction, Some(Direction::Incoming));
    assert_eq!(c.duration, Some(42));
    assert_eq!(c.participants, ["+15555550003"]);
    assert_eq!(c.voicemail.as_ref().unwrap().duration, Some(12.0));
    assert_eq!(
        c.media[0].url.as_deref(),
        Some("https://media.example/rec.mp3")
    );
    assert_eq!(c.answered_at, None);

    // A message with `text` and `body` both keeps `text`.
    let both = Event::from_value(v1(
        "message.delivered",
        json!({"text": "new", "body": "old"}),
    ));
    let Event::MessageDelivered(both) = both else {
        panic!()
    };
    assert_eq!(both.resource.text.as_deref(), Some("new"));
}

#[test]
fn an_unknown_event_type_is_kept_whole() {
    let value = json!({"id": "EV9", "object": "event", "apiVersion": "v9",
                       "createdAt": "2030-01-01T00:00:00Z", "type": "message.reaction.added",
                       "data": {"object": {"emoji": "👍", "nested": {"deep": [1, 2, {"x": null}]}}}});
    let event = Event::from_value(value.clone());
    let Event::Unknown {
        event_type,
        raw,
        reason,
    } = &event
    else {
        panic!("{event:?}")
    };
    assert_eq!(event_type, "message.reaction.added");
    assert_eq!(raw, &value);
    assert_eq!(reason, &None);
    assert_eq!(event.id(), Some("EV9"));
    assert_eq!(
        event.created_at().unwrap().to_rfc3339(),
        "2030-01-01T00:00:00+00:00"
    );
    assert_eq!(event.into_raw(), value);
}

#[test]
fn an_event_that_does_not_fit_its_type_still_verifies_as_unknown_with_the_reason() {
    let secret = WebhookSecret::parse(SW_SECRET).unwrap();
    let verifier = Verifier::from_secret(secret.clone());
    for (body, in_reason) in [
        (
            v1("call.completed", json!({"id": "AC1", "duration": "soon"})),
            "data.object.duration",
        ),
        (
            v1("message.received", json!({"to": [1, 2]})),
            "data.object.to",
        ),
        (
            json!({"type": "call.missed", "data": {}}),
            "neither `object` nor `resource`",
        ),
        (json!({"type": "call.missed"}), "data"),
        (
            json!({"type": "contact.updated", "createdAt": "yesterday", "data": {"object": {}}}),
            "createdAt",
        ),
        (json!({"no": "type"}), "no `type`"),
        (json!([1, 2, 3]), "no `type`"),
    ] {
        let bytes = serde_json::to_vec(&body).unwrap();
        let headers = sign(&secret, "msg_1", SystemTime::now(), &bytes);
        let event = verifier.verify(&headers, &bytes).unwrap().event;
        let Event::Unknown { raw, reason, .. } = &event else {
            panic!("{event:?}")
        };
        assert_eq!(raw, &body);
        let reason = reason.as_deref().unwrap();
        assert!(
            reason.contains(in_reason),
            "{reason:?} should name {in_reason:?}"
        );
    }
}

#[test]
fn a_body_that_is_not_json_is_authentic_but_not_an_event() {
    let secret = WebhookSecret::parse(LEGACY_SECRET).unwrap();
    let verifier = Verifier::from_secret(secret.clone());
    let body = b"not json at all";
    let headers = sign(&secret, "", SystemTime::now(), body);
    let error = verifier.verify(&headers, body).unwrap_err();
    assert!(
        matches!(error, WebhookError::InvalidJson { .. }),
        "{error:?}"
    );
    assert!(error.is_authentic());
    assert!(verifier.verify_signature(&headers, body).is_ok());
}

// ---------------------------------------------------------------- demo delivery

/// Accepts one HTTP/1.1 request on `listener`, answers it `status`, and
/// returns its headers and body (a minimal reader, enough for one delivery).
async fn receive_one(
    listener: &TcpListener,
    verifier: &Verifier,
) -> (Vec<(String, String)>, Vec<u8>, Result<Event, WebhookError>) {
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before the request ended");
        data.extend_from_slice(&chunk[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>().unwrap())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while data.len() < head_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0);
        data.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8(data[..head_end].to_vec()).unwrap();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect();
    let body = data[head_end..head_end + length].to_vec();
    let outcome = verifier
        .verify(&headers, &body)
        .map(|delivery| delivery.event);
    let status = if outcome.is_ok() {
        "200 OK"
    } else {
        "401 Unauthorized"
    };
    stream
        .write_all(
            format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
    (headers, body, outcome)
}

#[tokio::test]
async fn the_demo_server_delivers_signed_events_a_verifier_accepts() {
    let server = DemoServer::start(DemoConfig::new(Dataset::generate(10, 3)))
        .await
        .unwrap();
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let standard = WebhookSecret::parse(SW_SECRET).unwrap();
    let legacy = WebhookSecret::parse(LEGACY_SECRET).unwrap();
    let verifier = Verifier::from_secret(standard.clone()).with_secret(legacy.clone());

    for (secret, event_type, format) in [
        (&standard, "message.received", EnvelopeFormat::Resource),
        (&legacy, "call.transcript.completed", EnvelopeFormat::Object),
    ] {
        let (sent, received) = tokio::join!(
            server.deliver_webhook(&url, secret, event_type),
            receive_one(&listener, &verifier)
        );
        let sent = sent.unwrap();
        let (headers, body, outcome) = received;
        assert_eq!(sent.status, 200);
        assert_eq!(body, sent.body, "the body arrives byte for byte");
        for (name, value) in sent.headers.iter() {
            assert!(
                headers
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case(name) && v == value),
                "{name}"
            );
        }
        let event = outcome.unwrap();
        assert_eq!(event.event_type(), event_type);
        assert_eq!(event.unknown_reason(), None);
        match (&event, format) {
            (Event::MessageReceived(e), EnvelopeFormat::Resource) => {
                assert_eq!(e.format, format);
                let contact_ids = &e.resource.contact_ids;
                assert!(
                    server.dataset().position(&contact_ids[0]).is_some(),
                    "about a demo contact"
                );
            }
            (Event::CallTranscriptCompleted(e), EnvelopeFormat::Object) => {
                assert_eq!(e.format, format);
                assert!(!e.resource.dialogue.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    // A receiver holding another secret answers 401, and the status comes back.
    let stranger = Verifier::new(SW2_SECRET).unwrap();
    let (sent, (_, _, outcome)) = tokio::join!(
        server.deliver_webhook(&url, &standard, "call.missed"),
        receive_one(&listener, &stranger)
    );
    assert_eq!(sent.unwrap().status, 401);
    assert!(matches!(
        outcome,
        Err(WebhookError::NoMatchingSignature { .. })
    ));

    // Only loopback receivers, only known event types.
    for (url, event_type) in [
        ("http://192.0.2.1/hook", "call.missed"),
        ("https://127.0.0.1/hook", "call.missed"),
        (url.as_str(), "call.exploded"),
    ] {
        let error = server
            .deliver_webhook(url, &standard, event_type)
            .await
            .unwrap_err();
        assert!(
            matches!(error, quo_api_ext::Error::InvalidInput { .. }),
            "{error}"
        );
    }
    server.shutdown().await;
}

// ---------------------------------------------------------------- properties

/// Header names a verifier reads, in random case, and a few others.
fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("webhook-id"),
        Just("webhook-timestamp"),
        Just("webhook-signature"),
        Just("openphone-signature"),
        Just("content-type"),
    ]
    .prop_flat_map(|name| {
        proptest::collection::vec(any::<bool>(), name.len()).prop_map(move |upper| {
            name.chars()
                .zip(upper)
                .map(|(c, u)| if u { c.to_ascii_uppercase() } else { c })
                .collect()
        })
    })
}

/// Header values: raw bytes, or text shaped like the real thing.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        "(v1|v1a|v2|hmac;1;[0-9]{0,20}|hmac)[,;][A-Za-z0-9+/=]{0,60}( v1,[A-Za-z0-9+/=]{0,50})?"
            .prop_map(String::into_bytes),
        "[0-9]{0,25}".prop_map(String::into_bytes),
        "hmac;1;[0-9]{10,13};[A-Za-z0-9+/]{43}=(,hmac;[0-9];[0-9]*;[A-Za-z0-9+/=]*)*"
            .prop_map(String::into_bytes),
    ]
}

fn both_schemes() -> Verifier {
    Verifier::new(SW_SECRET)
        .unwrap()
        .with_secret(WebhookSecret::parse(LEGACY_SECRET).unwrap())
}

/// JSON values shaped like events of a known type, with random insides.
fn event_like() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?Z"
            .prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("to".to_owned()),
                    Just("text".to_owned()),
                    Just("body".to_owned()),
                    Just("media".to_owned()),
                    Just("duration".to_owned()),
                    Just("createdAt".to_owned()),
                    Just("dialogue".to_owned()),
                    Just("participants".to_owned()),
                    Just("defaultFields".to_owned()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    (
        proptest::sample::select(Event::KNOWN_TYPES),
        any::<bool>(),
        value,
    )
        .prop_map(|(event_type, newer_format, inside)| {
            if newer_format {
                json!({"type": event_type, "data": {"resource": inside, "context": inside}})
            } else {
                json!({"type": event_type, "id": "EV", "data": {"object": inside}})
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary headers and bodies never panic and never verify: without
    /// the key there is no valid signature to be found.
    #[test]
    fn arbitrary_headers_never_panic_and_never_verify(
        headers in proptest::collection::vec((header_name(), header_value()), 0..6),
        body in proptest::collection::vec(any::<u8>(), 0..256),
        now in 0u64..4_000_000_000_000,
    ) {
        let result = both_schemes().verify_at(&headers, &body, at_ms(now));
        prop_assert!(result.is_err(), "{result:?}");
        prop_assert!(!result.unwrap_err().is_authentic());
    }

    /// Any body signed with either scheme verifies (as an event when it is
    /// JSON), and changing any one byte of it is refused.
    #[test]
    fn any_signed_body_verifies_and_any_changed_byte_is_refused(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        legacy in any::<bool>(),
        seconds in 1_600_000_000u64..2_000_000_000,
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let secret = WebhookSecret::parse(if legacy { LEGACY_SECRET } else { SW_SECRET }).unwrap();
        let verifier = both_schemes();
        let at = at_secs(seconds);
        let headers = sign(&secret, "msg_prop", at, &body);
        prop_assert!(verifier.verify_signature_at(&headers, &body, at).is_ok());
        match verifier.verify_at(&headers, &body, at) {
            Ok(_) => prop_assert!(serde_json::from_slice::<Value>(&body).is_ok()),
            Err(WebhookError::InvalidJson { .. }) => {
                prop_assert!(serde_json::from_slice::<Value>(&body).is_err())
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
        if !body.is_empty() {
            let mut changed = body.clone();
            changed[flip.index(body.len())] ^= 1 << bit;
            let refused = verifier.verify_signature_at(&headers, &changed, at);
            let is_no_match = matches!(refused, Err(WebhookError::NoMatchingSignature { .. }));
            prop_assert!(is_no_match, "{:?}", refused);
        }
    }

    /// Decoding never panics, keeps the delivery whole, and an event of a
    /// known type is either that type or `Unknown` with a reason.
    #[test]
    fn decoding_never_panics_and_keeps_the_delivery_whole(value in event_like()) {
        let event = Event::from_value(value.clone());
        prop_assert_eq!(event.raw(), &value);
        let event_type = value["type"].as_str().unwrap();
        prop_assert_eq!(event.event_type(), event_type);
        if let Event::Unknown { reason, .. } = &event {
            prop_assert!(reason.is_some(), "a known type without a reason");
        }
        let bytes = serde_json::to_vec(&value).unwrap();
        prop_assert_eq!(Event::from_slice(&bytes).unwrap(), event);
    }
}

// ---------------------------------------------------------------- bounded work

/// Refusing a header of 30,000 signature entries over a 1 MiB body takes
/// no more than a few MACs would: far under 50 ms, where checking each
/// entry would cost seconds.
#[tokio::test]
async fn a_header_of_thirty_thousand_entries_over_a_mebibyte_is_refused_at_once() {
    let _timed = crate::support::timed().await;
    let body = vec![b'x'; 1 << 20];
    let now = SystemTime::now();
    let ms = now.duration_since(UNIX_EPOCH).unwrap().as_millis();
    let fake = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let legacy = legacy_header(&vec![format!("hmac;1;{ms};{fake}"); 30_000].join(","));
    let standard = sw_headers(
        SW_ID,
        now.duration_since(UNIX_EPOCH).unwrap().as_secs(),
        &vec![format!("v1,{fake}"); 30_000].join(" "),
    );
    for (verifier, headers, name) in [
        (legacy_verifier(), legacy, "openphone-signature"),
        (
            Verifier::new(SW_SECRET).unwrap(),
            standard,
            "webhook-signature",
        ),
    ] {
        let started = std::time::Instant::now();
        let error = verifier.verify_at(&headers, &body, now).unwrap_err();
        let took = started.elapsed();
        eprintln!("{name}: 30,000 entries over 1 MiB refused in {took:?}");
        match &error {
            WebhookError::MalformedHeader { name: got, reason } => {
                assert_eq!(*got, name);
                assert!(reason.contains("more than 8 signatures"), "{reason}");
            }
            other => panic!("{name}: {other:?}"),
        }
        assert!(took < Duration::from_millis(50), "{name}: {took:?}");
    }
}

#[test]
fn repeated_entries_count_once_and_eight_is_the_most_considered() {
    let secret = WebhookSecret::parse(LEGACY_SECRET).unwrap();
    let verifier = Verifier::from_secret(secret.clone());
    let now = SystemTime::now();
    let ms = u64::try_from(now.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap();
    let body = b"{}";
    let good = legacy_signature(&secret, ms, body);
    let fake = format!("hmac;1;{ms};AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    // The good one as the eighth entry, after seven copies of one fake.
    let eight = format!("{},{good}", [fake.as_str(); 7].join(","));
    assert!(
        verifier
            .verify_at(&legacy_header(&eight), body, now)
            .is_ok()
    );
    // As the ninth, it is never looked at.
    let nine = format!("{},{good}", [fake.as_str(); 8].join(","));
    assert!(matches!(
        verifier.verify_at(&legacy_header(&nine), body, now),
        Err(WebhookError::MalformedHeader { .. })
    ));
    // Seven copies of one wrong signature are one signature checked.
    let copies = [fake.as_str(); 7].join(",");
    assert_eq!(
        verifier
            .verify_at(&legacy_header(&copies), body, now)
            .unwrap_err(),
        WebhookError::NoMatchingSignature {
            scheme: Scheme::Legacy,
            signatures: 1
        }
    );
}

// ---------------------------------------------------------------- one spelling

/// The other spellings of a valid signature: padding dropped, and the
/// unused low bits of the last symbol set.
fn other_spellings(signature: &str) -> [String; 2] {
    let unpadded = signature.trim_end_matches('=').to_owned();
    let mut stray = unpadded.clone();
    let last = stray.pop().unwrap();
    // 32 bytes end in 2 unused bits; flipping the lowest keeps the value.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let index = alphabet.find(last).unwrap();
    stray.push(alphabet.as_bytes()[index ^ 1] as char);
    stray.push('=');
    [unpadded, stray]
}

#[test]
fn a_valid_signature_in_non_canonical_base64_is_refused_for_both_schemes() {
    // Standard Webhooks: the published vector, respelled.
    let verifier = Verifier::new(SW_SECRET).unwrap();
    let now = at_secs(SW_TIMESTAMP);
    let canonical = SW_SIGNATURE.strip_prefix("v1,").unwrap();
    assert!(
        verifier
            .verify_signature_at(
                &sw_headers(SW_ID, SW_TIMESTAMP, SW_SIGNATURE),
                SW_BODY.as_bytes(),
                now
            )
            .is_ok()
    );
    for spelling in other_spellings(canonical) {
        let headers = sw_headers(SW_ID, SW_TIMESTAMP, &format!("v1,{spelling}"));
        let error = verifier
            .verify_signature_at(&headers, SW_BODY.as_bytes(), now)
            .unwrap_err();
        assert!(
            matches!(
                error,
                WebhookError::MalformedHeader {
                    name: "webhook-signature",
                    ..
                }
            ),
            "{spelling}: {error:?}"
        );
    }
    // Legacy: Quo's documented example, respelled.
    let legacy = legacy_verifier();
    for spelling in other_spellings(LEGACY_SIGNATURE_MS) {
        let headers = legacy_header(&format!("hmac;1;{LEGACY_MS};{spelling}"));
        let error = legacy
            .verify_signature_at(&headers, LEGACY_BODY.as_bytes(), at_ms(LEGACY_MS))
            .unwrap_err();
        assert!(
            matches!(
                error,
                WebhookError::MalformedHeader {
                    name: "openphone-signature",
                    ..
                }
            ),
            "{spelling}: {error:?}"
        );
    }
}

// ---------------------------------------------------------------- delivery ids

#[test]
fn verify_returns_the_delivery_id_to_de_duplicate_on() {
    // Standard Webhooks: the `webhook-id` header, the same on every retry.
    let secret = WebhookSecret::parse(SW_SECRET).unwrap();
    let now = SystemTime::now();
    let body = LEGACY_BODY.as_bytes();
    let first = sign(&secret, "msg_retry_me", now, body);
    let retry = sign(&secret, "msg_retry_me", now + Duration::from_secs(30), body);
    let verifier = Verifier::from_secret(secret);
    let a = verifier.verify_at(&first, body, now).unwrap();
    let b = verifier
        .verify_at(&retry, body, now + Duration::from_secs(30))
        .unwrap();
    assert_eq!(a.id.as_deref(), Some("msg_retry_me"));
    assert_eq!(a.id, b.id);
    assert_eq!(a.scheme, Scheme::StandardWebhooks);
    assert_eq!(a.event.event_type(), "message.received");

    // Legacy: no delivery header, so the event's own id.
    let delivery = legacy_verifier()
        .verify_at(&legacy_ms_headers(), body, at_ms(LEGACY_MS))
        .unwrap();
    assert_eq!(
        delivery.id.as_deref(),
        Some("EVc67ec998b35c41d388af50799aeeba3e")
    );
    assert_eq!(delivery.scheme, Scheme::Legacy);
    assert_eq!(delivery.signed_at, at_ms(LEGACY_MS));
}

// ---------------------------------------------------------------- group messages

#[test]
fn a_group_message_with_comma_joined_recipients_gives_every_recipient() {
    let secret = WebhookSecret::parse(LEGACY_SECRET).unwrap();
    let body = LEGACY_BODY.replace(
        r#""to":["+15555555555"]"#,
        r#""to":"+15555555555,+15555555556, +15555555557""#,
    );
    assert_ne!(body, LEGACY_BODY);
    let now = SystemTime::now();
    let headers = sign(&secret, "unused", now, body.as_bytes());
    let delivery = Verifier::from_secret(secret)
        .verify_at(&headers, body.as_bytes(), now)
        .unwrap();
    let Event::MessageReceived(message) = delivery.event else {
        panic!("not a message.received: {:?}", delivery.event);
    };
    assert_eq!(
        message.resource.to,
        ["+15555555555", "+15555555556", "+15555555557"]
    );
}
