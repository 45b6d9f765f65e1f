//! Reading each scheme's headers into timestamps and candidate signatures,
//! refusing (never panicking on) anything that cannot be read.

use super::error::WebhookError;
use super::headers::HeaderSource;
use super::mac;
use super::scheme::{OPENPHONE_SIGNATURE, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};

/// Legacy timestamps at or above this are milliseconds (13 digits today),
/// below it seconds: as seconds it would be the year 5138, as milliseconds
/// it is 1973.
const MILLIS_FROM: u64 = 100_000_000_000;

/// Longest excerpt of a header quoted in an error, in characters.
const EXCERPT_CHARS: usize = 40;

/// What a Standard Webhooks delivery's headers say.
#[derive(Debug)]
pub(crate) struct StandardHeaders<'h> {
    /// `webhook-id`, trimmed.
    pub id: &'h str,
    /// `webhook-timestamp` as sent (trimmed): the signed text.
    pub timestamp: &'h str,
    /// The timestamp in milliseconds since the Unix epoch.
    pub signed_at_ms: i128,
    /// The decoded `v1` signatures.
    pub signatures: Vec<Vec<u8>>,
}

/// One `hmac;1;<timestamp>;<signature>` entry of `openphone-signature`.
#[derive(Debug)]
pub(crate) struct LegacyEntry<'h> {
    /// The timestamp as sent: the signed text.
    pub timestamp: &'h str,
    /// The timestamp in milliseconds since the Unix epoch.
    pub signed_at_ms: i128,
    /// The decoded signature.
    pub signature: Vec<u8>,
}

pub(crate) fn standard<H: HeaderSource + ?Sized>(
    headers: &H,
) -> Result<StandardHeaders<'_>, WebhookError> {
    let id = single(headers, WEBHOOK_ID)?;
    let timestamp = single(headers, WEBHOOK_TIMESTAMP)?;
    let seconds = digits(timestamp).ok_or_else(|| {
        WebhookError::malformed(
            WEBHOOK_TIMESTAMP,
            format!("{} is not a Unix time in seconds", shown(timestamp)),
        )
    })?;
    let mut signatures = Vec::new();
    let mut undecodable = 0;
    for value in texts(headers, WEBHOOK_SIGNATURE)? {
        // Entries of other versions (`v1a`, asymmetric) are not Quo's: skipped.
        for entry in value.split_ascii_whitespace() {
            if let Some(("v1", encoded)) = entry.split_once(',') {
                match mac::decode_base64(encoded) {
                    Some(signature) if !signature.is_empty() => signatures.push(signature),
                    _ => undecodable += 1,
                }
            }
        }
    }
    if signatures.is_empty() {
        let reason = if undecodable > 0 {
            "its `v1` signature is not base64"
        } else {
            "no `v1,<base64>` signature in it"
        };
        return Err(WebhookError::malformed(WEBHOOK_SIGNATURE, reason));
    }
    Ok(StandardHeaders {
        id,
        timestamp,
        signed_at_ms: i128::from(seconds) * 1000,
        signatures,
    })
}

pub(crate) fn legacy<H: HeaderSource + ?Sized>(
    headers: &H,
) -> Result<Vec<LegacyEntry<'_>>, WebhookError> {
    let mut entries = Vec::new();
    let mut first_problem = None;
    for value in texts(headers, OPENPHONE_SIGNATURE)? {
        for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            match legacy_entry(entry) {
                Ok(Some(entry)) => entries.push(entry),
                // Another scheme or version: not ours to check.
                Ok(None) => {}
                Err(problem) => {
                    first_problem.get_or_insert(problem);
                }
            }
        }
    }
    if entries.is_empty() {
        let reason = first_problem
            .unwrap_or_else(|| "no `hmac;1;<timestamp>;<base64>` signature in it".to_owned());
        return Err(WebhookError::malformed(OPENPHONE_SIGNATURE, reason));
    }
    Ok(entries)
}

fn legacy_entry(entry: &str) -> Result<Option<LegacyEntry<'_>>, String> {
    let fields: Vec<&str> = entry.split(';').map(str::trim).collect();
    let &[kind, version, timestamp, encoded] = fields.as_slice() else {
        return Err(format!(
            "{} does not have the four fields `hmac;1;<timestamp>;<base64>`",
            shown(entry)
        ));
    };
    if kind != "hmac" || version != "1" {
        return Ok(None);
    }
    let Some(value) = digits(timestamp) else {
        return Err(format!("{} is not a Unix time", shown(timestamp)));
    };
    let signed_at_ms = if value >= MILLIS_FROM {
        i128::from(value)
    } else {
        i128::from(value) * 1000
    };
    match mac::decode_base64(encoded) {
        Some(signature) if !signature.is_empty() => Ok(Some(LegacyEntry {
            timestamp,
            signed_at_ms,
            signature,
        })),
        _ => Err("its signature is not base64".to_owned()),
    }
}

/// The one value of a header, trimmed; the same value sent twice counts once.
fn single<'h, H: HeaderSource + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<&'h str, WebhookError> {
    let values = texts(headers, name)?;
    let Some(first) = values.first().copied() else {
        return Err(WebhookError::MissingHeader { name });
    };
    if values.iter().any(|v| *v != first) {
        return Err(WebhookError::malformed(
            name,
            format!("sent {} times with different values", values.len()),
        ));
    }
    if first.is_empty() {
        return Err(WebhookError::malformed(name, "empty"));
    }
    Ok(first)
}

/// Every value of a header as trimmed text; absent is an error.
fn texts<'h, H: HeaderSource + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<Vec<&'h str>, WebhookError> {
    let values = headers.header_values(name);
    if values.is_empty() {
        return Err(WebhookError::MissingHeader { name });
    }
    values
        .into_iter()
        .map(|value| {
            std::str::from_utf8(value)
                .map(str::trim)
                .map_err(|_| WebhookError::malformed(name, "not UTF-8 text"))
        })
        .collect()
}

/// A decimal number of at most 19 digits (so it fits a `u64`), nothing else.
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A short, escaped excerpt of untrusted header text for an error message.
fn shown(text: &str) -> String {
    let excerpt = crate::error::excerpt(text.as_bytes(), crate::error::Cut::Head, EXCERPT_CHARS);
    format!("{excerpt:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_headers_skip_other_versions_and_keep_every_v1() {
        let headers = [
            ("webhook-id", " msg_1 "),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", "v1a,AAAA v1,AQID  v1,BAUG"),
        ];
        let parsed = standard(&headers).unwrap();
        assert_eq!(parsed.id, "msg_1");
        assert_eq!(parsed.signed_at_ms, 1_614_265_330_000);
        assert_eq!(parsed.signatures, [vec![1, 2, 3], vec![4, 5, 6]]);
    }

    #[test]
    fn standard_headers_refuse_what_cannot_be_read() {
        let base = |signature: &'static str, timestamp: &'static str| {
            [
                ("webhook-id", "msg_1"),
                ("webhook-timestamp", timestamp),
                ("webhook-signature", signature),
            ]
        };
        for (headers, name) in [
            (base("v1,AQID", "16142653.30"), WEBHOOK_TIMESTAMP),
            (base("v1,AQID", "-1"), WEBHOOK_TIMESTAMP),
            (base("v1,AQID", "99999999999999999999"), WEBHOOK_TIMESTAMP),
            (base("v1a,AQID", "1"), WEBHOOK_SIGNATURE),
            (base("v1,!!!", "1"), WEBHOOK_SIGNATURE),
            (base("", "1"), WEBHOOK_SIGNATURE),
        ] {
            match standard(&headers) {
                Err(WebhookError::MalformedHeader { name: got, .. }) => assert_eq!(got, name),
                other => panic!("{headers:?}: {other:?}"),
            }
        }
        let no_id = [("webhook-timestamp", "1"), ("webhook-signature", "v1,AQID")];
        assert_eq!(
            standard(&no_id).unwrap_err(),
            WebhookError::MissingHeader { name: WEBHOOK_ID }
        );
        let twice = [
            ("webhook-id", "a"),
            ("webhook-id", "b"),
            ("webhook-timestamp", "1"),
            ("webhook-signature", "v1,AQID"),
        ];
        assert!(matches!(
            standard(&twice),
            Err(WebhookError::MalformedHeader {
                name: WEBHOOK_ID,
                ..
            })
        ));
    }

    #[test]
    fn legacy_timestamps_are_milliseconds_or_seconds() {
        let headers = [(
            "openphone-signature",
            "hmac;1;1639710054089;AQID, hmac;1;1639710054;BAUG,hmac;2;1;AAAA",
        )];
        let entries = legacy(&headers).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].timestamp, "1639710054089");
        assert_eq!(entries[0].signed_at_ms, 1_639_710_054_089);
        assert_eq!(entries[1].signed_at_ms, 1_639_710_054_000);
        assert_eq!(entries[1].signature, [4, 5, 6]);
    }

    #[test]
    fn legacy_headers_refuse_what_cannot_be_read() {
        for value in [
            "",
            "hmac;1;1639710054089",
            "hmac;1;soon;AQID",
            "hmac;1;1639710054089;***",
            "sha1;1;1639710054089;AQID",
        ] {
            let headers = [("openphone-signature", value)];
            assert!(
                matches!(
                    legacy(&headers),
                    Err(WebhookError::MalformedHeader {
                        name: OPENPHONE_SIGNATURE,
                        ..
                    })
                ),
                "{value:?}"
            );
        }
        // A bad entry next to a good one is skipped.
        let headers = [("openphone-signature", "garbage,hmac;1;1;AQID")];
        assert_eq!(legacy(&headers).unwrap().len(), 1);
    }

    #[test]
    fn errors_quote_a_short_escaped_excerpt_only() {
        let long = format!("\u{1b}[31m{}", "9".repeat(500));
        let headers = [
            ("webhook-id", "msg_1"),
            ("webhook-timestamp", long.as_str()),
            ("webhook-signature", "v1,AQID"),
        ];
        let message = standard(&headers).unwrap_err().to_string();
        assert!(message.len() < 120, "{message}");
        assert!(!message.contains('\u{1b}'), "{message}");
    }
}
