//! Unit tests of the custom-field value type and its decoding.

use super::*;
use chrono::TimeZone;
use serde_json::json;

fn decode(value: Value) -> CustomField {
    serde_json::from_value(value).expect("any object decodes")
}

fn field(kind: &str, value: Value) -> CustomField {
    decode(json!({"name": "Field", "key": "field", "id": "cf_1", "type": kind, "value": value}))
}

fn value_of(kind: &str, value: Value) -> CustomFieldValue {
    field(kind, value).value
}

fn assert_invalid(kind: &str, value: Value) {
    let decoded = value_of(kind, value.clone());
    match &decoded {
        CustomFieldValue::Invalid {
            kind: k,
            value: v,
            reason,
        } => {
            assert_eq!(k, kind);
            assert_eq!(v, &value);
            assert!(!reason.is_empty());
        }
        other => panic!("{kind} {value}: expected Invalid, got {other:?}"),
    }
    assert!(decoded.problem().is_some());
    assert_eq!(decoded.kind(), kind);
    // Invalid values are written back verbatim.
    assert_eq!(decoded.to_json(), value);
}

fn round_trip(field: &CustomField) {
    let text = serde_json::to_string(field).unwrap();
    let back: CustomField = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, field, "round trip through {text}");
    assert_eq!(serde_json::to_value(field).unwrap(), field.to_json());
}

#[test]
fn known_kinds_lists_the_seven_kinds() {
    assert_eq!(
        KNOWN_KINDS,
        &[
            "multi-select",
            "address",
            "string",
            "url",
            "boolean",
            "date",
            "number"
        ]
    );
    for kind in KNOWN_KINDS {
        let value = CustomFieldValue::from_wire(kind, Value::Null);
        assert_eq!(value.kind(), *kind);
        assert!(value.is_null());
        assert!(!matches!(value, CustomFieldValue::Unknown { .. }));
    }
}

#[test]
fn decodes_the_documented_example() {
    let f = decode(json!({
        "name": "Inbound Lead",
        "key": "inbound-lead",
        "id": "66d0d87d534de8fd1c433cec",
        "type": "multi-select",
        "value": ["option1", "option2"]
    }));
    assert_eq!(f.name, "Inbound Lead");
    assert_eq!(f.key.as_deref(), Some("inbound-lead"));
    assert_eq!(f.id.as_deref(), Some("66d0d87d534de8fd1c433cec"));
    assert_eq!(f.kind(), "multi-select");
    assert_eq!(
        f.value.as_multi_select(),
        Some(&["option1".to_owned(), "option2".to_owned()][..])
    );
    assert_eq!(f.problem(), None);
}

#[test]
fn multi_select() {
    assert_eq!(
        value_of("multi-select", json!(["a", "b"])),
        CustomFieldValue::MultiSelect(Some(vec!["a".into(), "b".into()]))
    );
    assert_eq!(
        value_of("multi-select", json!([])),
        CustomFieldValue::MultiSelect(Some(vec![]))
    );
    assert_eq!(
        value_of("multi-select", Value::Null),
        CustomFieldValue::MultiSelect(None)
    );
}

#[test]
fn multi_select_invalid() {
    assert_invalid("multi-select", json!(["a", 1]));
    assert_invalid("multi-select", json!([null]));
    assert_invalid("multi-select", json!("a"));
    assert_invalid("multi-select", json!({"a": 1}));
    let reason = value_of("multi-select", json!(["a", 1]))
        .problem()
        .unwrap()
        .to_owned();
    assert!(reason.contains("element 1"), "{reason}");
}

#[test]
fn text_kinds() {
    assert_eq!(
        value_of("address", json!("1 Main St")),
        CustomFieldValue::Address(Some("1 Main St".into()))
    );
    assert_eq!(
        value_of("string", json!("hello")),
        CustomFieldValue::String(Some("hello".into()))
    );
    assert_eq!(
        value_of("url", json!("https://quo.com")),
        CustomFieldValue::Url(Some("https://quo.com".into()))
    );
    assert_eq!(
        value_of("address", Value::Null),
        CustomFieldValue::Address(None)
    );
    assert_eq!(
        value_of("string", Value::Null),
        CustomFieldValue::String(None)
    );
    assert_eq!(value_of("url", Value::Null), CustomFieldValue::Url(None));
    assert_eq!(value_of("string", json!("hello")).as_str(), Some("hello"));
    assert_eq!(value_of("url", json!("x")).as_str(), Some("x"));
    assert_eq!(value_of("address", json!("y")).as_str(), Some("y"));
}

#[test]
fn text_kinds_accept_scalars_as_text() {
    assert_eq!(
        value_of("string", json!(42)),
        CustomFieldValue::String(Some("42".into()))
    );
    assert_eq!(
        value_of("string", json!(1.5)),
        CustomFieldValue::String(Some("1.5".into()))
    );
    assert_eq!(
        value_of("address", json!(true)),
        CustomFieldValue::Address(Some("true".into()))
    );
    assert_eq!(
        value_of("url", json!(false)),
        CustomFieldValue::Url(Some("false".into()))
    );
}

#[test]
fn text_kinds_invalid() {
    for kind in ["address", "string", "url"] {
        assert_invalid(kind, json!(["a"]));
        assert_invalid(kind, json!({"street": "Main"}));
    }
}

#[test]
fn boolean() {
    assert_eq!(
        value_of("boolean", json!(true)),
        CustomFieldValue::Boolean(Some(true))
    );
    assert_eq!(
        value_of("boolean", json!(false)),
        CustomFieldValue::Boolean(Some(false))
    );
    assert_eq!(
        value_of("boolean", Value::Null),
        CustomFieldValue::Boolean(None)
    );
    assert_eq!(value_of("boolean", json!(true)).as_bool(), Some(true));
}

#[test]
fn boolean_from_strings() {
    for (text, expected) in [
        ("false", false),
        ("true", true),
        ("TRUE", true),
        ("False", false),
        ("  true ", true),
    ] {
        assert_eq!(
            value_of("boolean", json!(text)),
            CustomFieldValue::Boolean(Some(expected)),
            "{text:?}"
        );
    }
}

#[test]
fn boolean_invalid() {
    assert_invalid("boolean", json!("yes"));
    assert_invalid("boolean", json!(""));
    assert_invalid("boolean", json!(1));
    assert_invalid("boolean", json!([true]));
    assert_invalid("boolean", json!({}));
}

#[test]
fn number() {
    assert_eq!(
        value_of("number", json!(42)),
        CustomFieldValue::Number(Some(42.0))
    );
    assert_eq!(
        value_of("number", json!(-1.25)),
        CustomFieldValue::Number(Some(-1.25))
    );
    assert_eq!(
        value_of("number", Value::Null),
        CustomFieldValue::Number(None)
    );
    assert_eq!(value_of("number", json!(7)).as_number(), Some(7.0));
}

#[test]
fn number_from_strings() {
    assert_eq!(
        value_of("number", json!("424242")),
        CustomFieldValue::Number(Some(424_242.0))
    );
    assert_eq!(
        value_of("number", json!(" 3.5 ")),
        CustomFieldValue::Number(Some(3.5))
    );
    assert_eq!(
        value_of("number", json!("-2e3")),
        CustomFieldValue::Number(Some(-2000.0))
    );
}

#[test]
fn number_invalid() {
    assert_invalid("number", json!("abc"));
    assert_invalid("number", json!(""));
    assert_invalid("number", json!("NaN"));
    assert_invalid("number", json!("inf"));
    assert_invalid("number", json!(true));
    assert_invalid("number", json!([1]));
    assert_invalid("number", json!({"n": 1}));
}

#[test]
fn date() {
    let expected = Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap();
    assert_eq!(
        value_of("date", json!("2024-09-11T04:00:00.000Z")),
        CustomFieldValue::Date(Some(expected))
    );
    // Offsets are converted to UTC.
    assert_eq!(
        value_of("date", json!("2024-09-11T00:00:00-04:00")),
        CustomFieldValue::Date(Some(expected))
    );
    assert_eq!(value_of("date", Value::Null), CustomFieldValue::Date(None));
    assert_eq!(
        value_of("date", json!("2024-09-11T04:00:00.000Z")).as_date(),
        Some(expected)
    );
}

#[test]
fn bare_date_is_midnight_utc() {
    assert_eq!(
        value_of("date", json!("2024-09-11")),
        CustomFieldValue::Date(Some(Utc.with_ymd_and_hms(2024, 9, 11, 0, 0, 0).unwrap()))
    );
}

#[test]
fn date_invalid() {
    assert_invalid("date", json!("yesterday"));
    assert_invalid("date", json!("2024-13-01"));
    assert_invalid("date", json!("2024-9-1"));
    // A negative or five-digit year cannot be written back as RFC 3339.
    assert_invalid("date", json!("-024-09-11"));
    assert_invalid("date", json!("+2024-09-1"));
    assert_invalid("date", json!(""));
    assert_invalid("date", json!(1_726_027_200));
    assert_invalid("date", json!(true));
    assert_invalid("date", json!(["2024-09-11"]));
}

#[test]
fn dates_finer_than_milliseconds_are_written_back_unchanged() {
    for text in [
        "2024-09-11T04:00:00.000100Z",
        "2024-09-11T04:00:00.123456789Z",
    ] {
        let value = value_of("date", json!(text));
        assert_eq!(value.to_json(), json!(text));
        assert_eq!(serde_json::to_value(&value).unwrap(), json!(text));
    }
    // A shorter fraction comes back with the digits it needs.
    let value = value_of("date", json!("2024-09-11T04:00:00.0001Z"));
    assert_eq!(value.to_json(), json!("2024-09-11T04:00:00.000100Z"));
}

#[test]
fn date_formatting() {
    let date = Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap();
    let f = CustomField::new("Due", CustomFieldValue::Date(Some(date))).with_key("due");
    assert_eq!(
        serde_json::to_value(&f).unwrap(),
        json!({"name": "Due", "key": "due", "type": "date", "value": "2024-09-11T04:00:00.000Z"})
    );
    let with_millis = date + chrono::Duration::milliseconds(123);
    assert_eq!(
        CustomFieldValue::Date(Some(with_millis)).to_json(),
        json!("2024-09-11T04:00:00.123Z")
    );
    assert_eq!(
        serde_json::to_string(&CustomFieldValue::Date(Some(with_millis))).unwrap(),
        "\"2024-09-11T04:00:00.123Z\""
    );
}

#[test]
fn unknown_kind_is_kept_verbatim() {
    let raw = json!({"currency": "USD", "amount": 5});
    let f = field("money", raw.clone());
    assert_eq!(
        f.value,
        CustomFieldValue::Unknown {
            kind: "money".into(),
            value: raw.clone()
        }
    );
    assert_eq!(f.kind(), "money");
    assert_eq!(f.problem(), None);
    assert!(!f.value.is_null());
    assert_eq!(f.value.as_str(), None);
    assert_eq!(
        f.to_json(),
        json!({"name": "Field", "key": "field", "id": "cf_1", "type": "money", "value": raw})
    );
    round_trip(&f);
    // Kinds are matched exactly.
    assert!(matches!(
        value_of("Number", json!(1)),
        CustomFieldValue::Unknown { .. }
    ));
}

#[test]
fn missing_or_non_string_type_is_unknown_with_empty_kind() {
    let f = decode(json!({"name": "x", "value": 5}));
    assert_eq!(
        f.value,
        CustomFieldValue::Unknown {
            kind: String::new(),
            value: json!(5)
        }
    );
    // Written back without a `type`, as received.
    assert_eq!(f.to_json(), json!({"name": "x", "value": 5}));
    round_trip(&f);

    for kind in [json!(3), json!(null), json!(["number"]), json!({"k": 1})] {
        let f = decode(json!({"name": "x", "type": kind, "value": "v"}));
        assert_eq!(
            f.value,
            CustomFieldValue::Unknown {
                kind: String::new(),
                value: json!("v")
            },
            "type {kind}"
        );
    }
}

#[test]
fn missing_key_id_and_value() {
    let f = decode(json!({"name": "Score", "type": "number"}));
    assert_eq!(f.name, "Score");
    assert_eq!(f.key, None);
    assert_eq!(f.id, None);
    assert_eq!(f.value, CustomFieldValue::Number(None));
    assert!(f.value.is_null());
    assert_eq!(
        serde_json::to_value(&f).unwrap(),
        json!({"name": "Score", "type": "number", "value": null})
    );
}

#[test]
fn missing_name_is_empty() {
    let f = decode(json!({"key": "k", "type": "string", "value": "v"}));
    assert_eq!(f.name, "");
    assert_eq!(f.key.as_deref(), Some("k"));
    assert_eq!(f.value, CustomFieldValue::String(Some("v".into())));
    assert_eq!(decode(json!({})).name, "");
    assert_eq!(
        decode(json!({})).value,
        CustomFieldValue::Unknown {
            kind: String::new(),
            value: Value::Null
        }
    );
}

#[test]
fn a_key_given_twice_keeps_its_first_value() {
    let read = |json: &str| serde_json::from_str::<CustomField>(json).expect(json);
    let f = read(
        r#"{"name": "a", "name": "b", "key": "k", "key": "l", "id": "1", "id": "2",
        "type": "number", "value": 5, "type": "string", "value": "x"}"#,
    );
    assert_eq!(f.name, "a");
    assert_eq!(f.key.as_deref(), Some("k"));
    assert_eq!(f.id.as_deref(), Some("1"));
    assert_eq!(f.value, CustomFieldValue::Number(Some(5.0)));
    // A value before its type, given twice.
    let f = read(r#"{"value": "true", "value": [1], "type": "boolean"}"#);
    assert_eq!(f.value, CustomFieldValue::Boolean(Some(true)));
    // Inside a contact, the duplicate does not fail the contact.
    let contact: crate::types::Contact = serde_json::from_str(
        r#"{"id": "CT1", "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-01-02T03:04:05Z",
            "defaultFields": {}, "customFields": [{"name": "a", "name": "b", "key": "k", "type": "string", "value": "v"}]}"#,
    )
    .unwrap();
    assert_eq!(contact.custom_fields[0].name, "a");
}

#[test]
fn oddly_typed_name_key_id_do_not_fail() {
    let f = decode(json!({"name": 12, "key": null, "id": 99, "type": "string", "value": "v"}));
    assert_eq!(f.name, "12");
    assert_eq!(f.key, None);
    assert_eq!(f.id.as_deref(), Some("99"));
    let f = decode(json!({"name": ["a"], "key": {"x": 1}, "type": "string", "value": "v"}));
    assert_eq!(f.name, "");
    assert_eq!(f.key, None);
    assert_eq!(f.value.as_str(), Some("v"));
}

#[test]
fn unknown_keys_are_ignored() {
    let f = decode(json!({
        "name": "n", "type": "boolean", "value": "true",
        "extra": {"nested": [1, 2, 3]}, "createdAt": "2024-01-01"
    }));
    assert_eq!(f.value, CustomFieldValue::Boolean(Some(true)));
}

#[test]
fn non_object_input_fails() {
    for input in [
        "42",
        "\"text\"",
        "[]",
        "[\"n\", \"k\", \"i\", \"string\", \"v\"]",
        "null",
        "true",
    ] {
        assert!(
            serde_json::from_str::<CustomField>(input).is_err(),
            "{input} should not decode"
        );
    }
}

#[test]
fn one_odd_field_does_not_fail_the_list() {
    let fields: Vec<CustomField> = serde_json::from_str(
        r#"[
            {"name": "A", "type": "number", "value": "not a number"},
            {"name": "B", "type": "number", "value": "424242"},
            {"name": "C", "type": "brand-new-kind", "value": {"x": 1}},
            {"name": "D", "type": "boolean", "value": "false"}
        ]"#,
    )
    .unwrap();
    assert_eq!(fields.len(), 4);
    assert!(fields[0].problem().is_some());
    assert_eq!(fields[1].value.as_number(), Some(424_242.0));
    assert_eq!(fields[2].kind(), "brand-new-kind");
    assert_eq!(fields[3].value.as_bool(), Some(false));
}

#[test]
fn serialize_round_trip_for_each_valid_kind() {
    let date =
        Utc.with_ymd_and_hms(2024, 9, 11, 4, 0, 0).unwrap() + chrono::Duration::milliseconds(250);
    let values = [
        CustomFieldValue::MultiSelect(Some(vec!["a".into(), "b".into()])),
        CustomFieldValue::MultiSelect(None),
        CustomFieldValue::Address(Some("1 Main St".into())),
        CustomFieldValue::Address(None),
        CustomFieldValue::String(Some("s".into())),
        CustomFieldValue::String(None),
        CustomFieldValue::Url(Some("https://quo.com".into())),
        CustomFieldValue::Url(None),
        CustomFieldValue::Boolean(Some(true)),
        CustomFieldValue::Boolean(Some(false)),
        CustomFieldValue::Boolean(None),
        CustomFieldValue::Date(Some(date)),
        CustomFieldValue::Date(None),
        CustomFieldValue::Number(Some(424_242.0)),
        CustomFieldValue::Number(Some(-0.5)),
        CustomFieldValue::Number(Some(1e300)),
        CustomFieldValue::Number(None),
    ];
    for value in values {
        round_trip(&CustomField::new("F", value.clone()));
        round_trip(&CustomField::new("F", value).with_key("f").with_id("cf_9"));
    }
}

#[test]
fn invalid_round_trips_verbatim() {
    let f = field("number", json!("abc"));
    assert_eq!(f.to_json()["value"], json!("abc"));
    assert_eq!(f.to_json()["type"], json!("number"));
    round_trip(&f);
}

#[test]
fn numbers_serialize_as_integers_when_integral() {
    let n = |x: f64| serde_json::to_string(&CustomFieldValue::Number(Some(x))).unwrap();
    assert_eq!(n(424_242.0), "424242");
    assert_eq!(n(-3.0), "-3");
    assert_eq!(n(1.5), "1.5");
    assert_eq!(
        CustomFieldValue::Number(Some(424_242.0)).to_json(),
        json!(424_242)
    );
    assert_eq!(CustomFieldValue::Number(Some(1.5)).to_json(), json!(1.5));
    // A string-encoded number is written back as a JSON number.
    assert_eq!(
        field("number", json!("424242")).to_json()["value"],
        json!(424_242)
    );
}

#[test]
fn null_values_serialize_as_null() {
    for kind in KNOWN_KINDS {
        let f = field(kind, Value::Null);
        assert!(f.value.is_null());
        assert_eq!(serde_json::to_value(&f).unwrap()["value"], Value::Null);
        assert_eq!(f.value.to_json(), Value::Null);
    }
}

#[test]
fn accessors_return_none_for_other_kinds() {
    let v = CustomFieldValue::Boolean(Some(true));
    assert_eq!(v.as_number(), None);
    assert_eq!(v.as_str(), None);
    assert_eq!(v.as_date(), None);
    assert_eq!(v.as_multi_select(), None);
    assert_eq!(v.problem(), None);
    assert_eq!(CustomFieldValue::Number(Some(1.0)).as_bool(), None);
}

#[test]
fn builders() {
    let f = CustomField::new("Lead", CustomFieldValue::Boolean(Some(true)))
        .with_key("lead")
        .with_id("cf_1");
    assert_eq!(f.name, "Lead");
    assert_eq!(f.key.as_deref(), Some("lead"));
    assert_eq!(f.id.as_deref(), Some("cf_1"));
    assert_eq!(
        f.to_json(),
        json!({"name": "Lead", "key": "lead", "id": "cf_1", "type": "boolean", "value": true})
    );
}
