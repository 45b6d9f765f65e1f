//! Realistic values of every resource type, as Quo sends them, for tests
//! of code that uses this crate: answers for typed mocks (feature `mock`),
//! inputs for functions under test.
//!
//! Each function returns the generated type with every field filled as
//! Quo would fill it; change what a test cares about with struct update
//! syntax, so the rest stays realistic:
//!
//! ```
//! use quo_api_ext::testing::fixtures;
//! use quo_api_ext::types::Task;
//!
//! let done = Task { completed: true, title: Some("Call Grace back".into()), ..fixtures::task() };
//! assert_eq!(done.task_id, fixtures::TASK_ID);
//! ```

use quo_api::types::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The id of [`call`].
pub const CALL_ID: &str = "AC3700e624eca547eb9f749a06f2eb1d6a";
/// The id of [`conversation`].
pub const CONVERSATION_ID: &str = "CN1a2b3c4d";
/// The workspace number the fixtures belong to.
pub const PHONE_NUMBER_ID: &str = "PNtoDbDhuz";
/// The id of [`task`].
pub const TASK_ID: &str = "TK9f2c1e7a";
/// The user the fixtures belong to.
pub const USER_ID: &str = "USlHhXmRMz";
/// The id of [`webhook`].
pub const WEBHOOK_ID: &str = "WHabcd1234";

/// A generated type from its JSON (the fixtures below, or your own).
///
/// # Panics
///
/// When the JSON does not fit the type: a mistake in the test's data.
pub fn from<T: DeserializeOwned>(value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(value) => value,
        Err(error) => panic!("the fixture does not fit its type: {error}"),
    }
}

/// A contact with an external id, one email, one phone number and two
/// custom fields (a boolean and a number).
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
        "createdByUserId": USER_ID
    }))
}

/// A completed, answered incoming call of 94 seconds.
pub fn call() -> Call {
    from(json!({
        "id": CALL_ID,
        "phoneNumberId": PHONE_NUMBER_ID,
        "userId": USER_ID,
        "direction": "incoming",
        "status": "completed",
        "duration": 94,
        "participants": ["+15555550123", "+15555550188"],
        "createdAt": "2024-05-21T20:39:34.000Z",
        "answeredAt": "2024-05-21T20:39:41.000Z",
        "answeredBy": USER_ID,
        "completedAt": "2024-05-21T20:41:15.000Z",
        "updatedAt": "2024-05-21T20:41:16.000Z",
        "initiatedBy": null,
        "callRoute": "phone-number",
        "aiHandled": null,
        "forwardedFrom": null,
        "forwardedTo": null
    }))
}

/// A completed recording of [`call`].
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

/// A completed summary of [`call`], with next steps and one job.
pub fn call_summary() -> CallSummary {
    from(json!({
        "callId": CALL_ID,
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

/// A completed two-line transcript of [`call`].
pub fn call_transcript() -> CallTranscript {
    from(json!({
        "callId": CALL_ID,
        "createdAt": "2024-05-21T20:41:30.000Z",
        "duration": 94.5,
        "status": "completed",
        "dialogue": [
            {"start": 0.0, "end": 3.2, "content": "Thanks for calling, this is Ada.",
             "identifier": "+15555550188", "userId": USER_ID},
            {"start": 3.4, "end": 6.1, "content": "Hi, I'd like to move my install.",
             "identifier": "+15555550123", "userId": null}
        ]
    }))
}

/// A completed voicemail with its transcript.
pub fn call_voicemail() -> CallVoicemail {
    from(json!({
        "id": "VMaaff8f317e0c4e61953b74a5eb42a370",
        "status": "completed",
        "duration": 21,
        "recordingUrl": "https://storage.example.com/voicemails/VMaaff8f.mp3",
        "transcript": "Hi, it's Grace, call me back about the quote."
    }))
}

/// A conversation of [`PHONE_NUMBER_ID`] with one participant.
pub fn conversation() -> Conversation {
    from(json!({
        "id": CONVERSATION_ID,
        "phoneNumberId": PHONE_NUMBER_ID,
        "participants": ["+15555550123"],
        "assignedTo": USER_ID,
        "name": "Grace Hopper",
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-21T20:41:16.000Z",
        "lastActivityAt": "2024-05-21T20:41:15.000Z",
        "lastActivityId": CALL_ID,
        "deletedAt": null,
        "mutedUntil": null,
        "snoozedUntil": null
    }))
}

/// An outgoing message, `queued`.
pub fn message() -> Message {
    from(json!({
        "id": "AC5e0bb8f2e9b6",
        "to": ["+15555550123"],
        "from": "+15555550188",
        "text": "Your install is confirmed for Friday at 9am.",
        "conversationId": CONVERSATION_ID,
        "phoneNumberId": PHONE_NUMBER_ID,
        "direction": "outgoing",
        "userId": USER_ID,
        "status": "queued",
        "createdAt": "2024-05-21T20:45:00.000Z",
        "updatedAt": "2024-05-21T20:45:00.000Z"
    }))
}

/// A workspace number with one user and its restrictions.
pub fn phone_number() -> PhoneNumber {
    let open = json!({"CA": "unrestricted", "Intl": "restricted", "US": "unrestricted"});
    from(json!({
        "id": PHONE_NUMBER_ID,
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
            "id": USER_ID,
            "email": "ada@example.com",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "groupId": "PGkWv2ZK8Q",
            "role": "owner"
        }]
    }))
}

/// An open task with a due date, assigned to [`USER_ID`].
pub fn task() -> Task {
    from(json!({
        "taskId": TASK_ID,
        "orgId": "OR1223abc",
        "createdAt": "2024-05-21T20:50:00.000Z",
        "createdBy": USER_ID,
        "completed": false,
        "isDeleted": false,
        "revision": "3",
        "title": "Call Grace back",
        "description": "About the revised quote",
        "dueDate": "2024-05-24T16:00:00.000Z",
        "assignedTo": USER_ID,
        "assignedBy": USER_ID,
        "conversationId": CONVERSATION_ID,
        "activityId": null,
        "phoneNumberId": PHONE_NUMBER_ID,
        "phoneNumberGroupId": "PGkWv2ZK8Q"
    }))
}

/// An admin user.
pub fn user() -> User {
    from(json!({
        "id": USER_ID,
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "pictureUrl": "https://example.com/ada.jpg",
        "role": "admin",
        "createdAt": "2022-03-01T09:00:00.000Z",
        "updatedAt": "2024-04-02T10:00:00.000Z"
    }))
}

/// A legacy webhook subscription for `message.received` (change `events`
/// or any other field with struct update syntax).
pub fn webhook() -> Webhook {
    from(json!({
        "id": WEBHOOK_ID,
        "userId": USER_ID,
        "orgId": "OR1223abc",
        "label": "CRM sync",
        "status": "enabled",
        "url": "https://hooks.example.com/quo",
        "key": "whsec-example-key",
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-01T10:00:00.000Z",
        "deletedAt": null,
        "events": ["message.received"],
        "resourceIds": [PHONE_NUMBER_ID]
    }))
}

/// A custom field definition.
pub fn custom_field_definition(key: &str, name: &str, kind: &str) -> CustomFieldDefinition {
    from(json!({"key": key, "name": name, "type": kind}))
}

/// An error answer in the shape Quo's spec documents.
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

/// One page of a list response (`data`, `totalItems`, `nextPageToken`)
/// holding `items`, for any of the list responses.
pub fn page<T: serde::Serialize, P: DeserializeOwned>(items: Vec<T>, next: Option<&str>) -> P {
    from(json!({"data": items, "totalItems": items.len(), "nextPageToken": next}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_fits_its_type_and_reads_back_as_sent() {
        let contact = contact();
        assert_eq!(contact.external_id.as_deref(), Some("crm-4711"));
        assert_eq!(call().id, CALL_ID);
        assert_eq!(conversation().phone_number_id, PHONE_NUMBER_ID);
        assert_eq!(task().task_id, TASK_ID);
        assert_eq!(user().id, USER_ID);
        assert_eq!(webhook().id, WEBHOOK_ID);
        assert_eq!(message().conversation_id, CONVERSATION_ID);
        let _ = (
            call_recording(),
            call_summary(),
            call_transcript(),
            call_voicemail(),
            phone_number(),
            custom_field_definition("seats", "Seats", "number"),
            api_error(404, "0800404", "Not Found", "Contact not found"),
        );
        let page: ContactPage = page(vec![contact], Some("next"));
        assert_eq!(page.data.len(), 1);
        assert_eq!(page.next_page_token.as_deref(), Some("next"));
    }
}
