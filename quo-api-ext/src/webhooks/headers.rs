//! Reading request headers from whatever the web framework hands over.

/// Request headers the [`Verifier`](super::Verifier) can read, by name and
/// regardless of case.
///
/// Implemented for [`http::HeaderMap`] (what hyper, axum, reqwest and most
/// Rust web frameworks use) and for lists of `(name, value)` pairs (slices,
/// arrays and `Vec`s of anything string-like), so a framework with its own
/// header type needs only a `Vec` of pairs.
pub trait HeaderSource {
    /// Every value of the header `name` (lowercase), in the order received.
    fn header_values(&self, name: &str) -> Vec<&[u8]>;
}

impl HeaderSource for http::HeaderMap {
    fn header_values(&self, name: &str) -> Vec<&[u8]> {
        // Names in a HeaderMap are lowercase already.
        self.get_all(name).iter().map(|v| v.as_bytes()).collect()
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderSource for [(K, V)] {
    fn header_values(&self, name: &str) -> Vec<&[u8]> {
        self.iter()
            .filter(|(k, _)| k.as_ref().trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> HeaderSource for [(K, V); N] {
    fn header_values(&self, name: &str) -> Vec<&[u8]> {
        self.as_slice().header_values(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> HeaderSource for Vec<(K, V)> {
    fn header_values(&self, name: &str) -> Vec<&[u8]> {
        self.as_slice().header_values(name)
    }
}

impl<T: HeaderSource + ?Sized> HeaderSource for &T {
    fn header_values(&self, name: &str) -> Vec<&[u8]> {
        (**self).header_values(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_and_values_keep_their_order() {
        let pairs = [
            ("Webhook-Signature", "v1,a"),
            ("other", "x"),
            ("WEBHOOK-SIGNATURE", "v1,b"),
        ];
        assert_eq!(
            pairs.header_values("webhook-signature"),
            [b"v1,a".as_slice(), b"v1,b".as_slice()]
        );
        assert!(pairs.header_values("webhook-id").is_empty());

        let mut map = http::HeaderMap::new();
        map.append("Webhook-Signature", "v1,a".parse().unwrap());
        map.append("webhook-signature", "v1,b".parse().unwrap());
        assert_eq!(
            map.header_values("webhook-signature"),
            [b"v1,a".as_slice(), b"v1,b".as_slice()]
        );
    }
}
