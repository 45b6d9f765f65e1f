//! Every resource handle through the SDK against a fresh demo server, one
//! test each: its `list()` walked with the one `List` builder, its
//! `get(id)`, and each write it offers, asserting what went over the wire
//! (method, path, the query parameters that matter, the JSON body of each
//! write) and what came back (the answer reflects the write, and a read
//! after it shows it).

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use quo_api_ext::contacts::{ContactChanges, ContactDraft, Upserted};
use quo_api_ext::messages::{DeliveryOutcome, MessageDraft};
use quo_api_ext::pagination::Page;
use quo_api_ext::tasks::{TaskChanges, TaskDraft};
use quo_api_ext::testing::{
    DEMO_PARTICIPANT, DEMO_PHONE_NUMBER, DEMO_PHONE_NUMBER_ID, DemoConfig, DemoServer,
    RecordedRequest,
};
use quo_api_ext::types::{MessageStatus, ProcessingStatus, WebhookStatus};
use quo_api_ext::webhook_subscriptions::{WebhookDraft, WebhookEvent};
use quo_tests::clients::{api_error, demo, demo_with};
use serde_json::{Value, json};

/// The requests the server received since the last look, which it then
/// forgets: so each step of a test sees only its own requests.
fn sent(server: &DemoServer) -> Vec<RecordedRequest> {
    let requests = server.requests();
    server.clear_requests();
    requests
}

/// `METHOD path` of each request.
fn routes(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// The one request a step sent, which must be `METHOD path`.
fn one(requests: Vec<RecordedRequest>, route: &str) -> RecordedRequest {
    assert_eq!(routes(&requests), [route]);
    requests.into_iter().next().unwrap()
}

/// A request's query, decoded, as sorted `(key, value)` pairs.
fn query(request: &RecordedRequest) -> Vec<(String, String)> {
    let mut pairs = request.query_pairs();
    pairs.sort();
    pairs
}

/// `expected` as [`query`] gives it.
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = expected
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// A write's JSON body.
fn body(request: &RecordedRequest) -> Value {
    request
        .body_json()
        .unwrap_or_else(|| panic!("a JSON body: {:?}", request.body))
}

/// Asserts a walk of `pages` sent one `GET path` per page with exactly
/// `filters` on each: the first without a page token, every next one with
/// the token the page before handed out, and none after the last.
fn assert_walk<T>(
    requests: &[RecordedRequest],
    path: &str,
    filters: &[(&str, &str)],
    pages: &[Page<T>],
) {
    assert_eq!(
        routes(requests),
        vec![format!("GET {path}"); pages.len()],
        "one request per page"
    );
    let mut token: Option<&str> = None;
    for (request, page) in requests.iter().zip(pages) {
        let mut expected = filters.to_vec();
        expected.extend(token.map(|t| ("pageToken", t)));
        assert_eq!(
            query(request),
            pairs(&expected),
            "{path}?{:?}",
            request.query
        );
        token = page.next_page_token();
    }
    assert_eq!(token, None, "the walk ends on the last page");
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn sizes<T>(pages: &[Page<T>]) -> Vec<usize> {
    pages.iter().map(Page::len).collect()
}

fn flatten<T: Clone>(pages: &[Page<T>]) -> Vec<T> {
    pages
        .iter()
        .flat_map(|p| p.items().iter().cloned())
        .collect()
}

#[tokio::test]
async fn contacts_list_get_and_every_write_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let contacts = client.contacts();
    let stored = server.dataset().contacts_value();

    // list(): the sources filter and the page size on every page.
    let from_csv = stored.iter().filter(|c| c["source"] == "csv").count();
    assert!(from_csv > 20, "more than one page of CSV contacts");
    let pages: Vec<_> = contacts
        .list()
        .sources(["csv"])
        .page_size(20)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(
        &sent(&server),
        "/v1/contacts",
        &[("sources", "csv"), ("maxResults", "20")],
        &pages,
    );
    let listed = flatten(&pages);
    assert_eq!(listed.len(), from_csv);
    assert!(listed.iter().all(|c| c.source.as_deref() == Some("csv")));

    // list(): external ids, one request at the default page size.
    let held = stored
        .iter()
        .find_map(|c| c["externalId"].as_str())
        .expect("a demo contact with an external id");
    let found: Vec<_> = contacts
        .list()
        .external_ids([held])
        .items()
        .try_collect()
        .await
        .unwrap();
    let request = one(sent(&server), "GET /v1/contacts");
    assert_eq!(
        query(&request),
        pairs(&[("externalIds", held), ("maxResults", "50")])
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].external_id.as_deref(), Some(held));

    // get(id)
    let first = &listed[0];
    let got = contacts.get(&first.id).await.unwrap();
    one(sent(&server), &format!("GET /v1/contacts/{}", first.id));
    assert_eq!(&got, first);

    // create: a custom field named as people see it is sent by its key.
    let created = contacts
        .create(
            ContactDraft::new("Ada")
                .last_name("Lovelace")
                .company("Analytical Engines")
                .email("work", "ada@example.com")
                .phone_number("mobile", "+15555550142")
                .external_id("crm-1815")
                .source("crm-sync")
                .custom_field("Deal Size", 1234.5),
        )
        .await
        .unwrap();
    let requests = sent(&server);
    assert_eq!(
        routes(&requests),
        ["GET /v1/contact-custom-fields", "POST /v1/contacts"]
    );
    assert_eq!(
        body(&requests[1]),
        json!({
            "defaultFields": {
                "firstName": "Ada",
                "lastName": "Lovelace",
                "company": "Analytical Engines",
                "emails": [{"name": "work", "value": "ada@example.com"}],
                "phoneNumbers": [{"name": "mobile", "value": "+15555550142"}],
            },
            "externalId": "crm-1815",
            "source": "crm-sync",
            "customFields": [{"key": "deal-size", "value": 1234.5}],
        })
    );
    let id = created.id.clone();
    let fields = &created.default_fields;
    assert_eq!(fields.first_name.as_deref(), Some("Ada"));
    assert_eq!(fields.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(fields.emails[0].value.as_deref(), Some("ada@example.com"));
    assert_eq!(created.external_id.as_deref(), Some("crm-1815"));
    assert_eq!(contacts.get(&id).await.unwrap(), created);
    sent(&server);

    // update: what the change names, and every email it does not name
    // sent back with its id so Quo keeps it.
    let work_email = fields.emails[0]
        .id
        .clone()
        .expect("a stored email has an id");
    let updated = contacts
        .update(
            &id,
            ContactChanges::new()
                .role("Mathematician")
                .add_email("home", "ada@home.example"),
        )
        .await
        .unwrap();
    let requests = sent(&server);
    let path = format!("/v1/contacts/{id}");
    assert_eq!(
        routes(&requests),
        [format!("GET {path}"), format!("PATCH {path}")]
    );
    let patch = body(&requests[1]);
    assert_eq!(patch["defaultFields"]["role"], "Mathematician");
    assert_eq!(
        patch["defaultFields"]["emails"],
        json!([
            {"id": work_email, "name": "work", "value": "ada@example.com"},
            {"name": "home", "value": "ada@home.example"},
        ])
    );
    for unchanged in ["firstName", "lastName", "company"] {
        assert!(
            patch["defaultFields"].get(unchanged).is_none(),
            "{unchanged} not sent: {patch}"
        );
    }
    assert!(patch.get("externalId").is_none(), "{patch}");
    let emails: Vec<_> = updated
        .default_fields
        .emails
        .iter()
        .map(|e| e.value.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(emails, ["ada@example.com", "ada@home.example"]);
    assert_eq!(
        updated.default_fields.role.as_deref(),
        Some("Mathematician")
    );
    assert_eq!(
        updated.default_fields.last_name.as_deref(),
        Some("Lovelace")
    );
    assert_eq!(contacts.get(&id).await.unwrap(), updated);
    sent(&server);

    // find_by_external_id: one listing by that id.
    let by_external = contacts.find_by_external_id("crm-1815").await.unwrap();
    assert_eq!(by_external.as_ref(), Some(&updated));
    let request = one(sent(&server), "GET /v1/contacts");
    assert_eq!(
        query(&request),
        pairs(&[("externalIds", "crm-1815"), ("maxResults", "50")])
    );

    // upsert_by_external_id, three ways: a new id is created, a known id
    // updated with what differs, and a contact already as asked untouched.
    let draft = ContactDraft::new("Grace")
        .role("Admiral")
        .external_id("crm-1906");
    let upserted = contacts.upsert_by_external_id(draft).await.unwrap();
    let requests = sent(&server);
    assert_eq!(routes(&requests), ["GET /v1/contacts", "POST /v1/contacts"]);
    assert_eq!(
        query(&requests[0]),
        pairs(&[("externalIds", "crm-1906"), ("maxResults", "50")])
    );
    assert_eq!(
        body(&requests[1]),
        json!({"defaultFields": {"firstName": "Grace", "role": "Admiral"}, "externalId": "crm-1906"})
    );
    let Upserted::Created(grace) = upserted else {
        panic!("created: {upserted:?}")
    };
    assert_eq!(grace.external_id.as_deref(), Some("crm-1906"));

    let draft = ContactDraft::new("Ada")
        .company("Babbage & Co")
        .email("work", "ada@example.com")
        .external_id("crm-1815");
    let upserted = contacts.upsert_by_external_id(draft.clone()).await.unwrap();
    let requests = sent(&server);
    assert_eq!(
        routes(&requests),
        ["GET /v1/contacts".to_owned(), format!("PATCH {path}")]
    );
    let patch = body(&requests[1]);
    assert_eq!(patch["defaultFields"]["company"], "Babbage & Co");
    assert!(patch["defaultFields"].get("firstName").is_none(), "{patch}");
    assert_eq!(
        patch["defaultFields"]["emails"].as_array().map(Vec::len),
        Some(2),
        "the email already held is not added twice, the other kept: {patch}"
    );
    let Upserted::Updated(ada) = upserted else {
        panic!("updated: {upserted:?}")
    };
    assert_eq!(ada.id, id);
    assert_eq!(ada.default_fields.company.as_deref(), Some("Babbage & Co"));
    assert_eq!(ada.default_fields.role.as_deref(), Some("Mathematician"));

    let upserted = contacts.upsert_by_external_id(draft).await.unwrap();
    one(sent(&server), "GET /v1/contacts");
    assert_eq!(upserted, Upserted::Unchanged(ada.clone()));

    // sync: one read for every row's external id, then one write per row
    // that differs; a dry run sends the same read and no write.
    let rows = [
        ContactDraft::new("Grace")
            .role("Rear Admiral")
            .external_id("crm-1906"),
        ContactDraft::new("Alan")
            .last_name("Turing")
            .external_id("crm-1912"),
    ];
    let plan = contacts.sync(rows.clone()).dry_run().run().await;
    let request = one(sent(&server), "GET /v1/contacts");
    assert_eq!(
        query(&request),
        pairs(&[
            ("externalIds", "crm-1906"),
            ("externalIds", "crm-1912"),
            ("maxResults", "50"),
        ])
    );
    assert_eq!(
        (
            plan.summary.updated,
            plan.summary.created,
            plan.summary.writes
        ),
        (1, 1, 0)
    );
    let report = contacts.sync(rows).run().await;
    let mut requests = sent(&server);
    requests.sort_by(|a, b| a.method.cmp(&b.method));
    assert_eq!(
        routes(&requests),
        [
            "GET /v1/contacts".to_owned(),
            format!("PATCH /v1/contacts/{}", grace.id),
            "POST /v1/contacts".to_owned(),
        ]
    );
    let patch = body(&requests[1]);
    assert_eq!(patch["defaultFields"]["role"], "Rear Admiral");
    assert!(patch["defaultFields"].get("firstName").is_none(), "{patch}");
    assert_eq!(
        body(&requests[2]),
        json!({"defaultFields": {"firstName": "Alan", "lastName": "Turing"}, "externalId": "crm-1912"})
    );
    assert_eq!(
        (
            report.summary.updated,
            report.summary.created,
            report.summary.writes
        ),
        (1, 1, 2)
    );
    let grace = report.outcomes[0].contact.clone().unwrap();
    assert_eq!(grace.default_fields.role.as_deref(), Some("Rear Admiral"));
    let alan = report.outcomes[1].contact.clone().unwrap();
    assert_eq!(
        contacts.find_by_external_id("crm-1912").await.unwrap(),
        Some(alan)
    );
    sent(&server);

    // delete
    contacts.delete(&id).await.unwrap();
    let request = one(sent(&server), &format!("DELETE {path}"));
    assert_eq!(request.body, "");
    assert_eq!(api_error(contacts.get(&id).await), (404, "0800404".into()));
    assert_eq!(
        contacts.find_by_external_id("crm-1815").await.unwrap(),
        None
    );
    assert_eq!(
        contacts.find_by_external_id("crm-1906").await.unwrap(),
        Some(grace)
    );
}

#[tokio::test]
async fn calls_list_get_and_every_read_of_a_call_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let calls = client.calls();

    // list(): the number and the one participant on every page.
    let pages: Vec<_> = calls
        .list(DEMO_PHONE_NUMBER_ID, DEMO_PARTICIPANT)
        .page_size(4)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(
        &sent(&server),
        "/v1/calls",
        &[
            ("phoneNumberId", DEMO_PHONE_NUMBER_ID),
            ("participants", DEMO_PARTICIPANT),
            ("maxResults", "4"),
        ],
        &pages,
    );
    assert_eq!(sizes(&pages), [4, 4, 1]);
    let listed = flatten(&pages);
    for call in &listed {
        assert_eq!(call.phone_number_id, DEMO_PHONE_NUMBER_ID);
        assert!(call.participants.iter().any(|p| p == DEMO_PARTICIPANT));
    }
    assert!(
        listed
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at),
        "newest first"
    );

    // list(): the creation window and the user.
    let week_ago = Utc::now() - chrono::Duration::days(7);
    let recent = calls
        .list(DEMO_PHONE_NUMBER_ID, DEMO_PARTICIPANT)
        .created_after(week_ago)
        .user_id("USdemo0001")
        .collect_all()
        .await
        .unwrap();
    let request = one(sent(&server), "GET /v1/calls");
    let sent_after = request
        .query_pairs()
        .into_iter()
        .find(|(k, _)| k == "createdAfter")
        .map(|(_, v)| at(&v));
    assert_eq!(sent_after, Some(week_ago));
    let user = request
        .query_pairs()
        .into_iter()
        .find(|(k, _)| k == "userId");
    assert_eq!(user, Some(("userId".into(), "USdemo0001".into())));
    assert_eq!(recent.len(), 3);
    assert_eq!(recent[..], listed[..3]);

    // get(id)
    let call = calls.get("ACcall0001").await.unwrap();
    one(sent(&server), "GET /v1/calls/ACcall0001");
    assert_eq!(&call, listed.iter().find(|c| c.id == "ACcall0001").unwrap());
    assert_eq!(call.duration, 95);

    // The reads of one call, each at its own path.
    let recordings = calls.recordings("ACcall0001").collect_all().await.unwrap();
    one(sent(&server), "GET /v1/call-recordings/ACcall0001");
    assert_eq!(recordings.len(), 1);
    assert_eq!(recordings[0].duration, Some(95));

    let summary = calls.summary("ACcall0001").await.unwrap();
    one(sent(&server), "GET /v1/call-summaries/ACcall0001");
    assert_eq!(summary.call_id, "ACcall0001");
    assert_eq!(summary.status, ProcessingStatus::Completed);
    assert_eq!(summary.summary, ["The call was about the revised quote."]);

    let transcript = calls.transcript("ACcall0001").await.unwrap();
    one(sent(&server), "GET /v1/call-transcripts/ACcall0001");
    assert_eq!(transcript.status, ProcessingStatus::Completed);
    assert_eq!(transcript.dialogue.len(), 4);
    assert_eq!(transcript.duration, 95.0);

    let newest = calls.summary(&listed[0].id).await.unwrap();
    sent(&server);
    assert_eq!(newest.status, ProcessingStatus::InProgress);

    let voicemail = calls.voicemail("ACcall0004").await.unwrap();
    one(sent(&server), "GET /v1/call-voicemails/ACcall0004");
    assert_eq!(voicemail.id, "VMcall0004");
    assert_eq!(voicemail.duration, Some(23));

    assert_eq!(
        api_error(calls.get("ACnope").await),
        (404, "0100404".into())
    );
    assert!(server.requests().iter().all(|r| r.method == "GET"));
}

#[tokio::test]
async fn messages_list_get_and_send_go_over_the_wire_as_built() {
    let config = DemoConfig::default().with_delivery_step(Duration::from_millis(20));
    let (server, client) = demo_with(config).await;
    let messages = client.messages();

    // list(): the number and the participants on every page.
    let pages: Vec<_> = messages
        .list(DEMO_PHONE_NUMBER_ID, [DEMO_PARTICIPANT])
        .page_size(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(
        &sent(&server),
        "/v1/messages",
        &[
            ("phoneNumberId", DEMO_PHONE_NUMBER_ID),
            ("participants", DEMO_PARTICIPANT),
            ("maxResults", "3"),
        ],
        &pages,
    );
    assert_eq!(sizes(&pages), [3, 1]);
    let listed = flatten(&pages);
    let conversation = listed[0].conversation_id.clone();
    assert!(listed.iter().all(|m| m.conversation_id == conversation));

    // get(id)
    let got = messages.get(&listed[1].id).await.unwrap();
    one(sent(&server), &format!("GET /v1/messages/{}", listed[1].id));
    assert_eq!(got, listed[1]);

    // send: every field the draft names, and nothing else.
    let message = messages
        .send(
            MessageDraft::new("10am it is, see you then.")
                .from(DEMO_PHONE_NUMBER_ID)
                .to(DEMO_PARTICIPANT)
                .user_id("USdemo0002")
                .mark_done(),
        )
        .await
        .unwrap();
    let request = one(sent(&server), "POST /v1/messages");
    assert_eq!(
        body(&request),
        json!({
            "content": "10am it is, see you then.",
            "from": DEMO_PHONE_NUMBER_ID,
            "to": [DEMO_PARTICIPANT],
            "userId": "USdemo0002",
            "setInboxStatus": "done",
        })
    );
    assert_eq!(message.text, "10am it is, see you then.");
    assert_eq!(message.from, DEMO_PHONE_NUMBER);
    assert_eq!(message.to, [DEMO_PARTICIPANT]);
    assert_eq!(message.user_id, "USdemo0002");
    assert_eq!(message.status, MessageStatus::Queued);
    assert_eq!(message.conversation_id, conversation);

    // A read after the send shows it: first in its conversation, then
    // delivered.
    let newest = messages
        .list(DEMO_PHONE_NUMBER_ID, [DEMO_PARTICIPANT])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(newest.len(), listed.len() + 1);
    assert_eq!(newest[0].id, message.id);
    let graces = messages
        .list(DEMO_PHONE_NUMBER_ID, [DEMO_PARTICIPANT])
        .user_id("USdemo0002")
        .collect_all()
        .await
        .unwrap();
    let requests = sent(&server);
    assert_eq!(
        query(&requests[1]),
        pairs(&[
            ("phoneNumberId", DEMO_PHONE_NUMBER_ID),
            ("participants", DEMO_PARTICIPANT),
            ("userId", "USdemo0002"),
            ("maxResults", "100"),
        ])
    );
    assert_eq!(graces.len(), 1);
    assert_eq!(graces[0].id, message.id);
    let settled = messages
        .wait(&message.id)
        .poll_interval(Duration::from_millis(10))
        .send()
        .await
        .unwrap();
    assert_eq!(settled.outcome, DeliveryOutcome::Delivered);
    assert_eq!(settled.message.status, MessageStatus::Delivered);
    assert_eq!(settled.message.text, message.text);
    let polls = sent(&server);
    assert_eq!(polls.len(), settled.polls as usize);
    assert!(
        routes(&polls)
            .iter()
            .all(|r| *r == format!("GET /v1/messages/{}", message.id))
    );
}

#[tokio::test]
async fn conversations_list_and_every_verb_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let conversations = client.conversations();

    // list(): the numbers filter on every page.
    let pages: Vec<_> = conversations
        .list()
        .phone_numbers([DEMO_PHONE_NUMBER_ID])
        .page_size(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(
        &sent(&server),
        "/v1/conversations",
        &[("phoneNumbers", DEMO_PHONE_NUMBER_ID), ("maxResults", "1")],
        &pages,
    );
    assert_eq!(sizes(&pages), [1, 1]);
    let on_main = flatten(&pages);
    assert!(
        on_main
            .iter()
            .all(|c| c.phone_number_id == DEMO_PHONE_NUMBER_ID)
    );
    let with_participant = on_main
        .iter()
        .find(|c| c.participants == [DEMO_PARTICIPANT])
        .expect("the main number's conversation with the demo participant");

    // list(): no filter, every number, most recent activity first.
    let all = conversations.list().collect_all().await.unwrap();
    let request = one(sent(&server), "GET /v1/conversations");
    assert_eq!(query(&request), pairs(&[("maxResults", "100")]));
    assert_eq!(all.len(), 3);
    assert!(
        all.windows(2)
            .all(|w| w[0].last_activity_at >= w[1].last_activity_at)
    );
    for conversation in &on_main {
        assert!(all.contains(conversation), "{}", conversation.id);
    }

    // list(): the activity window and inactive conversations left out.
    let latest = all[0].updated_at.expect("an updated time");
    let since = latest - chrono::Duration::minutes(1);
    let until = latest + chrono::Duration::minutes(1);
    let recent = conversations
        .list()
        .updated_after(since)
        .updated_before(until)
        .exclude_inactive(true)
        .collect_all()
        .await
        .unwrap();
    let request = one(sent(&server), "GET /v1/conversations");
    let mut keys: Vec<String> = request.query_pairs().into_iter().map(|(k, _)| k).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "excludeInactive",
            "maxResults",
            "updatedAfter",
            "updatedBefore"
        ]
    );
    let value = |key: &str| {
        request
            .query_pairs()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .unwrap()
    };
    assert_eq!(value("excludeInactive"), "true");
    assert_eq!(at(&value("updatedAfter")), since);
    assert_eq!(at(&value("updatedBefore")), until);
    assert_eq!(recent, all[..1]);

    // Each verb: a POST without a body to its own path, answering the
    // conversation.
    let id = &with_participant.id;
    let read = conversations.mark_as_read(id).await.unwrap();
    let done = conversations.mark_as_done(id).await.unwrap();
    let open = conversations.mark_as_open(id).await.unwrap();
    let requests = sent(&server);
    assert_eq!(
        routes(&requests),
        ["read", "done", "open"].map(|verb| format!("POST /v1/conversations/{id}/mark-as-{verb}"))
    );
    assert!(requests.iter().all(|r| r.body.is_empty()));
    for answered in [&read, &done, &open] {
        assert_eq!(answered, with_participant);
    }
    assert_eq!(
        api_error(conversations.mark_as_read("CNnowhere").await),
        (404, "1000404".into())
    );
}

#[tokio::test]
async fn phone_numbers_list_and_get_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let numbers = client.phone_numbers();

    // list(): one page, whatever the page size, with no paging parameter.
    let pages: Vec<_> = numbers
        .list()
        .page_size(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(&sent(&server), "/v1/phone-numbers", &[], &pages);
    assert_eq!(sizes(&pages), [2]);
    let listed = flatten(&pages);
    assert_eq!(listed[0].id, DEMO_PHONE_NUMBER_ID);
    assert_eq!(listed[0].number, DEMO_PHONE_NUMBER);

    // list(): one user's numbers.
    let graces = numbers
        .list()
        .user_id("USdemo0002")
        .collect_all()
        .await
        .unwrap();
    let request = one(sent(&server), "GET /v1/phone-numbers");
    assert_eq!(query(&request), pairs(&[("userId", "USdemo0002")]));
    assert!(!graces.is_empty());
    for number in &graces {
        assert!(number.users.iter().any(|u| u.id == "USdemo0002"));
        assert!(listed.contains(number));
    }
    let shared: Vec<_> = listed
        .iter()
        .filter(|n| n.users.iter().any(|u| u.id == "USdemo0002"))
        .collect();
    assert_eq!(graces.iter().collect::<Vec<_>>(), shared);

    // get(id)
    let main = numbers.get(DEMO_PHONE_NUMBER_ID).await.unwrap();
    one(
        sent(&server),
        &format!("GET /v1/phone-numbers/{DEMO_PHONE_NUMBER_ID}"),
    );
    assert_eq!(main, listed[0]);
    let second = numbers.get(&listed[1].id).await.unwrap();
    assert_eq!(second, listed[1]);
}

#[tokio::test]
async fn users_list_and_get_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let users = client.users();

    // list(): the page size on every page.
    let pages: Vec<_> = users
        .list()
        .page_size(4)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(&sent(&server), "/v1/users", &[("maxResults", "4")], &pages);
    assert_eq!(sizes(&pages), [4, 2]);
    let listed = flatten(&pages);

    // list(): items at the default page size, one request.
    let all: Vec<_> = users.list().items().try_collect().await.unwrap();
    let request = one(sent(&server), "GET /v1/users");
    assert_eq!(query(&request), pairs(&[("maxResults", "50")]));
    assert_eq!(all, listed);

    // get(id)
    let grace = users.get("USdemo0002").await.unwrap();
    one(sent(&server), "GET /v1/users/USdemo0002");
    assert_eq!(grace.email, "grace@example.com");
    assert_eq!(grace.first_name.as_deref(), Some("Grace"));
    assert_eq!(
        &grace,
        listed.iter().find(|u| u.id == "USdemo0002").unwrap()
    );
}

#[tokio::test]
async fn tasks_list_get_and_every_write_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let tasks = client.tasks();

    // list(): the page size on every page.
    let pages: Vec<_> = tasks
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_walk(&sent(&server), "/v1/tasks", &[("maxResults", "2")], &pages);
    assert_eq!(sizes(&pages), [2, 2, 1]);
    let seeded = flatten(&pages);
    let conversation = seeded
        .iter()
        .find_map(|t| t.conversation_id.clone())
        .expect("a seeded task on a conversation");

    // get(id)
    let got = tasks.get(&seeded[2].task_id).await.unwrap();
    one(
        sent(&server),
        &format!("GET /v1/tasks/{}", seeded[2].task_id),
    );
    assert_eq!(got, seeded[2]);

    // create: the subject, title, description, assignee and due date.
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
    let request = one(sent(&server), "POST /v1/tasks");
    assert_eq!(
        body(&request),
        json!({
            "activityId": "ACcall0001",
            "title": "Send the quote",
            "description": "Two rooms",
            "assignedTo": "USdemo0002",
            "dueDate": "2026-05-04T09:30:00Z",
        })
    );
    assert_eq!(created.activity_id.as_deref(), Some("ACcall0001"));
    assert_eq!(
        created.phone_number_id.as_deref(),
        Some(DEMO_PHONE_NUMBER_ID)
    );
    assert_eq!(created.revision, "1");
    let id = created.task_id.clone();
    let path = format!("/v1/tasks/{id}");
    let task = tasks.get(&id).await.unwrap();
    assert_eq!(task.title.as_deref(), Some("Send the quote"));
    assert_eq!(task.assigned_to.as_deref(), Some("USdemo0002"));
    assert_eq!(task.due_date, Some(due));
    let listed = tasks.list().collect_all().await.unwrap();
    assert_eq!(listed.len(), seeded.len() + 1);
    assert_eq!(listed[0], task);
    sent(&server);

    // update naming only the title: Quo's PUT replaces both, so the
    // description is read and sent back as it is.
    let revised = tasks
        .update(&id, TaskChanges::new().title("Send the revised quote"))
        .await
        .unwrap();
    let requests = sent(&server);
    assert_eq!(
        routes(&requests),
        [format!("GET {path}"), format!("PUT {path}")]
    );
    assert_eq!(
        body(&requests[1]),
        json!({"title": "Send the revised quote", "description": "Two rooms"})
    );
    assert_eq!(
        (revised.task_id.as_str(), revised.revision.as_str()),
        (id.as_str(), "2")
    );
    let task = tasks.get(&id).await.unwrap();
    assert_eq!(task.title.as_deref(), Some("Send the revised quote"));
    assert_eq!(task.description.as_deref(), Some("Two rooms"));
    sent(&server);

    // update naming both: one PUT, no read first.
    tasks
        .update(
            &id,
            TaskChanges::new()
                .title("Send the final quote")
                .description("Three rooms"),
        )
        .await
        .unwrap();
    let request = one(sent(&server), &format!("PUT {path}"));
    assert_eq!(
        body(&request),
        json!({"title": "Send the final quote", "description": "Three rooms"})
    );
    let task = tasks.get(&id).await.unwrap();
    assert_eq!(task.description.as_deref(), Some("Three rooms"));
    sent(&server);

    // Each verb: its path, its body, the task's next revision, and the
    // change in the next read.
    let mut revision = 4;
    let mut verb = async |name: &str, answer: quo_api_ext::Result<_>, wire: Option<Value>| {
        let answer: quo_api_ext::types::TaskRevision = answer.unwrap();
        let request = one(sent(&server), &format!("POST {path}/{name}"));
        match wire {
            Some(expected) => assert_eq!(body(&request), expected, "{name}"),
            None => assert_eq!(request.body, "", "{name} sends no body"),
        }
        assert_eq!(answer.task_id, id, "{name}");
        assert_eq!(answer.revision, revision.to_string(), "{name}");
        revision += 1;
        let task = tasks.get(&id).await.unwrap();
        sent(&server);
        assert_eq!(task.revision, answer.revision, "{name}");
        task
    };
    let task = verb("complete", tasks.complete(&id).await, None).await;
    assert!(task.completed);
    let task = verb("reopen", tasks.reopen(&id).await, None).await;
    assert!(!task.completed);
    let task = verb(
        "assign",
        tasks.assign(&id, "USdemo0001").await,
        Some(json!({"userId": "USdemo0001"})),
    )
    .await;
    assert_eq!(task.assigned_to.as_deref(), Some("USdemo0001"));
    let task = verb(
        "unassign",
        tasks.unassign(&id, "USdemo0001").await,
        Some(json!({"userId": "USdemo0001"})),
    )
    .await;
    assert_eq!(task.assigned_to, None);
    let task = verb(
        "link-conversation",
        tasks.link_conversation(&id, &conversation).await,
        Some(json!({"conversationId": conversation})),
    )
    .await;
    assert_eq!(task.conversation_id.as_ref(), Some(&conversation));
    let task = verb(
        "unlink-conversation",
        tasks.unlink_conversation(&id, &conversation).await,
        Some(json!({"conversationId": conversation})),
    )
    .await;
    assert_eq!(task.conversation_id, None);
    let later = at("2026-05-11T16:00:00Z");
    let task = verb(
        "change-due-date",
        tasks.change_due_date(&id, later).await,
        Some(json!({"dueDate": "2026-05-11T16:00:00Z"})),
    )
    .await;
    assert_eq!(task.due_date, Some(later));
    let task = verb("remove-due-date", tasks.remove_due_date(&id).await, None).await;
    assert_eq!(task.due_date, None);
    assert_eq!(task.title.as_deref(), Some("Send the final quote"));

    // delete
    tasks.delete(&id).await.unwrap();
    let request = one(sent(&server), &format!("DELETE {path}"));
    assert_eq!(request.body, "");
    assert_eq!(api_error(tasks.get(&id).await), (404, "0600404".into()));
    assert_eq!(tasks.list().collect_all().await.unwrap(), seeded);
}

#[tokio::test]
async fn webhook_subscriptions_list_get_create_and_delete_go_over_the_wire_as_built() {
    let (server, client) = demo().await;
    let hooks = client.webhook_subscriptions();
    assert!(hooks.list().collect_all().await.unwrap().is_empty());
    one(sent(&server), "GET /v1/webhooks");

    // create: the endpoint chosen from the events' family, and every field
    // the draft names in the body.
    let inbox = hooks
        .create(
            WebhookDraft::new(
                "https://example.com/quo/messages",
                [
                    WebhookEvent::MessageReceived,
                    WebhookEvent::MessageDelivered,
                ],
            )
            .label("inbox")
            .resource_ids([DEMO_PHONE_NUMBER_ID])
            .user_id("USdemo0002")
            .disabled(),
        )
        .await
        .unwrap();
    let request = one(sent(&server), "POST /v1/webhooks/messages");
    assert_eq!(
        body(&request),
        json!({
            "url": "https://example.com/quo/messages",
            "events": ["message.received", "message.delivered"],
            "label": "inbox",
            "resourceIds": [DEMO_PHONE_NUMBER_ID],
            "userId": "USdemo0002",
            "status": "disabled",
        })
    );
    assert_eq!(inbox.url, "https://example.com/quo/messages");
    assert_eq!(
        inbox.events,
        [
            WebhookEvent::MessageReceived,
            WebhookEvent::MessageDelivered
        ]
    );
    assert_eq!(inbox.label.as_deref(), Some("inbox"));
    assert_eq!(inbox.resource_ids, [DEMO_PHONE_NUMBER_ID]);
    assert_eq!(inbox.user_id, "USdemo0002");
    assert_eq!(inbox.status, WebhookStatus::Disabled);

    // A draft naming only the url and events sends only those.
    let families = [
        (
            WebhookDraft::named(
                "https://example.com/quo/calls",
                ["call.completed", "call.ringing"],
            ),
            "calls",
            json!(["call.completed", "call.ringing"]),
        ),
        (
            WebhookDraft::new(
                "https://example.com/quo/summaries",
                [WebhookEvent::CallSummaryCompleted],
            ),
            "call-summaries",
            json!(["call.summary.completed"]),
        ),
        (
            WebhookDraft::new(
                "https://example.com/quo/transcripts",
                [WebhookEvent::CallTranscriptCompleted],
            ),
            "call-transcripts",
            json!(["call.transcript.completed"]),
        ),
    ];
    let mut created = vec![inbox.clone()];
    for (draft, endpoint, events) in families {
        let hook = hooks.create(draft).await.unwrap();
        let request = one(sent(&server), &format!("POST /v1/webhooks/{endpoint}"));
        assert_eq!(
            body(&request),
            json!({"url": hook.url, "events": events}),
            "{endpoint}"
        );
        assert_eq!(hook.status, WebhookStatus::Enabled, "{endpoint}");
        assert_eq!(hook.user_id, "USdemo0001", "{endpoint}: the key's owner");
        created.push(hook);
    }

    // list(): all of them, in one request, then one user's.
    let pages: Vec<_> = hooks.list().pages().try_collect().await.unwrap();
    assert_walk(&sent(&server), "/v1/webhooks", &[], &pages);
    assert_eq!(flatten(&pages), created);
    let graces = hooks
        .list()
        .user_id("USdemo0002")
        .collect_all()
        .await
        .unwrap();
    let request = one(sent(&server), "GET /v1/webhooks");
    assert_eq!(query(&request), pairs(&[("userId", "USdemo0002")]));
    assert_eq!(graces, std::slice::from_ref(&inbox));

    // get(id)
    let got = hooks.get(&inbox.id).await.unwrap();
    one(sent(&server), &format!("GET /v1/webhooks/{}", inbox.id));
    assert_eq!(got, inbox);
    assert_eq!(got.key.expose(), inbox.key.expose());

    // delete
    hooks.delete(&inbox.id).await.unwrap();
    let request = one(sent(&server), &format!("DELETE /v1/webhooks/{}", inbox.id));
    assert_eq!(request.body, "");
    assert_eq!(
        api_error(hooks.get(&inbox.id).await),
        (404, "0300404".into())
    );
    assert_eq!(hooks.list().collect_all().await.unwrap(), created[1..]);
}

#[tokio::test]
async fn custom_field_definitions_are_read_once_and_again_only_on_refresh() {
    let (server, client) = demo().await;
    let definitions = client.custom_field_definitions();

    // list(): the one `List` builder, walked as one page.
    let listed = definitions.list().collect_all().await.unwrap();
    let request = one(sent(&server), "GET /v1/contact-custom-fields");
    assert_eq!(request.query, None);
    let keys: Vec<&str> = listed.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "product-interest",
            "billing-address",
            "account-manager",
            "website",
            "newsletter-opt-in",
            "next-follow-up",
            "deal-size",
        ]
    );

    // The lookups answer from what was read: nothing is sent.
    let deal = definitions.by_name("deal size").await.unwrap().unwrap();
    assert_eq!(
        (deal.name.as_str(), deal.key.as_str()),
        ("Deal Size", "deal-size")
    );
    let website = definitions.by_key("website").await.unwrap().unwrap();
    assert_eq!(website.name, "Website");
    assert_eq!(definitions.by_key("region").await.unwrap(), None);
    assert!(sent(&server).is_empty(), "answered from the first read");

    // A definition added in Quo's app is seen after a refresh, not before.
    server.set_custom_field_definitions([
        ("Deal Size", "deal-size", "number"),
        ("Region", "region", "string"),
    ]);
    assert_eq!(definitions.by_name("Region").await.unwrap(), None);
    assert!(sent(&server).is_empty());
    definitions.refresh().await.unwrap();
    one(sent(&server), "GET /v1/contact-custom-fields");
    let region = definitions.by_name("Region").await.unwrap().unwrap();
    assert_eq!(region.key, "region");
    assert_eq!(definitions.by_key("website").await.unwrap(), None);
    assert!(sent(&server).is_empty());
    // list(): from the refreshed cache, with nothing sent.
    let listed = definitions.list().collect_all().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Deal Size", "Region"]);
    assert!(sent(&server).is_empty(), "the list is the cache");
}
