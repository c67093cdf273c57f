//! The code paykit-codegen emits for each fixture spec, one module per fixture (see build.rs).
//! The same lint allowances as a generated crate's `lib.rs`.
#![allow(
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items,
    clippy::match_overlapping_arm
)]

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
