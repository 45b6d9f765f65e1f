//! The workspace's users: all of them as a stream, or one.
//!
//! Start from [`QuoClient::users`].

use std::fmt;
use std::num::NonZeroU64;

use quo_api::types::{User, UserPage};

use crate::client::QuoClient;
use crate::error::Result;
use crate::resources::input;
use crate::resources::list::{List, ListQuery};

/// The largest page of users Quo serves (`maxResults`).
pub const MAX_PAGE_SIZE: u32 = 50;

impl QuoClient {
    /// The user operations: [`list`](Users::list), [`get`](Users::get).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let me = client.users().get("USlHhXmRMz").await?;
    /// println!("{}", me.email);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

/// The user operations of a [`QuoClient`], from [`QuoClient::users`].
#[derive(Clone, Copy)]
pub struct Users<'a> {
    client: &'a QuoClient,
}

impl fmt::Debug for Users<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Users").finish_non_exhaustive()
    }
}

impl Users<'_> {
    /// Every user of the workspace, lazily, page by page.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// for user in client.users().list().collect_all().await? {
    ///     println!("{} {}", user.id, user.email);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> UserList {
        List::new(self.client, UserQuery)
    }

    /// One user by id (`US...`).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let user = client.users().get("USlHhXmRMz").await?;
    /// println!("{:?} {:?}", user.first_name, user.last_name);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get(&self, id: &str) -> Result<User> {
        input::prefixed_id("user_id", id, "US")?;
        let client = self.client;
        Ok(client
            .call(|raw| async move { raw.get_user_by_id_v1(id).await })
            .await?
            .data)
    }
}

/// A listing of users, from [`Users::list`].
pub type UserList = List<UserQuery>;

/// The user listing's query: it has no filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserQuery;

impl ListQuery for UserQuery {
    type Page = UserPage;
    const MAX_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

    async fn fetch(
        &self,
        client: &QuoClient,
        max_results: NonZeroU64,
        token: Option<&str>,
    ) -> Result<UserPage> {
        client
            .call(|raw| async move { raw.list_users_v1(max_results, token).await })
            .await
    }
}
