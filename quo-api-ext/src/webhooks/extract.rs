//! Verified deliveries as an axum extractor (feature `axum`).
//!
//! A handler that takes a [`Delivery`] never sees an unverified event: the
//! extractor reads the raw body (under the verifier's
//! [body limit](Verifier::max_body_bytes)), verifies it with the
//! [`Verifier`] in the router's state, and only then decodes it. Refusals
//! answer themselves: `401` when nothing shows the delivery came from Quo,
//! `400` for a delivery that cannot be read (see
//! [`WebhookError::status`]), `413` for a body over the limit.

use axum_core::body::Body;
use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http_body_util::{BodyExt, Limited};

use super::error::WebhookError;
use super::verify::{Delivery, Verifier};

/// Why the extractor refused a request; answers with its status and a
/// one-line reason (which never holds a secret or a signature).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryRejection {
    /// The body is larger than the verifier's limit (413).
    #[error("the delivery is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body could not be read (the connection failed): 400.
    #[error("the delivery's body could not be read")]
    Unreadable,
    /// The verifier refused it: 401, 400 or 500 (see
    /// [`WebhookError::status`]).
    #[error(transparent)]
    Refused(#[from] WebhookError),
}

impl DeliveryRejection {
    /// The status the rejection answers with.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            DeliveryRejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            DeliveryRejection::Unreadable => StatusCode::BAD_REQUEST,
            DeliveryRejection::Refused(error) => {
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
        }
    }
}

impl IntoResponse for DeliveryRejection {
    fn into_response(self) -> Response {
        tracing::debug!(error = %self, "webhook delivery refused");
        (self.status(), self.to_string()).into_response()
    }
}

/// The verified delivery of a request, for axum handlers: the router's
/// state must give a [`Verifier`] (`Verifier: FromRef<S>`).
///
/// ```no_run
/// use axum::{Router, routing::post};
/// use quo_api_ext::webhooks::{Delivery, Event, Verifier};
///
/// async fn receive(delivery: Delivery) -> &'static str {
///     // Drop `delivery.id` if it was seen in the last few minutes: a replay.
///     if let Event::MessageReceived(message) = &delivery.event {
///         println!("text from {:?}", message.resource.from);
///     }
///     "ok"
/// }
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::new(&std::env::var("QUO_WEBHOOK_SECRET")?)?;
/// let app = Router::new().route("/quo", post(receive)).with_state(verifier);
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// axum::serve(listener, app).await?;
/// # Ok(())
/// # }
/// ```
impl<S> FromRequest<S> for Delivery
where
    Verifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = DeliveryRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Verifier::from_ref(state);
        let limit = verifier.body_limit();
        let (parts, body) = request.into_parts();
        let announced = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|length| length > limit as u64) {
            return Err(DeliveryRejection::TooLarge { limit });
        }
        let body = read(body, limit).await?;
        Ok(verifier.verify(&parts.headers, &body)?)
    }
}

/// The whole body, or a refusal once it passes `limit` bytes.
async fn read(body: Body, limit: usize) -> Result<bytes::Bytes, DeliveryRejection> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            Err(DeliveryRejection::TooLarge { limit })
        }
        Err(_) => Err(DeliveryRejection::Unreadable),
    }
}
