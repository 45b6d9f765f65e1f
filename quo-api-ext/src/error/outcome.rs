//! [`Outcome`]: what the policy learnt about a call's last request.
//!
//! Building an [`Error`](crate::Error) needs it where progenitor dropped the
//! status (a success or error body that did not decode) and to say how many
//! attempts a transport failure took.

use std::time::Duration;

use reqwest::Method;

/// What the policy learnt about the last request sent in a call.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Outcome {
    /// Status of the final response, once its headers arrived (its body may
    /// then have failed); `None` if none arrived.
    pub(crate) status: Option<u16>,
    /// `Retry-After` of the final response, if it had a valid one.
    pub(crate) retry_after: Option<Duration>,
    /// Attempts made (1 when the request was not retried).
    pub(crate) attempts: u32,
    /// Whether the last attempt's timeout was shortened to end at the
    /// overall retry deadline.
    pub(crate) deadline_limited: bool,
    /// The request's method, once the policy has seen the request.
    pub(crate) method: Option<Method>,
    /// Why an attempt before the last may have been applied by Quo
    /// (`status 503`, `timeout`, ...), if one may have been: the last
    /// answer then does not say what the first did. A retried `DELETE`
    /// that meets 404 after one is
    /// [`Error::MaybeDeleted`](crate::Error::MaybeDeleted).
    pub(crate) earlier_may_have_applied: Option<String>,
}
