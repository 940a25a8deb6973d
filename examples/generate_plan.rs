//! Writes a synthetic plan of N services to stdout, for measuring the binary on large plans:
//! `cargo run --release --example generate_plan -- 10000 > /tmp/plan-10k.toml`.

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    print!("{}", synthetic::synthetic_plan(n));
}
