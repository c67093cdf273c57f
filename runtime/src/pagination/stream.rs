//! The two streams a paginated operation offers, and the loop behind both.
//!
//! Both are `Unpin` (their state is boxed), so `stream.next().await` works as it is, with no
//! `pin!`: import [`crate::StreamExt`] (or [`crate::TryStreamExt`] for `try_next`), which are
//! `futures`' own traits.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::Stream;

use crate::{Error, ResponseValue};

/// Boxed, so that every paginated method returns one nameable type whatever its closures are.
type Boxed<'a, T> = Pin<Box<dyn Stream<Item = T> + Send + 'a>>;

/// The pages of a list operation, each the whole response (status, headers, and the body with
/// its metadata: `has_more`, totals, cursors), fetched one at a time as the stream is read.
/// An error is the last item.
///
/// ```no_run
/// use paykit_runtime::{Error, StreamExt, pagination::Pages};
///
/// # async fn run(mut pages: Pages<'_, Vec<u32>, ()>) -> Result<(), Error<()>> {
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     println!("{} items, {:?}", page.len(), page.header("x-request-id"));
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until it is read"]
pub struct Pages<'a, Page, E> {
    inner: Boxed<'a, Result<ResponseValue<Page>, Error<E>>>,
    /// The walk goes backwards (it started from a "before" cursor): pages come nearest first.
    backward: bool,
}

impl<'a, Page, E> Pages<'a, Page, E> {
    /// Pages from `first` on: `fetch` gets a page; `turn` reads it and says what to ask next.
    pub(super) fn walk<P, Fut>(
        first: Result<P, Error<E>>,
        backward: bool,
        fetch: impl FnMut(P) -> Fut + Send + 'a,
        turn: impl FnMut(P, &ResponseValue<Page>) -> Turn<P, E> + Send + 'a,
    ) -> Self
    where
        P: Clone + PartialEq + Send + 'a,
        Page: Send + 'a,
        E: Send + 'a,
        Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>> + Send + 'a,
    {
        let state = State {
            fetch,
            turn,
            next: match first {
                Ok(params) => Turn::Next(params),
                Err(error) => Turn::Fail(error),
            },
        };
        // The closures travel in the state: a future `unfold` returns cannot borrow from it.
        let inner = futures_util::stream::unfold(state, |mut state| async move {
            let params = match std::mem::replace(&mut state.next, Turn::End) {
                Turn::Next(params) => params,
                Turn::Fail(error) => return Some((Err(error), state)),
                Turn::End => return None,
            };
            match (state.fetch)(params.clone()).await {
                Ok(page) => {
                    state.next = match (state.turn)(params.clone(), &page) {
                        // A next request equal to the one just sent would get the same page.
                        Turn::Next(next) if next == params => Turn::End,
                        turn => turn,
                    };
                    Some((Ok(page), state))
                }
                // `next` is `End`: the error is the stream's last item.
                Err(error) => Some((Err(error), state)),
            }
        });
        Self {
            inner: Box::pin(inner),
            backward,
        }
    }
}

impl<Page, E> Stream for Pages<'_, Page, E> {
    type Item = Result<ResponseValue<Page>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<Page, E> std::fmt::Debug for Pages<'_, Page, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("backward", &self.backward)
            .finish_non_exhaustive()
    }
}

/// What comes after a page.
pub(super) enum Turn<P, E> {
    /// Ask for the page these parameters name.
    Next(P),
    /// That was the last page.
    End,
    /// The walk cannot go on: this error is the next item, and the last.
    Fail(Error<E>),
}

struct State<F, G, P, E> {
    fetch: F,
    turn: G,
    next: Turn<P, E>,
}

/// The items of a list operation, page after page, in the order of the walk: as each page
/// lists them, or, on a backward walk, each page's items last to first (nearest the starting
/// cursor first, as Stripe's SDKs do). Pages are fetched as the stream is read; an error is the
/// last item. `Unpin`: `stream.next().await` needs no pinning.
///
/// ```no_run
/// use paykit_runtime::{Error, TryStreamExt, pagination::Items};
///
/// # async fn run(mut items: Items<'_, String, ()>) -> Result<(), Error<()>> {
/// while let Some(item) = items.try_next().await? {
///     println!("{item}");
/// }
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until it is read"]
pub struct Items<'a, T, E> {
    pages: Boxed<'a, Result<Vec<T>, Error<E>>>,
    buffered: std::vec::IntoIter<T>,
}

impl<'a, T, E> Items<'a, T, E> {
    /// The items `items` takes out of each of `pages`.
    pub fn new<Page: 'a>(pages: Pages<'a, Page, E>, mut items: impl FnMut(Page) -> Vec<T> + Send + 'a) -> Self
    where
        E: 'a,
    {
        let backward = pages.backward;
        let pages = futures_util::StreamExt::map(pages, move |page| {
            let mut items = items(page?.into_inner());
            if backward {
                items.reverse();
            }
            Ok(items)
        });
        Self {
            pages: Box::pin(pages),
            buffered: Vec::new().into_iter(),
        }
    }
}

// Nothing is pinned through `Items`: its items are moved out, never polled in place.
impl<T, E> Unpin for Items<'_, T, E> {}

impl<T, E> Stream for Items<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(this.pages.as_mut().poll_next(cx)) {
                Some(Ok(items)) => this.buffered = items.into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T, E> std::fmt::Debug for Items<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffered.len())
            .finish_non_exhaustive()
    }
}
