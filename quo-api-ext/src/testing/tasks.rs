//! The demo workspace's tasks, kept in memory: `GET /v1/tasks` (newest
//! first, paged with `maxResults` 1..=100 and opaque `pageToken`s),
//! `GET`/`PUT`/`DELETE /v1/tasks/{taskId}`, `POST /v1/tasks` and the task
//! verbs (`complete`, `reopen`, `assign`, `unassign`, `link-conversation`,
//! `unlink-conversation`, `change-due-date`, `remove-due-date`).
//!
//! A few tasks are seeded from the dataset's generator on the demo calls,
//! conversation and main number, the same on every run. Writes answer as
//! Quo does, with the task's new revision rather than the task (a create
//! adds the number the task belongs to), so a test reads the task again to
//! see the change. Bodies are checked as the spec describes them (required
//! strings, `^PN`/`^CN`/`^AC`/`^US` ids, RFC 3339 `dueDate`, no unknown
//! property where the spec forbids them): a bad one is `400` `0600400`, an
//! unknown task `404` `0600404`.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::dataset::DEMO_SEED;
use super::errors::{self, BodyFieldError, Service};
use super::phone_numbers::{DEMO_PARTICIPANT, DEMO_PHONE_NUMBER_ID, GROUP_ID, USERS};
use super::prng::{DemoRng, mix64};
use super::reply::Reply;

/// Largest `maxResults` the spec allows for tasks.
const MAX_RESULTS: u64 = 100;

/// The workspace every demo task belongs to.
const ORG_ID: &str = "ORdemo0001";

/// What the seeded tasks are about.
const TITLES: [(&str, &str); 5] = [
    (
        "Call back about the install",
        "They asked to move it to 10am.",
    ),
    (
        "Send the revised quote",
        "Two rooms, with the discount agreed.",
    ),
    (
        "Check the warranty terms",
        "Customer asked whether parts are covered.",
    ),
    ("Book a site visit", "Any weekday morning works for them."),
    (
        "Follow up on the billing question",
        "Refund the duplicate charge.",
    ),
];

/// Maps a task subject's id (`PN...`, `CN...` or `AC...`) to the id of the
/// workspace number it belongs to, or `None` when it names nothing known.
pub(crate) type Resolve<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The tasks, newest first, and what makes new ids and page tokens.
#[derive(Debug)]
struct State {
    tasks: Vec<Value>,
    /// Tasks created so far (seeded ones included): the next id's number.
    made: u64,
    /// Changes with every create and delete, so page tokens handed out
    /// before one are refused after it.
    generation: u64,
}

/// The demo workspace's tasks.
#[derive(Debug)]
pub(crate) struct TaskStore {
    state: Mutex<State>,
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The id of the `n`th task made: deterministic, so runs agree.
fn task_id(n: u64) -> String {
    format!("TK{:016x}", mix64(DEMO_SEED ^ 0x7A5C ^ n))
}

impl TaskStore {
    /// The seeded tasks, created before `start`; `conversation` is the
    /// main number's conversation with [`DEMO_PARTICIPANT`].
    pub(crate) fn seeded(start: DateTime<Utc>) -> Self {
        let conversation =
            super::messages::conversation_id(DEMO_PHONE_NUMBER_ID, &[DEMO_PARTICIPANT.to_owned()]);
        let mut rng = DemoRng::new(DEMO_SEED ^ 0x7A5C);
        let mut tasks = Vec::new();
        for (n, (title, description)) in TITLES.iter().enumerate() {
            let created = start - Duration::hours(26 * (n as i64 + 1));
            let (conversation_id, activity_id) = match n % 3 {
                0 => (Some(conversation.clone()), None),
                1 => (None, Some(format!("ACcall{:04}", n))),
                _ => (None, None),
            };
            let assigned = rng.chance(70).then(|| rng.pick(&USERS).0);
            let due = rng
                .chance(60)
                .then(|| time(created + Duration::days(rng.range(1, 9) as i64)));
            tasks.push(json!({
                "taskId": task_id(n as u64 + 1),
                "phoneNumberId": DEMO_PHONE_NUMBER_ID,
                "conversationId": conversation_id,
                "activityId": activity_id,
                "phoneNumberGroupId": GROUP_ID,
                "orgId": ORG_ID,
                "title": title,
                "description": description,
                "dueDate": due,
                "assignedTo": assigned,
                "assignedBy": assigned.map(|_| USERS[0].0),
                "createdAt": time(created),
                "createdBy": USERS[0].0,
                "completed": n == TITLES.len() - 1,
                "isDeleted": false,
                "revision": "1",
            }));
        }
        Self {
            state: Mutex::new(State {
                made: tasks.len() as u64,
                tasks,
                generation: 0,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `GET /v1/tasks`. The last page has no `nextPageToken` at all: the
    /// spec types it as a string, not nullable.
    pub(crate) fn list(&self, raw_query: Option<&str>, trace: &str) -> Reply {
        let (max_results, page_token) = match super::users::paging(raw_query, MAX_RESULTS) {
            Ok(paging) => paging,
            Err(e) => return errors::invalid(Service::Tasks, &e.message, &e.errors, trace),
        };
        let state = self.state();
        let fingerprint = super::token::fingerprint_of(0x7A5C_0000 ^ state.generation, &[]);
        let total = state.tasks.len();
        match super::token::window(page_token.as_deref(), fingerprint, total, max_results) {
            Ok(window) => {
                let mut page = json!({
                    "data": &state.tasks[window.range],
                    "totalItems": total,
                });
                if let Some(next) = window.next {
                    page["nextPageToken"] = Value::from(next);
                }
                Reply::ok(serde_json::to_vec(&page).unwrap_or_default())
            }
            Err(error) => errors::invalid(
                Service::Tasks,
                "pageToken: invalid page token",
                &[error],
                trace,
            ),
        }
    }

    /// `GET /v1/tasks/{taskId}` (the id already decoded).
    pub(crate) fn get(&self, id: &str, trace: &str) -> Reply {
        match self.state().tasks.iter().find(|t| t["taskId"] == id) {
            Some(task) => Reply::data(StatusCode::OK, task),
            None => missing(trace),
        }
    }

    /// `DELETE /v1/tasks/{taskId}`: 204, no body; a get after it is a 404.
    pub(crate) fn delete(&self, id: &str, trace: &str) -> Reply {
        let mut state = self.state();
        let before = state.tasks.len();
        state.tasks.retain(|t| t["taskId"] != id);
        if state.tasks.len() == before {
            return missing(trace);
        }
        state.generation += 1;
        Reply::json(StatusCode::NO_CONTENT, bytes::Bytes::new())
    }

    /// `POST /v1/tasks`: 201 with the new task's revision and number.
    pub(crate) fn create(
        &self,
        body: &[u8],
        resolve: Resolve<'_>,
        now: DateTime<Utc>,
        trace: &str,
    ) -> Reply {
        const SUBJECTS: [(&str, &str); 3] = [
            ("phoneNumberId", "PN"),
            ("conversationId", "CN"),
            ("activityId", "AC"),
        ];
        let allowed = [
            "title",
            "description",
            "assignedTo",
            "dueDate",
            "phoneNumberId",
            "conversationId",
            "activityId",
        ];
        let fields = match fields(body, Some(&allowed), &["title", "description"]) {
            Ok(fields) => fields,
            Err(problems) => return refused(&problems, trace),
        };
        let given: Vec<(&str, &str)> = SUBJECTS
            .iter()
            .filter(|(name, _)| fields.contains_key(*name))
            .copied()
            .collect();
        let [(subject, prefix)] = given[..] else {
            let problem = BodyFieldError::new(
                "phoneNumberId",
                "Expected exactly one of phoneNumberId, conversationId or activityId",
                None,
                "string",
            );
            return refused(&[problem], trace);
        };
        let mut problems = Vec::new();
        let subject_id = text(&fields, subject).to_owned();
        check_prefix(subject, &subject_id, prefix, &mut problems);
        if let Some(user) = fields.get("assignedTo").and_then(Value::as_str) {
            check_prefix("assignedTo", user, "US", &mut problems);
        }
        let due = match fields.get("dueDate").and_then(Value::as_str) {
            Some(raw) => due_date(raw, &mut problems),
            None => None,
        };
        if !problems.is_empty() {
            return refused(&problems, trace);
        }
        let Some(number_id) = resolve(&subject_id) else {
            let what = match prefix {
                "PN" => "Phone number not found",
                "CN" => "Conversation not found",
                _ => "Call not found",
            };
            return errors::not_found(Service::Tasks, what, trace);
        };
        let assigned = fields.get("assignedTo").and_then(Value::as_str);
        if assigned.is_some_and(|user| !super::users::exists(user)) {
            return errors::not_found(Service::Tasks, "User not found", trace);
        }
        let mut state = self.state();
        state.made += 1;
        state.generation += 1;
        let id = task_id(state.made);
        let task = json!({
            "taskId": id,
            "phoneNumberId": number_id,
            "conversationId": (subject == "conversationId").then_some(&subject_id),
            "activityId": (subject == "activityId").then_some(&subject_id),
            "phoneNumberGroupId": GROUP_ID,
            "orgId": ORG_ID,
            "title": text(&fields, "title"),
            "description": text(&fields, "description"),
            "dueDate": due,
            "assignedTo": assigned,
            "assignedBy": assigned.map(|_| USERS[0].0),
            "createdAt": time(now),
            "createdBy": USERS[0].0,
            "completed": false,
            "isDeleted": false,
            "revision": "1",
        });
        let mut revision = json!({"taskId": id, "revision": "1", "phoneNumberId": number_id});
        if subject != "phoneNumberId" {
            revision[subject] = Value::from(subject_id);
        }
        state.tasks.insert(0, task);
        Reply::data(StatusCode::CREATED, &revision)
    }

    /// `PUT /v1/tasks/{taskId}`: replaces the title and the description.
    pub(crate) fn update(&self, id: &str, body: &[u8], trace: &str) -> Reply {
        let allowed = ["title", "description"];
        let fields = match fields(body, Some(&allowed), &allowed) {
            Ok(fields) => fields,
            Err(problems) => return refused(&problems, trace),
        };
        self.revise(id, trace, |task| {
            task["title"] = fields["title"].clone();
            task["description"] = fields["description"].clone();
        })
    }

    /// `POST /v1/tasks/{taskId}/{verb}` for the task verbs; `None` for a
    /// verb the API does not have.
    pub(crate) fn verb(
        &self,
        id: &str,
        verb: &str,
        body: &[u8],
        resolve: Resolve<'_>,
        trace: &str,
    ) -> Option<Reply> {
        let one = |name: &'static str, prefix: &str, strict: bool| -> Result<String, Reply> {
            let allowed = [name];
            let fields = fields(body, strict.then_some(&allowed[..]), &allowed)
                .map_err(|problems| refused(&problems, trace))?;
            let value = text(&fields, name).to_owned();
            let mut problems = Vec::new();
            check_prefix(name, &value, prefix, &mut problems);
            if problems.is_empty() {
                Ok(value)
            } else {
                Err(refused(&problems, trace))
            }
        };
        let reply = match verb {
            "complete" => self.revise(id, trace, |task| task["completed"] = Value::Bool(true)),
            "reopen" => self.revise(id, trace, |task| task["completed"] = Value::Bool(false)),
            "remove-due-date" => self.revise(id, trace, |task| task["dueDate"] = Value::Null),
            "assign" | "unassign" => match one("userId", "US", true) {
                Err(reply) => reply,
                Ok(user) if !super::users::exists(&user) => {
                    errors::not_found(Service::Tasks, "User not found", trace)
                }
                Ok(user) if verb == "assign" => self.revise(id, trace, |task| {
                    task["assignedTo"] = Value::from(user);
                    task["assignedBy"] = Value::from(USERS[0].0);
                }),
                Ok(user) => self.revise(id, trace, |task| {
                    if task["assignedTo"] == user.as_str() {
                        task["assignedTo"] = Value::Null;
                        task["assignedBy"] = Value::Null;
                    }
                }),
            },
            "link-conversation" | "unlink-conversation" => {
                match one("conversationId", "CN", false) {
                    Err(reply) => reply,
                    Ok(conversation) if resolve(&conversation).is_none() => {
                        errors::not_found(Service::Tasks, "Conversation not found", trace)
                    }
                    Ok(conversation) if verb == "link-conversation" => {
                        self.revise(id, trace, |task| {
                            task["conversationId"] = Value::from(conversation);
                        })
                    }
                    Ok(conversation) => self.revise(id, trace, |task| {
                        if task["conversationId"] == conversation.as_str() {
                            task["conversationId"] = Value::Null;
                        }
                    }),
                }
            }
            "change-due-date" => {
                let allowed = ["dueDate"];
                match fields(body, Some(&allowed), &allowed) {
                    Err(problems) => refused(&problems, trace),
                    Ok(fields) => {
                        let mut problems = Vec::new();
                        match due_date(text(&fields, "dueDate"), &mut problems) {
                            Some(due) => self.revise(id, trace, |task| {
                                task["dueDate"] = Value::from(due);
                            }),
                            None => refused(&problems, trace),
                        }
                    }
                }
            }
            _ => return None,
        };
        Some(reply)
    }

    /// Applies `change` to the task and answers its new revision.
    fn revise(&self, id: &str, trace: &str, change: impl FnOnce(&mut Value)) -> Reply {
        let mut state = self.state();
        let Some(task) = state.tasks.iter_mut().find(|t| t["taskId"] == id) else {
            return missing(trace);
        };
        change(task);
        let revision = task["revision"]
            .as_str()
            .and_then(|r| r.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        task["revision"] = Value::from(revision.to_string());
        Reply::data(
            StatusCode::OK,
            &json!({"taskId": id, "revision": revision.to_string()}),
        )
    }
}

/// The 404 for an unknown task.
fn missing(trace: &str) -> Reply {
    errors::not_found(Service::Tasks, "Task not found", trace)
}

/// The 400 naming each problem.
fn refused(problems: &[BodyFieldError], trace: &str) -> Reply {
    let message = problems.first().map_or_else(
        || "body: invalid".to_owned(),
        |p| format!("{}: {}", &p.path[1..], p.message),
    );
    errors::invalid(Service::Tasks, &message, problems, trace)
}

/// A string field known to be present (checked by [`fields`]).
fn text<'a>(fields: &'a Map<String, Value>, name: &str) -> &'a str {
    fields.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The body as an object whose properties are all strings, with every
/// `required` one present and, when `allowed` is given, no other.
pub(crate) fn fields(
    body: &[u8],
    allowed: Option<&[&str]>,
    required: &[&str],
) -> Result<Map<String, Value>, Vec<BodyFieldError>> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Err(vec![BodyFieldError::new(
            "body",
            "Expected a JSON object",
            None,
            "object",
        )]);
    };
    let mut problems = Vec::new();
    for name in required {
        if !fields.contains_key(*name) {
            problems.push(BodyFieldError::new(
                name,
                "Expected required property",
                None,
                "string",
            ));
        }
    }
    for (name, value) in &fields {
        if allowed.is_some_and(|allowed| !allowed.contains(&name.as_str())) {
            problems.push(BodyFieldError::new(
                name,
                "Unexpected property",
                Some(value.clone()),
                "never",
            ));
        } else if !value.is_string() {
            problems.push(BodyFieldError::new(
                name,
                "Expected string",
                Some(value.clone()),
                "string",
            ));
        }
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(problems)
    }
}

/// Notes an id that does not match the spec's `^<prefix>(.*)$`.
fn check_prefix(name: &str, value: &str, prefix: &str, problems: &mut Vec<BodyFieldError>) {
    problems.extend(super::query::prefixed(name, Some(value), prefix));
}

/// A `dueDate` as Quo writes it back, or `None` with the problem noted.
fn due_date(raw: &str, problems: &mut Vec<BodyFieldError>) -> Option<String> {
    match DateTime::parse_from_rfc3339(raw) {
        Ok(at) => Some(time(at.with_timezone(&Utc))),
        Err(_) => {
            problems.push(BodyFieldError::new(
                "dueDate",
                "Expected string to match 'date-time' format",
                Some(Value::from(raw)),
                "string",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> DateTime<Utc> {
        "2026-03-01T12:00:00Z".parse().unwrap()
    }

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    fn resolve(id: &str) -> Option<String> {
        (id.starts_with("PNdemo") || id.starts_with("AC") || id.starts_with("CN"))
            .then(|| DEMO_PHONE_NUMBER_ID.to_owned())
    }

    #[test]
    fn seeded_tasks_are_the_same_each_run_and_decode() {
        let a = body(&TaskStore::seeded(start()).list(Some("maxResults=100"), "t"));
        let b = body(&TaskStore::seeded(start()).list(Some("maxResults=100"), "t"));
        assert_eq!(a, b);
        assert_eq!(a["totalItems"], 5);
        assert!(a.get("nextPageToken").is_none(), "{a}");
        let tasks: Vec<quo_api::types::Task> = serde_json::from_value(a["data"].clone()).unwrap();
        assert!(tasks.iter().all(|t| t.task_id.starts_with("TK")));
    }

    #[test]
    fn a_write_shows_in_the_next_read() {
        let store = TaskStore::seeded(start());
        let created = store.create(
            br#"{"title":"T","description":"D","activityId":"ACcall0001","dueDate":"2026-03-02T10:00:00Z"}"#,
            &resolve,
            start(),
            "t",
        );
        assert_eq!(created.status, StatusCode::CREATED);
        let revision = body(&created)["data"].clone();
        assert_eq!(revision["activityId"], "ACcall0001");
        let id = revision["taskId"].as_str().unwrap();
        let done = store.verb(id, "complete", b"", &resolve, "t").unwrap();
        assert_eq!(body(&done)["data"]["revision"], "2");
        let task = body(&store.get(id, "t"))["data"].clone();
        assert_eq!(task["completed"], true);
        assert_eq!(task["dueDate"], "2026-03-02T10:00:00.000Z");
        assert_eq!(store.delete(id, "t").status, StatusCode::NO_CONTENT);
        assert_eq!(body(&store.get(id, "t"))["code"], "0600404");
    }

    #[test]
    fn bad_bodies_are_400s_naming_the_field() {
        let store = TaskStore::seeded(start());
        let no_subject = store.create(
            br#"{"title":"T","description":"D"}"#,
            &resolve,
            start(),
            "t",
        );
        assert_eq!(body(&no_subject)["code"], "0600400");
        let extra = store.update("x", br#"{"title":"T","description":"D","x":"1"}"#, "t");
        assert_eq!(body(&extra)["errors"][0]["path"], "/x");
        let id = task_id(1);
        let bad_user = store.verb(&id, "assign", br#"{"userId":"bob"}"#, &resolve, "t");
        assert_eq!(body(&bad_user.unwrap())["errors"][0]["path"], "/userId");
        assert!(store.verb(&id, "fly", b"", &resolve, "t").is_none());
    }
}
