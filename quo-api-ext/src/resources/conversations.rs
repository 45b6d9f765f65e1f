//! Conversations: list them with their filters, mark one read, done or
//! open.
//!
//! Start from [`QuoClient::conversations`].

use std::fmt;
use std::num::NonZeroU64;

use chrono::{DateTime, Utc};
use quo_api::types::{Conversation, ConversationPage};

use crate::client::QuoClient;
use crate::error::{Error, Result};
use crate::resources::input;
use crate::resources::list::{CreatedByUser, CreatedByUserFilters, List, ListQuery};

/// The largest page of conversations Quo serves (`maxResults`).
pub const MAX_PAGE_SIZE: u32 = 100;
/// Most phone numbers a conversation listing filters on.
pub const MAX_PHONE_NUMBERS: usize = 100;

impl QuoClient {
    /// The conversation operations: [`list`](Conversations::list) and the
    /// inbox marks.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// for c in client.conversations().list().collect_all().await? {
    ///     println!("{} {:?}", c.id, c.participants);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn conversations(&self) -> Conversations<'_> {
        Conversations { client: self }
    }
}

/// The conversation operations of a [`QuoClient`], from
/// [`QuoClient::conversations`].
#[derive(Clone, Copy)]
pub struct Conversations<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Conversations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conversations").finish_non_exhaustive()
    }
}

impl Conversations<'_> {
    /// The workspace's conversations, lazily; narrow them on the returned
    /// [`ConversationList`].
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let recent = client
    ///     .conversations()
    ///     .list()
    ///     .phone_numbers(["PN123abc"])
    ///     .updated_after(chrono::Utc::now() - chrono::Duration::days(1))
    ///     .exclude_inactive(true)
    ///     .collect_all()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ConversationList {
        List::new(self.client, ConversationQuery::default())
    }

    /// Marks a conversation read (`POST .../mark-as-read`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let conversation = client.conversations().mark_as_read("CN1a2b3c4d").await?;
    /// println!("{}", conversation.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn mark_as_read(&self, id: &str) -> Result<Conversation> {
        input::prefixed_id("conversation_id", id, "CN")?;
        let client = self.client;
        client
            .call(|raw| async move { raw.mark_conversation_as_read_v1(id).await })
            .await
    }

    /// Marks a conversation done (`POST .../mark-as-done`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.conversations().mark_as_done("CN1a2b3c4d").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn mark_as_done(&self, id: &str) -> Result<Conversation> {
        input::prefixed_id("conversation_id", id, "CN")?;
        let client = self.client;
        client
            .call(|raw| async move { raw.mark_conversation_as_done_v1(id).await })
            .await
    }

    /// Marks a conversation open again (`POST .../mark-as-open`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// client.conversations().mark_as_open("CN1a2b3c4d").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn mark_as_open(&self, id: &str) -> Result<Conversation> {
        input::prefixed_id("conversation_id", id, "CN")?;
        let client = self.client;
        client
            .call(|raw| async move { raw.mark_conversation_as_open_v1(id).await })
            .await
    }
}

/// A listing of conversations, from [`Conversations::list`].
pub type ConversationList = List<ConversationQuery>;

/// The filters of a conversation listing (see [`ConversationList`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConversationQuery {
    phone_numbers: Vec<String>,
    filters: CreatedByUser,
    updated_after: Option<DateTime<Utc>>,
    updated_before: Option<DateTime<Utc>>,
    exclude_inactive: Option<bool>,
}

impl ConversationList {
    /// Only conversations of these workspace numbers (`PN...` ids or E.164
    /// numbers, up to 100). Adds to any set already.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let conversations = client.conversations().list().phone_numbers(["PN123abc", "+15555550100"]).collect_all().await?;
    /// println!("{} conversations", conversations.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn phone_numbers(mut self, numbers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.query
            .phone_numbers
            .extend(numbers.into_iter().map(Into::into));
        self
    }

    /// Only conversations updated at or after this time.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let since = chrono::Utc::now() - chrono::Duration::hours(1);
    /// let active = client.conversations().list().updated_after(since).collect_all().await?;
    /// println!("{} conversations moved in the last hour", active.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn updated_after(mut self, time: DateTime<Utc>) -> Self {
        self.query.updated_after = Some(time);
        self
    }

    /// Only conversations updated before this time.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let cutoff = chrono::Utc::now() - chrono::Duration::days(30);
    /// let stale = client.conversations().list().updated_before(cutoff).collect_all().await?;
    /// println!("{} conversations quiet for a month", stale.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn updated_before(mut self, time: DateTime<Utc>) -> Self {
        self.query.updated_before = Some(time);
        self
    }

    /// Leave out (or, with `false`, keep) inactive conversations.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let open = client.conversations().list().exclude_inactive(true).collect_all().await?;
    /// println!("{} active conversations", open.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn exclude_inactive(mut self, exclude: bool) -> Self {
        self.query.exclude_inactive = Some(exclude);
        self
    }
}

impl CreatedByUserFilters for ConversationQuery {
    fn created_by_user(&mut self) -> &mut CreatedByUser {
        &mut self.filters
    }
}

impl ListQuery for ConversationQuery {
    type Page = ConversationPage;
    const MAX_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

    /// The spec's limits: at most 100 numbers, each E.164 or a `PN...` id;
    /// an update window that can match something (see `input::time_range`).
    /// A bare `PN` is refused although the spec's `^PN(.*)$` takes it: it
    /// names no number.
    fn check(&self) -> Result<()> {
        if self.phone_numbers.len() > MAX_PHONE_NUMBERS {
            return Err(Error::InvalidInput {
                field: "phone_numbers",
                message: format!(
                    "a conversation listing filters on at most {MAX_PHONE_NUMBERS} numbers, got {}",
                    self.phone_numbers.len()
                ),
            });
        }
        for number in &self.phone_numbers {
            input::phone_number("phone_numbers", number)?;
        }
        self.filters.check()?;
        input::time_range(self.updated_after, self.updated_before)
    }

    async fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> Result<ConversationPage> {
        let numbers = (!self.phone_numbers.is_empty()).then_some(&self.phone_numbers);
        client
            .call(|raw| async move {
                raw.list_conversations_v1(
                    self.filters.after.as_ref(),
                    self.filters.before.as_ref(),
                    self.exclude_inactive,
                    max_results,
                    token,
                    None,
                    numbers,
                    self.updated_after.as_ref(),
                    self.updated_before.as_ref(),
                    self.filters.user_id.as_deref(),
                )
                .await
            })
            .await
    }
}
