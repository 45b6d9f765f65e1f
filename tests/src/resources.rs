//! One realistic value of each resource as Quo sends it (the public
//! `quo_api_ext::testing::fixtures`, under the short names these tests
//! use), and the helpers that build more, shared by the tests of the raw
//! client (`wire`) and of the SDK's resources (`resources`).

use std::num::NonZeroU64;

use quo_api::types::*;
use serde_json::json;

pub use crate::clients::{KEY, raw_client};
pub use quo_api_ext::testing::fixtures::{
    CALL_ID as CALL, CONVERSATION_ID as CONVERSATION, PHONE_NUMBER_ID as PHONE, TASK_ID as TASK,
    USER_ID as USER, WEBHOOK_ID as WEBHOOK, api_error, call, call_recording, call_summary,
    call_transcript, call_voicemail, contact, conversation, custom_field_definition, from, message,
    page, phone_number, task, user,
};

pub fn n(value: u64) -> NonZeroU64 {
    NonZeroU64::new(value).expect("non-zero")
}

pub fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().expect("RFC 3339 timestamp")
}

pub fn task_revision(revision: &str) -> TaskRevisionResponse {
    from(json!({"data": {
        "taskId": TASK,
        "revision": revision,
        "conversationId": CONVERSATION,
        "phoneNumberId": PHONE,
        "activityId": CALL
    }}))
}

/// [`quo_api_ext::testing::fixtures::webhook`] with these events.
pub fn webhook(events: &[&str]) -> Webhook {
    let mut webhook = quo_api_ext::testing::fixtures::webhook();
    webhook.events = events
        .iter()
        .map(|e| from(serde_json::Value::String((*e).to_owned())))
        .collect();
    webhook
}
