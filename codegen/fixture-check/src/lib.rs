//! The code paykit-codegen emits for each fixture spec, one module per fixture (see build.rs).
//! The same lint allowances as a generated crate's `lib.rs`.
#![allow(
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items,
    clippy::match_overlapping_arm
)]

pub mod twin;

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

#[cfg(test)]
mod tests {
    use crate::composition::types::{Cat, Dog, Index, Pet, Tree};
    use paykit_runtime::serde_json::{from_str, json, to_value};

    /// A discriminated `oneOf` picks its variant by the tag's value (a mapped one, or the schema
    /// name), and keeps a tag it does not know instead of failing.
    #[test]
    fn discriminator_picks_the_variant_and_keeps_unknown_tags() {
        let hound: Pet = from_str(r#"{"kind": "hound", "barks": true}"#).unwrap();
        assert!(matches!(&hound, Pet::Dog(Dog { barks: Some(true), .. })), "{hound:?}");
        let cat: Pet = from_str(r#"{"kind": "Cat", "lives": 9}"#).unwrap();
        assert!(matches!(&cat, Pet::Cat(Cat { lives: Some(9), .. })), "{cat:?}");
        let bird: Pet = from_str(r#"{"kind": "bird", "wings": 2}"#).unwrap();
        assert_eq!(bird, Pet::Unknown(json!({"kind": "bird", "wings": 2})));
        assert_eq!(to_value(&bird).unwrap(), json!({"kind": "bird", "wings": 2}));
        // The right tag with the wrong shape is an error, not an unknown value.
        assert!(from_str::<Pet>(r#"{"kind": "dog", "barks": "loud"}"#).is_err());
    }

    /// Inline options are chosen by the values their tag property enumerates.
    #[test]
    fn inline_discriminated_options_pick_by_their_tag_enum() {
        use crate::composition::types::Condition;
        let birthday: Condition = from_str(r#"{"condition_type": "Birthday", "days": 3}"#).unwrap();
        assert!(
            matches!(&birthday, Condition::ConditionOption2(c) if c.days == Some(3)),
            "{birthday:?}"
        );
        let aim: Condition = from_str(r#"{"condition_type": "Aim", "op": "open", "days": 3}"#).unwrap();
        assert!(
            matches!(&aim, Condition::ConditionOption1(c) if c.op.as_deref() == Some("open")),
            "{aim:?}"
        );
        let other: Condition = from_str(r#"{"condition_type": "Zip"}"#).unwrap();
        assert!(matches!(other, Condition::Unknown(_)));
    }

    /// A list or map of itself is a newtype that decodes and encodes as the bare JSON.
    #[test]
    fn self_containing_lists_and_maps_round_trip() {
        let tree: Tree = from_str("[[], [[]]]").unwrap();
        assert_eq!(tree, Tree(vec![Tree(vec![]), Tree(vec![Tree(vec![])])]));
        assert_eq!(to_value(&tree).unwrap(), json!([[], [[]]]));
        let index: Index = from_str(r#"{"a": {"b": {}}}"#).unwrap();
        assert_eq!(to_value(&index).unwrap(), json!({"a": {"b": {}}}));
    }
}
