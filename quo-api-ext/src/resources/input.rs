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
pub(crate) fn prefixed_id(field: &'static str, id: &str, prefix: &str) -> Result<()> {
    if id.len() > prefix.len() && id.starts_with(prefix) {
        return path_id(field, id);
    }
    Err(Error::InvalidInput {
        field,
        message: format!("{:?} is not a {prefix}... id", quote_short(id)),
    })
}

/// A `createdAfter`/`createdBefore` pair that can match something.
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
    use super::{e164, length, path_id, prefixed_id};
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
