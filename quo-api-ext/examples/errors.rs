//! Handles the SDK's errors: not found, rate limited, server errors, invalid
//! input and configuration, by matching on `Error` variants and asking
//! `is_retryable()`.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing --example errors                    # demo server
//! QUO_API_KEY=... cargo run -p quo-api-ext --features testing --example errors    # not-found part against Quo
//! ```
//!
//! The not-found lookup goes to Quo when `QUO_API_KEY` is set, else to the
//! built-in demo server. Rate limiting and a 503 cannot be asked of the real
//! API, so those parts always use a demo server with injected faults, and a
//! client built with retries off (`no_retries()`) so the error reaches the
//! caller instead of being retried away; the last part shows the default
//! client retrying the same 429 and succeeding.

mod common;

use common::{BoxError, connect, exit_code};
use quo_api_ext::testing::{DemoConfig, DemoServer, Fault};
use quo_api_ext::{Error, QuoClient, QuoClientBuilder};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), BoxError> {
    let (client, _demo) = connect().await?;

    println!("1. a contact that does not exist");
    let missing = client.contacts().get("000000000000000000000000").await;
    report(missing.map(|_| ()));

    println!("\n2. input refused before anything is sent");
    report(client.contacts().get("..").await.map(|_| ()));
    report(
        client
            .contacts()
            .list()
            .page_size(0)
            .collect_all()
            .await
            .map(|_| ()),
    );

    println!("\n3. a configuration refused by build()");
    let built = QuoClient::builder()
        .api_key("key")
        .base_url("http://example.com")
        .build();
    report(built.map(|_| ()));

    println!("\n4. rate limited (429 with Retry-After: 7), retries off");
    let server = DemoServer::start(DemoConfig::default()).await?;
    let no_retries = demo_client(&server).no_retries().build()?;
    server.inject(Fault::rate_limited(7));
    report(no_retries.contacts().list().collect_all().await.map(|_| ()));

    println!("\n5. a 503 from a gateway, retries off");
    server.inject(Fault::Status(503));
    report(no_retries.contacts().list().collect_all().await.map(|_| ()));

    println!("\n6. the same 429 (Retry-After: 0) with the default retries");
    let retrying = demo_client(&server).build()?;
    let id = server.dataset().ids().next().unwrap_or_default().to_owned();
    let before = server.request_count();
    server.inject(Fault::rate_limited(0));
    let found = retrying.contacts().get(&id).await;
    let sent = server.request_count() - before;
    match found {
        Ok(contact) => println!("   ok: got {} after {sent} requests", contact.id),
        Err(error) => report(Err(error)),
    }
    Ok(())
}

/// Prints what a caller would branch on.
fn report(result: Result<(), Error>) {
    let Err(error) = result else {
        println!("   ok");
        return;
    };
    let what = match &error {
        _ if error.is_not_found() => "not found".to_owned(),
        _ if error.is_unauthorized() => "the API key was refused".to_owned(),
        Error::Api(e) if error.is_retryable() => format!("temporary failure (HTTP {})", e.status),
        Error::Api(e) => format!("the API refused it (HTTP {})", e.status),
        Error::RateLimited { retry_after, .. } => match retry_after {
            Some(wait) => format!("rate limited: wait {wait:?} before trying again"),
            None => "rate limited".to_owned(),
        },
        Error::Timeout { .. } => "timed out".to_owned(),
        Error::Transport(_) => "network failure".to_owned(),
        Error::Decode { path, .. } => format!("unreadable answer at {path:?}"),
        Error::InvalidInput { field, .. } => format!("invalid `{field}`, nothing sent"),
        Error::Config(_) => "bad client configuration".to_owned(),
        // `Error` is #[non_exhaustive]: PaginationLoop, Other, and any later variant.
        _ => "other failure".to_owned(),
    };
    println!("   {what}; retryable: {}", error.is_retryable());
    println!("   {error}");
}

/// A client builder for a demo server (a fresh one per call).
fn demo_client(server: &DemoServer) -> QuoClientBuilder {
    QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
}
