// mimalloc instead of the C library's malloc: a request to a cached page makes a few dozen
// small allocations (boxed middleware futures, headers), which glibc's malloc spends a fifth
// of the server's time on (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hromada::cli::main()
}
