//! The `fargate-planner` binary: a thin shell over [`fargate_planner::cli::main`].

/// mimalloc rather than the system allocator: a large `report` spent a third of its time in
/// glibc's malloc and free (many small strings, built on two threads); see docs/speed.md.
/// Built as its v2 line (`Cargo.toml`), which returns freed memory after 10 ms where v3 waits a
/// second: on a 10,000-service report v2 measured 0.12-0.14 s and 89 MiB peak, run after run;
/// v3 (built without huge pages) 0.16-0.20 s and 82-101 MiB from one run to the next; v3 as it
/// was, before the boxed raw service, 106-110 MiB (docs/speed.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fargate_planner::cli::main()
}
