//! The one integration-test binary: every CLI test is a module under `tests/cli/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
