//! How response bodies are decoded.
//!
//! Every JSON response body the generated [`Client`](crate::Client) reads
//! goes through [`from_json`]: the build script routes progenitor's decoding
//! here (progenitor has no setting for it). The result is the same as
//! `serde_json::from_slice`, errors included; only the speed differs.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// Decodes a JSON document, with the result of [`serde_json::from_slice`],
/// faster.
///
/// Two things make it faster:
/// - `from_slice` checks that every string in the document is UTF-8 as it
///   meets it, one call per string; for a page of contacts (hundreds of
///   short strings) that is a large share of the decoding time. Checking
///   the whole body at once and decoding it as text does the same check in
///   one pass. A body that is not UTF-8 is decoded with `from_slice`, so
///   its error is the same as before, with the same position.
/// - A list response's items ([`Items`](crate::pagination::Items)) are
///   first decoded in one pass, straight from the document. Only if that
///   fails after meeting them is the body decoded again as `from_slice`
///   would, each item on its own, so an item that does not decode is kept
///   aside as before, and any other error is the one `from_slice` gives.
///
/// ```
/// let ids: Vec<String> = quo_api::decode::from_json(br#"["a", "b"]"#).unwrap();
/// assert_eq!(ids, ["a", "b"]);
/// assert!(quo_api::decode::from_json::<Vec<String>>(b"[\"\xff\"]").is_err());
/// ```
///
/// Two exceptions, which no generated type meets:
/// - `from_slice` cannot read a non-empty
///   [`Items`](crate::pagination::Items) that serde buffers first (under
///   `#[serde(flatten)]`, or in an untagged or internally tagged enum),
///   while the one pass reads it. There, where `from_slice` fails (or picks
///   another variant), this may succeed.
/// - A `Deserialize` impl that decodes embedded JSON holding `Items` with
///   `serde_json` directly, and ignores its error, sees that decode fail
///   on an unreadable item (this function, used there instead, does not).
///
/// # Errors
/// The [`serde_json::Error`] `from_slice` would return.
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => match crate::pagination::items::in_one_pass(|| serde_json::from_str(text)) {
            (Ok(value), _) => Ok(value),
            // Met no list of items: decoding item by item would fail the
            // same way.
            (Err(error), false) => Err(error),
            // Dropped first: its message may quote a large value.
            (Err(error), true) => {
                drop(error);
                crate::pagination::items::item_by_item(|| serde_json::from_str(text))
            }
        },
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// What progenitor-client's `ResponseValue::from_response` does, decoding
/// with [`from_json`]; the generated code calls this instead.
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let full = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let inner = from_json(&full).map_err(|e| Error::InvalidResponsePayload(full, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}
