//! Streams every contact of the workspace with `items()`: one lazy stream
//! across all pages, fetched one request per page as the loop consumes it.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example stream_all                    # demo server
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example stream_all    # your workspace
//! ```
//!
//! Without `QUO_API_KEY` it runs against the built-in demo server (240
//! contacts). No page token is ever handled here: the stream follows
//! `nextPageToken` itself, stops on the last page and turns a repeating token
//! into `Error::PaginationLoop` instead of looping forever.

mod common;

use common::{BoxError, connect, exit_code};
use std::io::Write;

use futures::TryStreamExt;
use quo_api_ext::custom_fields::ContactExt;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, _demo) = connect().await?;

    let mut contacts = client.contacts().list().items();
    let mut count = 0;
    // `try_next` yields `Ok(Some(contact))` until the last page is used up;
    // the first failure (after the client's retries) ends the loop via `?`.
    while let Some(contact) = contacts.try_next().await? {
        count += 1;
        let phone = contact.phone_numbers().next().unwrap_or("-");
        let line = format!(
            "{count:>4}  {}  {:<28} {phone}",
            contact.id,
            contact.display_name()
        );
        // `writeln!` rather than `println!`: a closed pipe (`| head`) is an
        // error to return, not a panic.
        writeln!(std::io::stdout(), "{line}")?;
    }
    println!("{count} contacts");
    Ok(())
}
