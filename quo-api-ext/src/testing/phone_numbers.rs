//! The demo workspace's phone numbers: `GET /v1/phone-numbers` (optionally
//! only those shared with one `userId`) and `GET /v1/phone-numbers/{id}`.
//!
//! Two fixed numbers, with every field Quo's `PhoneNumber` has. The first is
//! the one the demo messages and calls go through.

use hyper::StatusCode;
use serde_json::{Value, json};

use super::errors::{self, Service};
use super::query;
use super::reply::Reply;

/// Id of the demo workspace's main number, the one the demo messages and
/// calls go through.
pub const DEMO_PHONE_NUMBER_ID: &str = "PNdemo0001";
/// The main number in E.164.
pub const DEMO_PHONE_NUMBER: &str = "+15555550100";
/// The outside number (a customer) most demo messages and calls are with.
pub const DEMO_PARTICIPANT: &str = "+15555550123";

/// One demo number.
struct Row {
    id: &'static str,
    number: &'static str,
    formatted: &'static str,
    name: &'static str,
    symbol: &'static str,
    /// Indexes into [`USERS`]; the first is the owner.
    users: &'static [usize],
}

const NUMBERS: [Row; 2] = [
    Row {
        id: DEMO_PHONE_NUMBER_ID,
        number: DEMO_PHONE_NUMBER,
        formatted: "(555) 555-0100",
        name: "Main line",
        symbol: "🏢",
        users: &[0, 1],
    },
    Row {
        id: "PNdemo0002",
        number: "+15555550101",
        formatted: "(555) 555-0101",
        name: "Support",
        symbol: "🛟",
        users: &[1],
    },
];

/// `(id, email, first name, last name, role)` of the users the demo numbers
/// are shared with; [`super::users`] serves them first, with more after.
pub(crate) const USERS: [(&str, &str, &str, &str, &str); 2] = [
    ("USdemo0001", "ada@example.com", "Ada", "Lovelace", "owner"),
    (
        "USdemo0002",
        "grace@example.com",
        "Grace",
        "Hopper",
        "member",
    ),
];

/// The group every demo number and user belongs to.
pub(crate) const GROUP_ID: &str = "GRdemo0001";

/// The demo phone numbers, in list order, as Quo renders them.
pub(crate) fn all() -> Vec<Value> {
    NUMBERS
        .iter()
        .map(|row| {
            let users: Vec<Value> = row
                .users
                .iter()
                .filter_map(|&i| USERS.get(i))
                .map(user)
                .collect();
            json!({
                "id": row.id,
                "groupId": GROUP_ID,
                "portRequestId": null,
                "formattedNumber": row.formatted,
                "forward": null,
                "name": row.name,
                "number": row.number,
                "portingStatus": null,
                "symbol": row.symbol,
                "users": users,
                "createdAt": "2024-01-15T09:00:00.000Z",
                "updatedAt": "2024-03-02T16:30:00.000Z",
                "restrictions": {
                    "calling": {"CA": "unrestricted", "Intl": "restricted", "US": "unrestricted"},
                    "messaging": {"CA": "unrestricted", "Intl": "restricted", "US": "unrestricted"},
                },
            })
        })
        .collect()
}

fn user(&(id, email, first, last, role): &(&str, &str, &str, &str, &str)) -> Value {
    json!({
        "id": id,
        "email": email,
        "firstName": first,
        "lastName": last,
        "role": role,
        "groupId": GROUP_ID,
    })
}

/// A demo number, as other endpoints need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DemoNumber {
    /// `PN...`.
    pub(crate) id: &'static str,
    /// E.164.
    pub(crate) number: &'static str,
    /// The first user it is shared with (its owner).
    pub(crate) owner: &'static str,
}

/// The demo number with this id or E.164 number.
pub(crate) fn find(id_or_number: &str) -> Option<DemoNumber> {
    NUMBERS
        .iter()
        .find(|n| n.id == id_or_number || n.number == id_or_number)
        .map(|n| DemoNumber {
            id: n.id,
            number: n.number,
            owner: n
                .users
                .first()
                .and_then(|&i| USERS.get(i))
                .map_or("", |u| u.0),
        })
}

/// Whether the number with this id is shared with this user.
pub(crate) fn is_shared_with(number_id: &str, user_id: &str) -> bool {
    NUMBERS.iter().any(|n| {
        n.id == number_id
            && n.users
                .iter()
                .any(|&i| USERS.get(i).is_some_and(|u| u.0 == user_id))
    })
}

/// `GET /v1/phone-numbers`: every number, or those shared with `userId`.
pub(crate) fn list(raw_query: Option<&str>, trace: &str) -> Reply {
    let user_id = match query::user_filter(raw_query) {
        Ok(user_id) => user_id,
        Err(e) => return errors::invalid(Service::PhoneNumbers, &e.message, &e.errors, trace),
    };
    let numbers: Vec<Value> = all()
        .into_iter()
        .filter(|number| match &user_id {
            None => true,
            Some(wanted) => number["users"]
                .as_array()
                .is_some_and(|users| users.iter().any(|u| u["id"] == wanted.as_str())),
        })
        .collect();
    Reply::data(StatusCode::OK, &Value::from(numbers))
}

/// `GET /v1/phone-numbers/{id}` (the id already decoded).
pub(crate) fn get(id: &str, trace: &str) -> Reply {
    match all().into_iter().find(|n| n["id"] == id) {
        Some(number) => Reply::data(StatusCode::OK, &number),
        None => errors::not_found(Service::PhoneNumbers, "Phone number not found", trace),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn lists_every_number_or_those_of_one_user() {
        let all = body(&list(None, "t"));
        assert_eq!(all["data"].as_array().unwrap().len(), 2);
        assert_eq!(all["data"][0]["id"], DEMO_PHONE_NUMBER_ID);
        assert_eq!(all["data"][0]["number"], DEMO_PHONE_NUMBER);
        let ada = body(&list(Some("userId=USdemo0001"), "t"));
        assert_eq!(ada["data"].as_array().unwrap().len(), 1);
        let nobody = body(&list(Some("userId=USnobody"), "t"));
        assert_eq!(nobody["data"], json!([]));
    }

    #[test]
    fn a_bad_user_id_is_a_400_naming_it() {
        let reply = list(Some("userId=bob"), "t");
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let body = body(&reply);
        assert_eq!(body["code"], "0400400");
        assert_eq!(body["errors"][0]["path"], "/userId");
    }

    #[test]
    fn get_finds_by_id_or_is_a_404() {
        assert_eq!(body(&get("PNdemo0002", "t"))["data"]["name"], "Support");
        let missing = get("PNnope", "t");
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(body(&missing)["code"], "0400404");
    }

    #[test]
    fn numbers_decode_as_the_sdk_type() {
        for number in all() {
            let decoded: Result<quo_api::types::PhoneNumber, _> = serde_json::from_value(number);
            assert!(decoded.is_ok(), "{decoded:?}");
        }
        let main = find(DEMO_PHONE_NUMBER).unwrap();
        assert_eq!((main.id, main.owner), (DEMO_PHONE_NUMBER_ID, "USdemo0001"));
        assert_eq!(find("PNdemo0002").map(|n| n.number), Some("+15555550101"));
        assert_eq!(find("+19999999999"), None);
    }
}
