//! Uses the generated client directly through `client.raw()`, for anything
//! the SDK does not wrap: `list_contacts_v1` and `get_contact_by_id_v1` with
//! their exact generated signatures and types.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example raw_client                    # demo server
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example raw_client    # your workspace
//! ```
//!
//! Without `QUO_API_KEY` it runs against the built-in demo server. Requests
//! sent through `raw()` still get the client's key, rate limit and retries.
//! Awaited directly they give the generated `quo_api::Error`; sent through
//! `client.call(|raw| ..)` they give this crate's typed `Error` instead.

mod common;

use common::{BoxError, connect, exit_code};
use std::num::NonZeroU64;

use quo_api_ext::Error;
use quo_api_ext::raw::types::{ContactPage, ExternalId};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, _demo) = connect().await?;
    let max_results = NonZeroU64::new(5).ok_or("page size must not be zero")?;

    // 1. One page, awaited directly: the generated `ResponseValue`, with the
    //    status and headers, and the generated error type on failure.
    let response = client
        .raw()
        .list_contacts_v1(None, max_results, None, None)
        .await?;
    println!(
        "HTTP {} with {} contacts",
        response.status(),
        response.data.len()
    );
    let page: ContactPage = response.into_inner();
    for contact in &page.data {
        let first = contact.default_fields.first_name.as_deref().unwrap_or("-");
        println!(
            "  {}  {first}  externalId {:?}",
            contact.id, contact.external_id
        );
    }
    println!(
        "totalItems {:?} (a hint), nextPageToken {:?}",
        page.total_items.get(),
        page.next_page_token
    );

    // 2. The second page, and a filter built from the generated item type
    //    (its `TryFrom<String>` checks the spec's 1..=75 characters).
    if let Some(token) = page.next_page_token.as_deref() {
        let next = client
            .raw()
            .list_contacts_v1(None, max_results, Some(token), None)
            .await?;
        println!("next page: {} contacts", next.data.len());
    }
    if let Some(external_id) = page.data.iter().find_map(|c| c.external_id.clone()) {
        let filter = vec![ExternalId::try_from(external_id.clone())?];
        let found = client
            .raw()
            .list_contacts_v1(Some(&filter), max_results, None, None)
            .await?;
        println!("externalIds={external_id}: {} contact(s)", found.data.len());
    }

    // 3. A missing contact: the raw error, then the same request through `call`.
    match client
        .raw()
        .get_contact_by_id_v1("000000000000000000000000")
        .await
    {
        Ok(found) => println!("unexpectedly found {}", found.data.id),
        Err(quo_api_ext::raw::Error::ErrorResponse(answer)) => {
            println!("raw: HTTP {}, code {}", answer.status(), answer.code);
        }
        Err(other) => println!("raw: {other}"),
    }
    let typed = client
        .call(|raw| async move { raw.get_contact_by_id_v1("000000000000000000000000").await })
        .await;
    if let Err(error @ Error::Api(_)) = typed {
        println!("call: {error} (code {:?})", error.code());
    }
    Ok(())
}
