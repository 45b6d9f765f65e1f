//! Reading the `Retry-After` response header.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The wait a `Retry-After` header asks for: delta-seconds (`"120"`) or an
/// HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, taken relative to now; a
/// date in the past means no wait). `None` when absent or unreadable.
pub(crate) fn parse(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_value(value, SystemTime::now())
}

/// [`parse`] for one header value, relative to `now`.
pub(crate) fn parse_value(value: &str, now: SystemTime) -> Option<Duration> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate absurdly long numbers instead of rejecting them: a huge
        // wait is still "longer than we will wait".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_value("0", now), Some(Duration::ZERO));
        assert_eq!(parse_value("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_value("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(parse_value("-1", now), None);
        assert_eq!(parse_value("1.5", now), None);
        assert_eq!(parse_value("", now), None);
    }

    #[test]
    fn http_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_value("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_value("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_value("soon", now), None);
    }

    #[test]
    fn reads_the_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(parse(&headers), None);
        headers.insert(RETRY_AFTER, " 3 ".parse().unwrap());
        assert_eq!(parse(&headers), Some(Duration::from_secs(3)));
    }
}
