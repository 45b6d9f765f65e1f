//! What every example shares: talk to Quo when `QUO_API_KEY` is set, else to
//! the built-in demo server, so each example runs on a fresh machine.

use quo_api_ext::QuoClient;
use quo_api_ext::testing::{DemoConfig, DemoServer};

/// Any error an example reports before exiting.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The process exit status for an example's result: success, or the error
/// printed on one line (its `Display`, not `Debug`) and failure.
#[allow(dead_code)] // not every example uses every helper
pub fn exit_code(result: Result<(), BoxError>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Quo when `QUO_API_KEY` is set, else a demo server over the demo dataset.
/// The server stops when the returned handle is dropped, so keep it alive.
#[allow(dead_code)] // not every example uses every helper
pub async fn connect() -> Result<(QuoClient, Option<DemoServer>), BoxError> {
    connect_with(DemoConfig::default()).await
}

/// [`connect`], with the demo server started from `config` (e.g. with
/// faults injected) when there is no API key.
pub async fn connect_with(config: DemoConfig) -> Result<(QuoClient, Option<DemoServer>), BoxError> {
    if std::env::var_os("QUO_API_KEY").is_some() {
        return Ok((QuoClient::from_env()?, None));
    }
    let server = DemoServer::start(config).await?;
    eprintln!(
        "QUO_API_KEY is not set: using the built-in demo server at {}",
        server.url()
    );
    let client = QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.url())
        .build()?;
    Ok((client, Some(server)))
}
