//! Paginated list operations as streams: what the generated `…_pages` and `…_stream` methods
//! return.
//!
//! The loop lives here once; a generated method only says, with small closures, how to fetch a
//! page (through its own method, so the retry policy applies), where the items are, and how the
//! next request differs. `…_pages` yields whole pages ([`Pages`]); `…_stream` their items
//! ([`Items`]). Pages are fetched lazily, one at a time; an error is yielded once and ends the
//! stream. A next request equal to the one just sent ends the stream too, so a server that keeps
//! answering "more" with the same cursor, offset or link cannot make it loop.
//!
//! What changes between requests (`P`) is the operation's `…Params`, its body, or both: whatever
//! holds the paging parameter.

mod link;
mod stream;

use std::future::Future;
use std::str::FromStr;

pub use link::next_link;
use stream::Turn;
pub use stream::{Items, Pages};

use crate::{Error, ResponseValue};

/// The cursor parameters of a request: the one that walks forwards (`starting_after`) and, if
/// the operation has one, the one that walks backwards (`ending_before`), each with its name.
pub struct Cursors<'p, C> {
    after: (&'static str, &'p mut Option<C>),
    before: Option<(&'static str, &'p mut Option<C>)>,
}

impl<'p, C> Cursors<'p, C> {
    /// The forward cursor, parameter `name`.
    pub fn after(name: &'static str, cursor: &'p mut Option<C>) -> Self {
        Self {
            after: (name, cursor),
            before: None,
        }
    }

    /// The backward cursor, parameter `name`.
    pub fn before(mut self, name: &'static str, cursor: &'p mut Option<C>) -> Self {
        self.before = Some((name, cursor));
        self
    }
}

/// Cursor paging. The direction is the one the caller's parameters start with: from a backward
/// cursor (`ending_before`) the walk goes backwards, each next request setting it to the cursor
/// of the page's first item; otherwise forwards, each next request setting the forward cursor
/// to the page's own next cursor (`next_cursor`, when the page names one) or else to the cursor
/// of its last item. The other cursor is never sent: first parameters that set both are refused
/// before anything is sent ([`Error::Paging`]).
///
/// The walk goes on while `has_more` says so. A page that says it has more but gives no cursor
/// to ask for them (no items, and no next cursor) ends the walk with [`Error::Paging`] after
/// that page, rather than ending it as if nothing were left.
pub fn cursor<'a, P, Page, T, C, E, Fut>(
    mut params: P,
    fetch: impl FnMut(P) -> Fut + Send + 'a,
    items: impl Fn(&Page) -> &[T] + Send + 'a,
    has_more: impl Fn(&Page) -> bool + Send + 'a,
    cursor_of: impl Fn(&T) -> Option<C> + Send + 'a,
    next_cursor: impl Fn(&Page) -> Option<C> + Send + 'a,
    cursors: impl Fn(&mut P) -> Cursors<'_, C> + Send + 'a,
) -> Pages<'a, Page, E>
where
    P: Clone + PartialEq + Send + 'a,
    Page: Send + 'a,
    E: Send + 'a,
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>> + Send + 'a,
{
    let (backward, both) = {
        let start = cursors(&mut params);
        let backward = start.before.as_ref().is_some_and(|(_, before)| before.is_some());
        let both = match (&start.after, &start.before) {
            ((after, Some(_)), Some((before, Some(_)))) => Some(format!(
                "both `{after}` and `{before}` are set: a walk goes one way, so set one of them"
            )),
            _ => None,
        };
        (backward, both)
    };
    let first = both.map_or(Ok(params), |message| Err(Error::Paging(message)));
    Pages::walk(first, backward, fetch, move |mut params, page| {
        if !has_more(page) {
            return Turn::End;
        }
        let listed = items(page);
        let cursor = if backward {
            listed.first().and_then(&cursor_of)
        } else {
            next_cursor(page).or_else(|| listed.last().and_then(&cursor_of))
        };
        let found = cursors(&mut params);
        let (name, slot) = match found.before {
            Some(before) if backward => before,
            _ => found.after,
        };
        match cursor {
            Some(cursor) => {
                *slot = Some(cursor);
                Turn::Next(params)
            }
            None => Turn::Fail(Error::Paging(format!(
                "a page says there are more items but gives no cursor to ask for them \
                 (no items{}), so `{name}` cannot be set",
                if backward { "" } else { " and no next cursor" }
            ))),
        }
    })
}

/// Page-number paging: pages `first`, `first + 1`, … until one comes back empty. The walk starts
/// at `first` whatever page `params` names.
pub fn numbered<'a, P, Page, T, N, E, Fut>(
    mut params: P,
    first: N,
    fetch: impl FnMut(P) -> Fut + Send + 'a,
    items: impl Fn(&Page) -> &[T] + Send + 'a,
    set_page: impl Fn(&mut P, N) + Send + 'a,
) -> Pages<'a, Page, E>
where
    P: Clone + PartialEq + Send + 'a,
    Page: Send + 'a,
    E: Send + 'a,
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>> + Send + 'a,
    N: Copy + std::ops::Add<Output = N> + From<u8> + Send + 'a,
{
    set_page(&mut params, first);
    let mut number = first;
    Pages::walk(Ok(params), false, fetch, move |mut params, page| {
        if items(page).is_empty() {
            return Turn::End;
        }
        number = number + N::from(1);
        set_page(&mut params, number);
        Turn::Next(params)
    })
}

/// Offset paging: each next request skips the items seen so far (`offset=0`, then `offset=25`
/// after a page of 25, …), until a page comes back empty. The walk starts at the offset `params`
/// names, or 0.
pub fn offset<'a, P, Page, T, N, E, Fut>(
    params: P,
    fetch: impl FnMut(P) -> Fut + Send + 'a,
    items: impl Fn(&Page) -> &[T] + Send + 'a,
    offset_of: impl Fn(&P) -> Option<N> + Send + 'a,
    set_offset: impl Fn(&mut P, N) + Send + 'a,
) -> Pages<'a, Page, E>
where
    P: Clone + PartialEq + Send + 'a,
    Page: Send + 'a,
    E: Send + 'a,
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>> + Send + 'a,
    N: Copy + Default + std::ops::Add<Output = N> + TryFrom<usize>,
{
    Pages::walk(Ok(params), false, fetch, move |mut params, page| {
        let seen = items(page).len();
        let start = offset_of(&params).unwrap_or_default();
        // A count the offset's type cannot hold ends the walk instead of wrapping around.
        match N::try_from(seen) {
            Ok(seen) if !items(page).is_empty() => {
                set_offset(&mut params, start + seen);
                Turn::Next(params)
            }
            _ => Turn::End,
        }
    })
}

/// Link paging: the page names the next one by a URL, in its body (`links.next`) or in an
/// RFC 8288 `Link: <…>; rel="next"` header ([`next_link`]). That URL is never requested as it
/// is, so a server cannot send the credentials anywhere else: the value of its query parameter
/// `param` is read from it and the next request goes through the operation, as any other page.
/// A page without a next link, or a link without `param`, is the last one.
pub fn link<'a, P, Page, N, E, Fut>(
    params: P,
    param: &'static str,
    fetch: impl FnMut(P) -> Fut + Send + 'a,
    next_url: impl Fn(&ResponseValue<Page>) -> Option<String> + Send + 'a,
    set_param: impl Fn(&mut P, N) + Send + 'a,
) -> Pages<'a, Page, E>
where
    P: Clone + PartialEq + Send + 'a,
    Page: Send + 'a,
    E: Send + 'a,
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>> + Send + 'a,
    N: FromStr,
{
    Pages::walk(Ok(params), false, fetch, move |mut params, page| {
        let value = next_url(page).and_then(|url| link::query_value(&url, param));
        match value.and_then(|value| value.parse().ok()) {
            Some(value) => {
                set_param(&mut params, value);
                Turn::Next(params)
            }
            None => Turn::End,
        }
    })
}
