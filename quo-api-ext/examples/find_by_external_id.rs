//! Finds contacts by the ids your own systems gave them (`externalId`), with
//! the `externalIds` filter of the list endpoint.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example find_by_external_id                           # demo server
//! cargo run -p quo-api-ext --features testing --example find_by_external_id -- cust_100003 nope-42    # given ids
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example find_by_external_id -- crm-1001
//! ```
//!
//! Without `QUO_API_KEY` it runs against the built-in demo server and, when no
//! id is given, looks up the first external id of the demo dataset plus one
//! that does not exist. An unknown external id is not an error: it simply
//! matches nothing. Ids are checked before sending (1 to 75 characters).

mod common;

use common::{BoxError, connect, exit_code};
use quo_api_ext::custom_fields::ContactExt;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, demo) = connect().await?;

    let mut wanted: Vec<String> = std::env::args().skip(1).collect();
    if wanted.is_empty() {
        let Some(server) = &demo else {
            return Err("usage: find_by_external_id <EXTERNAL_ID>...".into());
        };
        let known = server
            .dataset()
            .contacts_value()
            .into_iter()
            .find_map(|contact| contact["externalId"].as_str().map(str::to_owned));
        wanted.extend(known);
        wanted.push("no-such-external-id".to_owned());
    }

    for external_id in &wanted {
        // One filtered listing per id, to report each one; pass several ids
        // to one `external_ids(..)` to fetch all their contacts at once.
        let found = client
            .contacts()
            .list()
            .external_ids([external_id])
            .collect_all()
            .await?;
        println!("externalId {external_id:?}: {} contact(s)", found.len());
        for contact in &found {
            let source = contact.source.as_deref().unwrap_or("-");
            println!(
                "  {}  {}  (source {source})",
                contact.id,
                contact.display_name()
            );
        }
    }
    Ok(())
}
