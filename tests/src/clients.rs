//! The one way the tests build a client against a test server: an SDK
//! client ([`builder`], [`client`]) or a raw one ([`raw_client`]), for an
//! httpmock [`MockServer`], a [`DemoServer`] or a [`FaultServer`].
//!
//! What differs between tests (timeout, attempts, response limit, retry
//! policy) is set on the [`builder`] it returns.

use httpmock::MockServer;
use quo_api::hooks::RequestHooks;
use quo_api_ext::testing::DemoServer;
use quo_api_ext::{QuoClient, QuoClientBuilder};

use crate::fault_server::FaultServer;

/// The API key sent to servers that accept any key (mock and fault servers).
pub const KEY: &str = "test-key";

/// A server a test points a client at.
pub trait TestServer {
    /// The base URL, e.g. `http://127.0.0.1:1234`.
    fn base_url(&self) -> String;

    /// The API key it accepts; [`KEY`] unless it has one of its own.
    fn api_key(&self) -> String {
        KEY.to_owned()
    }
}

impl<T: TestServer + ?Sized> TestServer for &T {
    fn base_url(&self) -> String {
        (**self).base_url()
    }

    fn api_key(&self) -> String {
        (**self).api_key()
    }
}

impl TestServer for MockServer {
    fn base_url(&self) -> String {
        MockServer::base_url(self)
    }
}

impl TestServer for DemoServer {
    fn base_url(&self) -> String {
        self.url()
    }

    fn api_key(&self) -> String {
        DemoServer::api_key(self).to_owned()
    }
}

impl TestServer for FaultServer {
    fn base_url(&self) -> String {
        self.url()
    }
}

/// An SDK client builder for `server`: its key and URL, no rate limit, the
/// default retry policy and timeouts.
pub fn builder(server: &impl TestServer) -> QuoClientBuilder {
    QuoClient::builder()
        .api_key(server.api_key())
        .base_url(server.base_url())
        .no_rate_limit()
}

/// [`builder`], built.
pub fn client(server: &impl TestServer) -> QuoClient {
    builder(server).build().expect("client")
}

/// A raw (generated) client for `server`, sending [`KEY`] as a sensitive
/// `Authorization` header.
pub fn raw_client(server: &impl TestServer) -> quo_api::Client {
    raw_client_with_key(server, KEY)
}

/// [`raw_client`] sending `key` instead.
pub fn raw_client_with_key(server: &impl TestServer, key: &str) -> quo_api::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut value = reqwest::header::HeaderValue::from_str(key).expect("a header-safe key");
    value.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, value);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client");
    quo_api::Client::new_with_client(&server.base_url(), http, RequestHooks::default())
}

/// A demo server with `config` and a client for it.
pub async fn demo_with(config: quo_api_ext::testing::DemoConfig) -> (DemoServer, QuoClient) {
    let server = DemoServer::start(config).await.expect("demo server");
    let client = client(&server);
    (server, client)
}

/// A demo server as it starts by default, and a client for it.
pub async fn demo() -> (DemoServer, QuoClient) {
    demo_with(quo_api_ext::testing::DemoConfig::default()).await
}

/// The status and the code as sent of an error that must be the API's
/// answer.
pub fn api_error<T: std::fmt::Debug>(result: quo_api_ext::Result<T>) -> (u16, String) {
    let error = result.expect_err("an API error");
    let service = error.service_error().expect("an answer from the API");
    (
        service.status,
        service.code_text.clone().unwrap_or_default(),
    )
}
