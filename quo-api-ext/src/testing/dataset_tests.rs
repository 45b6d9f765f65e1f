//! Tests of the generated dataset: determinism, shape and variety.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Value, json};

use super::dataset::{DEMO_CONTACTS, Dataset};

fn kinds(dataset: &Dataset) -> BTreeSet<String> {
    dataset
        .contacts_value()
        .iter()
        .flat_map(|c| c["customFields"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f["type"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = Dataset::generate(50, 42);
    let b = Dataset::generate(50, 42);
    let c = Dataset::generate(50, 43);
    for i in 0..50 {
        assert_eq!(a.contact_json(i), b.contact_json(i));
    }
    assert_ne!(a.contact_json(0), c.contact_json(0));
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_ne!(a.fingerprint(), c.fingerprint());
}

#[test]
fn demo_is_a_small_fixed_workspace() {
    let demo = Dataset::demo();
    assert_eq!(demo.len(), DEMO_CONTACTS);
    assert_eq!(demo.contact_json(0), Dataset::demo().contact_json(0));
}

#[test]
fn contacts_are_about_1_4_kb() {
    let dataset = Dataset::generate(500, 1);
    let sizes: Vec<usize> = (0..dataset.len())
        .map(|i| dataset.contact_json(i).len())
        .collect();
    let average = sizes.iter().sum::<usize>() / sizes.len();
    assert!((1_100..=1_700).contains(&average), "average {average}");
    assert!(
        sizes.iter().all(|&s| (900..=2_000).contains(&s)),
        "{sizes:?}"
    );
}

#[test]
fn contacts_have_the_documented_shape() {
    let mut ids_seen: HashSet<String> = HashSet::new();
    for contact in Dataset::generate(300, 3).contacts_value() {
        for key in [
            "id",
            "externalId",
            "source",
            "sourceUrl",
            "defaultFields",
            "customFields",
            "createdAt",
            "updatedAt",
            "createdByUserId",
        ] {
            assert!(contact.get(key).is_some(), "missing {key} in {contact}");
        }
        let id = contact["id"].as_str().unwrap();
        assert!(
            id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(ids_seen.insert(id.to_owned()), "duplicate id {id}");
        assert!(
            contact["createdByUserId"]
                .as_str()
                .unwrap()
                .starts_with("US")
        );
        let created =
            chrono::DateTime::parse_from_rfc3339(contact["createdAt"].as_str().unwrap()).unwrap();
        let updated =
            chrono::DateTime::parse_from_rfc3339(contact["updatedAt"].as_str().unwrap()).unwrap();
        assert!(updated >= created);
        let fields = &contact["defaultFields"];
        for key in [
            "company",
            "emails",
            "firstName",
            "lastName",
            "phoneNumbers",
            "role",
        ] {
            assert!(fields.get(key).is_some(), "missing defaultFields.{key}");
        }
        assert_eq!(fields["emails"].as_array().unwrap().len(), 2);
        assert_eq!(fields["phoneNumbers"].as_array().unwrap().len(), 2);
        let phone = fields["phoneNumbers"][0]["value"].as_str().unwrap();
        assert!(phone.starts_with("+1") && phone.len() == 12, "{phone}");
        let custom = contact["customFields"].as_array().unwrap();
        assert_eq!(custom.len(), 6);
        for field in custom {
            for key in ["name", "key", "id", "type", "value"] {
                assert!(field.get(key).is_some(), "missing customFields[].{key}");
            }
        }
    }
}

#[test]
fn every_custom_field_kind_is_present() {
    let expected: BTreeSet<String> = [
        "multi-select",
        "address",
        "string",
        "url",
        "boolean",
        "date",
        "number",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(kinds(&Dataset::demo()), expected);
}

#[test]
fn nulls_and_string_encoded_values_are_present() {
    let contacts = Dataset::demo().contacts_value();
    let fields: Vec<&Value> = contacts
        .iter()
        .flat_map(|c| c["customFields"].as_array().unwrap())
        .collect();
    let of_kind = |kind: &'static str| {
        fields
            .iter()
            .filter(move |f| f["type"] == kind)
            .map(|f| &f["value"])
    };
    for kind in [
        "multi-select",
        "address",
        "string",
        "url",
        "boolean",
        "date",
        "number",
    ] {
        assert!(of_kind(kind).any(Value::is_null), "no null {kind}");
    }
    // Typed as the schema says: a number or null, a boolean or null.
    assert!(of_kind("number").all(|v| v.is_number() || v.is_null()));
    assert!(of_kind("number").any(Value::is_number));
    assert!(of_kind("boolean").all(|v| v.is_boolean() || v.is_null()));
    assert!(of_kind("boolean").any(Value::is_boolean));
    assert!(contacts.iter().any(|c| c["externalId"].is_null()));
    assert!(contacts.iter().any(|c| c["source"].is_null()));
    assert!(
        contacts
            .iter()
            .any(|c| c["defaultFields"]["company"].is_null())
    );
    let sources: BTreeSet<&str> = contacts
        .iter()
        .filter_map(|c| c["source"].as_str())
        .collect();
    assert!(sources.is_superset(&BTreeSet::from(["public-api", "csv", "google-contacts"])));
}

#[test]
fn external_ids_are_unique_and_indexed() {
    let dataset = Dataset::generate(1_000, 5);
    let contacts = dataset.contacts_value();
    let external: Vec<&str> = contacts
        .iter()
        .filter_map(|c| c["externalId"].as_str())
        .collect();
    assert_eq!(
        external.len(),
        external.iter().collect::<HashSet<_>>().len()
    );
    assert!(
        external
            .iter()
            .all(|e| !e.is_empty() && e.chars().count() <= 75)
    );
    let wanted = vec![
        external[0].to_owned(),
        external[9].to_owned(),
        "nope".to_owned(),
    ];
    let found = dataset.indices_by_external_ids(&wanted);
    assert_eq!(found.len(), 2);
    for i in found {
        assert!(
            wanted
                .iter()
                .any(|w| contacts[i]["externalId"] == w.as_str())
        );
    }
}

#[test]
fn ids_and_lookups_agree() {
    let dataset = Dataset::generate(100, 9);
    let ids: Vec<&str> = dataset.ids().collect();
    assert_eq!(ids.len(), 100);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(dataset.position(id), Some(i));
        assert_eq!(dataset.contact_value(i)["id"], *id);
    }
    assert_eq!(dataset.position("missing"), None);
}

#[test]
fn hand_made_contacts_are_served_as_given() {
    let odd = json!({"id": "x/1 é", "externalId": "ext-1", "source": "zapier", "customFields": [{"type": "mystery", "value": {"a": 1}}]});
    let mut dataset = Dataset::from_values([
        odd.clone(),
        json!({"no": "id"}),
        json!({"id": "x/1 é", "dup": true}),
    ]);
    dataset.push(json!({"id": "last"}));
    assert_eq!(dataset.len(), 4);
    assert_eq!(dataset.contacts_value()[0], odd);
    assert_eq!(
        dataset.ids().collect::<Vec<_>>(),
        ["x/1 é", "x/1 é", "last"]
    );
    assert_eq!(dataset.position("x/1 é"), Some(0), "first duplicate wins");
    assert_eq!(dataset.source(0), Some("zapier"));
    assert_eq!(dataset.indices_by_external_ids(&["ext-1".to_owned()]), [0]);
    assert!(Dataset::from_values([]).is_empty());
}

#[test]
fn debug_output_stays_short() {
    let text = format!("{:?}", Dataset::generate(200, 1));
    assert!(
        text.starts_with("Dataset { len: 200") && text.len() < 100,
        "{text}"
    );
}
