//! Command-line tests: the real binary, run as a user would, on the examples and fixtures.

mod support;

mod init;
mod prices;
mod report;
mod validate;
