//! Sequential responses (OpenAPI 3.2 `itemSchema`): a body that is a stream of items, decoded as
//! the bytes arrive. Server-Sent Events (`text/event-stream`), JSON Lines (`application/jsonl`,
//! `application/x-ndjson`) and JSON text sequences (`application/json-seq`).
//!
//! A [`Sequence`] is `Unpin` and `Send`: read it with [`crate::StreamExt::next`] or
//! [`crate::TryStreamExt::try_next`]. Each item is decoded on its own: one that does not decode is
//! an [`Error::Decode`] item carrying its raw text, and the stream goes on. An item (an event's
//! data, or any one line of the stream) larger than [`MAX_ITEM_BYTES`] ends the stream with
//! [`Error::TooLarge`] carrying its start; so does a broken connection, with [`Error::Transport`].
//! Nothing else is buffered. A streaming request is retried (as its method allows) only until a
//! 2xx status arrives, never once its body is being read.
//!
//! The transport's timeout still bounds the whole attempt, stream included: give a transport
//! used for long-lived streams a longer one ([`crate::TransportBuilder::timeout`]).

mod framing;

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use self::framing::{Events, Framer, JsonLines, JsonSeq, Oversized, RawEvent};
use crate::error::{DecodeError, Sent, TransportError};
use crate::{Error, ErrorResponse, RawResponse, ResponseValue};

/// The largest item a sequence reads: 16 MiB, far above any event or line an API sends, and the
/// most memory one stream holds at a time (twice that for an event: its data and one line).
pub const MAX_ITEM_BYTES: usize = 16 * 1024 * 1024;

/// One Server-Sent Event whose `data` is JSON of type `T` (the spec gives the data a
/// `contentSchema`), or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event<T = String> {
    /// The `event` field, when the server named the event type (the default type is `message`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The `data` lines, joined with `\n`, decoded.
    pub data: T,
    /// The last event ID the stream set, which a reconnection would send as `Last-Event-ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The reconnection time in milliseconds, when this event set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<u64>,
}

type Boxed<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>;

/// The items of a sequential response, decoded as they arrive (see the [module docs](self)).
#[must_use = "a stream does nothing until it is read"]
pub struct Sequence<T, E> {
    inner: Boxed<T, E>,
}

impl<T, E> std::fmt::Debug for Sequence<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sequence").finish_non_exhaustive()
    }
}

impl<T, E> Stream for Sequence<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// A response whose 2xx body is still to be read as a sequence; any other status was read whole.
/// What [`crate::Transport::execute_streaming`] returns to generated methods.
#[derive(Debug)]
pub struct StreamingResponse {
    pub(crate) head: RawResponse,
    pub(crate) body: Option<reqwest::Response>,
}

/// Turns a frame into an item, or the frame's raw text and why it did not decode.
type Decode<F, T> = fn(F) -> Result<T, (String, serde_json::Error)>;

impl StreamingResponse {
    pub fn status(&self) -> u16 {
        self.head.status()
    }

    /// A `text/event-stream` body whose events decode as `T` from an object with the fields
    /// `event`, `data` (text), `id` and `retry`.
    pub fn events<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
        self,
    ) -> Result<ResponseValue<Sequence<T, E>>, Error<E>> {
        Ok(self.sequence(Events::new(MAX_ITEM_BYTES), |event| decode_event(event, false)))
    }

    /// A `text/event-stream` body whose events carry JSON data of type `T`.
    pub fn json_events<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
        self,
    ) -> Result<ResponseValue<Sequence<Event<T>, E>>, Error<E>> {
        Ok(self.sequence(Events::new(MAX_ITEM_BYTES), |event| decode_event(event, true)))
    }

    /// An `application/jsonl` (or `x-ndjson`) body: one `T` per line.
    pub fn json_lines<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
        self,
    ) -> Result<ResponseValue<Sequence<T, E>>, Error<E>> {
        Ok(self.sequence(JsonLines::new(MAX_ITEM_BYTES), decode_json))
    }

    /// An `application/json-seq` body: one `T` per record.
    pub fn json_seq<T: DeserializeOwned + Send + 'static, E: Send + 'static>(
        self,
    ) -> Result<ResponseValue<Sequence<T, E>>, Error<E>> {
        Ok(self.sequence(JsonSeq::new(MAX_ITEM_BYTES), decode_json))
    }

    /// See [`RawResponse::error`].
    pub fn error<E: DeserializeOwned>(self) -> Error<E> {
        self.head.error()
    }

    /// See [`RawResponse::error_json`].
    pub fn error_json<B: DeserializeOwned, E>(self, variant: impl FnOnce(B) -> E) -> Error<E> {
        self.head.error_json(variant)
    }

    /// See [`RawResponse::error_without_body`].
    pub fn error_without_body<E>(self, error: E) -> Error<E> {
        self.head.error_without_body(error)
    }

    /// See [`RawResponse::unexpected`].
    pub fn unexpected<E>(self) -> Error<E> {
        self.head.unexpected()
    }

    fn sequence<F, T, E>(self, framer: F, decode: Decode<F::Frame, T>) -> ResponseValue<Sequence<T, E>>
    where
        F: Framer + Send + 'static,
        F::Frame: Send,
        T: Send + 'static,
        E: Send + 'static,
    {
        let state = Reading {
            body: self.body,
            framer,
            frames: VecDeque::new(),
            status: self.head.status,
            headers: self.head.headers.clone(),
            attempts: self.head.attempts,
            idempotency_key: self.head.idempotency_key.clone(),
            decode,
            error: PhantomData,
        };
        let inner = futures_util::stream::unfold(state, Reading::next);
        self.head.value(Sequence { inner: Box::pin(inner) })
    }
}

/// What a sequence holds between items: the body still to read (gone once it ended or failed)
/// and the frames read but not yet handed out.
struct Reading<F: Framer, T, E> {
    body: Option<reqwest::Response>,
    framer: F,
    frames: VecDeque<F::Frame>,
    status: StatusCode,
    headers: HeaderMap,
    attempts: u32,
    idempotency_key: Option<String>,
    decode: Decode<F::Frame, T>,
    error: PhantomData<fn() -> E>,
}

impl<F: Framer, T, E> Reading<F, T, E> {
    async fn next(mut self) -> Option<(Result<T, Error<E>>, Self)> {
        loop {
            if let Some(frame) = self.frames.pop_front() {
                let item = (self.decode)(frame).map_err(|(raw, error)| Error::Decode {
                    source: DecodeError::new(&error),
                    response: self.error_response(raw),
                });
                return Some((item, self));
            }
            let body = self.body.as_mut()?;
            let failure = match body.chunk().await {
                Ok(Some(bytes)) => match self.framer.push(&bytes, &mut self.frames) {
                    Ok(()) => continue,
                    Err(Oversized { prefix }) => Error::TooLarge {
                        response: self.error_response(String::from_utf8_lossy(&prefix).into_owned()),
                        limit: MAX_ITEM_BYTES,
                    },
                },
                Ok(None) => {
                    self.body = None;
                    self.framer.finish(&mut self.frames);
                    continue;
                }
                Err(error) => Error::Transport(Box::new(TransportError {
                    source: error.without_url(),
                    sent: Sent::Maybe,
                    status: Some(self.status),
                    idempotency_key: self.idempotency_key.clone(),
                    attempts: self.attempts,
                })),
            };
            // The stream cannot go on past a failure: what is queued was read before it.
            self.body = None;
            self.frames.clear();
            return Some((Err(failure), self));
        }
    }

    fn error_response(&self, raw: String) -> Box<ErrorResponse> {
        Box::new(ErrorResponse {
            status: self.status,
            headers: self.headers.clone(),
            raw,
            body: (),
            idempotency_key: self.idempotency_key.clone(),
            attempts: self.attempts,
        })
    }
}

fn decode_json<T: DeserializeOwned>(text: Vec<u8>) -> Result<T, (String, serde_json::Error)> {
    crate::decode::from_slice(&text).map_err(|error| (String::from_utf8_lossy(&text).into_owned(), error))
}

/// An event as the object OpenAPI describes it (`event`, `data`, `id`, `retry`), its data parsed
/// as JSON when `json_data`; the raw text of a failure is the event's data.
fn decode_event<T: DeserializeOwned>(event: RawEvent, json_data: bool) -> Result<T, (String, serde_json::Error)> {
    let data = if json_data {
        match crate::decode::from_slice::<Value>(event.data.as_bytes()) {
            Ok(value) => value,
            Err(error) => return Err((event.data, error)),
        }
    } else {
        Value::String(event.data.clone())
    };
    let mut object = Map::new();
    if let Some(name) = event.event {
        object.insert("event".to_owned(), Value::String(name));
    }
    object.insert("data".to_owned(), data);
    if let Some(id) = event.id {
        object.insert("id".to_owned(), Value::String(id));
    }
    if let Some(retry) = event.retry {
        object.insert("retry".to_owned(), Value::from(retry));
    }
    T::deserialize(crate::decode::metered(Value::Object(object))).map_err(|error| (event.data, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequence_is_unpin_and_send() {
        fn unpin_send<T: Unpin + Send>() {}
        unpin_send::<Sequence<Event<serde_json::Value>, ()>>();
    }

    #[test]
    fn events_decode_with_text_or_json_data() {
        let event = RawEvent {
            event: Some("tick".to_owned()),
            data: "{\"n\": 1}".to_owned(),
            id: Some("7".to_owned()),
            retry: None,
        };
        let text: Event = decode_event(event.clone(), false).unwrap();
        assert_eq!(
            (text.event.as_deref(), text.data.as_str(), text.id.as_deref()),
            (Some("tick"), "{\"n\": 1}", Some("7"))
        );
        let json: Event<serde_json::Value> = decode_event(event.clone(), true).unwrap();
        assert_eq!(json.data, serde_json::json!({"n": 1}));
        let (raw, _) = decode_event::<Event<u32>>(event, true).unwrap_err();
        assert_eq!(raw, "{\"n\": 1}");
    }
}
