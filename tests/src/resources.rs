//! One realistic value of each resource as Quo sends it, and the helpers
//! that build them, shared by the tests of the raw client (`wire`) and of
//! the SDK's resources (`resources`).

use std::num::NonZeroU64;

use quo_api::types::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use crate::clients::{KEY, raw_client};
pub const CALL: &str = "AC3700e624eca547eb9f749a06f2eb1d6a";
pub const CONVERSATION: &str = "CN1a2b3c4d";
pub const PHONE: &str = "PNtoDbDhuz";
pub const TASK: &str = "TK9f2c1e7a";
pub const USER: &str = "USlHhXmRMz";
pub const WEBHOOK: &str = "WHabcd1234";

pub fn from<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("fixture matches the generated type")
}

pub fn n(value: u64) -> NonZeroU64 {
    NonZeroU64::new(value).expect("non-zero")
}

pub fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().expect("RFC 3339 timestamp")
}

// ---------------------------------------------------------------------------
// One realistic value of each resource, as Quo sends it.
// ---------------------------------------------------------------------------

pub fn contact() -> Contact {
    from(json!({
        "id": "CT664d0a5b3d5e",
        "externalId": "crm-4711",
        "source": "public-api",
        "sourceUrl": "https://crm.example.com/contacts/4711",
        "defaultFields": {
            "company": "Hopper Systems",
            "emails": [{"name": "work", "value": "grace@hopper.example", "id": "EM1"}],
            "firstName": "Grace",
            "lastName": "Hopper",
            "phoneNumbers": [{"name": "mobile", "value": "+15555550123", "id": "PH1"}],
            "role": "CTO"
        },
        "customFields": [
            {"name": "Inbound Lead", "key": "inbound-lead", "type": "boolean", "value": true},
            {"name": "Seats", "key": "seats", "type": "number", "value": 12}
        ],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "updatedAt": "2024-05-22T09:12:00.000Z",
        "createdByUserId": USER
    }))
}

pub fn call() -> Call {
    from(json!({
        "id": CALL,
        "phoneNumberId": PHONE,
        "userId": USER,
        "direction": "incoming",
        "status": "completed",
        "duration": 94,
        "participants": ["+15555550123", "+15555550188"],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "answeredAt": "2024-05-21T20:39:41.000Z",
        "answeredBy": USER,
        "completedAt": "2024-05-21T20:41:15.000Z",
        "updatedAt": "2024-05-21T20:41:16.000Z",
        "initiatedBy": null,
        "callRoute": "phone-number",
        "aiHandled": null,
        "forwardedFrom": null,
        "forwardedTo": null
    }))
}

pub fn call_recording() -> CallRecording {
    from(json!({
        "id": "CRwRVK2qBq",
        "duration": 94,
        "startTime": "2024-05-21T20:39:41.000Z",
        "status": "completed",
        "type": "audio/mpeg",
        "url": "https://storage.example.com/recordings/CRwRVK2qBq.mp3"
    }))
}

pub fn call_summary() -> CallSummary {
    from(json!({
        "callId": CALL,
        "status": "completed",
        "summary": ["Grace asked to move the install to Friday."],
        "nextSteps": ["Send the revised quote", "Confirm Friday 9am"],
        "jobs": [{
            "icon": "📋",
            "name": "Lead qualification",
            "result": {"data": [
                {"name": "Budget", "value": "$5k"},
                {"name": "Seats", "value": 12},
                {"name": "Decision maker", "value": true}
            ]}
        }]
    }))
}

pub fn call_transcript() -> CallTranscript {
    from(json!({
        "callId": CALL,
        "createdAt": "2024-05-21T20:41:30.000Z",
        "duration": 94.5,
        "status": "completed",
        "dialogue": [
            {"start": 0.0, "end": 3.2, "content": "Thanks for calling, this is Ada.",
             "identifier": "+15555550188", "userId": USER},
            {"start": 3.4, "end": 6.1, "content": "Hi, I'd like to move my install.",
             "identifier": "+15555550123", "userId": null}
        ]
    }))
}

pub fn call_voicemail() -> CallVoicemail {
    from(json!({
        "id": "VMaaff8f317e0c4e61953b74a5eb42a370",
        "status": "completed",
        "duration": 21,
        "recordingUrl": "https://storage.example.com/voicemails/VMaaff8f.mp3",
        "transcript": "Hi, it's Grace, call me back about the quote."
    }))
}

pub fn conversation() -> Conversation {
    from(json!({
        "id": CONVERSATION,
        "phoneNumberId": PHONE,
        "participants": ["+15555550123"],
        "assignedTo": USER,
        "name": "Grace Hopper",
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-21T20:41:16.000Z",
        "lastActivityAt": "2024-05-21T20:41:15.000Z",
        "lastActivityId": CALL,
        "deletedAt": null,
        "mutedUntil": null,
        "snoozedUntil": null
    }))
}

pub fn message() -> Message {
    from(json!({
        "id": "AC5e0bb8f2e9b6",
        "to": ["+15555550123"],
        "from": "+15555550188",
        "text": "Your install is confirmed for Friday at 9am.",
        "conversationId": CONVERSATION,
        "phoneNumberId": PHONE,
        "direction": "outgoing",
        "userId": USER,
        "status": "queued",
        "createdAt": "2024-05-21T20:45:00.000Z",
        "updatedAt": "2024-05-21T20:45:00.000Z"
    }))
}

pub fn phone_number() -> PhoneNumber {
    let open = json!({"CA": "unrestricted", "Intl": "restricted", "US": "unrestricted"});
    from(json!({
        "id": PHONE,
        "groupId": "PGkWv2ZK8Q",
        "name": "Support line",
        "number": "+15555550188",
        "formattedNumber": "(555) 555-0188",
        "forward": null,
        "portRequestId": null,
        "portingStatus": null,
        "symbol": "🎧",
        "createdAt": "2023-02-01T12:00:00.000Z",
        "updatedAt": "2024-01-10T08:30:00.000Z",
        "restrictions": {"calling": open, "messaging": open},
        "users": [{
            "id": USER,
            "email": "ada@example.com",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "groupId": "PGkWv2ZK8Q",
            "role": "owner"
        }]
    }))
}

pub fn task() -> Task {
    from(json!({
        "taskId": TASK,
        "orgId": "OR1223abc",
        "createdAt": "2024-05-21T20:50:00.000Z",
        "createdBy": USER,
        "completed": false,
        "isDeleted": false,
        "revision": "3",
        "title": "Call Grace back",
        "description": "About the revised quote",
        "dueDate": "2024-05-24T16:00:00.000Z",
        "assignedTo": USER,
        "assignedBy": USER,
        "conversationId": CONVERSATION,
        "activityId": null,
        "phoneNumberId": PHONE,
        "phoneNumberGroupId": "PGkWv2ZK8Q"
    }))
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

pub fn user() -> User {
    from(json!({
        "id": USER,
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "pictureUrl": "https://example.com/ada.jpg",
        "role": "admin",
        "createdAt": "2022-03-01T09:00:00.000Z",
        "updatedAt": "2024-04-02T10:00:00.000Z"
    }))
}

pub fn webhook(events: &[&str]) -> Webhook {
    from(json!({
        "id": WEBHOOK,
        "userId": USER,
        "orgId": "OR1223abc",
        "label": "CRM sync",
        "status": "enabled",
        "url": "https://hooks.example.com/quo",
        "key": "whsec-example-key",
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-01T10:00:00.000Z",
        "deletedAt": null,
        "events": events,
        "resourceIds": [PHONE]
    }))
}

pub fn custom_field_definition(key: &str, name: &str, kind: &str) -> CustomFieldDefinition {
    from(json!({"key": key, "name": name, "type": kind}))
}

pub fn api_error(status: u16, code: &str, title: &str, message: &str) -> ApiError {
    from(json!({
        "message": message,
        "code": code,
        "status": status,
        "docs": "https://support.quo.com/api",
        "title": title,
        "trace": "trace-7f3a",
        "errors": [{"path": "/body", "message": message}]
    }))
}

pub fn page<T: serde::Serialize, P: DeserializeOwned>(items: Vec<T>, next: Option<&str>) -> P {
    from(json!({"data": items, "totalItems": 42, "nextPageToken": next}))
}
