//! `kam`: everything happens in [`kamnote::cli`].

fn main() -> std::process::ExitCode {
    kamnote::cli::main()
}
