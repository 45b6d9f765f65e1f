//! Reading one `--from` source: a URL or a file holding an OpenAPI document
//! (JSON or YAML) or a Quo docs page (Markdown with the spec in a yaml fence).

use serde_json::Value;

/// One source as given on the command line, with its raw bytes.
#[derive(Debug, Clone)]
pub struct Source {
    /// The URL or path exactly as given (recorded in provenance).
    pub name: String,
    /// The raw bytes read or downloaded (checksummed in provenance).
    pub bytes: Vec<u8>,
}

/// The published spec pulled when no `--from` is given.
pub const DEFAULT_SOURCE: &str = "https://openphone-public-api-prod.s3.us-west-2.amazonaws.com/public/openphone-public-api-v1-prod.json";

/// Where Quo's newer docs publish the same spec; tried when
/// [`DEFAULT_SOURCE`] cannot be read.
pub const FALLBACK_SOURCE: &str =
    "https://cdn.quo.com/public-api/openphone-public-api-v1-prod.json";

/// Reads the first of `names` that can be read, saying which one answered;
/// the error names every failure.
pub fn read_first(
    names: &[&str],
    read: impl Fn(&str) -> Result<Source, String>,
) -> Result<Source, String> {
    let mut failures = Vec::new();
    for name in names {
        match read(name) {
            Ok(source) => {
                if failures.is_empty() {
                    eprintln!("  {name} answered");
                } else {
                    eprintln!("  {name} answered (after: {})", failures.join("; "));
                }
                return Ok(source);
            }
            Err(e) => failures.push(e),
        }
    }
    Err(format!("no source could be read: {}", failures.join("; ")))
}

/// Reads a source: `http(s)://` names are downloaded ([`download`]),
/// anything else is a file.
pub fn read(name: &str) -> Result<Source, String> {
    let bytes = if name.starts_with("http://") || name.starts_with("https://") {
        download(name, MAX_DOWNLOAD_BYTES)?
    } else {
        std::fs::read(name).map_err(|e| format!("{name}: cannot read file: {e}"))?
    };
    Ok(Source {
        name: name.to_owned(),
        bytes,
    })
}

/// Largest spec a download accepts: Quo's is about 1 MiB, so 16 MiB is
/// room to grow while a wrong or hostile server cannot fill memory.
pub const MAX_DOWNLOAD_BYTES: usize = 16 * 1024 * 1024;

/// Most redirects a download follows (each within the first URL's origin).
const MAX_REDIRECTS: usize = 5;

/// Whether `url` may be fetched: `https`, or `http` to a loopback host
/// (`127.0.0.1`, `::1`, `localhost`) so tests can serve a spec locally. The
/// spec decides what code is generated, so it must not come over a wire
/// anyone on the path can rewrite.
pub fn check_url(url: &reqwest::Url) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "{url}: refused: plain http is allowed only to 127.0.0.1, ::1 or localhost; use https"
        )),
        other => Err(format!("{url}: refused: scheme {other:?} is not https")),
    }
}

/// `127.0.0.1`, `::1` or `localhost` (the URL parser has already
/// normalised the host: lower case, IPv6 in brackets, `0x7f.1` spelled
/// out as `127.0.0.1`).
fn is_loopback(url: &reqwest::Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"))
}

/// Whether a download of `from` may follow a redirect to `to`: only within
/// `from`'s origin (scheme, host and port), so a redirect can neither hand
/// the download to another server nor downgrade it to http.
pub fn redirect_allowed(from: &reqwest::Url, to: &reqwest::Url) -> Result<(), String> {
    if to.origin() != from.origin() {
        return Err(format!(
            "{from}: refused a redirect to another origin ({}); give the final URL with --from",
            to.origin().ascii_serialization()
        ));
    }
    check_url(to)
}

/// Downloads `url` under the rules of [`check_url`] and
/// [`redirect_allowed`], reading at most `limit` bytes of body.
///
/// Redirects are followed by hand (reqwest's own following is off), so
/// each hop is checked before it is requested.
pub fn download(url: &str, limit: usize) -> Result<Vec<u8>, String> {
    let first = reqwest::Url::parse(url).map_err(|e| format!("{url}: not a URL: {e}"))?;
    check_url(&first)?;
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .user_agent(concat!("quo-rs-xtask/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("{url}: cannot build HTTP client: {e}"))?;
    let mut current = first.clone();
    for _ in 0..=MAX_REDIRECTS {
        let response = client
            .get(current.clone())
            .send()
            .map_err(|e| format!("{url}: download failed: {}", chain(&e)))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| format!("{url}: HTTP {status} without a usable Location"))?;
            let next = current
                .join(location)
                .map_err(|e| format!("{url}: HTTP {status} to a bad Location: {e}"))?;
            redirect_allowed(&first, &next)?;
            current = next;
            continue;
        }
        if !status.is_success() {
            return Err(format!("{url}: download failed: HTTP {status}"));
        }
        return read_limited(url, response, limit);
    }
    Err(format!(
        "{url}: refused: more than {MAX_REDIRECTS} redirects"
    ))
}

/// The body of `response`, refused once it is over `limit` bytes (at once
/// when `Content-Length` says so, else as soon as one byte too many
/// arrives).
fn read_limited(
    url: &str,
    response: reqwest::blocking::Response,
    limit: usize,
) -> Result<Vec<u8>, String> {
    use std::io::Read;

    let too_large = || {
        format!(
            "{url}: refused: the body is larger than the limit of {limit} bytes ({} MiB)",
            limit / (1024 * 1024)
        )
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    response
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: download failed while reading the body: {e}"))?;
    if body.len() > limit {
        return Err(too_large());
    }
    Ok(body)
}

/// An error with its sources, which say what actually failed.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Parses a source's bytes into an OpenAPI document, telling the formats
/// apart by content (not by file name).
pub fn parse(source: &Source) -> Result<Value, String> {
    let name = &source.name;
    let text =
        std::str::from_utf8(&source.bytes).map_err(|e| format!("{name}: not UTF-8 text: {e}"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let doc = if trimmed.starts_with('{') {
        serde_json::from_str::<Value>(trimmed)
            .map_err(|e| format!("{name}: malformed JSON: {e}"))?
    } else if let Some(yaml) = docs_page_spec(text) {
        parse_yaml(yaml)
            .map_err(|e| format!("{name}: malformed YAML in the docs page's spec: {e}"))?
    } else if looks_like_yaml_openapi(text) {
        parse_yaml(text).map_err(|e| format!("{name}: malformed YAML: {e}"))?
    } else {
        return Err(format!(
            "{name}: no OpenAPI document found (expected JSON, YAML with an `openapi:` key, \
             or a docs page with the spec in a ```yaml fence)"
        ));
    };
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => Ok(doc),
        Some(v) => Err(format!(
            "{name}: unsupported OpenAPI version {v:?} (need 3.x)"
        )),
        None => Err(format!("{name}: the document has no `openapi` version key")),
    }
}

fn looks_like_yaml_openapi(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("openapi:"))
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string())
}

/// The body of the first fenced ```yaml block (three or more backticks)
/// whose content holds an `openapi:` key.
pub fn docs_page_spec(text: &str) -> Option<&str> {
    let mut offset = 0;
    let mut open: Option<(usize, usize)> = None; // (fence length, body start)
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let bare = line.trim_end_matches(['\n', '\r']);
        let ticks = bare.len() - bare.trim_start_matches('`').len();
        match open {
            None if ticks >= 3 => {
                let info = bare[ticks..].trim_start();
                if info.starts_with("yaml") || info.starts_with("yml") {
                    open = Some((ticks, offset));
                }
            }
            Some((fence, body)) if ticks >= fence && bare[ticks..].trim().is_empty() => {
                let content = &text[body..start];
                if looks_like_yaml_openapi(content) {
                    return Some(content);
                }
                open = None;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            name: "test-source".into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_the_spec_from_a_docs_page_fence() {
        let page = "# List contacts\n\n> text\n\n````yaml https://x/spec.json get /v1/contacts\nopenapi: 3.1.0\ninfo:\n  title: T\n  version: 1.0.0\npaths: {}\n\n````\n\ntrailing text\n";
        let doc = parse(&src(page)).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["title"], "T");
    }

    #[test]
    fn skips_yaml_fences_without_a_spec() {
        let page = "```yaml\nfoo: bar\n```\n\n```yaml\nopenapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n```\n";
        let doc = parse(&src(page)).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn reads_json_and_plain_yaml_by_content() {
        let json = parse(&src(r#"{"openapi":"3.1.0","info":{},"paths":{}}"#)).unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        let yaml = parse(&src("openapi: 3.1.0\ninfo: {}\npaths: {}\n")).unwrap();
        assert_eq!(yaml["openapi"], "3.1.0");
    }

    #[test]
    fn a_page_without_a_spec_is_a_clear_error_naming_the_source() {
        let err = parse(&src("# Just a page\n\nno spec here\n")).unwrap_err();
        assert!(
            err.starts_with("test-source: no OpenAPI document found"),
            "{err}"
        );
    }

    #[test]
    fn malformed_json_and_yaml_name_the_source() {
        let err = parse(&src("{\"openapi\": ")).unwrap_err();
        assert!(err.contains("test-source: malformed JSON"), "{err}");
        let err = parse(&src("```yaml\nopenapi: 3.1.0\n  bad: [\n```\n")).unwrap_err();
        assert!(err.contains("test-source: malformed YAML"), "{err}");
    }

    #[test]
    fn a_missing_or_old_version_is_refused() {
        let err = parse(&src(r#"{"swagger":"2.0"}"#)).unwrap_err();
        assert!(err.contains("no `openapi` version"), "{err}");
        let err = parse(&src(r#"{"openapi":"2.0"}"#)).unwrap_err();
        assert!(err.contains("unsupported OpenAPI version"), "{err}");
    }

    #[test]
    fn the_fallback_is_read_when_the_first_source_fails_and_failures_are_named() {
        let read = |name: &str| -> Result<Source, String> {
            if name == "first" {
                Err("first: download failed: HTTP 404".into())
            } else {
                Ok(Source {
                    name: name.to_owned(),
                    bytes: b"{}".to_vec(),
                })
            }
        };
        assert_eq!(
            read_first(&["first", "second"], read).unwrap().name,
            "second"
        );
        assert_eq!(
            read_first(&["second", "first"], read).unwrap().name,
            "second"
        );
        let err = read_first(&["first", "first"], read).unwrap_err();
        assert!(err.contains("HTTP 404"), "{err}");
    }

    /// A server on 127.0.0.1 that answers each connection with the next of
    /// `responses` (raw HTTP, `Connection: close`), counting connections.
    struct LocalServer {
        url: String,
        connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }

    fn serve(responses: Vec<Vec<u8>>) -> LocalServer {
        use std::io::{Read, Write};
        use std::sync::atomic::Ordering;

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = connections.clone();
        std::thread::spawn(move || {
            for response in responses {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                counter.fetch_add(1, Ordering::SeqCst);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let _ = stream.write_all(&response);
            }
        });
        LocalServer { url, connections }
    }

    fn answer(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n{headers}\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    }

    const SPEC: &[u8] = br#"{"openapi":"3.1.0","info":{},"paths":{}}"#;

    fn connections(server: &LocalServer) -> usize {
        server.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[test]
    fn plain_http_is_refused_unless_the_host_is_loopback() {
        for url in [
            "http://example.com/spec.json",
            "http://10.0.0.1/spec.json",
            "http://127.0.0.2/spec.json",
            "http://localhost.example.com/spec.json",
            "ftp://example.com/spec.json",
        ] {
            let err = download(url, MAX_DOWNLOAD_BYTES).unwrap_err();
            assert!(err.contains("refused"), "{url}: {err}");
        }
        for url in [
            "https://example.com/x",
            "http://127.0.0.1:8/x",
            "http://[::1]/x",
            "http://LOCALHOST/x",
        ] {
            assert!(check_url(&url.parse().unwrap()).is_ok(), "{url}");
        }
    }

    #[test]
    fn http_to_a_non_loopback_host_makes_no_connection() {
        // The refusal comes from the URL check, before the client exists:
        // a server listening under the name is never reached.
        let server = serve(vec![answer("200 OK", "", SPEC)]);
        let port = server.url.rsplit(':').next().unwrap().to_owned();
        let err = read(&format!("http://127.0.0.1.nip.io:{port}/spec.json")).unwrap_err();
        assert!(err.contains("plain http is allowed only to"), "{err}");
        assert_eq!(connections(&server), 0);
        // The same server over loopback is read.
        let read = read(&format!("{}/spec.json", server.url)).unwrap();
        assert_eq!(read.bytes, SPEC);
        assert_eq!(connections(&server), 1);
    }

    #[test]
    fn a_redirect_to_another_origin_is_refused_and_not_followed() {
        let elsewhere = serve(vec![answer("200 OK", "", SPEC)]);
        let first = serve(vec![answer(
            "302 Found",
            &format!("location: {}/spec.json\r\n", elsewhere.url),
            b"",
        )]);
        let err = read(&format!("{}/spec.json", first.url)).unwrap_err();
        assert!(
            err.contains("refused a redirect to another origin"),
            "{err}"
        );
        assert_eq!(connections(&first), 1);
        assert_eq!(connections(&elsewhere), 0);
    }

    #[test]
    fn a_redirect_within_the_origin_is_followed() {
        let server = serve(vec![
            answer("301 Moved Permanently", "location: /v2/spec.json\r\n", b""),
            answer("200 OK", "", SPEC),
        ]);
        let read = read(&format!("{}/spec.json", server.url)).unwrap();
        assert_eq!(read.bytes, SPEC);
        assert_eq!(connections(&server), 2);
    }

    #[test]
    fn a_redirect_from_https_to_http_is_refused() {
        let from: reqwest::Url = "https://example.com/spec.json".parse().unwrap();
        for to in [
            "http://example.com/spec.json",
            "https://example.org/spec.json",
        ] {
            let err = redirect_allowed(&from, &to.parse().unwrap()).unwrap_err();
            assert!(err.contains("another origin"), "{to}: {err}");
        }
        assert!(redirect_allowed(&from, &"https://example.com/v2".parse().unwrap()).is_ok());
    }

    #[test]
    fn an_oversized_body_is_refused_with_a_clear_error() {
        assert_eq!(MAX_DOWNLOAD_BYTES, 16 * 1024 * 1024);
        let big = vec![b' '; 4096];
        // Announced by Content-Length: refused before the body is read.
        let server = serve(vec![answer("200 OK", "", &big)]);
        let err = download(&format!("{}/spec.json", server.url), 4095).unwrap_err();
        assert!(
            err.contains("refused: the body is larger than the limit of 4095 bytes"),
            "{err}"
        );
        // Without a length (the body ends with the connection): refused
        // once a byte too many arrives.
        let mut unannounced = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_vec();
        unannounced.extend_from_slice(&big);
        let server = serve(vec![unannounced]);
        let err = download(&format!("{}/spec.json", server.url), 4095).unwrap_err();
        assert!(err.contains("larger than the limit"), "{err}");
        // At the limit exactly: read.
        let server = serve(vec![answer("200 OK", "", &big)]);
        let body = download(&format!("{}/spec.json", server.url), 4096).unwrap();
        assert_eq!(body.len(), 4096);
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let err = read("/nonexistent/spec.json").unwrap_err();
        assert!(
            err.starts_with("/nonexistent/spec.json: cannot read file"),
            "{err}"
        );
    }
}
