//! The demo workspace's users: `GET /v1/users` (paged with `maxResults`
//! 1..=50 and the opaque `pageToken`s) and `GET /v1/users/{userId}`.
//!
//! The users the demo numbers are shared with come first (so every user a
//! phone number names can be read), then a few more drawn from the seeded
//! generator, the same on every run.

use hyper::StatusCode;
use serde_json::{Value, json};

use super::dataset::DEMO_SEED;
use super::errors::{self, Service};
use super::phone_numbers::USERS;
use super::prng::DemoRng;
use super::query;
use super::reply::Reply;
use super::words::{FIRST_NAMES, LAST_NAMES};

/// How many users the generator adds after the phone numbers' users.
const GENERATED: usize = 4;

/// Largest `maxResults` the spec allows for users.
const MAX_RESULTS: u64 = 50;

/// The page-token fingerprint of the users: they never change.
const STORE_STATE: u64 = 0x05E2_5000;

/// Every demo user, in list order, as Quo renders them.
pub(crate) fn all() -> Vec<Value> {
    let mut users: Vec<Value> = USERS
        .iter()
        .enumerate()
        .map(|(n, &(id, email, first, last, role))| {
            user(id, email, first, last, role, n, Value::Null)
        })
        .collect();
    // Names that make a plain-ASCII email address, which the spec's
    // `format: email` asks for.
    let ascii = |names: &'static [&'static str]| -> Vec<&'static str> {
        names
            .iter()
            .copied()
            .filter(|n| n.chars().all(|c| c.is_ascii_alphabetic()))
            .collect()
    };
    let (firsts, lasts) = (ascii(FIRST_NAMES), ascii(LAST_NAMES));
    let mut rng = DemoRng::new(DEMO_SEED ^ 0x05E2);
    for n in USERS.len()..USERS.len() + GENERATED {
        let first = rng.choose(&firsts);
        let last = rng.choose(&lasts);
        let email = format!(
            "{}.{}@example.com",
            first.to_ascii_lowercase(),
            last.to_ascii_lowercase()
        );
        let role = if n == USERS.len() { "admin" } else { "member" };
        let picture = if rng.chance(50) {
            Value::from(format!(
                "https://example.com/avatars/USdemo{:04}.png",
                n + 1
            ))
        } else {
            Value::Null
        };
        let id = format!("USdemo{:04}", n + 1);
        users.push(user(&id, &email, first, last, role, n, picture));
    }
    users
}

/// One user as Quo renders it; `n` places its timestamps.
fn user(
    id: &str,
    email: &str,
    first: &str,
    last: &str,
    role: &str,
    n: usize,
    picture: Value,
) -> Value {
    let day = n % 28 + 1;
    json!({
        "id": id,
        "email": email,
        "firstName": first,
        "lastName": last,
        "pictureUrl": picture,
        "role": role,
        "createdAt": format!("2024-01-{day:02}T09:00:00.000Z"),
        "updatedAt": format!("2024-02-{day:02}T12:30:00.000Z"),
    })
}

/// Whether a user with this id exists.
pub(crate) fn exists(id: &str) -> bool {
    all().iter().any(|u| u["id"] == id)
}

/// `GET /v1/users`.
pub(crate) fn list(raw_query: Option<&str>, trace: &str) -> Reply {
    let invalid =
        |e: query::QueryError| errors::invalid(Service::Users, &e.message, &e.errors, trace);
    let (max_results, page_token) = match paging(raw_query, MAX_RESULTS) {
        Ok(paging) => paging,
        Err(e) => return invalid(e),
    };
    let users = all();
    let fingerprint = super::token::fingerprint_of(STORE_STATE, &[]);
    match super::token::window(page_token.as_deref(), fingerprint, users.len(), max_results) {
        Ok(window) => {
            let page: Vec<&Value> = users[window.range].iter().collect();
            Reply::page(&page, users.len(), window.next.as_deref())
        }
        Err(error) => errors::invalid(
            Service::Users,
            "pageToken: invalid page token",
            &[error],
            trace,
        ),
    }
}

/// The required `maxResults` (1..=`max`) and optional `pageToken` of a
/// list that has no other parameter (users, tasks).
pub(crate) fn paging(
    raw_query: Option<&str>,
    max: u64,
) -> Result<(usize, Option<String>), query::QueryError> {
    let (mut max_results, mut tokens) = (Vec::new(), Vec::new());
    for (key, value) in query::pairs(raw_query)? {
        match &*key {
            "maxResults" => max_results.push(value),
            "pageToken" => tokens.push(value),
            _ => {}
        }
    }
    let mut problems = Vec::new();
    let size = query::check_max_results(&max_results, max).unwrap_or_else(|e| {
        problems.push(e);
        0
    });
    let token = query::at_most_one("pageToken", &tokens).unwrap_or_else(|e| {
        problems.push(e);
        None
    });
    query::checked(problems).map(|()| (size, token))
}

/// `GET /v1/users/{userId}` (the id already decoded).
pub(crate) fn get(id: &str, trace: &str) -> Reply {
    match all().into_iter().find(|u| u["id"] == id) {
        Some(user) => Reply::data(StatusCode::OK, &user),
        None => errors::not_found(Service::Users, "User not found", trace),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn the_numbers_users_come_first_then_generated_ones_the_same_each_time() {
        let users = all();
        assert_eq!(users.len(), USERS.len() + GENERATED);
        assert_eq!(users, all());
        for number in super::super::phone_numbers::all() {
            for shared in number["users"].as_array().unwrap() {
                assert!(exists(shared["id"].as_str().unwrap()), "{shared}");
            }
        }
        for user in users {
            let decoded: Result<quo_api::types::User, _> = serde_json::from_value(user.clone());
            assert!(decoded.is_ok(), "{user}: {decoded:?}");
            assert!(user["email"].as_str().unwrap().is_ascii());
        }
    }

    #[test]
    fn lists_page_by_page_and_checks_max_results() {
        let first = body(&list(Some("maxResults=4"), "t"));
        assert_eq!(first["data"].as_array().unwrap().len(), 4);
        assert_eq!(first["totalItems"], 6);
        let token = first["nextPageToken"].as_str().unwrap();
        let second = body(&list(Some(&format!("maxResults=4&pageToken={token}")), "t"));
        assert_eq!(second["data"].as_array().unwrap().len(), 2);
        assert_eq!(second["nextPageToken"], Value::Null);
        let bad = list(Some("maxResults=51"), "t");
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(body(&bad)["code"], "1100400");
        assert_eq!(body(&bad)["errors"][0]["path"], "/maxResults");
    }

    #[test]
    fn get_finds_a_user_or_is_a_404() {
        assert_eq!(body(&get("USdemo0001", "t"))["data"]["firstName"], "Ada");
        let missing = get("USnobody", "t");
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(body(&missing)["code"], "1100404");
    }
}
