//! Next-page links: the `rel="next"` target of a `Link` header, and a query value read from a link.

use crate::ResponseValue;

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
pub(super) fn query_value(url: &str, name: &str) -> Option<String> {
    let base = url::Url::parse("http://link.invalid/").ok()?;
    let url = base.join(url).ok()?;
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
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
