//! The pure, synchronous core: plan model, Fargate rules, price book, cost and report values.
//!
//! Nothing under `core` touches the network, the file system or the terminal. It is built in
//! floors, and every import runs downhill:
//!
//! 1. [`vocab`]: money, units, platform, strategy, schedule, problem. Imports nothing of ours.
//! 2. [`rules`]: the Fargate, Lambda and service rules as data. Imports the vocabulary.
//! 3. [`pricing`] and [`plan`], siblings that import only the two floors below and never each
//!    other: what things cost, and what the user asked for.
//! 4. The analyses, which combine a plan with prices: [`report`] (cost, coverage, budget, diff),
//!    [`compare`], [`simulate`], [`recommend`], [`deploy`] and [`scan`].
//!
//! Data flows one way: plan text → [`plan::parse()`] → [`plan::check()`] (validated [`plan::Plan`]) →
//! [`report::coverage`] → [`report::cost`] → [`report::Report`], which the exporters in
//! `crate::export` turn into bytes.

pub mod capacity;
pub mod compare;
pub mod deploy;
pub mod plan;
pub mod pricing;
pub mod recommend;
pub mod report;
pub mod rules;
pub mod scan;
pub mod simulate;
#[cfg(test)]
pub mod testing;
pub mod vocab;
