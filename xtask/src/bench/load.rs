//! A small HTTP/1.1 load generator and client, on one thread.
//!
//! Each of the connections sends its next request as soon as the answer to the last one is
//! read (a closed loop, like `wrk`), so requests per second and latency describe the server at
//! that concurrency. The generator runs on a single-threaded runtime so it takes at most one of
//! the machine's cores: the server gets the rest, and every endpoint of a run, the `healthz`
//! baseline included, is measured under the same conditions.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{CONTENT_TYPE, COOKIE, HOST, HeaderValue, SET_COOKIE};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// One request, repeated under load.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The path and query.
    pub(crate) path: String,
    /// The session cookie to send, if any.
    pub(crate) cookie: Option<String>,
}

/// What a load run measured.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Measured {
    /// Answers read (successful or not).
    pub(crate) requests: u64,
    /// Answers that were not 2xx, and requests that failed outright.
    pub(crate) errors: u64,
    /// Answers per second.
    pub(crate) rps: f64,
    /// Median latency in milliseconds.
    pub(crate) p50_ms: f64,
    /// 99th-percentile latency in milliseconds.
    pub(crate) p99_ms: f64,
}

/// An answer read whole.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) session: Option<String>,
    pub(crate) body: Bytes,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the load generator")
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Result<Sender> {
    let stream = TcpStream::connect(addr).await.with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

fn request(addr: SocketAddr, method: Method, target: &Target, json: Option<&str>) -> Result<Request<Full<Bytes>>> {
    let mut builder = Request::builder().method(method).uri(&target.path).header(HOST, addr.to_string());
    if let Some(cookie) = &target.cookie {
        builder = builder.header(COOKIE, cookie);
    }
    if json.is_some() {
        builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    let body = Full::new(Bytes::from(json.unwrap_or_default().to_owned()));
    Ok(builder.body(body)?)
}

/// Sends one request on a new connection and reads the whole answer, keeping the
/// `name=value` part of a session cookie the server sets.
pub(crate) fn send(addr: SocketAddr, method: Method, target: &Target, json: Option<&str>) -> Result<Answer> {
    runtime()?.block_on(async {
        let mut sender = connect(addr).await?;
        let response = sender.send_request(request(addr, method, target, json)?).await?;
        let status = response.status();
        let session = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.contains("portico_session=") && !value.contains("Max-Age=0"))
            .and_then(|value| value.split(';').next())
            .map(str::to_owned);
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Answer { status, session, body })
    })
}

/// Sends `GET target` until `duration` is over from each of `connections` connections, after
/// a warm-up of a second whose answers are not counted.
pub(crate) fn measure(addr: SocketAddr, target: &Target, connections: usize, duration: Duration) -> Result<Measured> {
    runtime()?.block_on(async {
        run_for(addr, target, connections, Duration::from_secs(1)).await?;
        let started = Instant::now();
        let (mut latencies, errors) = run_for(addr, target, connections, duration).await?;
        let elapsed = started.elapsed().as_secs_f64();
        if latencies.is_empty() {
            bail!("no request to {} was answered", target.path);
        }
        latencies.sort_unstable();
        let percentile = |p: f64| {
            let rank = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
            f64::from(latencies[rank - 1]) / 1000.0
        };
        let requests = latencies.len() as u64;
        Ok(Measured {
            requests,
            errors,
            rps: requests as f64 / elapsed,
            p50_ms: percentile(0.50),
            p99_ms: percentile(0.99),
        })
    })
}

/// Latencies in microseconds of every answer, and the count of errors.
async fn run_for(addr: SocketAddr, target: &Target, connections: usize, duration: Duration) -> Result<(Vec<u32>, u64)> {
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let target = target.clone();
            tokio::spawn(async move { worker(addr, &target, deadline).await })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mut own, own_errors) = worker.await??;
        latencies.append(&mut own);
        errors += own_errors;
    }
    Ok((latencies, errors))
}

async fn worker(addr: SocketAddr, target: &Target, deadline: Instant) -> Result<(Vec<u32>, u64)> {
    let mut sender = connect(addr).await?;
    let mut latencies = Vec::with_capacity(4096);
    let mut errors = 0;
    while Instant::now() < deadline {
        let request = request(addr, Method::GET, target, None)?;
        let started = Instant::now();
        let Ok(response) = sender.send_request(request).await else {
            // The connection is gone; count the error and open another.
            errors += 1;
            sender = connect(addr).await?;
            continue;
        };
        let success = response.status().is_success();
        let ok = response.into_body().collect().await.is_ok() && success;
        latencies.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
        if !ok {
            errors += 1;
        }
    }
    Ok((latencies, errors))
}
