//! Deterministic generation of realistic contacts, rendered straight to JSON.
//!
//! One seed fixes a whole fictional workspace: its users, its custom field
//! definitions and every contact. Contacts are serialised through structs (not
//! `serde_json::Value`) so keys come out in the order the API documents, and
//! each contact is rendered once, when the dataset is built.

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::prng::DemoRng;
use super::words::{
    ACCOUNT_MANAGERS, CITIES, COMPANIES, FIRST_NAMES, INTERESTS, LAST_NAMES, MAIL_PROVIDERS,
    OTHER_EMAIL_LABELS, OTHER_PHONE_LABELS, ROLES, STREETS, WORK_EMAIL_LABELS, WORK_PHONE_LABELS,
    ascii_slug,
};

/// One generated contact: its JSON and the fields the server filters on.
pub(crate) struct Rendered {
    /// The contact as the API renders it.
    pub(crate) json: Vec<u8>,
    /// `id`.
    pub(crate) id: String,
    /// `externalId`, when not null.
    pub(crate) external_id: Option<String>,
    /// `source`, when not null.
    pub(crate) source: Option<&'static str>,
}

/// Earliest `createdAt` of a generated contact (2021-03-01T00:00:00Z).
const EPOCH_START: i64 = 1_614_556_800;
/// Latest `createdAt` of a generated contact (2025-06-01T00:00:00Z).
const EPOCH_END: i64 = 1_748_736_000;
/// Latest `updatedAt` and follow-up date (2025-12-31T00:00:00Z).
const HORIZON: i64 = 1_767_139_200;

/// The seven custom field kinds the API knows, with the field that uses each.
pub(crate) const FIELD_DEFS: [(&str, &str, &str); 7] = [
    ("Product Interest", "product-interest", "multi-select"),
    ("Billing Address", "billing-address", "address"),
    ("Account Manager", "account-manager", "string"),
    ("Website", "website", "url"),
    ("Newsletter Opt-in", "newsletter-opt-in", "boolean"),
    ("Next Follow-up", "next-follow-up", "date"),
    ("Deal Size", "deal-size", "number"),
];

/// Where contacts come from, with how many in 100 come from each (`None` =
/// created in the app, reported as `null`).
const SOURCES: [(Option<&str>, u64); 5] = [
    (Some("public-api"), 30),
    (Some("csv"), 25),
    (Some("google-contacts"), 20),
    (Some("hubspot"), 10),
    (None, 15),
];

/// The parts of a workspace shared by all of its contacts.
struct Workspace {
    /// The 40 "machine" bits of every ObjectId-style id minted here.
    machine: u64,
    /// The counter of the oldest contact id.
    counter_start: u64,
    /// `createdByUserId` values.
    users: Vec<String>,
    /// Ids of the seven custom field definitions, in `FIELD_DEFS` order.
    field_ids: Vec<String>,
    /// HubSpot portal id used in HubSpot source URLs.
    hubspot_portal: u64,
    /// Batch number used in CSV-imported external ids.
    csv_batch: u64,
}

impl Workspace {
    fn new(rng: &mut DemoRng) -> Self {
        let machine = rng.next_u64() & 0xff_ffff_ffff;
        let counter_start = rng.next_u64() & 0xff_ffff;
        let users = (0..5)
            .map(|_| format!("US{}", rng.string_from(ALNUM, 8)))
            .collect();
        // Field definitions were created with the workspace, in early 2021.
        let field_ids = (0..FIELD_DEFS.len() as u64)
            .map(|i| object_id(EPOCH_START as u64 - 86_400 * 20 + i * 3_600, machine, i))
            .collect();
        Self {
            machine,
            counter_start,
            users,
            field_ids,
            hubspot_portal: rng.range(20_000_000, 49_999_999),
            csv_batch: rng.range(1, 9),
        }
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A MongoDB-ObjectId-shaped id: 4 bytes of time, 5 of machine, 3 of counter.
fn object_id(unix_secs: u64, machine: u64, counter: u64) -> String {
    format!(
        "{:08x}{:010x}{:06x}",
        unix_secs & 0xffff_ffff,
        machine & 0xff_ffff_ffff,
        counter & 0xff_ffff
    )
}

fn rfc3339(unix_secs: i64, millis: u32) -> String {
    DateTime::<Utc>::from_timestamp(unix_secs, millis * 1_000_000)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContactDoc<'a> {
    id: &'a str,
    external_id: Option<&'a str>,
    source: Option<&'a str>,
    source_url: Option<String>,
    default_fields: DefaultFields<'a>,
    custom_fields: Vec<CustomFieldDoc<'a>>,
    created_at: String,
    updated_at: String,
    created_by_user_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DefaultFields<'a> {
    company: Option<&'a str>,
    emails: [LabelledValue<'a>; 2],
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    phone_numbers: [LabelledValue<'a>; 2],
    role: Option<&'a str>,
}

#[derive(Serialize)]
struct LabelledValue<'a> {
    name: &'a str,
    value: Option<String>,
    id: String,
}

#[derive(Serialize)]
struct CustomFieldDoc<'a> {
    name: &'a str,
    key: &'a str,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    value: Value,
}

/// Generates `count` contacts for the workspace fixed by `seed`, newest first.
pub(crate) fn generate(count: usize, seed: u64) -> Vec<Rendered> {
    let mut rng = DemoRng::new(seed);
    let workspace = Workspace::new(&mut rng);
    let mut created: Vec<(i64, u32)> = (0..count)
        .map(|_| {
            (
                rng.range(EPOCH_START as u64, EPOCH_END as u64) as i64,
                rng.below(1000) as u32,
            )
        })
        .collect();
    created.sort_unstable_by(|a, b| b.cmp(a));
    created
        .iter()
        .enumerate()
        .map(|(i, &(secs, millis))| {
            // Counters grow with time, so the newest contact has the largest one.
            let counter = workspace.counter_start + (count - 1 - i) as u64;
            contact(&mut rng, &workspace, i, secs, millis, counter)
        })
        .collect()
}

fn contact(
    rng: &mut DemoRng,
    ws: &Workspace,
    index: usize,
    created_secs: i64,
    created_millis: u32,
    counter: u64,
) -> Rendered {
    let id = object_id(created_secs as u64, ws.machine, counter);
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    let company = (!rng.chance(10)).then(|| *rng.pick(COMPANIES));
    let role = (!rng.chance(12)).then(|| *rng.pick(ROLES));
    let city = *rng.pick(CITIES);

    let source = pick_source(rng);
    let external_id = (!rng.chance(18)).then(|| external_id(ws, source, index));
    let source_url = source_url(rng, ws, source, &id);

    let person = format!("{}.{}", ascii_slug(first), ascii_slug(last));
    let work_domain = company.map_or_else(
        || (*rng.pick(MAIL_PROVIDERS)).to_owned(),
        |c| format!("{}.com", ascii_slug(c)),
    );
    let emails = [
        LabelledValue {
            name: rng.choose(WORK_EMAIL_LABELS),
            value: Some(format!("{person}@{work_domain}")),
            id: rng.string_from(LOWER_ALNUM, 8),
        },
        LabelledValue {
            name: rng.choose(OTHER_EMAIL_LABELS),
            value: (!rng.chance(6)).then(|| {
                format!(
                    "{}{}@{}",
                    ascii_slug(first),
                    rng.range(1, 999),
                    rng.pick(MAIL_PROVIDERS)
                )
            }),
            id: rng.string_from(LOWER_ALNUM, 8),
        },
    ];
    let phone_numbers = [
        LabelledValue {
            name: rng.choose(WORK_PHONE_LABELS),
            value: Some(phone(rng, city.3)),
            id: rng.string_from(LOWER_ALNUM, 8),
        },
        LabelledValue {
            name: rng.choose(OTHER_PHONE_LABELS),
            value: (!rng.chance(6)).then(|| phone(rng, city.3)),
            id: rng.string_from(LOWER_ALNUM, 8),
        },
    ];

    let updated_secs = if rng.chance(30) {
        created_secs
    } else {
        rng.range(created_secs as u64, HORIZON as u64) as i64
    };
    let updated_millis = if updated_secs == created_secs {
        created_millis
    } else {
        rng.below(1000) as u32
    };

    let omitted = rng.below(FIELD_DEFS.len() as u64) as usize;
    let custom_fields = FIELD_DEFS
        .iter()
        .zip(&ws.field_ids)
        .enumerate()
        .filter(|&(k, _)| k != omitted)
        .map(|(_, (&(name, key, kind), field_id))| CustomFieldDoc {
            name,
            key,
            id: field_id,
            kind,
            value: custom_value(rng, kind, first, last, company, city, created_secs),
        })
        .collect();

    let doc = ContactDoc {
        id: &id,
        external_id: external_id.as_deref(),
        source,
        source_url,
        default_fields: DefaultFields {
            company,
            emails,
            first_name: Some(first),
            last_name: Some(last),
            phone_numbers,
            role,
        },
        custom_fields,
        created_at: rfc3339(created_secs, created_millis),
        updated_at: rfc3339(updated_secs, updated_millis),
        created_by_user_id: rng.pick(&ws.users).as_str(),
    };
    // Serialising plain structs of strings and `Value`s cannot fail.
    let json = serde_json::to_vec(&doc).unwrap_or_default();
    Rendered {
        json,
        id,
        external_id,
        source,
    }
}

fn pick_source(rng: &mut DemoRng) -> Option<&'static str> {
    let mut roll = rng.below(100);
    for (source, weight) in SOURCES {
        if roll < weight {
            return source;
        }
        roll -= weight;
    }
    None
}

/// External ids are unique: each shape embeds the contact's index.
fn external_id(ws: &Workspace, source: Option<&str>, index: usize) -> String {
    let n = index as u64;
    match source {
        Some("public-api") => format!("cust_{:06}", 100_000 + n),
        Some("csv") => format!("import-{}-{:05}", ws.csv_batch, n),
        Some("google-contacts") => format!("people/c{}", 4_000_000_000_000 + n * 9_973),
        Some("hubspot") => format!("hubspot-{}", 50_000_000 + n * 7),
        _ => format!("legacy-{n}"),
    }
}

fn source_url(rng: &mut DemoRng, ws: &Workspace, source: Option<&str>, id: &str) -> Option<String> {
    match source {
        Some("public-api") if rng.chance(70) => Some(format!("https://openphone.co/contacts/{id}")),
        Some("google-contacts") => Some(format!(
            "https://contacts.google.com/person/c{}",
            rng.range(1_000_000_000_000_000, 9_999_999_999_999_999)
        )),
        Some("hubspot") => Some(format!(
            "https://app.hubspot.com/contacts/{}/record/0-1/{}",
            ws.hubspot_portal,
            rng.range(10_000_000_000, 99_999_999_999)
        )),
        _ => None,
    }
}

/// A US number in the fictional 555-01xx block of the city's area code.
fn phone(rng: &mut DemoRng, area_code: u32) -> String {
    format!("+1{area_code}55501{:02}", rng.below(100))
}

fn custom_value(
    rng: &mut DemoRng,
    kind: &str,
    first: &str,
    last: &str,
    company: Option<&str>,
    city: (&str, &str, &str, u32),
    created_secs: i64,
) -> Value {
    if rng.chance(12) {
        return Value::Null;
    }
    match kind {
        "multi-select" => {
            let wanted = rng.below(4) as usize;
            let mut picks: Vec<&str> = Vec::with_capacity(wanted);
            while picks.len() < wanted {
                let option = *rng.pick(INTERESTS);
                if !picks.contains(&option) {
                    picks.push(option);
                }
            }
            json!(picks)
        }
        "address" => {
            let (name, state, zip, _) = city;
            let suite = if rng.chance(35) {
                format!(", Suite {}", rng.range(100, 950))
            } else {
                String::new()
            };
            Value::String(format!(
                "{} {}{suite}, {name}, {state} {zip}{:02}",
                rng.range(12, 9_899),
                rng.pick(STREETS),
                rng.below(100)
            ))
        }
        "string" => Value::String((*rng.pick(ACCOUNT_MANAGERS)).to_owned()),
        "url" => Value::String(match company {
            Some(company) if rng.chance(60) => format!("https://www.{}.com", ascii_slug(company)),
            _ => format!(
                "https://www.linkedin.com/in/{}-{}-{}",
                ascii_slug(first),
                ascii_slug(last),
                rng.string_from(LOWER_ALNUM, 6)
            ),
        }),
        "boolean" => {
            let value = rng.chance(50);
            // Typed, as the schema says; the draw that once sent a share of
            // them as strings stays, so the rest of the data is unchanged
            // (`DemoConfig::with_string_typed_custom_fields` sends strings).
            let _ = rng.chance(20);
            Value::Bool(value)
        }
        "date" => {
            let secs = rng.range(created_secs as u64, HORIZON as u64) as i64;
            let day = DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or_default();
            // Midnight in New York, as the app stores picked dates.
            let offset = if (4..=10).contains(&day.month()) {
                4
            } else {
                5
            };
            Value::String(format!("{}T{offset:02}:00:00.000Z", day.format("%Y-%m-%d")))
        }
        "number" => {
            if rng.chance(20) {
                // Once sent as a string ("424242"); typed now, from the same draw.
                json!(rng.range(500, 999_999))
            } else if rng.chance(30) {
                json!(rng.range(10_000, 9_999_999) as f64 / 100.0)
            } else {
                json!(rng.range(1, 250) * 500)
            }
        }
        _ => Value::Null,
    }
}
