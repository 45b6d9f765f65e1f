//! A local, faithful stand-in for every Quo endpoint the client wraps:
//! contacts, phone numbers, messages, calls, conversations, users, tasks
//! and webhook subscriptions.
//!
//! [`DemoServer`] serves `GET /v1/contacts` and `GET /v1/contacts/{id}` the
//! way the Quo public API documents them (JSON shapes, error bodies, raw-key
//! `Authorization`, `maxResults` 1..=50, `externalIds`/`sources` filters,
//! opaque `pageToken`s) from a [`Dataset`] of realistic, deterministic
//! contacts. The SDK's demo uses it when no API key is set; tests and the
//! throughput benchmark use it as a cheap, predictable backend.
//!
//! # Behaviour
//!
//! - Every path requires the `Authorization` header to equal the API key
//!   exactly (raw key, no `Bearer`), else `401` with code `0800401`.
//! - `GET /v1/contacts`: `maxResults` is required, an integer in `1..=50`;
//!   `externalIds` and `sources` are repeated keys (form-urlencoded) and, when
//!   both are given, a contact must match both; unknown parameters are
//!   ignored. Answers `{"data":[...],"totalItems":N,"nextPageToken":...}`,
//!   `totalItems` counting every matching contact and `nextPageToken` `null`
//!   on the last page. Bad parameters get `400` (code `0801400`, with an
//!   `errors` array naming each one, e.g. `/maxResults`).
//! - Page tokens are opaque: 24 hex characters holding the next offset and a
//!   check tied to the query's filters and to the dataset. A token that was
//!   altered, or comes from a query with other filters or from another
//!   dataset, gets `400` (`/pageToken`). `maxResults` may change between pages.
//! - `GET /v1/contact-custom-fields`: seven fields, one of each kind:
//!   "Product Interest" (multi-select), "Billing Address" (address),
//!   "Account Manager" (string), "Website" (url), "Newsletter Opt-in"
//!   (boolean), "Next Follow-up" (date), "Deal Size" (number); contacts
//!   carry values of them, and writes by these names map to their keys.
//! - `GET /v1/contacts/{id}` (the id percent-decoded as one segment) answers
//!   `{"data": contact}` or `404` `Contact not found` (code `0800404`).
//! - `GET /v1/phone-numbers` (optionally `userId`) and
//!   `GET /v1/phone-numbers/{id}`: two numbers, [`DEMO_PHONE_NUMBER_ID`]
//!   ([`DEMO_PHONE_NUMBER`]) first.
//! - `POST /v1/messages` checks `from` (a demo number's id or E.164
//!   number), `to` (1 to 10 recipients: E.164 numbers or short codes of at most 15
//!   characters, as the spec allows) and `content` (1 to 1600
//!   characters, not only whitespace) and answers `202` with the message
//!   `queued`; `GET /v1/messages/{id}`; `GET /v1/messages` lists one
//!   conversation (`phoneNumberId`, `participants`, optional
//!   `createdAfter`/`createdBefore`/`userId`, `maxResults` 1..=100) newest
//!   first, a few seeded messages with [`DEMO_PARTICIPANT`] and those sent.
//!   A sent message moves `queued` → `sent` → `delivered`, one
//!   [`DemoConfig::delivery_step`] (200 ms by default) per step, or ends
//!   `undelivered` when sent to [`DEMO_UNDELIVERABLE`].
//! - `GET /v1/conversations` (`phoneNumbers`, `createdAfter`/`createdBefore`,
//!   `updatedAfter`/`updatedBefore`, `maxResults` 1..=100): one
//!   conversation per workspace number and set of other participants that
//!   has a message or a call, most recent activity first;
//!   `POST /v1/conversations/{id}/mark-as-read` (`-done`, `-open`) answers
//!   the conversation (the inbox state is not kept), `404` (`1000404`) for
//!   an id with no activity.
//! - `GET /v1/calls` (one participant), `GET /v1/calls/{id}`,
//!   `GET /v1/call-summaries/{id}` and `GET /v1/call-transcripts/{id}`:
//!   demo calls over the last eight weeks before the server started, most
//!   with [`DEMO_PARTICIPANT`] on the main number; the newest one's summary
//!   and transcript are `in-progress`, missed calls' `absent`.
//! - `GET /v1/call-recordings/{id}`: an answered call's recording, none
//!   (`[]`) for a call nobody answered; `GET /v1/call-voicemails/{id}`:
//!   the voicemail a missed incoming call left, `404` for a call that left
//!   none (or an unknown one).
//! - `GET /v1/users` (`maxResults` 1..=50) and `GET /v1/users/{id}`: the
//!   users the demo numbers are shared with, then a few seeded ones.
//! - Tasks, kept in memory so a read after a write shows it:
//!   `GET /v1/tasks` (`maxResults` 1..=100, newest first, no
//!   `nextPageToken` on the last page as the spec types it), `POST` (on a
//!   number, conversation or call), `GET`/`PUT`/`DELETE /v1/tasks/{id}` and
//!   `POST /v1/tasks/{id}/` `complete`, `reopen`, `assign`, `unassign`,
//!   `link-conversation`, `unlink-conversation`, `change-due-date`,
//!   `remove-due-date`. Writes answer the new revision, as Quo does.
//! - Webhook subscriptions, kept in memory: `POST /v1/webhooks/messages`,
//!   `/calls`, `/call-summaries` and `/call-transcripts` (events of that
//!   family only), `GET /v1/webhooks` (optionally `userId`),
//!   `GET`/`DELETE /v1/webhooks/{id}`. Each gets a base64 signing `key`
//!   drawn from the seeded generator: the same requests get the same keys.
//! - Each of these answers with its own error codes (`0200400` for a bad
//!   message, `0100404` for an unknown call, `0600404` for an unknown task,
//!   ...), lists page with the same
//!   opaque `pageToken`s, and an unknown `phoneNumberId` is `403` Not Phone
//!   Number User.
//! - Anything else is `404` with the same error shape.
//!
//! With the `webhooks` feature it also delivers signed webhook events to a
//! local receiver ([`DemoServer::deliver_webhook`]).
//!
//! Opt-in, it enforces a rate limit per key like Quo's ([`DemoRateLimit`]:
//! 429 with `Retry-After` above 10 requests per second).
//!
//! Opt-in, it answers after a latency like a server across a network
//! ([`DemoConfig::with_latency`]: a base wait plus a seeded jitter, the same
//! for every run over the same dataset).
//!
//! Failures can be injected ([`Fault`]) so retry and error paths are visible,
//! and every request is recorded ([`RecordedRequest`]) so tests can assert
//! what went over the wire.
//!
//! ```ignore
//! use quo_api_ext::testing::{DemoConfig, DemoServer, Fault};
//!
//! let server = DemoServer::start(DemoConfig::default()).await?;
//! server.inject(Fault::rate_limited(1));
//! // point a client at server.url() with server.api_key() ...
//! server.shutdown().await;
//! ```
//!
//! Only compiled with the crate's `testing` feature.

mod calls;
mod config;
mod conversation_query;
mod conversations;
mod dataset;
mod errors;
mod fake;
mod fault;
pub mod fixtures;
mod handler;
mod messages;
mod phone_numbers;
mod prng;
mod query;
mod rate_limit;
mod reply;
mod server;
mod tasks;
mod token;
mod users;
#[cfg(feature = "webhooks")]
mod webhook;
mod webhooks;
mod words;
mod writes;

#[cfg(test)]
mod dataset_tests;
#[cfg(test)]
mod handler_tests;
#[cfg(test)]
mod server_tests;

/// Typed [`httpmock`] helpers for every operation of Quo's API (feature
/// `mock`): `server.get_task_by_id_v1(|when, then| ..)` takes the operation's own
/// parameter and response types, so a stub cannot drift from the API. Pair
/// them with [`fixtures`] for the answers.
///
/// ```
/// use quo_api_ext::testing::{fixtures, mock::{MockServerExt, httpmock}};
/// use quo_api_ext::types::TaskResponse;
///
/// let server = httpmock::MockServer::start();
/// let get = server.get_task_by_id_v1(|when, then| {
///     when.task_id(fixtures::TASK_ID);
///     then.ok(&TaskResponse { data: fixtures::task() });
/// });
/// # let _ = get;
/// ```
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock {
    pub use httpmock;
    pub use quo_api::mock::*;
}

pub use config::{DEFAULT_API_KEY, DEFAULT_RECORD_LIMIT, DemoConfig};
pub use dataset::{DEMO_CONTACTS, DEMO_SEED, Dataset};
pub use fault::{Fault, FaultQueue};
pub use messages::{DEFAULT_DELIVERY_STEP, DEMO_UNDELIVERABLE};
pub use phone_numbers::{DEMO_PARTICIPANT, DEMO_PHONE_NUMBER, DEMO_PHONE_NUMBER_ID};
pub use rate_limit::DemoRateLimit;
pub use server::{DemoServer, RecordedRequest};
#[cfg(feature = "webhooks")]
pub use webhook::{DEMO_QUO_NUMBER, WebhookDelivery, webhook_event};
