//! Reading `nextPageToken` off the end of a list response body, before the
//! body is decoded.
//!
//! Quo puts `nextPageToken` after `data`, at the end of the body, so it can
//! be found by searching backwards from the end and read without decoding
//! the page. A prefetching walk uses it to request the next page while this
//! one is still being decoded.
//!
//! A page whose `data` is empty is read as the last one whatever its
//! token, as the walk ends after a page with no items: a prefetching walk
//! then sends no request it would not use.
//!
//! The result is only a guess: the search does not prove that the key it
//! found is the top-level one. The walk checks every guess against the
//! decoded page before it uses the page fetched with it, so a wrong guess
//! costs one wasted request and nothing else.

use memchr::memmem;

/// What the end of a list response body says about the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Peeked {
    /// A next page token.
    Token(String),
    /// `nextPageToken` is `null` or empty, or `data` is empty: this looks
    /// like the last page.
    End,
    /// No token could be read cheaply (the key is missing, or something
    /// around it is unusual); wait for the decoded page instead.
    Unknown,
}

/// The `nextPageToken` key as it appears in JSON.
const KEY: &[u8] = b"\"nextPageToken\"";

/// Reads the last `"nextPageToken": <string | null>` member of `body`.
pub(crate) fn next_page_token(body: &[u8]) -> Peeked {
    let Some(at) = memmem::rfind(body, KEY) else {
        return Peeked::Unknown;
    };
    // A key starts a member: only `{`, `,` or whitespace may come before it.
    // (Inside a JSON string the quotes would be escaped as `\"`.)
    let before = body[..at].iter().rev().find(|b| !b.is_ascii_whitespace());
    if !matches!(before, Some(b'{' | b',')) {
        return Peeked::Unknown;
    }
    let rest = skip_whitespace(&body[at + KEY.len()..]);
    let Some(rest) = rest.strip_prefix(b":") else {
        return Peeked::Unknown;
    };
    let rest = skip_whitespace(rest);
    let (value, after) = if let Some(after) = rest.strip_prefix(b"null") {
        (Peeked::End, after)
    } else if rest.first() == Some(&b'"') {
        match read_string(rest) {
            Some((token, after)) if token.is_empty() => (Peeked::End, after),
            Some((token, after)) => (Peeked::Token(token), after),
            None => return Peeked::Unknown,
        }
    } else {
        return Peeked::Unknown;
    };
    // A member ends with `,` or `}`.
    match skip_whitespace(after).first() {
        Some(b',' | b'}') if data_is_empty(body) => Peeked::End,
        Some(b',' | b'}') => value,
        _ => Peeked::Unknown,
    }
}

/// Whether the first `"data"` member of `body` is an empty array. Quo puts
/// `data` first, so its key is the first one found; a nested key found
/// instead can only make a page look like the last, which costs the walk
/// its prefetch for that page and nothing else.
fn data_is_empty(body: &[u8]) -> bool {
    const DATA: &[u8] = b"\"data\"";
    let Some(at) = memmem::find(body, DATA) else {
        return false;
    };
    let before = body[..at].iter().rev().find(|b| !b.is_ascii_whitespace());
    if !matches!(before, Some(b'{' | b',')) {
        return false;
    }
    let rest = skip_whitespace(&body[at + DATA.len()..]);
    let Some(rest) = rest.strip_prefix(b":") else {
        return false;
    };
    let Some(rest) = skip_whitespace(rest).strip_prefix(b"[") else {
        return false;
    };
    skip_whitespace(rest).first() == Some(&b']')
}

/// Reads the JSON string at the start of `text` (which starts with `"`),
/// returning it unescaped and the bytes after its closing quote.
fn read_string(text: &[u8]) -> Option<(String, &[u8])> {
    let mut escaped = false;
    let mut end = None;
    for (i, &b) in text.iter().enumerate().skip(1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let end = end?;
    let token: String = serde_json::from_slice(&text[..=end]).ok()?;
    Some((token, &text[end + 1..]))
}

fn skip_whitespace(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::{Peeked, next_page_token};

    fn token(t: &str) -> Peeked {
        Peeked::Token(t.to_owned())
    }

    #[test]
    fn reads_the_token_at_the_end() {
        let body = br#"{"data":[{"id":"a"}],"totalItems":1,"nextPageToken":"abc/+="}"#;
        assert_eq!(next_page_token(body), token("abc/+="));
        let spaced = b"{\"data\": [1],\n  \"nextPageToken\" :  \"t1\"  ,\n \"totalItems\": 3\n}";
        assert_eq!(next_page_token(spaced), token("t1"));
    }

    #[test]
    fn null_or_empty_means_end() {
        assert_eq!(
            next_page_token(br#"{"data":[],"nextPageToken":null}"#),
            Peeked::End
        );
        assert_eq!(
            next_page_token(br#"{"data":[],"nextPageToken":""}"#),
            Peeked::End
        );
    }

    #[test]
    fn unescapes_the_token() {
        let body = br#"{"data":[{}],"nextPageToken":"a\"b\\c\u00e9"}"#;
        assert_eq!(next_page_token(body), token("a\"b\\c\u{e9}"));
    }

    #[test]
    fn unusual_shapes_are_unknown() {
        for body in [
            &br#"{"data":[]}"#[..],
            br#"{"data":[],"nextPageToken":42}"#,
            br#"{"data":[],"nextPageToken":"unterminated"#,
            br#"{"data":[],"nextPageToken" "x"}"#,
            br#"{"data":[],"nextPageToken":"x" "y"}"#,
            br#"{"data":["\"nextPageToken\":\"fake\""]}"#,
            b"",
            b"\"nextPageToken\"",
        ] {
            assert_eq!(
                next_page_token(body),
                Peeked::Unknown,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn an_empty_page_is_the_end_whatever_its_token() {
        for body in [
            &br#"{"data":[],"totalItems":9,"nextPageToken":"more"}"#[..],
            b"{ \"data\" : [ \n ] , \"nextPageToken\": \"more\" }",
        ] {
            assert_eq!(next_page_token(body), Peeked::End);
        }
        // Not empty, or not the `data` member.
        assert_eq!(
            next_page_token(br#"{"data":[{"data":[]}],"nextPageToken":"t"}"#),
            token("t")
        );
        assert_eq!(
            next_page_token(br#"{"x":"\"data\":[]","data":[1],"nextPageToken":"t"}"#),
            token("t")
        );
    }

    #[test]
    fn the_last_key_wins() {
        // A nested key earlier in the body is not the one read.
        let body = br#"{"data":[{"nextPageToken":"inner"}],"nextPageToken":"outer"}"#;
        assert_eq!(next_page_token(body), token("outer"));
    }
}
