//! Cutting a byte stream into items, chunk by chunk: Server-Sent Events (the WHATWG parsing
//! rules), JSON Lines and JSON text sequences (RFC 7464). Each framer holds at most one item in
//! progress, and refuses one that grows past its limit.

use std::collections::VecDeque;

/// An item grew past the limit; `prefix` is the start of what was read of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Oversized {
    pub prefix: Vec<u8>,
}

/// How much of an oversized item an error keeps.
const PREFIX: usize = 4 * 1024;

/// Cuts bytes into frames of type `Frame`.
pub(crate) trait Framer {
    type Frame;
    /// Reads `bytes`, appending every frame they complete to `out`.
    fn push(&mut self, bytes: &[u8], out: &mut VecDeque<Self::Frame>) -> Result<(), Oversized>;
    /// The stream ended: the last frame, if the format lets one end without a terminator.
    fn finish(&mut self, out: &mut VecDeque<Self::Frame>);
}

/// One Server-Sent Event as dispatched: its data lines joined with `\n`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawEvent {
    pub event: Option<String>,
    pub data: String,
    /// The last event ID: it carries over to later events until an `id` field changes it.
    pub id: Option<String>,
    pub retry: Option<u64>,
}

/// Splits bytes into lines ended by LF, CR or CRLF (a CR at a chunk's end and an LF starting the
/// next are one line end).
#[derive(Debug, Default)]
struct Lines {
    line: Vec<u8>,
    after_cr: bool,
    /// Whether a line was completed yet: only the first may start with a byte order mark.
    started: bool,
}

impl Lines {
    /// Calls `line` for each complete line in `bytes`; a line longer than `limit` is refused.
    fn push(
        &mut self,
        mut bytes: &[u8],
        limit: usize,
        mut line: impl FnMut(&[u8]) -> Result<(), Oversized>,
    ) -> Result<(), Oversized> {
        while !bytes.is_empty() {
            if std::mem::take(&mut self.after_cr) && bytes[0] == b'\n' {
                bytes = &bytes[1..];
                continue;
            }
            let end = bytes.iter().position(|&b| b == b'\n' || b == b'\r');
            let part = &bytes[..end.unwrap_or(bytes.len())];
            if self.line.len() + part.len() > limit {
                let mut prefix = std::mem::take(&mut self.line);
                prefix.extend_from_slice(&part[..part.len().min(PREFIX.saturating_sub(prefix.len()))]);
                prefix.truncate(PREFIX);
                return Err(Oversized { prefix });
            }
            self.line.extend_from_slice(part);
            let Some(end) = end else { break };
            self.after_cr = bytes[end] == b'\r';
            bytes = &bytes[end + 1..];
            let mut complete = std::mem::take(&mut self.line);
            if !std::mem::replace(&mut self.started, true) && complete.starts_with(BOM) {
                complete.drain(..BOM.len());
            }
            line(&complete)?;
        }
        Ok(())
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `text/event-stream`: fields are read line by line and an empty line dispatches the event. Any
/// one line, and the data of one event, may each hold up to the limit.
#[derive(Debug)]
pub(crate) struct Events {
    lines: Lines,
    limit: usize,
    event: Option<String>,
    data: String,
    /// Whether a `data` field was seen since the last dispatch (its value may be empty).
    has_data: bool,
    last_id: Option<String>,
    retry: Option<u64>,
}

impl Events {
    pub fn new(limit: usize) -> Self {
        Self {
            lines: Lines::default(),
            limit,
            event: None,
            data: String::new(),
            has_data: false,
            last_id: None,
            retry: None,
        }
    }

    fn field(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), Oversized> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let line = String::from_utf8_lossy(line);
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match name {
            "event" => self.event = Some(value.to_owned()),
            "data" => {
                if self.data.len() + value.len() + 1 > self.limit {
                    let mut prefix = std::mem::take(&mut self.data).into_bytes();
                    prefix.truncate(PREFIX);
                    return Err(Oversized { prefix });
                }
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
        Ok(())
    }

    /// An event without data is not dispatched; either way the next event starts afresh.
    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        let event = self.event.take().filter(|e| !e.is_empty());
        let retry = self.retry.take();
        if std::mem::take(&mut self.has_data) {
            out.push_back(RawEvent {
                event,
                data: std::mem::take(&mut self.data),
                id: self.last_id.clone().filter(|id| !id.is_empty()),
                retry,
            });
        }
    }
}

impl Framer for Events {
    type Frame = RawEvent;

    fn push(&mut self, bytes: &[u8], out: &mut VecDeque<RawEvent>) -> Result<(), Oversized> {
        let mut lines = std::mem::take(&mut self.lines);
        let limit = self.limit;
        let result = lines.push(bytes, limit, |line| self.field(line, out));
        self.lines = lines;
        result
    }

    /// An event the stream ends in the middle of is never dispatched.
    fn finish(&mut self, _: &mut VecDeque<RawEvent>) {}
}

/// `application/jsonl`, `application/x-ndjson`: one JSON text per line; blank lines are skipped,
/// and the last line needs no line end.
#[derive(Debug)]
pub(crate) struct JsonLines {
    lines: Lines,
    limit: usize,
}

impl JsonLines {
    pub fn new(limit: usize) -> Self {
        Self {
            lines: Lines::default(),
            limit,
        }
    }
}

fn keep_text(text: &[u8], out: &mut VecDeque<Vec<u8>>) {
    if !text.trim_ascii().is_empty() {
        out.push_back(text.to_vec());
    }
}

impl Framer for JsonLines {
    type Frame = Vec<u8>;

    fn push(&mut self, bytes: &[u8], out: &mut VecDeque<Vec<u8>>) -> Result<(), Oversized> {
        let limit = self.limit;
        self.lines.push(bytes, limit, |line| {
            keep_text(line, out);
            Ok(())
        })
    }

    fn finish(&mut self, out: &mut VecDeque<Vec<u8>>) {
        keep_text(&std::mem::take(&mut self.lines.line), out);
    }
}

/// `application/json-seq`: each JSON text follows a record separator (0x1E); whitespace around
/// it (the LF that ends each record) is not part of it.
#[derive(Debug)]
pub(crate) struct JsonSeq {
    record: Vec<u8>,
    limit: usize,
}

const RS: u8 = 0x1E;

impl JsonSeq {
    pub fn new(limit: usize) -> Self {
        Self {
            record: Vec::new(),
            limit,
        }
    }
}

impl Framer for JsonSeq {
    type Frame = Vec<u8>;

    fn push(&mut self, mut bytes: &[u8], out: &mut VecDeque<Vec<u8>>) -> Result<(), Oversized> {
        while !bytes.is_empty() {
            let end = bytes.iter().position(|&b| b == RS);
            let part = &bytes[..end.unwrap_or(bytes.len())];
            if self.record.len() + part.len() > self.limit {
                let mut prefix = std::mem::take(&mut self.record);
                prefix.extend_from_slice(&part[..part.len().min(PREFIX.saturating_sub(prefix.len()))]);
                prefix.truncate(PREFIX);
                return Err(Oversized { prefix });
            }
            self.record.extend_from_slice(part);
            let Some(end) = end else { break };
            keep_text(&std::mem::take(&mut self.record), out);
            bytes = &bytes[end + 1..];
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut VecDeque<Vec<u8>>) {
        keep_text(&std::mem::take(&mut self.record), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames<F: Framer>(mut framer: F, chunks: &[&[u8]]) -> Result<Vec<F::Frame>, Oversized> {
        let mut out = VecDeque::new();
        for chunk in chunks {
            framer.push(chunk, &mut out)?;
        }
        framer.finish(&mut out);
        Ok(out.into())
    }

    fn event(event: Option<&str>, data: &str, id: Option<&str>, retry: Option<u64>) -> RawEvent {
        RawEvent {
            event: event.map(str::to_owned),
            data: data.to_owned(),
            id: id.map(str::to_owned),
            retry,
        }
    }

    const STREAM: &[u8] = b"\xEF\xBB\xBF: a comment\r\ndata: first\r\ndata:  second\r\n\r\nevent: tick\rid: 7\rretry: 1500\rdata\r\r:only a comment\n\nid\ndata: {\"a\": 1}\n\ndata: cut off";

    #[test]
    fn events_follow_the_whatwg_rules() {
        let got = frames(Events::new(1024), &[STREAM]).unwrap();
        assert_eq!(
            got,
            [
                event(None, "first\n second", None, None),
                event(Some("tick"), "", Some("7"), Some(1500)),
                event(None, "{\"a\": 1}", None, None),
            ]
        );
    }

    #[test]
    fn every_split_of_the_stream_gives_the_same_events() {
        let whole = frames(Events::new(1024), &[STREAM]).unwrap();
        for i in 0..=STREAM.len() {
            for j in i..=STREAM.len() {
                let split = frames(Events::new(1024), &[&STREAM[..i], &STREAM[i..j], &STREAM[j..]]).unwrap();
                assert_eq!(split, whole, "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn an_event_over_the_limit_is_refused_with_its_start() {
        let error = frames(Events::new(16), &[b"data: 0123456789\n", b"data: 0123456789\n\n"]).unwrap_err();
        assert_eq!(error.prefix, b"0123456789");
        let error = frames(Events::new(16), &[b"data: 0123456789", b"0123456789\n\n"]).unwrap_err();
        assert!(error.prefix.starts_with(b"data: 0123456789"));
        assert!(frames(Events::new(16), &[b"data: 0123456789\n\ndata: 0123456789\n\n"]).is_ok());
    }

    #[test]
    fn json_lines_skip_blank_lines_and_end_without_a_line_end() {
        let got = frames(JsonLines::new(64), &[b"{\"a\":1}\r\n\n  \n{\"a\"", b":2}\n{\"a\":3}"]).unwrap();
        assert_eq!(got, [&b"{\"a\":1}"[..], b"{\"a\":2}", b"{\"a\":3}"]);
        let error = frames(JsonLines::new(4), &[b"{\"a\":1}\n"]).unwrap_err();
        assert_eq!(error.prefix, b"{\"a\":1}");
    }

    #[test]
    fn every_split_of_json_lines_gives_the_same_lines() {
        const LINES: &[u8] = b"\xEF\xBB\xBF{\"a\":1}\r\n\r\n{\"b\":\"\xC3\xA9\"}\r{\"c\":3}";
        let whole = frames(JsonLines::new(64), &[LINES]).unwrap();
        assert_eq!(
            whole,
            [&b"{\"a\":1}"[..], "{\"b\":\"\u{e9}\"}".as_bytes(), b"{\"c\":3}"]
        );
        for i in 0..=LINES.len() {
            for j in i..=LINES.len() {
                let split = frames(JsonLines::new(64), &[&LINES[..i], &LINES[i..j], &LINES[j..]]).unwrap();
                assert_eq!(split, whole, "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn json_seq_splits_on_record_separators() {
        let got = frames(JsonSeq::new(64), &[b"\x1E{\"a\":1}\n\x1E", b"{\"a\"\n:2}\n\x1E\n\x1E3"]).unwrap();
        assert_eq!(got, [&b"{\"a\":1}\n"[..], b"{\"a\"\n:2}\n", b"3"]);
        let whole = b"\x1E{\"a\":1}\n\x1E{\"b\":22}\n";
        for i in 0..=whole.len() {
            assert_eq!(frames(JsonSeq::new(64), &[&whole[..i], &whole[i..]]).unwrap().len(), 2);
        }
    }
}
