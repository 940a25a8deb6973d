//! fargate-planner: plan, price, simulate and deploy ECS services on Fargate.
//!
//! The crate is a pure core ([`core`]) with thin edges: [`export`] turns report values into
//! bytes, and [`cli`] reads files and arguments and writes results.

pub mod aws;
pub mod cache;
pub mod cli;
pub mod core;
pub mod export;
