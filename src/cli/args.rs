//! Command-line arguments as plain data (clap derive). Nothing here leaks into `core`.

use crate::export::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Plan, price, simulate and deploy AWS ECS services on Fargate.
#[derive(Debug, Parser)]
#[command(name = "fargate-planner", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Monthly cost of each service: x86, ARM, Spot and the plan's own strategy.
    Report(ReportArgs),
    /// Check a plan against the Fargate rules; lists every problem with its line and fix.
    Validate(ValidateArgs),
    /// Show the price book.
    #[command(subcommand)]
    Prices(PricesCommand),
    /// Write a commented starter plan.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Price an invalid CPU/memory pair as the next valid Fargate size and show what that costs.
    #[arg(long)]
    pub round_up: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Accept an invalid CPU/memory pair that rounds up to a valid size.
    #[arg(long)]
    pub round_up: bool,
}

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// List prices with their source and as-of date.
    Show(PricesShowArgs),
}

#[derive(Debug, Args)]
pub struct PricesShowArgs {
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the plan (`-` for stdout).
    #[arg(default_value = "fargate-plan.toml")]
    pub file: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}
