//! Every call of the workspace in a time window: [`Calls::export`].
//!
//! The walk is described on [`CallExport`].

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use futures::future::{self, Either};
use futures::stream::{self, Stream, StreamExt, TryStreamExt};
use quo_api::Open;
use quo_api::types::{Call, CallSummary, CallTranscript, ProcessingStatus};
use tokio::sync::Semaphore;

use super::Calls;
use crate::client::QuoClient;
use crate::conversations::MAX_PHONE_NUMBERS;
use crate::error::{Error, Result};
use crate::pagination::Page;
use crate::resources::input;

/// How many summary and transcript requests an export has in flight at
/// once by default: enough to keep a 10 requests/s budget busy at typical
/// latencies without queueing many requests behind the rate limiter.
pub const DEFAULT_EXPORT_CONCURRENCY: usize = 4;
/// The most summary and transcript requests an export may have in flight.
pub const MAX_EXPORT_CONCURRENCY: usize = 64;

impl Calls<'_> {
    /// Every call of the workspace, over every phone number and every
    /// participant, lazily; choose the window, the numbers and what to
    /// fetch with each call on the returned [`CallExport`], then
    /// walk it with [`items`](CallExport::items). See [`CallExport`] for the
    /// requests it makes.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    /// use quo_api_ext::calls::CallProcessing;
    ///
    /// let since = chrono::Utc::now() - chrono::Duration::days(30);
    /// let mut calls = client
    ///     .calls()
    ///     .export()
    ///     .created_after(since)
    ///     .with_summaries()
    ///     .with_transcripts()
    ///     .concurrency(4)
    ///     .items();
    /// while let Some(exported) = calls.try_next().await? {
    ///     match &exported.summary {
    ///         Some(CallProcessing::Completed(summary)) => println!("{}: {:?}", exported.call.id, summary.summary),
    ///         other => println!("{}: no summary ({other:?})", exported.call.id),
    ///     }
    ///     eprintln!("{} calls, {} requests", exported.progress.calls, exported.progress.requests);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn export(&self) -> CallExport {
        CallExport {
            client: self.client.clone(),
            created_after: None,
            created_before: None,
            phone_number_ids: None,
            summaries: false,
            transcripts: false,
            concurrency: DEFAULT_EXPORT_CONCURRENCY,
            progress: ExportProgress::default(),
        }
    }
}

/// A workspace-wide call export, from [`Calls::export`]. Setters only
/// record; nothing is checked or sent until [`items`](Self::items).
///
/// Quo lists calls for one phone number and exactly one participant per
/// request (`GET /v1/calls`), so a workspace-wide export walks:
///
/// 1. the workspace's phone numbers (`GET /v1/phone-numbers`, one
///    request; skipped when they are given);
/// 2. their conversations (`GET /v1/conversations`, up to 100 numbers per
///    listing, narrowed to the window: only conversations created before
///    its end and updated since its start can hold a call in it), for the
///    participants each number talked to;
/// 3. the calls of each (number, participant) pair, once per pair however
///    many conversations name it, in the window;
/// 4. optionally each call's summary and transcript, at most
///    [`concurrency`](CallExport::concurrency) of those requests at once.
///
/// A call is yielded once even when several listings return it (a group
/// call is listed under each of its participants): the walk keeps the ids
/// it has yielded. A summary or transcript that is missing (404), not
/// completed (`in-progress`, `absent`, `failed`) or whose request failed
/// is that call's own [`CallProcessing`], never the end of the export.
///
/// The export keeps in memory the pairs it has listed and the ids of the
/// calls it has yielded (tens of bytes per call), and at most
/// `concurrency` calls waiting for their details.
#[must_use = "an export does nothing until items()"]
pub struct CallExport {
    client: QuoClient,
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    phone_number_ids: Option<Vec<String>>,
    summaries: bool,
    transcripts: bool,
    concurrency: usize,
    progress: ExportProgress,
}

impl fmt::Debug for CallExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallExport")
            .field("created_after", &self.created_after)
            .field("created_before", &self.created_before)
            .field("phone_number_ids", &self.phone_number_ids)
            .field("summaries", &self.summaries)
            .field("transcripts", &self.transcripts)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// What Quo made of a call (its summary or transcript), as the export
/// found it: one call's outcome, which never stops the export.
#[non_exhaustive]
#[derive(Debug)]
pub enum CallProcessing<T> {
    /// Quo completed it.
    Completed(T),
    /// Quo answered with another status, kept whole: `in-progress` (ask
    /// again later), `absent` (none will be made: nobody spoke), `failed`,
    /// or one this release does not know.
    NotCompleted(T),
    /// Quo has none for this call (404).
    Missing,
    /// Its request failed, after the client's retries.
    Failed(Error),
}

impl<T> CallProcessing<T> {
    /// The completed value, if Quo completed it.
    ///
    /// ```
    /// use quo_api_ext::calls::CallProcessing;
    ///
    /// let done = CallProcessing::Completed("Ada asked for a quote.");
    /// assert_eq!(done.completed(), Some(&"Ada asked for a quote."));
    /// assert_eq!(CallProcessing::<&str>::Missing.completed(), None);
    /// ```
    #[must_use]
    pub fn completed(&self) -> Option<&T> {
        match self {
            Self::Completed(value) => Some(value),
            _ => None,
        }
    }
}

/// One call of an export, with what was asked for it.
#[non_exhaustive]
#[derive(Debug)]
pub struct ExportedCall {
    /// The call, as `GET /v1/calls` listed it.
    pub call: Call,
    /// The participant whose listing found it first.
    pub participant: String,
    /// Its summary, when the export asked for summaries
    /// ([`CallExport::with_summaries`]).
    pub summary: Option<CallProcessing<CallSummary>>,
    /// Its transcript, when the export asked for transcripts
    /// ([`CallExport::with_transcripts`]).
    pub transcript: Option<CallProcessing<CallTranscript>>,
    /// How far the export was when this call was yielded.
    pub progress: ExportCounts,
}

/// How far an export is, as counts (a snapshot of [`ExportProgress`]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    /// Phone numbers the export walks (known once they are listed).
    pub phone_numbers: u64,
    /// Conversations read.
    pub conversations: u64,
    /// (Phone number, participant) pairs whose calls were listed.
    pub participants: u64,
    /// Calls yielded.
    pub calls: u64,
    /// Calls listed again under another participant, and not yielded again.
    pub duplicates: u64,
    /// Requests sent (each page, summary and transcript, failed or not;
    /// the client's retries of one request count once).
    pub requests: u64,
    /// Summaries and transcripts requested but not yet answered.
    pub in_flight: u64,
}

/// A live view of an export's progress, from [`CallExport::progress`]:
/// clone it, keep it beside the stream, and read it from anywhere (a
/// progress bar's timer, a log line) while the export runs.
#[derive(Clone, Default)]
pub struct ExportProgress(Arc<Counters>);

#[derive(Default)]
struct Counters {
    phone_numbers: AtomicU64,
    conversations: AtomicU64,
    participants: AtomicU64,
    calls: AtomicU64,
    duplicates: AtomicU64,
    requests: AtomicU64,
    in_flight: AtomicU64,
}

impl fmt::Debug for ExportProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.snapshot().fmt(f)
    }
}

impl ExportProgress {
    /// The counts now.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let export = client.calls().export();
    /// let progress = export.progress();
    /// let calls: Vec<_> = export.items().try_collect().await?;
    /// assert_eq!(progress.snapshot().calls, calls.len() as u64);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn snapshot(&self) -> ExportCounts {
        let c = &self.0;
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        ExportCounts {
            phone_numbers: get(&c.phone_numbers),
            conversations: get(&c.conversations),
            participants: get(&c.participants),
            calls: get(&c.calls),
            duplicates: get(&c.duplicates),
            requests: get(&c.requests),
            in_flight: get(&c.in_flight),
        }
    }

    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

impl CallExport {
    /// Only calls created at or after this time. Conversations not updated
    /// since are skipped too (they hold no call this recent).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let since = chrono::Utc::now() - chrono::Duration::days(7);
    /// let calls: Vec<_> = client.calls().export().created_after(since).items().try_collect().await?;
    /// println!("{} calls this week", calls.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn created_after(mut self, time: DateTime<Utc>) -> Self {
        self.created_after = Some(time);
        self
    }

    /// Only calls created before this time. Conversations created since
    /// are skipped too (they hold no call this old).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let cutoff = chrono::Utc::now() - chrono::Duration::days(90);
    /// let mut old = client.calls().export().created_before(cutoff).items();
    /// while let Some(exported) = old.try_next().await? {
    ///     println!("{}", exported.call.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn created_before(mut self, time: DateTime<Utc>) -> Self {
        self.created_before = Some(time);
        self
    }

    /// Only these phone numbers (`PN...` ids), instead of every number of
    /// the workspace: saves the phone number listing.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let calls: Vec<_> = client.calls().export().phone_numbers(["PN123abc"]).items().try_collect().await?;
    /// println!("{} calls on PN123abc", calls.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn phone_numbers(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.phone_number_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Fetches each call's summary (`GET /v1/call-summaries/{id}`): one
    /// more request per call.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    /// use quo_api_ext::calls::CallProcessing;
    ///
    /// let mut calls = client.calls().export().with_summaries().items();
    /// while let Some(exported) = calls.try_next().await? {
    ///     let summary = exported.summary.as_ref().and_then(CallProcessing::completed);
    ///     println!("{}: {:?}", exported.call.id, summary.map(|s| &s.summary));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_summaries(mut self) -> Self {
        self.summaries = true;
        self
    }

    /// Fetches each call's transcript (`GET /v1/call-transcripts/{id}`):
    /// one more request per call.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    /// use quo_api_ext::calls::CallProcessing;
    ///
    /// let mut calls = client.calls().export().with_transcripts().items();
    /// while let Some(exported) = calls.try_next().await? {
    ///     if let Some(CallProcessing::Completed(transcript)) = &exported.transcript {
    ///         println!("{}: {} lines", exported.call.id, transcript.dialogue.len());
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_transcripts(mut self) -> Self {
        self.transcripts = true;
        self
    }

    /// At most this many summary and transcript requests in flight at
    /// once (1 to [`MAX_EXPORT_CONCURRENCY`]; default
    /// [`DEFAULT_EXPORT_CONCURRENCY`]). The listing that walks ahead for
    /// the next calls is one more. All of them are paced by the client's
    /// rate limiter.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let export = client.calls().export().with_summaries().with_transcripts().concurrency(8);
    /// let calls: Vec<_> = export.items().try_collect().await?;
    /// println!("{} calls", calls.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests;
        self
    }

    /// The export's progress, readable while its stream runs.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let export = client.calls().export().with_summaries();
    /// let progress = export.progress();
    /// let mut calls = export.items();
    /// while calls.try_next().await?.is_some() {
    ///     eprintln!("{:?}", progress.snapshot());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn progress(&self) -> ExportProgress {
        self.progress.clone()
    }

    /// The calls, lazily, in walk order: by conversation, most recently
    /// active first, then newest call first within a pair.
    ///
    /// A bad setting (a window that matches nothing, a concurrency out of
    /// bounds, a phone number that is not a `PN...` id) is the one item,
    /// [`Error::InvalidInput`], before any request. A failed listing (of
    /// the numbers, a conversation page or a pair's calls) is an error in
    /// its place; the walk goes on with what it can still reach, so a
    /// caller that wants everything or nothing stops at the first error,
    /// and one that wants the rest keeps reading.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let mut calls = client.calls().export().items();
    /// while let Some(exported) = calls.try_next().await? {
    ///     println!("{} with {}", exported.call.id, exported.participant);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn items(self) -> impl Stream<Item = Result<ExportedCall>> + Send + Unpin + 'static {
        if let Err(error) = self.check() {
            return Either::Left(stream::once(future::ready(Err(error))));
        }
        let Self {
            client,
            created_after,
            created_before,
            phone_number_ids,
            summaries,
            transcripts,
            concurrency,
            progress,
        } = self;
        let counters = progress.0.clone();

        // 1. The phone numbers, in chunks a conversation listing takes.
        let numbers = {
            let client = client.clone();
            let counters = counters.clone();
            stream::once(async move {
                let ids = match phone_number_ids {
                    Some(ids) => ids,
                    None => {
                        ExportProgress::add(&counters.requests, 1);
                        let numbers = client.phone_numbers().list().collect_all().await?;
                        numbers.into_iter().map(|n| n.id).collect()
                    }
                };
                ExportProgress::add(&counters.phone_numbers, ids.len() as u64);
                Ok(ids
                    .chunks(MAX_PHONE_NUMBERS)
                    .map(<[String]>::to_vec)
                    .collect::<Vec<_>>())
            })
            .map_ok(|chunks| stream::iter(chunks.into_iter().map(Ok)))
            .try_flatten()
        };

        // 2. Their conversations in the window, as new (number, participant) pairs.
        let conversations = {
            let client = client.clone();
            let counters = counters.clone();
            numbers
                .map_ok(move |chunk| {
                    let mut list = client
                        .conversations()
                        .list()
                        .phone_numbers(chunk.into_iter().filter(|id| !id.is_empty()));
                    if let Some(after) = created_after {
                        list = list.updated_after(after);
                    }
                    if let Some(before) = created_before {
                        list = list.created_before(before);
                    }
                    counted_items(list.pages(), counters.clone())
                })
                .try_flatten()
        };
        let pairs = {
            let counters = counters.clone();
            let mut seen: HashSet<(String, String)> = HashSet::new();
            conversations
                .map_ok(move |conversation| {
                    ExportProgress::add(&counters.conversations, 1);
                    let number = conversation.phone_number_id;
                    let new: Vec<Result<(String, String)>> = conversation
                        .participants
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .map(|p| (number.clone(), p))
                        .filter(|pair| seen.insert(pair.clone()))
                        .map(Ok)
                        .collect();
                    stream::iter(new)
                })
                .try_flatten()
        };

        // 3. Each pair's calls in the window, each call once.
        let calls = {
            let client = client.clone();
            let counters = counters.clone();
            pairs
                .map_ok(move |(number, participant)| {
                    ExportProgress::add(&counters.participants, 1);
                    let mut list = client.calls().list(number, participant.clone());
                    if let Some(after) = created_after {
                        list = list.created_after(after);
                    }
                    if let Some(before) = created_before {
                        list = list.created_before(before);
                    }
                    counted_items(list.pages(), counters.clone())
                        .map_ok(move |call| (call, participant.clone()))
                })
                .try_flatten()
        };
        let unique = {
            let counters = counters.clone();
            let mut seen: HashSet<String> = HashSet::new();
            calls.try_filter(move |(call, _)| {
                let new = seen.insert(call.id.clone());
                if !new {
                    ExportProgress::add(&counters.duplicates, 1);
                }
                future::ready(new)
            })
        };

        // 4. Summaries and transcripts, bounded by one semaphore.
        let permits = Arc::new(Semaphore::new(concurrency));
        let exported = {
            let counters = counters.clone();
            unique
                .map_ok(move |(call, participant)| {
                    let client = client.clone();
                    let permits = permits.clone();
                    let counters = counters.clone();
                    async move {
                        let id = call.id.clone();
                        let summary = async {
                            if !summaries {
                                return None;
                            }
                            let answer = limited(&permits, &counters, async {
                                client.calls().summary(&id).await
                            })
                            .await;
                            Some(processing(answer, |s: &CallSummary| &s.status))
                        };
                        let transcript = async {
                            if !transcripts {
                                return None;
                            }
                            let answer = limited(&permits, &counters, async {
                                client.calls().transcript(&id).await
                            })
                            .await;
                            Some(processing(answer, |t: &CallTranscript| &t.status))
                        };
                        let (summary, transcript) = future::join(summary, transcript).await;
                        Ok(ExportedCall {
                            call,
                            participant,
                            summary,
                            transcript,
                            progress: ExportCounts::default(),
                        })
                    }
                })
                .try_buffered(concurrency)
        };
        let counted = exported.map_ok(move |mut exported| {
            ExportProgress::add(&counters.calls, 1);
            exported.progress = progress.snapshot();
            exported
        });
        Either::Right(Box::pin(counted))
    }

    fn check(&self) -> Result<()> {
        input::time_range(self.created_after, self.created_before)?;
        if !(1..=MAX_EXPORT_CONCURRENCY).contains(&self.concurrency) {
            return Err(Error::InvalidInput {
                field: "concurrency",
                message: format!(
                    "an export has 1 to {MAX_EXPORT_CONCURRENCY} requests in flight, got {}",
                    self.concurrency
                ),
            });
        }
        for id in self.phone_number_ids.iter().flatten() {
            input::prefixed_id("phone_numbers", id, "PN")?;
        }
        Ok(())
    }
}

/// The items of a listing's pages, each page counted as a request and an
/// unreadable item yielded as its error.
fn counted_items<T: Send + 'static>(
    pages: impl Stream<Item = Result<Page<T>>> + Send + 'static,
    counters: Arc<Counters>,
) -> impl Stream<Item = Result<T>> + Send + 'static {
    pages
        .inspect(move |page| {
            // A refusal before sending is not a request.
            if !matches!(page, Err(Error::InvalidInput { .. })) {
                ExportProgress::add(&counters.requests, 1);
            }
        })
        .map_ok(|page| {
            stream::iter(
                page.into_results()
                    .map(|item| item.map_err(|e| Error::UnreadableItem(Box::new(e)))),
            )
        })
        .try_flatten()
}

/// Runs one summary or transcript request under a permit, counted.
async fn limited<T>(
    permits: &Semaphore,
    counters: &Counters,
    request: impl Future<Output = Result<T>>,
) -> Result<T> {
    // The semaphore is never closed, so acquiring only waits.
    let _permit = permits.acquire().await;
    ExportProgress::add(&counters.requests, 1);
    let _in_flight = InFlight::enter(counters);
    request.await
}

/// Counts one request in flight while it lives, so a request dropped
/// with the stream (the caller stopped reading) is not left counted.
struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    fn enter(counters: &'a Counters) -> Self {
        ExportProgress::add(&counters.in_flight, 1);
        Self(counters)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A summary or transcript request's answer as the call's outcome.
fn processing<T>(
    answer: Result<T>,
    status: impl Fn(&T) -> &Open<ProcessingStatus>,
) -> CallProcessing<T> {
    match answer {
        Ok(value) if matches!(status(&value), Open::Known(ProcessingStatus::Completed)) => {
            CallProcessing::Completed(value)
        }
        Ok(value) => CallProcessing::NotCompleted(value),
        Err(error) if error.status() == Some(404) => CallProcessing::Missing,
        Err(error) => CallProcessing::Failed(error),
    }
}
