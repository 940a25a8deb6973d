//! Writes a synthetic plan of N services to stdout, for measuring the binary on large plans:
//! `cargo run --release --example generate_plan -- 10000 > /tmp/plan-10k.toml`, or a plan for
//! `recommend` with `-- 20 recommend > /tmp/plan-20.toml`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    if std::env::args().nth(2).as_deref() == Some("recommend") {
        print!("{}", synthetic::recommend_plan(n));
    } else {
        print!("{}", synthetic::synthetic_plan(n));
    }
}
