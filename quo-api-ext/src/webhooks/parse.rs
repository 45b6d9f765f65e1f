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

/// The most signature entries a header may carry (all of its values
/// together, entries of other schemes or versions included); more is
/// refused as malformed before anything is computed.
///
/// Each candidate may cost an HMAC over the whole body, so without a bound
/// anyone who can reach a receiver could make it hash a large body
/// thousands of times per request. Quo sends one entry; a few more cover a
/// secret being rotated.
pub const MAX_SIGNATURES: usize = 8;

/// What a Standard Webhooks delivery's headers say.
#[derive(Debug)]
pub(crate) struct StandardHeaders<'h> {
    /// `webhook-id`, trimmed.
    pub id: &'h str,
    /// `webhook-timestamp` as sent (trimmed): the signed text.
    pub timestamp: &'h str,
    /// The timestamp in milliseconds since the Unix epoch.
    pub signed_at_ms: i128,
    /// The decoded `v1` signatures, each once.
    pub signatures: Vec<[u8; mac::SIGNATURE_LEN]>,
}

/// One `hmac;1;<timestamp>;<signature>` entry of `openphone-signature`.
#[derive(Debug)]
pub(crate) struct LegacyEntry<'h> {
    /// The timestamp as sent: the signed text.
    pub timestamp: &'h str,
    /// The timestamp in milliseconds since the Unix epoch.
    pub signed_at_ms: i128,
    /// The decoded signature.
    pub signature: [u8; mac::SIGNATURE_LEN],
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
    let mut refused = None;
    let mut count = 0;
    for value in texts(headers, WEBHOOK_SIGNATURE)? {
        for entry in value.split_ascii_whitespace() {
            count += 1;
            if count > MAX_SIGNATURES {
                return Err(too_many(WEBHOOK_SIGNATURE));
            }
            // Entries of other versions (`v1a`, asymmetric) are not Quo's: skipped.
            if let Some(("v1", encoded)) = entry.split_once(',') {
                match mac::decode_signature(encoded) {
                    Ok(signature) if !signatures.contains(&signature) => {
                        signatures.push(signature);
                    }
                    Ok(_) => {}
                    Err(bad) => {
                        refused.get_or_insert(bad);
                    }
                }
            }
        }
    }
    if signatures.is_empty() {
        let reason = refused.map_or("no `v1,<base64>` signature in it", |bad| bad.reason());
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
    let mut entries: Vec<LegacyEntry<'_>> = Vec::new();
    let mut first_problem = None;
    let mut count = 0;
    for value in texts(headers, OPENPHONE_SIGNATURE)? {
        for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            count += 1;
            if count > MAX_SIGNATURES {
                return Err(too_many(OPENPHONE_SIGNATURE));
            }
            match legacy_entry(entry) {
                Ok(Some(entry)) => {
                    let seen = entries
                        .iter()
                        .any(|e| e.timestamp == entry.timestamp && e.signature == entry.signature);
                    if !seen {
                        entries.push(entry);
                    }
                }
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

/// The error for a header with more than [`MAX_SIGNATURES`] entries.
fn too_many(name: &'static str) -> WebhookError {
    WebhookError::malformed(name, format!("more than {MAX_SIGNATURES} signatures in it"))
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
    match mac::decode_signature(encoded) {
        Ok(signature) => Ok(Some(LegacyEntry {
            timestamp,
            signed_at_ms,
            signature,
        })),
        Err(bad) => Err(bad.reason().to_owned()),
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

    /// 32 bytes of 1 and of 2, as padded standard base64.
    const ONES: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    const TWOS: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";

    fn standard_with(signature: &str) -> [(&'static str, String); 3] {
        [
            ("webhook-id", "msg_1".to_owned()),
            ("webhook-timestamp", "1614265330".to_owned()),
            ("webhook-signature", signature.to_owned()),
        ]
    }

    #[test]
    fn standard_headers_skip_other_versions_and_keep_every_v1_once() {
        let headers = [
            ("webhook-id", " msg_1 ".to_owned()),
            ("webhook-timestamp", "1614265330".to_owned()),
            (
                "webhook-signature",
                format!("v1a,AAAA v1,{ONES}  v1,{TWOS} v1,{ONES}"),
            ),
        ];
        let parsed = standard(&headers).unwrap();
        assert_eq!(parsed.id, "msg_1");
        assert_eq!(parsed.signed_at_ms, 1_614_265_330_000);
        assert_eq!(parsed.signatures, [[1; 32], [2; 32]]);
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
            // Base64, but too short for an HMAC-SHA256.
            (base("v1,AQID", "1"), WEBHOOK_SIGNATURE),
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
    fn signatures_are_read_in_their_canonical_base64_only() {
        let unpadded = ONES.trim_end_matches('=');
        // The last symbol before the padding carries two unused low bits.
        let stray_bits = ONES.replace("QE=", "QF=");
        let url_safe = TWOS.replace('I', "-");
        for spelling in [unpadded, stray_bits.as_str(), url_safe.as_str()] {
            let headers = standard_with(&format!("v1,{spelling}"));
            assert!(
                matches!(
                    standard(&headers),
                    Err(WebhookError::MalformedHeader {
                        name: WEBHOOK_SIGNATURE,
                        ..
                    })
                ),
                "{spelling}"
            );
            let legacy_headers = [(
                "openphone-signature",
                format!("hmac;1;1639710054089;{spelling}"),
            )];
            assert!(legacy(&legacy_headers).is_err(), "{spelling}");
        }
    }

    #[test]
    fn more_than_the_bound_of_entries_is_refused_before_any_is_read() {
        let eight = vec![format!("v1,{ONES}"); MAX_SIGNATURES].join(" ");
        assert_eq!(
            standard(&standard_with(&eight)).unwrap().signatures.len(),
            1
        );
        // Entries of other versions count too: each is text to scan.
        let nine = format!("{eight} v1a,AAAA");
        let message = standard(&standard_with(&nine)).unwrap_err().to_string();
        assert!(message.contains("more than 8 signatures"), "{message}");

        let entry = format!("hmac;1;1639710054089;{ONES}");
        let eight = [entry.as_str(); MAX_SIGNATURES].join(",");
        assert_eq!(
            legacy(&[("openphone-signature", eight.clone())])
                .unwrap()
                .len(),
            1
        );
        // Spread over several header values, the bound still holds.
        let spread = [
            ("openphone-signature", eight),
            ("openphone-signature", "hmac;2;1;AAAA".to_owned()),
        ];
        let message = legacy(&spread).unwrap_err().to_string();
        assert!(message.contains("more than 8 signatures"), "{message}");
    }

    #[test]
    fn legacy_timestamps_are_milliseconds_or_seconds() {
        let headers = [(
            "openphone-signature",
            format!("hmac;1;1639710054089;{ONES}, hmac;1;1639710054;{TWOS},hmac;2;1;AAAA"),
        )];
        let entries = legacy(&headers).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].timestamp, "1639710054089");
        assert_eq!(entries[0].signed_at_ms, 1_639_710_054_089);
        assert_eq!(entries[1].signed_at_ms, 1_639_710_054_000);
        assert_eq!(entries[1].signature, [2; 32]);
    }

    #[test]
    fn legacy_headers_refuse_what_cannot_be_read() {
        for value in [
            String::new(),
            "hmac;1;1639710054089".to_owned(),
            format!("hmac;1;soon;{ONES}"),
            "hmac;1;1639710054089;***".to_owned(),
            "hmac;1;1639710054089;AQID".to_owned(),
            format!("sha1;1;1639710054089;{ONES}"),
        ] {
            let headers = [("openphone-signature", value.clone())];
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
        let headers = [("openphone-signature", format!("garbage,hmac;1;1;{ONES}"))];
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
