//! Users, tasks, webhook subscriptions, call recordings and voicemails
//! through the SDK against the demo server: what comes back, that a read
//! after a write shows the write, and one `404` each with the area's own
//! error code from Quo's spec.

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use quo_api::types::WebhookEvent;
use quo_api_ext::tasks::{TaskChanges, TaskDraft};
use quo_api_ext::testing::{DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID};
use quo_api_ext::webhook_subscriptions::WebhookDraft;
use quo_api_ext::{Error, QuoClient};
use quo_tests::clients::{api_error, demo};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[tokio::test]
async fn users_list_in_pages_and_get_one() {
    let (server, client) = demo().await;
    let pages: Vec<_> = client
        .users()
        .list()
        .page_size(4)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items().len()).collect();
    assert_eq!(sizes, [4, 2]);
    let users: Vec<_> = pages
        .iter()
        .flat_map(|p| p.items().iter().cloned())
        .collect();
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    for number in client.phone_numbers().list().collect_all().await.unwrap() {
        for shared in &number.users {
            assert!(
                ids.contains(&shared.id.as_str()),
                "{} not listed",
                shared.id
            );
        }
    }
    let grace = client.users().get("USdemo0002").await.unwrap();
    assert_eq!(grace.email, "grace@example.com");
    assert_eq!(&grace, users.iter().find(|u| u.id == "USdemo0002").unwrap());
    assert_eq!(
        api_error(client.users().get("USnobody").await),
        (404, "1100404".into())
    );
    let queries: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/users")
        .filter_map(|r| r.query)
        .collect();
    assert!(queries[0].contains("maxResults=4"), "{queries:?}");
    assert!(queries[1].contains("pageToken="), "{queries:?}");
}

#[tokio::test]
async fn calls_have_recordings_and_missed_calls_a_voicemail() {
    let (_server, client) = demo().await;
    let calls = client.calls();
    let recordings = calls.recordings("ACcall0001").collect_all().await.unwrap();
    assert_eq!(recordings.len(), 1);
    assert_eq!(recordings[0].duration, Some(95));
    assert!(recordings[0].url.as_deref().unwrap().ends_with(".mp3"));
    // The missed call was not recorded, but left a voicemail.
    assert!(
        calls
            .recordings("ACcall0004")
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );
    let voicemail = calls.voicemail("ACcall0004").await.unwrap();
    assert!(voicemail.id.starts_with("VM"));
    assert_eq!(voicemail.duration, Some(23));
    assert!(voicemail.transcript.unwrap().contains("call me back"));
    assert_eq!(
        api_error(calls.voicemail("ACcall0001").await),
        (404, "1200404".into())
    );
    assert_eq!(
        api_error(calls.recordings("ACnope").collect_all().await),
        (404, "0900404".into())
    );
}

#[tokio::test]
async fn task_writes_show_in_the_next_read() {
    let (server, client) = demo().await;
    let tasks = client.tasks();
    let seeded = tasks.list().collect_all().await.unwrap();
    assert_eq!(seeded.len(), 5);
    let pages: Vec<_> = tasks
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let conversation = seeded
        .iter()
        .find_map(|t| t.conversation_id.clone())
        .expect("a seeded task on a conversation");

    let due = at("2026-05-04T09:30:00Z");
    let created = tasks
        .create(
            TaskDraft::on_call("ACcall0001")
                .title("Send the quote")
                .description("Two rooms")
                .assign_to("USdemo0002")
                .due(due),
        )
        .await
        .unwrap();
    assert!(created.task_id.starts_with("TK"));
    assert_eq!(
        created.phone_number_id.as_deref(),
        Some(DEMO_PHONE_NUMBER_ID)
    );
    assert_eq!(created.activity_id.as_deref(), Some("ACcall0001"));
    let id = created.task_id.as_str();
    let task = tasks.get(id).await.unwrap();
    assert_eq!(task.title.as_deref(), Some("Send the quote"));
    assert_eq!(task.assigned_to.as_deref(), Some("USdemo0002"));
    assert_eq!(task.due_date, Some(due));
    assert!(!task.completed);
    let listed = tasks.list().collect_all().await.unwrap();
    assert_eq!((listed.len(), listed[0].task_id.as_str()), (6, id));

    tasks
        .update(id, TaskChanges::new().title("Send the revised quote"))
        .await
        .unwrap();
    let task = tasks.get(id).await.unwrap();
    assert_eq!(task.title.as_deref(), Some("Send the revised quote"));
    assert_eq!(task.description.as_deref(), Some("Two rooms"));

    tasks.complete(id).await.unwrap();
    assert!(tasks.get(id).await.unwrap().completed);
    tasks.reopen(id).await.unwrap();
    assert!(!tasks.get(id).await.unwrap().completed);

    tasks.assign(id, "USdemo0001").await.unwrap();
    assert_eq!(
        tasks.get(id).await.unwrap().assigned_to.as_deref(),
        Some("USdemo0001")
    );
    tasks.unassign(id, "USdemo0001").await.unwrap();
    assert_eq!(tasks.get(id).await.unwrap().assigned_to, None);

    tasks.link_conversation(id, &conversation).await.unwrap();
    assert_eq!(
        tasks.get(id).await.unwrap().conversation_id,
        Some(conversation.clone())
    );
    tasks.unlink_conversation(id, &conversation).await.unwrap();
    assert_eq!(tasks.get(id).await.unwrap().conversation_id, None);

    let later = at("2026-05-11T16:00:00Z");
    tasks.change_due_date(id, later).await.unwrap();
    assert_eq!(tasks.get(id).await.unwrap().due_date, Some(later));
    let last = tasks.remove_due_date(id).await.unwrap();
    let task = tasks.get(id).await.unwrap();
    assert_eq!(task.due_date, None);
    assert_eq!(task.revision, last.revision);
    assert_ne!(last.revision, created.revision);

    tasks.delete(id).await.unwrap();
    assert_eq!(api_error(tasks.get(id).await), (404, "0600404".into()));
    assert_eq!(tasks.list().collect_all().await.unwrap().len(), 5);
    assert_eq!(
        api_error(tasks.complete("TKnope").await),
        (404, "0600404".into())
    );
    let writes: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {}", r.method, r.path.replace(id, "{id}")))
        .collect();
    assert_eq!(
        writes,
        [
            "POST /v1/tasks",
            "PUT /v1/tasks/{id}",
            "POST /v1/tasks/{id}/complete",
            "POST /v1/tasks/{id}/reopen",
            "POST /v1/tasks/{id}/assign",
            "POST /v1/tasks/{id}/unassign",
            "POST /v1/tasks/{id}/link-conversation",
            "POST /v1/tasks/{id}/unlink-conversation",
            "POST /v1/tasks/{id}/change-due-date",
            "POST /v1/tasks/{id}/remove-due-date",
            "DELETE /v1/tasks/{id}",
            "POST /v1/tasks/TKnope/complete",
        ]
    );
}

#[tokio::test]
async fn webhook_subscriptions_are_kept_listed_and_deleted() {
    let (server, client) = demo().await;
    let hooks = client.webhook_subscriptions();
    assert!(hooks.list().collect_all().await.unwrap().is_empty());
    let drafts = [
        WebhookDraft::new("https://example.com/quo/m", [WebhookEvent::MessageReceived])
            .label("inbox"),
        WebhookDraft::new("https://example.com/quo/c", [WebhookEvent::CallCompleted])
            .user_id("USdemo0002"),
        WebhookDraft::new(
            "https://example.com/quo/s",
            [WebhookEvent::CallSummaryCompleted],
        ),
        WebhookDraft::new(
            "https://example.com/quo/t",
            [WebhookEvent::CallTranscriptCompleted],
        ),
    ];
    let mut created = Vec::new();
    for draft in drafts {
        created.push(hooks.create(draft).await.unwrap());
    }
    let posted: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path)
        .collect();
    assert_eq!(
        posted,
        [
            "/v1/webhooks/messages",
            "/v1/webhooks/calls",
            "/v1/webhooks/call-summaries",
            "/v1/webhooks/call-transcripts",
        ]
    );
    let inbox = &created[0];
    assert_eq!(inbox.label.as_deref(), Some("inbox"));
    assert_eq!(inbox.url, "https://example.com/quo/m");
    assert_eq!(inbox.user_id, "USdemo0001");
    let key = inbox.key.expose();
    assert_eq!(key.len(), 44, "32 bytes in base64: {key}");
    assert_ne!(key, created[1].key.expose());
    assert_eq!(created[1].user_id, "USdemo0002");

    assert_eq!(hooks.get(&inbox.id).await.unwrap(), *inbox);
    assert_eq!(hooks.list().collect_all().await.unwrap(), created);
    let grace = hooks
        .list()
        .user_id("USdemo0002")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(grace, [created[1].clone()]);

    hooks.delete(&inbox.id).await.unwrap();
    assert_eq!(
        api_error(hooks.get(&inbox.id).await),
        (404, "0300404".into())
    );
    assert_eq!(hooks.list().collect_all().await.unwrap(), created[1..]);
}

#[tokio::test]
async fn the_same_requests_get_the_same_keys_and_ids_on_another_server() {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let (_server, client) = demo().await;
        let draft = WebhookDraft::new("https://example.com/quo", [WebhookEvent::MessageReceived]);
        let hook = client.webhook_subscriptions().create(draft).await.unwrap();
        let draft = TaskDraft::on_phone_number(DEMO_PHONE_NUMBER_ID)
            .title("Call back")
            .description("Today");
        let task = client.tasks().create(draft).await.unwrap();
        seen.push((hook.id, hook.key.expose().to_owned(), task.task_id));
    }
    assert_eq!(seen[0], seen[1]);
}

#[tokio::test]
async fn conversations_list_and_answer_their_verbs() {
    let (server, client) = demo().await;
    let conversations = client.conversations().list().collect_all().await.unwrap();
    assert!(!conversations.is_empty(), "the demo has activity");
    let first = &conversations[0];
    let read = client
        .conversations()
        .mark_as_read(&first.id)
        .await
        .unwrap();
    let done = client
        .conversations()
        .mark_as_done(&first.id)
        .await
        .unwrap();
    let open = client
        .conversations()
        .mark_as_open(&first.id)
        .await
        .unwrap();
    for answered in [&read, &done, &open] {
        assert_eq!(answered, first, "each verb answers the conversation");
    }
    let verbs: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path)
        .collect();
    assert_eq!(
        verbs,
        ["read", "done", "open"]
            .map(|verb| format!("/v1/conversations/{}/mark-as-{verb}", first.id))
    );
    assert_eq!(
        api_error(client.conversations().mark_as_done("CNnowhere").await),
        (404, "1000404".into())
    );
}

/// Every listing that filters on a user, walked whole with `user_id`
/// set: phone numbers, webhook subscriptions, conversations, messages and
/// calls, in that order.
async fn walk_every_user_filtered_listing(
    client: &QuoClient,
    user: &str,
) -> Vec<quo_api_ext::Result<()>> {
    let (pn, who) = (DEMO_PHONE_NUMBER_ID, DEMO_PARTICIPANT);
    vec![
        done(
            client
                .phone_numbers()
                .list()
                .user_id(user)
                .collect_all()
                .await,
        ),
        done(
            client
                .webhook_subscriptions()
                .list()
                .user_id(user)
                .collect_all()
                .await,
        ),
        done(
            client
                .conversations()
                .list()
                .user_id(user)
                .collect_all()
                .await,
        ),
        done(
            client
                .messages()
                .list(pn, [who])
                .user_id(user)
                .collect_all()
                .await,
        ),
        done(
            client
                .calls()
                .list(pn, who)
                .user_id(user)
                .collect_all()
                .await,
        ),
    ]
}

#[tokio::test]
async fn every_listing_checks_its_user_filter_the_same_way_and_sends_it_as_user_id() {
    let (server, client) = demo().await;
    // Not a user id (the spec's `^US(.*)$`; a bare `US` names no user):
    // refused, with nothing sent, by every listing.
    for bad in ["PNtoDbDhuz", "us123abc", " US123abc", "US"] {
        let fields: Vec<&str> = walk_every_user_filtered_listing(&client, bad)
            .await
            .into_iter()
            .map(|result| match result {
                Err(Error::InvalidInput { field, .. }) => field,
                other => panic!("{bad:?}: expected InvalidInput, got {other:?}"),
            })
            .collect();
        assert_eq!(fields, ["user_id"; 5], "{bad:?}");
    }
    assert_eq!(server.request_count(), 0);
    // A user id: sent as `userId` on every listing's request.
    for result in walk_every_user_filtered_listing(&client, "USdemo0002").await {
        result.unwrap();
    }
    let sent: Vec<(String, bool)> = server
        .requests()
        .iter()
        .map(|r| {
            let query = r.query.clone().unwrap_or_default();
            (
                r.path.clone(),
                query.split('&').any(|p| p == "userId=USdemo0002"),
            )
        })
        .collect();
    let paths: Vec<&str> = sent.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v1/phone-numbers",
            "/v1/webhooks",
            "/v1/conversations",
            "/v1/messages",
            "/v1/calls"
        ]
    );
    assert!(sent.iter().all(|(_, has)| *has), "{sent:?}");
}

/// A listing's result without its items.
fn done<T>(result: quo_api_ext::Result<Vec<T>>) -> quo_api_ext::Result<()> {
    result.map(|_| ())
}
