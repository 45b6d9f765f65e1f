//! A webhook endpoint in axum: the `Delivery` extractor verifies every
//! delivery against the raw body before the handler sees it; the handler
//! prints one line per event.
//!
//! ```sh
//! cargo run -p quo-api-ext --features testing,axum --example webhook_receiver        # demo, no secret needed
//! cargo run -p quo-api-ext --features testing,axum --example webhook_receiver -- --event call.missed --event contact.updated
//! QUO_WEBHOOK_SECRET=whsec_... cargo run -p quo-api-ext --features testing,axum --example webhook_receiver -- --listen 127.0.0.1:8787
//! ```
//!
//! With `QUO_WEBHOOK_SECRET` set (several secrets comma-separated, e.g. the
//! new one and the old one while rotating, or a `whsec_` key next to a legacy
//! signing secret while migrating), it serves `POST` on `--listen` until
//! Ctrl-C: a verified delivery is answered `200` and printed, anything else
//! with the status `WebhookError::status` gives (`401` for a missing or
//! wrong signature, `400` for an unreadable header, a stale timestamp or a
//! body that is not JSON, `413` for a body over 1 MiB) and printed as
//! `rejected: <why>`. Put it behind a tunnel to receive Quo's deliveries.
//!
//! Without it, the example says so on stderr, listens on a free port of
//! 127.0.0.1 and has the built-in demo server deliver signed events to it:
//! each `--event` (default `message.received` and `call.completed`),
//! alternately signed with a Standard Webhooks key and a legacy secret, then
//! one delivery signed with a secret the receiver does not know, which must
//! be rejected. It prints a summary line and exits `0` when every delivery
//! got the expected answer, `1` otherwise.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use clap::Parser;
use common::{BoxError, exit_code};
use quo_api_ext::testing::{DemoConfig, DemoServer};
use quo_api_ext::webhooks::{Delivery, DeliveryRejection, Event, Scheme, Verifier, WebhookSecret};
use tokio::net::TcpListener;

/// The demo's Standard Webhooks key (a test value, as Quo would show one).
const DEMO_STANDARD_SECRET: &str = "whsec_ZGVtby1zdGFuZGFyZC13ZWJob29rcy1rZXktMzI=";
/// The demo's legacy signing secret (a test value).
const DEMO_LEGACY_SECRET: &str = "ZGVtby1sZWdhY3ktc2lnbmluZy1zZWNyZXQtMzJi";
/// A key the receiver does not hold, for the delivery that must be refused.
const FORGED_SECRET: &str = "whsec_Zm9yZ2VkLWtleS1ub3Qta25vd24tdG8tdGhlLXJlY2VpdmVy";

/// Verify, decode and print Quo webhook deliveries (a local demo without QUO_WEBHOOK_SECRET).
#[derive(Debug, Parser)]
#[command(name = "webhook_receiver")]
struct Args {
    /// Address to listen on when QUO_WEBHOOK_SECRET is set.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Event type the demo server delivers (repeatable).
    #[arg(long = "event", value_name = "TYPE")]
    events: Vec<String>,
}

/// What the endpoint has seen.
#[derive(Default)]
struct Tally {
    verified: AtomicUsize,
    rejected: AtomicUsize,
}

/// The router's state: the verifier the `Delivery` extractor takes from it,
/// and the tally the handler keeps.
#[derive(Clone)]
struct Endpoint {
    verifier: Verifier,
    tally: Arc<Tally>,
}

impl FromRef<Endpoint> for Verifier {
    fn from_ref(endpoint: &Endpoint) -> Verifier {
        endpoint.verifier.clone()
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit_code(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<(), BoxError> {
    match std::env::var("QUO_WEBHOOK_SECRET") {
        Ok(secrets) => serve(&args, &secrets).await,
        Err(_) => demo(&args).await,
    }
}

/// Serves Quo's deliveries until Ctrl-C.
async fn serve(args: &Args, secrets: &str) -> Result<(), BoxError> {
    let secrets = secrets
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(WebhookSecret::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let verifier = Verifier::from_secrets(secrets)?;
    let listener = TcpListener::bind(args.listen).await?;
    println!("listening on http://{}/", listener.local_addr()?);
    let tally = Arc::new(Tally::default());
    let endpoint = tokio::spawn(accept(listener, verifier, tally));
    tokio::signal::ctrl_c().await?;
    endpoint.abort();
    Ok(())
}

/// Has the demo server deliver signed events to this endpoint.
async fn demo(args: &Args) -> Result<(), BoxError> {
    eprintln!(
        "QUO_WEBHOOK_SECRET is not set: the built-in demo server delivers signed events to this endpoint"
    );
    let standard = WebhookSecret::parse(DEMO_STANDARD_SECRET)?;
    let legacy = WebhookSecret::parse(DEMO_LEGACY_SECRET)?;
    let verifier = Verifier::from_secret(standard.clone()).with_secret(legacy.clone());

    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let url = format!("http://{}/webhooks/quo", listener.local_addr()?);
    println!("listening on {url}");
    let tally = Arc::new(Tally::default());
    let endpoint = tokio::spawn(accept(listener, verifier, tally.clone()));
    let server = DemoServer::start(DemoConfig::default()).await?;

    let events: Vec<String> = if args.events.is_empty() {
        vec!["message.received".into(), "call.completed".into()]
    } else {
        args.events.clone()
    };
    let mut unexpected = Vec::new();
    for (n, event_type) in events.iter().enumerate() {
        let secret = if n % 2 == 0 { &standard } else { &legacy };
        let delivery = server.deliver_webhook(&url, secret, event_type).await?;
        if delivery.status != 200 {
            unexpected.push(format!("{event_type} answered {}", delivery.status));
        }
    }
    let forged = WebhookSecret::parse(FORGED_SECRET)?;
    let delivery = server
        .deliver_webhook(&url, &forged, "message.received")
        .await?;
    if delivery.status != 401 {
        unexpected.push(format!("the forged delivery answered {}", delivery.status));
    }

    endpoint.abort();
    server.shutdown().await;
    println!(
        "{} events verified, {} deliveries rejected",
        tally.verified.load(Ordering::Relaxed),
        tally.rejected.load(Ordering::Relaxed)
    );
    if unexpected.is_empty() {
        Ok(())
    } else {
        Err(format!("unexpected answers: {}", unexpected.join("; ")).into())
    }
}

/// Serves deliveries on `listener` until aborted.
async fn accept(listener: TcpListener, verifier: Verifier, tally: Arc<Tally>) {
    let app = Router::new()
        .route("/", post(receive))
        .route("/webhooks/quo", post(receive))
        .with_state(Endpoint { verifier, tally });
    if let Err(error) = axum::serve(listener, app).await {
        eprintln!("the endpoint stopped: {error}");
    }
}

/// One delivery, verified by the extractor before this runs; a refusal is
/// counted, printed and answered with its own status (401, 400 or 413).
async fn receive(
    State(endpoint): State<Endpoint>,
    delivery: Result<Delivery, DeliveryRejection>,
) -> Response {
    match delivery {
        Ok(delivery) => {
            endpoint.tally.verified.fetch_add(1, Ordering::Relaxed);
            // A real receiver would drop a delivery id it has seen within
            // the verifier's tolerance here: that is a replay.
            let scheme = match delivery.scheme {
                Scheme::StandardWebhooks => "standard",
                _ => "legacy",
            };
            println!("{scheme:<8} {}", describe(&delivery.event));
            StatusCode::OK.into_response()
        }
        Err(rejection) => {
            endpoint.tally.rejected.fetch_add(1, Ordering::Relaxed);
            println!("rejected: {rejection}");
            rejection.into_response()
        }
    }
}

/// One line about an event: its type, id and what it says.
fn describe(event: &Event) -> String {
    let head = format!("{} {}", event.event_type(), event.id().unwrap_or("(no id)"));
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    let detail = match event {
        Event::MessageReceived(e) | Event::MessageDelivered(e) | Event::MessageFailed(e) => {
            let m = &e.resource;
            format!(
                "{} -> {} [{}]: {:?}",
                text(&m.from),
                m.to.join(", "),
                text(&m.status),
                m.text.as_deref().unwrap_or("")
            )
        }
        Event::CallRinging(e)
        | Event::CallAnswered(e)
        | Event::CallCompleted(e)
        | Event::CallForwarded(e)
        | Event::CallMissed(e)
        | Event::CallRecordingCompleted(e)
        | Event::CallVoicemailCompleted(e) => {
            let c = &e.resource;
            let mut line = format!(
                "call {} with {} [{}]",
                text(&c.call_id.clone().or(c.id.clone())),
                c.participants.join(", "),
                text(&c.status)
            );
            if let Some(seconds) = c.duration {
                line.push_str(&format!(", {seconds} s"));
            }
            for media in c.media.iter().chain(&c.voicemail) {
                line.push_str(&format!(", media {}", text(&media.url)));
            }
            line
        }
        Event::CallSummaryCompleted(e) => format!(
            "call {}: {} (next: {})",
            text(&e.resource.call_id),
            e.resource.summary.join(" "),
            e.resource.next_steps.join("; ")
        ),
        Event::CallTranscriptCompleted(e) => format!(
            "call {}: {} lines, first {:?}",
            text(&e.resource.call_id),
            e.resource.dialogue.len(),
            e.resource
                .dialogue
                .first()
                .and_then(|line| line.content.as_deref())
                .unwrap_or("")
        ),
        Event::ContactUpdated(e) | Event::ContactDeleted(e) => {
            let c = &e.resource;
            format!(
                "contact {}: {} {}",
                text(&c.id),
                text(&c.first_name),
                text(&c.last_name)
            )
        }
        Event::Unknown { reason, .. } => match reason {
            Some(reason) => format!("not decoded: {reason}"),
            None => "an event type this SDK does not know".to_owned(),
        },
        other => format!("{} event", other.event_type()),
    };
    format!("{head}: {detail}")
}
