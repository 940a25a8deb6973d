//! The `fargate-planner` binary: a thin shell over [`fargate_planner::cli::main`].

/// mimalloc rather than the system allocator: a large `report` spent a third of its time in
/// glibc's malloc and free (many small strings, built on two threads); see docs/speed.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fargate_planner::cli::main()
}
