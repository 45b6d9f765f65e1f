//! [`Error::Decode`] for a success response whose body is not the expected type.

use serde::de::DeserializeOwned;

use crate::error::{Error, MAX_EXCERPT_CHARS};

/// Builds [`Error::Decode`] for `bytes` that failed to decode as `T`.
///
/// progenitor's error only says what went wrong and where in the text; the
/// bytes are decoded again through `serde_path_to_error` to name the field
/// (`data.createdAt`, `data[3].customFields`), and the excerpt is taken
/// around the failure, so that the user sees the offending value.
pub(crate) fn decode_error<T: DeserializeOwned>(
    status: Option<u16>,
    bytes: &[u8],
    original: &serde_json::Error,
) -> Error {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let (path, message, line, column) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let path = (path != ".").then_some(path);
            (path, inner.to_string(), inner.line(), inner.column())
        }
        // Only trailing data can make the second decode pass; keep the
        // original error then.
        Ok(_) => (
            None,
            original.to_string(),
            original.line(),
            original.column(),
        ),
    };
    Error::Decode {
        status,
        path,
        message,
        excerpt: excerpt_around(bytes, line, column),
    }
}

/// At most [`MAX_EXCERPT_CHARS`] characters of `bytes` centred on the
/// 1-based `line` and `column` (serde_json's error position), cut on
/// character boundaries and marked with `…` where cut.
pub(crate) fn excerpt_around(bytes: &[u8], line: usize, column: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if chars.len() <= MAX_EXCERPT_CHARS {
        return text.into_owned();
    }
    let offset = byte_offset(&text, line, column);
    let centre = chars.partition_point(|&(i, _)| i < offset);
    // Room for a leading and a trailing ellipsis.
    let width = MAX_EXCERPT_CHARS - 2;
    let start = centre.saturating_sub(width / 2).min(chars.len() - width);
    let end = start + width;
    let mut out = String::with_capacity(MAX_EXCERPT_CHARS * 2);
    if start > 0 {
        out.push('…');
    }
    out.extend(chars[start..end].iter().map(|&(_, c)| c));
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Byte offset of a 1-based line and column in `text` (clamped to its length).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
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
        } = decode_error::<Outer>(Some(200), body, &original)
        else {
            panic!("not a decode error");
        };
        assert_eq!(status, Some(200));
        assert_eq!(path.as_deref(), Some("data[1].count"));
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!(excerpt, String::from_utf8_lossy(body));
    }

    #[test]
    fn excerpt_is_centred_and_bounded() {
        let mut body = "a".repeat(1000);
        body.push_str("ERROR");
        body.push_str(&"é".repeat(1000));
        let cut = excerpt_around(body.as_bytes(), 1, 1001);
        assert!(cut.chars().count() <= MAX_EXCERPT_CHARS);
        assert!(cut.contains("ERROR"));
        assert!(cut.starts_with('…') && cut.ends_with('…'));
        let start = excerpt_around(body.as_bytes(), 1, 1);
        assert!(start.starts_with("aaa") && start.ends_with('…'));
        assert!(start.chars().count() <= MAX_EXCERPT_CHARS);
    }

    #[test]
    fn offsets_of_lines() {
        assert_eq!(byte_offset("ab\ncd\nef", 1, 2), 1);
        assert_eq!(byte_offset("ab\ncd\nef", 2, 1), 3);
        assert_eq!(byte_offset("ab\ncd\nef", 3, 2), 7);
        assert_eq!(byte_offset("ab", 9, 9), 2);
    }
}
