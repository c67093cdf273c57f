//! Paginated list operations as streams of items: what the generated `…_stream` methods return.
//!
//! The loop lives here once; a generated method only says, with small closures, how to fetch a
//! page (through its own method, so the retry policy applies), where the items are, and how the
//! next request differs. Pages are fetched lazily, one at a time, when the items of the one before
//! are used up; an error is yielded once and ends the stream.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::Stream;

use crate::{Error, ResponseValue};

/// Cursor paging: after each page, while `has_more` says so, the next request carries the cursor
/// that `cursor_of` reads from the page's last item (`starting_after=<last id>`).
///
/// A page that says it has more but whose last item gives no cursor ends the stream rather than
/// asking for the same page again.
pub fn cursor<P, Page, T, C, E, Fut>(
    params: P,
    fetch: impl FnMut(P) -> Fut,
    mut items: impl FnMut(Page) -> Vec<T>,
    mut has_more: impl FnMut(&Page) -> bool,
    mut cursor_of: impl FnMut(&T) -> Option<C>,
    mut set_cursor: impl FnMut(&mut P, C),
) -> impl Stream<Item = Result<T, Error<E>>>
where
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>>,
    P: Clone,
    E: std::fmt::Debug,
{
    paginate(params, fetch, move |mut params, page| {
        let more = has_more(&page);
        let items = items(page);
        let next = items.last().and_then(&mut cursor_of).filter(|_| more).map(|cursor| {
            set_cursor(&mut params, cursor);
            params
        });
        (items, next)
    })
}

/// Page-number paging: pages `first`, `first + 1`, … until one comes back empty. The walk starts
/// at `first` whatever page `params` names.
pub fn numbered<P, Page, T, N, E, Fut>(
    mut params: P,
    first: N,
    fetch: impl FnMut(P) -> Fut,
    mut items: impl FnMut(Page) -> Vec<T>,
    mut set_page: impl FnMut(&mut P, N),
) -> impl Stream<Item = Result<T, Error<E>>>
where
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>>,
    P: Clone,
    E: std::fmt::Debug,
    N: Copy + std::ops::Add<Output = N> + From<u8>,
{
    set_page(&mut params, first);
    let mut number = first;
    paginate(params, fetch, move |mut params, page| {
        let items = items(page);
        let next = (!items.is_empty()).then(|| {
            number = number + N::from(1);
            set_page(&mut params, number);
            params
        });
        (items, next)
    })
}

/// The loop both kinds share: `turn` splits a page into its items and the next request's
/// parameters (`None`: that was the last page).
fn paginate<P, Page, T, E, Fut>(
    params: P,
    fetch: impl FnMut(P) -> Fut,
    turn: impl FnMut(P, Page) -> (Vec<T>, Option<P>),
) -> impl Stream<Item = Result<T, Error<E>>>
where
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>>,
    P: Clone,
    E: std::fmt::Debug,
{
    let state = State {
        fetch,
        turn,
        next: Some(params),
        buffered: VecDeque::new(),
    };
    // The closures travel in the state: a future `unfold` returns cannot borrow from it.
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffered.pop_front() {
                return Some((Ok(item), state));
            }
            let params = state.next.take()?;
            match (state.fetch)(params.clone()).await {
                Ok(page) => {
                    let (items, next) = (state.turn)(params, page.into_inner());
                    state.buffered = items.into();
                    state.next = next;
                }
                // `next` is taken: the error is the stream's last item.
                Err(error) => return Some((Err(error), state)),
            }
        }
    })
}

struct State<F, G, P, T> {
    fetch: F,
    turn: G,
    /// The parameters of the next page to fetch; `None` once the last page is in.
    next: Option<P>,
    buffered: VecDeque<T>,
}
