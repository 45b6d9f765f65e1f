//! Waiting for a sent message to settle: [`Messages::wait`] and
//! [`Messages::wait_for_delivery`].
//!
//! Quo answers a send with the message `queued`; it moves to `sent` when
//! the carrier takes it and to `delivered` or `undelivered` when the
//! carrier reports back. The waiter polls `GET /v1/messages/{id}` through
//! the client, so every poll is paced by the same rate limiter as the
//! rest of the program and retried by the same policy, and it backs off
//! between polls (1 s, 2 s, 4 s, then every 5 s by default): a long wait
//! costs a request every few seconds, not ten a second.

use std::fmt;
use std::time::Duration;

use quo_api::Open;
use quo_api::types::{Message, MessageStatus};
use tokio::time::Instant;

use super::Messages;
use crate::client::QuoClient;
use crate::error::{Error, Result, quote_short};
use crate::resources::input;

/// How long a wait lasts by default before [`Error::WaitTimeout`]:
/// carriers usually confirm within seconds, a minute covers a slow one.
pub const DEFAULT_WAIT_DEADLINE: Duration = Duration::from_secs(60);
/// The first pause between two polls, by default.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The longest pause between two polls, by default: the pause doubles
/// after each poll up to this.
pub const DEFAULT_MAX_POLL_INTERVAL: Duration = Duration::from_secs(5);

impl Messages<'_> {
    /// A wait for a sent message (`id`, as [`send`](Messages::send)
    /// answered it) to be delivered or to fail for good; set its deadline
    /// and polling on the returned [`WaitForDelivery`], then
    /// [`send`](WaitForDelivery::send) it.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::time::Duration;
    /// use quo_api_ext::messages::{DeliveryOutcome, MessageDraft};
    ///
    /// let sent = client
    ///     .messages()
    ///     .send(MessageDraft::new("See you at 3pm").from("+15555550100").to("+15555550123"))
    ///     .await?;
    /// let settled = client
    ///     .messages()
    ///     .wait(&sent.id)
    ///     .deadline(Duration::from_secs(30))
    ///     .poll_interval(Duration::from_secs(2))
    ///     .send()
    ///     .await?;
    /// match settled.outcome {
    ///     DeliveryOutcome::Delivered => println!("delivered after {} polls", settled.polls),
    ///     _ => println!("not delivered: {}", settled.message.status),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait(&self, id: impl Into<String>) -> WaitForDelivery {
        WaitForDelivery {
            client: self.client.clone(),
            id: id.into(),
            deadline: DEFAULT_WAIT_DEADLINE,
            poll_interval: DEFAULT_POLL_INTERVAL,
            max_poll_interval: DEFAULT_MAX_POLL_INTERVAL,
        }
    }

    /// Waits for a sent message to settle with the default deadline and
    /// polling: [`wait`](Messages::wait)`(id).send()`.
    ///
    /// ```no_run
    /// # async fn demo(client: &quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// let settled = client.messages().wait_for_delivery("AC123abc").await?;
    /// println!("{:?} after {:?}", settled.outcome, settled.elapsed);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait_for_delivery(&self, id: &str) -> Result<Settled> {
        self.wait(id).send().await
    }
}

/// A wait for one message's delivery, from [`Messages::wait`]: nothing is
/// sent until [`send`](Self::send).
#[must_use = "a wait does nothing until send()"]
#[derive(Clone)]
pub struct WaitForDelivery {
    client: QuoClient,
    id: String,
    deadline: Duration,
    poll_interval: Duration,
    max_poll_interval: Duration,
}

impl fmt::Debug for WaitForDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitForDelivery")
            .field("id", &self.id)
            .field("deadline", &self.deadline)
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .finish_non_exhaustive()
    }
}

/// How a wait ended, in [`Settled::outcome`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The carrier confirmed delivery (`delivered`).
    Delivered,
    /// The carrier gave up (`undelivered`, the spec's final failure):
    /// sending again is the only way to reach the person.
    Undelivered,
}

/// A message that settled, from [`WaitForDelivery::send`].
#[non_exhaustive]
#[must_use = "an undelivered message is an outcome too: check `outcome`"]
#[derive(Debug, Clone)]
pub struct Settled {
    /// Delivered or not.
    pub outcome: DeliveryOutcome,
    /// The message as the last poll read it.
    pub message: Message,
    /// How many polls it took (each one `GET /v1/messages/{id}`).
    pub polls: u32,
    /// How long the wait lasted.
    pub elapsed: Duration,
}

impl WaitForDelivery {
    /// Gives up with [`Error::WaitTimeout`] after this long (default
    /// [`DEFAULT_WAIT_DEADLINE`]). No poll starts after the deadline; the
    /// last one is made at the deadline, and the wait ends when it
    /// answers. Polls draw from the client's rate budget like every
    /// request, so when the budget is busy a poll, and the end of the
    /// wait, can come later than asked.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::time::Duration;
    /// let wait = client.messages().wait("AC123abc").deadline(Duration::from_secs(120));
    /// let settled = wait.send().await?;
    /// # let _ = settled;
    /// # Ok(())
    /// # }
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The first pause between two polls (default
    /// [`DEFAULT_POLL_INTERVAL`]); it doubles after each poll up to
    /// [`max_poll_interval`](Self::max_poll_interval). At least 1 ms.
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::time::Duration;
    /// let wait = client.messages().wait("AC123abc").poll_interval(Duration::from_millis(500));
    /// let settled = wait.send().await?;
    /// # let _ = settled;
    /// # Ok(())
    /// # }
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// The longest pause between two polls (default
    /// [`DEFAULT_MAX_POLL_INTERVAL`]); never below
    /// [`poll_interval`](Self::poll_interval).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::time::Duration;
    /// // Poll at least every 2 s however long the wait.
    /// let wait = client.messages().wait("AC123abc").max_poll_interval(Duration::from_secs(2));
    /// let settled = wait.send().await?;
    /// # let _ = settled;
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.max_poll_interval = interval;
        self
    }

    /// Polls until the message is `delivered` or `undelivered`, or the
    /// deadline passes.
    ///
    /// The first poll is at once, then after each pause (see
    /// [`poll_interval`](Self::poll_interval)). A status this release
    /// does not know is taken as not settled yet. Errors: an id that is
    /// not one ([`Error::InvalidInput`], nothing sent); any error of a
    /// poll, after the client's retries (a 404 is the id's, not a
    /// delivery's); an incoming message (`received`: there is no delivery
    /// to wait for, [`Error::InvalidInput`]); the deadline
    /// ([`Error::WaitTimeout`], naming the last status seen).
    ///
    /// ```no_run
    /// # async fn demo(client: quo_api_ext::QuoClient) -> quo_api_ext::Result<()> {
    /// use std::time::Duration;
    ///
    /// let settled = client
    ///     .messages()
    ///     .wait("AC5e0bb8f2e9b6")
    ///     .deadline(Duration::from_secs(120))
    ///     .send()
    ///     .await?;
    /// println!("{:?} after {} polls", settled.outcome, settled.polls);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<Settled> {
        input::prefixed_id("message_id", &self.id, "AC")?;
        if self.poll_interval.is_zero() {
            return Err(Error::InvalidInput {
                field: "poll_interval",
                message: "the pause between polls must be at least 1 ms".into(),
            });
        }
        let started = Instant::now();
        let deadline = started + self.deadline;
        let max = self.max_poll_interval.max(self.poll_interval);
        let mut pause = self.poll_interval;
        let mut polls = 0;
        let messages = self.client.messages();
        loop {
            let message = messages.get(&self.id).await?;
            polls += 1;
            let outcome = match &message.status {
                Open::Known(MessageStatus::Delivered) => Some(DeliveryOutcome::Delivered),
                Open::Known(MessageStatus::Undelivered) => Some(DeliveryOutcome::Undelivered),
                Open::Known(MessageStatus::Received) => {
                    return Err(Error::InvalidInput {
                        field: "message_id",
                        message: format!(
                            "{:?} is an incoming message (received): only a sent message is delivered",
                            quote_short(&self.id)
                        ),
                    });
                }
                _ => None,
            };
            let now = Instant::now();
            if let Some(outcome) = outcome {
                return Ok(Settled {
                    outcome,
                    message,
                    polls,
                    elapsed: now - started,
                });
            }
            if now >= deadline {
                return Err(Error::WaitTimeout {
                    id: quote_short(&self.id),
                    last_status: Some(message.status.to_string()),
                    waited: now - started,
                    polls,
                });
            }
            tokio::time::sleep_until(next_poll(now, pause, deadline)).await;
            pause = next_pause(pause, max);
        }
    }
}

/// When to poll next: after `pause`, but never after the deadline.
fn next_poll(now: Instant, pause: Duration, deadline: Instant) -> Instant {
    (now + pause).min(deadline)
}

/// The pause after `pause`: twice as long, up to `max`.
fn next_pause(pause: Duration, max: Duration) -> Duration {
    pause.saturating_mul(2).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_maximum_and_stop_at_the_deadline() {
        let mut pause = DEFAULT_POLL_INTERVAL;
        let mut pauses = vec![pause];
        for _ in 0..4 {
            pause = next_pause(pause, DEFAULT_MAX_POLL_INTERVAL);
            pauses.push(pause);
        }
        let secs: Vec<u64> = pauses.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [1, 2, 4, 5, 5]);

        let start = Instant::now();
        let deadline = start + Duration::from_secs(3);
        assert_eq!(
            next_poll(start, Duration::from_secs(1), deadline),
            start + Duration::from_secs(1)
        );
        assert_eq!(next_poll(start, Duration::from_secs(5), deadline), deadline);
    }
}
