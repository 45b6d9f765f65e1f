//! Tasks spawned for one request or one page, owned by what waits for them,
//! so that dropping the owner cancels the work instead of leaving it running.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::task::JoinHandle;

/// A task handle that aborts the task when dropped.
pub(crate) struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> AbortOnDrop<T> {
    /// Owns `task`.
    pub(crate) fn new(task: JoinHandle<T>) -> Self {
        Self(task)
    }

    /// The task's output, or `None` if it was cancelled (only the runtime
    /// shutting down can cancel it, since the handle is held here). A panic
    /// in the task is resumed in the caller, as if the caller had run it.
    pub(crate) fn poll_output(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match ready!(Pin::new(&mut self.0).poll(cx)) {
            Ok(output) => Poll::Ready(Some(output)),
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => Poll::Ready(None),
        }
    }

    /// The task's output. If the task was cancelled, this never completes:
    /// the runtime is shutting down and drops the caller too.
    pub(crate) async fn join(mut self) -> T {
        match poll_fn(|cx| self.poll_output(cx)).await {
            Some(output) => output,
            None => std::future::pending().await,
        }
    }
}
