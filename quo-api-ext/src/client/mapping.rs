//! From progenitor's `Error<ApiError>` to this crate's [`Error`].
//!
//! The generated code reports errors in progenitor's terms (which step
//! failed); callers want to know what happened (the API refused, the network
//! failed, the body was wrong). This module translates, using what the policy
//! recorded about the final response ([`Outcome`]) for the cases where
//! progenitor dropped the status.

use std::time::Duration;

use quo_api::types::ApiError;
use serde::de::DeserializeOwned;

use super::decode::decode_error;
use super::error_body;
use crate::error::{Error, ServiceError, excerpt};
use crate::policy::{Outcome, parse_retry_after};

/// Most bytes of an unexpected response body read to describe it.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The client's timeouts, to say which one fired.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) attempt: Duration,
    pub(crate) deadline: Duration,
}

/// Translates one failed generated call.
pub(crate) async fn map_error<T: DeserializeOwned>(
    error: quo_api::Error<ApiError>,
    outcome: &Outcome,
    timeouts: &Timeouts,
) -> Error {
    match error {
        quo_api::Error::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = parse_retry_after(response.headers()).or(outcome.retry_after);
            let body = response.into_inner();
            service_error(error_body::from_api_error(status, &body), retry_after)
        }
        quo_api::Error::InvalidResponsePayload(bytes, e) => match outcome.status {
            Some(status) if status >= 400 => {
                service_error(error_body::from_bytes(status, &bytes), outcome.retry_after)
            }
            status => decode_error::<T>(status, &bytes, &e),
        },
        quo_api::Error::UnexpectedResponse(response) => unexpected(response).await,
        quo_api::Error::CommunicationError(e)
        | quo_api::Error::ResponseBodyError(e)
        | quo_api::Error::InvalidUpgrade(e) => transport(e, outcome, timeouts),
        quo_api::Error::InvalidRequest(message) => Error::InvalidInput {
            field: "request",
            message,
        },
        quo_api::Error::Custom(message) => Error::Other(message),
    }
}

/// [`Error::RateLimited`] for a 429, [`Error::Api`] for anything else.
fn service_error(error: ServiceError, retry_after: Option<Duration>) -> Error {
    if error.status == 429 {
        Error::RateLimited {
            retry_after,
            error: Box::new(error),
        }
    } else {
        Error::Api(Box::new(error))
    }
}

/// A status the spec does not list for the operation (429, 502, ...).
async fn unexpected(mut response: reqwest::Response) -> Error {
    let status = response.status();
    let retry_after = parse_retry_after(response.headers());
    let mut body = Vec::new();
    while body.len() < MAX_ERROR_BODY_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            // A body that breaks off still describes the error as far as it got.
            Ok(None) | Err(_) => break,
        }
    }
    if status.is_success() {
        return Error::Decode {
            status: Some(status.as_u16()),
            path: None,
            message: format!(
                "unexpected success status {} for this operation",
                status.as_u16()
            ),
            excerpt: excerpt(&body),
        };
    }
    service_error(error_body::from_bytes(status.as_u16(), &body), retry_after)
}

/// [`Error::Timeout`] for a timeout (saying which one), else [`Error::Transport`].
fn transport(e: reqwest::Error, outcome: &Outcome, timeouts: &Timeouts) -> Error {
    if !e.is_timeout() {
        return Error::Transport(e);
    }
    let attempts = match outcome.attempts {
        0 | 1 => String::from("1 attempt"),
        n => format!("{n} attempts"),
    };
    let message = if e.is_connect() {
        format!(
            "could not connect within the connect timeout of {:?} ({attempts})",
            timeouts.connect
        )
    } else if outcome.deadline_limited {
        format!(
            "the overall retry deadline of {:?} was reached ({attempts})",
            timeouts.deadline
        )
    } else if outcome.status.is_some() {
        format!(
            "the response body did not arrive within the per-attempt timeout of {:?} ({attempts})",
            timeouts.attempt
        )
    } else {
        format!(
            "no response within the per-attempt timeout of {:?} ({attempts})",
            timeouts.attempt
        )
    };
    Error::Timeout { message }
}
