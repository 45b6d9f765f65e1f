//! The one error type of this crate.
//!
//! Every fallible call returns [`Error`]. It tells apart what a caller acts on
//! differently: the API refused the request ([`Error::Api`], with the decoded
//! body in a [`ServiceError`]), the rate limit was hit ([`Error::RateLimited`],
//! with the wait the server asked for), the network failed
//! ([`Error::Timeout`], [`Error::Transport`]), the answer could not be read
//! ([`Error::Decode`], naming the failing field; [`Error::UnreadableItem`] for
//! one item of a list page, the rest of which was read), or the SDK refused the input
//! or its configuration before anything was sent.
//!
//! Errors never contain the API key: it is only ever in a request header,
//! and neither headers nor requests are kept in an error.
//!
//! Errors stay small whatever the server sent: everything they quote (a
//! body, a decoder's message, a path, an id, a token) is cut to a bounded
//! excerpt, so an error can be logged or kept without copying a huge answer
//! along.
//!
//! This is the bottom layer: it imports nothing else of the crate. Building
//! an `Error` from what the generated client reports ([`mapping`]) lives
//! here too, with the pieces it reads: service error bodies, decode
//! failures, `Retry-After`, and what the policy learnt of the request
//! ([`Outcome`]).

mod decode_failure;
mod excerpt;
mod item;
mod mapping;
mod outcome;
mod retry_after;
mod service_body;
mod too_large;

use std::fmt;
use std::time::Duration;

pub(crate) use decode_failure::decode_error;
pub(crate) use excerpt::{Cut, excerpt, excerpt_display};
pub use item::ItemError;
pub(crate) use mapping::{Timeouts, map_error};
pub(crate) use outcome::Outcome;
pub(crate) use retry_after::parse as parse_retry_after;
pub(crate) use too_large::BodyTooLarge;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest excerpt of a response body kept in an error, in characters; also
/// the bound of every other text an error quotes (a message, a JSON path, a
/// field error), `…` marks included.
pub const MAX_EXCERPT_CHARS: usize = 200;

/// Most characters of an id an error quotes, and of the other values that
/// are short when real (an error code, a trace id, a title, a field error's
/// path and value): longer ones are cut there and marked with `…`.
pub const MAX_ID_CHARS: usize = 64;

/// Most [`FieldError`]s a [`ServiceError`] keeps, the first ones the server
/// listed: enough to fix a request, bounded against a hostile body.
pub const MAX_FIELD_ERRORS: usize = 5;

/// Everything that can go wrong when talking to Quo.
///
/// Use [`is_retryable`](Error::is_retryable) to decide whether trying again
/// later can help, [`status`](Error::status) and [`code`](Error::code) to
/// branch on the API's answer. New variants may be added, hence
/// `#[non_exhaustive]`.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with an error (status + decoded body in either shape).
    #[error("{0}")]
    Api(Box<ServiceError>),
    /// 429 after retries (or when not retried): how long the server asked to wait.
    #[error("rate limited by Quo{}: {error}", RetryAfterSuffix(.retry_after))]
    RateLimited {
        /// The `Retry-After` the server sent with its last 429, if any.
        retry_after: Option<Duration>,
        /// The decoded 429 response.
        error: Box<ServiceError>,
    },
    /// A response body larger than the client's limit
    /// ([`QuoClientBuilder::max_response_bytes`](crate::QuoClientBuilder::max_response_bytes)).
    ///
    /// Reading stopped at the limit (or did not start, when the announced
    /// `Content-Length` was already over it), so a huge or endless answer
    /// cannot exhaust memory. Not retried: the same request would most
    /// likely get the same answer.
    #[error("{}", too_large_message(.status, .limit, .content_length))]
    ResponseTooLarge {
        /// The HTTP status of the response, when known.
        status: Option<u16>,
        /// The limit that was reached, in bytes.
        limit: usize,
        /// The size the server announced in `Content-Length`, if it did.
        content_length: Option<u64>,
    },
    /// The server answered with a redirect (3xx), which is never followed.
    ///
    /// Quo's API does not redirect, so one comes from a proxy or a wrong
    /// base URL; following it could send the API key to another server, or
    /// over plain http. Only the target's origin is kept: its path and
    /// query may carry tokens.
    #[error("{}", redirect_message(*.status, .location_origin))]
    Redirect {
        /// The HTTP status (301, 302, 307, ...).
        status: u16,
        /// The origin (`scheme://host:port`) of the `Location` header, when
        /// it had a valid one.
        location_origin: Option<String>,
    },
    /// Connect/request timeout or the overall retry deadline.
    #[error("timed out: {message}")]
    Timeout {
        /// Which timeout fired and after how many attempts.
        message: String,
    },
    /// Network/transport failure (connection refused/reset, TLS, ...).
    /// reqwest's message names the URL, unless it is longer than
    /// [`MAX_EXCERPT_CHARS`] (it holds the id and page token).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// A response body that could not be decoded: which field (JSON path), a short bounded excerpt.
    #[error("{}", decode_message(.status, .path, .message))]
    Decode {
        /// The HTTP status of the response, when known.
        status: Option<u16>,
        /// JSON path of the field that failed, e.g. `data.createdAt`; `None`
        /// at the root. Cut to [`MAX_EXCERPT_CHARS`] characters.
        path: Option<String>,
        /// What was wrong (from the JSON decoder), cut to
        /// [`MAX_EXCERPT_CHARS`] characters: the decoder quotes the
        /// offending value whole, however long.
        message: String,
        /// Up to [`MAX_EXCERPT_CHARS`] characters of the body around the failure.
        excerpt: String,
    },
    /// One item of a list page could not be decoded; the other items of the
    /// page were. The items streams yield this at the item's place and go
    /// on with the next item, so a walk never loses a page to one item.
    /// Not retryable.
    #[error("{0}")]
    UnreadableItem(Box<ItemError>),
    /// Input refused before anything was sent. The message quotes the
    /// input cut to [`MAX_ID_CHARS`] characters.
    #[error("invalid input `{field}`: {message}")]
    InvalidInput {
        /// The parameter that was refused.
        field: &'static str,
        /// Why it was refused.
        message: String,
    },
    /// The listing went back to a page it had already been through (the same
    /// page token, or the same items under a new token): it would never end,
    /// or would repeat items.
    #[error(
        "pagination loop: the API led back to a page already seen (page token `{token_excerpt}`)"
    )]
    PaginationLoop {
        /// The start of the page token that led back.
        token_excerpt: String,
    },
    /// A lookup by `externalId` that expects one contact found several
    /// (Quo does not enforce unique external ids).
    ///
    /// Both fields are bounded: the external id cut to [`MAX_ID_CHARS`]
    /// characters, at most [`MAX_AMBIGUOUS_IDS`] contact ids, each cut too.
    #[error("{}", ambiguous_message(.external_id, .contact_ids, *.count))]
    AmbiguousExternalId {
        /// The external id looked up.
        external_id: String,
        /// The ids of the contacts found (the first ones, when many).
        contact_ids: Vec<String>,
        /// How many contacts were found.
        count: usize,
    },
    /// A `DELETE` was retried after an attempt that may have been applied
    /// (it answered 5xx, or the connection failed after sending), and the
    /// retry met 404: the delete may already have happened, so this is not
    /// a plain not-found.
    ///
    /// Usually the first attempt deleted the resource; it may also never
    /// have existed. [`code`](Error::code) and
    /// [`service_error`](Error::service_error) say nothing for it, so code
    /// that treats `NotFound` as "never existed" does not take this for
    /// one; the 404's body is in `error`. Not retryable.
    #[error(
        "the delete may already have happened: an earlier attempt ({earlier}) may have been \
         applied, and the retry met {error} ({attempts} attempts)"
    )]
    MaybeDeleted {
        /// Why the earlier attempt may have been applied (`status 503`,
        /// `timeout`, ...).
        earlier: String,
        /// Attempts made in all.
        attempts: u32,
        /// The 404 the last attempt met.
        error: Box<ServiceError>,
    },
    /// A wait for a resource to settle (a sent message's delivery, see
    /// `Messages::wait`) reached its deadline first.
    ///
    /// Names the last status seen, so a caller can tell a message still
    /// `queued` (the carrier has not taken it) from one `sent` (the
    /// carrier has not confirmed it), and how long and how often it
    /// looked. Retryable: waiting longer may see the resource settle.
    #[error("{}", wait_timeout_message(.id, .last_status, *.waited, *.polls))]
    WaitTimeout {
        /// The id waited for, cut to [`MAX_ID_CHARS`] characters.
        id: String,
        /// The status of the last answer (`queued`, `sent`, ...); `None`
        /// when no poll answered before the deadline.
        last_status: Option<String>,
        /// How long the wait lasted.
        waited: Duration,
        /// How many polls were answered.
        polls: u32,
    },
    /// Client could not be configured (bad key, bad base URL, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A failure the SDK could not classify (for example an error raised by a
    /// request hook). Not retryable.
    #[error("unexpected error: {0}")]
    Other(String),
}

impl Error {
    /// Whether sending the same request again later may succeed.
    ///
    /// True for rate limiting, timeouts, connection failures (including a
    /// connection that failed while the response body was read) and the
    /// transient gateway statuses 502, 503 and 504. False for every other
    /// API answer (including 500, which Quo uses for errors that are not
    /// known to be transient), for decode errors and for errors raised before
    /// anything was sent.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::WaitTimeout { .. } => true,
            Error::Transport(e) => is_retryable_transport(e),
            Error::Api(e) => matches!(e.status, 502..=504),
            Error::Decode { .. }
            | Error::UnreadableItem(_)
            | Error::ResponseTooLarge { .. }
            | Error::Redirect { .. }
            | Error::InvalidInput { .. }
            | Error::PaginationLoop { .. }
            | Error::AmbiguousExternalId { .. }
            | Error::MaybeDeleted { .. }
            | Error::Config(_)
            | Error::Other(_) => false,
        }
    }

    /// The HTTP status of the response this error came from, if there was one.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => *status,
            Error::Redirect { status, .. } => Some(*status),
            Error::MaybeDeleted { error, .. } => Some(error.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Whether Quo answered that the object does not exist (HTTP 404).
    ///
    /// False for [`MaybeDeleted`](Error::MaybeDeleted): a delete whose
    /// retry met 404 may have deleted the object itself.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// match client.contacts().get("664d0db69fcac7cf2e6ec99e").await {
    ///     Ok(contact) => println!("{}", contact.id),
    ///     Err(e) if e.is_not_found() => println!("no such contact"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        self.api_status() == Some(404)
    }

    /// Whether Quo refused the request as conflicting with the object's
    /// current state (HTTP 409).
    #[must_use]
    pub fn is_conflict(&self) -> bool {
        self.api_status() == Some(409)
    }

    /// Whether Quo refused the API key (HTTP 401): missing, wrong or revoked.
    #[must_use]
    pub fn is_unauthorized(&self) -> bool {
        self.api_status() == Some(401)
    }

    /// Whether the key may not do this (HTTP 403), for example because its
    /// user is not a user of the phone number.
    #[must_use]
    pub fn is_forbidden(&self) -> bool {
        self.api_status() == Some(403)
    }

    /// Whether Quo answered 429 (after the retries the client made).
    #[must_use]
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. }) || self.api_status() == Some(429)
    }

    /// The status of an API error answer (not of a decode failure, a
    /// redirect or an ambiguous delete).
    fn api_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e.status),
            _ => None,
        }
    }

    /// The API's error code (`0800404`, ...), if the response carried one.
    #[must_use]
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => e.code.as_ref(),
            _ => None,
        }
    }

    /// The decoded API error, for [`Api`](Error::Api) and
    /// [`RateLimited`](Error::RateLimited).
    #[must_use]
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e),
            _ => None,
        }
    }
}

/// Formats ` (retry after 3s)` for [`Error::RateLimited`].
struct RetryAfterSuffix<'a>(&'a Option<Duration>);

impl fmt::Display for RetryAfterSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, " (retry after {wait:?})"),
            None => Ok(()),
        }
    }
}

/// The message of [`Error::Decode`].
fn decode_message(status: &Option<u16>, path: &Option<String>, message: &str) -> String {
    let mut out = String::from("could not decode the response");
    if let Some(status) = status {
        out.push_str(&format!(" (HTTP {status})"));
    }
    if let Some(path) = path {
        out.push_str(&format!(" at `{path}`"));
    }
    out.push_str(": ");
    out.push_str(message);
    out
}

/// The message of [`Error::ResponseTooLarge`].
fn too_large_message(status: &Option<u16>, limit: &usize, content_length: &Option<u64>) -> String {
    let mut out = String::from("the response body");
    if let Some(status) = status {
        out.push_str(&format!(" (HTTP {status})"));
    }
    out.push_str(&format!(" is larger than the limit of {limit} bytes"));
    match content_length {
        Some(length) => out.push_str(&format!(" (Content-Length: {length}): it was not read")),
        None => out.push_str(": reading stopped at the limit"),
    }
    out.push_str(" (see QuoClientBuilder::max_response_bytes)");
    out
}

/// Most contact ids an [`Error::AmbiguousExternalId`] keeps.
pub const MAX_AMBIGUOUS_IDS: usize = 10;

impl Error {
    /// An [`Error::AmbiguousExternalId`] for `external_id`, found on the
    /// contacts `contact_ids`, bounded.
    pub(crate) fn ambiguous_external_id(external_id: &str, contact_ids: &[&str]) -> Self {
        Error::AmbiguousExternalId {
            external_id: quote_short(external_id),
            contact_ids: contact_ids
                .iter()
                .take(MAX_AMBIGUOUS_IDS)
                .map(|id| quote_short(id))
                .collect(),
            count: contact_ids.len(),
        }
    }
}

impl Error {
    /// For a write (`POST`, `PATCH`) that failed after it may have reached
    /// Quo: a timeout, or a connection that failed after it was made,
    /// gets `advice` appended (the write may have happened, and how to
    /// check); other errors are returned as they are.
    pub(crate) fn maybe_applied(self, advice: &str) -> Self {
        match self {
            Error::Timeout { message } => Error::Timeout {
                message: format!("{message}; {advice}"),
            },
            Error::Transport(e) if !e.is_connect() => Error::Other(format!(
                "the connection failed after the request was sent ({e}); {advice}"
            )),
            other => other,
        }
    }
}

/// The message of [`Error::AmbiguousExternalId`].
fn wait_timeout_message(
    id: &str,
    last_status: &Option<String>,
    waited: Duration,
    polls: u32,
) -> String {
    let last = match last_status {
        Some(status) => format!("still {status}"),
        None => "no poll answered".to_owned(),
    };
    format!(
        "gave up waiting for {id} after {:.1} s and {polls} poll(s): {last}",
        waited.as_secs_f64()
    )
}

fn ambiguous_message(external_id: &str, ids: &[String], count: usize) -> String {
    let more = if count > ids.len() { ", ..." } else { "" };
    format!(
        "{count} contacts have externalId `{external_id}` where one was expected: {}{more}",
        ids.join(", ")
    )
}

/// The message of [`Error::Redirect`].
fn redirect_message(status: u16, origin: &Option<String>) -> String {
    match origin {
        Some(origin) => format!("HTTP {status}: a redirect to {origin} was not followed"),
        None => format!("HTTP {status}: a redirect was not followed"),
    }
}

/// How many field errors a [`ServiceError`]'s one-line `Display` lists.
const SHOWN_FIELD_ERRORS: usize = 2;

/// An error answer from the Quo API, decoded from whichever shape it came in.
///
/// Quo documents a flat body (`{message, code, status, docs, title, trace,
/// errors}`), while the live API also answers `{"error": {message, key,
/// trace}}`; both fill the same fields here. A body in neither shape (an HTML
/// page from a proxy, an empty body) still gives the status and a short
/// [`body_excerpt`](Self::body_excerpt).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The HTTP status of the response.
    pub status: u16,
    /// What Quo's error code means (`code` in the flat shape, `key` in the
    /// nested one).
    pub code: Option<ErrorCode>,
    /// The code exactly as sent (`0800404`, or a `key` such as
    /// `contact_not_found`), cut to a short excerpt.
    pub code_text: Option<String>,
    /// Short title, e.g. `Not Found`.
    pub title: Option<String>,
    /// Human-readable explanation.
    pub message: Option<String>,
    /// Link to the documentation of this error.
    pub docs: Option<String>,
    /// Quo's trace id: quote it when contacting Quo support.
    pub trace: Option<String>,
    /// Per-field validation errors (400 responses): the first
    /// [`MAX_FIELD_ERRORS`] the server listed. `Display` shows two.
    pub field_errors: Vec<FieldError>,
    /// Up to [`MAX_EXCERPT_CHARS`] characters of the raw body, when it was
    /// read as bytes (always for bodies in neither shape).
    pub body_excerpt: Option<String>,
}

impl ServiceError {
    /// An error with only a status; every other field empty.
    #[must_use]
    pub fn new(status: u16) -> Self {
        Self {
            status,
            code: None,
            code_text: None,
            title: None,
            message: None,
            docs: None,
            trace: None,
            field_errors: Vec::new(),
            body_excerpt: None,
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(title) = &self.title {
            write!(f, " {title}")?;
        }
        if let Some(code) = &self.code_text {
            write!(f, " [{code}]")?;
        }
        match (&self.message, &self.body_excerpt) {
            (Some(message), _) => write!(f, ": {message}")?,
            (None, Some(excerpt)) if !excerpt.is_empty() => write!(f, ": body `{excerpt}`")?,
            _ => {}
        }
        for field in self.field_errors.iter().take(SHOWN_FIELD_ERRORS) {
            write!(f, "; {}: {}", field.path, field.message)?;
        }
        let more = self.field_errors.len().saturating_sub(SHOWN_FIELD_ERRORS);
        if more > 0 {
            write!(f, "; and {more} more field errors")?;
        }
        if let Some(trace) = &self.trace {
            write!(f, " (trace {trace})")?;
        }
        Ok(())
    }
}

/// One entry of a validation error's `errors` list: which input was wrong.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FieldError {
    /// Where the problem is, e.g. `/maxResults`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
    /// The offending value, when the API echoed it. A value whose JSON is
    /// longer than [`MAX_ID_CHARS`] is kept as a string holding an excerpt
    /// of that JSON.
    pub value: Option<serde_json::Value>,
}

impl FieldError {
    /// A field error at `path` with `message` and no value.
    #[must_use]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            value: None,
        }
    }
}

/// What Quo's error code says went wrong, for every code its spec documents.
///
/// Quo's codes are seven digits: the first two name the API area (`08` for
/// contacts, `10` for conversations, ...), the rest the error, ending in its HTTP
/// status (`0800404` and `0100404` are both "Not Found"). A variant stands
/// for one meaning across every area; the code exactly as sent is
/// [`ServiceError::code_text`]. Codes this SDK does not know (and the live
/// API's textual `key`s) are kept in [`Other`](Self::Other), so matching on
/// a known meaning never hides an unknown code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `xx00400`: the request is invalid (400).
    BadRequest,
    /// `0801400`: a custom field item in the request is invalid (400).
    InvalidCustomFieldItem,
    /// `0101400`: too many participants for a call listing (400).
    TooManyParticipants,
    /// `0206400`: the sender's A2P 10DLC registration is not approved (400).
    A2pRegistrationNotApproved,
    /// `0305400`: the version a webhook request names is invalid (400).
    InvalidVersion,
    /// `xx00401`: the API key is missing or wrong (401).
    Unauthorized,
    /// `0201402`: the workspace's subscription has expired (402).
    SubscriptionExpired,
    /// `0600402`: the workspace has reached its limit of open tasks (402).
    OpenTasksLimitReached,
    /// `xx00403`: the key may not do this (403).
    Forbidden,
    /// `xx01403`, `0202403`: the key's user is not a user of this phone
    /// number (403).
    NotPhoneNumberUser,
    /// `xx00404`: the object was not found (404).
    NotFound,
    /// `0800409`: the request conflicts with the current state (409).
    Conflict,
    /// `xx01500`: an unknown server-side error (500).
    Unknown,
    /// Any other code, verbatim.
    Other(String),
}

impl ErrorCode {
    /// The title Quo's spec gives the code (`Not Found`), or the code
    /// itself for [`Other`](Self::Other).
    #[must_use]
    pub fn title(&self) -> &str {
        match self {
            ErrorCode::BadRequest => "Bad Request",
            ErrorCode::InvalidCustomFieldItem => "Invalid Custom Field Item",
            ErrorCode::TooManyParticipants => "Too Many Participants",
            ErrorCode::A2pRegistrationNotApproved => "A2P Registration Not Approved",
            ErrorCode::InvalidVersion => "Invalid Version",
            ErrorCode::Unauthorized => "Unauthorized",
            ErrorCode::SubscriptionExpired => "Subscription Expired",
            ErrorCode::OpenTasksLimitReached => "Open Tasks Limit Reached",
            ErrorCode::Forbidden => "Forbidden",
            ErrorCode::NotPhoneNumberUser => "Not Phone Number User",
            ErrorCode::NotFound => "Not Found",
            ErrorCode::Conflict => "Conflict",
            ErrorCode::Unknown => "Unknown",
            ErrorCode::Other(code) => code,
        }
    }
}

impl From<&str> for ErrorCode {
    /// The meaning of a code as Quo's spec documents it (every code listed
    /// there, area by area); any other text is [`ErrorCode::Other`].
    fn from(code: &str) -> Self {
        match code {
            // calls 01, messages 02, webhooks 03, phone numbers 04, call
            // summaries 05, tasks and call transcripts 06, custom fields 07,
            // contacts 08, call recordings 09, conversations 10, users 11,
            // voicemails 12
            "0400400" | "0500400" | "0600400" | "0700400" | "0900400" | "1000400" | "1100400"
            | "1200400" => ErrorCode::BadRequest,
            "0801400" => ErrorCode::InvalidCustomFieldItem,
            "0101400" => ErrorCode::TooManyParticipants,
            "0206400" => ErrorCode::A2pRegistrationNotApproved,
            "0305400" => ErrorCode::InvalidVersion,
            "0100401" | "0200401" | "0300401" | "0400401" | "0500401" | "0600401" | "0700401"
            | "0800401" | "0900401" | "1000401" | "1100401" | "1200401" => ErrorCode::Unauthorized,
            "0201402" => ErrorCode::SubscriptionExpired,
            "0600402" => ErrorCode::OpenTasksLimitReached,
            "0300403" | "0400403" | "0500403" | "0600403" | "0700403" | "0900403" | "1100403"
            | "1200403" => ErrorCode::Forbidden,
            "0101403" | "0202403" | "0801403" | "1001403" => ErrorCode::NotPhoneNumberUser,
            "0100404" | "0200404" | "0300404" | "0400404" | "0500404" | "0600404" | "0700404"
            | "0800404" | "0900404" | "1000404" | "1100404" | "1200404" => ErrorCode::NotFound,
            "0800409" => ErrorCode::Conflict,
            "0101500" | "0201500" | "0301500" | "0401500" | "0501500" | "0601500" | "0701500"
            | "0801500" | "0901500" | "1001500" | "1101500" | "1201500" => ErrorCode::Unknown,
            other => ErrorCode::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// Transport failures a retry may fix: connecting, timing out, or the
/// connection failing while the request was sent or the body was read
/// (reqwest reports a body that failed mid-way as a decode error; the
/// policy never decodes anything else, so that is all it can mean here).
/// A body over the size limit is not one: the answer would be the same.
pub(crate) fn is_retryable_transport(e: &reqwest::Error) -> bool {
    (e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() || e.is_decode())
        && BodyTooLarge::find(e).is_none()
}

/// [`MAX_EXCERPT_CHARS`] characters at most from the start of `bytes`
/// (decoded lossily): how an error quotes a response body.
pub(crate) fn quote_body(bytes: &[u8]) -> String {
    excerpt(bytes, Cut::Head, MAX_EXCERPT_CHARS)
}

/// [`MAX_EXCERPT_CHARS`] characters at most of a message or other text,
/// keeping its start and end: how an error quotes a decoder's message,
/// whose middle may quote a value whole.
pub(crate) fn quote_text(text: &str) -> String {
    excerpt(text.as_bytes(), Cut::Ends, MAX_EXCERPT_CHARS)
}

/// [`quote_text`] of what `value` displays, never holding all of it: how an
/// error quotes a decoder's error or a JSON path.
pub(crate) fn quote_display(value: &dyn fmt::Display) -> String {
    excerpt_display(value, MAX_EXCERPT_CHARS)
}

/// How many characters of a page token [`quote_token`] keeps: enough to
/// recognise it in a log, not the whole opaque token.
const TOKEN_EXCERPT_CHARS: usize = 12;

/// [`TOKEN_EXCERPT_CHARS`] characters at most of a page token, then `…` if
/// it was longer: how an [`Error::PaginationLoop`] and a walk's `Debug`
/// quote one.
pub(crate) fn quote_token(token: &str) -> String {
    excerpt(token.as_bytes(), Cut::Head, TOKEN_EXCERPT_CHARS + 1)
}

/// [`MAX_ID_CHARS`] characters at most of an id or another value that is
/// short when real (see [`MAX_ID_CHARS`]), then `…` if it was longer: how
/// an error quotes one.
pub(crate) fn quote_short(text: &str) -> String {
    excerpt(text.as_bytes(), Cut::Head, MAX_ID_CHARS + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_can_cross_threads() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
    }

    #[test]
    fn codes_mean_the_same_in_every_area_and_others_are_kept() {
        for code in ["0800404", "0100404", "0600404", "1200404"] {
            assert_eq!(ErrorCode::from(code), ErrorCode::NotFound, "{code}");
        }
        assert_eq!(
            ErrorCode::from("0801400").to_string(),
            "Invalid Custom Field Item"
        );
        // An undocumented code of a documented shape is not guessed at.
        assert_eq!(
            ErrorCode::from("0800400"),
            ErrorCode::Other("0800400".into())
        );
        assert_eq!(
            ErrorCode::from("rate_limited"),
            ErrorCode::Other("rate_limited".into())
        );
        assert_eq!(ErrorCode::from("rate_limited").title(), "rate_limited");
    }

    #[test]
    fn excerpts_are_bounded_on_char_boundaries() {
        let long = "é".repeat(500);
        let cut = quote_body(long.as_bytes());
        assert_eq!(cut.chars().count(), MAX_EXCERPT_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(quote_body(b"short"), "short");
        assert_eq!(quote_body(b""), "");
    }

    #[test]
    fn excerpt_keeps_short_tokens_and_cuts_long_ones() {
        assert_eq!(quote_token("abc"), "abc");
        assert_eq!(quote_token("123456789012"), "123456789012");
        // One more character fits in the room of the mark.
        assert_eq!(quote_token("1234567890123"), "1234567890123");
        assert_eq!(quote_token("12345678901234"), "123456789012…");
        // Cuts on characters, never inside a UTF-8 sequence.
        assert_eq!(quote_token(&"é".repeat(14)), "éééééééééééé…");
    }

    #[test]
    fn ids_are_cut_after_max_id_chars() {
        let id = "i".repeat(10_000);
        let quoted = quote_short(&id);
        assert_eq!(quoted.chars().count(), MAX_ID_CHARS + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(quote_short(&id[..MAX_ID_CHARS]), id[..MAX_ID_CHARS]);
    }

    #[test]
    fn the_size_limit_error_names_the_limit() {
        let e = Error::ResponseTooLarge {
            status: Some(200),
            limit: 1024,
            content_length: None,
        };
        assert!(e.to_string().contains("limit of 1024 bytes"), "{e}");
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(200));
    }

    #[test]
    fn a_redirect_error_names_only_its_origin() {
        let e = Error::Redirect {
            status: 302,
            location_origin: Some("http://elsewhere.test".into()),
        };
        assert_eq!(
            e.to_string(),
            "HTTP 302: a redirect to http://elsewhere.test was not followed"
        );
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(302));
    }

    #[test]
    fn display_is_informative() {
        let mut e = ServiceError::new(404);
        e.code = Some(ErrorCode::NotFound);
        e.code_text = Some("0800404".into());
        e.title = Some("Not Found".into());
        e.message = Some("Contact not found".into());
        e.trace = Some("abc".into());
        let text = Error::Api(Box::new(e)).to_string();
        assert_eq!(
            text,
            "HTTP 404 Not Found [0800404]: Contact not found (trace abc)"
        );
    }

    #[test]
    fn retryability() {
        assert!(Error::Api(Box::new(ServiceError::new(503))).is_retryable());
        assert!(!Error::Api(Box::new(ServiceError::new(500))).is_retryable());
        assert!(!Error::Api(Box::new(ServiceError::new(404))).is_retryable());
        assert!(
            Error::RateLimited {
                retry_after: None,
                error: Box::new(ServiceError::new(429))
            }
            .is_retryable()
        );
        assert!(!Error::Config("x".into()).is_retryable());
    }
}
