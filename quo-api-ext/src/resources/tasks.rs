//! Tasks: create, read, change, complete, assign, link, and list them.
//!
//! Start from [`QuoClient::tasks`]. Quo answers most task changes with the
//! task's new revision ([`TaskRevision`]), not the whole task; read it
//! again with [`get`](Tasks::get) when you need the rest.

use std::fmt;
use std::num::NonZeroU64;

use chrono::{DateTime, Utc};
use quo_api::types::{
    NewTask, Task, TaskAssignee, TaskConversationLink, TaskDueDate, TaskPage, TaskRevision,
    TaskUpdate,
};

use crate::client::QuoClient;
use crate::error::{Error, Result};
use crate::resources::input;
use crate::resources::list::{List, ListQuery};

/// The largest page of tasks Quo serves (`maxResults`).
pub const MAX_PAGE_SIZE: u32 = 100;

impl QuoClient {
    /// The task operations.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let task = client.tasks().get("TK9f2c1e7a").await?;
    /// println!("{:?}", task.title);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn tasks(&self) -> Tasks<'_> {
        Tasks { client: self }
    }
}

/// The task operations of a [`QuoClient`], from [`QuoClient::tasks`].
#[derive(Clone, Copy)]
pub struct Tasks<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Tasks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tasks").finish_non_exhaustive()
    }
}

/// What a new task is about: Quo attaches each task to exactly one of a
/// phone number, a conversation or a call.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    PhoneNumber(String),
    Conversation(String),
    Call(String),
}

/// A task to create: built on what it is about (a phone number, a
/// conversation or a call, the one constructor each), then its title and
/// the rest by name.
///
/// ```
/// use quo_api_ext::tasks::TaskDraft;
///
/// let draft = TaskDraft::on_conversation("CN123abc")
///     .title("Call back")
///     .description("About the renewal")
///     .assign_to("US123abc")
///     .due(chrono::Utc::now() + chrono::Duration::days(2));
/// # let _ = draft;
/// ```
///
/// A draft without a title (or with a blank one) is
/// [`Error::InvalidInput`] at [`Tasks::create`], with nothing sent.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TaskDraft {
    subject: Subject,
    title: String,
    description: String,
    assigned_to: Option<String>,
    due: Option<DateTime<Utc>>,
}

impl TaskDraft {
    fn on(subject: Subject) -> Self {
        Self {
            subject,
            title: String::new(),
            description: String::new(),
            assigned_to: None,
            due: None,
        }
    }

    /// A task on a workspace phone number (`PN...`).
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let draft = TaskDraft::on_phone_number("PNtoDbDhuz").title("Return the voicemail");
    /// # let _ = draft;
    /// ```
    pub fn on_phone_number(phone_number_id: impl Into<String>) -> Self {
        Self::on(Subject::PhoneNumber(phone_number_id.into()))
    }

    /// A task on a conversation (`CN...`).
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let draft = TaskDraft::on_conversation("CN123abc").title("Reply with the quote");
    /// # let _ = draft;
    /// ```
    pub fn on_conversation(conversation_id: impl Into<String>) -> Self {
        Self::on(Subject::Conversation(conversation_id.into()))
    }

    /// A task on a call (`AC...`).
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let draft = TaskDraft::on_call("AC3700e624eca547eb9f749a06f2eb1a4a").title("Send the deck");
    /// # let _ = draft;
    /// ```
    pub fn on_call(call_id: impl Into<String>) -> Self {
        Self::on(Subject::Call(call_id.into()))
    }

    /// Its title (required, not blank).
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let draft = TaskDraft::on_conversation("CN123abc").title("Call back");
    /// # let _ = draft;
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Its description (empty when not set).
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let draft = TaskDraft::on_conversation("CN123abc")
    ///     .title("Call back")
    ///     .description("They asked about two rooms");
    /// # let _ = draft;
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Assigns it to a user (`US...`).
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let draft = TaskDraft::on_conversation("CN123abc").title("Call back").assign_to("US123abc");
    /// # let _ = draft;
    /// ```
    pub fn assign_to(mut self, user_id: impl Into<String>) -> Self {
        self.assigned_to = Some(user_id.into());
        self
    }

    /// Gives it a due date.
    ///
    /// ```
    /// # use quo_api_ext::tasks::TaskDraft;
    /// let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    /// let draft = TaskDraft::on_conversation("CN123abc").title("Call back").due(tomorrow);
    /// # let _ = draft;
    /// ```
    pub fn due(mut self, due: DateTime<Utc>) -> Self {
        self.due = Some(due);
        self
    }

    fn to_body(&self) -> Result<NewTask> {
        title(&self.title)?;
        if let Some(user_id) = &self.assigned_to {
            input::prefixed_id("assign_to", user_id, "US")?;
        }
        let (mut phone_number_id, mut conversation_id, mut activity_id) = (None, None, None);
        match &self.subject {
            Subject::PhoneNumber(id) => {
                input::prefixed_id("phone_number_id", id, "PN")?;
                phone_number_id = Some(id.clone());
            }
            Subject::Conversation(id) => {
                input::prefixed_id("conversation_id", id, "CN")?;
                conversation_id = Some(id.clone());
            }
            Subject::Call(id) => {
                input::prefixed_id("call_id", id, "AC")?;
                activity_id = Some(id.clone());
            }
        }
        Ok(NewTask {
            activity_id,
            assigned_to: self.assigned_to.clone(),
            conversation_id,
            description: self.description.clone(),
            due_date: self.due,
            phone_number_id,
            title: self.title.clone(),
        })
    }
}

/// What to change on a task: its title, its description, or both.
///
/// Quo replaces both in one `PUT`; a change naming only one is completed
/// with the other as the task has it now (one read first), so nothing the
/// change does not name is lost.
///
/// ```
/// use quo_api_ext::tasks::TaskChanges;
///
/// let retitle = TaskChanges::new().title("Call Grace back today");
/// # let _ = retitle;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct TaskChanges {
    title: Option<String>,
    description: Option<String>,
}

impl TaskChanges {
    /// No change yet: [`Tasks::update`] refuses it as it is, with nothing
    /// sent, until a title or a description is named.
    ///
    /// ```
    /// use quo_api_ext::tasks::TaskChanges;
    ///
    /// let changes = TaskChanges::new().description("Two rooms, not three");
    /// # let _ = changes;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The new title (not blank).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::tasks::TaskChanges;
    ///
    /// client.tasks().update("TK123abc", TaskChanges::new().title("Call Grace back today")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The new description (empty clears it).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::tasks::TaskChanges;
    ///
    /// // An empty description clears it; the title stays as it is.
    /// client.tasks().update("TK123abc", TaskChanges::new().description("")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A task's title, not blank.
///
/// Stricter than the spec (any string): a blank title leaves a task no one
/// can tell apart in Quo's app.
fn title(title: &str) -> Result<()> {
    if title.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "title",
            message: "a task needs a title that is not blank".into(),
        });
    }
    Ok(())
}

impl Tasks<'_> {
    /// Creates a task. Not retried by default (a timeout says it may have
    /// been created).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::tasks::TaskDraft;
    ///
    /// let revision = client
    ///     .tasks()
    ///     .create(TaskDraft::on_conversation("CN1a2b3c4d").title("Call back").description("About the quote"))
    ///     .await?;
    /// println!("task {} at revision {}", revision.task_id, revision.revision);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create(&self, draft: TaskDraft) -> Result<TaskRevision> {
        let body = draft.to_body()?;
        let client = self.client;
        match client
            .call(|raw| async move { raw.create_task_v1(&body).await })
            .await
        {
            Ok(created) => Ok(created.data),
            Err(e) => Err(e.maybe_applied(
                "the task may have been created: list the tasks before creating it again",
            )),
        }
    }

    /// One task by id.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let task = client.tasks().get("TK9f2c1e7a").await?;
    /// println!("{:?} done: {}", task.title, task.completed);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Task> {
        input::prefixed_id("task_id", id, "TK")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_task_by_id_v1(id).await })
            .await?
            .data)
    }

    /// Every task of the workspace, lazily, page by page.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let open = client.tasks().list().collect_all().await?;
    /// println!("{} tasks", open.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> TaskList {
        List::new(self.client, TaskQuery)
    }

    /// Changes a task's title and/or description and returns its new
    /// revision (Quo answers task writes with a revision, not the task).
    ///
    /// Quo's `PUT` replaces both fields, so a change naming one reads the
    /// task first and sends the other as it is. A change naming neither, or
    /// a blank title, is [`Error::InvalidInput`] with nothing sent. Retried
    /// like every idempotent request.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::tasks::TaskChanges;
    ///
    /// let revision = client
    ///     .tasks()
    ///     .update("TK9f2c1e7a", TaskChanges::new().title("Call Grace back today"))
    ///     .await?;
    /// println!("now at revision {}", revision.revision);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update(&self, id: &str, changes: TaskChanges) -> Result<TaskRevision> {
        input::prefixed_id("task_id", id, "TK")?;
        if let Some(new_title) = &changes.title {
            title(new_title)?;
        }
        let body = match changes {
            TaskChanges {
                title: Some(title),
                description: Some(description),
            } => TaskUpdate { title, description },
            TaskChanges {
                title: None,
                description: None,
            } => {
                return Err(Error::InvalidInput {
                    field: "changes",
                    message: "a task change needs a title or a description".into(),
                });
            }
            TaskChanges { title, description } => {
                let now = self.get(id).await?;
                TaskUpdate {
                    title: title.or(now.title).unwrap_or_default(),
                    description: description.or(now.description).unwrap_or_default(),
                }
            }
        };
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.update_task_v1(id, &body).await })
            .await?
            .data)
    }

    /// Deletes a task. A 404 after an earlier attempt that may have
    /// deleted it is [`Error::MaybeDeleted`], not a plain not-found.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().delete("TK9f2c1e7a").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete(&self, id: &str) -> Result<()> {
        input::prefixed_id("task_id", id, "TK")?;
        let client = self.client;
        client
            .call(|raw| async move { raw.delete_task_v1(id).await })
            .await
    }

    /// Marks a task complete.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().complete("TK9f2c1e7a").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn complete(&self, id: &str) -> Result<TaskRevision> {
        input::prefixed_id("task_id", id, "TK")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.complete_task_v1(id).await })
            .await?
            .data)
    }

    /// Opens a completed task again.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().reopen("TK9f2c1e7a").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn reopen(&self, id: &str) -> Result<TaskRevision> {
        input::prefixed_id("task_id", id, "TK")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.reopen_task_v1(id).await })
            .await?
            .data)
    }

    /// Assigns a task to a user (`US...`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().assign("TK9f2c1e7a", "USlHhXmRMz").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn assign(&self, id: &str, user_id: &str) -> Result<TaskRevision> {
        let body = assignee(id, user_id)?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.assign_task_v1(id, &body).await })
            .await?
            .data)
    }

    /// Takes a task away from a user (`US...`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().unassign("TK9f2c1e7a", "USlHhXmRMz").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unassign(&self, id: &str, user_id: &str) -> Result<TaskRevision> {
        let body = assignee(id, user_id)?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.unassign_task_v1(id, &body).await })
            .await?
            .data)
    }

    /// Links a task to a conversation (`CN...`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().link_conversation("TK9f2c1e7a", "CN1a2b3c4d").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn link_conversation(&self, id: &str, conversation_id: &str) -> Result<TaskRevision> {
        let body = conversation_link(id, conversation_id)?;
        let client = self.client;
        let request =
            |raw: quo_api::Client| async move { raw.link_task_to_conversation_v1(id, &body).await };
        Ok(client.call(request).await?.data)
    }

    /// Unlinks a task from a conversation (`CN...`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().unlink_conversation("TK9f2c1e7a", "CN1a2b3c4d").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn unlink_conversation(
        &self,
        id: &str,
        conversation_id: &str,
    ) -> Result<TaskRevision> {
        let body = conversation_link(id, conversation_id)?;
        let client = self.client;
        let request = |raw: quo_api::Client| async move {
            raw.unlink_task_from_conversation_v1(id, &body).await
        };
        Ok(client.call(request).await?.data)
    }

    /// Gives a task a new due date.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let friday = chrono::Utc::now() + chrono::Duration::days(3);
    /// client.tasks().change_due_date("TK9f2c1e7a", friday).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn change_due_date(&self, id: &str, due: DateTime<Utc>) -> Result<TaskRevision> {
        input::prefixed_id("task_id", id, "TK")?;
        let client = self.client;
        let body = TaskDueDate { due_date: due };
        let request =
            |raw: quo_api::Client| async move { raw.change_task_due_date_v1(id, &body).await };
        Ok(client.call(request).await?.data)
    }

    /// Removes a task's due date.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.tasks().remove_due_date("TK9f2c1e7a").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_due_date(&self, id: &str) -> Result<TaskRevision> {
        input::prefixed_id("task_id", id, "TK")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.remove_task_due_date_v1(id).await })
            .await?
            .data)
    }
}

fn assignee(task_id: &str, user_id: &str) -> Result<TaskAssignee> {
    input::prefixed_id("task_id", task_id, "TK")?;
    input::prefixed_id("user_id", user_id, "US")?;
    Ok(TaskAssignee {
        user_id: user_id.to_owned(),
    })
}

fn conversation_link(task_id: &str, conversation_id: &str) -> Result<TaskConversationLink> {
    input::prefixed_id("task_id", task_id, "TK")?;
    input::prefixed_id("conversation_id", conversation_id, "CN")?;
    Ok(TaskConversationLink {
        conversation_id: conversation_id.to_owned(),
    })
}

/// A listing of tasks, from [`Tasks::list`].
pub type TaskList = List<TaskQuery>;

/// The task listing's query: it has no filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskQuery;

impl ListQuery for TaskQuery {
    type Page = TaskPage;
    const MAX_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

    async fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> Result<TaskPage> {
        client
            .call(|raw| async move { raw.list_tasks_v1(max_results, token).await })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::TaskDraft;
    use crate::error::Error;

    fn refused(draft: TaskDraft) -> &'static str {
        match draft.to_body() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn a_task_is_about_exactly_one_thing_and_has_a_title() {
        let body = TaskDraft::on_call("AC1")
            .title("t")
            .description("d")
            .to_body()
            .unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"activityId": "AC1", "title": "t", "description": "d"})
        );
        assert_eq!(
            refused(TaskDraft::on_call("CN1").title("t").description("d")),
            "call_id"
        );
        assert_eq!(
            refused(
                TaskDraft::on_conversation("AC1")
                    .title("t")
                    .description("d")
            ),
            "conversation_id"
        );
        assert_eq!(
            refused(
                TaskDraft::on_phone_number("US1")
                    .title("t")
                    .description("d")
            ),
            "phone_number_id"
        );
        assert_eq!(
            refused(TaskDraft::on_call("AC1").title(" ").description("d")),
            "title"
        );
        assert_eq!(refused(TaskDraft::on_call("AC1").description("d")), "title");
        // The spec requires a description: one not set goes as empty text.
        assert_eq!(
            serde_json::to_value(TaskDraft::on_call("AC1").title("t").to_body().unwrap()).unwrap(),
            serde_json::json!({"activityId": "AC1", "title": "t", "description": ""})
        );
        assert_eq!(
            refused(
                TaskDraft::on_call("AC1")
                    .title("t")
                    .description("d")
                    .assign_to("bob")
            ),
            "assign_to"
        );
    }
}
