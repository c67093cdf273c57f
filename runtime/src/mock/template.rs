//! Path templates (`/payments/{id}`): which request paths they match, and the value each
//! parameter has there.

/// A path template as the spec writes it; each `{param}` matches one segment or part of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    text: &'static str,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(&'static str),
    Param(&'static str),
}

impl Template {
    pub(crate) fn parse(text: &'static str) -> Self {
        let mut tokens = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            if open > 0 {
                tokens.push(Token::Literal(&rest[..open]));
            }
            tokens.push(Token::Param(&rest[open + 1..open + close]));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            tokens.push(Token::Literal(rest));
        }
        Self { text, tokens }
    }

    /// The template as the spec writes it.
    pub(crate) fn text(&self) -> &'static str {
        self.text
    }

    /// The parameters' names, in order.
    pub(crate) fn params(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.tokens.iter().filter_map(|token| match token {
            Token::Param(name) => Some(*name),
            Token::Literal(_) => None,
        })
    }

    /// Whether `path` matches, with a value for each parameter that `accept(name, value)` takes
    /// (values as sent, percent-encoded). A parameter takes at least one character and never a
    /// `/`; where two are adjacent (`{color}{coords}`), every split is tried.
    pub(crate) fn matches(&self, path: &str, accept: impl Fn(&str, &str) -> bool) -> bool {
        matches(&self.tokens, path, &accept)
    }
}

fn matches(tokens: &[Token], path: &str, accept: &impl Fn(&str, &str) -> bool) -> bool {
    match tokens.split_first() {
        None => path.is_empty(),
        Some((Token::Literal(literal), rest)) => path
            .strip_prefix(literal)
            .is_some_and(|path| matches(rest, path, accept)),
        Some((Token::Param(name), rest)) => {
            let segment = path.find('/').unwrap_or(path.len());
            (1..=segment)
                .filter(|&end| path.is_char_boundary(end))
                .any(|end| accept(name, &path[..end]) && matches(rest, &path[end..], accept))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_take_one_segment_or_part_of_one() {
        let any = |_: &str, _: &str| true;
        let template = Template::parse("/Page/{id}/x.y");
        assert!(template.matches("/Page/12/x.y", any));
        assert!(template.matches("/Page/12/x.y", |name, value| (name, value) == ("id", "12")));
        assert!(!template.matches("/Page/12/x.y", |_, value| value == "1"));
        assert!(!template.matches("/Page/12/xzy", any));
        assert!(!template.matches("/Page/1/2/x.y", any));
        assert!(!template.matches("/Page//x.y", any));
        assert!(Template::parse("/payments").matches("/payments", any));
        assert_eq!(Template::parse("/a/{b}.{c}").params().collect::<Vec<_>>(), ["b", "c"]);
    }

    #[test]
    fn adjacent_parameters_try_every_split() {
        let template = Template::parse("/runs/{color}{coords}");
        let path = "/runs/.R=1;coords=2";
        assert!(template.matches(path, |name, value| name != "color" || value == ".R=1"));
        assert!(template.matches(path, |name, value| name != "coords" || value == ";coords=2"));
        assert!(!template.matches(path, |name, value| name != "coords" || value == "x"));
    }
}
