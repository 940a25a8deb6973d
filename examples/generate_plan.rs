//! Writes a synthetic plan of N services to stdout, for measuring the binary on large plans:
//! `cargo run --release --example generate_plan -- 10000 > /tmp/plan-10k.toml`, or a plan for
//! `recommend` with `-- 20 recommend > /tmp/plan-20.toml` (`-- 20 autoscaled`: every service
//! autoscaled on a load curve), or the simulate bench's service of N tasks with `-- 20 simulate`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    match std::env::args().nth(2).as_deref() {
        Some("recommend") => print!("{}", synthetic::recommend_plan(n)),
        Some("autoscaled") => print!("{}", synthetic::recommend_autoscaled_plan(n)),
        Some("simulate") => print!(
            "{}",
            synthetic::simulate_plan(u32::try_from(n).unwrap_or(u32::MAX))
        ),
        _ => print!("{}", synthetic::synthetic_plan(n)),
    }
}
