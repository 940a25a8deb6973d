//! The pure, synchronous core: plan model, Fargate rules, price book, cost and report values.
//!
//! Nothing under `core` touches the network, the file system or the terminal. Data flows one way:
//! plan text → [`plan::parse`] → [`plan::check`] (validated [`plan::Plan`]) → [`cost`] →
//! [`report::Report`], which the exporters in `crate::export` turn into bytes.

pub mod budget;
pub mod compare;
pub mod cost;
pub mod deploy;
pub mod diff;
pub mod eks;
pub mod facts;
pub mod lambda;
pub mod money;
pub mod plan;
pub mod pricelist;
pub mod prices;
pub mod problem;
pub mod recommend;
pub mod report;
pub mod scan;
pub mod schedule;
pub mod simulate;
pub mod strategy;
pub mod taskdef;
#[cfg(test)]
pub mod testing;
pub mod units;
