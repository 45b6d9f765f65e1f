//! Checks of request inputs that every resource shares: ids that go into a
//! path, E.164 numbers, text lengths.
//!
//! Each returns [`Error::InvalidInput`] naming the parameter and quoting
//! the value cut short, so bad input fails on its own with nothing sent.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result, quote_short};

/// Refuses ids that would not reach `/v1/<resource>/{id}` for that id.
///
/// The generated client percent-encodes `/ ? # %`, spaces, control
/// characters and non-ASCII, so those stay inside one path segment. What it
/// cannot help with is the URL parser's own rules, applied after encoding: a
/// whole segment `.` or `..` is resolved away (`..` reaches `/v1/`), and `\`
/// is not encoded but counts as `/` in `http(s)` URLs (`..\webhooks` reaches
/// `/v1/webhooks`). An empty id would hit the list endpoint. Control
/// characters never occur in a Quo id, so they are refused as a likely bug.
pub(crate) fn path_id(field: &'static str, id: &str) -> Result<()> {
    let problem = if id.is_empty() {
        "must not be empty"
    } else if id == "." || id == ".." {
        "must not be `.` or `..`"
    } else if id.contains('\\') {
        "must not contain a backslash"
    } else if id.chars().any(char::is_control) {
        "must not contain control characters"
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput {
        field,
        message: format!("an id {problem} (got {:?})", quote_short(id)),
    })
}

/// Checks an id read from a response (`at` names where: `data.id`,
/// `data[2].id`) before it goes into a request path: the rules of
/// [`path_id`], the one check a caller's ids pass too.
///
/// A server, or anything between it and the client, that answers `..` or
/// an id holding `\` must not steer a write to another path. Such an id is
/// an [`Error::Decode`] (the response is unusable), raised before any
/// request is built from it.
pub(crate) fn response_id(at: &str, id: &str) -> Result<()> {
    path_id("id", id).map_err(|refused| {
        let reason = match refused {
            Error::InvalidInput { message, .. } => message,
            other => other.to_string(),
        };
        Error::Decode {
            status: None,
            path: Some(quote_short(at)),
            message: format!("the response holds an id that cannot go into a request path: {reason}; nothing was sent with it"),
            excerpt: quote_short(id),
        }
    })
}

/// Whether `value` is an E.164 number: `+`, then 2 to 15 digits, the first
/// not 0.
pub(crate) fn is_e164(value: &str) -> bool {
    let digits = value.strip_prefix('+').unwrap_or_default();
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A phone number in E.164.
pub(crate) fn e164(field: &'static str, value: &str) -> Result<()> {
    if is_e164(value) {
        return Ok(());
    }
    Err(Error::InvalidInput {
        field,
        message: format!(
            "{:?} is not an E.164 number (like +15555550123)",
            quote_short(value)
        ),
    })
}

/// Longest recipient that is not an E.164 number (a short code such as
/// `12345`), in characters: the spec's `maxLength` for `to` items.
pub(crate) const MAX_SHORT_RECIPIENT_CHARS: usize = 15;

/// Whether `value` is a message recipient as the spec allows it: an E.164
/// number, or any other text of at most 15 characters (a short code).
///
/// Stricter than the spec in one way: an empty recipient is refused, as it
/// can reach no one and only comes from a bug (the spec sets no minimum).
pub(crate) fn is_recipient(value: &str) -> bool {
    is_e164(value) || (1..=MAX_SHORT_RECIPIENT_CHARS).contains(&value.chars().count())
}

/// A message recipient ([`is_recipient`]).
pub(crate) fn recipient(field: &'static str, value: &str) -> Result<()> {
    if is_recipient(value) {
        return Ok(());
    }
    Err(Error::InvalidInput {
        field,
        message: format!(
            "{:?} is neither an E.164 number (like +15555550123) nor a short code of 1 to \
             {MAX_SHORT_RECIPIENT_CHARS} characters",
            quote_short(value)
        ),
    })
}

/// Text of `1..=max` characters.
pub(crate) fn length(field: &'static str, value: &str, max: usize) -> Result<()> {
    let chars = value.chars().count();
    if chars == 0 || chars > max {
        return Err(Error::InvalidInput {
            field,
            message: format!(
                "must be 1 to {max} characters, got {chars} ({:?})",
                quote_short(value)
            ),
        });
    }
    Ok(())
}

/// An id of one kind of Quo object, which Quo writes with a fixed prefix
/// (`PN...` a phone number, `US...` a user, `AC...` a call): the prefix and
/// at least one character after it, safe in a path.
///
/// Stricter than the spec's `^PN(.*)$` in one way: a bare prefix names no
/// object and only comes from an empty id pasted after it.
pub(crate) fn prefixed_id(field: &'static str, id: &str, prefix: &str) -> Result<()> {
    if has_prefix(id, prefix) {
        return path_id(field, id);
    }
    Err(Error::InvalidInput {
        field,
        message: format!("{:?} is not a {prefix}... id", quote_short(id)),
    })
}

/// The prefix and at least one character after it.
fn has_prefix(id: &str, prefix: &str) -> bool {
    id.len() > prefix.len() && id.starts_with(prefix)
}

/// A workspace phone number as Quo takes it where the spec allows either:
/// its id (`PN...`, safe in a path) or the number in E.164.
pub(crate) fn phone_number(field: &'static str, value: &str) -> Result<()> {
    if is_e164(value) {
        return Ok(());
    }
    if has_prefix(value, "PN") {
        return path_id(field, value);
    }
    Err(Error::InvalidInput {
        field,
        message: format!(
            "{:?} is neither a phone number id (PN...) nor an E.164 number",
            quote_short(value)
        ),
    })
}

/// An optional `userId` (a listing's filter, a draft's user): a user id
/// (`US...`) when set.
pub(crate) fn optional_user_id(user_id: Option<&str>) -> Result<()> {
    match user_id {
        Some(user_id) => prefixed_id("user_id", user_id, "US"),
        None => Ok(()),
    }
}

/// A `createdAfter`/`createdBefore` pair that can match something.
///
/// Stricter than the spec (which takes any pair): a range that is empty
/// would walk every page only to match nothing, so it is a bug to report.
pub(crate) fn time_range(
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
) -> Result<()> {
    match (after, before) {
        (Some(after), Some(before)) if after >= before => Err(Error::InvalidInput {
            field: "created_before",
            message: format!("{before} is not after {after}: nothing would match"),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{e164, length, optional_user_id, path_id, phone_number, prefixed_id, recipient};
    use crate::error::Error;

    fn refused(result: crate::Result<()>) -> &'static str {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn ids_that_would_change_the_path_are_refused() {
        for id in [
            "",
            ".",
            "..",
            "..\\webhooks",
            "a\\b",
            "a\tb",
            "a\nb",
            "\u{7f}",
        ] {
            assert_eq!(refused(path_id("id", id)), "id", "{id:?}");
        }
        for id in ["...", "../webhooks", "a/b", "a?b#c", "100%", " ", "é", ".a"] {
            assert!(path_id("id", id).is_ok(), "{id:?}");
        }
    }

    #[test]
    fn phone_numbers_must_be_e164() {
        for ok in ["+15555550123", "+447911123456", "+12"] {
            assert!(e164("to", ok).is_ok(), "{ok}");
        }
        for bad in [
            "15555550123",
            "+1 555 555 0123",
            "+0123",
            "+1",
            "+1234567890123456",
            "",
            "+1555a",
        ] {
            assert_eq!(refused(e164("to", bad)), "to", "{bad}");
        }
    }

    #[test]
    fn recipients_are_e164_numbers_or_short_codes_as_the_spec_says() {
        for ok in [
            "+15555550123",
            "+123456789012345",
            "12345",
            "555-0123",
            "123456789012345",
            "SHORT",
        ] {
            assert!(recipient("to", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1234567890123456",
            "+1234567890123456",
            "+1 555 555 01234",
        ] {
            assert_eq!(refused(recipient("to", bad)), "to", "{bad}");
        }
    }

    #[test]
    fn a_workspace_number_is_its_pn_id_safe_in_a_path_or_e164() {
        for good in ["PNtoDbDhuz", "+15555550123"] {
            assert!(phone_number("from", good).is_ok(), "{good:?}");
        }
        for bad in [
            "PN",
            "PN\\x",
            "PN..\\webhooks",
            "15555550123",
            "(555) 555-0123",
            "US1",
            "",
        ] {
            assert_eq!(refused(phone_number("from", bad)), "from", "{bad:?}");
        }
    }

    #[test]
    fn an_optional_user_id_is_checked_only_when_set() {
        assert!(optional_user_id(None).is_ok());
        assert!(optional_user_id(Some("US123abc")).is_ok());
        for bad in ["PN1", "US", "us1"] {
            assert_eq!(refused(optional_user_id(Some(bad))), "user_id", "{bad:?}");
        }
    }

    #[test]
    fn prefixed_ids_need_their_prefix() {
        assert!(prefixed_id("user_id", "US1", "US").is_ok());
        for bad in ["US", "PN1", "", "us1"] {
            assert_eq!(
                refused(prefixed_id("user_id", bad, "US")),
                "user_id",
                "{bad}"
            );
        }
    }

    #[test]
    fn lengths_count_characters() {
        assert!(length("f", &"é".repeat(3), 3).is_ok());
        assert_eq!(refused(length("f", "", 3)), "f");
        assert_eq!(refused(length("f", "abcd", 3)), "f");
    }
}
