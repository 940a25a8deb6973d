//! The vocabulary floor: the words every other floor speaks (money, units, platform, strategy,
//! schedule, problem). It imports nothing of ours.

pub mod money;
pub mod platform;
pub mod problem;
pub mod schedule;
pub mod strategy;
pub mod units;
