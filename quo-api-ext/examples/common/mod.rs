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

/// Progress of a long job on stderr: a bar (indicatif) when stderr is a
/// terminal, else one plain line per update, which logs and tests read.
#[allow(dead_code)] // not every example uses every helper
pub struct ProgressDisplay {
    bar: Option<indicatif::ProgressBar>,
}

#[allow(dead_code)] // not every example uses every helper
impl ProgressDisplay {
    /// A display for `total` steps, or a spinner when the total is unknown.
    pub fn new(total: Option<u64>) -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| match total {
            Some(total) => {
                let bar = indicatif::ProgressBar::new(total);
                if let Ok(style) =
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                {
                    bar.set_style(style);
                }
                bar
            }
            None => indicatif::ProgressBar::new_spinner(),
        });
        ProgressDisplay { bar }
    }

    /// Shows `done` steps and `message` (the plain line is `progress: ` and
    /// `line`, so a line names its own units).
    pub fn update(&self, done: u64, message: &str, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(done);
                bar.set_message(message.to_owned());
            }
            None => eprintln!("progress: {line}"),
        }
    }

    /// Removes the bar, if there is one.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
