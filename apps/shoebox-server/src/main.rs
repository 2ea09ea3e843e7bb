//! `shoebox`: the one binary. Everything lives in the library so that the
//! end-to-end tests drive exactly what operators run.

fn main() -> std::process::ExitCode {
    shoebox_server::cli::main()
}
