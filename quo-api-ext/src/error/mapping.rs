//! From progenitor's `Error<ApiError>` to this crate's [`Error`].
//!
//! The generated code reports errors in progenitor's terms (which step
//! failed); callers want to know what happened (the API refused, the network
//! failed, the body was wrong). This module translates, using what the policy
//! recorded about the final response ([`Outcome`]) for the cases where
//! progenitor dropped the status.

use std::time::Duration;

use quo_api::types::ApiError;
use reqwest::Method;
use reqwest::header::LOCATION;
use serde::de::DeserializeOwned;

use super::decode_failure::decode_error;
use super::service_body::{self, MAX_PARSED_ERROR_BODY};
use super::{BodyTooLarge, Outcome, parse_retry_after};
use crate::error::{Error, MAX_EXCERPT_CHARS, ServiceError, quote_body, quote_text};

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
    ambiguous_delete(translate::<T>(error, outcome, timeouts).await, outcome)
}

/// A `DELETE` whose last attempt met 404 after an earlier attempt that may
/// have been applied (it answered 503, say) is [`Error::MaybeDeleted`], not
/// a plain not-found: the 404 may be the delete's own doing. Done here, for
/// every `DELETE` of every resource, because only the policy's record of
/// the attempts knows the 404 was not the first answer.
fn ambiguous_delete(error: Error, outcome: &Outcome) -> Error {
    let (Some(earlier), Some(&Method::DELETE)) =
        (&outcome.earlier_may_have_applied, outcome.method.as_ref())
    else {
        return error;
    };
    match error {
        Error::Api(service) if service.status == 404 => Error::MaybeDeleted {
            earlier: earlier.clone(),
            attempts: outcome.attempts,
            error: service,
        },
        other => other,
    }
}

/// [`map_error`] without the look at earlier attempts.
async fn translate<T: DeserializeOwned>(
    error: quo_api::Error<ApiError>,
    outcome: &Outcome,
    timeouts: &Timeouts,
) -> Error {
    match error {
        quo_api::Error::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = parse_retry_after(response.headers()).or(outcome.retry_after);
            let body = response.into_inner();
            service_error(service_body::from_api_error(status, &body), retry_after)
        }
        quo_api::Error::InvalidResponsePayload(bytes, e) => match outcome.status {
            Some(status) if status >= 400 => service_error(
                service_body::from_bytes(status, &bytes),
                outcome.retry_after,
            ),
            status => decode_error::<T>(status, &bytes, e),
        },
        quo_api::Error::UnexpectedResponse(response) => unexpected(response).await,
        quo_api::Error::CommunicationError(e)
        | quo_api::Error::ResponseBodyError(e)
        | quo_api::Error::InvalidUpgrade(e) => transport(e, outcome, timeouts),
        quo_api::Error::InvalidRequest(message) => Error::InvalidInput {
            field: "request",
            message: quote_text(&message),
        },
        quo_api::Error::Custom(message) => Error::Other(quote_text(&message)),
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

/// A status the spec does not list for the operation (429, 502, a
/// redirect, ...).
async fn unexpected(mut response: reqwest::Response) -> Error {
    let status = response.status();
    if status.is_redirection() {
        return redirect(&response);
    }
    let retry_after = parse_retry_after(response.headers());
    // The policy has read the body already. One byte more than is ever
    // parsed says whether there was more.
    let mut body = Vec::new();
    while body.len() <= MAX_PARSED_ERROR_BODY {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_PARSED_ERROR_BODY + 1 - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
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
            excerpt: quote_body(&body),
        };
    }
    service_error(
        service_body::from_bytes(status.as_u16(), &body),
        retry_after,
    )
}

/// [`Error::Redirect`] for a 3xx, naming only the origin of its target:
/// the path and query may carry tokens.
fn redirect(response: &reqwest::Response) -> Error {
    let location_origin = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        // A relative `Location` is resolved against the request's URL.
        .and_then(|location| response.url().join(location).ok())
        .map(|target| target.origin())
        .filter(url::Origin::is_tuple)
        .map(|origin| quote_text(&origin.ascii_serialization()));
    Error::Redirect {
        status: response.status().as_u16(),
        location_origin,
    }
}

/// [`Error::ResponseTooLarge`] for a body over the limit, [`Error::Timeout`]
/// for a timeout (saying which one), else [`Error::Transport`].
fn transport(e: reqwest::Error, outcome: &Outcome, timeouts: &Timeouts) -> Error {
    if let Some(too_large) = BodyTooLarge::find(&e) {
        return Error::ResponseTooLarge {
            status: outcome.status,
            limit: too_large.limit,
            content_length: too_large.content_length,
        };
    }
    if !e.is_timeout() {
        // reqwest's message quotes the URL, which holds the id and the
        // page token: keep it only while it is short.
        let long_url = e
            .url()
            .is_some_and(|url| url.as_str().len() > MAX_EXCERPT_CHARS);
        return Error::Transport(if long_url { e.without_url() } else { e });
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
    } else if let Some(status) = outcome.status {
        format!(
            "the response headers (HTTP {status}) arrived, but not the whole body within \
             the per-attempt timeout of {:?} ({attempts})",
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
