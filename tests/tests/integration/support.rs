//! What the modules of this binary share because they now run in one
//! process: a lock for the tests that measure the whole process or the wall
//! clock, and one global tracing subscriber that captures, per thread, the
//! traces of the tests that ask for them.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once, PoisonError};

use tokio::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

/// Taken exclusively by the tests that load the whole process (many tasks,
/// child processes, RSS and socket counts), shared by the tests that assert
/// an upper bound on how long something took. So a heavy test never runs
/// beside a timed one, nor beside another heavy one, while ordinary tests
/// run in parallel as usual.
static PROCESS: RwLock<()> = RwLock::const_new(());

/// For a test that loads or measures the whole process: waits until no
/// other such test and no timed test runs.
pub async fn heavy() -> RwLockWriteGuard<'static, ()> {
    PROCESS.write().await
}

/// For a test that asserts an upper bound on a duration: waits until no
/// [`heavy`] test runs.
pub async fn timed() -> RwLockReadGuard<'static, ()> {
    PROCESS.read().await
}

/// A buffer of formatted trace output, shared by its clones.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

thread_local! {
    /// Where the traces of this thread go, while a test captures them.
    static SINK: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Writes to the capturing buffer of the current thread.
struct ThreadSink;

impl<'a> MakeWriter<'a> for ThreadSink {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        SINK.with(|sink| sink.borrow().clone()).unwrap_or_default()
    }
}

/// Stops capturing on this thread when dropped.
pub struct Capture {
    captured: Captured,
}

impl Capture {
    /// Everything traced on this thread since [`capture_traces`].
    pub fn text(&self) -> String {
        self.captured.text()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        SINK.with(|sink| sink.borrow_mut().take());
    }
}

/// Captures every trace (all levels, spans included) emitted on the current
/// thread until the returned guard is dropped. Tests that use it run their
/// work on this thread (a `current_thread` runtime, or no runtime).
///
/// One global subscriber serves the whole binary and is installed on first
/// use; it is global, not scoped, so that no callsite another test reaches
/// first is cached as uninteresting. It formats only what a capturing
/// thread emits.
pub fn capture_traces() -> Capture {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(ThreadSink)
            .with_ansi(false)
            .with_filter(tracing_subscriber::filter::dynamic_filter_fn(|_, _| {
                SINK.with(|sink| sink.borrow().is_some())
            }));
        tracing_subscriber::registry()
            .with(layer)
            .try_init()
            .expect("no other global subscriber in this binary");
    });
    let captured = Captured::default();
    SINK.with(|sink| *sink.borrow_mut() = Some(captured.clone()));
    Capture { captured }
}
