//! Every operation of the generated `quo-api` client against its typed
//! httpmock helper (`quo_api::mock::MockServerExt`): the method, path, query
//! and JSON body the client sends, the API key it carries, and the typed
//! response it decodes. Then, per API tag, a documented error status decoding
//! as `types::ApiError`, and an enum value the spec does not list decoding as
//! `Open::Other` instead of failing the page.

use std::fmt::Debug;

use httpmock::MockServer;
use quo_api::Open;
use quo_api::custom_field::CustomFieldValue;
use quo_api::mock::MockServerExt;
use quo_api::pagination::TotalItems;
use quo_api::types::*;
use serde_json::json;

use quo_tests::resources::*;

// ---------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_calls_sends_each_participant_and_the_filters_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let participants: Vec<CallParticipant> = vec![
        "+15555550123".parse().unwrap(),
        "+15555550124".parse().unwrap(),
    ];
    let mock = server.list_calls_v1(|when, then| {
        when.phone_number_id(PHONE)
            .participants(&participants)
            .max_results(n(10))
            .page_token("tok-1")
            .user_id(USER)
            .since(None)
            .created_before(None)
            .into_inner()
            // The literal text on the wire; the typed setter is checked in
            // `typed_datetime_query_setter_matches_what_the_client_sends`.
            .query_param("createdAfter", "2024-05-01T00:00:00Z")
            .header("authorization", KEY);
        then.ok(&page::<_, CallPage>(vec![call()], Some("tok-2")));
    });
    let got = raw_client(&server)
        .list_calls_v1(
            Some(&at("2024-05-01T00:00:00Z")),
            None,
            n(10),
            Some("tok-1"),
            &participants,
            PHONE,
            None,
            Some(USER),
        )
        .await
        .expect("call page decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.next_page_token.as_deref(), Some("tok-2"));
    assert_eq!(got.total_items.get(), Some(1));
    assert_eq!(got.data[0].id, CALL);
    assert_eq!(got.data[0].status, Open::Known(CallStatus::Completed));
    assert_eq!(got.data[0].direction, Open::Known(Direction::Incoming));
    assert_eq!(got.data[0].duration, 94);
}

#[tokio::test]
async fn get_call_by_id_decodes_the_call_with_its_status_and_participants() {
    let server = MockServer::start_async().await;
    let mock = server.get_call_by_id_v1(|when, then| {
        when.call_id(CALL).into_inner().header("authorization", KEY);
        then.ok(&CallResponse { data: call() });
    });
    let got = raw_client(&server)
        .get_call_by_id_v1(CALL)
        .await
        .expect("call decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.status, Open::Known(CallStatus::Completed));
    assert_eq!(got.participants, ["+15555550123", "+15555550188"]);
    assert_eq!(got.answered_at, Some(at("2024-05-21T20:39:41Z")));
    assert_eq!(got.initiated_by, None);
}

#[tokio::test]
async fn get_call_recordings_decodes_each_recording_with_its_url_and_status() {
    let server = MockServer::start_async().await;
    let mock = server.get_call_recordings_v1(|when, then| {
        when.call_id(CALL).into_inner().header("authorization", KEY);
        then.ok(&CallRecordingList {
            data: vec![call_recording()],
        });
    });
    let got = raw_client(&server)
        .get_call_recordings_v1(CALL)
        .await
        .expect("recordings decode")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].status,
        Some(Open::Known(CallRecordingStatus::Completed))
    );
    assert_eq!(got[0].type_.as_deref(), Some("audio/mpeg"));
    assert_eq!(
        got[0].url.as_deref(),
        Some("https://storage.example.com/recordings/CRwRVK2qBq.mp3")
    );
}

#[tokio::test]
async fn get_call_summary_decodes_the_summary_next_steps_and_job_fields() {
    let server = MockServer::start_async().await;
    let mock = server.get_call_summary_v1(|when, then| {
        when.call_id(CALL).into_inner().header("authorization", KEY);
        then.ok(&CallSummaryResponse {
            data: call_summary(),
        });
    });
    let got = raw_client(&server)
        .get_call_summary_v1(CALL)
        .await
        .expect("summary decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.call_id, CALL);
    assert_eq!(got.status, Open::Known(ProcessingStatus::Completed));
    assert_eq!(got.next_steps.len(), 2);
    let fields = &got.jobs[0].result.data;
    assert_eq!(fields[0].value, CallSummaryFieldValue::String("$5k".into()));
    assert_eq!(fields[1].value, CallSummaryFieldValue::Number(12.0));
    assert_eq!(fields[2].value, CallSummaryFieldValue::Boolean(true));
}

#[tokio::test]
async fn get_call_transcript_decodes_the_dialogue_in_order() {
    let server = MockServer::start_async().await;
    let mock = server.get_call_transcript_v1(|when, then| {
        when.id(CALL).into_inner().header("authorization", KEY);
        then.ok(&CallTranscriptResponse {
            data: call_transcript(),
        });
    });
    let got = raw_client(&server)
        .get_call_transcript_v1(CALL)
        .await
        .expect("transcript decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.status, Open::Known(ProcessingStatus::Completed));
    assert_eq!(got.duration, 94.5);
    let dialogue = got.dialogue;
    assert_eq!(dialogue[0].user_id.as_deref(), Some(USER));
    assert_eq!(dialogue[1].content, "Hi, I'd like to move my install.");
    assert_eq!(dialogue[1].user_id, None);
}

#[tokio::test]
async fn get_call_voicemails_decodes_the_voicemail_transcript() {
    let server = MockServer::start_async().await;
    let mock = server.get_call_voicemails_v1(|when, then| {
        when.call_id(CALL).into_inner().header("authorization", KEY);
        then.ok(&CallVoicemailResponse {
            data: call_voicemail(),
        });
    });
    let got = raw_client(&server)
        .get_call_voicemails_v1(CALL)
        .await
        .expect("voicemail decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.status, Open::Known(CallVoicemailStatus::Completed));
    assert_eq!(got.duration, Some(21));
    assert_eq!(
        got.transcript.as_deref(),
        Some("Hi, it's Grace, call me back about the quote.")
    );
}

// ---------------------------------------------------------------------------
// Contact Custom Fields
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_contact_custom_fields_decodes_each_definition_and_its_type() {
    let server = MockServer::start_async().await;
    let mock = server.get_contact_custom_fields_v1(|when, then| {
        when.into_inner().header("authorization", KEY);
        then.ok(&CustomFieldDefinitionList {
            data: vec![
                custom_field_definition("inbound-lead", "Inbound Lead", "boolean"),
                custom_field_definition("plan", "Plan", "multi-select"),
            ],
        });
    });
    let got = raw_client(&server)
        .get_contact_custom_fields_v1()
        .await
        .expect("definitions decode")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got[0].key, "inbound-lead");
    assert_eq!(got[0].type_, Open::Known(CustomFieldType::Boolean));
    assert_eq!(got[1].name, "Plan");
    assert_eq!(got[1].type_, Open::Known(CustomFieldType::MultiSelect));
}

// ---------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_contacts_sends_each_external_id_and_source_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let external_ids: Vec<ExternalId> =
        vec!["crm-4711".parse().unwrap(), "crm-4712".parse().unwrap()];
    let sources: Vec<ContactSourceFilter> = vec!["public-api".parse().unwrap()];
    let mock = server.list_contacts_v1(|when, then| {
        when.external_ids(&external_ids)
            .sources(&sources)
            .max_results(n(50))
            .page_token(None::<&str>)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&page::<_, ContactPage>(vec![contact()], None));
    });
    let got = raw_client(&server)
        .list_contacts_v1(Some(&external_ids), n(50), None, Some(&sources))
        .await
        .expect("contact page decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.next_page_token, None);
    assert_eq!(got.data[0].external_id.as_deref(), Some("crm-4711"));
    assert_eq!(
        got.data[0].default_fields.first_name.as_deref(),
        Some("Grace")
    );
    assert_eq!(
        got.data[0].custom_fields[0].value,
        CustomFieldValue::Boolean(Some(true))
    );
}

#[tokio::test]
async fn create_contact_posts_the_new_contact_and_decodes_the_created_one() {
    let server = MockServer::start_async().await;
    let body: NewContact = from(json!({
        "defaultFields": {
            "firstName": "Grace",
            "lastName": "Hopper",
            "company": "Hopper Systems",
            "phoneNumbers": [{"name": "mobile", "value": "+15555550123"}],
            "emails": [{"name": "work", "value": "grace@hopper.example"}]
        },
        "customFields": [{"key": "inbound-lead", "value": true}],
        "externalId": "crm-4711",
        "source": "public-api",
        "createdByUserId": USER
    }));
    let mock = server.create_contact_v1(|when, then| {
        when.body(&body).into_inner().header("authorization", KEY);
        then.created(&ContactResponse { data: contact() });
    });
    let got = raw_client(&server)
        .create_contact_v1(&body)
        .await
        .expect("created contact decodes");
    mock.assert();
    assert_eq!(got.status().as_u16(), 201);
    let got = got.into_inner().data;
    assert_eq!(got.id, "CT664d0a5b3d5e");
    assert_eq!(got.created_by_user_id.as_deref(), Some(USER));
    assert_eq!(
        got.default_fields.emails[0].value.as_deref(),
        Some("grace@hopper.example")
    );
}

#[tokio::test]
async fn get_contact_by_id_decodes_default_and_custom_fields() {
    let server = MockServer::start_async().await;
    let mock = server.get_contact_by_id_v1(|when, then| {
        when.id("CT664d0a5b3d5e")
            .into_inner()
            .header("authorization", KEY);
        then.ok(&ContactResponse { data: contact() });
    });
    let got = raw_client(&server)
        .get_contact_by_id_v1("CT664d0a5b3d5e")
        .await
        .expect("contact decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.default_fields.role.as_deref(), Some("CTO"));
    assert_eq!(
        got.default_fields.phone_numbers[0].value.as_deref(),
        Some("+15555550123")
    );
    assert_eq!(
        got.custom_fields[1].value,
        CustomFieldValue::Number(Some(12.0))
    );
}

#[tokio::test]
async fn a_path_parameter_matches_as_sent_and_only_itself() {
    // `.` must not match any character, `(` must not break the pattern, and
    // a `/` or space matches in the percent-encoded form the client sends.
    for id in ["CT.1", "CT(1", "CT/1 a"] {
        let server = MockServer::start_async().await;
        let exact = server.get_contact_by_id_v1(|when, then| {
            when.id(id);
            then.ok(&ContactResponse { data: contact() });
        });
        let client = raw_client(&server);
        client
            .get_contact_by_id_v1(id)
            .await
            .unwrap_or_else(|e| panic!("{id:?} matches its own mock: {e}"));
        exact.assert();
        let other = client.get_contact_by_id_v1("CTx1").await;
        assert!(other.is_err(), "{id:?} must not match CTx1");
        assert_eq!(exact.calls(), 1, "{id:?}");
    }
}

#[tokio::test]
async fn update_contact_patches_only_the_given_fields_and_decodes_the_result() {
    let server = MockServer::start_async().await;
    let body: ContactUpdate = from(json!({
        "defaultFields": {"role": "CEO"},
        "customFields": [{"key": "seats", "value": 20}, {"key": "inbound-lead", "value": null}]
    }));
    let mock = server.update_contact_by_id_v1(|when, then| {
        when.id("CT664d0a5b3d5e")
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&ContactResponse { data: contact() });
    });
    let got = raw_client(&server)
        .update_contact_by_id_v1("CT664d0a5b3d5e", &body)
        .await
        .expect("updated contact decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.id, "CT664d0a5b3d5e");
    assert_eq!(got.updated_at, at("2024-05-22T09:12:00Z"));
}

#[tokio::test]
async fn delete_contact_sends_a_delete_and_accepts_no_content() {
    let server = MockServer::start_async().await;
    let mock = server.delete_contact_v1(|when, then| {
        when.id("CT664d0a5b3d5e")
            .into_inner()
            .header("authorization", KEY);
        then.no_content();
    });
    let got = raw_client(&server)
        .delete_contact_v1("CT664d0a5b3d5e")
        .await
        .expect("204 is success");
    mock.assert();
    assert_eq!(got.status().as_u16(), 204);
}

// ---------------------------------------------------------------------------
// Conversations
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_conversations_sends_each_phone_number_and_the_filters_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let numbers = vec!["+15555550188".to_owned(), "+15555550199".to_owned()];
    let mock = server.list_conversations_v1(|when, then| {
        when.phone_numbers(&numbers)
            .phone_number(None::<&str>)
            .exclude_inactive(true)
            .max_results(n(25))
            .page_token(None::<&str>)
            .user_id(USER)
            .created_after(None)
            .created_before(None)
            .updated_before(None)
            .into_inner()
            // The literal text on the wire (see
            // `typed_datetime_query_setter_matches_what_the_client_sends`).
            .query_param("updatedAfter", "2024-05-20T12:30:00Z")
            .header("authorization", KEY);
        then.ok(&page::<_, ConversationPage>(
            vec![conversation()],
            Some("tok-2"),
        ));
    });
    let got = raw_client(&server)
        .list_conversations_v1(
            None,
            None,
            Some(true),
            n(25),
            None,
            None,
            Some(&numbers),
            Some(&at("2024-05-20T12:30:00Z")),
            None,
            Some(USER),
        )
        .await
        .expect("conversation page decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.next_page_token.as_deref(), Some("tok-2"));
    assert_eq!(got.data[0].id, CONVERSATION);
    assert_eq!(got.data[0].assigned_to.as_deref(), Some(USER));
    assert_eq!(got.data[0].snoozed_until, None);
}

#[tokio::test]
async fn mark_conversation_as_done_posts_to_the_conversation_and_decodes_it() {
    let server = MockServer::start_async().await;
    let mock = server.mark_conversation_as_done_v1(|when, then| {
        when.conversation_id(CONVERSATION)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&conversation());
    });
    let got = raw_client(&server)
        .mark_conversation_as_done_v1(CONVERSATION)
        .await
        .expect("conversation decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.id, CONVERSATION);
    assert_eq!(got.phone_number_id, PHONE);
}

#[tokio::test]
async fn mark_conversation_as_open_posts_to_the_conversation_and_decodes_it() {
    let server = MockServer::start_async().await;
    let mock = server.mark_conversation_as_open_v1(|when, then| {
        when.conversation_id(CONVERSATION)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&conversation());
    });
    let got = raw_client(&server)
        .mark_conversation_as_open_v1(CONVERSATION)
        .await
        .expect("conversation decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.id, CONVERSATION);
    assert_eq!(got.participants, ["+15555550123"]);
}

#[tokio::test]
async fn mark_conversation_as_read_posts_to_the_conversation_and_decodes_it() {
    let server = MockServer::start_async().await;
    let mock = server.mark_conversation_as_read_v1(|when, then| {
        when.conversation_id(CONVERSATION)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&conversation());
    });
    let got = raw_client(&server)
        .mark_conversation_as_read_v1(CONVERSATION)
        .await
        .expect("conversation decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.last_activity_id.as_deref(), Some(CALL));
    assert_eq!(got.last_activity_at, Some(at("2024-05-21T20:41:15Z")));
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_messages_sends_each_participant_and_the_filters_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let participants = vec!["+15555550123".to_owned()];
    let mock = server.list_messages_v1(|when, then| {
        when.phone_number_id(PHONE)
            .participants(&participants)
            .max_results(n(100))
            .page_token("tok-9")
            .user_id(None::<&str>)
            .created_after(None)
            .since(None)
            .into_inner()
            // The literal text on the wire (see
            // `typed_datetime_query_setter_matches_what_the_client_sends`).
            .query_param("createdBefore", "2024-06-01T00:00:00Z")
            .header("authorization", KEY);
        then.ok(&page::<_, MessagePage>(vec![message()], None));
    });
    let got = raw_client(&server)
        .list_messages_v1(
            None,
            Some(&at("2024-06-01T00:00:00Z")),
            n(100),
            Some("tok-9"),
            &participants,
            PHONE,
            None,
            None,
        )
        .await
        .expect("message page decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.next_page_token, None);
    assert_eq!(got.data[0].direction, Open::Known(Direction::Outgoing));
    assert_eq!(got.data[0].status, Open::Known(MessageStatus::Queued));
    assert_eq!(got.data[0].to, ["+15555550123"]);
}

#[tokio::test]
async fn send_message_posts_the_body_and_decodes_the_accepted_message() {
    let server = MockServer::start_async().await;
    let body: NewMessage = from(json!({
        "content": "Your install is confirmed for Friday at 9am.",
        "from": PHONE,
        "to": ["+15555550123"],
        "userId": USER,
        "setInboxStatus": "done"
    }));
    let mock = server.send_message_v1(|when, then| {
        when.body(&body)
            .into_inner()
            // The wire names, independently of the generated type.
            .json_body_includes(r#"{"from": "PNtoDbDhuz", "setInboxStatus": "done"}"#)
            .header("authorization", KEY);
        then.accepted(&MessageResponse { data: message() });
    });
    let got = raw_client(&server)
        .send_message_v1(&body)
        .await
        .expect("accepted message decodes");
    mock.assert();
    assert_eq!(got.status().as_u16(), 202);
    let got = got.into_inner().data;
    assert_eq!(got.status, Open::Known(MessageStatus::Queued));
    assert_eq!(got.conversation_id, CONVERSATION);
    assert_eq!(got.text, "Your install is confirmed for Friday at 9am.");
}

#[tokio::test]
async fn get_message_by_id_decodes_the_message() {
    let server = MockServer::start_async().await;
    let mock = server.get_message_by_id_v1(|when, then| {
        when.id("AC5e0bb8f2e9b6")
            .into_inner()
            .header("authorization", KEY);
        then.ok(&MessageResponse { data: message() });
    });
    let got = raw_client(&server)
        .get_message_by_id_v1("AC5e0bb8f2e9b6")
        .await
        .expect("message decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.from, "+15555550188");
    assert_eq!(got.direction, Open::Known(Direction::Outgoing));
    assert_eq!(got.created_at, at("2024-05-21T20:45:00Z"));
}

// ---------------------------------------------------------------------------
// Phone Numbers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_phone_numbers_filters_by_user_and_decodes_users_and_restrictions() {
    let server = MockServer::start_async().await;
    let mock = server.list_phone_numbers_v1(|when, then| {
        when.user_id(USER).into_inner().header("authorization", KEY);
        then.ok(&PhoneNumberList {
            data: vec![phone_number()],
        });
    });
    let got = raw_client(&server)
        .list_phone_numbers_v1(Some(USER))
        .await
        .expect("phone numbers decode")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got[0].number, "+15555550188");
    assert_eq!(got[0].users[0].role, Open::Known(UserRole::Owner));
    assert_eq!(
        got[0].restrictions.calling.intl,
        Open::Known(Restriction::Restricted)
    );
}

#[tokio::test]
async fn get_phone_number_by_id_decodes_the_number() {
    let server = MockServer::start_async().await;
    let mock = server.get_phone_number_by_id_v1(|when, then| {
        when.phone_number_id(PHONE)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&PhoneNumberResponse {
            data: phone_number(),
        });
    });
    let got = raw_client(&server)
        .get_phone_number_by_id_v1(PHONE)
        .await
        .expect("phone number decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.name, "Support line");
    assert_eq!(got.formatted_number.as_deref(), Some("(555) 555-0188"));
    assert_eq!(
        got.restrictions.messaging.us,
        Open::Known(Restriction::Unrestricted)
    );
    assert_eq!(got.forward, None);
}

// ---------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_tasks_pages_with_max_results_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let mock = server.list_tasks_v1(|when, then| {
        when.max_results(n(20))
            .page_token(None::<&str>)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&page::<_, TaskPage>(vec![task()], Some("tok-2")));
    });
    let got = raw_client(&server)
        .list_tasks_v1(n(20), None)
        .await
        .expect("task page decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.next_page_token.as_deref(), Some("tok-2"));
    assert_eq!(got.data[0].task_id, TASK);
    assert!(!got.data[0].completed);
    assert_eq!(got.data[0].due_date, Some(at("2024-05-24T16:00:00Z")));
}

#[tokio::test]
async fn create_task_posts_the_new_task_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body: NewTask = from(json!({
        "title": "Call Grace back",
        "description": "About the revised quote",
        "dueDate": "2024-05-24T16:00:00Z",
        "assignedTo": USER,
        "conversationId": CONVERSATION,
        "phoneNumberId": PHONE
    }));
    let mock = server.create_task_v1(|when, then| {
        when.body(&body)
            .into_inner()
            // The due date goes out as RFC 3339, under its wire name.
            .json_body_includes(r#"{"dueDate": "2024-05-24T16:00:00Z"}"#)
            .header("authorization", KEY);
        then.created(&task_revision("1"));
    });
    let got = raw_client(&server)
        .create_task_v1(&body)
        .await
        .expect("revision decodes");
    mock.assert();
    assert_eq!(got.status().as_u16(), 201);
    let got = got.into_inner().data;
    assert_eq!(got.task_id, TASK);
    assert_eq!(got.revision, "1");
    assert_eq!(got.conversation_id.as_deref(), Some(CONVERSATION));
}

#[tokio::test]
async fn get_task_by_id_decodes_the_task() {
    let server = MockServer::start_async().await;
    let mock = server.get_task_by_id_v1(|when, then| {
        when.task_id(TASK).into_inner().header("authorization", KEY);
        then.ok(&TaskResponse { data: task() });
    });
    let got = raw_client(&server)
        .get_task_by_id_v1(TASK)
        .await
        .expect("task decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.title.as_deref(), Some("Call Grace back"));
    assert_eq!(got.assigned_to.as_deref(), Some(USER));
    assert_eq!(got.revision, "3");
    assert!(!got.is_deleted);
}

#[tokio::test]
async fn update_task_puts_title_and_description_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body = TaskUpdate {
        title: "Call Grace back (urgent)".into(),
        description: "She wants Friday 9am".into(),
    };
    let mock = server.update_task_v1(|when, then| {
        when.task_id(TASK)
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&task_revision("4"));
    });
    let got = raw_client(&server)
        .update_task_v1(TASK, &body)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "4");
}

#[tokio::test]
async fn delete_task_sends_a_delete_and_accepts_no_content() {
    let server = MockServer::start_async().await;
    let mock = server.delete_task_v1(|when, then| {
        when.task_id(TASK).into_inner().header("authorization", KEY);
        then.no_content();
    });
    let got = raw_client(&server)
        .delete_task_v1(TASK)
        .await
        .expect("204 is success");
    mock.assert();
    assert_eq!(got.status().as_u16(), 204);
}

#[tokio::test]
async fn assign_task_posts_the_assignee_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body = TaskAssignee {
        user_id: "USnewOwner1".into(),
    };
    let mock = server.assign_task_v1(|when, then| {
        when.task_id(TASK)
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&task_revision("5"));
    });
    let got = raw_client(&server)
        .assign_task_v1(TASK, &body)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "5");
    assert_eq!(got.task_id, TASK);
}

#[tokio::test]
async fn unassign_task_posts_the_assignee_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body = TaskAssignee {
        user_id: USER.into(),
    };
    let mock = server.unassign_task_v1(|when, then| {
        when.task_id(TASK)
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&task_revision("6"));
    });
    let got = raw_client(&server)
        .unassign_task_v1(TASK, &body)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "6");
}

#[tokio::test]
async fn change_task_due_date_posts_the_date_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body = TaskDueDate {
        due_date: at("2024-05-31T15:00:00Z"),
    };
    let mock = server.change_task_due_date_v1(|when, then| {
        when.task_id(TASK)
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&task_revision("7"));
    });
    let got = raw_client(&server)
        .change_task_due_date_v1(TASK, &body)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "7");
}

#[tokio::test]
async fn remove_task_due_date_posts_to_the_task_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let mock = server.remove_task_due_date_v1(|when, then| {
        when.task_id(TASK).into_inner().header("authorization", KEY);
        then.ok(&task_revision("8"));
    });
    let got = raw_client(&server)
        .remove_task_due_date_v1(TASK)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "8");
}

#[tokio::test]
async fn complete_task_posts_to_the_task_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let mock = server.complete_task_v1(|when, then| {
        when.task_id(TASK).into_inner().header("authorization", KEY);
        then.ok(&task_revision("9"));
    });
    let got = raw_client(&server)
        .complete_task_v1(TASK)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "9");
    assert_eq!(got.phone_number_id.as_deref(), Some(PHONE));
}

#[tokio::test]
async fn reopen_task_posts_to_the_task_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let mock = server.reopen_task_v1(|when, then| {
        when.task_id(TASK).into_inner().header("authorization", KEY);
        then.ok(&task_revision("10"));
    });
    let got = raw_client(&server)
        .reopen_task_v1(TASK)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "10");
}

#[tokio::test]
async fn link_task_to_conversation_posts_the_conversation_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body = TaskConversationLink {
        conversation_id: CONVERSATION.into(),
    };
    let mock = server.link_task_to_conversation_v1(|when, then| {
        when.task_id(TASK)
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&task_revision("11"));
    });
    let got = raw_client(&server)
        .link_task_to_conversation_v1(TASK, &body)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "11");
    assert_eq!(got.conversation_id.as_deref(), Some(CONVERSATION));
}

#[tokio::test]
async fn unlink_task_from_conversation_posts_the_conversation_and_decodes_the_revision() {
    let server = MockServer::start_async().await;
    let body = TaskConversationLink {
        conversation_id: CONVERSATION.into(),
    };
    let mock = server.unlink_task_from_conversation_v1(|when, then| {
        when.task_id(TASK)
            .body(&body)
            .into_inner()
            .header("authorization", KEY);
        then.ok(&task_revision("12"));
    });
    let got = raw_client(&server)
        .unlink_task_from_conversation_v1(TASK, &body)
        .await
        .expect("revision decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.revision, "12");
}

// ---------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_users_pages_with_the_token_and_decodes_roles() {
    let server = MockServer::start_async().await;
    let mock = server.list_users_v1(|when, then| {
        when.max_results(n(50))
            .page_token("tok-3")
            .into_inner()
            .header("authorization", KEY);
        then.ok(&page::<_, UserPage>(vec![user()], None));
    });
    let got = raw_client(&server)
        .list_users_v1(n(50), Some("tok-3"))
        .await
        .expect("user page decodes")
        .into_inner();
    mock.assert();
    assert_eq!(got.total_items, TotalItems::new(Some(1)));
    assert_eq!(got.data[0].email, "ada@example.com");
    assert_eq!(got.data[0].role, Open::Known(UserRole::Admin));
}

#[tokio::test]
async fn get_user_by_id_decodes_the_user() {
    let server = MockServer::start_async().await;
    let mock = server.get_user_by_id_v1(|when, then| {
        when.user_id(USER).into_inner().header("authorization", KEY);
        then.ok(&UserResponse { data: user() });
    });
    let got = raw_client(&server)
        .get_user_by_id_v1(USER)
        .await
        .expect("user decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.first_name.as_deref(), Some("Ada"));
    assert_eq!(got.role, Open::Known(UserRole::Admin));
    assert_eq!(
        got.picture_url.as_deref(),
        Some("https://example.com/ada.jpg")
    );
}

// ---------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_webhooks_filters_by_user_and_decodes_events() {
    let server = MockServer::start_async().await;
    let mock = server.list_webhooks_v1(|when, then| {
        when.user_id(USER).into_inner().header("authorization", KEY);
        then.ok(&WebhookList {
            data: vec![webhook(&["message.received", "contact.updated"])],
        });
    });
    let got = raw_client(&server)
        .list_webhooks_v1(Some(USER))
        .await
        .expect("webhooks decode")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got[0].id, WEBHOOK);
    assert_eq!(got[0].status, Open::Known(WebhookStatus::Enabled));
    assert_eq!(
        got[0].events,
        [
            Open::Known(WebhookEvent::MessageReceived),
            Open::Known(WebhookEvent::ContactUpdated)
        ]
    );
}

#[tokio::test]
async fn get_webhook_by_id_decodes_the_webhook() {
    let server = MockServer::start_async().await;
    let mock = server.get_webhook_by_id_v1(|when, then| {
        when.id(WEBHOOK).into_inner().header("authorization", KEY);
        then.ok(&WebhookResponse {
            data: webhook(&["call.completed"]),
        });
    });
    let got = raw_client(&server)
        .get_webhook_by_id_v1(WEBHOOK)
        .await
        .expect("webhook decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.url, "https://hooks.example.com/quo");
    assert_eq!(got.resource_ids, [PHONE]);
    assert_eq!(got.deleted_at, None);
}

#[tokio::test]
async fn delete_webhook_sends_a_delete_and_accepts_no_content() {
    let server = MockServer::start_async().await;
    let mock = server.delete_webhook_by_id_v1(|when, then| {
        when.id(WEBHOOK).into_inner().header("authorization", KEY);
        then.no_content();
    });
    let got = raw_client(&server)
        .delete_webhook_by_id_v1(WEBHOOK)
        .await
        .expect("204 is success");
    mock.assert();
    assert_eq!(got.status().as_u16(), 204);
}

#[tokio::test]
async fn create_call_webhook_posts_the_events_and_decodes_the_created_webhook() {
    let server = MockServer::start_async().await;
    let body: NewCallWebhook = from(json!({
        "url": "https://hooks.example.com/quo",
        "events": ["call.completed", "call.recording.completed"],
        "resourceIds": [PHONE],
        "label": "CRM sync",
        "status": "enabled"
    }));
    let mock = server.create_call_webhook_v1(|when, then| {
        when.body(&body).into_inner().header("authorization", KEY);
        then.created(&WebhookResponse {
            data: webhook(&["call.completed", "call.recording.completed"]),
        });
    });
    let got = raw_client(&server)
        .create_call_webhook_v1(&body)
        .await
        .expect("webhook decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.key.expose(), "whsec-example-key");
    assert_eq!(
        got.events[1],
        Open::Known(WebhookEvent::CallRecordingCompleted)
    );
}

#[tokio::test]
async fn create_message_webhook_posts_the_events_and_decodes_the_created_webhook() {
    let server = MockServer::start_async().await;
    let body: NewMessageWebhook = from(json!({
        "url": "https://hooks.example.com/quo",
        "events": ["message.received", "message.delivered"],
        "userId": USER
    }));
    let mock = server.create_message_webhook_v1(|when, then| {
        when.body(&body).into_inner().header("authorization", KEY);
        then.created(&WebhookResponse {
            data: webhook(&["message.received", "message.delivered"]),
        });
    });
    let got = raw_client(&server)
        .create_message_webhook_v1(&body)
        .await
        .expect("webhook decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(got.events[1], Open::Known(WebhookEvent::MessageDelivered));
    assert_eq!(got.user_id, USER);
}

#[tokio::test]
async fn create_call_summary_webhook_posts_the_event_and_decodes_the_created_webhook() {
    let server = MockServer::start_async().await;
    let body: NewCallSummaryWebhook = from(json!({
        "url": "https://hooks.example.com/quo",
        "events": ["call.summary.completed"],
        "status": "disabled"
    }));
    let mock = server.create_call_summary_webhook_v1(|when, then| {
        when.body(&body).into_inner().header("authorization", KEY);
        then.created(&WebhookResponse {
            data: webhook(&["call.summary.completed"]),
        });
    });
    let got = raw_client(&server)
        .create_call_summary_webhook_v1(&body)
        .await
        .expect("webhook decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(
        got.events,
        [Open::Known(WebhookEvent::CallSummaryCompleted)]
    );
}

#[tokio::test]
async fn create_call_transcript_webhook_posts_the_event_and_decodes_the_created_webhook() {
    let server = MockServer::start_async().await;
    let body: NewCallTranscriptWebhook = from(json!({
        "url": "https://hooks.example.com/quo",
        "events": ["call.transcript.completed"],
        "resourceIds": ["*"]
    }));
    let mock = server.create_call_transcript_webhook_v1(|when, then| {
        when.body(&body).into_inner().header("authorization", KEY);
        then.created(&WebhookResponse {
            data: webhook(&["call.transcript.completed"]),
        });
    });
    let got = raw_client(&server)
        .create_call_transcript_webhook_v1(&body)
        .await
        .expect("webhook decodes")
        .into_inner()
        .data;
    mock.assert();
    assert_eq!(
        got.events,
        [Open::Known(WebhookEvent::CallTranscriptCompleted)]
    );
}

// ---------------------------------------------------------------------------
// Error bodies, one documented 4xx per API tag
// ---------------------------------------------------------------------------

/// The `ApiError` of an `ErrorResponse`, checked against what was served.
fn expect_api_error<T: Debug>(
    result: Result<quo_api::ResponseValue<T>, quo_api::Error<ApiError>>,
    served: &ApiError,
) -> ApiError {
    match result {
        Err(quo_api::Error::ErrorResponse(rv)) => {
            assert_eq!(i64::from(rv.status().as_u16()), served.status);
            let err = rv.into_inner();
            assert_eq!(&err, served);
            err
        }
        other => panic!("expected Error::ErrorResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn calls_not_found_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(404, "0301404", "Not Found", "Call not found");
    let mock = server.get_call_by_id_v1(|when, then| {
        when.call_id("ACmissing");
        then.not_found(&served);
    });
    let err = expect_api_error(
        raw_client(&server).get_call_by_id_v1("ACmissing").await,
        &served,
    );
    mock.assert();
    assert_eq!(err.code, "0301404");
    assert_eq!(err.status, 404);
    assert_eq!(err.message, "Call not found");
}

#[tokio::test]
async fn contact_custom_fields_unauthorized_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(401, "0800401", "Unauthorized", "Invalid API key");
    let mock = server.get_contact_custom_fields_v1(|_, then| {
        then.unauthorized(&served);
    });
    let err = expect_api_error(
        raw_client(&server).get_contact_custom_fields_v1().await,
        &served,
    );
    mock.assert();
    assert_eq!(err.code, "0800401");
    assert_eq!(err.status, 401);
    assert_eq!(err.message, "Invalid API key");
}

#[tokio::test]
async fn contacts_conflict_on_create_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(
        409,
        "0800409",
        "Conflict",
        "A contact with this externalId already exists",
    );
    let body: NewContact = from(json!({
        "defaultFields": {"firstName": "Grace"},
        "externalId": "crm-4711"
    }));
    let mock = server.create_contact_v1(|when, then| {
        when.body(&body);
        then.conflict(&served);
    });
    let err = expect_api_error(raw_client(&server).create_contact_v1(&body).await, &served);
    mock.assert();
    assert_eq!(err.code, "0800409");
    assert_eq!(err.status, 409);
    assert_eq!(err.trace.as_deref(), Some("trace-7f3a"));
    assert_eq!(err.errors[0]["path"], "/body");
}

#[tokio::test]
async fn conversations_not_found_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(404, "0500404", "Not Found", "Conversation not found");
    let mock = server.mark_conversation_as_done_v1(|when, then| {
        when.conversation_id("CNmissing");
        then.not_found(&served);
    });
    let err = expect_api_error(
        raw_client(&server)
            .mark_conversation_as_done_v1("CNmissing")
            .await,
        &served,
    );
    mock.assert();
    assert_eq!(err.code, "0500404");
    assert_eq!(err.message, "Conversation not found");
}

#[tokio::test]
async fn messages_payment_required_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(
        402,
        "0200402",
        "Not Enough Credits",
        "Add credits to send messages",
    );
    let body: NewMessage = from(json!({
        "content": "Hello", "from": PHONE, "to": ["+15555550123"]
    }));
    let mock = server.send_message_v1(|when, then| {
        when.body(&body);
        then.payment_required(&served);
    });
    let err = expect_api_error(raw_client(&server).send_message_v1(&body).await, &served);
    mock.assert();
    assert_eq!(err.code, "0200402");
    assert_eq!(err.status, 402);
    assert_eq!(err.title, "Not Enough Credits");
}

#[tokio::test]
async fn phone_numbers_forbidden_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(
        403,
        "0401403",
        "Not Phone Number User",
        "You do not have access to this phone number",
    );
    let mock = server.get_phone_number_by_id_v1(|when, then| {
        when.phone_number_id(PHONE);
        then.forbidden(&served);
    });
    let err = expect_api_error(
        raw_client(&server).get_phone_number_by_id_v1(PHONE).await,
        &served,
    );
    mock.assert();
    assert_eq!(err.code, "0401403");
    assert_eq!(err.status, 403);
}

#[tokio::test]
async fn tasks_bad_request_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(400, "1000400", "Bad Request", "title must not be empty");
    let body: NewTask = from(json!({"title": "", "description": "x"}));
    let mock = server.create_task_v1(|when, then| {
        when.body(&body);
        then.bad_request(&served);
    });
    let err = expect_api_error(raw_client(&server).create_task_v1(&body).await, &served);
    mock.assert();
    assert_eq!(err.code, "1000400");
    assert_eq!(err.message, "title must not be empty");
}

#[tokio::test]
async fn users_not_found_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(404, "0600404", "Not Found", "User not found");
    let mock = server.get_user_by_id_v1(|when, then| {
        when.user_id("USmissing");
        then.not_found(&served);
    });
    let err = expect_api_error(
        raw_client(&server).get_user_by_id_v1("USmissing").await,
        &served,
    );
    mock.assert();
    assert_eq!(err.code, "0600404");
    assert_eq!(err.status, 404);
}

#[tokio::test]
async fn webhooks_bad_request_decodes_as_api_error() {
    let server = MockServer::start_async().await;
    let served = api_error(400, "0700400", "Bad Request", "url must be https");
    let body: NewMessageWebhook = from(json!({
        "url": "http://hooks.example.com/quo", "events": ["message.received"]
    }));
    let mock = server.create_message_webhook_v1(|when, then| {
        when.body(&body);
        then.bad_request(&served);
    });
    let err = expect_api_error(
        raw_client(&server).create_message_webhook_v1(&body).await,
        &served,
    );
    mock.assert();
    assert_eq!(err.code, "0700400");
    assert_eq!(err.message, "url must be https");
}

// ---------------------------------------------------------------------------
// Values the spec does not list
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_unlisted_call_status_decodes_as_open_other_instead_of_failing_the_page() {
    let server = MockServer::start_async().await;
    let mut odd = serde_json::to_value(call()).expect("serialises");
    odd["id"] = json!("ACodd");
    odd["status"] = json!("teleported");
    let participants: Vec<CallParticipant> = vec!["+15555550123".parse().unwrap()];
    let mock = server.list_calls_v1(|when, then| {
        when.phone_number_id(PHONE);
        // The raw text, so the value is exactly what an unknown status looks
        // like on the wire.
        then.into_inner()
            .status(200)
            .json_body(json!({"data": [call(), odd], "totalItems": 2}));
    });
    let got = raw_client(&server)
        .list_calls_v1(None, None, n(10), None, &participants, PHONE, None, None)
        .await
        .expect("the page decodes despite the unknown status")
        .into_inner();
    mock.assert();
    assert_eq!(got.data.len(), 2);
    assert_eq!(got.data[0].status, Open::Known(CallStatus::Completed));
    assert_eq!(got.data[1].status, Open::Other("teleported".into()));
    assert_eq!(got.data[1].status.to_string(), "teleported");
}

// ---------------------------------------------------------------------------
// The generated mocks' date-time setters
// ---------------------------------------------------------------------------

/// The typed `when` setters of date-time query parameters (`createdAfter`,
/// `createdBefore`, `since`, `updatedAfter`, `updatedBefore`) expect the
/// RFC 3339 text the client sends (`2024-05-01T00:00:00Z`), not chrono's
/// `Display` form (`2024-05-01 00:00:00 UTC`), which progenitor's generator
/// would use and which never matches.
#[tokio::test]
async fn typed_datetime_query_setter_matches_what_the_client_sends() {
    let server = MockServer::start_async().await;
    let after = at("2024-05-01T00:00:00Z");
    let participants: Vec<CallParticipant> = vec!["+15555550123".parse().unwrap()];
    let mock = server.list_calls_v1(|when, then| {
        when.created_after(&after);
        then.ok(&page::<_, CallPage>(vec![call()], None));
    });
    let result = raw_client(&server)
        .list_calls_v1(
            Some(&after),
            None,
            n(10),
            None,
            &participants,
            PHONE,
            None,
            None,
        )
        .await;
    assert!(result.is_ok(), "no mock matched: {result:?}");
    mock.assert();
}
