//! The two contact endpoints, as a pure function from request parts to a reply.
//!
//! Kept apart from the network code so it can be tested without a socket.
//! Order of checks: authentication (every path), then routing, then the
//! endpoint's own validation.

use std::io::Write as _;
use std::sync::Arc;

use hyper::Method;
use percent_encoding::percent_decode_str;

use super::dataset::Dataset;
use super::errors::{self, FieldError};
use super::query::{self, ListQuery};
use super::reply::Reply;
use super::token;

/// Path of the list endpoint.
const LIST_PATH: &str = "/v1/contacts";

/// The parts of a request the endpoints look at.
pub(crate) struct RequestParts<'a> {
    /// HTTP method.
    pub(crate) method: &'a Method,
    /// Raw (still percent-encoded) path.
    pub(crate) path: &'a str,
    /// Raw query string, without `?`.
    pub(crate) query: Option<&'a str>,
    /// Raw `Authorization` header value.
    pub(crate) authorization: Option<&'a [u8]>,
}

/// Serves one dataset behind one API key.
pub(crate) struct Handler {
    dataset: Arc<Dataset>,
    api_key: Box<[u8]>,
}

impl Handler {
    /// A handler for `dataset`, accepting exactly `api_key`.
    pub(crate) fn new(dataset: Arc<Dataset>, api_key: &str) -> Self {
        Self {
            dataset,
            api_key: api_key.as_bytes().into(),
        }
    }

    /// Answers one request; `trace` goes into error bodies.
    pub(crate) fn handle(&self, request: &RequestParts<'_>, trace: &str) -> Reply {
        if request.authorization != Some(&self.api_key[..]) {
            return errors::unauthorized(trace);
        }
        if request.method == Method::GET {
            if request.path == LIST_PATH {
                return self.list(request.query, trace);
            }
            if let Some(raw_id) = request
                .path
                .strip_prefix(LIST_PATH)
                .and_then(|p| p.strip_prefix('/'))
                && !raw_id.is_empty()
                && !raw_id.contains('/')
            {
                return self.get(raw_id, trace);
            }
        }
        let message = format!("Route {}:{} not found", request.method, request.path);
        errors::not_found(&message, trace)
    }

    /// `GET /v1/contacts/{id}`.
    fn get(&self, raw_id: &str, trace: &str) -> Reply {
        let Ok(id) = percent_decode_str(raw_id).decode_utf8() else {
            let error = FieldError::new(
                "id",
                "Expected a UTF-8 string once percent-decoded",
                None,
                "string",
            );
            return errors::bad_request("id: invalid encoding", &[error], trace);
        };
        let Some(json) = self
            .dataset
            .position(&id)
            .and_then(|i| self.dataset.get_json(i))
        else {
            return errors::not_found("Contact not found", trace);
        };
        let mut body = Vec::with_capacity(json.len() + 10);
        body.extend_from_slice(b"{\"data\":");
        body.extend_from_slice(json);
        body.push(b'}');
        Reply::ok(body)
    }

    /// `GET /v1/contacts`.
    fn list(&self, raw_query: Option<&str>, trace: &str) -> Reply {
        let query = match query::parse(raw_query) {
            Ok(query) => query,
            Err(e) => return errors::bad_request(&e.message, &e.errors, trace),
        };
        let fingerprint = token::fingerprint(
            self.dataset.fingerprint(),
            &query.external_ids,
            &query.sources,
        );
        let matches = self.matches(&query);
        let total = matches.len();
        let offset = match query.page_token.as_deref() {
            None => 0,
            Some(raw) => match token::decode(raw, fingerprint).filter(|&o| o <= total) {
                Some(offset) => offset,
                None => {
                    let error = FieldError::new(
                        "pageToken",
                        "Invalid page token: use the nextPageToken of the previous page of this same query",
                        Some(raw.into()),
                        "string",
                    );
                    return errors::bad_request("pageToken: invalid page token", &[error], trace);
                }
            },
        };
        let end = total.min(offset.saturating_add(query.max_results));
        let next = (end < total).then(|| token::encode(end, fingerprint));
        Reply::ok(self.render_page(&matches, offset..end, total, next.as_deref()))
    }

    /// The contacts a list query selects, in list order.
    fn matches(&self, query: &ListQuery) -> Matches {
        let source_ok = |i: usize| {
            query.sources.is_empty()
                || self
                    .dataset
                    .source(i)
                    .is_some_and(|s| query.sources.iter().any(|wanted| wanted == s))
        };
        if !query.external_ids.is_empty() {
            let mut found = self.dataset.indices_by_external_ids(&query.external_ids);
            found.retain(|&i| source_ok(i));
            Matches::Some(found)
        } else if !query.sources.is_empty() {
            Matches::Some((0..self.dataset.len()).filter(|&i| source_ok(i)).collect())
        } else {
            Matches::All(self.dataset.len())
        }
    }

    /// Writes `{"data":[...],"totalItems":N,"nextPageToken":...}` into one buffer.
    fn render_page(
        &self,
        matches: &Matches,
        range: std::ops::Range<usize>,
        total: usize,
        next: Option<&str>,
    ) -> Vec<u8> {
        let contacts = || {
            range
                .clone()
                .filter_map(|n| self.dataset.get_json(matches.get(n)))
        };
        let size: usize = contacts().map(<[u8]>::len).sum();
        let mut body = Vec::with_capacity(size + range.len() + 96);
        body.extend_from_slice(b"{\"data\":[");
        for (n, json) in contacts().enumerate() {
            if n > 0 {
                body.push(b',');
            }
            body.extend_from_slice(json);
        }
        // Writing to a Vec cannot fail; the token is hex, so needs no escaping.
        let _ = write!(body, "],\"totalItems\":{total},\"nextPageToken\":");
        match next {
            Some(token) => {
                let _ = write!(body, "\"{token}\"}}");
            }
            None => body.extend_from_slice(b"null}"),
        }
        body
    }
}

/// The result of filtering: everything, or these indices.
enum Matches {
    All(usize),
    Some(Vec<usize>),
}

impl Matches {
    fn len(&self) -> usize {
        match self {
            Matches::All(n) => *n,
            Matches::Some(v) => v.len(),
        }
    }

    /// Dataset index of the `n`th match (`usize::MAX`, never a contact, when out of range).
    fn get(&self, n: usize) -> usize {
        match self {
            Matches::All(_) => n,
            Matches::Some(v) => v.get(n).copied().unwrap_or(usize::MAX),
        }
    }
}
