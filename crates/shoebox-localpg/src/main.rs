//! `shoebox-localpg`: a throwaway PostgreSQL cluster for a shell session or a
//! script. `shoebox-localpg ephemeral` starts one, prints
//! `PORT DATA_DIR URL` on one line, and keeps it until its standard input
//! closes (Ctrl-D, or the parent going away); the cluster never outlives it.

use std::io::Write;
use std::process::ExitCode;

use shoebox_localpg::Cluster;

const USAGE: &str = "usage: shoebox-localpg ephemeral\n\n\
Starts a throwaway PostgreSQL cluster, prints `PORT DATA_DIR URL` on one line\n\
and keeps it running until standard input closes; then stops it and deletes it.";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["ephemeral"] => match hold_ephemeral() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("shoebox-localpg: {error}");
                ExitCode::FAILURE
            }
        },
        ["-h" | "--help"] => {
            eprintln!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn hold_ephemeral() -> Result<(), Box<dyn std::error::Error>> {
    let cluster = Cluster::start_ephemeral()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{} {} {}",
        cluster.port(),
        cluster.data_dir().display(),
        cluster.admin_url("postgres")
    )?;
    stdout.flush()?;
    drop(stdout);
    // Whatever arrives is ignored; only the end of input matters.
    std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink())?;
    cluster.stop()?;
    Ok(())
}
