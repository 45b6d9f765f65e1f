//! [`Open`]: a response enum that tolerates values added after this release.
//!
//! Quo adds values to its enums (a new call status, a new event name) before
//! its spec lists them. A strict enum would fail the whole page that carries
//! one. Every enum in response data is therefore generated as
//! `Open<TheEnum>`: the values this release knows decode to
//! [`Open::Known`], anything else to [`Open::Other`] with the text kept, and
//! both serialise back to the same text. Request bodies keep the strict
//! enum: what we send must be a value Quo documents.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value of an enum Quo may extend: known to this release, or not (yet).
///
/// ```
/// use quo_api::Open;
/// use quo_api::types::CallStatus;
///
/// let known: Open<CallStatus> = serde_json::from_str("\"completed\"").unwrap();
/// assert_eq!(known, Open::Known(CallStatus::Completed));
/// let later: Open<CallStatus> = serde_json::from_str("\"teleported\"").unwrap();
/// assert_eq!(later, Open::Other("teleported".into()));
/// assert_eq!(serde_json::to_string(&later).unwrap(), "\"teleported\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Open<T> {
    /// A value this release knows.
    Known(T),
    /// A value Quo sent that this release does not know, as sent.
    Other(String),
}

impl<T> Open<T> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Open::Known(value) => Some(value),
            Open::Other(_) => None,
        }
    }

    /// Whether this release knows the value.
    pub fn is_known(&self) -> bool {
        matches!(self, Open::Known(_))
    }
}

impl<T> From<T> for Open<T> {
    fn from(value: T) -> Self {
        Open::Known(value)
    }
}

impl<T: PartialEq> PartialEq<T> for Open<T> {
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T: fmt::Display> fmt::Display for Open<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Open::Known(value) => value.fmt(f),
            Open::Other(text) => f.write_str(text),
        }
    }
}

impl<'de, T: FromStr> Deserialize<'de> for Open<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(match text.parse::<T>() {
            Ok(value) => Open::Known(value),
            Err(_) => Open::Other(text.into_owned()),
        })
    }
}

impl<T: Serialize> Serialize for Open<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Open::Known(value) => value.serialize(serializer),
            Open::Other(text) => serializer.serialize_str(text),
        }
    }
}
