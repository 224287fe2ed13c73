fn main() -> std::process::ExitCode {
    hromada::cli::main()
}
