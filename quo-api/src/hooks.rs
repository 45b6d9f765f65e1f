//! The single hook every request of the generated [`Client`](crate::Client) passes through.
//!
//! progenitor calls `ClientHooks::exec` for each request; because of Rust's
//! orphan rule that impl must live in this crate, so it delegates to a
//! [`RequestPolicy`] stored in the client's inner [`RequestHooks`] value.
//! `quo-api-ext` installs its policy (rate limiting, retries, tracing) there;
//! with no policy the request is sent as is.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

/// A boxed future returned by [`RequestPolicy::execute`].
pub type ExecFuture<'a> =
    Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// Behaviour wrapped around sending one request (retries, pacing, tracing).
///
/// `execute` receives the fully built request and must return the final
/// response (or transport error) that the generated code will decode.
pub trait RequestPolicy: Send + Sync + 'static {
    /// Sends `request` with `http`, applying the policy.
    fn execute<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> ExecFuture<'a>;
}

/// The generated client's inner value: an optional shared [`RequestPolicy`].
///
/// Cheap to clone; clones share the same policy (and so, for example, the
/// same rate budget).
#[derive(Clone, Default)]
pub struct RequestHooks {
    policy: Option<Arc<dyn RequestPolicy>>,
}

impl RequestHooks {
    /// Hooks that run `policy` around every request.
    pub fn with_policy(policy: Arc<dyn RequestPolicy>) -> Self {
        Self {
            policy: Some(policy),
        }
    }

    /// The installed policy, if any.
    pub fn policy(&self) -> Option<&Arc<dyn RequestPolicy>> {
        self.policy.as_ref()
    }
}

impl fmt::Debug for RequestHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestHooks")
            .field("policy", &self.policy.as_ref().map(|_| "installed"))
            .finish()
    }
}

impl ClientHooks<RequestHooks> for crate::Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match self.inner().policy() {
            Some(policy) => {
                policy
                    .execute(self.client(), request, info.operation_id)
                    .await
            }
            None => self.client().execute(request).await,
        }
    }
}
