//! `validate PLAN`: every problem at once, each with file, line, field and fix. The plan checks
//! read the Fargate rules only (a wrong plan exits 2 whatever the prices); then the prices
//! `report` would use (`--prices`, default `auto`) must cover every service (a gap exits 1).
//! With `--images`, every container image's platforms are read and judged as `deploy` does.

use super::super::args::ValidateArgs;
use super::super::error::CliError;
use super::super::images::{self, ReadOptions};
use super::super::infra::load_plan;
use super::super::output::print;
use super::super::session::{books_for, facts, warn_ignored};
use crate::core::plan::CheckOptions;
use std::fmt::Write as _;

pub fn run(args: ValidateArgs) -> Result<(), CliError> {
    let facts = facts()?;
    let loaded = load_plan(
        &args.plan,
        &args.taskdef,
        &facts,
        CheckOptions {
            round_up: args.round_up,
        },
    )?;
    warn_ignored(&loaded);
    books_for(&[&loaded], &args.prices, false)?;
    let plan = loaded.plan;
    if args.images {
        let services: Vec<&crate::core::plan::Service> = plan.services.iter().collect();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
        let opts = ReadOptions {
            aws: crate::aws::AwsOptions::default(),
            cached_tags: false,
        };
        let reads = runtime.block_on(images::read_all(&services, &opts));
        images::check(&services, &reads, args.require_image_check)?;
    }
    let n = plan.services.len();
    let mut out = format!(
        "{}: ok, {n} service{} valid for Fargate\n",
        args.plan.display(),
        if n == 1 { "" } else { "s" }
    );
    for s in plan.services.iter().filter(|s| s.was_rounded()) {
        let _ = writeln!(
            out,
            "  {}: {} rounds up to {}",
            s.name, s.requested_size, s.size
        );
    }
    print(&out)
}
