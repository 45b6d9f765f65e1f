//! [`BodyTooLarge`]: a response body over the client's size limit.
//!
//! The policy stops reading there and can only report it as a
//! [`reqwest::Error`] (the only error the generated client carries from the
//! policy), so it travels as that error's source and is recognised again by
//! [`BodyTooLarge::find`] when the error is classified or mapped.

use std::error::Error as StdError;
use std::fmt;

/// Why a response body was not read to its end: it is larger than the
/// client's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyTooLarge {
    /// The limit, in bytes.
    pub(crate) limit: usize,
    /// The length the server announced, if it did.
    pub(crate) content_length: Option<u64>,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the limit of {} bytes",
            self.limit
        )
    }
}

impl StdError for BodyTooLarge {}

impl BodyTooLarge {
    /// The `BodyTooLarge` among `error`'s sources, if any.
    pub(crate) fn find(error: &reqwest::Error) -> Option<BodyTooLarge> {
        let mut source = StdError::source(error);
        while let Some(cause) = source {
            if let Some(found) = cause.downcast_ref::<BodyTooLarge>() {
                return Some(*found);
            }
            source = cause.source();
        }
        None
    }
}
