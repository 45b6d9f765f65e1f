//! How a user tests their own code against this SDK with one dependency:
//! `quo-api-ext` with its `mock` feature gives the typed mocks
//! (`testing::mock`), realistic values of every type (`testing::fixtures`)
//! and the types themselves (`types`). Nothing here imports `quo_api`.

use quo_api_ext::testing::fixtures;
use quo_api_ext::testing::mock::MockServerExt;
use quo_api_ext::testing::mock::httpmock::MockServer;
use quo_api_ext::types::{ContactResponse, Task, TaskResponse};
use quo_api_ext::{QuoClient, custom_fields::ContactExt};

/// The user's code under test: a line for a task's reminder, or `None`
/// when the task is done or gone.
async fn reminder(client: &QuoClient, task_id: &str) -> quo_api_ext::Result<Option<String>> {
    let task = match client.tasks().get(task_id).await {
        Ok(task) => task,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    if task.completed {
        return Ok(None);
    }
    let title = task.title.as_deref().unwrap_or("(untitled)");
    Ok(Some(format!("Reminder: {title}")))
}

/// More of the user's code: a greeting for a contact.
async fn greeting(client: &QuoClient, contact_id: &str) -> quo_api_ext::Result<String> {
    let contact = client.contacts().get(contact_id).await?;
    Ok(format!("Hello {}", contact.display_name()))
}

fn client(server: &MockServer) -> QuoClient {
    QuoClient::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .no_retries()
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_users_code_runs_against_typed_mocks_and_fixtures() {
    let server = MockServer::start_async().await;
    let open = server.get_task_by_id_v1(|when, then| {
        when.task_id("TKopen");
        then.ok(&TaskResponse {
            data: Task {
                title: Some("Call Grace back".into()),
                ..fixtures::task()
            },
        });
    });
    let done = server.get_task_by_id_v1(|when, then| {
        when.task_id("TKdone");
        then.ok(&TaskResponse {
            data: Task {
                completed: true,
                ..fixtures::task()
            },
        });
    });
    let gone = server.get_task_by_id_v1(|when, then| {
        when.task_id("TKgone");
        then.not_found(&fixtures::api_error(
            404,
            "0600404",
            "Not Found",
            "Task not found",
        ));
    });
    let contact = server.get_contact_by_id_v1(|when, then| {
        when.id("CT1");
        then.ok(&ContactResponse {
            data: fixtures::contact(),
        });
    });
    let client = client(&server);

    assert_eq!(
        reminder(&client, "TKopen").await.unwrap().as_deref(),
        Some("Reminder: Call Grace back")
    );
    assert_eq!(reminder(&client, "TKdone").await.unwrap(), None);
    assert_eq!(reminder(&client, "TKgone").await.unwrap(), None);
    assert_eq!(
        greeting(&client, "CT1").await.unwrap(),
        "Hello Grace Hopper"
    );
    for mock in [open, done, gone, contact] {
        mock.assert();
    }
}
