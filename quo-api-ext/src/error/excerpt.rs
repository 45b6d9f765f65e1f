//! The one way errors quote what they were given: a bounded excerpt.
//!
//! Errors quote response bodies, serde's messages (which quote the
//! offending value whole), JSON paths, ids, tokens and user input, any of
//! which may be megabytes long. Each quote goes through [`excerpt`], which
//! looks at a window of a few bytes per character it keeps, never at the
//! whole input, so a quote costs memory and time in proportion to itself.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;

/// The most bytes one character takes in UTF-8: a window of `4 * n` bytes
/// always holds at least `n` characters (or all that remain).
const MAX_CHAR_BYTES: usize = 4;

/// Which part of the input an [`excerpt`] keeps when it has to cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The start: for bodies, ids, tokens and input.
    Head,
    /// The characters around this byte offset: for a decoding failure.
    Around(usize),
    /// The start and the end, without the middle: for messages that quote
    /// a value in the middle and say what was expected at the end.
    Ends,
}

/// At most `max_chars` characters of `bytes` (decoded lossily), `…` marking
/// where something was cut (the marks count towards `max_chars`).
///
/// Cuts fall on character boundaries. Only up to `8 * max_chars` bytes of
/// `bytes` are decoded, whatever its length.
pub(crate) fn excerpt(bytes: &[u8], cut: Cut, max_chars: usize) -> String {
    // A character takes one to four bytes: a short input may fit whole.
    if bytes.len() <= max_chars * MAX_CHAR_BYTES {
        let text = String::from_utf8_lossy(bytes);
        if text.chars().count() <= max_chars {
            return text.into_owned();
        }
    }
    match cut {
        Cut::Head => around(bytes, 0, max_chars),
        Cut::Around(at) => around(bytes, at, max_chars),
        Cut::Ends => {
            // Longer than `4 * max_chars` bytes: the two ends never overlap.
            let head_chars = max_chars.saturating_sub(1).div_ceil(2);
            let tail_chars = max_chars.saturating_sub(1) - head_chars;
            let head = window(bytes, 0, head_chars * MAX_CHAR_BYTES);
            let start = bytes.len().saturating_sub(tail_chars * MAX_CHAR_BYTES);
            let tail = window(bytes, start, bytes.len());
            let skip = tail.chars().count().saturating_sub(tail_chars);
            let mut out = String::with_capacity(max_chars * MAX_CHAR_BYTES);
            out.extend(head.chars().take(head_chars));
            out.push('…');
            out.extend(tail.chars().skip(skip));
            out
        }
    }
}

/// [`excerpt`] with [`Cut::Ends`] of the text `value` displays, which is
/// never held whole: only its first and last `4 * max_chars` bytes are
/// kept while it is written. For a decoder's error, whose text may quote a
/// value of any size.
pub(crate) fn excerpt_display(value: &dyn fmt::Display, max_chars: usize) -> String {
    let mut ends = EndsOf {
        keep: max_chars * MAX_CHAR_BYTES,
        head: Vec::new(),
        tail: VecDeque::new(),
    };
    // Writing to `EndsOf` cannot fail; a `Display` that fails leaves what
    // it wrote so far.
    let _ = fmt::write(&mut ends, format_args!("{value}"));
    let mut text = ends.head;
    text.extend(ends.tail);
    // Longer than `4 * max_chars` bytes if anything was dropped: `excerpt`
    // then cuts between the two ends, where the gap is.
    excerpt(&text, Cut::Ends, max_chars)
}

/// The first and last `keep` bytes of a text written to it.
struct EndsOf {
    keep: usize,
    head: Vec<u8>,
    tail: VecDeque<u8>,
}

impl fmt::Write for EndsOf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut bytes = s.as_bytes();
        if self.head.len() < self.keep {
            let taken = bytes.len().min(self.keep - self.head.len());
            self.head.extend_from_slice(&bytes[..taken]);
            bytes = &bytes[taken..];
        }
        // Only the last `keep` bytes of what follows matter.
        let bytes = &bytes[bytes.len().saturating_sub(self.keep)..];
        let overflow = (self.tail.len() + bytes.len()).saturating_sub(self.keep);
        self.tail.drain(..overflow);
        self.tail.extend(bytes);
        Ok(())
    }
}

/// At most `max_chars` characters of `bytes` (more than `max_chars`
/// characters long) centred on the byte offset `at` where possible.
fn around(bytes: &[u8], at: usize, max_chars: usize) -> String {
    // Split at the start of the character `at` falls in.
    let mut at = at.min(bytes.len());
    while at > 0 && at < bytes.len() && is_continuation(bytes[at]) {
        at -= 1;
    }
    let reach = max_chars * MAX_CHAR_BYTES;
    let from = at.saturating_sub(reach);
    let to = at.saturating_add(reach).min(bytes.len());
    let before = window(bytes, from, at);
    let after = window(bytes, at, to);
    let (n_before, n_after) = (before.chars().count(), after.chars().count());
    // Try without marks, then with one, then with two: the fewer
    // characters kept, the more likely a side is cut.
    let mut kept = (0, 0, false, false);
    for marks in 0..=2 {
        let width = max_chars.saturating_sub(marks);
        // Half on each side, the unused part of one side given to the other.
        let take_after = n_after.min(width - n_before.min(width / 2));
        let take_before = n_before.min(width - take_after);
        let lead = from > 0 || take_before < n_before;
        let trail = to < bytes.len() || take_after < n_after;
        kept = (take_before, take_after, lead, trail);
        if usize::from(lead) + usize::from(trail) <= marks {
            break;
        }
    }
    let (take_before, take_after, lead, trail) = kept;
    let mut out = String::with_capacity(max_chars * MAX_CHAR_BYTES);
    if lead {
        out.push('…');
    }
    out.extend(before.chars().skip(n_before - take_before));
    out.extend(after.chars().take(take_after));
    if trail {
        out.push('…');
    }
    out
}

/// `bytes[from..to]` widened to whole characters where UTF-8 allows it
/// cheaply (the start moved back to the first byte of a character cut in
/// two, the end moved forward likewise), decoded lossily.
fn window(bytes: &[u8], from: usize, to: usize) -> Cow<'_, str> {
    let mut from = from.min(bytes.len());
    let mut to = to.min(bytes.len()).max(from);
    // Continuation bytes are 0b10xx_xxxx; a character has at most three.
    for _ in 0..MAX_CHAR_BYTES - 1 {
        if from > 0 && from < bytes.len() && is_continuation(bytes[from]) {
            from -= 1;
        }
        if to < bytes.len() && is_continuation(bytes[to]) {
            to += 1;
        }
    }
    String::from_utf8_lossy(&bytes[from..to])
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn short_input_is_kept_whole() {
        for cut in [Cut::Head, Cut::Around(3), Cut::Ends] {
            assert_eq!(excerpt(b"short", cut, 10), "short");
            assert_eq!(excerpt(b"", cut, 10), "");
        }
        assert_eq!(excerpt(b"0123456789", Cut::Head, 10), "0123456789");
    }

    #[test]
    fn head_keeps_the_start() {
        assert_eq!(excerpt(b"0123456789abc", Cut::Head, 10), "012345678…");
        let long = "é".repeat(500);
        let cut = excerpt(long.as_bytes(), Cut::Head, 200);
        assert_eq!(chars(&cut), 200);
        assert!(cut.starts_with('é') && cut.ends_with('…'));
        // A multi-byte text only a little longer in bytes than the bound.
        assert_eq!(excerpt("ééééé".as_bytes(), Cut::Head, 6), "ééééé");
    }

    #[test]
    fn around_is_centred_and_bounded() {
        let mut body = "a".repeat(1000);
        body.push_str("ERROR");
        body.push_str(&"é".repeat(1000));
        let cut = excerpt(body.as_bytes(), Cut::Around(1000), 200);
        assert_eq!(chars(&cut), 200);
        assert!(cut.contains("ERROR"), "{cut}");
        assert!(cut.starts_with('…') && cut.ends_with('…'));
        let at = cut.find("ERROR").unwrap_or_default();
        assert!((95..=105).contains(&chars(&cut[..at])), "{cut}");
        // At the very end: the last characters, one mark.
        let end = excerpt(body.as_bytes(), Cut::Around(body.len()), 200);
        assert_eq!(chars(&end), 200);
        assert!(end.starts_with('…') && end.ends_with('é'), "{end}");
        // Past the end is the end.
        assert_eq!(excerpt(body.as_bytes(), Cut::Around(usize::MAX), 200), end);
        // At the start: the first characters.
        let start = excerpt(body.as_bytes(), Cut::Around(0), 200);
        assert_eq!(start, excerpt(body.as_bytes(), Cut::Head, 200));
    }

    #[test]
    fn cuts_never_split_a_character() {
        let text = "€".repeat(100);
        for at in 0..text.len() {
            let cut = excerpt(text.as_bytes(), Cut::Around(at), 20);
            assert!(!cut.contains('\u{fffd}'), "{at}: {cut}");
            assert!(chars(&cut) <= 20);
        }
    }

    #[test]
    fn ends_keep_both_ends() {
        let mut message = String::from("invalid type: string \"");
        message.push_str(&"x".repeat(10_000));
        message.push_str("\", expected struct Contact");
        let cut = excerpt(message.as_bytes(), Cut::Ends, 100);
        assert_eq!(chars(&cut), 100);
        assert!(cut.starts_with("invalid type: string \"xx"), "{cut}");
        assert!(cut.ends_with("xx\", expected struct Contact"), "{cut}");
        assert_eq!(cut.matches('…').count(), 1);
    }

    #[test]
    fn displayed_text_is_cut_without_being_held() {
        struct Huge;
        impl fmt::Display for Huge {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("invalid type: string \"")?;
                for _ in 0..10_000 {
                    f.write_str("xxxxxxxxxx")?;
                }
                f.write_str("\", expected struct Contact")
            }
        }
        let cut = excerpt_display(&Huge, 100);
        assert_eq!(chars(&cut), 100);
        assert!(cut.starts_with("invalid type: string \"xx"), "{cut}");
        assert!(cut.ends_with("xx\", expected struct Contact"), "{cut}");
        // Short text comes out whole; mid-length text is cut in the middle.
        assert_eq!(excerpt_display(&"short", 100), "short");
        let mid = "m".repeat(150);
        assert_eq!(
            excerpt_display(&mid, 100),
            excerpt(mid.as_bytes(), Cut::Ends, 100)
        );
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut bytes = vec![0xff; 1000];
        bytes.extend_from_slice(b"tail");
        let cut = excerpt(&bytes, Cut::Around(bytes.len()), 10);
        assert!(cut.ends_with("tail"), "{cut}");
        assert!(chars(&cut) <= 10);
    }
}
