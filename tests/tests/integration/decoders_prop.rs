//! Property tests of every decoder a response goes through: contact pages,
//! single contacts, error bodies and custom fields. Arbitrary and mutated
//! input never panics; valid documents round-trip; unknown keys anywhere are
//! ignored; any JSON object decodes as a custom field; the SDK reads error
//! bodies of any shape into a typed error with a bounded excerpt.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use quo_api::custom_field::{CustomField, CustomFieldValue, KNOWN_KINDS};
use quo_api::types::{ApiError, Contact, ContactPage, ContactResponse};
use quo_api_ext::testing::{DemoConfig, DemoServer, Fault};
use quo_api_ext::{Error, ErrorCode};
use quo_tests::clients;
use quo_tests::decoders;
use serde_json::{Map, Value, json};

// ---- strategies --------------------------------------------------------------

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _.@+-]{0,16}",
        any::<String>().prop_map(|s| s.chars().take(24).collect()),
    ]
}

/// Floats with at most ~12 significant digits, as Quo's values are; full
/// 17-digit floats are covered by `full_precision_floats_round_trip`.
fn short_float() -> impl Strategy<Value = f64> {
    (-1e9f64..1e9).prop_map(|n| (n * 100.0).round() / 100.0)
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        short_float().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop_oneof![
            Just("name".to_owned()),
            Just("key".to_owned()),
            Just("id".to_owned()),
            Just("type".to_owned()),
            Just("value".to_owned()),
            text()
        ],
        any_json(),
        0..7,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// A timestamp as Quo writes it: RFC 3339, UTC, milliseconds.
fn timestamp() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800_000).prop_map(|ms| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    })
}

/// A custom field value of `kind`, as Quo may send it (strings for numbers
/// and booleans included).
fn value_for(kind: &'static str) -> BoxedStrategy<Value> {
    let nullable = |s: BoxedStrategy<Value>| prop_oneof![1 => Just(Value::Null), 4 => s].boxed();
    match kind {
        "multi-select" => nullable(
            prop::collection::vec(text(), 0..4)
                .prop_map(|v| json!(v))
                .boxed(),
        ),
        "boolean" => nullable(
            prop_oneof![
                any::<bool>().prop_map(Value::Bool),
                prop_oneof![Just("true"), Just("false")].prop_map(|s| json!(s))
            ]
            .boxed(),
        ),
        "number" => nullable(
            prop_oneof![
                short_float().prop_map(|n| json!(n)),
                any::<i32>().prop_map(|n| json!(n)),
                any::<i32>().prop_map(|n| json!(n.to_string())),
            ]
            .boxed(),
        ),
        "date" => nullable(timestamp().prop_map(Value::String).boxed()),
        _ => nullable(text().prop_map(Value::String).boxed()),
    }
}

/// A `type` as it may arrive: a known kind, another string, or not a string.
fn kind_on_the_wire() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(KNOWN_KINDS.to_vec()).prop_map(|k| json!(k)),
        1 => "[a-z-]{0,12}".prop_map(Value::String),
        1 => any_json(),
    ]
}

/// A custom field value of any kind, readable or not: text the typed paths
/// parse (padded, odd case, bare dates, non-finite numbers) among any JSON.
fn odd_or_valid_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => any_json(),
        1 => prop::sample::select(KNOWN_KINDS.to_vec()).prop_flat_map(value_for),
        1 => prop::sample::select(vec![
            " 12.5 ", "1e999", "NaN", "inf", "-0", " TRUE", "False ", "yes", "",
            "2024-09-11", "24-09-11", " 2024-09-11T04:00:00.000+02:00 ", "2024-13-01",
            "2024-09-11T04:00:00.123456Z",
        ])
        .prop_map(|s| json!(s)),
        1 => prop::collection::vec(prop_oneof![3 => text().prop_map(Value::String), 1 => any_json()], 0..5)
            .prop_map(Value::Array),
    ]
}

/// A valid custom field object (known kind with a readable value, or an
/// unknown kind with any value).
fn custom_field() -> impl Strategy<Value = Value> {
    let known = prop::sample::select(KNOWN_KINDS.to_vec())
        .prop_flat_map(|kind| (Just(kind), value_for(kind)));
    let unknown = (
        "[a-z]{3,10}".prop_filter("unknown kind", |k| !KNOWN_KINDS.contains(&k.as_str())),
        any_json(),
    )
        .prop_map(|(k, v)| (Box::leak(k.into_boxed_str()) as &'static str, v));
    (
        text(),
        prop::option::of(text()),
        prop::option::of("[0-9a-f]{24}"),
        prop_oneof![4 => known, 1 => unknown],
    )
        .prop_map(|(name, key, id, (kind, value))| {
            let mut m = Map::new();
            m.insert("name".into(), json!(name));
            if let Some(key) = key {
                m.insert("key".into(), json!(key));
            }
            if let Some(id) = id {
                m.insert("id".into(), json!(id));
            }
            m.insert("type".into(), json!(kind));
            m.insert("value".into(), value);
            Value::Object(m)
        })
}

fn labelled() -> impl Strategy<Value = Value> {
    (
        text(),
        prop::option::of(text()),
        prop::option::of("[0-9a-f]{8}"),
    )
        .prop_map(|(name, value, id)| {
            let mut m = Map::new();
            m.insert("name".into(), json!(name));
            m.insert("value".into(), json!(value));
            if let Some(id) = id {
                m.insert("id".into(), json!(id));
            }
            Value::Object(m)
        })
}

/// A valid contact as the API documents it.
fn contact() -> impl Strategy<Value = Value> {
    (
        "[0-9a-f]{24}",
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        prop::collection::vec(labelled(), 0..3),
        prop::collection::vec(labelled(), 0..3),
        prop::collection::vec(custom_field(), 0..8),
        (timestamp(), timestamp(), "US[a-zA-Z0-9]{8}"),
    )
        .prop_map(
            |(
                id,
                first,
                last,
                company,
                (role, external, source),
                emails,
                phones,
                fields,
                (created, updated, user),
            )| {
                json!({
                    "id": id,
                    "externalId": external,
                    "source": source,
                    "sourceUrl": null,
                    "defaultFields": {
                        "company": company,
                        "emails": emails,
                        "firstName": first,
                        "lastName": last,
                        "phoneNumbers": phones,
                        "role": role,
                    },
                    "customFields": fields,
                    "createdAt": created,
                    "updatedAt": updated,
                    "createdByUserId": user,
                })
            },
        )
}

fn page() -> impl Strategy<Value = Value> {
    (prop::collection::vec(contact(), 0..4), prop::option::of("[A-Za-z0-9_-]{1,40}"), any::<i64>())
        .prop_map(|(data, token, total)| json!({"data": data, "nextPageToken": token, "totalItems": total}))
}

fn api_error() -> impl Strategy<Value = Value> {
    (
        text(),
        "[0-9]{7}",
        100i64..600,
        text(),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::collection::vec((text(), text(), prop::option::of(any_json())), 0..3),
    )
        .prop_map(|(message, code, status, docs, title, trace, description, errors)| {
            let errors: Vec<Value> = errors
                .into_iter()
                .map(|(path, message, value)| {
                    let mut e = json!({"path": path, "message": message, "schema": {"type": "string"}});
                    if let Some(v) = value {
                        // `null` would read back as "absent": the spec's Option<Value> cannot tell them apart.
                        if !v.is_null() {
                            e["value"] = v;
                        }
                    }
                    e
                })
                .collect();
            let mut body = json!({"message": message, "code": code, "status": status, "docs": docs, "title": title, "errors": errors});
            if let Some(t) = trace {
                body["trace"] = json!(t);
            }
            if let Some(d) = description {
                body["description"] = json!(d);
            }
            body
        })
}

// ---- mutations ----------------------------------------------------------------

/// Adds an unknown key with `extra` to every object in `value`, except inside
/// custom-field `value`s (where an extra key changes the user's data).
fn add_unknown_keys(value: &mut Value, extra: &Value, in_custom_value: bool) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                add_unknown_keys(v, extra, in_custom_value || k == "value");
            }
            if !in_custom_value {
                map.insert("zzUnknownKey".into(), extra.clone());
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| add_unknown_keys(v, extra, in_custom_value)),
        _ => {}
    }
}

/// Replaces the `pick`th node (pre-order) with `with`.
fn replace_node(value: &mut Value, pick: &mut usize, with: &Value) -> bool {
    if *pick == 0 {
        *value = with.clone();
        return true;
    }
    *pick -= 1;
    match value {
        Value::Object(map) => map.values_mut().any(|v| replace_node(v, pick, with)),
        Value::Array(items) => items.iter_mut().any(|v| replace_node(v, pick, with)),
        _ => false,
    }
}

/// Removes the `pick`th object key (pre-order).
fn remove_key(value: &mut Value, pick: &mut usize) -> bool {
    match value {
        Value::Object(map) => {
            if *pick < map.len() {
                let key = map.keys().nth(*pick).cloned().unwrap();
                map.remove(&key);
                return true;
            }
            *pick -= map.len();
            map.values_mut().any(|v| remove_key(v, pick))
        }
        Value::Array(items) => items.iter_mut().any(|v| remove_key(v, pick)),
        _ => false,
    }
}

fn no_panic(bytes: &[u8]) -> Result<(), TestCaseError> {
    let panics = decoders::panics(bytes);
    prop_assert!(
        panics.is_empty(),
        "panics {:?} on {:?}",
        panics,
        String::from_utf8_lossy(bytes)
    );
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        no_panic(&bytes)?;
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        no_panic(&serde_json::to_vec(&value).unwrap())?;
        for wrapped in [json!({"data": value.clone()}), json!({"data": [value.clone()], "totalItems": 1, "nextPageToken": null}),
                        json!({"error": value.clone()})] {
            no_panic(&serde_json::to_vec(&wrapped).unwrap())?;
        }
    }

    #[test]
    fn valid_pages_round_trip(page in page()) {
        let bytes = serde_json::to_vec(&page).unwrap();
        let decoded: ContactPage = serde_json::from_slice(&bytes).expect("a valid page decodes");
        prop_assert_eq!(decoded.data.len(), page["data"].as_array().unwrap().len());
        prop_assert_eq!(decoded.next_page_token.as_deref(), page["nextPageToken"].as_str());
        let again: ContactPage = serde_json::from_slice(&serde_json::to_vec(&decoded).unwrap()).unwrap();
        prop_assert_eq!(&again, &decoded);
    }

    #[test]
    fn valid_contacts_round_trip_and_keep_every_custom_field(c in contact()) {
        let bytes = serde_json::to_vec(&c).unwrap();
        let decoded: Contact = serde_json::from_slice(&bytes).expect("a valid contact decodes");
        prop_assert_eq!(&decoded.id, c["id"].as_str().unwrap());
        prop_assert_eq!(decoded.custom_fields.len(), c["customFields"].as_array().unwrap().len());
        for (field, raw) in decoded.custom_fields.iter().zip(c["customFields"].as_array().unwrap()) {
            // Valid values of known kinds are typed, never Invalid.
            prop_assert!(field.problem().is_none(), "{:?} from {}", field, raw);
        }
        let again: Contact = serde_json::from_slice(&serde_json::to_vec(&decoded).unwrap()).unwrap();
        prop_assert_eq!(&again, &decoded);
        let wrapped: ContactResponse = serde_json::from_value(json!({"data": c})).unwrap();
        prop_assert_eq!(&wrapped.data, &decoded);
    }

    #[test]
    fn unknown_keys_anywhere_are_ignored(c in contact(), extra in any_json()) {
        let plain: Contact = serde_json::from_value(c.clone()).unwrap();
        let mut noisy = json!({"data": [c], "totalItems": 1, "nextPageToken": null});
        add_unknown_keys(&mut noisy, &extra, false);
        let page: ContactPage = serde_json::from_value(noisy).expect("unknown keys must be ignored");
        prop_assert_eq!(&page.data[0], &plain);
    }

    #[test]
    fn mutated_contacts_never_panic(c in contact(), pick in 0usize..400, with in any_json(), remove in any::<bool>()) {
        let mut mutated = json!({"data": [c], "totalItems": 1, "nextPageToken": null});
        let mut n = pick;
        if remove { remove_key(&mut mutated, &mut n); } else { replace_node(&mut mutated, &mut n, &with); }
        let bytes = serde_json::to_vec(&mutated).unwrap();
        no_panic(&bytes)?;
        // Whatever decodes, round-trips.
        prop_assert!(decoders::check_all(&bytes).0.is_empty(), "{:?}", decoders::check_all(&bytes).0);
    }

    #[test]
    fn mutated_bytes_never_panic(c in contact(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)) {
        let mut bytes = serde_json::to_vec(&json!({"data": [c], "totalItems": 1, "nextPageToken": null})).unwrap();
        for (at, byte, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        no_panic(&bytes)?;
    }

    #[test]
    fn any_json_object_decodes_as_a_custom_field(object in any_object()) {
        let field: CustomField = serde_json::from_value(object.clone()).expect("any object decodes");
        // The value is kept: typed, or verbatim.
        let raw_value = object.get("value").cloned().unwrap_or(Value::Null);
        if let CustomFieldValue::Unknown { value, .. } | CustomFieldValue::Invalid { value, .. } = &field.value {
            prop_assert_eq!(value, &raw_value);
        }
        let again: CustomField = serde_json::from_value(serde_json::to_value(&field).unwrap()).unwrap();
        prop_assert_eq!(&again, &field);
        // In a list, too.
        let list: Vec<CustomField> = serde_json::from_value(json!([object.clone(), object])).unwrap();
        prop_assert_eq!(list.len(), 2);
    }

    #[test]
    fn custom_fields_decode_as_from_wire_whichever_key_comes_first(
        kind in kind_on_the_wire(),
        value in odd_or_valid_value(),
        name in text(),
        id in prop::option::of("[0-9a-f]{24}"),
    ) {
        let expected = CustomField {
            name: name.clone(),
            key: None,
            id: id.clone(),
            value: match kind.as_str() {
                Some(kind) => CustomFieldValue::from_wire(kind, value.clone()),
                None => CustomFieldValue::Unknown { kind: String::new(), value: value.clone() },
            },
        };
        let part = |key: &str, v: &Value| format!("{}:{}", json!(key), v);
        let mut head = vec![part("name", &json!(name))];
        if let Some(id) = &id {
            head.push(part("id", &json!(id)));
        }
        let (kind, value) = (part("type", &kind), part("value", &value));
        for order in [[&kind, &value], [&value, &kind]] {
            let mut parts = head.clone();
            parts.extend(order.iter().map(|p| (*p).clone()));
            let text = format!("{{{}}}", parts.join(","));
            let decoded: CustomField = serde_json::from_str(&text).expect("an object decodes");
            prop_assert_eq!(&decoded, &expected, "{}", text);
        }
    }

    #[test]
    fn the_sdk_decoder_agrees_with_from_slice(
        c in contact(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        // Valid pages, and pages with bytes overwritten (invalid UTF-8 and
        // broken JSON among them): same value or same error, position included.
        let mut bytes = serde_json::to_vec(&json!({"data": [c], "totalItems": 1})).unwrap();
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        let ours = quo_api::decode::from_json::<ContactPage>(&bytes);
        let theirs = serde_json::from_slice::<ContactPage>(&bytes);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "from_json {:?} but from_slice {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn non_objects_are_refused_as_custom_fields_without_panic(value in any_json()) {
        prop_assume!(!value.is_object());
        prop_assert!(serde_json::from_value::<CustomField>(value).is_err());
    }

    #[test]
    fn valid_custom_fields_round_trip(field in custom_field()) {
        let decoded: CustomField = serde_json::from_value(field.clone()).unwrap();
        prop_assert!(decoded.problem().is_none(), "{:?}", decoded);
        prop_assert_eq!(decoded.kind(), field["type"].as_str().unwrap());
        let again: CustomField = serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
        prop_assert_eq!(&again, &decoded);
    }

    #[test]
    fn valid_api_errors_round_trip(body in api_error()) {
        let decoded: ApiError = serde_json::from_value(body.clone()).expect("a valid error decodes");
        prop_assert_eq!(&decoded.message, body["message"].as_str().unwrap());
        let again: ApiError = serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
        prop_assert_eq!(&again, &decoded);
    }
}

/// A number custom field read from Quo and written back must keep its value.
/// The workspace builds serde_json with `float_roundtrip`, without which
/// some 16-17 digit numbers parse one ulp off and drift on every cycle.
#[test]
fn full_precision_floats_round_trip() {
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &any::<f64>().prop_filter("finite", |f| f.is_finite()),
            |n| {
                let field = json!({"name": "Deal Size", "type": "number", "value": n});
                let text = serde_json::to_string(&field).unwrap();
                let decoded: CustomField = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(decoded.value.as_number(), Some(n), "{}", text);
                Ok(())
            },
        )
        .unwrap();
}

/// The SDK's own error-body reader (private in `quo-api-ext`) is exercised
/// through `get` against a local server answering each case's status and body.
#[test]
fn error_bodies_of_any_shape_become_typed_bounded_errors() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(DemoServer::start(
            DemoConfig::default().with_record_limit(0),
        ))
        .unwrap();
    let client = clients::builder(&server).no_retries().build().unwrap();
    let body = prop_oneof![
        3 => api_error().prop_map(|v| v.to_string()),
        2 => (text(), "[0-9]{7}", text()).prop_map(|(m, k, t)| json!({"error": {"message": m, "key": k, "trace": t}}).to_string()),
        2 => any_json().prop_map(|v| v.to_string()),
        1 => any::<String>(),
        1 => (".{0,40}", 100usize..3000).prop_map(|(s, n)| s.repeat(n)),
    ];
    let status = prop::sample::select(vec![400u16, 401, 403, 404, 409, 422, 500, 501]);
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(status, body), |(status, body)| {
            server.inject(Fault::Raw {
                status,
                body: body.clone(),
            });
            let result = rt.block_on(async {
                tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    client.contacts().get("any-id"),
                )
                .await
            });
            let e = result
                .expect("get hung")
                .expect_err("an error status never succeeds");
            prop_assert!(matches!(e, Error::Api(_)), "{:?}", e);
            prop_assert_eq!(e.status(), Some(status));
            let service = e.service_error().unwrap();
            if let Some(excerpt) = &service.body_excerpt {
                prop_assert!(excerpt.chars().count() <= quo_api_ext::MAX_EXCERPT_CHARS);
            }
            let shown = e.to_string();
            let _ = format!("{e:?}");
            // Display is bounded by what the body's fields hold, and is never the whole of a huge body.
            if body.len() > 5000 && serde_json::from_str::<Value>(&body).is_err() {
                prop_assert!(
                    shown.chars().count() < 1000,
                    "{} chars",
                    shown.chars().count()
                );
            }
            // A flat or nested body's fields are read.
            if let Ok(Value::Object(root)) = serde_json::from_str::<Value>(&body) {
                let fields = match root.get("error") {
                    Some(Value::Object(inner)) => inner.clone(),
                    _ => root.clone(),
                };
                if let Some(Value::String(m)) = fields.get("message")
                    && !m.trim().is_empty()
                {
                    prop_assert_eq!(service.message.as_deref(), Some(m.trim()));
                }
                let has_code = ["code", "key"].iter().any(|k| {
                    fields
                        .get(*k)
                        .and_then(Value::as_str)
                        .is_some_and(|c| !c.trim().is_empty())
                });
                if has_code {
                    prop_assert!(service.code.is_some(), "{:?}", service);
                }
                if fields.get("code").and_then(Value::as_str) == Some("0800404") {
                    prop_assert_eq!(service.code.clone(), Some(ErrorCode::NotFound));
                }
            }
            Ok(())
        })
        .unwrap();
    rt.block_on(server.shutdown());
}

/// Every input the fuzzer (`fuzz_decoders`) saved goes through every decoder
/// without a panic, and every decoder that accepts it writes back what it
/// read (each saved input was a round-trip mismatch once). The directory
/// may be empty.
#[test]
fn fuzz_regressions_replay_without_panic_or_mismatch() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut replayed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file()
            || path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let panics = decoders::panics(&bytes);
        assert!(panics.is_empty(), "{}: {panics:?}", path.display());
        for (name, decode) in decoders::DECODERS {
            if let Err(mismatch) = decode(&bytes) {
                panic!("{} ({name}): {mismatch}", path.display());
            }
        }
        replayed += 1;
    }
    eprintln!("replayed {replayed} saved fuzz inputs");
}
