//! Paginated list operations as streams of items: what the generated `…_stream` methods return.
//!
//! The loop lives here once; a generated method only says, with small closures, how to fetch a
//! page (through its own method, so the retry policy applies), where the items are, and how the
//! next request differs. Pages are fetched lazily, one at a time, when the items of the one before
//! are used up; an error is yielded once and ends the stream. A next request equal to the one
//! just sent ends the stream too, so a server that keeps answering "more" with the same cursor,
//! offset or link cannot make it loop.
//!
//! What changes between requests (`P`) is the operation's `…Params`, its body, or both: whatever
//! holds the paging parameter.

use std::collections::VecDeque;
use std::future::Future;
use std::str::FromStr;

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
    P: Clone + PartialEq,
{
    paginate(params, fetch, move |mut params, page| {
        let page = page.into_inner();
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
    P: Clone + PartialEq,
    N: Copy + std::ops::Add<Output = N> + From<u8>,
{
    set_page(&mut params, first);
    let mut number = first;
    paginate(params, fetch, move |mut params, page| {
        let items = items(page.into_inner());
        let next = (!items.is_empty()).then(|| {
            number = number + N::from(1);
            set_page(&mut params, number);
            params
        });
        (items, next)
    })
}

/// Offset paging: each next request skips the items seen so far (`offset=0`, then `offset=25`
/// after a page of 25, …), until a page comes back empty. The walk starts at the offset `params`
/// names, or 0.
pub fn offset<P, Page, T, N, E, Fut>(
    params: P,
    fetch: impl FnMut(P) -> Fut,
    mut items: impl FnMut(Page) -> Vec<T>,
    mut offset_of: impl FnMut(&P) -> Option<N>,
    mut set_offset: impl FnMut(&mut P, N),
) -> impl Stream<Item = Result<T, Error<E>>>
where
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>>,
    P: Clone + PartialEq,
    N: Copy + Default + std::ops::Add<Output = N> + TryFrom<usize>,
{
    paginate(params, fetch, move |mut params, page| {
        let items = items(page.into_inner());
        let start = offset_of(&params).unwrap_or_default();
        // A count the offset's type cannot hold ends the walk instead of wrapping around.
        let next = N::try_from(items.len()).ok().filter(|_| !items.is_empty()).map(|seen| {
            set_offset(&mut params, start + seen);
            params
        });
        (items, next)
    })
}

/// Link paging: the page names the next one by a URL, in its body (`links.next`) or in an
/// RFC 8288 `Link: <…>; rel="next"` header ([`next_link`]). That URL is never requested as it
/// is, so a server cannot send the credentials anywhere else: the value of its query parameter
/// `param` is read from it and the next request goes through the operation, as any other page.
/// A page without a next link, or a link without `param`, is the last one.
pub fn link<P, Page, T, N, E, Fut>(
    params: P,
    param: &'static str,
    fetch: impl FnMut(P) -> Fut,
    mut items: impl FnMut(Page) -> Vec<T>,
    mut next_url: impl FnMut(&ResponseValue<Page>) -> Option<String>,
    mut set_param: impl FnMut(&mut P, N),
) -> impl Stream<Item = Result<T, Error<E>>>
where
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>>,
    P: Clone + PartialEq,
    N: FromStr,
{
    paginate(params, fetch, move |mut params, page| {
        let value = next_url(&page).and_then(|url| query_value(&url, param));
        let next = value.and_then(|value| value.parse().ok()).map(|value| {
            set_param(&mut params, value);
            params
        });
        (items(page.into_inner()), next)
    })
}

/// The target of the `rel="next"` link of a response's `Link` headers (RFC 8288), if any.
pub fn next_link<T>(page: &ResponseValue<T>) -> Option<String> {
    page.headers()
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, attributes) = link.trim().strip_prefix('<')?.split_once('>')?;
            let is_next = attributes.split(';').any(|attribute| {
                let Some((key, value)) = attribute.split_once('=') else {
                    return false;
                };
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.to_owned())
        })
}

/// The decoded value of query parameter `name` in `url`, absolute or relative.
fn query_value(url: &str, name: &str) -> Option<String> {
    let base = url::Url::parse("http://link.invalid/").ok()?;
    let url = base.join(url).ok()?;
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The loop every kind shares: `turn` splits a page into its items and the next request's
/// parameters (`None`: that was the last page).
fn paginate<P, Page, T, E, Fut>(
    params: P,
    fetch: impl FnMut(P) -> Fut,
    turn: impl FnMut(P, ResponseValue<Page>) -> (Vec<T>, Option<P>),
) -> impl Stream<Item = Result<T, Error<E>>>
where
    Fut: Future<Output = Result<ResponseValue<Page>, Error<E>>>,
    P: Clone + PartialEq,
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
                    let (items, next) = (state.turn)(params.clone(), page);
                    state.buffered = items.into();
                    state.next = next.filter(|next| *next != params);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with_links(links: &[&str]) -> ResponseValue<()> {
        let mut headers = reqwest::header::HeaderMap::new();
        for link in links {
            headers.append(reqwest::header::LINK, link.parse().expect("a valid header value"));
        }
        crate::RawResponse::new(reqwest::StatusCode::OK, headers, Vec::new()).value(())
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next_link(&with_links(&[github])).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        let split = [
            "</items?cursor=a>; rel=prev",
            "</items?cursor=b>; title=\"x\"; REL=\"last next\"",
        ];
        assert_eq!(next_link(&with_links(&split)).as_deref(), Some("/items?cursor=b"));
        assert_eq!(next_link(&with_links(&["</items?page=1>; rel=\"prev\""])), None);
        assert_eq!(next_link(&with_links(&["garbage", "<unterminated; rel=next"])), None);
        assert_eq!(next_link(&with_links(&[])), None);
    }

    #[test]
    fn a_query_value_is_read_from_absolute_and_relative_links() {
        assert_eq!(
            query_value("https://a.example/x?page=3&per_page=2", "page").as_deref(),
            Some("3")
        );
        assert_eq!(query_value("/x?after=a%20b", "after").as_deref(), Some("a b"));
        assert_eq!(query_value("?after=c", "after").as_deref(), Some("c"));
        assert_eq!(query_value("/x?other=1", "after"), None);
    }
}
