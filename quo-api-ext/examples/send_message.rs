//! Sends a text from the workspace's first phone number, waits until the
//! carrier delivers it (or gives up), then lists that conversation's
//! messages, newest first: the one just sent is on top.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example send_message                                   # demo server
//! cargo run -p quo-api-ext --features testing --example send_message -- +15555550123 "See you at 3pm"
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example send_message -- +15555550123 "See you at 3pm"
//! ```
//!
//! Arguments: the recipient (E.164, or a short code of up to 15
//! characters) and the text. Without `QUO_API_KEY` it
//! runs against the built-in demo server, where both are optional (the demo
//! customer, a default text); with a key the recipient is required, so a
//! real text never goes to a made-up number. The message is checked before
//! anything is sent, and the send is not retried: a retry after a timeout
//! could text the person twice.
//!
//! The wait polls the message (1 s, then 2 s, 4 s, 5 s ... apart, within
//! the client's rate budget) for at most 60 s. The demo server delivers a
//! message 400 ms after it is sent, and never delivers to
//! `DEMO_UNDELIVERABLE` (+15555550199): send to it to see a failure.

mod common;

use common::{BoxError, connect, exit_code};
use std::io::Write;

use futures::{StreamExt, TryStreamExt};
use quo_api_ext::messages::{DeliveryOutcome, MessageDraft};
use quo_api_ext::testing::DEMO_PARTICIPANT;

/// How many of the conversation's latest messages to print.
const SHOWN: usize = 20;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, demo) = connect().await?;
    let mut args = std::env::args().skip(1);
    let to = match (args.next(), &demo) {
        (Some(to), _) => to,
        (None, Some(_)) => DEMO_PARTICIPANT.to_owned(),
        (None, None) => return Err("usage: send_message <TO (E.164 or short code)> [TEXT]".into()),
    };
    let text = args
        .next()
        .unwrap_or_else(|| "Hello from quo-rs! Your appointment is confirmed.".to_owned());

    let numbers = client.phone_numbers().list().collect_all().await?;
    let from = numbers
        .first()
        .ok_or("the workspace has no phone number to send from")?;

    let sent = client
        .messages()
        .send(MessageDraft::new(&text).from(&from.id).to(&to))
        .await?;
    println!(
        "sent {} from {} ({}) to {to}: {}",
        sent.id, from.number, from.name, sent.status
    );

    let settled = client.messages().wait_for_delivery(&sent.id).await?;
    let verdict = match settled.outcome {
        DeliveryOutcome::Delivered => "delivered",
        _ => "NOT delivered",
    };
    println!(
        "{} {verdict} ({}) after {} poll(s) in {:.2} s",
        sent.id,
        settled.message.status,
        settled.polls,
        settled.elapsed.as_secs_f64()
    );

    println!("latest messages between {} and {to}:", from.number);
    let mut messages = client
        .messages()
        .list(&from.id, [&to])
        .page_size(SHOWN as u32)
        .items()
        .take(SHOWN);
    let mut out = std::io::stdout();
    while let Some(message) = messages.try_next().await? {
        let arrow = if message.from == from.number {
            "->"
        } else {
            "<-"
        };
        writeln!(
            out,
            "  {}  {}  {arrow} {:<9} {}",
            message.created_at.format("%Y-%m-%d %H:%M"),
            message.id,
            message.status.to_string(),
            message.text
        )?;
    }
    Ok(())
}
