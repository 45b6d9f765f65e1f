//! The workspace's phone numbers: all of them, or one.
//!
//! Start from [`QuoClient::phone_numbers`]. Quo serves them in one answer
//! (no pages), so `list` returns them all.

use std::fmt;

use quo_api::types::PhoneNumber;

use crate::client::QuoClient;
use crate::error::Result;
use crate::resources::input;

impl QuoClient {
    /// The phone number operations: [`list`](PhoneNumbers::list),
    /// [`get`](PhoneNumbers::get).
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
    /// only those shared with one user (`US...`).
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// for number in client.phone_numbers().list(None).await? {
    ///     println!("{} {} ({})", number.id, number.number, number.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list(&self, user_id: Option<&str>) -> Result<Vec<PhoneNumber>> {
        if let Some(user_id) = user_id {
            input::prefixed_id("user_id", user_id, "US")?;
        }
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.list_phone_numbers_v1(user_id).await })
            .await?
            .data)
    }

    /// One phone number by its id (`PN...`).
    pub async fn get(&self, id: &str) -> Result<PhoneNumber> {
        input::prefixed_id("phone_number_id", id, "PN")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_phone_number_by_id_v1(id).await })
            .await?
            .data)
    }
}
