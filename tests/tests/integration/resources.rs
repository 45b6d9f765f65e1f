//! The SDK's resources (`client.messages()`, `calls()`, `conversations()`,
//! `phone_numbers()`, `users()`, `tasks()`, `webhook_subscriptions()`) against the typed
//! httpmock helpers: the request on the wire, the decoded result, a 4xx as
//! `Error::Api`, every list walked over three pages with its filters on
//! each, and bad input refused with nothing sent.

use std::time::Duration;

use futures::TryStreamExt;
use httpmock::MockServer;
use quo_api::Open;
use quo_api::mock::MockServerExt;
use quo_api::types::*;
use quo_api_ext::messages::MessageDraft;
use quo_api_ext::tasks::{TaskChanges, TaskDraft};
use quo_api_ext::webhook_subscriptions::WebhookDraft;
use quo_api_ext::{Error, QuoClient, RetryConfig};
use serde_json::json;

use quo_tests::clients;
use quo_tests::resources::*;

fn sdk(server: &MockServer) -> QuoClient {
    clients::builder(server)
        .retry(
            RetryConfig::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

fn not_found() -> ApiError {
    api_error(404, "0100404", "Not Found", "No such object")
}

/// `item` with the id of page `i` (a walk ends with `PaginationLoop` when a
/// page repeats the items of the one before).
fn nth<T: serde::Serialize + serde::de::DeserializeOwned>(item: T, i: usize) -> T {
    let mut value = serde_json::to_value(item).unwrap();
    value["id"] = json!(format!("ID{i}"));
    serde_json::from_value(value).unwrap()
}

/// The three page tokens of a three-page walk: none, then `p2`, then `p3`.
const PAGES: [(Option<&str>, Option<&str>); 3] = [
    (None, Some("p2")),
    (Some("p2"), Some("p3")),
    (Some("p3"), None),
];

/// The parameter an `Error::InvalidInput` names.
fn refused<T: std::fmt::Debug>(result: quo_api_ext::Result<T>) -> &'static str {
    match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

fn assert_api_404<T: std::fmt::Debug>(result: quo_api_ext::Result<T>) {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404);
            assert_eq!(e.message.as_deref(), Some("No such object"));
        }
        other => panic!("expected Error::Api 404, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

#[tokio::test]
async fn send_puts_the_message_on_the_wire_and_decodes_what_quo_accepted() {
    let server = MockServer::start_async().await;
    let mock = server.send_message_v1(|when, then| {
        when.into_inner()
            .header("authorization", KEY)
            .json_body(json!({
                "content": "See you at 3pm",
                "from": PHONE,
                "to": ["+15555550123", "+15555550124"],
                "userId": USER,
                "setInboxStatus": "done"
            }));
        then.accepted(&MessageResponse { data: message() });
    });
    let sent = sdk(&server)
        .messages()
        .send(
            MessageDraft::new("See you at 3pm")
                .from(PHONE)
                .to_all(["+15555550123", "+15555550124"])
                .user_id(USER)
                .mark_done(),
        )
        .await
        .unwrap();
    mock.assert();
    assert_eq!(sent, message());
}

/// The spec allows a recipient that is not E.164: any text of up to 15
/// characters (short codes). Such a message reaches the server as given.
#[tokio::test]
async fn a_message_to_a_short_code_reaches_the_server() {
    let server = MockServer::start_async().await;
    let mock = server.send_message_v1(|when, then| {
        when.into_inner().json_body(json!({
            "content": "STOP",
            "from": PHONE,
            "to": ["12345", "123456789012345"]
        }));
        then.accepted(&MessageResponse { data: message() });
    });
    sdk(&server)
        .messages()
        .send(
            MessageDraft::new("STOP")
                .from(PHONE)
                .to_all(["12345", "123456789012345"]),
        )
        .await
        .unwrap();
    mock.assert();

    // Sixteen characters that are not an E.164 number: refused, nothing sent.
    let refused_to = sdk(&server)
        .messages()
        .send(MessageDraft::new("STOP").from(PHONE).to("1234567890123456"))
        .await;
    assert_eq!(refused(refused_to), "to");
    mock.assert_calls(1);
}

#[tokio::test]
async fn send_is_not_retried_on_503_unless_inside_the_opt_in() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method("POST").path("/v1/messages");
        then.status(503)
            .json_body(json!({"message": "busy", "code": "0100503", "status": 503}));
    });
    let client = sdk(&server);
    let message = || MessageDraft::new("hi").from(PHONE).to("+15555550123");
    let error = client.messages().send(message()).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(mock.calls(), 1, "a send is not retried by default");

    let error = client
        .with_non_idempotent_retries()
        .messages()
        .send(message())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(mock.calls(), 1 + 3, "inside the opt-in: every attempt");
}

#[tokio::test]
async fn message_list_walks_three_pages_with_its_filters_on_each() {
    let server = MockServer::start_async().await;
    let participants = vec!["+15555550123".to_owned()];
    let after = at("2024-05-01T00:00:00Z");
    let mocks: Vec<_> = PAGES
        .iter()
        .enumerate()
        .map(|(i, &(token, next))| {
            server.list_messages_v1(|when, then| {
                when.phone_number_id(PHONE)
                    .participants(&participants)
                    .max_results(n(100))
                    .page_token(token)
                    .user_id(USER)
                    .into_inner()
                    .query_param("createdAfter", "2024-05-01T00:00:00Z");
                then.ok(&page::<_, MessagePage>(vec![nth(message(), i)], next));
            })
        })
        .collect();
    let all = sdk(&server)
        .messages()
        .list(PHONE, &participants)
        .created_after(after)
        .user_id(USER)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    for mock in mocks {
        mock.assert();
    }
}

#[tokio::test]
async fn message_get_decodes_and_maps_a_404() {
    let server = MockServer::start_async().await;
    server.get_message_by_id_v1(|when, then| {
        when.id("AC1");
        then.ok(&MessageResponse { data: message() });
    });
    server.get_message_by_id_v1(|when, then| {
        when.id("AC404");
        then.not_found(&not_found());
    });
    let client = sdk(&server);
    assert_eq!(client.messages().get("AC1").await.unwrap(), message());
    assert_api_404(client.messages().get("AC404").await);
}

// ---------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------

#[tokio::test]
async fn call_list_walks_three_pages_with_its_filters_on_each() {
    let server = MockServer::start_async().await;
    let participants: Vec<CallParticipant> = vec!["+15555550123".parse().unwrap()];
    let mocks: Vec<_> = PAGES
        .iter()
        .enumerate()
        .map(|(i, &(token, next))| {
            server.list_calls_v1(|when, then| {
                when.phone_number_id(PHONE)
                    .participants(&participants)
                    .max_results(n(20))
                    .page_token(token)
                    .into_inner()
                    .query_param("createdBefore", "2024-06-01T00:00:00Z");
                then.ok(&page::<_, CallPage>(vec![nth(call(), i)], next));
            })
        })
        .collect();
    let mut calls = sdk(&server)
        .calls()
        .list(PHONE, "+15555550123")
        .created_before(at("2024-06-01T00:00:00Z"))
        .page_size(20)
        .items();
    let mut count = 0;
    while let Some(call) = calls.try_next().await.unwrap() {
        assert_eq!(call.id, format!("ID{count}"));
        count += 1;
    }
    assert_eq!(count, 3);
    for mock in mocks {
        mock.assert();
    }
}

#[tokio::test]
async fn a_summary_not_ready_is_a_status_and_a_missing_call_is_a_404() {
    let server = MockServer::start_async().await;
    let mut pending = call_summary();
    pending.status = Open::Known(ProcessingStatus::InProgress);
    pending.summary = Vec::new();
    server.get_call_summary_v1(|when, then| {
        when.call_id(CALL);
        then.ok(&CallSummaryResponse {
            data: pending.clone(),
        });
    });
    server.get_call_transcript_v1(|when, then| {
        when.id(CALL);
        then.ok(&CallTranscriptResponse {
            data: call_transcript(),
        });
    });
    server.get_call_by_id_v1(|when, then| {
        when.call_id("AC404");
        then.not_found(&not_found());
    });
    let calls = sdk(&server);
    let summary = calls.calls().summary(CALL).await.unwrap();
    assert_eq!(summary.status, Open::Known(ProcessingStatus::InProgress));
    assert!(summary.summary.is_empty());
    assert_eq!(
        calls.calls().transcript(CALL).await.unwrap(),
        call_transcript()
    );
    assert_api_404(calls.calls().get("AC404").await);
}

// ---------------------------------------------------------------------------
// Conversations
// ---------------------------------------------------------------------------

#[tokio::test]
async fn conversation_list_walks_three_pages_and_marks_post_to_their_path() {
    let server = MockServer::start_async().await;
    let numbers = vec![PHONE.to_owned(), "+15555550100".to_owned()];
    let mocks: Vec<_> = PAGES
        .iter()
        .enumerate()
        .map(|(i, &(token, next))| {
            server.list_conversations_v1(|when, then| {
                when.phone_numbers(Some(&numbers))
                    .max_results(n(100))
                    .page_token(token)
                    .exclude_inactive(Some(true))
                    .user_id(USER);
                then.ok(&page::<_, ConversationPage>(
                    vec![nth(conversation(), i)],
                    next,
                ));
            })
        })
        .collect();
    let mark = server.mark_conversation_as_done_v1(|when, then| {
        when.conversation_id(CONVERSATION);
        then.ok(&conversation());
    });
    let client = sdk(&server);
    let all = client
        .conversations()
        .list()
        .phone_numbers(&numbers)
        .exclude_inactive(true)
        .user_id(USER)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["ID0", "ID1", "ID2"]
    );
    for mock in mocks {
        mock.assert();
    }
    assert_eq!(
        client
            .conversations()
            .mark_as_done(CONVERSATION)
            .await
            .unwrap(),
        conversation()
    );
    mark.assert();
}

// ---------------------------------------------------------------------------
// Phone numbers and users
// ---------------------------------------------------------------------------

#[tokio::test]
async fn phone_numbers_are_listed_and_read_and_users_walk_three_pages() {
    let server = MockServer::start_async().await;
    let list = server.list_phone_numbers_v1(|when, then| {
        when.user_id(USER);
        then.ok(&PhoneNumberList {
            data: vec![phone_number()],
        });
    });
    server.get_phone_number_by_id_v1(|when, then| {
        when.phone_number_id("PN404");
        then.not_found(&not_found());
    });
    let mocks: Vec<_> = PAGES
        .iter()
        .enumerate()
        .map(|(i, &(token, next))| {
            server.list_users_v1(|when, then| {
                when.max_results(n(50)).page_token(token);
                then.ok(&page::<_, UserPage>(vec![nth(user(), i)], next));
            })
        })
        .collect();
    let client = sdk(&server);
    assert_eq!(
        client
            .phone_numbers()
            .list()
            .user_id(USER)
            .collect_all()
            .await
            .unwrap(),
        vec![phone_number()]
    );
    list.assert();
    assert_api_404(client.phone_numbers().get("PN404").await);
    let users = client.users().list().collect_all().await.unwrap();
    assert_eq!(users, (0..3).map(|i| nth(user(), i)).collect::<Vec<_>>());
    for mock in mocks {
        mock.assert();
    }
}

// ---------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------

#[tokio::test]
async fn tasks_are_created_on_one_subject_completed_and_walked() {
    let server = MockServer::start_async().await;
    let create = server.create_task_v1(|when, then| {
        when.into_inner().json_body(json!({
            "conversationId": CONVERSATION,
            "title": "Call back",
            "description": "About the renewal",
            "assignedTo": USER,
            "dueDate": "2024-06-01T09:00:00Z"
        }));
        then.created(&task_revision("2"));
    });
    let complete = server.complete_task_v1(|when, then| {
        when.task_id(TASK);
        then.ok(&task_revision("3"));
    });
    server.get_task_by_id_v1(|when, then| {
        when.task_id("TK404");
        then.not_found(&not_found());
    });
    let mocks: Vec<_> = PAGES
        .iter()
        .map(|&(token, next)| {
            server.list_tasks_v1(|when, then| {
                when.max_results(n(100)).page_token(token);
                then.ok(&page::<_, TaskPage>(vec![task()], next));
            })
        })
        .collect();
    let client = sdk(&server);
    let draft = TaskDraft::on_conversation(CONVERSATION)
        .title("Call back")
        .description("About the renewal")
        .assign_to(USER)
        .due(at("2024-06-01T09:00:00Z"));
    assert_eq!(client.tasks().create(draft).await.unwrap().revision, "2");
    create.assert();
    assert_eq!(client.tasks().complete(TASK).await.unwrap().revision, "3");
    complete.assert();
    assert_api_404(client.tasks().get("TK404").await);
    assert_eq!(
        client.tasks().list().collect_all().await.unwrap(),
        vec![task(); 3]
    );
    for mock in mocks {
        mock.assert();
    }
}

#[tokio::test]
async fn a_task_change_naming_one_field_keeps_the_other_as_the_task_has_it() {
    let server = MockServer::start_async().await;
    let get = server.get_task_by_id_v1(|when, then| {
        when.task_id(TASK);
        then.ok(&TaskResponse { data: task() });
    });
    let put_title = server.update_task_v1(|when, then| {
        when.task_id(TASK).body(&TaskUpdate {
            title: "Call Grace back today".into(),
            description: "About the revised quote".into(),
        });
        then.ok(&task_revision("4"));
    });
    let put_both = server.update_task_v1(|when, then| {
        when.task_id(TASK).body(&TaskUpdate {
            title: "New".into(),
            description: "".into(),
        });
        then.ok(&task_revision("5"));
    });
    let client = sdk(&server);
    let revision = client
        .tasks()
        .update(TASK, TaskChanges::new().title("Call Grace back today"))
        .await
        .unwrap();
    assert_eq!(revision.revision, "4");
    assert_eq!(get.calls(), 1, "one read to keep the description");
    put_title.assert();
    // Both named: no read.
    let revision = client
        .tasks()
        .update(TASK, TaskChanges::new().title("New").description(""))
        .await
        .unwrap();
    assert_eq!(revision.revision, "5");
    assert_eq!(get.calls(), 1);
    put_both.assert();
    // Neither, or a blank title: refused, nothing sent.
    for changes in [TaskChanges::new(), TaskChanges::new().title("  ")] {
        assert!(matches!(
            client.tasks().update(TASK, changes).await,
            Err(Error::InvalidInput { .. })
        ));
    }
    assert_eq!(get.calls(), 1);
    assert_eq!(put_title.calls() + put_both.calls(), 2);
}

// ---------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_webhook_is_created_for_its_family_and_deleted() {
    let server = MockServer::start_async().await;
    let create = server.create_call_webhook_v1(|when, then| {
        when.into_inner().json_body(json!({
            "url": "https://example.com/quo",
            "events": ["call.completed", "call.ringing"],
            "label": "calls",
            "resourceIds": ["*"],
            "status": "disabled"
        }));
        then.created(&WebhookResponse {
            data: webhook(&["call.completed", "call.ringing"]),
        });
    });
    let delete = server.delete_webhook_by_id_v1(|when, then| {
        when.id(WEBHOOK);
        then.no_content();
    });
    let client = sdk(&server);
    let draft = WebhookDraft::named(
        "https://example.com/quo",
        ["call.completed", "call.ringing"],
    )
    .label("calls")
    .resource_ids(["*"])
    .disabled();
    let created = client.webhook_subscriptions().create(draft).await.unwrap();
    create.assert();
    assert_eq!(created.id, WEBHOOK);
    client
        .webhook_subscriptions()
        .delete(WEBHOOK)
        .await
        .unwrap();
    delete.assert();
}

/// A webhook's signing key, as a subscription's answers carry it.
const SIGNING_KEY: &str = "c2lnbmluZy1rZXktb2YtYS13ZWJob29r";

#[tokio::test]
async fn a_webhook_signing_key_never_shows_in_debug_errors_or_traces() {
    let captured = crate::support::capture_traces();
    let server = MockServer::start_async().await;
    let mut keyed = webhook(&["message.received"]);
    keyed.key = SIGNING_KEY.into();
    let answer = keyed.clone();
    server.get_webhook_by_id_v1(|when, then| {
        when.id(WEBHOOK);
        then.ok(&WebhookResponse { data: answer });
    });
    let answer = keyed.clone();
    server.list_webhooks_v1(|_, then| {
        then.ok(&WebhookList { data: vec![answer] });
    });
    let answer = keyed.clone();
    server.create_message_webhook_v1(|_, then| {
        then.created(&WebhookResponse { data: answer });
    });
    // Answers that break the schema around the key: one with a field the
    // decoder fails on after reading it, one with the key where a string
    // is expected as something else, so the decoder's message would quote it.
    let mut broken = serde_json::to_value(&keyed).unwrap();
    broken["createdAt"] = json!("not a time");
    server.mock(|when, then| {
        when.path("/v1/webhooks/WHbroken1");
        then.status(200).json_body(json!({"data": broken}));
    });
    server.mock(|when, then| {
        when.path("/v1/webhooks/WHbroken2");
        then.status(200)
            .json_body(json!({"data": {"id": WEBHOOK, "key": 42, "url": SIGNING_KEY}}));
    });
    server.mock(|when, then| {
        when.path("/v1/webhooks/WHrefused");
        then.status(400).body(format!("no such key {SIGNING_KEY}"));
    });

    let client = sdk(&server);
    let webhooks = client.webhook_subscriptions();
    let got = webhooks.get(WEBHOOK).await.unwrap();
    assert_eq!(got.key.expose(), SIGNING_KEY, "the key is there to use");
    let listed = webhooks.list().collect_all().await.unwrap();
    let created = webhooks
        .create(WebhookDraft::new(
            "https://example.com/quo",
            [WebhookEvent::MessageReceived],
        ))
        .await
        .unwrap();
    let mut shown = vec![
        format!("{got:?} {got:#?}"),
        format!("{listed:?}"),
        format!("{created:?}"),
    ];
    for id in ["WHbroken1", "WHbroken2", "WHrefused"] {
        let error = webhooks.get(id).await.unwrap_err();
        assert!(
            matches!(error, Error::Decode { .. } | Error::Api(_)),
            "{id}: {error:?}"
        );
        shown.push(format!("{error} {error:?} {error:#?}"));
    }
    shown.push(captured.text());
    for text in &shown {
        assert!(
            !text.contains(&SIGNING_KEY[..12]),
            "the key leaked in {text}"
        );
    }
    // The key becomes a verifier's secret in one call.
    let secret = quo_api_ext::webhooks::WebhookSecret::from_key(&got.key).unwrap();
    let now = std::time::SystemTime::now();
    let headers = quo_api_ext::webhooks::sign(&secret, "msg_1", now, b"{}");
    quo_api_ext::webhooks::Verifier::from_secret(secret)
        .verify_signature_at(&headers, b"{}", now)
        .unwrap();
}

// ---------------------------------------------------------------------------
// Validation before sending
// ---------------------------------------------------------------------------

#[tokio::test]
async fn every_documented_limit_is_checked_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(500);
    });
    let client = sdk(&server);
    let messages = client.messages();
    let send = |m| messages.send(m);
    assert_eq!(
        refused(send(MessageDraft::new("hi").from("nope").to("+15555550123")).await),
        "from"
    );
    assert_eq!(
        refused(
            send(
                MessageDraft::new("hi")
                    .from(PHONE)
                    .to_all(vec!["+15555550123"; 11])
            )
            .await
        ),
        "to"
    );
    assert_eq!(
        refused(send(MessageDraft::new("  ").from(PHONE).to("+15555550123")).await),
        "text"
    );
    assert_eq!(
        refused(
            send(
                MessageDraft::new("x".repeat(1601))
                    .from(PHONE)
                    .to("+15555550123")
            )
            .await
        ),
        "text"
    );
    let first = |list: quo_api_ext::messages::MessageList| list.collect_all();
    assert_eq!(
        refused(first(client.messages().list("bad", ["+15555550123"])).await),
        "phone_number_id"
    );
    assert_eq!(
        refused(first(client.messages().list(PHONE, Vec::<String>::new())).await),
        "participants"
    );
    assert_eq!(
        refused(
            first(
                client
                    .messages()
                    .list(PHONE, ["+15555550123"])
                    .page_size(101)
            )
            .await
        ),
        "page_size"
    );
    assert_eq!(
        refused(
            first(
                client
                    .messages()
                    .list(PHONE, ["+15555550123"])
                    .created_after(at("2024-06-01T00:00:00Z"))
                    .created_before(at("2024-05-01T00:00:00Z"))
            )
            .await
        ),
        "created_before"
    );
    assert_eq!(
        refused(client.calls().list("bad", "+1").collect_all().await),
        "phone_number_id"
    );
    assert_eq!(refused(client.calls().get("..").await), "call_id");
    assert_eq!(
        refused(
            client
                .conversations()
                .list()
                .phone_numbers(["555"])
                .collect_all()
                .await
        ),
        "phone_numbers"
    );
    assert_eq!(
        refused(client.users().list().page_size(51).collect_all().await),
        "page_size"
    );
    assert_eq!(refused(client.users().get("bob").await), "user_id");
    assert_eq!(
        refused(client.phone_numbers().get("US1").await),
        "phone_number_id"
    );
    assert_eq!(
        refused(
            client
                .tasks()
                .create(TaskDraft::on_call("CN1").title("t").description("d"))
                .await
        ),
        "call_id"
    );
    assert_eq!(
        refused(client.tasks().assign(TASK, "nobody").await),
        "user_id"
    );
    assert_eq!(
        refused(
            client
                .webhook_subscriptions()
                .create(WebhookDraft::named(
                    "https://example.com",
                    ["message.received", "call.completed"]
                ))
                .await
        ),
        "events"
    );
    assert_eq!(
        refused(
            client
                .webhook_subscriptions()
                .create(WebhookDraft::new(
                    "http://example.com",
                    [WebhookEvent::CallCompleted]
                ))
                .await
        ),
        "url"
    );
    assert_eq!(anything.calls(), 0, "nothing was sent");
}

/// Every id a caller gives is checked against the prefix Quo's spec gives
/// its kind (`^AC(.*)$`, `^CN(.*)$`, ...), by every method that takes one,
/// and refused naming the kind, with nothing sent: here each gets a valid
/// id of another kind.
#[tokio::test]
async fn every_id_is_checked_against_its_kinds_prefix_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let anything = server.mock(|_, then| {
        then.status(500);
    });
    let client = sdk(&server);
    let (calls, tasks, hooks) = (
        client.calls(),
        client.tasks(),
        client.webhook_subscriptions(),
    );
    let (conversations, messages) = (client.conversations(), client.messages());
    let due = at("2024-06-01T09:00:00Z");
    let cases: Vec<(&str, &str)> = vec![
        ("call_id", refused(calls.get("CN1").await)),
        ("call_id", refused(calls.summary("CN1").await)),
        ("call_id", refused(calls.transcript("CN1").await)),
        ("call_id", refused(calls.voicemail("CN1").await)),
        (
            "call_id",
            refused(calls.recordings("CN1").collect_all().await),
        ),
        ("message_id", refused(messages.get("CN1").await)),
        ("message_id", refused(messages.wait("CN1").send().await)),
        (
            "conversation_id",
            refused(conversations.mark_as_read("AC1").await),
        ),
        (
            "conversation_id",
            refused(conversations.mark_as_done("AC1").await),
        ),
        (
            "conversation_id",
            refused(conversations.mark_as_open("AC1").await),
        ),
        ("task_id", refused(tasks.get("AC1").await)),
        (
            "task_id",
            refused(tasks.update("AC1", TaskChanges::new().title("t")).await),
        ),
        ("task_id", refused(tasks.delete("AC1").await)),
        ("task_id", refused(tasks.complete("AC1").await)),
        ("task_id", refused(tasks.reopen("AC1").await)),
        ("task_id", refused(tasks.assign("AC1", USER).await)),
        ("task_id", refused(tasks.unassign("AC1", USER).await)),
        (
            "task_id",
            refused(tasks.link_conversation("AC1", CONVERSATION).await),
        ),
        (
            "task_id",
            refused(tasks.unlink_conversation("AC1", CONVERSATION).await),
        ),
        ("task_id", refused(tasks.change_due_date("AC1", due).await)),
        ("task_id", refused(tasks.remove_due_date("AC1").await)),
        ("user_id", refused(tasks.unassign(TASK, "PN1").await)),
        (
            "conversation_id",
            refused(tasks.link_conversation(TASK, "AC1").await),
        ),
        (
            "conversation_id",
            refused(tasks.unlink_conversation(TASK, "AC1").await),
        ),
        ("webhook_id", refused(hooks.get("PN1").await)),
        ("webhook_id", refused(hooks.delete("PN1").await)),
        ("user_id", refused(client.users().get("PN1").await)),
        (
            "phone_number_id",
            refused(client.phone_numbers().get("US1").await),
        ),
        (
            "created_by",
            refused(
                client
                    .contacts()
                    .create(quo_api_ext::contacts::ContactDraft::new("Ada").created_by("PN1"))
                    .await,
            ),
        ),
        ("contact_id", refused(client.contacts().get("").await)),
        (
            "from",
            refused(
                messages
                    .send(MessageDraft::new("hi").from("US1").to("+15555550123"))
                    .await,
            ),
        ),
        (
            "phone_numbers",
            refused(
                conversations
                    .list()
                    .phone_numbers(["US1"])
                    .collect_all()
                    .await,
            ),
        ),
        (
            "assign_to",
            refused(
                tasks
                    .create(
                        TaskDraft::on_conversation(CONVERSATION)
                            .title("t")
                            .assign_to("PN1"),
                    )
                    .await,
            ),
        ),
    ];
    for (i, (expected, field)) in cases.iter().enumerate() {
        assert_eq!(field, expected, "case {i}");
    }
    assert_eq!(anything.calls(), 0, "nothing was sent");
}
