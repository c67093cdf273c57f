//! A scripted HTTP/1.1 server for testing how a client copes with stalled, reset and oversized
//! answers: wiremock can neither reset a connection nor stream a body it doesn't hold in memory.
//!
//! It runs as tasks on the caller's runtime rather than on a thread of its own: under
//! `#[tokio::test(start_paused = true)]` tokio advances the clock whenever every task is idle, so a
//! server answering from another thread would let client timeouts fire while it is still working.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

/// Longest request head (or chunk-size line) accepted; anything longer is treated as garbage.
const MAX_HEAD: usize = 64 * 1024;
/// How much of a `Stream` body is written at a time.
const STREAM_CHUNK: usize = 64 * 1024;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer with this status, headers and body (`Content-Length` is added unless a header sets
    /// it), keeping the connection alive.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then never answer; the socket stays open until the server is dropped.
    Stall,
    /// Read the request, then close the connection with a TCP reset instead of an answer.
    Reset,
    /// Answer `status` and headers with `Content-Length: claimed`, then only `body` (shorter), and
    /// close the connection: the body breaks off mid-read.
    Truncated {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        claimed: usize,
    },
    /// Answer `status` and headers, then `total` bytes of `b'x'`, produced lazily so a huge body
    /// costs no memory: framed by `Content-Length` if `content_length`, else chunked (unless a
    /// header sets that framing itself). A client hanging up part-way just ends the connection.
    Stream {
        status: u16,
        headers: Vec<(String, String)>,
        total: u64,
        content_length: bool,
    },
}

impl Reply {
    /// An answer with an empty body.
    pub fn status(code: u16) -> Self {
        Reply::Respond {
            status: code,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// An `application/json` answer.
    pub fn json(code: u16, body: &serde_json::Value) -> Self {
        Reply::Respond {
            status: code,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: body.to_string().into_bytes(),
        }
    }

    /// Adds a header. Panics on `Stall` and `Reset`, which send none, so a mistaken script fails
    /// loudly instead of silently testing something else.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match &mut self {
            Reply::Respond { headers, .. } | Reply::Truncated { headers, .. } | Reply::Stream { headers, .. } => {
                headers.push((name.to_owned(), value.to_owned()));
            }
            Reply::Stall | Reply::Reset => panic!("Reply::header: Stall and Reset send no headers"),
        }
        self
    }
}

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Received {
    /// When the request had fully arrived, on tokio's (possibly paused) clock.
    pub at: Instant,
    pub method: String,
    /// Path and query exactly as sent.
    pub target: String,
    /// Names lower-cased, in the order sent.
    pub headers: Vec<(String, String)>,
    /// Already de-chunked if the client sent it chunked.
    pub body: Vec<u8>,
}

impl Received {
    /// The first value of a header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A running fault server; dropping it stops it and closes every connection it holds.
pub struct FaultServer {
    addr: SocketAddr,
    script: Arc<Script>,
    accept: JoinHandle<()>,
}

impl FaultServer {
    /// Listens on 127.0.0.1 and answers the n-th request (counted across all connections) with
    /// `replies[n]`, and every request past the end with the last reply.
    pub async fn start(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "FaultServer::start needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the fault server");
        let addr = listener.local_addr().expect("fault server address");
        let script = Arc::new(Script {
            replies,
            log: Mutex::default(),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&script)));
        FaultServer { addr, script, accept }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request that arrived so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.script.log().clone()
    }

    /// How many requests arrived so far.
    pub fn count(&self) -> usize {
        self.script.log().len()
    }
}

impl Drop for FaultServer {
    /// Aborting the accept loop drops its `JoinSet`, which aborts the connection tasks too, so
    /// stalled connections don't outlive the test.
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// A URL on 127.0.0.1 where nothing listens, for connection-refused tests.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a throwaway port");
    let addr = listener.local_addr().expect("throwaway port address");
    format!("http://{addr}")
}

struct Script {
    replies: Vec<Reply>,
    log: Mutex<Vec<Received>>,
}

impl Script {
    fn log(&self) -> std::sync::MutexGuard<'_, Vec<Received>> {
        self.log.lock().expect("fault server log poisoned")
    }

    /// Logs the request and picks its reply under one lock, so requests racing on several
    /// connections still get the replies in the order they are logged.
    fn record(&self, request: Received) -> &Reply {
        let mut log = self.log();
        let n = log.len().min(self.replies.len() - 1);
        log.push(request);
        &self.replies[n]
    }
}

async fn accept_loop(listener: TcpListener, script: Arc<Script>) {
    let mut connections = JoinSet::new();
    loop {
        // A failed accept (say, a client that gave up mid-handshake) must not stop the server.
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        // Reap finished connections so a long test doesn't accumulate them.
        while connections.try_join_next().is_some() {}
        // Small writes must not wait on Nagle's algorithm and delayed ACKs.
        let _ = stream.set_nodelay(true);
        connections.spawn(serve(stream, Arc::clone(&script)));
    }
}

/// Answers requests on one connection until the client leaves, the script ends it, or the input
/// is not HTTP/1.x.
async fn serve(mut stream: TcpStream, script: Arc<Script>) {
    // Bytes already read past the end of the previous request.
    let mut buf = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buf).await {
        let answered = match script.record(request) {
            Reply::Respond { status, headers, body } => {
                let mut out = head(*status, headers, ("content-length", body.len().to_string()));
                out.extend_from_slice(body);
                stream.write_all(&out).await
            }
            Reply::Truncated {
                status,
                headers,
                body,
                claimed,
            } => {
                let mut out = head(*status, headers, ("content-length", claimed.to_string()));
                out.extend_from_slice(body);
                let _ = stream.write_all(&out).await;
                // Dropping the stream closes the connection before the claimed length.
                return;
            }
            Reply::Stall => std::future::pending().await,
            Reply::Reset => {
                // Zero linger turns the close on drop into a reset and never blocks.
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::Stream {
                status,
                headers,
                total,
                content_length,
            } => write_stream(&mut stream, *status, headers, *total, *content_length).await,
        };
        if answered.is_err() {
            return;
        }
    }
}

async fn write_stream(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    total: u64,
    content_length: bool,
) -> io::Result<()> {
    let framing = if content_length {
        ("content-length", total.to_string())
    } else {
        ("transfer-encoding", "chunked".to_owned())
    };
    stream.write_all(&head(status, headers, framing)).await?;
    let xs = vec![b'x'; STREAM_CHUNK];
    let mut frame = Vec::with_capacity(STREAM_CHUNK + 16);
    let mut left = total;
    while left > 0 {
        let n = usize::try_from(left).map_or(STREAM_CHUNK, |left| left.min(STREAM_CHUNK));
        left -= n as u64;
        if content_length {
            stream.write_all(&xs[..n]).await?;
        } else {
            // One write per chunk, so framing never goes out as a separate tiny segment.
            frame.clear();
            frame.extend_from_slice(format!("{n:x}\r\n").as_bytes());
            frame.extend_from_slice(&xs[..n]);
            frame.extend_from_slice(b"\r\n");
            stream.write_all(&frame).await?;
        }
    }
    if !content_length {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    Ok(())
}

/// A response head. `framing` is the header that delimits the body, left out if the script sets
/// that header itself (so a test can make the server lie about the length).
fn head(status: u16, headers: &[(String, String)], framing: (&str, String)) -> Vec<u8> {
    // The reason phrase is optional; clients go by the code.
    let mut out = format!("HTTP/1.1 {status} \r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if find_header(headers, framing.0).is_none() {
        out.push_str(&format!("{}: {}\r\n", framing.0, framing.1));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// Reads one request; `None` when the client hung up or sent something other than HTTP/1.x,
/// either of which ends the connection.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Received> {
    let head = read_until(stream, buf, b"\r\n\r\n").await?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target, version) = (request_line.next()?, request_line.next()?, request_line.next()?);
    if request_line.next().is_some()
        || method.is_empty()
        || target.is_empty()
        || !matches!(version, "HTTP/1.0" | "HTTP/1.1")
    {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        // Also rejects obsolete line folding, which starts with whitespace.
        if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
            return None;
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let chunked = find_header(&headers, "transfer-encoding").is_some_and(|te| te.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        read_chunked(stream, buf).await?
    } else {
        let len = find_header(&headers, "content-length").map_or(Some(0), |len| len.parse().ok())?;
        take(stream, buf, len).await?
    };
    Some(Received {
        at: Instant::now(),
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body,
    })
}

/// Reads a chunked body, discarding any trailers.
async fn read_chunked(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = read_until(stream, buf, b"\r\n").await?;
        let size = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        if size == 0 {
            break;
        }
        body.extend(take(stream, buf, size).await?);
        if take(stream, buf, 2).await? != b"\r\n" {
            return None;
        }
    }
    while !read_until(stream, buf, b"\r\n").await?.is_empty() {}
    Some(body)
}

/// Removes the text before `delimiter`, and the delimiter, from the connection. `None` if it is
/// longer than `MAX_HEAD`, not UTF-8, or the client hangs up first.
async fn read_until(stream: &mut TcpStream, buf: &mut Vec<u8>, delimiter: &[u8]) -> Option<String> {
    loop {
        if let Some(end) = buf.windows(delimiter.len()).position(|w| w == delimiter) {
            if end > MAX_HEAD {
                return None;
            }
            let text = String::from_utf8(buf[..end].to_vec()).ok()?;
            buf.drain(..end + delimiter.len());
            return Some(text);
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        fill(stream, buf).await?;
    }
}

/// Removes the next `len` bytes from the connection.
async fn take(stream: &mut TcpStream, buf: &mut Vec<u8>, len: usize) -> Option<Vec<u8>> {
    while buf.len() < len {
        fill(stream, buf).await?;
    }
    Some(buf.drain(..len).collect())
}

/// Appends whatever arrives next; `None` once the client has hung up.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    buf.reserve(8 * 1024);
    match stream.read_buf(buf).await {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(()),
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
