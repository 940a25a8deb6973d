//! The one integration-test binary: every CLI test is a module under `tests/cli/`.

mod cli;
