//! [`ContactSync`]: many rows synced by `externalId` at the API's own
//! granularity.
//!
//! A per-row upsert costs a list request per row before any write. Quo's
//! `GET /v1/contacts` takes up to 50 `externalIds` at once, so a sync reads
//! the rows in batches, decides each row in memory from what the batch
//! read (the same merge as [`Contacts::update`]), and sends only the
//! writes that change something, several at once within the client's rate
//! budget. Every row gets its own [`SyncOutcome`]; one bad row never stops
//! the others.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, FuturesUnordered, StreamExt};
use quo_api::types::{Contact, ContactUpdate, CustomFieldInputValue, NewContact};
use serde_json::Value;

use super::Contacts;
use super::MAX_PAGE_SIZE;
use super::checks;
use super::draft::ContactDraft;
use crate::client::QuoClient;
use crate::custom_field_definitions::DefinitionIndex;
use crate::error::{Error, Result, quote_short};
use crate::resources::input;

/// Most external ids one read asks for. `GET /v1/contacts` serves at most
/// 50 contacts a page (`maxResults`), so 50 ids that each one contact holds
/// come back in one request; more ids would only add pages.
pub const MAX_IDS_PER_READ: usize = 50;

/// Most bytes the encoded `externalIds` parameters of one read may take,
/// so the URL stays well under the limits of servers and proxies (8 KiB is
/// common). 50 plain ids of 75 characters take about 4.4 KiB; a batch of
/// long ids full of characters that need escaping is cut early instead.
pub const MAX_READ_QUERY_BYTES: usize = 6 * 1024;

/// Writes in flight at once by default: enough to keep 10 requests per
/// second going at a few hundred milliseconds per write, while the
/// client's rate limiter paces them.
pub const DEFAULT_SYNC_CONCURRENCY: usize = 4;

/// Most writes in flight at once, whatever is asked: more only waits on
/// the rate limiter while holding connections.
pub const MAX_SYNC_CONCURRENCY: usize = 32;

impl<'a> Contacts<'a> {
    /// Starts a sync of `rows` into Quo, keyed by each row's external id:
    /// a contact is created when none has the id, brought up to the row
    /// where it differs, and left alone when it already matches.
    ///
    /// It reads existing contacts 50 external ids per request (fewer when
    /// the ids are long), decides each row from what it read, and writes
    /// only what changes, with the merge rules of
    /// [`upsert_by_external_id`](Self::upsert_by_external_id): names,
    /// company, role and source URL set, emails and phone numbers added
    /// when missing (an email in another case is the same email, so
    /// `Ada@Example.com` against `ada@example.com` is unchanged), custom
    /// fields set; nothing the row does not name is removed. So a sync costs about `rows / 50` reads plus one write per
    /// row that changes, and running it again after a crash writes only
    /// what the first run did not.
    ///
    /// Each row gets its own [`SyncOutcome`]; a row fails on its own (bad
    /// input, an external id two Quo contacts hold, an id already on an
    /// earlier row, a refused write) and the others go on. Rows come from
    /// any iterator; for a `futures::Stream`, collect it first
    /// (`stream.collect::<Vec<_>>().await`): the rows must all be known to
    /// spot an external id given twice.
    ///
    /// **Not atomic**, like the upsert: run one sync per set of external
    /// ids at a time.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::StreamExt;
    /// use quo_api_ext::contacts::{ContactDraft, SyncAction};
    ///
    /// let rows = vec![
    ///     ContactDraft::new("Ada").external_id("crm-1").custom_field_text("Deal Size", "42"),
    ///     ContactDraft::new("Grace").external_id("crm-2").role("Admiral"),
    /// ];
    /// // First the plan: the same reads, no writes.
    /// let plan = client.contacts().sync(rows.clone()).dry_run().run().await;
    /// for outcome in &plan.outcomes {
    ///     if let SyncAction::Updated { changes, .. } = &outcome.action {
    ///         for change in changes {
    ///             println!("row {}: {change}", outcome.row);
    ///         }
    ///     }
    /// }
    /// // Then the writes, with progress as they finish.
    /// let mut outcomes = client.contacts().sync(rows).concurrency(4).outcomes();
    /// while let Some(outcome) = outcomes.next().await {
    ///     let p = outcome.progress;
    ///     println!("{}/{} rows, {} requests: {}", p.done, p.total, p.requests, outcome.action);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn sync(&self, rows: impl IntoIterator<Item = ContactDraft>) -> ContactSync {
        ContactSync {
            client: self.client.clone(),
            rows: rows.into_iter().collect(),
            dry_run: false,
            concurrency: DEFAULT_SYNC_CONCURRENCY,
        }
    }
}

/// A sync of many contacts by external id, from [`Contacts::sync`]:
/// configure it, then consume it with [`run`](Self::run) (every outcome
/// and a summary) or [`outcomes`](Self::outcomes) (a stream, as rows
/// finish).
#[must_use]
pub struct ContactSync {
    client: QuoClient,
    rows: Vec<ContactDraft>,
    dry_run: bool,
    concurrency: usize,
}

impl fmt::Debug for ContactSync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContactSync")
            .field("rows", &self.rows.len())
            .field("dry_run", &self.dry_run)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl ContactSync {
    /// Plans without writing: the same reads, no `POST` or `PATCH`, and
    /// each row's outcome says what would happen, each changed field with
    /// its value before and after. What careful users run first.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient, rows: Vec<quo_api_ext::contacts::ContactDraft>) -> quo_api_ext::Result<()> {
    /// let plan = client.contacts().sync(rows).dry_run().run().await;
    /// for outcome in &plan.outcomes {
    ///     println!("row {}: {}", outcome.row, outcome.action);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    /// How many writes may be in flight at once (default
    /// [`DEFAULT_SYNC_CONCURRENCY`], at least 1, at most
    /// [`MAX_SYNC_CONCURRENCY`]). The client's rate limiter paces them, so
    /// more only helps while the rate budget is not yet spent.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient, rows: Vec<quo_api_ext::contacts::ContactDraft>) -> quo_api_ext::Result<()> {
    /// let report = client.contacts().sync(rows).concurrency(8).run().await;
    /// println!("{}", report.summary);
    /// # Ok(())
    /// # }
    /// ```
    pub fn concurrency(mut self, writes: usize) -> Self {
        self.concurrency = writes.clamp(1, MAX_SYNC_CONCURRENCY);
        self
    }

    /// Runs the sync to the end: every row's outcome, in row order, and
    /// the counts.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let rows = vec![ContactDraft::new("Ada").external_id("crm-1815")];
    /// let plan = client.contacts().sync(rows.clone()).dry_run().run().await;
    /// println!("would: {}", plan.summary);
    /// let done = client.contacts().sync(rows).run().await;
    /// println!("did: {}", done.summary);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn run(self) -> SyncReport {
        let dry_run = self.dry_run;
        let mut outcomes: Vec<SyncOutcome> = self.outcomes().collect().await;
        outcomes.sort_by_key(|o| o.row);
        let summary = SyncSummary::of(&outcomes, dry_run);
        SyncReport { outcomes, summary }
    }

    /// Runs the sync as a stream: one [`SyncOutcome`] per row, in the
    /// order rows finish (rows refused before any request come first),
    /// each with the [`SyncCounts`] so far. Nothing is sent until the
    /// stream is polled. Dropping it stops the sync and cancels the
    /// requests in flight (a write cancelled mid-way may or may not have
    /// happened); running the sync again reads what Quo holds and writes
    /// only what is still missing.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use futures::StreamExt;
    /// use quo_api_ext::contacts::ContactDraft;
    ///
    /// let rows = vec![ContactDraft::new("Ada").external_id("crm-1815")];
    /// let mut outcomes = client.contacts().sync(rows).outcomes();
    /// while let Some(outcome) = outcomes.next().await {
    ///     println!("{}/{}: {:?}", outcome.progress.done, outcome.progress.total, outcome.action);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn outcomes(self) -> BoxStream<'static, SyncOutcome> {
        let ContactSync {
            client,
            rows,
            dry_run,
            concurrency,
        } = self;
        let total = rows.len();
        let counters = Arc::new(Counters::default());

        let mut refused = Vec::new();
        let mut pending = Vec::new();
        let mut first_row: HashMap<String, usize> = HashMap::new();
        for (row, draft) in rows.into_iter().enumerate() {
            match admit(row, &draft, &mut first_row) {
                Ok(external_id) => pending.push(Pending {
                    row,
                    external_id,
                    draft,
                }),
                Err(error) => refused.push(Decided::failed(row, &draft, error)),
            }
        }
        let driver = Driver {
            client,
            counters: Arc::clone(&counters),
            dry_run,
            concurrency,
            batches: batches(pending).into(),
            ready: VecDeque::new(),
            decided: refused.into(),
            running: FuturesUnordered::new(),
            reads_in_flight: 0,
            writes_in_flight: 0,
        };
        let done = stream::unfold(driver, |mut driver| async move {
            driver.next().await.map(|decided| (decided, driver))
        });

        done.map(move |decided| {
            let done = counters.done.fetch_add(1, Ordering::Relaxed) + 1;
            let reads = counters.reads.load(Ordering::Relaxed);
            let writes = counters.writes.load(Ordering::Relaxed);
            SyncOutcome {
                row: decided.row,
                external_id: decided.external_id,
                action: decided.action,
                contact: decided.contact,
                progress: SyncCounts {
                    done,
                    total,
                    requests: reads + writes,
                    reads,
                    writes,
                },
            }
        })
        .boxed()
    }
}

/// What happened to one row of a [`ContactSync`].
#[derive(Debug)]
#[non_exhaustive]
pub struct SyncOutcome {
    /// The row's place in the input, from 0.
    pub row: usize,
    /// The row's external id, when it had one.
    pub external_id: Option<String>,
    /// Created, updated, unchanged or failed (in a dry run: what would be).
    pub action: SyncAction,
    /// The contact as Quo holds it after this row: as written, or as read
    /// when nothing was written (unchanged, or a dry run's update); `None`
    /// for a failure and a dry run's create.
    pub contact: Option<Contact>,
    /// How far the sync was when this row finished.
    pub progress: SyncCounts,
}

/// What a sync did with one row, or in a dry run, would do.
#[derive(Debug)]
#[non_exhaustive]
pub enum SyncAction {
    /// No contact had the external id: one was created with these fields
    /// (each `before` is null).
    Created {
        /// The fields the new contact gets.
        changes: Vec<ChangedField>,
    },
    /// The contact with the external id differed from the row: these
    /// fields were changed.
    Updated {
        /// Each field that changed, before and after.
        changes: Vec<ChangedField>,
    },
    /// The contact already matched the row: nothing was written.
    Unchanged,
    /// This row alone failed; nothing was written for it, unless the error
    /// says the write may have happened (a timeout after a write was sent:
    /// running the sync again finds the contact if it was created). A
    /// failed read fails each row of its batch with the same error, hence
    /// the `Arc`.
    Failed(Arc<Error>),
}

impl SyncAction {
    /// Whether the row failed.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quo_api_ext::{Error, contacts::SyncAction};
    ///
    /// let failed = SyncAction::Failed(Arc::new(Error::InvalidInput { field: "source", message: "reserved".into() }));
    /// assert!(failed.is_failed() && !SyncAction::Unchanged.is_failed());
    /// ```
    #[must_use]
    pub fn is_failed(&self) -> bool {
        matches!(self, SyncAction::Failed(_))
    }

    /// The changed fields of a create or an update; empty otherwise.
    ///
    /// ```
    /// use quo_api_ext::contacts::{ChangedField, SyncAction};
    /// use serde_json::json;
    ///
    /// let action = SyncAction::Updated { changes: vec![ChangedField::new("role", json!("CEO"), json!("CTO"))] };
    /// assert_eq!(action.changes()[0].field, "role");
    /// assert!(SyncAction::Unchanged.changes().is_empty());
    /// ```
    #[must_use]
    pub fn changes(&self) -> &[ChangedField] {
        match self {
            SyncAction::Created { changes } | SyncAction::Updated { changes } => changes,
            SyncAction::Unchanged | SyncAction::Failed(_) => &[],
        }
    }

    /// The error of a failed row.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quo_api_ext::{Error, contacts::SyncAction};
    ///
    /// let failed = SyncAction::Failed(Arc::new(Error::InvalidInput { field: "source", message: "reserved".into() }));
    /// assert!(matches!(failed.error(), Some(Error::InvalidInput { field: "source", .. })));
    /// assert!(SyncAction::Unchanged.error().is_none());
    /// ```
    #[must_use]
    pub fn error(&self) -> Option<&Error> {
        match self {
            SyncAction::Failed(error) => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for SyncAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncAction::Created { changes } => write!(f, "created ({} fields)", changes.len()),
            SyncAction::Updated { changes } => {
                let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
                write!(f, "updated ({})", fields.join(", "))
            }
            SyncAction::Unchanged => f.write_str("unchanged"),
            SyncAction::Failed(error) => write!(f, "failed: {error}"),
        }
    }
}

/// One field a sync changes on a contact, as the wire names it
/// (`firstName`, `emails`, `customFields.Lead Score`), with its value
/// before and after as JSON (null: none).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChangedField {
    /// The field: a default field's wire name, `emails` or `phoneNumbers`
    /// for an added item, or `customFields.` and the field's name.
    pub field: String,
    /// The value before (null when it had none).
    pub before: Value,
    /// The value after (null when cleared).
    pub after: Value,
}

impl ChangedField {
    /// A change of `field` from `before` to `after`, e.g. to compare with a
    /// plan in a test.
    ///
    /// ```
    /// use quo_api_ext::contacts::ChangedField;
    /// use serde_json::{Value, json};
    ///
    /// let change = ChangedField::new("company", Value::Null, json!("Analytical Engines"));
    /// assert_eq!(change.to_string(), r#"company: null → "Analytical Engines""#);
    /// ```
    #[must_use]
    pub fn new(field: impl Into<String>, before: Value, after: Value) -> Self {
        Self {
            field: field.into(),
            before,
            after,
        }
    }
}

impl fmt::Display for ChangedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} → {}", self.field, self.before, self.after)
    }
}

/// How far a sync is: rows done of the total, and the requests sent so
/// far. Progress as values, so drawing a bar is the caller's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SyncCounts {
    /// Rows with an outcome so far.
    pub done: usize,
    /// Rows in the sync.
    pub total: usize,
    /// Requests sent or in flight so far: `reads + writes`. Retries of one request
    /// count once, and the custom-field definitions (read once per client)
    /// are not counted.
    pub requests: usize,
    /// List requests sent so far (one per page of a batch).
    pub reads: usize,
    /// `POST` and `PATCH` requests sent so far.
    pub writes: usize,
}

impl SyncCounts {
    /// How long the rest of the sync should take at `requests_per_second`
    /// (the client's rate budget, 10 for one Quo key): the rows left times
    /// the requests each row has cost so far, at that rate. An estimate
    /// from the rows done, so it settles as the sync goes on; `None` until
    /// a row is done, zero once all are.
    ///
    /// ```
    /// # use quo_api_ext::contacts::SyncCounts;
    /// # fn show(progress: SyncCounts) {
    /// if let Some(left) = progress.estimated_remaining(10) {
    ///     eprintln!("{}/{} rows, about {} s left", progress.done, progress.total, left.as_secs());
    /// }
    /// # }
    /// ```
    #[must_use]
    pub fn estimated_remaining(&self, requests_per_second: u32) -> Option<std::time::Duration> {
        if self.done == 0 || requests_per_second == 0 {
            return None;
        }
        let left = self.total.saturating_sub(self.done) as f64;
        let per_row = self.requests as f64 / self.done as f64;
        Some(std::time::Duration::from_secs_f64(
            left * per_row / f64::from(requests_per_second),
        ))
    }
}

/// The counts of a finished sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SyncSummary {
    /// Rows in the sync.
    pub rows: usize,
    /// Rows created (in a dry run: that would be).
    pub created: usize,
    /// Rows updated (in a dry run: that would be).
    pub updated: usize,
    /// Rows that already matched.
    pub unchanged: usize,
    /// Rows that failed.
    pub failed: usize,
    /// List requests sent.
    pub reads: usize,
    /// `POST` and `PATCH` requests sent (0 in a dry run).
    pub writes: usize,
    /// Whether this was a dry run.
    pub dry_run: bool,
}

impl SyncSummary {
    fn of(outcomes: &[SyncOutcome], dry_run: bool) -> Self {
        let mut summary = SyncSummary {
            rows: outcomes.len(),
            dry_run,
            ..SyncSummary::default()
        };
        for outcome in outcomes {
            match outcome.action {
                SyncAction::Created { .. } => summary.created += 1,
                SyncAction::Updated { .. } => summary.updated += 1,
                SyncAction::Unchanged => summary.unchanged += 1,
                SyncAction::Failed(_) => summary.failed += 1,
            }
        }
        // Progress only grows: the largest is the end's.
        let last = outcomes.iter().map(|o| o.progress).max_by_key(|p| p.done);
        if let Some(p) = last {
            summary.reads = p.reads;
            summary.writes = p.writes;
        }
        summary
    }

    /// Every request the sync sent: reads and writes.
    ///
    /// ```
    /// use quo_api_ext::contacts::SyncSummary;
    ///
    /// let mut summary = SyncSummary::default();
    /// (summary.reads, summary.writes) = (2, 3);
    /// assert_eq!(summary.requests(), 5);
    /// ```
    #[must_use]
    pub fn requests(&self) -> usize {
        self.reads + self.writes
    }
}

impl fmt::Display for SyncSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let would = if self.dry_run { " (dry run)" } else { "" };
        write!(
            f,
            "created {}, updated {}, unchanged {}, failed {}{would}; {} requests ({} reads, {} writes)",
            self.created,
            self.updated,
            self.unchanged,
            self.failed,
            self.requests(),
            self.reads,
            self.writes
        )
    }
}

/// Everything a finished sync did, from [`ContactSync::run`].
#[derive(Debug)]
#[non_exhaustive]
pub struct SyncReport {
    /// One outcome per row, in row order.
    pub outcomes: Vec<SyncOutcome>,
    /// The counts.
    pub summary: SyncSummary,
}

/// Reads in flight at once: the next batch is read while this one's
/// writes go out, so the write slots never wait on a read.
const READS_AHEAD: usize = 2;

/// What a running request of the sync gives back.
enum Step {
    /// A batch was read: what each of its rows needs.
    Read(Vec<Job>),
    /// A row is done (boxed: an outcome is much larger than a list).
    Finished(Box<Decided>),
}

/// Runs a sync's reads and writes side by side: up to [`READS_AHEAD`]
/// reads and `concurrency` writes in flight, polled together so a read
/// never waits for the writes to drain (nor the writes for a read), and
/// nothing runs unless the outcome stream is polled.
struct Driver {
    client: QuoClient,
    counters: Arc<Counters>,
    dry_run: bool,
    concurrency: usize,
    /// Batches not yet read.
    batches: VecDeque<Vec<Pending>>,
    /// Rows read, waiting for a write slot.
    ready: VecDeque<Job>,
    /// Rows decided without a request, to hand out first.
    decided: VecDeque<Decided>,
    running: FuturesUnordered<BoxFuture<'static, Step>>,
    reads_in_flight: usize,
    writes_in_flight: usize,
}

impl Driver {
    /// The next row's outcome, or `None` when every row has one.
    async fn next(&mut self) -> Option<Decided> {
        loop {
            self.start();
            if let Some(decided) = self.decided.pop_front() {
                return Some(decided);
            }
            match self.running.next().await? {
                Step::Read(jobs) => {
                    self.reads_in_flight -= 1;
                    self.ready.extend(jobs);
                }
                Step::Finished(decided) => {
                    self.writes_in_flight -= 1;
                    return Some(*decided);
                }
            }
        }
    }

    /// Starts what the limits allow: reads while fewer than two batches of
    /// rows wait (so memory stays bounded), then a row per free write slot.
    fn start(&mut self) {
        while self.reads_in_flight < READS_AHEAD && self.ready.len() < 2 * MAX_IDS_PER_READ {
            let Some(batch) = self.batches.pop_front() else {
                break;
            };
            let (client, counters) = (self.client.clone(), Arc::clone(&self.counters));
            self.reads_in_flight += 1;
            self.running.push(Box::pin(async move {
                Step::Read(read_batch(&client, &counters, batch).await)
            }));
        }
        while self.writes_in_flight < self.concurrency {
            let Some(job) = self.ready.pop_front() else {
                break;
            };
            if let Job::Done(decided) = job {
                self.decided.push_back(decided);
                continue;
            }
            let (client, counters) = (self.client.clone(), Arc::clone(&self.counters));
            let dry_run = self.dry_run;
            self.writes_in_flight += 1;
            self.running.push(Box::pin(async move {
                Step::Finished(Box::new(job.finish(&client, &counters, dry_run).await))
            }));
        }
    }
}

/// Requests and rows counted as the sync goes.
#[derive(Debug, Default)]
struct Counters {
    reads: AtomicUsize,
    writes: AtomicUsize,
    done: AtomicUsize,
}

/// A row admitted to the reads.
struct Pending {
    row: usize,
    external_id: String,
    draft: ContactDraft,
}

/// A row's outcome before progress is attached.
struct Decided {
    row: usize,
    external_id: Option<String>,
    action: SyncAction,
    contact: Option<Contact>,
}

impl Decided {
    fn failed(row: usize, draft: &ContactDraft, error: Error) -> Self {
        Self::failed_shared(
            row,
            draft.external_id_value().map(str::to_owned),
            Arc::new(error),
        )
    }

    fn failed_shared(row: usize, external_id: Option<String>, error: Arc<Error>) -> Self {
        Decided {
            row,
            external_id,
            action: SyncAction::Failed(error),
            contact: None,
        }
    }
}

/// A row after its batch was read: what is left to do for it.
enum Job {
    /// Decided already (an ambiguous id, a failed read).
    Done(Decided),
    /// No contact has the external id.
    Create(Pending),
    /// This contact has it.
    Update(Pending, Box<Contact>),
}

/// The row's external id when it may be synced: it has one, its values
/// pass every check that needs no request, and no earlier row has it.
fn admit(
    row: usize,
    draft: &ContactDraft,
    first_row: &mut HashMap<String, usize>,
) -> Result<String> {
    let Some(external_id) = draft.external_id_value() else {
        return Err(Error::InvalidInput {
            field: "external_id",
            message: "a synced row needs an external id".into(),
        });
    };
    draft.check()?;
    checks::external_id(external_id)?;
    if let Some(first) = first_row.get(external_id) {
        return Err(Error::InvalidInput {
            field: "external_id",
            message: format!(
                "the external id {:?} is also on row {first} of this sync; only the first row with it is synced",
                quote_short(external_id)
            ),
        });
    }
    first_row.insert(external_id.to_owned(), row);
    Ok(external_id.to_owned())
}

/// The rows in read batches: at most [`MAX_IDS_PER_READ`] ids and
/// [`MAX_READ_QUERY_BYTES`] of encoded parameters each, in row order.
fn batches(rows: Vec<Pending>) -> Vec<Vec<Pending>> {
    let mut batches: Vec<Vec<Pending>> = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let cost = query_bytes(&row.external_id);
        let full = batches.last().is_none_or(|b| {
            b.len() >= MAX_IDS_PER_READ || (!b.is_empty() && bytes + cost > MAX_READ_QUERY_BYTES)
        });
        if full {
            batches.push(Vec::new());
            bytes = 0;
        }
        bytes += cost;
        if let Some(batch) = batches.last_mut() {
            batch.push(row);
        }
    }
    batches
}

/// The bytes `externalIds=<id>&` takes in a form-encoded query.
fn query_bytes(external_id: &str) -> usize {
    let encoded: usize = url::form_urlencoded::byte_serialize(external_id.as_bytes())
        .map(str::len)
        .sum();
    "externalIds=&".len() + encoded
}

/// Reads one batch (following pages when Quo holds several contacts for
/// its ids) and decides what each row needs. A failed read, or a page with
/// a contact that could not be read, fails every row of the batch: a
/// contact missed there would be created a second time.
async fn read_batch(client: &QuoClient, counters: &Counters, batch: Vec<Pending>) -> Vec<Job> {
    let ids: Vec<&str> = batch.iter().map(|p| p.external_id.as_str()).collect();
    let mut pages = client
        .contacts()
        .list()
        .page_size(MAX_PAGE_SIZE)
        .external_ids(ids)
        .prefetch(0)
        .pages();
    let mut found: HashMap<String, Vec<Contact>> = HashMap::new();
    let mut failure = None;
    while let Some(page) = pages.next().await {
        counters.reads.fetch_add(1, Ordering::Relaxed);
        match page {
            Ok(page) => {
                if let Some(unreadable) = page.item_errors().first() {
                    failure = Some(Error::UnreadableItem(Box::new(unreadable.clone())));
                    break;
                }
                for contact in page.into_items() {
                    if let Some(id) = contact.external_id.clone() {
                        found.entry(id).or_default().push(contact);
                    }
                }
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    if let Some(error) = failure {
        let error = Arc::new(error);
        return batch
            .into_iter()
            .map(|p| {
                Job::Done(Decided::failed_shared(
                    p.row,
                    Some(p.external_id),
                    Arc::clone(&error),
                ))
            })
            .collect();
    }
    batch
        .into_iter()
        .map(|pending| {
            // Quo matches exactly; a contact with another id is not this row's.
            match found.remove(&pending.external_id) {
                None => Job::Create(pending),
                Some(mut contacts) if contacts.len() == 1 => {
                    let contact = contacts.pop().map(Box::new);
                    match contact {
                        Some(contact) => Job::Update(pending, contact),
                        None => Job::Create(pending),
                    }
                }
                Some(contacts) => {
                    let ids: Vec<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
                    let error = Error::ambiguous_external_id(&pending.external_id, &ids);
                    Job::Done(Decided::failed(pending.row, &pending.draft, error))
                }
            }
        })
        .collect()
}

impl Job {
    /// Writes what the row needs (nothing in a dry run) and says what
    /// happened.
    async fn finish(self, client: &QuoClient, counters: &Counters, dry_run: bool) -> Decided {
        match self {
            Job::Done(decided) => decided,
            Job::Create(pending) => create(client, counters, pending, dry_run).await,
            Job::Update(pending, contact) => {
                update(client, counters, pending, *contact, dry_run).await
            }
        }
    }
}

async fn create(
    client: &QuoClient,
    counters: &Counters,
    pending: Pending,
    dry_run: bool,
) -> Decided {
    let Pending {
        row,
        external_id,
        draft,
    } = pending;
    let decided = |action, contact| Decided {
        row,
        external_id: Some(external_id.clone()),
        action,
        contact,
    };
    // The plan, and every custom-field value checked, before any write.
    let planned = async {
        let index = if draft.custom_fields.is_empty() {
            Arc::new(DefinitionIndex::default())
        } else {
            client.custom_field_definitions().index().await?
        };
        let body = draft.to_new_contact(&index)?;
        Ok::<_, Error>(created_fields(&body, &index))
    }
    .await;
    let changes = match planned {
        Ok(changes) => changes,
        Err(error) => return decided(SyncAction::Failed(Arc::new(error)), None),
    };
    if dry_run {
        return decided(SyncAction::Created { changes }, None);
    }
    counters.writes.fetch_add(1, Ordering::Relaxed);
    match client.contacts().create(draft).await {
        Ok(contact) => decided(SyncAction::Created { changes }, Some(contact)),
        Err(error) => decided(SyncAction::Failed(Arc::new(error)), None),
    }
}

async fn update(
    client: &QuoClient,
    counters: &Counters,
    pending: Pending,
    contact: Contact,
    dry_run: bool,
) -> Decided {
    let Pending {
        row,
        external_id,
        draft,
    } = pending;
    let decided = |action, contact| Decided {
        row,
        external_id: Some(external_id.clone()),
        action,
        contact,
    };
    let changes = draft.to_changes();
    let planned = async {
        // The id comes from a listing: checked like a caller's before it
        // goes into the PATCH's path.
        input::response_id("data[].id", &contact.id)?;
        let needs_definitions =
            changes.names_custom_fields() || contact.custom_fields.iter().any(|f| f.key.is_none());
        let index = if needs_definitions {
            client.custom_field_definitions().index().await?
        } else {
            Arc::new(DefinitionIndex::default())
        };
        let body = changes.merge(&contact, &index)?;
        Ok::<_, Error>(body.map(|body| updated_fields(&contact, &body, &index)))
    }
    .await;
    let fields = match planned {
        Ok(Some(fields)) => fields,
        Ok(None) => return decided(SyncAction::Unchanged, Some(contact)),
        Err(error) => return decided(SyncAction::Failed(Arc::new(error)), None),
    };
    if dry_run {
        return decided(SyncAction::Updated { changes: fields }, Some(contact));
    }
    counters.writes.fetch_add(1, Ordering::Relaxed);
    let id = contact.id.clone();
    match client.contacts().apply(&id, contact, &changes).await {
        Ok((stored, true)) => decided(SyncAction::Updated { changes: fields }, Some(stored)),
        Ok((stored, false)) => decided(SyncAction::Unchanged, Some(stored)),
        Err(error) => decided(SyncAction::Failed(Arc::new(error)), None),
    }
}

/// The fields a create body sets, each from null.
fn created_fields(body: &NewContact, index: &DefinitionIndex) -> Vec<ChangedField> {
    let d = &body.default_fields;
    let mut fields = Vec::new();
    let mut set = |field: &str, after: Option<Value>| {
        if let Some(after) = after {
            fields.push(ChangedField {
                field: field.to_owned(),
                before: Value::Null,
                after,
            });
        }
    };
    set("firstName", d.first_name.clone().map(Value::String));
    set("lastName", d.last_name.clone().map(Value::String));
    set("company", d.company.clone().map(Value::String));
    set("role", d.role.clone().map(Value::String));
    for email in &d.emails {
        set("emails", email.value.clone().map(Value::String));
    }
    for number in &d.phone_numbers {
        set("phoneNumbers", number.value.clone().map(Value::String));
    }
    set(
        "externalId",
        body.external_id
            .as_ref()
            .map(|v| Value::String(v.to_string())),
    );
    set(
        "source",
        body.source.as_ref().map(|v| Value::String(v.to_string())),
    );
    set(
        "sourceUrl",
        body.source_url
            .as_ref()
            .map(|v| Value::String(v.to_string())),
    );
    for input in &body.custom_fields {
        let key = input.key.as_deref().unwrap_or_default();
        set(
            &custom_field_label(key, None, index),
            input.value.as_ref().map(wire_json),
        );
    }
    fields
}

/// What a merged `PATCH` body changes on `contact`, field by field. Reads
/// the body [`ContactChanges::merge`](super::ContactChanges) built: the
/// merge decides, this only describes.
fn updated_fields(
    contact: &Contact,
    body: &ContactUpdate,
    index: &DefinitionIndex,
) -> Vec<ChangedField> {
    let mut fields = Vec::new();
    let mut change = |field: String, before: Value, after: Value| {
        if !same_json(&before, &after) {
            fields.push(ChangedField {
                field,
                before,
                after,
            });
        }
    };
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    let current = &contact.default_fields;
    if let Some(d) = &body.default_fields {
        for (name, sent, now) in [
            ("firstName", &d.first_name, &current.first_name),
            ("lastName", &d.last_name, &current.last_name),
            ("company", &d.company, &current.company),
            ("role", &d.role, &current.role),
        ] {
            if let Some(sent) = sent {
                change(name.to_owned(), text(now), text(sent));
            }
        }
        let values = |items: Vec<Option<String>>| {
            Value::Array(items.into_iter().flatten().map(Value::String).collect())
        };
        change(
            "emails".into(),
            values(current.emails.iter().map(|e| e.value.clone()).collect()),
            values(d.emails.iter().map(|e| e.value.clone()).collect()),
        );
        change(
            "phoneNumbers".into(),
            values(
                current
                    .phone_numbers
                    .iter()
                    .map(|p| p.value.clone())
                    .collect(),
            ),
            values(d.phone_numbers.iter().map(|p| p.value.clone()).collect()),
        );
    }
    if let Some(sent) = &body.external_id {
        change(
            "externalId".into(),
            text(&contact.external_id),
            sent.as_ref()
                .map_or(Value::Null, |v| Value::String(v.to_string())),
        );
    }
    if let Some(sent) = &body.source {
        change(
            "source".into(),
            text(&contact.source),
            sent.as_ref()
                .map_or(Value::Null, |v| Value::String(v.to_string())),
        );
    }
    if let Some(sent) = &body.source_url {
        change(
            "sourceUrl".into(),
            text(&contact.source_url),
            sent.as_ref()
                .map_or(Value::Null, |v| Value::String(v.to_string())),
        );
    }
    for input in &body.custom_fields {
        let Some(key) = input.key.as_deref() else {
            continue;
        };
        let held = contact.custom_fields.iter().find(|f| {
            f.key.as_deref() == Some(key)
                || (f.key.is_none()
                    && index
                        .by_name(&f.name)
                        .ok()
                        .flatten()
                        .is_some_and(|d| d.key == key))
        });
        let before = held.map_or(Value::Null, |f| f.value.to_json());
        let after = input.value.as_ref().map_or(Value::Null, wire_json);
        let label = custom_field_label(key, held.map(|f| f.name.as_str()), index);
        change(label, before, after);
    }
    fields
}

/// Whether two values read the same: numbers compared as numbers, so a
/// stored `100` and a written `100.0` are no change.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        _ => a == b,
    }
}

/// `customFields.` and the field's name (or its key when no name is known).
fn custom_field_label(key: &str, name: Option<&str>, index: &DefinitionIndex) -> String {
    let name = name
        .map(str::to_owned)
        .or_else(|| index.by_key(key).map(|d| d.name.clone()))
        .unwrap_or_else(|| key.to_owned());
    format!("customFields.{name}")
}

/// A custom-field write value as JSON.
fn wire_json(value: &CustomFieldInputValue) -> Value {
    match value {
        CustomFieldInputValue::Boolean(b) => Value::Bool(*b),
        CustomFieldInputValue::Number(n) => {
            serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
        }
        CustomFieldInputValue::String(s) => Value::String(s.clone()),
        CustomFieldInputValue::Array(items) => {
            Value::Array(items.iter().cloned().map(Value::String).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(row: usize, id: &str) -> Pending {
        Pending {
            row,
            external_id: id.to_owned(),
            draft: ContactDraft::new("A").external_id(id),
        }
    }

    #[test]
    fn batches_hold_fifty_ids_and_are_cut_early_for_long_ids() {
        let rows: Vec<Pending> = (0..120).map(|i| pending(i, &format!("crm-{i}"))).collect();
        let sizes: Vec<usize> = batches(rows).iter().map(Vec::len).collect();
        assert_eq!(sizes, [50, 50, 20]);

        // 75 characters that each need three bytes of escaping, twice:
        // 450 bytes per id, so a batch is cut well before 50.
        let long = "é".repeat(75);
        let rows: Vec<Pending> = (0..50).map(|i| pending(i, &format!("{long}{i}"))).collect();
        let cut = batches(rows);
        assert!(cut.len() > 1, "cut early");
        for batch in &cut {
            let bytes: usize = batch.iter().map(|p| query_bytes(&p.external_id)).sum();
            assert!(bytes <= MAX_READ_QUERY_BYTES, "{bytes}");
        }
        assert_eq!(cut.iter().map(Vec::len).sum::<usize>(), 50, "no row lost");
        assert_eq!(
            cut.iter().flatten().map(|p| p.row).collect::<Vec<_>>(),
            (0..50).collect::<Vec<_>>(),
            "row order kept"
        );
    }

    #[test]
    fn a_row_is_admitted_once_per_external_id_and_only_when_valid() {
        let mut seen = HashMap::new();
        let ok = ContactDraft::new("Ada").external_id("x");
        assert_eq!(admit(0, &ok, &mut seen).unwrap(), "x");
        let again = admit(3, &ok, &mut seen).unwrap_err();
        assert!(again.to_string().contains("also on row 0"), "{again}");
        let none = admit(4, &ContactDraft::new("Ada"), &mut seen).unwrap_err();
        assert!(matches!(
            none,
            Error::InvalidInput {
                field: "external_id",
                ..
            }
        ));
        let blank = admit(5, &ContactDraft::new(" ").external_id("y"), &mut seen).unwrap_err();
        assert!(matches!(
            blank,
            Error::InvalidInput {
                field: "first_name",
                ..
            }
        ));
        // A refused row does not claim its id.
        assert!(admit(6, &ContactDraft::new("Bo").external_id("y"), &mut seen).is_ok());
    }

    #[test]
    fn the_time_left_follows_the_requests_each_row_has_cost() {
        let mut progress = SyncCounts {
            done: 0,
            total: 1000,
            requests: 0,
            reads: 0,
            writes: 0,
        };
        assert_eq!(progress.estimated_remaining(10), None);
        // 100 rows for 20 requests: 900 rows left, 180 requests, 18 s at 10/s.
        progress.done = 100;
        progress.requests = 20;
        assert_eq!(
            progress.estimated_remaining(10),
            Some(std::time::Duration::from_secs(18))
        );
        assert_eq!(progress.estimated_remaining(0), None);
        progress.done = 1000;
        assert_eq!(
            progress.estimated_remaining(10),
            Some(std::time::Duration::ZERO)
        );
    }

    #[test]
    fn query_bytes_count_the_encoding() {
        assert_eq!(query_bytes("a"), "externalIds=a&".len());
        assert_eq!(query_bytes("a b"), "externalIds=a+b&".len());
        assert_eq!(query_bytes("é"), "externalIds=%C3%A9&".len());
    }
}
