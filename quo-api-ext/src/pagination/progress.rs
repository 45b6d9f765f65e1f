//! What a walk remembers to decide where it goes after each page, shared by
//! the sequential and the prefetching walk so both end the same way.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use quo_api::pagination::Paginated;

use super::Page;
use crate::error::{Error, quote_token};

/// What a walk does after the page it just received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Next {
    /// Fetch the page for this token (`None`: the first page).
    Fetch(Option<String>),
    /// The walk is looping: report it (quoting this token) and end.
    Loop(String),
    /// The last page has been yielded.
    Done,
}

/// Tokens and pages seen so far in one walk.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    /// Every token sent (or about to be sent) in this walk.
    tokens: HashSet<String>,
    /// A fingerprint of every non-empty page whose items have ids: the hash
    /// of its item ids in order.
    pages: HashSet<u64>,
}

impl Progress {
    /// A walk that starts at `start` (`None`: the first page).
    pub(crate) fn starting_at(start: Option<&str>) -> Self {
        let mut progress = Self::default();
        if let Some(start) = start {
            progress.tokens.insert(start.to_owned());
        }
        progress
    }

    /// Whether `token` was already sent in this walk.
    pub(crate) fn has_sent(&self, token: &str) -> bool {
        self.tokens.contains(token)
    }

    /// Checks a page just received for `token`, and decides what follows it.
    ///
    /// `Err` when the page repeats one already yielded (same item ids in the
    /// same order) under a different token: a loop the token check alone
    /// cannot see, and yielding the page would duplicate its items.
    pub(crate) fn after<P: Paginated>(
        &mut self,
        token: Option<&str>,
        page: &Page<P::Item>,
    ) -> Result<Next, Error> {
        if let Some(fingerprint) = fingerprint::<P>(page)
            && !self.pages.insert(fingerprint)
        {
            return Err(Error::PaginationLoop {
                token_excerpt: quote_token(token.unwrap_or_default()),
            });
        }
        Ok(match page.next_page_token() {
            _ if page.is_empty() && page.item_errors().is_empty() => Next::Done,
            None => Next::Done,
            Some(next) if self.tokens.contains(next) => Next::Loop(next.to_owned()),
            Some(next) => {
                self.tokens.insert(next.to_owned());
                Next::Fetch(Some(next.to_owned()))
            }
        })
    }
}

/// The hash of a page's item ids in order (those of its unreadable items
/// after them, with their places), or `None` when the page is empty or an
/// item has no id.
fn fingerprint<P: Paginated>(page: &Page<P::Item>) -> Option<u64> {
    let (items, errors) = (page.items(), page.item_errors());
    if items.is_empty() && errors.is_empty() {
        return None;
    }
    let mut hasher = DefaultHasher::new();
    for item in items {
        P::item_id(item)?.hash(&mut hasher);
    }
    for error in errors {
        (error.index, error.id.as_deref()?).hash(&mut hasher);
    }
    (items.len(), errors.len()).hash(&mut hasher);
    Some(hasher.finish())
}
