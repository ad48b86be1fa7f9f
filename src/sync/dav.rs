//! The server side: one CalDAV or CardDAV collection reached with `libdav` (the CalDAV/CardDAV
//! client of pimsync, vdirsyncer's successor) over hyper with rustls. libdav is async; the sync
//! is a short sequence of requests one after the other, so each is run to completion on a small
//! current-thread tokio runtime owned here, with a timeout, and the rest of kamnote stays
//! synchronous. Errors are sorted into the few a user can act on: a wrong URL, a refused
//! password, a server that cannot be reached, anything else the server said.

use std::future::Future;
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine as _;
use http::{HeaderValue, Request, Response, StatusCode, Uri};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client, ResponseFuture};
use hyper_util::rt::TokioExecutor;
use libdav::PropertyName;
use libdav::caldav::GetCalendarResources;
use libdav::carddav::GetAddressBookResources;
use libdav::dav::{
    Delete, GetProperty, ListResources, PutResource, SyncCollection, WebDavClient, WebDavError,
};
use libdav::names;

use super::SyncError;

/// How long one request may take before the server counts as down.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The CalendarServer ctag, which servers without sync-token still keep.
const GETCTAG: PropertyName = PropertyName::new("http://calendarserver.org/ns/", "getctag");

/// The HTTP client libdav drives: hyper's, with the basic-authentication header added.
#[derive(Clone)]
pub struct AuthedClient {
    inner: Client<HttpsConnector<HttpConnector>, String>,
    authorization: Option<HeaderValue>,
}

impl tower_service::Service<Request<String>> for AuthedClient {
    type Response = Response<Incoming>;
    type Error = hyper_util::client::legacy::Error;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: Request<String>) -> Self::Future {
        if let Some(h) = &self.authorization {
            req.headers_mut()
                .insert(http::header::AUTHORIZATION, h.clone());
        }
        self.inner.request(req)
    }
}

/// Who logs in.
pub struct Login {
    pub username: String,
    pub password: zeroize::Zeroizing<String>,
}

/// Which protocol a collection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    CalDav,
    CardDav,
}

/// One collection on the server.
pub struct DavCollection {
    runtime: tokio::runtime::Runtime,
    client: WebDavClient<AuthedClient>,
    /// The collection's path (ends with `/`).
    path: String,
    url: String,
    protocol: Protocol,
}

/// What a server answered for one item fetched.
pub struct Fetched {
    pub href: String,
    pub etag: String,
    pub data: String,
}

/// What changed in a collection since a sync-token (RFC 6578 `sync-collection`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Items created or changed: href and ETag.
    pub changed: Vec<(String, Option<String>)>,
    /// Items deleted.
    pub deleted: Vec<String>,
}

/// The collection's change markers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    pub sync_token: Option<String>,
    pub ctag: Option<String>,
}

impl DavCollection {
    /// Prepares the client for the collection at `url` (nothing is sent yet).
    pub fn new(url: &str, login: Option<&Login>, protocol: Protocol) -> Result<Self, SyncError> {
        let mut url = url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        let uri: Uri = url.parse().map_err(|_| SyncError::BadUrl {
            url: url.clone(),
            why: "it is not a URL".into(),
        })?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
            return Err(SyncError::BadUrl {
                url,
                why: "it needs https:// (or http://) and a host".into(),
            });
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SyncError::Local(format!("cannot start the network runtime: {e}")))?;
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()
            .map_err(|e| SyncError::Local(format!("cannot read the system's certificates: {e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        let inner = Client::builder(TokioExecutor::new()).build(connector);
        let authorization = match login {
            Some(l) => {
                let token = base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    l.username,
                    l.password.as_str()
                ));
                let mut value = HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| {
                    SyncError::Local(
                        "the user name or password holds a character HTTP cannot carry".into(),
                    )
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let path = uri.path().to_string();
        let client = WebDavClient::new(
            uri,
            AuthedClient {
                inner,
                authorization,
            },
        );
        Ok(DavCollection {
            runtime,
            client,
            path,
            url,
            protocol,
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The path of a new item named after `uid`.
    pub fn href_for(&self, uid: &str) -> String {
        let name: String = uid
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .take(120)
            .collect();
        let ext = match self.protocol {
            Protocol::CalDav => "ics",
            Protocol::CardDav => "vcf",
        };
        format!("{}{name}.{ext}", self.path)
    }

    fn content_type(&self) -> &'static str {
        match self.protocol {
            Protocol::CalDav => "text/calendar; charset=utf-8",
            Protocol::CardDav => "text/vcard; charset=utf-8",
        }
    }

    fn block<T, E: std::error::Error>(
        &self,
        what: &str,
        f: impl Future<Output = Result<T, WebDavError<E>>>,
    ) -> Result<T, SyncError> {
        match self
            .runtime
            .block_on(async { tokio::time::timeout(REQUEST_TIMEOUT, f).await })
        {
            Err(_) => Err(SyncError::Down {
                url: self.url.clone(),
                why: format!("no answer to {what} within {} s", REQUEST_TIMEOUT.as_secs()),
            }),
            Ok(r) => r.map_err(|e| self.classify(what, &e)),
        }
    }

    fn classify<E: std::error::Error>(&self, what: &str, e: &WebDavError<E>) -> SyncError {
        let url = self.url.clone();
        match e {
            WebDavError::BadStatusCode(s) => match *s {
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => SyncError::Auth { url },
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => SyncError::BadUrl {
                    url,
                    why: format!("the server answered {s} to {what}; is it the collection's URL?"),
                },
                StatusCode::PRECONDITION_FAILED => SyncError::Changed,
                s => SyncError::Server {
                    url,
                    why: format!("{what}: {s}"),
                },
            },
            WebDavError::PreconditionFailed(_) => SyncError::Changed,
            WebDavError::Request(r) => SyncError::Down {
                url,
                why: source_chain(r),
            },
            other => SyncError::Server {
                url,
                why: format!("{what}: {other}"),
            },
        }
    }

    /// The collection's sync-token and ctag (either may be missing); also checks the URL and
    /// the login before anything else is done.
    pub fn tags(&self) -> Result<Tags, SyncError> {
        let token = self.block(
            "reading the collection",
            self.client
                .request(GetProperty::new(&self.path, &names::SYNC_TOKEN)),
        )?;
        let ctag = self.block(
            "reading the collection",
            self.client.request(GetProperty::new(&self.path, &GETCTAG)),
        )?;
        Ok(Tags {
            sync_token: token.value,
            ctag: ctag.value,
        })
    }

    /// Every item's href and ETag.
    pub fn list(&self) -> Result<Vec<(String, Option<String>)>, SyncError> {
        let listed = self.block(
            "listing the collection",
            self.client.request(ListResources::new(&self.path)),
        )?;
        Ok(listed
            .resources
            .into_iter()
            .filter(|r| !r.resource_type.is_collection && r.href != self.path)
            .map(|r| (r.href, r.etag))
            .collect())
    }

    /// What changed since `token` through the `sync-collection` REPORT (RFC 6578), which the
    /// servers that keep a sync-token answer; `None` when this one does not take the token or
    /// the report (the caller lists the whole collection instead). A refused login or a server
    /// that is down is an error as anywhere else.
    pub fn changes(&self, token: &str) -> Result<Option<Changes>, SyncError> {
        let report = SyncCollection::new(&self.path).with_sync_token(token);
        match self.block("listing the changes", self.client.request(report)) {
            Ok(r) => Ok(Some(Changes {
                changed: r
                    .changed
                    .into_iter()
                    .filter(|r| !r.resource_type.is_collection && r.href != self.path)
                    .map(|r| (r.href, r.etag))
                    .collect(),
                deleted: r.deleted,
            })),
            Err(e @ (SyncError::Auth { .. } | SyncError::Down { .. })) => Err(e),
            Err(_) => Ok(None),
        }
    }

    /// The items at `hrefs` (one multiget per 50); those the server no longer has are left out.
    pub fn fetch(&self, hrefs: &[String]) -> Result<Vec<Fetched>, SyncError> {
        let mut out = Vec::new();
        for chunk in hrefs.chunks(50) {
            let resources = match self.protocol {
                Protocol::CalDav => {
                    self.block(
                        "fetching events",
                        self.client.request(
                            GetCalendarResources::new(&self.path).with_hrefs(chunk.iter()),
                        ),
                    )?
                    .resources
                }
                Protocol::CardDav => {
                    self.block(
                        "fetching cards",
                        self.client.request(
                            GetAddressBookResources::new(&self.path).with_hrefs(chunk.iter()),
                        ),
                    )?
                    .resources
                }
            };
            for r in resources {
                if let Ok(c) = r.content {
                    out.push(Fetched {
                        href: r.href,
                        etag: c.etag,
                        data: c.data,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Creates the item at `href` (refused with [`SyncError::Changed`] when one is there);
    /// returns its ETag.
    pub fn create(&self, href: &str, data: &str) -> Result<Option<String>, SyncError> {
        let put = PutResource::new(href).create(data, self.content_type());
        let etag = self.block("sending", self.client.request(put))?.etag;
        self.etag_after(href, etag)
    }

    /// Replaces the item at `href` if it is still at `etag` (else [`SyncError::Changed`]).
    pub fn update(&self, href: &str, data: &str, etag: &str) -> Result<Option<String>, SyncError> {
        let put = PutResource::new(href).update(data, self.content_type(), etag);
        let etag = self.block("sending", self.client.request(put))?.etag;
        self.etag_after(href, etag)
    }

    /// A server that answers a PUT without an ETag is asked for it.
    fn etag_after(&self, href: &str, etag: Option<String>) -> Result<Option<String>, SyncError> {
        if etag.is_some() {
            return Ok(etag);
        }
        let got = self.block(
            "reading an ETag",
            self.client.request(GetProperty::new(href, &names::GETETAG)),
        )?;
        Ok(got.value)
    }

    /// Deletes the item at `href` if it is still at `etag`; one already gone is fine.
    pub fn delete(&self, href: &str, etag: Option<&str>) -> Result<(), SyncError> {
        let result = match etag {
            Some(e) => self.block(
                "deleting",
                self.client.request(Delete::new(href).with_etag(e)),
            ),
            None => self.block("deleting", self.client.request(Delete::new(href).force())),
        };
        match result {
            // Gone already (404) is what was wanted.
            Ok(_) | Err(SyncError::BadUrl { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// An error and its causes, one line ("connection refused").
fn source_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut next = e.source();
    while let Some(s) = next {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        next = s.source();
    }
    parts.join(": ")
}
