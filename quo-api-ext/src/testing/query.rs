//! Parsing and validation of the `GET /v1/contacts` query string, and the
//! pieces other list queries share (decoding, `maxResults`, single values).
//!
//! Arrays are repeated keys (`externalIds=a&externalIds=b`), decoded with
//! `application/x-www-form-urlencoded` rules (`%XX` and `+`). Like the real
//! API, unknown parameters are ignored; a repeated `maxResults` or `pageToken`
//! is an error, and an empty `pageToken` counts as absent.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::errors::BodyFieldError;

/// Largest `maxResults` the API accepts for contacts: the SDK's own bound.
const MAX_RESULTS: u64 = crate::contacts::MAX_PAGE_SIZE as u64;
/// Longest `externalIds`/`sources` item the API accepts, in characters.
const MAX_ITEM_CHARS: usize = 75;

/// A valid list query.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ListQuery {
    /// Page size, `1..=50`.
    pub(crate) max_results: usize,
    /// Token of the page to return; `None` for the first page.
    pub(crate) page_token: Option<String>,
    /// `externalIds` filter; empty = no filter.
    pub(crate) external_ids: Vec<String>,
    /// `sources` filter; empty = no filter.
    pub(crate) sources: Vec<String>,
}

/// Why a query was rejected: a summary and one entry per problem.
#[derive(Debug)]
pub(crate) struct QueryError {
    /// Human-readable summary (the first problem).
    pub(crate) message: String,
    /// Every problem found.
    pub(crate) errors: Vec<BodyFieldError>,
}

impl QueryError {
    fn single(error: BodyFieldError) -> Self {
        Self {
            message: format!("{}: {}", &error.path[1..], error.message),
            errors: vec![error],
        }
    }
}

/// The decoded key/value pairs of a raw query string (without `?`), in
/// order, or the error for a query that is not UTF-8 once decoded.
pub(crate) fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, QueryError> {
    let raw = raw.unwrap_or_default();
    // Percent-decoding the whole string is valid UTF-8 exactly when every
    // decoded key and value is, since they are separated by ASCII `&` and `=`.
    if percent_decode_str(raw).decode_utf8().is_err() {
        return Err(QueryError::single(BodyFieldError::new(
            "querystring",
            "Query string is not valid UTF-8 once percent-decoded",
            None,
            "object",
        )));
    }
    Ok(url::form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// Ok when `errors` is empty, else the error listing them all.
pub(crate) fn checked(errors: Vec<BodyFieldError>) -> Result<(), QueryError> {
    match errors.first() {
        None => Ok(()),
        Some(first) => Err(QueryError {
            message: format!("{}: {}", &first.path[1..], first.message),
            errors,
        }),
    }
}

/// The one value of an optional string parameter (`None` when absent or
/// empty), or an error naming it when it was given several times.
pub(crate) fn at_most_one(name: &str, values: &[String]) -> Result<Option<String>, BodyFieldError> {
    match values {
        [] => Ok(None),
        [one] => Ok(Some(one.clone()).filter(|v| !v.is_empty())),
        _ => Err(BodyFieldError::new(
            name,
            "Expected string, got several values",
            Some(Value::from(values.to_vec())),
            "string",
        )),
    }
}

/// The error for an id parameter that does not start with `prefix` (as the
/// spec's `^PN(.*)$` patterns ask), if it is given and does not.
pub(crate) fn prefixed(name: &str, value: Option<&str>, prefix: &str) -> Option<BodyFieldError> {
    let value = value.filter(|v| !v.starts_with(prefix))?;
    Some(BodyFieldError::new(
        name,
        format!("Expected string to match '^{prefix}(.*)$'"),
        Some(Value::from(value)),
        "string",
    ))
}

/// Parses the raw query string (without `?`) of a list request.
pub(crate) fn parse(raw: Option<&str>) -> Result<ListQuery, QueryError> {
    let mut max_results: Vec<String> = Vec::new();
    let mut page_tokens: Vec<String> = Vec::new();
    let mut query = ListQuery::default();
    for (key, value) in pairs(raw)? {
        match &*key {
            "maxResults" => max_results.push(value),
            "pageToken" => page_tokens.push(value),
            "externalIds" => query.external_ids.push(value),
            "sources" => query.sources.push(value),
            _ => {}
        }
    }

    let mut errors = Vec::new();
    match check_max_results(&max_results, MAX_RESULTS) {
        Ok(n) => query.max_results = n,
        Err(error) => errors.push(error),
    }
    match at_most_one("pageToken", &page_tokens) {
        Ok(token) => query.page_token = token,
        Err(error) => errors.push(error),
    }
    check_items("externalIds", &query.external_ids, &mut errors);
    check_items("sources", &query.sources, &mut errors);
    checked(errors).map(|()| query)
}

/// The required `maxResults`: one integer in `1..=max`.
pub(crate) fn check_max_results(values: &[String], max: u64) -> Result<usize, BodyFieldError> {
    let error = |message: &str, value: Option<Value>| {
        BodyFieldError::new("maxResults", message, value, "integer")
    };
    let raw = match values {
        [] => return Err(error("Expected required property", None)),
        [one] => one,
        _ => {
            return Err(error(
                "Expected integer, got several values",
                Some(Value::from(values.to_vec())),
            ));
        }
    };
    let number = parse_integer(raw)
        .ok_or_else(|| error("Expected integer", Some(Value::from(raw.as_str()))))?;
    // Huge values are reported as text, as they may not fit a JSON number.
    let shown = || i64::try_from(number).map_or_else(|_| Value::from(raw.as_str()), Value::from);
    if number < 1 {
        return Err(error(
            "Expected integer to be greater or equal to 1",
            Some(shown()),
        ));
    }
    if number > i128::from(max) {
        return Err(error(
            &format!("Expected integer to be less or equal to {max}"),
            Some(shown()),
        ));
    }
    Ok(number as usize)
}

/// An integer written as digits (optionally signed) or as a float with no
/// fractional part (`"10.0"`), as a JSON-schema coercion would accept.
fn parse_integer(raw: &str) -> Option<i128> {
    if let Ok(n) = raw.parse::<i128>() {
        return Some(n);
    }
    let float: f64 = raw.parse().ok()?;
    (float.is_finite() && float.fract() == 0.0 && float.abs() < 1e30).then_some(float as i128)
}

fn check_items(name: &str, items: &[String], errors: &mut Vec<BodyFieldError>) {
    for (i, item) in items.iter().enumerate() {
        let chars = item.chars().count();
        let message = if chars < 1 {
            "Expected string length greater or equal to 1"
        } else if chars > MAX_ITEM_CHARS {
            "Expected string length less or equal to 75"
        } else {
            continue;
        };
        errors.push(BodyFieldError::new(
            &format!("{name}/{i}"),
            message,
            Some(Value::from(item.as_str())),
            "string",
        ));
    }
}

/// The optional `userId` of a listing that filters on one user (phone
/// numbers, webhook subscriptions): at most one, `^US(.*)$`.
pub(crate) fn user_filter(raw_query: Option<&str>) -> Result<Option<String>, QueryError> {
    let values: Vec<String> = pairs(raw_query)?
        .into_iter()
        .filter(|(key, _)| key == "userId")
        .map(|(_, value)| value)
        .collect();
    let mut errors = Vec::new();
    let user_id = at_most_one("userId", &values).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    errors.extend(prefixed("userId", user_id.as_deref(), "US"));
    checked(errors).map(|()| user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> ListQuery {
        parse(Some(raw)).unwrap_or_else(|e| panic!("{raw:?}: {}", e.message))
    }

    fn err(raw: Option<&str>) -> QueryError {
        parse(raw).expect_err("should be rejected")
    }

    #[test]
    fn parses_repeated_keys_and_decodes_values() {
        let q =
            ok("maxResults=10&externalIds=a%2Bb&externalIds=c+d&sources=csv&pageToken=abc&other=1");
        assert_eq!(q.max_results, 10);
        assert_eq!(q.external_ids, ["a+b", "c d"]);
        assert_eq!(q.sources, ["csv"]);
        assert_eq!(q.page_token.as_deref(), Some("abc"));
        assert_eq!(ok("maxResults=5&pageToken=").page_token, None);
        assert_eq!(ok("maxResults=50.0").max_results, 50);
    }

    #[test]
    fn max_results_is_required_and_bounded() {
        let missing = err(None);
        assert_eq!(missing.errors[0].path, "/maxResults");
        for raw in [
            "maxResults=0",
            "maxResults=51",
            "maxResults=-1",
            "maxResults=abc",
            "maxResults=",
            "maxResults=1.5",
            "maxResults=99999999999999999999999999999999999999999",
            "maxResults=1&maxResults=2",
            "maxResults=NaN",
            "maxResults=inf",
        ] {
            let e = err(Some(raw));
            assert_eq!(e.errors[0].path, "/maxResults", "{raw}");
            assert!(
                e.message.starts_with("maxResults: "),
                "{raw}: {}",
                e.message
            );
        }
    }

    #[test]
    fn bad_items_and_encodings_are_rejected() {
        let long = "x".repeat(76);
        assert_eq!(
            err(Some(&format!("maxResults=1&externalIds={long}"))).errors[0].path,
            "/externalIds/0"
        );
        assert_eq!(
            err(Some("maxResults=1&sources=csv&sources=")).errors[0].path,
            "/sources/1"
        );
        assert_eq!(
            err(Some("maxResults=1&externalIds=%FF")).errors[0].path,
            "/querystring"
        );
        assert_eq!(
            err(Some("maxResults=1&pageToken=a&pageToken=b")).errors[0].path,
            "/pageToken"
        );
        // 75 characters (not bytes) is still fine.
        let ok_item = "é".repeat(75);
        assert_eq!(
            ok(&format!("maxResults=1&externalIds={ok_item}"))
                .external_ids
                .len(),
            1
        );
    }

    #[test]
    fn all_problems_are_listed() {
        let e = err(Some("maxResults=0&sources="));
        assert_eq!(e.errors.len(), 2);
    }
}
