//! `recommend PLAN`: simulates every candidate architecture, size and strategy per service and
//! prints the cheapest that meets the availability target; `--write` puts it into the plan file.
//! Exit code 1 when some service's target cannot be met.

use super::super::args::{InputFormat, RecommendArgs};
use super::super::error::CliError;
use super::super::images::{self, ReadOptions};
use super::super::infra;
use super::super::output::diag;
use super::super::output::{self, Target, refuse_input_as_output, resolve_format, write_atomic};
use super::super::price_source::load_savings;
use super::super::session::{self, Request, Session, monte_carlo_args, simulation_bar};
use crate::core::plan::Plan;
use crate::core::recommend::images::apply_reads;
use crate::core::recommend::write::{Change, apply};
use crate::core::recommend::{RecommendOptions, Recommendation, recommend, strategy_grid};
use crate::export;
use rust_decimal::Decimal;
use similar::TextDiff;
use std::path::Path;

pub fn run(args: RecommendArgs) -> Result<(), CliError> {
    let (horizon_minutes, start) = monte_carlo_args(&args.horizon, &args.start, args.trials)?;
    if args.write && args.plan == std::path::Path::new("-") {
        return Err(CliError::bad_input(
            "--write edits the plan file, and `-` (standard input) is not a file",
        )
        .detail("give the plan's path to write the recommendation into it"));
    }
    let template =
        infra::detect_file(&args.plan, args.taskdef.input_format) == InputFormat::Cloudformation;
    if args.write && template {
        return Err(CliError::bad_input(
            "--write edits a plan file: a CloudFormation template is not rewritten",
        )
        .detail("without --write, the template properties to change are printed by logical id"));
    }
    let target = Target::output(args.output.as_deref())?;
    refuse_input_as_output(&target, &[&args.plan])?;
    let format = resolve_format(
        args.format,
        args.output.as_deref(),
        crate::export::recommend::RecommendFormat::Table,
    )?;
    target.check()?;

    let Session {
        facts,
        mut plan,
        books,
    } = session::load_simulated(
        Request {
            plan: &args.plan,
            taskdef: &args.taskdef,
            round_up: args.round_up,
            prices: &args.prices,
            lambda: false,
        },
        &args.service,
    )?;
    let book = books.fargate;
    let ec2_book = books.ec2;
    let savings = load_savings(&args.prices)?;
    if args.images {
        read_images(&mut plan, &args.service)?;
    }

    // Progress counts simulated strategies; the grid is cheap to size up front.
    let total: u64 = plan
        .services
        .iter()
        .filter(|s| args.service.is_empty() || args.service.contains(&s.name))
        .map(|s| {
            let max = s
                .autoscaling
                .as_ref()
                .map_or(s.desired_count.max(s.outside_desired_count), |a| {
                    a.max_capacity
                });
            strategy_grid(&s.strategy, max, !s.os.is_windows()).len() as u64
        })
        .sum();
    let bar = simulation_bar(total, "strategies");
    let opts = RecommendOptions {
        trials: args.trials,
        seed: args.seed,
        horizon_minutes,
        start,
        today: session::today(),
    };
    let result = recommend(&plan, &args.service, &book, &savings, &facts, &opts, &|n| {
        bar.inc(n)
    });
    bar.finish_and_clear();
    let mut rec = result?;
    if plan.services.iter().any(|s| s.tuning.ec2_allowed) {
        let ec2_facts = crate::core::capacity::Ec2Facts::embedded()?;
        crate::core::recommend::ec2::propose(
            &mut rec,
            &plan,
            crate::core::capacity::Ec2Inputs {
                book: &ec2_book,
                facts: &ec2_facts,
                settings: &plan.ec2,
                spot_discount: None,
            },
        );
    }
    let mut bytes = export::recommend::render(&rec, format, output::table_width(&target))?;
    if template && format != export::recommend::RecommendFormat::Json {
        let ids = infra::template_ids(&args.plan, &args.taskdef, &facts)?;
        if let Some(changes) = export::recommend_cfn::template_changes(&rec, &ids) {
            let fence = format == export::recommend::RecommendFormat::Markdown;
            bytes.extend_from_slice(if fence { b"\n```yaml\n" } else { b"\n" });
            bytes.extend_from_slice(changes.as_bytes());
            if fence {
                bytes.extend_from_slice(b"```\n");
            }
        }
    }
    target.write(&bytes)?;
    if args.write {
        write_plan(&args.plan, &plan, &rec, args.yes)?;
    }
    if !rec.feasible() {
        let names: Vec<&str> = rec
            .services
            .iter()
            .filter(|s| !s.feasible())
            .map(|s| s.name.as_str())
            .collect();
        return Err(CliError::failure(format!(
            "no candidate meets the availability target of: {}",
            names.join(", ")
        ))
        .detail("the report above gives the best availability reached; lower the target or min_healthy, or shorten the startup time"));
    }
    Ok(())
}

/// `--images`: reads the platforms of the images of every chosen service whose plan does not
/// list `image_architectures` (the plan wins), into its tuning.
fn read_images(plan: &mut Plan, only: &[String]) -> Result<(), CliError> {
    let chosen = |s: &crate::core::plan::Service| {
        (only.is_empty() || only.contains(&s.name)) && !s.tuning.image_architectures_declared
    };
    let services: Vec<&crate::core::plan::Service> =
        plan.services.iter().filter(|s| chosen(s)).collect();
    if services.is_empty() {
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    let opts = ReadOptions {
        aws: crate::aws::AwsOptions::default(),
        cached_tags: true,
    };
    let reads = runtime.block_on(images::read_all(&services, &opts));
    for s in plan.services.iter_mut().filter(|s| chosen(s)) {
        let mine: Vec<_> = reads
            .iter()
            .filter(|r| r.service == s.name)
            .map(|r| r.read.clone())
            .collect();
        apply_reads(s, mine);
    }
    Ok(())
}

/// Applies the feasible recommendations to the plan file, showing the diff on stderr first.
fn write_plan(path: &Path, plan: &Plan, rec: &Recommendation, yes: bool) -> Result<(), CliError> {
    let changes: Vec<Change> = rec
        .services
        .iter()
        .filter_map(|r| {
            let c = r.recommended.as_ref()?;
            let s = plan.services.iter().find(|s| s.name == r.name)?;
            let strategy = (c.strategy != s.strategy).then(|| c.strategy.clone());
            let size = (c.size != s.size).then_some(c.size);
            let arch = (c.arch != s.arch).then_some(c.arch);
            // Peaks are of the size as written: restate them for the new size.
            let restate = |peak: Option<Decimal>, old: u32, new: u32| {
                peak.filter(|_| size.is_some() && old != new).map(|p| {
                    let v = p * Decimal::from(old) / Decimal::from(new);
                    format!("{}%", v.round_dp(1).normalize())
                })
            };
            let peak_cpu = restate(s.tuning.peak_cpu_percent, s.size.cpu.0, c.size.cpu.0);
            let peak_memory = restate(
                s.tuning.peak_memory_percent,
                s.size.memory.0,
                c.size.memory.0,
            );
            (strategy.is_some() || size.is_some() || arch.is_some()).then(|| Change {
                index: s.index,
                name: s.name.clone(),
                strategy,
                size,
                arch,
                peak_cpu,
                peak_memory,
            })
        })
        .collect();
    if changes.is_empty() {
        diag!("{}: nothing to change", path.display());
        return Ok(());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::failure(format!("cannot read `{}` again: {e}", path.display())))?;
    let new = apply(&text, &changes)
        .map_err(|e| CliError::failure(format!("{}: {e}", path.display())))?;
    let name = path.display().to_string();
    let diff = TextDiff::from_lines(&text, &new);
    // The diff is what --write changes: shown even with --quiet.
    super::super::output::always(
        &diff
            .unified_diff()
            .context_radius(2)
            .header(&name, &format!("{name} (recommended)"))
            .to_string(),
    );
    if !yes {
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Err(CliError::bad_input(format!(
                "{}: not written: --write asks before changing the plan, and there is no terminal to ask on",
                path.display()
            ))
            .detail("pass --yes to write without asking"));
        }
        if !super::super::output::confirm(&format!("Write these changes to {name}?"))? {
            diag!("{name}: left as it was");
            return Ok(());
        }
    }
    write_atomic(path, new.as_bytes())?;
    diag!(
        "{}: wrote the recommendation for {} service{}",
        path.display(),
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    Ok(())
}
