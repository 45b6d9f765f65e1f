//! [`Error::Decode`] for a success response whose body is not the expected type.

use serde::de::DeserializeOwned;

use crate::error::{Cut, Error, MAX_EXCERPT_CHARS, excerpt, quote_display};

/// Builds [`Error::Decode`] for `bytes` that failed to decode as `T`.
///
/// progenitor's error only says what went wrong and where in the text; the
/// bytes are decoded again through `serde_path_to_error` to name the field
/// (`data.createdAt`, `data[3].customFields`), and the excerpt is taken
/// around the failure, so that the user sees the offending value.
///
/// serde's messages quote the offending value whole (a 50 MB string makes a
/// 50 MB message): the message and path are cut to excerpts as they are
/// written, and `original` is dropped before decoding again, so that no
/// more than one such message exists at a time.
pub(crate) fn decode_error<T: DeserializeOwned>(
    status: Option<u16>,
    bytes: &[u8],
    original: serde_json::Error,
) -> Error {
    let fallback = (quote_display(&original), original.line(), original.column());
    drop(original);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let (path, message, line, column) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = quote_display(e.path());
            let inner = e.into_inner();
            let path = (path != ".").then_some(path);
            (path, quote_display(&inner), inner.line(), inner.column())
        }
        // Only trailing data can make the second decode pass; keep the
        // original error then.
        Ok(_) => {
            let (message, line, column) = fallback;
            (None, message, line, column)
        }
    };
    Error::Decode {
        status,
        path,
        message,
        excerpt: excerpt(
            bytes,
            Cut::Around(byte_offset(bytes, line, column)),
            MAX_EXCERPT_CHARS,
        ),
    }
}

/// Byte offset of serde_json's 1-based `line` and `column` (a column counts
/// bytes) in `bytes`, clamped to its length.
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', bytes)
            .nth(line - 2)
            .map_or(bytes.len(), |i| i + 1)
    };
    line_start
        .saturating_add(column.saturating_sub(1))
        .min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        data: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    #[test]
    fn names_the_failing_field() {
        let body = br#"{"data":[{"count":1},{"count":"two"}]}"#;
        let original = serde_json::from_slice::<Outer>(body).unwrap_err();
        let Error::Decode {
            status,
            path,
            message,
            excerpt,
        } = decode_error::<Outer>(Some(200), body, original)
        else {
            panic!("not a decode error");
        };
        assert_eq!(status, Some(200));
        assert_eq!(path.as_deref(), Some("data[1].count"));
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!(excerpt, String::from_utf8_lossy(body));
    }

    #[test]
    fn a_huge_offending_string_gives_a_bounded_error() {
        let mut body = String::from(r#"{"data":[{"count":""#);
        body.push_str(&"x".repeat(1_000_000));
        body.push_str(r#""}]}"#);
        let original = serde_json::from_slice::<Outer>(body.as_bytes()).unwrap_err();
        let e = decode_error::<Outer>(Some(200), body.as_bytes(), original);
        let Error::Decode {
            path,
            message,
            excerpt,
            ..
        } = &e
        else {
            panic!("not a decode error");
        };
        assert_eq!(path.as_deref(), Some("data[0].count"));
        assert!(
            message.starts_with("invalid type: string \"xxx"),
            "{message}"
        );
        assert!(message.chars().count() <= MAX_EXCERPT_CHARS, "{message}");
        assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS);
        assert!(e.to_string().chars().count() < 400, "{e}");
        assert!(format!("{e:?}").chars().count() < 800, "{e:?}");
    }

    #[test]
    fn the_excerpt_is_centred_on_the_failure() {
        let mut body = "a".repeat(1000);
        body.push_str("\nERROR");
        body.push_str(&"é".repeat(1000));
        let at = byte_offset(body.as_bytes(), 2, 1);
        let cut = excerpt(body.as_bytes(), Cut::Around(at), MAX_EXCERPT_CHARS);
        assert!(cut.contains("ERROR") && cut.starts_with('…') && cut.ends_with('…'));
    }

    #[test]
    fn offsets_of_lines() {
        assert_eq!(byte_offset(b"ab\ncd\nef", 1, 2), 1);
        assert_eq!(byte_offset(b"ab\ncd\nef", 2, 1), 3);
        assert_eq!(byte_offset(b"ab\ncd\nef", 3, 2), 7);
        assert_eq!(byte_offset(b"ab", 9, 9), 2);
    }
}
