//! The `fargate-planner` binary: a thin shell over [`fargate_planner::cli::main`].

/// mimalloc rather than the system allocator: a large `report` spent a third of its time in
/// glibc's malloc and free (many small strings, built on two threads); see docs/speed.md.
/// Built as its v2 line without transparent huge pages (`Cargo.toml`): v3 keeps freed memory
/// for a second and backs it with 2 MiB pages, which put a 10,000-service report at 110 MiB
/// instead of 83.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fargate_planner::cli::main()
}
