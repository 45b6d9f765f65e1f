//! Reading a response body within its attempt, up to the client's size limit.
//!
//! The body is read chunk by chunk and the read stops as soon as it would
//! go past the limit (or does not start, when `Content-Length` already
//! says it will), so one response never holds more than the limit in
//! memory, however large or endless the server's answer. The buffer grows
//! to the announced length at once, or by doubling up to the limit, never
//! beyond it.
//!
//! A body over the limit is reported as a [`reqwest::Error`] (the only
//! error the generated client can carry from the policy) whose source is a
//! [`BodyTooLarge`]: the error comes out of the body stream itself, where
//! the limit is enforced, and [`BodyTooLarge::find`] recognises it again
//! when the error is mapped or classified.

use std::error::Error as StdError;

use bytes::Bytes;
use futures::{StreamExt, stream};
use reqwest::Response;

use crate::error::BodyTooLarge;

/// What the body stream handed to reqwest fails with.
type BoxError = Box<dyn StdError + Send + Sync>;

/// Reads the body of `response`, refusing one longer than `limit` bytes
/// with a `reqwest::Error` caused by [`BodyTooLarge`]. Other failures
/// (a timeout, a connection that breaks) come back as reqwest reported
/// them, as the source of the error returned.
pub(crate) async fn read_limited(response: Response, limit: usize) -> reqwest::Result<Bytes> {
    let announced = response.content_length();
    let refused = announced
        .filter(|&length| length > limit as u64)
        .map(|length| BodyTooLarge {
            limit,
            content_length: Some(length),
        });
    // Announced too long: fail before reading anything.
    let early = stream::iter(refused.map(|e| Err::<Bytes, BoxError>(e.into())));
    let mut read = 0usize;
    let chunks = response
        .bytes_stream()
        .map(move |chunk| -> Result<Bytes, BoxError> {
            let chunk = chunk?;
            if chunk.len() > limit - read {
                return Err(BodyTooLarge {
                    limit,
                    content_length: announced,
                }
                .into());
            }
            read += chunk.len();
            Ok(chunk)
        });
    let limited = early.chain(chunks);
    let mut body = Response::from(http::Response::new(reqwest::Body::wrap_stream(limited)));
    let mut buffer = Buffer::new(limit, announced);
    while let Some(chunk) = body.chunk().await? {
        buffer.push(chunk);
    }
    Ok(buffer.into_bytes())
}

/// A body being read: its first chunk as it came (a small body often
/// arrives as one, and then needs no copy), then all chunks joined.
struct Buffer {
    first: Option<Bytes>,
    joined: Vec<u8>,
    limit: usize,
    announced: usize,
}

impl Buffer {
    fn new(limit: usize, announced: Option<u64>) -> Self {
        let announced = announced.map_or(0, |n| usize::try_from(n).unwrap_or(limit));
        Self {
            first: None,
            joined: Vec::new(),
            limit,
            announced: announced.min(limit),
        }
    }

    /// Adds `chunk`; the caller keeps the total within the limit.
    fn push(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        if self.first.is_none() && self.joined.is_empty() {
            self.first = Some(chunk);
            return;
        }
        let first = self.first.take();
        let held = first.as_ref().map_or(0, Bytes::len) + self.joined.len();
        self.reserve(held + chunk.len());
        if let Some(first) = first {
            self.joined.extend_from_slice(&first);
        }
        self.joined.extend_from_slice(&chunk);
    }

    /// Room for `needed` bytes: the announced length at once, else double
    /// the room, never more than the limit unless `needed` is.
    fn reserve(&mut self, needed: usize) {
        if needed <= self.joined.capacity() {
            return;
        }
        let target = self
            .joined
            .capacity()
            .saturating_mul(2)
            .max(self.announced)
            .min(self.limit)
            .max(needed);
        self.joined.reserve_exact(target - self.joined.len());
    }

    fn into_bytes(self) -> Bytes {
        self.first.unwrap_or_else(|| Bytes::from(self.joined))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffer_grows_to_the_announced_length_or_by_doubling_up_to_the_limit() {
        let mut buffer = Buffer::new(100, Some(60));
        buffer.push(Bytes::from_static(&[1; 10]));
        assert_eq!(buffer.joined.capacity(), 0, "one chunk is not copied");
        buffer.push(Bytes::from_static(&[2; 10]));
        assert_eq!(buffer.joined.capacity(), 60);
        assert_eq!(buffer.into_bytes().len(), 20);

        let mut buffer = Buffer::new(100, None);
        for _ in 0..10 {
            buffer.push(Bytes::from_static(&[3; 10]));
            assert!(buffer.joined.capacity() <= 100);
        }
        assert_eq!(buffer.joined.capacity(), 100);
        assert_eq!(buffer.into_bytes(), vec![3; 100]);
    }

    #[test]
    fn an_announced_length_past_the_limit_is_capped() {
        let buffer = Buffer::new(100, Some(u64::MAX));
        assert_eq!(buffer.announced, 100);
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_a_recognisable_error() {
        let body = reqwest::Body::wrap_stream(stream::iter(
            (0..4).map(|_| Ok::<_, std::io::Error>(Bytes::from_static(&[0; 10]))),
        ));
        let response = Response::from(http::Response::new(body));
        let error = read_limited(response, 35).await.unwrap_err();
        assert_eq!(
            BodyTooLarge::find(&error),
            Some(BodyTooLarge {
                limit: 35,
                content_length: None
            })
        );
        let body = reqwest::Body::from(vec![0u8; 40]);
        let response = Response::from(http::Response::new(body));
        assert_eq!(read_limited(response, 40).await.unwrap().len(), 40);
        let body = reqwest::Body::from(vec![0u8; 41]);
        let response = Response::from(http::Response::new(body));
        let error = read_limited(response, 40).await.unwrap_err();
        assert_eq!(
            BodyTooLarge::find(&error),
            Some(BodyTooLarge {
                limit: 40,
                content_length: Some(41)
            })
        );
    }
}
