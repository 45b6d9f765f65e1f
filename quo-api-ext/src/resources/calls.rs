//! Calls and what Quo makes of them: recordings, summary, transcript,
//! voicemail; and every call of the workspace in a window
//! ([`Calls::export`]).
//!
//! Start from [`QuoClient::calls`]. A summary or transcript that Quo has
//! not finished (or will not make) is not an error: it comes back with its
//! `status` (`absent`, `in-progress`, `completed`, `failed`, or a newer
//! one Quo adds, kept as text), to match on:
//!
//! ```no_run
//! # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
//! use quo_api_ext::types::{Open, ProcessingStatus};
//!
//! let summary = client.calls().summary("AC123abc").await?;
//! match summary.status {
//!     Open::Known(ProcessingStatus::Completed) => println!("{:?}", summary.summary),
//!     Open::Known(ProcessingStatus::InProgress) => println!("not ready yet"),
//!     other => println!("no summary: {other}"),
//! }
//! # Ok(())
//! # }
//! ```

mod export;

use std::fmt;
use std::num::NonZeroU64;

use quo_api::types::{
    Call, CallPage, CallParticipant, CallRecording, CallSummary, CallTranscript, CallVoicemail,
};

use crate::client::QuoClient;
use crate::error::{Error, Result};
use crate::resources::input;
use crate::resources::list::{CreatedByUser, CreatedByUserFilters, List, ListQuery, WholeList};

pub use export::{
    CallExport, CallProcessing, DEFAULT_EXPORT_CONCURRENCY, ExportCounts, ExportProgress,
    ExportedCall, MAX_EXPORT_CONCURRENCY,
};

/// The largest page of calls Quo serves (`maxResults`).
pub const MAX_PAGE_SIZE: u32 = 100;

impl QuoClient {
    /// The call operations: [`list`](Calls::list), [`get`](Calls::get),
    /// a call's recordings, summary, transcript and voicemail, and
    /// [`export`](Calls::export) across the workspace.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let call = client.calls().get("AC3700e624eca547eb9f749a06f2eb1d6a").await?;
    /// println!("{:?}", call.status);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn calls(&self) -> Calls<'_> {
        Calls { client: self }
    }
}

/// The call operations of a [`QuoClient`], from [`QuoClient::calls`].
#[derive(Clone, Copy)]
pub struct Calls<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Calls<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calls").finish_non_exhaustive()
    }
}

impl Calls<'_> {
    /// The calls between a workspace phone number (`PN...`) and one
    /// participant (a phone number), newest first; narrow them on the
    /// returned [`CallList`].
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let calls = client
    ///     .calls()
    ///     .list("PNtoDbDhuz", "+15555550123")
    ///     .collect_all()
    ///     .await?;
    /// println!("{} calls with +15555550123", calls.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(
        &self,
        phone_number_id: impl Into<String>,
        participant: impl Into<String>,
    ) -> CallList {
        List::new(
            self.client,
            CallQuery {
                phone_number_id: phone_number_id.into(),
                participant: participant.into(),
                filters: CreatedByUser::default(),
            },
        )
    }

    /// One call by id (`AC...`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let call = client.calls().get("AC3700e624eca547eb9f749a06f2eb1d6a").await?;
    /// println!("{:?} s", call.duration);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Call> {
        input::prefixed_id("call_id", id, "AC")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_call_by_id_v1(id).await })
            .await?
            .data)
    }

    /// A call's recordings (none when it was not recorded), as the one
    /// [`List`] every resource's `list()` returns: Quo answers them whole,
    /// as one page. The id is checked when the listing is consumed.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let call = "AC3700e624eca547eb9f749a06f2eb1d6a";
    /// for recording in client.calls().recordings(call).collect_all().await? {
    ///     println!("{:?}", recording.url);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn recordings(&self, call_id: impl Into<String>) -> CallRecordingList {
        List::new(
            self.client,
            CallRecordingQuery {
                call_id: call_id.into(),
            },
        )
    }

    /// A call's summary, with its status (see the module docs).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let summary = client.calls().summary("AC3700e624eca547eb9f749a06f2eb1d6a").await?;
    /// println!("{:?}", summary.summary);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn summary(&self, call_id: &str) -> Result<CallSummary> {
        input::prefixed_id("call_id", call_id, "AC")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_call_summary_v1(call_id).await })
            .await?
            .data)
    }

    /// A call's transcript, with its status (see the module docs).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let transcript = client.calls().transcript("AC3700e624eca547eb9f749a06f2eb1d6a").await?;
    /// println!("{} lines", transcript.dialogue.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn transcript(&self, call_id: &str) -> Result<CallTranscript> {
        input::prefixed_id("call_id", call_id, "AC")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_call_transcript_v1(call_id).await })
            .await?
            .data)
    }

    /// The voicemail a call left, with its status.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let voicemail = client.calls().voicemail("AC3700e624eca547eb9f749a06f2eb1d6a").await?;
    /// println!("{:?}", voicemail.transcript);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn voicemail(&self, call_id: &str) -> Result<CallVoicemail> {
        input::prefixed_id("call_id", call_id, "AC")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_call_voicemails_v1(call_id).await })
            .await?
            .data)
    }
}

/// A listing of one call's recordings, from [`Calls::recordings`].
pub type CallRecordingList = List<CallRecordingQuery>;

/// The call recording listing's query: the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecordingQuery {
    call_id: String,
}

impl WholeList for CallRecordingQuery {
    type Item = CallRecording;

    fn check(&self) -> Result<()> {
        input::prefixed_id("call_id", &self.call_id, "AC")
    }

    async fn fetch_all(&self, client: &QuoClient) -> Result<Vec<Self::Item>> {
        let call_id = self.call_id.as_str();
        let list = client
            .call(|raw| async move { raw.get_call_recordings_v1(call_id).await })
            .await?;
        Ok(list.data)
    }
}

/// A listing of calls, from [`Calls::list`].
pub type CallList = List<CallQuery>;

/// The filters of a call listing (see [`CallList`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CallQuery {
    phone_number_id: String,
    participant: String,
    filters: CreatedByUser,
}

impl CreatedByUserFilters for CallQuery {
    fn created_by_user(&mut self) -> &mut CreatedByUser {
        &mut self.filters
    }
}

impl ListQuery for CallQuery {
    type Page = CallPage;
    const MAX_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

    /// The spec's limits: a `PN...` id and one participant, checked by the
    /// generated type (a non-empty string, as the spec says).
    fn check(&self) -> Result<()> {
        input::prefixed_id("phone_number_id", &self.phone_number_id, "PN")?;
        participant(&self.participant)?;
        self.filters.check()
    }

    async fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> Result<CallPage> {
        let participants = vec![participant(&self.participant)?];
        client
            .call(|raw| async move {
                raw.list_calls_v1(
                    self.filters.after.as_ref(),
                    self.filters.before.as_ref(),
                    max_results,
                    token,
                    &participants,
                    &self.phone_number_id,
                    None,
                    self.filters.user_id.as_deref(),
                )
                .await
            })
            .await
    }
}

fn participant(number: &str) -> Result<CallParticipant> {
    CallParticipant::try_from(number.to_owned()).map_err(|e| Error::InvalidInput {
        field: "participant",
        message: e.to_string(),
    })
}
