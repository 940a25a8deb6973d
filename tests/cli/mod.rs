//! Command-line tests: the real binary, run as a user would, on the examples and fixtures.

mod moto;
mod registry;
mod support;

mod budget;

mod compare;
mod compare_prices;
mod deploy;
mod docs;
mod fake_pricing;
mod faults;
mod files;
mod fuzz;
mod house;
mod html;
mod images;
mod infra;
mod init;
mod prices;
mod prices_export;
mod prices_live;
mod recommend;
mod regions;
mod report;
mod scan;
mod simulate;
mod taskdef;
mod validate;
