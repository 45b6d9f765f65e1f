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

/// Reads a source: `http(s)://` names are downloaded, anything else is a file.
pub fn read(name: &str) -> Result<Source, String> {
    let bytes = if name.starts_with("http://") || name.starts_with("https://") {
        download(name)?
    } else {
        std::fs::read(name).map_err(|e| format!("{name}: cannot read file: {e}"))?
    };
    Ok(Source {
        name: name.to_owned(),
        bytes,
    })
}

fn download(url: &str) -> Result<Vec<u8>, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .user_agent(concat!("quo-rs-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("{url}: cannot build HTTP client: {e}"))?;
    let response = client
        .get(url)
        .send()
        .map_err(|e| format!("{url}: download failed: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url}: download failed: HTTP {status}"));
    }
    response
        .bytes()
        .map(|b| b.to_vec())
        .map_err(|e| format!("{url}: download failed while reading the body: {e}"))
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

    #[test]
    fn a_missing_file_names_the_path() {
        let err = read("/nonexistent/spec.json").unwrap_err();
        assert!(
            err.starts_with("/nonexistent/spec.json: cannot read file"),
            "{err}"
        );
    }
}
