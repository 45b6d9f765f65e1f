//! Opaque page tokens.
//!
//! A token is 24 lowercase hex characters: the offset of the next page (8,
//! masked) and a 64-bit check (16) computed from the offset and a fingerprint
//! of the query's filters and of the dataset. Decoding recomputes the check,
//! so a token that was altered, or that came from a query with other
//! `externalIds`/`sources` (or from another dataset), is rejected. The page
//! size is not part of the fingerprint: `maxResults` may change between pages.

use super::errors::BodyFieldError;
use super::prng::{Fnv64, mix64};

/// Bumped if the token layout changes, so old tokens stop decoding.
const VERSION: u64 = 1;
const LEN: usize = 24;

/// Fingerprint of a contact list query's filters over a dataset. Filter
/// order and repetitions do not matter, as they do not change the result.
pub(crate) fn fingerprint(dataset: u64, external_ids: &[String], sources: &[String]) -> u64 {
    fingerprint_of(dataset, &[(b'e', external_ids), (b's', sources)])
}

/// Fingerprint of any list query: each filter is a tag and its values, a
/// set (order and repetitions do not matter).
pub(crate) fn fingerprint_of(dataset: u64, filters: &[(u8, &[String])]) -> u64 {
    let mut hash = Fnv64::new();
    hash.write(&dataset.to_le_bytes());
    for &(tag, values) in filters {
        let mut sorted: Vec<&str> = values.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        hash.write(&[tag])
            .write(&(sorted.len() as u64).to_le_bytes());
        for value in sorted {
            hash.field(value.as_bytes());
        }
    }
    hash.finish()
}

/// One page of a list of `total` items: the items' range and the token of
/// the next page (`None` on the last).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Window {
    /// The items of this page.
    pub(crate) range: std::ops::Range<usize>,
    /// `nextPageToken`.
    pub(crate) next: Option<String>,
}

/// The page `token` (`None` for the first) asks for, `max_results` long, or
/// the error naming `/pageToken` when the token is not one this query (with
/// this `fingerprint`) handed out.
pub(crate) fn window(
    token: Option<&str>,
    fingerprint: u64,
    total: usize,
    max_results: usize,
) -> Result<Window, BodyFieldError> {
    let offset = match token {
        None => 0,
        Some(raw) => decode(raw, fingerprint)
            .filter(|&o| o <= total)
            .ok_or_else(|| {
                BodyFieldError::new(
                    "pageToken",
                    "Invalid page token: use the nextPageToken of the previous page of this same query",
                    Some(raw.into()),
                    "string",
                )
            })?,
    };
    let end = total.min(offset.saturating_add(max_results));
    let next = (end < total).then(|| encode(end, fingerprint));
    Ok(Window {
        range: offset..end,
        next,
    })
}

fn check(offset: u32, fingerprint: u64) -> u64 {
    mix64(fingerprint ^ mix64((u64::from(offset) << 8) | VERSION))
}

fn mask(fingerprint: u64) -> u32 {
    (mix64(fingerprint.rotate_left(17)) >> 32) as u32
}

/// The token for the page starting at `offset`.
pub(crate) fn encode(offset: usize, fingerprint: u64) -> String {
    let offset = u32::try_from(offset).unwrap_or(u32::MAX);
    format!(
        "{:08x}{:016x}",
        offset ^ mask(fingerprint),
        check(offset, fingerprint)
    )
}

/// The offset in `token`, if it is a token this query could have produced.
pub(crate) fn decode(token: &str, fingerprint: u64) -> Option<usize> {
    let is_lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    if token.len() != LEN || !token.bytes().all(|b| is_lower_hex(&b)) {
        return None;
    }
    let masked = u32::from_str_radix(&token[..8], 16).ok()?;
    let got = u64::from_str_radix(&token[8..], 16).ok()?;
    let offset = masked ^ mask(fingerprint);
    (got == check(offset, fingerprint)).then_some(offset as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn round_trips() {
        let fp = fingerprint(1, &[], &[]);
        for offset in [0, 1, 50, 19_950, 1 << 20] {
            let token = encode(offset, fp);
            assert_eq!(token.len(), LEN);
            assert_eq!(decode(&token, fp), Some(offset));
        }
    }

    #[test]
    fn other_filters_or_datasets_are_rejected() {
        let a = fingerprint(1, &strings(&["x"]), &[]);
        let b = fingerprint(1, &strings(&["y"]), &[]);
        let c = fingerprint(2, &strings(&["x"]), &[]);
        let token = encode(50, a);
        assert_eq!(decode(&token, b), None);
        assert_eq!(decode(&token, c), None);
    }

    #[test]
    fn filter_order_and_repeats_do_not_matter() {
        let a = fingerprint(1, &strings(&["x", "y"]), &strings(&["csv"]));
        let b = fingerprint(1, &strings(&["y", "x", "y"]), &strings(&["csv", "csv"]));
        assert_eq!(a, b);
        // Moving a value from one filter to the other does.
        assert_ne!(
            fingerprint(1, &strings(&["a"]), &[]),
            fingerprint(1, &[], &strings(&["a"]))
        );
    }

    #[test]
    fn tampering_and_garbage_are_rejected() {
        let fp = fingerprint(9, &[], &[]);
        let token = encode(100, fp);
        let mut bytes = token.clone().into_bytes();
        bytes[3] = if bytes[3] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert_eq!(decode(&tampered, fp), None);
        for junk in [
            "",
            "abc",
            "zzzzzzzzzzzzzzzzzzzzzzzz",
            &token.to_uppercase(),
            "ééééééééééééé",
            &format!("{token}0"),
        ] {
            assert_eq!(decode(junk, fp), None, "{junk:?}");
        }
    }
}
