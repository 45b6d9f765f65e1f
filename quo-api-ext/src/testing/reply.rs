//! What a handler answers, before it becomes a `hyper` response.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Response, StatusCode};

/// A JSON response: status, body and the optional `Retry-After` header.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// HTTP status.
    pub(crate) status: StatusCode,
    /// The JSON body.
    pub(crate) body: Bytes,
    /// `Retry-After`, for rate-limit faults.
    pub(crate) retry_after: Option<HeaderValue>,
}

impl Reply {
    /// A `200 OK` with this JSON body.
    pub(crate) fn ok(body: impl Into<Bytes>) -> Self {
        Self::json(StatusCode::OK, body)
    }

    /// A response with this status and JSON body.
    pub(crate) fn json(status: StatusCode, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            body: body.into(),
            retry_after: None,
        }
    }

    /// `{"data": value}` with this status.
    pub(crate) fn data(status: StatusCode, value: &serde_json::Value) -> Self {
        // Rendering a `Value` to memory cannot fail.
        let body = serde_json::to_vec(&serde_json::json!({ "data": value })).unwrap_or_default();
        Self::json(status, body)
    }

    /// A `200 OK` list page: `{"data":[...],"totalItems":N,"nextPageToken":...}`.
    pub(crate) fn page(items: &[&serde_json::Value], total: usize, next: Option<&str>) -> Self {
        let page = serde_json::json!({
            "data": items,
            "totalItems": total,
            "nextPageToken": next,
        });
        Self::ok(serde_json::to_vec(&page).unwrap_or_default())
    }

    /// Converts into a `hyper` response with `Content-Type: application/json`.
    pub(crate) fn into_response(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(value) = self.retry_after {
            headers.insert(RETRY_AFTER, value);
        }
        response
    }
}
