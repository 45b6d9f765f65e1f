//! Error bodies shaped like the Quo spec's error responses.
//!
//! Every error carries `message`, `code`, `status`, `docs`, `title` and
//! `trace`; validation errors add the spec's `errors` array and
//! `description`. Codes and titles are the constants the spec documents for
//! the contact endpoints (`0800401` Unauthorized, `0801400` Invalid Custom
//! Field Item, `0800404` Not Found, `0801500` Unknown, ...); statuses the spec
//! does not list (429, 502, 503, 504) follow the same `0800<status>` pattern.
//!
//! The other endpoints answer with their own [`Service`]'s codes (the
//! first two digits: `01` calls, `02` messages, `04` phone numbers, `05`
//! call summaries, `06` call transcripts and tasks, `03` webhooks, `09`
//! call recordings, `11` users, `12` voicemails), as the spec lists them:
//! `0400400` Bad Request, `0100404` Not Found, `0101400` Too Many
//! Participants, `0202403` Not Phone Number User. Where the spec lists no
//! plain validation error for a service (messages document only `0206400`
//! A2P Registration Not Approved), a bad parameter is `<service>00400` Bad
//! Request, by the same pattern.

use hyper::StatusCode;
use serde::Serialize;
use serde_json::Value;

use super::reply::Reply;

/// `docs` of every error body.
const DOCS: &str = "https://quo.com/docs";

/// The title (and `description`) the spec documents for a contacts 400.
const BAD_REQUEST_TITLE: &str = "Invalid Custom Field Item";

/// One entry of a validation error's `errors` array.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BodyFieldError {
    /// JSON-pointer-like location, e.g. `/maxResults`.
    pub(crate) path: String,
    /// What is wrong with it.
    pub(crate) message: String,
    /// The offending value, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) value: Option<Value>,
    /// The expected schema (only its `type`).
    pub(crate) schema: SchemaType,
}

/// The `schema` of a [`BodyFieldError`].
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SchemaType {
    /// `integer`, `string`, `array`...
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
}

impl BodyFieldError {
    /// A field error for the query parameter `name`.
    pub(crate) fn new(
        name: &str,
        message: impl Into<String>,
        value: Option<Value>,
        kind: &'static str,
    ) -> Self {
        Self {
            path: format!("/{name}"),
            message: message.into(),
            value,
            schema: SchemaType { kind },
        }
    }
}

/// The part of the API that answers, which decides the first two digits of
/// its error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    /// `/v1/calls`: `01`.
    Calls,
    /// `/v1/messages`: `02`.
    Messages,
    /// `/v1/phone-numbers`: `04`.
    PhoneNumbers,
    /// `/v1/call-summaries`: `05`.
    CallSummaries,
    /// `/v1/call-transcripts`: `06`.
    CallTranscripts,
    /// `/v1/conversations`: `03` (the spec names no code for it; the
    /// number after messages' `02`, in the same shape).
    Conversations,
    /// `/v1/tasks`: `06` (the spec gives tasks the same first digits as
    /// call transcripts).
    Tasks,
    /// `/v1/users`: `11`.
    Users,
    /// `/v1/webhooks`: `03`, a bad request `0305400`.
    Webhooks,
    /// `/v1/call-recordings`: `09`.
    CallRecordings,
    /// `/v1/call-voicemails`: `12`.
    CallVoicemails,
    /// `/v1/contacts` and everything else: `08`.
    Contacts,
}

impl Service {
    /// The service a (raw) request path belongs to.
    pub(crate) fn of_path(path: &str) -> Self {
        let top = path
            .strip_prefix("/v1/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        match top {
            "calls" => Self::Calls,
            "messages" => Self::Messages,
            "phone-numbers" => Self::PhoneNumbers,
            "call-summaries" => Self::CallSummaries,
            "call-transcripts" => Self::CallTranscripts,
            "conversations" => Self::Conversations,
            "tasks" => Self::Tasks,
            "users" => Self::Users,
            "webhooks" => Self::Webhooks,
            "call-recordings" => Self::CallRecordings,
            "call-voicemails" => Self::CallVoicemails,
            _ => Self::Contacts,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::Calls => "01",
            Self::Messages => "02",
            Self::PhoneNumbers => "04",
            Self::CallSummaries => "05",
            Self::CallTranscripts => "06",
            Self::Conversations => "10",
            Self::Tasks => "06",
            Self::Users => "11",
            Self::Webhooks => "03",
            Self::CallRecordings => "09",
            Self::CallVoicemails => "12",
            Self::Contacts => "08",
        }
    }

    /// `<service><kind><status>`, e.g. `0101400`.
    fn code(self, kind: u8, status: StatusCode) -> String {
        // Webhooks' one documented 400 is `0305400`.
        let kind = if self == Self::Webhooks && status == StatusCode::BAD_REQUEST {
            5
        } else {
            kind
        };
        format!("{}{kind:02}{:03}", self.prefix(), status.as_u16())
    }
}

#[derive(Serialize)]
struct Body<'a> {
    message: &'a str,
    code: &'a str,
    status: u16,
    docs: &'static str,
    title: &'a str,
    trace: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [BodyFieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

fn render(
    status: StatusCode,
    code: &str,
    title: &str,
    message: &str,
    trace: &str,
    errors: &[BodyFieldError],
    description: Option<&str>,
) -> Reply {
    let body = Body {
        message,
        code,
        status: status.as_u16(),
        docs: DOCS,
        title,
        trace,
        errors,
        description,
    };
    // Serialising strings and numbers to memory cannot fail.
    Reply::json(status, serde_json::to_vec(&body).unwrap_or_default())
}

/// 401: the `Authorization` header is missing or is not the API key.
pub(crate) fn unauthorized(service: Service, trace: &str) -> Reply {
    render(
        StatusCode::UNAUTHORIZED,
        &service.code(0, StatusCode::UNAUTHORIZED),
        "Unauthorized",
        "Invalid or missing API key. Send the key as the Authorization header.",
        trace,
        &[],
        None,
    )
}

/// 400: a request parameter is invalid; `errors` names each one.
pub(crate) fn bad_request(message: &str, errors: &[BodyFieldError], trace: &str) -> Reply {
    render(
        StatusCode::BAD_REQUEST,
        "0801400",
        BAD_REQUEST_TITLE,
        message,
        trace,
        errors,
        Some(BAD_REQUEST_TITLE),
    )
}

/// 400 from a service other than contacts: a parameter is invalid;
/// `errors` names each one (code `<service>00400`, title `Bad Request`).
pub(crate) fn invalid(
    service: Service,
    message: &str,
    errors: &[BodyFieldError],
    trace: &str,
) -> Reply {
    // The spec documents webhooks' one 400 as `Invalid Version`, with a
    // required `description`.
    let (title, description) = match service {
        Service::Webhooks => ("Invalid Version", Some("Invalid Version")),
        _ => ("Bad Request", None),
    };
    render(
        StatusCode::BAD_REQUEST,
        &service.code(0, StatusCode::BAD_REQUEST),
        title,
        message,
        trace,
        errors,
        description,
    )
}

/// 400 `Too Many Participants` (`0101400`): a call listing names more than
/// one participant.
pub(crate) fn too_many_participants(error: BodyFieldError, trace: &str) -> Reply {
    const TITLE: &str = "Too Many Participants";
    render(
        StatusCode::BAD_REQUEST,
        &Service::Calls.code(1, StatusCode::BAD_REQUEST),
        TITLE,
        "participants: calls are listed for one participant at a time",
        trace,
        &[error],
        Some(TITLE),
    )
}

/// 403 `Not Phone Number User` (`<service>02403`, `0101403` for calls):
/// the phone number is not one the key's workspace can use.
pub(crate) fn not_phone_number_user(service: Service, trace: &str) -> Reply {
    const TITLE: &str = "Not Phone Number User";
    let kind = if service == Service::Calls { 1 } else { 2 };
    render(
        StatusCode::FORBIDDEN,
        &service.code(kind, StatusCode::FORBIDDEN),
        TITLE,
        "You are not a user of this phone number.",
        trace,
        &[],
        Some(TITLE),
    )
}

/// 404 with this message (an unknown item or route).
pub(crate) fn not_found(service: Service, message: &str, trace: &str) -> Reply {
    render(
        StatusCode::NOT_FOUND,
        &service.code(0, StatusCode::NOT_FOUND),
        "Not Found",
        message,
        trace,
        &[],
        None,
    )
}

/// 429: the rate limit was hit.
pub(crate) fn too_many_requests(trace: &str) -> Reply {
    render(
        StatusCode::TOO_MANY_REQUESTS,
        "0800429",
        "Too Many Requests",
        "Rate limit exceeded. Please slow down and retry after the time in the Retry-After header.",
        trace,
        &[],
        None,
    )
}

/// Any other status, with the spec's code and title where it has them.
pub(crate) fn for_status(status: StatusCode, trace: &str) -> Reply {
    let code = match status.as_u16() {
        400 => "0801400".to_owned(),
        403 => "0801403".to_owned(),
        500 => "0801500".to_owned(),
        other => format!("0800{other:03}"),
    };
    let (title, message) = match status.as_u16() {
        400 => (BAD_REQUEST_TITLE, "The request is invalid."),
        401 => ("Unauthorized", "Invalid or missing API key."),
        403 => (
            "Not Phone Number User",
            "You are not a user of this phone number.",
        ),
        404 => ("Not Found", "Not found."),
        409 => ("Conflict", "Conflict."),
        429 => ("Too Many Requests", "Rate limit exceeded."),
        500 => ("Unknown", "An unknown error occurred."),
        502 => (
            "Bad Gateway",
            "The upstream service returned an invalid response.",
        ),
        503 => (
            "Service Unavailable",
            "The service is temporarily unavailable. Please retry.",
        ),
        504 => ("Gateway Timeout", "The upstream service timed out."),
        _ => (
            status.canonical_reason().unwrap_or("Error"),
            "The request failed.",
        ),
    };
    let description = (status == StatusCode::BAD_REQUEST).then_some(BAD_REQUEST_TITLE);
    render(status, &code, title, message, trace, &[], description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn unauthorized_matches_spec_constants() {
        let body = parse(&unauthorized(Service::Contacts, "t1"));
        assert_eq!(body["code"], "0800401");
        assert_eq!(body["status"], 401);
        assert_eq!(body["docs"], "https://quo.com/docs");
        assert_eq!(body["title"], "Unauthorized");
        assert_eq!(body["trace"], "t1");
        assert!(body.get("errors").is_none());
    }

    #[test]
    fn bad_request_has_errors_and_description() {
        let errors = [BodyFieldError::new(
            "maxResults",
            "Required property",
            None,
            "integer",
        )];
        let body = parse(&bad_request("maxResults is required", &errors, "t"));
        assert_eq!(body["code"], "0801400");
        assert_eq!(body["status"], 400);
        assert_eq!(body["description"], BAD_REQUEST_TITLE);
        assert_eq!(body["errors"][0]["path"], "/maxResults");
        assert_eq!(body["errors"][0]["schema"]["type"], "integer");
    }

    #[test]
    fn each_service_has_its_own_codes() {
        assert_eq!(Service::of_path("/v1/calls"), Service::Calls);
        assert_eq!(
            Service::of_path("/v1/call-summaries/AC1"),
            Service::CallSummaries
        );
        assert_eq!(Service::of_path("/v1/contacts/x"), Service::Contacts);
        assert_eq!(Service::of_path("/elsewhere"), Service::Contacts);
        let body = parse(&invalid(Service::PhoneNumbers, "m", &[], "t"));
        assert_eq!(
            (body["code"].as_str(), body["title"].as_str()),
            (Some("0400400"), Some("Bad Request"))
        );
        assert_eq!(
            parse(&unauthorized(Service::Messages, "t"))["code"],
            "0200401"
        );
        assert_eq!(
            parse(&not_found(Service::CallTranscripts, "m", "t"))["code"],
            "0600404"
        );
        assert_eq!(
            parse(&not_phone_number_user(Service::Messages, "t"))["code"],
            "0202403"
        );
        assert_eq!(
            parse(&not_phone_number_user(Service::Calls, "t"))["code"],
            "0101403"
        );
        assert_eq!(
            parse(&not_found(Service::Tasks, "m", "t"))["code"],
            "0600404"
        );
        assert_eq!(
            parse(&not_found(Service::of_path("/v1/users/US1"), "m", "t"))["code"],
            "1100404"
        );
        assert_eq!(
            parse(&invalid(Service::of_path("/v1/webhooks"), "m", &[], "t"))["code"],
            "0305400"
        );
        assert_eq!(
            parse(&not_found(
                Service::of_path("/v1/call-recordings/AC1"),
                "m",
                "t"
            ))["code"],
            "0900404"
        );
        assert_eq!(
            parse(&not_found(
                Service::of_path("/v1/call-voicemails/AC1"),
                "m",
                "t"
            ))["code"],
            "1200404"
        );
        let error = BodyFieldError::new("participants", "m", None, "array");
        let body = parse(&too_many_participants(error, "t"));
        assert_eq!(body["code"], "0101400");
        assert_eq!(body["description"], "Too Many Participants");
    }

    #[test]
    fn other_statuses_follow_the_pattern() {
        let body = parse(&for_status(StatusCode::SERVICE_UNAVAILABLE, "t"));
        assert_eq!(body["code"], "0800503");
        assert_eq!(body["status"], 503);
        assert_eq!(
            parse(&for_status(StatusCode::INTERNAL_SERVER_ERROR, "t"))["code"],
            "0801500"
        );
    }
}
