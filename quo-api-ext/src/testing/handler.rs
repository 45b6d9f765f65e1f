//! Routing, the contact endpoints and the custom-field definitions, as a
//! function from request parts to a reply.
//!
//! Kept apart from the network code so it can be tested without a socket.
//! Order of checks: authentication (every path), then routing, then the
//! endpoint's own validation. Phone numbers, messages, calls, users, tasks
//! and webhook subscriptions are served by their own modules; this one
//! routes to them. The contacts are one [`Dataset`] behind a lock,
//! replaced whole by each write (copy on write), so reads never wait on a
//! write for longer than an `Arc` clone.

use std::io::Write as _;
use std::sync::{Arc, PoisonError, RwLock};

use hyper::Method;
use percent_encoding::percent_decode_str;

use chrono::{DateTime, Utc};

use super::calls::CallStore;
use super::dataset::Dataset;
use super::errors::{self, BodyFieldError, Service};
use super::messages::MessageStore;
use super::phone_numbers;
use super::query::{self, ListQuery};
use super::reply::Reply;
use super::tasks::TaskStore;
use super::token;
use super::webhooks::WebhookStore;
use super::writes::{self, IdMaker, Refusal};

/// Path of the list endpoint.
const LIST_PATH: &str = "/v1/contacts";
/// Path of the custom-field definitions.
const DEFINITIONS_PATH: &str = "/v1/contact-custom-fields";

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
    /// The request body (empty when there was none).
    pub(crate) body: &'a [u8],
}

/// Serves one workspace's contacts behind one API key.
pub(crate) struct Handler {
    contacts: RwLock<Arc<Dataset>>,
    definitions: RwLock<Arc<Vec<(String, String, String)>>>,
    ids: std::sync::Mutex<IdMaker>,
    messages: MessageStore,
    calls: CallStore,
    tasks: TaskStore,
    webhooks: WebhookStore,
    api_key: Box<[u8]>,
    /// Sends boolean and number custom-field values as JSON strings
    /// ([`DemoConfig::string_typed_custom_fields`](super::DemoConfig::string_typed_custom_fields)).
    string_typed_custom_fields: bool,
}

impl Handler {
    /// A handler for `dataset`, accepting exactly `api_key`, with the demo
    /// workspace's custom-field definitions, messages and calls (placed
    /// before now).
    pub(crate) fn new(dataset: Arc<Dataset>, api_key: &str) -> Self {
        Self::started_at(dataset, api_key, Utc::now())
    }

    /// [`Handler::new`], with the demo messages and calls placed before
    /// `start`.
    pub(crate) fn started_at(dataset: Arc<Dataset>, api_key: &str, start: DateTime<Utc>) -> Self {
        let definitions = super::fake::FIELD_DEFS
            .iter()
            .map(|(name, key, kind)| ((*name).to_owned(), (*key).to_owned(), (*kind).to_owned()))
            .collect();
        Self {
            contacts: RwLock::new(dataset),
            definitions: RwLock::new(Arc::new(definitions)),
            ids: std::sync::Mutex::new(IdMaker::new(rand::random())),
            messages: MessageStore::seeded(start),
            calls: CallStore::new(start),
            tasks: TaskStore::seeded(start),
            webhooks: WebhookStore::default(),
            api_key: api_key.as_bytes().into(),
            string_typed_custom_fields: false,
        }
    }

    /// Sends boolean and number custom-field values as JSON strings, as
    /// Quo's own examples show, or typed (`false`, the default).
    pub(crate) fn with_string_typed_custom_fields(mut self, on: bool) -> Self {
        self.string_typed_custom_fields = on;
        self
    }

    /// One contact's JSON as sent: as stored, or with the quirk applied.
    fn contact_out<'a>(&self, json: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        if self.string_typed_custom_fields {
            std::borrow::Cow::Owned(string_typed(json))
        } else {
            std::borrow::Cow::Borrowed(json)
        }
    }

    /// `{"data": contact}`, with the quirk applied when it is on.
    fn data_body(&self, contact: &serde_json::Value) -> Vec<u8> {
        let contact = serde_json::to_vec(contact).unwrap_or_default();
        let contact = self.contact_out(&contact);
        let mut body = Vec::with_capacity(contact.len() + 10);
        body.extend_from_slice(b"{\"data\":");
        body.extend_from_slice(&contact);
        body.push(b'}');
        body
    }

    /// Moves sent messages one step of their schedule every `step`.
    pub(crate) fn with_delivery_step(mut self, step: std::time::Duration) -> Self {
        self.messages = self.messages.with_delivery_step(step);
        self
    }

    /// The contacts as they are now.
    pub(crate) fn contacts(&self) -> Arc<Dataset> {
        Arc::clone(&self.contacts.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Replaces the custom-field definitions: `(name, key, kind)`.
    pub(crate) fn set_definitions(&self, definitions: Vec<(String, String, String)>) {
        *self
            .definitions
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(definitions);
    }

    fn definitions(&self) -> Arc<Vec<(String, String, String)>> {
        Arc::clone(
            &self
                .definitions
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Answers one request; `trace` goes into error bodies.
    pub(crate) fn handle(&self, request: &RequestParts<'_>, trace: &str) -> Reply {
        let service = Service::of_path(request.path);
        if request.authorization != Some(&self.api_key[..]) {
            return errors::unauthorized(service, trace);
        }
        if let Some(reply) = self.route_activity(request, service, trace) {
            return reply;
        }
        let raw_id = request
            .path
            .strip_prefix(LIST_PATH)
            .and_then(|p| p.strip_prefix('/'))
            .filter(|id| !id.is_empty() && !id.contains('/'));
        let method = request.method;
        match (method, raw_id) {
            (&Method::GET, None) if request.path == LIST_PATH => {
                return self.list(request.query, trace);
            }
            (&Method::GET, None) if request.path == DEFINITIONS_PATH => {
                return self.list_definitions();
            }
            (&Method::POST, None) if request.path == LIST_PATH => {
                return self.create(request.body, trace);
            }
            (&Method::GET, Some(raw_id)) => return self.get(raw_id, trace),
            (&Method::PATCH, Some(raw_id)) => return self.patch(raw_id, request.body, trace),
            (&Method::DELETE, Some(raw_id)) => return self.delete(raw_id, trace),
            _ => {}
        }
        let message = format!("Route {}:{} not found", request.method, request.path);
        errors::not_found(service, &message, trace)
    }

    /// The phone number, message and call endpoints: their reply, or `None`
    /// when the request is for none of them.
    fn route_activity(
        &self,
        request: &RequestParts<'_>,
        service: Service,
        trace: &str,
    ) -> Option<Reply> {
        let rest = request.path.strip_prefix("/v1/")?;
        // The verbs, `POST /v1/{tasks|conversations}/{id}/{verb}`: the
        // paths with a segment after the id.
        if request.method == Method::POST
            && let Some((collection, tail)) = rest.split_once('/')
            && let Some((raw_id, verb)) = tail.split_once('/')
            && !raw_id.is_empty()
            && matches!(collection, "tasks" | "conversations")
        {
            let id = match decode_id(raw_id, service, trace) {
                Ok(id) => id,
                Err(reply) => return Some(reply),
            };
            return if collection == "tasks" {
                let resolve = |id: &str| self.number_of(id);
                self.tasks.verb(&id, verb, request.body, &resolve, trace)
            } else {
                super::conversations::mark(&id, verb, &self.messages, &self.calls, trace)
            };
        }
        let (collection, raw_id) = match rest.split_once('/') {
            None => (rest, None),
            Some((collection, id)) if !id.is_empty() && !id.contains('/') => (collection, Some(id)),
            Some(_) => return None,
        };
        let query = request.query;
        let id = match raw_id.map(|raw| decode_id(raw, service, trace)) {
            Some(Err(reply)) => return Some(reply),
            Some(Ok(id)) => Some(id),
            None => None,
        };
        let reply = match (request.method, collection, id.as_deref()) {
            (&Method::GET, "phone-numbers", None) => phone_numbers::list(query, trace),
            (&Method::GET, "phone-numbers", Some(id)) => phone_numbers::get(id, trace),
            (&Method::POST, "messages", None) => {
                self.messages.send(request.body, Utc::now(), trace)
            }
            (&Method::GET, "messages", None) => self.messages.list(query, trace),
            (&Method::GET, "messages", Some(id)) => self.messages.get(id, trace),
            (&Method::GET, "conversations", None) => {
                super::conversations::list(query, &self.messages, &self.calls, trace)
            }
            (&Method::GET, "calls", None) => self.calls.list(query, trace),
            (&Method::GET, "calls", Some(id)) => self.calls.get(id, trace),
            (&Method::GET, "call-summaries", Some(id)) => self.calls.summary(id, trace),
            (&Method::GET, "call-transcripts", Some(id)) => self.calls.transcript(id, trace),
            (&Method::GET, "call-recordings", Some(id)) => self.calls.recordings(id, trace),
            (&Method::GET, "call-voicemails", Some(id)) => self.calls.voicemail(id, trace),
            (&Method::GET, "tasks", None) => self.tasks.list(query, trace),
            (&Method::POST, "tasks", None) => {
                let resolve = |id: &str| self.number_of(id);
                self.tasks.create(request.body, &resolve, Utc::now(), trace)
            }
            (&Method::GET, "tasks", Some(id)) => self.tasks.get(id, trace),
            (&Method::PUT, "tasks", Some(id)) => self.tasks.update(id, request.body, trace),
            (&Method::DELETE, "tasks", Some(id)) => self.tasks.delete(id, trace),
            (&Method::GET, "webhooks", None) => self.webhooks.list(query, trace),
            (&Method::POST, "webhooks", Some(endpoint)) => {
                self.webhooks
                    .create(endpoint, request.body, Utc::now(), trace)?
            }
            (&Method::GET, "webhooks", Some(id)) => self.webhooks.get(id, trace),
            (&Method::DELETE, "webhooks", Some(id)) => self.webhooks.delete(id, trace),
            (&Method::GET, "users", None) => super::users::list(query, trace),
            (&Method::GET, "users", Some(id)) => super::users::get(id, trace),
            _ => return None,
        };
        Some(reply)
    }

    /// The workspace number a task subject belongs to: a demo number's own
    /// id, a demo call's number, or the number of a conversation that has
    /// a message or a call; `None` when the id names none of these.
    fn number_of(&self, id: &str) -> Option<String> {
        if id.starts_with("PN") {
            return phone_numbers::find(id)
                .filter(|n| n.id == id)
                .map(|n| n.id.to_owned());
        }
        if id.starts_with("AC") {
            return self.calls.number_of(id).map(str::to_owned);
        }
        self.messages
            .activity()
            .into_iter()
            .chain(self.calls.activity())
            .find(|(number, participants, _)| {
                super::messages::conversation_id(number, participants) == id
            })
            .map(|(number, _, _)| number.to_owned())
    }

    /// The stored contact a path id names: its index, or the error reply.
    fn find(&self, dataset: &Dataset, raw_id: &str, trace: &str) -> Result<usize, Reply> {
        let id = decode_id(raw_id, Service::Contacts, trace)?;
        dataset
            .position(&id)
            .ok_or_else(|| errors::not_found(Service::Contacts, "Contact not found", trace))
    }

    /// `GET /v1/contact-custom-fields`.
    fn list_definitions(&self) -> Reply {
        let data: Vec<serde_json::Value> = self
            .definitions()
            .iter()
            .map(|(name, key, kind)| serde_json::json!({"name": name, "key": key, "type": kind}))
            .collect();
        Reply::ok(serde_json::to_vec(&serde_json::json!({ "data": data })).unwrap_or_default())
    }

    /// `POST /v1/contacts`.
    fn create(&self, body: &[u8], trace: &str) -> Reply {
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(body) else {
            return errors::bad_request("body: invalid JSON", &[], trace);
        };
        let definitions = self.definitions();
        let mut contacts = self
            .contacts
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let created = writes::create(&body, &definitions, &mut self.id_maker(), &now());
        match created {
            Ok(contact) => {
                *contacts = Arc::new(contacts.with_first(&contact));
                Reply::json(hyper::StatusCode::CREATED, self.data_body(&contact))
            }
            Err(refusal) => refused(&refusal, trace),
        }
    }

    /// `PATCH /v1/contacts/{id}`, with Quo's replace semantics.
    fn patch(&self, raw_id: &str, body: &[u8], trace: &str) -> Reply {
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(body) else {
            return errors::bad_request("body: invalid JSON", &[], trace);
        };
        let definitions = self.definitions();
        let mut contacts = self
            .contacts
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let index = match self.find(&contacts, raw_id, trace) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let current = contacts.contact_value(index);
        match writes::patch(&current, &body, &definitions, &mut self.id_maker(), &now()) {
            Ok(contact) => {
                *contacts = Arc::new(contacts.with_replaced(index, &contact));
                Reply::ok(self.data_body(&contact))
            }
            Err(refusal) => refused(&refusal, trace),
        }
    }

    /// `DELETE /v1/contacts/{id}`: 204, no body.
    fn delete(&self, raw_id: &str, trace: &str) -> Reply {
        let mut contacts = self
            .contacts
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        match self.find(&contacts, raw_id, trace) {
            Ok(index) => {
                *contacts = Arc::new(contacts.without(index));
                Reply::json(hyper::StatusCode::NO_CONTENT, bytes::Bytes::new())
            }
            Err(reply) => reply,
        }
    }

    fn id_maker(&self) -> std::sync::MutexGuard<'_, IdMaker> {
        self.ids.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `GET /v1/contacts/{id}`.
    fn get(&self, raw_id: &str, trace: &str) -> Reply {
        let dataset = self.contacts();
        let index = match self.find(&dataset, raw_id, trace) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let Some(json) = dataset.get_json(index) else {
            return errors::not_found(Service::Contacts, "Contact not found", trace);
        };
        let json = self.contact_out(json);
        let mut body = Vec::with_capacity(json.len() + 10);
        body.extend_from_slice(b"{\"data\":");
        body.extend_from_slice(&json);
        body.push(b'}');
        Reply::ok(body)
    }

    /// `GET /v1/contacts`.
    fn list(&self, raw_query: Option<&str>, trace: &str) -> Reply {
        let query = match query::parse(raw_query) {
            Ok(query) => query,
            Err(e) => return errors::bad_request(&e.message, &e.errors, trace),
        };
        let dataset = self.contacts();
        let fingerprint =
            token::fingerprint(dataset.fingerprint(), &query.external_ids, &query.sources);
        let matches = matches(&dataset, &query);
        let total = matches.len();
        let window = match token::window(
            query.page_token.as_deref(),
            fingerprint,
            total,
            query.max_results,
        ) {
            Ok(window) => window,
            Err(error) => {
                return errors::bad_request("pageToken: invalid page token", &[error], trace);
            }
        };
        Reply::ok(render_page(
            &dataset,
            &matches,
            window.range,
            total,
            window.next.as_deref(),
            |json| self.contact_out(json),
        ))
    }
}

/// A path segment, percent-decoded, or the 400 naming `/id`.
fn decode_id(raw_id: &str, service: Service, trace: &str) -> Result<String, Reply> {
    match percent_decode_str(raw_id).decode_utf8() {
        Ok(id) => Ok(id.into_owned()),
        Err(_) => {
            let error = BodyFieldError::new(
                "id",
                "Expected a UTF-8 string once percent-decoded",
                None,
                "string",
            );
            let message = "id: invalid encoding";
            Err(match service {
                Service::Contacts => errors::bad_request(message, &[error], trace),
                other => errors::invalid(other, message, &[error], trace),
            })
        }
    }
}

/// `contact` (JSON) with every boolean and number custom-field value
/// turned into a JSON string (`true` -> `"true"`, `42` -> `"42"`): the
/// string-typed values Quo's own examples show, which the schema forbids.
/// Nulls, other kinds and values already strings are left alone; bytes that
/// are not a contact object come back unchanged.
pub(crate) fn string_typed(contact: &[u8]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(contact) else {
        return contact.to_vec();
    };
    let fields = value
        .get_mut("customFields")
        .and_then(serde_json::Value::as_array_mut);
    for field in fields.into_iter().flatten() {
        let typed = matches!(
            field.get("type").and_then(serde_json::Value::as_str),
            Some("boolean" | "number")
        );
        if let Some(v) = field.get_mut("value").filter(|_| typed)
            && (v.is_boolean() || v.is_number())
        {
            *v = serde_json::Value::String(v.to_string());
        }
    }
    serde_json::to_vec(&value).unwrap_or_else(|_| contact.to_vec())
}

/// The 400 for a refused write.
fn refused(refusal: &Refusal, trace: &str) -> Reply {
    errors::bad_request(&refusal.message, &refusal.errors, trace)
}

/// Now, as Quo writes timestamps.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The contacts a list query selects, in list order.
fn matches(dataset: &Dataset, query: &ListQuery) -> Matches {
    let source_ok = |i: usize| {
        query.sources.is_empty()
            || dataset
                .source(i)
                .is_some_and(|s| query.sources.iter().any(|wanted| wanted == s))
    };
    if !query.external_ids.is_empty() {
        let mut found = dataset.indices_by_external_ids(&query.external_ids);
        found.retain(|&i| source_ok(i));
        Matches::Some(found)
    } else if !query.sources.is_empty() {
        Matches::Some((0..dataset.len()).filter(|&i| source_ok(i)).collect())
    } else {
        Matches::All(dataset.len())
    }
}

/// Writes `{"data":[...],"totalItems":N,"nextPageToken":...}` into one buffer.
fn render_page(
    dataset: &Dataset,
    matches: &Matches,
    range: std::ops::Range<usize>,
    total: usize,
    next: Option<&str>,
    out: impl Fn(&[u8]) -> std::borrow::Cow<'_, [u8]>,
) -> Vec<u8> {
    let contacts = || {
        range
            .clone()
            .filter_map(|n| dataset.get_json(matches.get(n)))
            .map(&out)
    };
    let size: usize = contacts().map(|json| json.len()).sum();
    let mut body = Vec::with_capacity(size + range.len() + 96);
    body.extend_from_slice(b"{\"data\":[");
    for (n, json) in contacts().enumerate() {
        if n > 0 {
            body.push(b',');
        }
        body.extend_from_slice(&json);
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
