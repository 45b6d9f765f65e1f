//! The workspace's phone numbers: all of them, or one.
//!
//! Start from [`QuoClient::phone_numbers`]. Quo serves them in one answer
//! (no pages); `list()` is the same [`List`] as every resource's, walked as
//! one page.

use std::fmt;

use quo_api::types::PhoneNumber;

use crate::client::QuoClient;
use crate::error::Result;
use crate::resources::input;
use crate::resources::list::{List, UserFilter, WholeList};

impl QuoClient {
    /// The phone number operations: [`list`](PhoneNumbers::list),
    /// [`get`](PhoneNumbers::get).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let numbers = client.phone_numbers().list().collect_all().await?;
    /// println!("{} numbers", numbers.len());
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn phone_numbers(&self) -> PhoneNumbers<'_> {
        PhoneNumbers { client: self }
    }
}

/// The phone number operations of a [`QuoClient`], from
/// [`QuoClient::phone_numbers`].
#[derive(Clone, Copy)]
pub struct PhoneNumbers<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for PhoneNumbers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneNumbers").finish_non_exhaustive()
    }
}

impl PhoneNumbers<'_> {
    /// Every phone number of the workspace (`GET /v1/phone-numbers`), or
    /// with [`user_id`](List::user_id) only those shared with one user.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// for number in client.phone_numbers().list().collect_all().await? {
    ///     println!("{} {} ({})", number.id, number.number, number.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> PhoneNumberList {
        List::new(self.client, PhoneNumberQuery::default())
    }

    /// One phone number by its id (`PN...`).
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let number = client.phone_numbers().get("PNtoDbDhuz").await?;
    /// println!("{}", number.number);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<PhoneNumber> {
        input::prefixed_id("phone_number_id", id, "PN")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_phone_number_by_id_v1(id).await })
            .await?
            .data)
    }
}

/// A listing of phone numbers, from [`PhoneNumbers::list`].
pub type PhoneNumberList = List<PhoneNumberQuery>;

/// The phone number listing's query: optionally one user's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneNumberQuery {
    user_id: Option<String>,
}

impl UserFilter for PhoneNumberQuery {
    fn user_filter(&mut self) -> &mut Option<String> {
        &mut self.user_id
    }
}

impl WholeList for PhoneNumberQuery {
    type Item = PhoneNumber;

    fn check(&self) -> Result<()> {
        input::optional_user_id(self.user_id.as_deref())
    }

    async fn fetch_all(&self, client: &QuoClient) -> Result<Vec<Self::Item>> {
        let user_id = self.user_id.as_deref();
        let list = client
            .call(|raw| async move { raw.list_phone_numbers_v1(user_id).await })
            .await?;
        Ok(list.data)
    }
}
