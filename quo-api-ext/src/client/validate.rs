//! Checks of the builder's inputs: API key, base URL, user agent.
//!
//! Messages never repeat the API key, so a refused key cannot leak through
//! an error that ends up in a log.

use std::net::IpAddr;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{quote_short, quote_text};

/// The `Authorization` value for `key`: trimmed, checked, marked sensitive
/// (so `http` and `reqwest` never print it).
pub(crate) fn authorization(key: &SecretString) -> Result<HeaderValue, String> {
    let key = key.expose_secret().trim();
    if key.is_empty() {
        return Err("the API key is empty".to_owned());
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            "the API key contains whitespace or control characters (such as a line break); \
             copy the key again without them"
                .to_owned(),
        );
    }
    if !key.is_ascii() {
        return Err("the API key contains characters that are not ASCII".to_owned());
    }
    let mut value = HeaderValue::from_str(key)
        .map_err(|_| "the API key contains characters that are not visible ASCII".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// The base URL, checked and without trailing `/`.
///
/// Must be an absolute `https` URL without credentials, query or fragment;
/// plain `http` is accepted only for loopback hosts (`localhost`,
/// `127.0.0.0/8`, `::1`), for local test servers, because the API key would
/// otherwise travel in clear text.
pub(crate) fn base_url(input: &str) -> Result<String, String> {
    let input = input.trim();
    let url = url::Url::parse(input).map_err(|e| {
        if input.contains('@') {
            // It may hold credentials: do not echo it.
            format!("the base URL is not a valid URL: {e}")
        } else {
            format!(
                "the base URL `{}` is not a valid URL: {e}",
                quote_text(input)
            )
        }
    })?;
    let shown = url.as_str().trim_end_matches('/').to_owned();
    // Quoted in messages, cut if need be.
    let quoted = quote_text(&shown);
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "the base URL `{quoted}` uses plain http: use https (http is only allowed \
                 for localhost and loopback addresses)"
            ));
        }
        other => {
            return Err(format!(
                "the base URL `{quoted}` has scheme `{}`: use https",
                quote_short(other)
            ));
        }
    }
    if url.host().is_none() {
        return Err(format!("the base URL `{quoted}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Do not echo the URL: the credentials in it may be secret.
        return Err("the base URL must not contain a user name or password".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "the base URL `{quoted}` must not have a query or fragment"
        ));
    }
    Ok(shown)
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `quo-api-ext/<version>`, followed by ` <suffix>` when one is given.
pub(crate) fn user_agent(suffix: Option<&str>) -> Result<HeaderValue, String> {
    let mut agent = format!("quo-api-ext/{}", env!("CARGO_PKG_VERSION"));
    if let Some(suffix) = suffix.map(str::trim).filter(|s| !s.is_empty()) {
        agent.push(' ');
        agent.push_str(suffix);
    }
    HeaderValue::from_str(&agent).map_err(|_| {
        "the user agent suffix must be visible ASCII without control characters".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Result<HeaderValue, String> {
        authorization(&SecretString::from(s.to_owned()))
    }

    #[test]
    fn keys() {
        let value = key("  abc123 \n").unwrap();
        assert_eq!(value.as_bytes(), b"abc123");
        assert!(value.is_sensitive());
        for bad in ["", "   ", "ab c", "ab\r\nc", "ab\tc", "ab\u{7f}c", "äbc"] {
            let err = key(bad).unwrap_err();
            assert!(bad.trim().is_empty() || !err.contains(bad.trim()), "{err}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            base_url("https://api.quo.com").unwrap(),
            "https://api.quo.com"
        );
        assert_eq!(
            base_url("https://api.quo.com/").unwrap(),
            "https://api.quo.com"
        );
        assert_eq!(
            base_url("https://x.test/prefix/").unwrap(),
            "https://x.test/prefix"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(base_url("http://127.1.2.3").unwrap(), "http://127.1.2.3");
        assert_eq!(
            base_url("http://localhost:1").unwrap(),
            "http://localhost:1"
        );
        assert_eq!(base_url("http://[::1]:9").unwrap(), "http://[::1]:9");
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "ftp://api.quo.com",
            "api.quo.com",
            "",
            "https://u:p@api.quo.com",
            "https://api.quo.com/?a=b",
            "https://api.quo.com/#x",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
        assert!(
            !base_url("https://user:hunter2@x.test")
                .unwrap_err()
                .contains("hunter2")
        );
        let long = format!("http://example.com/{}", "p".repeat(100_000));
        assert!(base_url(&long).unwrap_err().chars().count() < 400);
    }

    #[test]
    fn agents() {
        let plain = user_agent(None).unwrap();
        assert_eq!(
            plain.to_str().unwrap(),
            concat!("quo-api-ext/", env!("CARGO_PKG_VERSION"))
        );
        let suffixed = user_agent(Some("my-app/1.2")).unwrap();
        assert!(suffixed.to_str().unwrap().ends_with(" my-app/1.2"));
        assert!(user_agent(Some("a\nb")).is_err());
    }
}
