//! Starts real clusters from the installed binaries and checks what a user of
//! this crate relies on: they answer queries, they keep (or lose) their data
//! as promised, and they never outlive the process that started them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shoebox_localpg::{Cluster, port_is_open};

/// How long a stopped or orphaned cluster may take to disappear.
const GONE_WITHIN: Duration = Duration::from_secs(60);

fn psql_select_one(cluster: &Cluster) -> String {
    let output = Command::new(cluster.bin_dir().join("psql"))
        .args(["-X", "-t", "-A", "-c", "select 1"])
        .arg(cluster.admin_url("postgres"))
        .output()
        .expect("psql runs");
    assert!(output.status.success(), "psql failed: {output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Waits for `condition` to hold, checking it again every 50 ms, and fails
/// the test with `what` if it still does not hold after `GONE_WITHIN`.
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + GONE_WITHIN;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether the process `pid` has exited (a zombie counts as exited).
fn process_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // The state follows the command name in parentheses: "123 (postgres) S ...".
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
    }
}

fn postmaster_pid(data_dir: &Path) -> u32 {
    let contents = std::fs::read_to_string(data_dir.join("postmaster.pid")).unwrap();
    contents.lines().next().unwrap().trim().parse().unwrap()
}

#[test]
fn an_ephemeral_cluster_answers_and_vanishes_when_stopped() {
    let cluster = Cluster::start_ephemeral().unwrap();
    let port = cluster.port();
    let data_dir = cluster.data_dir().to_path_buf();
    assert!(data_dir.join("PG_VERSION").is_file());
    assert_eq!(
        cluster.admin_url("postgres"),
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    );
    assert_eq!(psql_select_one(&cluster), "1");

    cluster.stop().unwrap();

    assert!(!data_dir.exists(), "{} still exists", data_dir.display());
    assert!(!port_is_open(port), "port {port} still accepts connections");
}

#[test]
fn dropping_an_ephemeral_cluster_also_cleans_up() {
    let cluster = Cluster::start_ephemeral().unwrap();
    let (port, data_dir) = (cluster.port(), cluster.data_dir().to_path_buf());
    assert!(port_is_open(port));
    drop(cluster);
    assert!(!data_dir.exists());
    assert!(!port_is_open(port));
}

#[test]
fn a_persistent_cluster_keeps_its_data_across_restarts() {
    let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("localpg-persistent-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);

    let first = Cluster::start_persistent(&data_dir, None).unwrap();
    assert!(first.create_database("albums").unwrap());
    assert!(
        !first.create_database("albums").unwrap(),
        "second creation is a no-op"
    );
    first
        .psql(
            "albums",
            "create table kept (id int); insert into kept values (42)",
        )
        .unwrap();
    let first_port = first.port();
    first.stop().unwrap();
    assert!(
        data_dir.join("PG_VERSION").is_file(),
        "data survives a stop"
    );
    assert!(!port_is_open(first_port));

    let second = Cluster::start_persistent(&data_dir, None).unwrap();
    assert_eq!(
        second.psql("albums", "select id from kept").unwrap().trim(),
        "42"
    );
    second.stop().unwrap();

    std::fs::remove_dir_all(&data_dir).unwrap();
}

#[test]
fn a_persistent_cluster_refuses_a_directory_that_holds_something_else() {
    let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("localpg-not-a-cluster-{}", std::process::id()));
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("notes.txt"), "mine").unwrap();

    let error = Cluster::start_persistent(&data_dir, None).unwrap_err();

    assert!(error.to_string().contains("no PG_VERSION"), "{error}");
    assert!(data_dir.join("notes.txt").is_file(), "nothing was touched");
    std::fs::remove_dir_all(&data_dir).unwrap();
}

#[test]
fn an_ephemeral_cluster_dies_with_a_killed_owner() {
    let mut owner = Command::new(env!("CARGO_BIN_EXE_shoebox-localpg"))
        .arg("ephemeral")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(owner.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let mut words = line.split_whitespace();
    let port: u16 = words.next().expect("a port").parse().unwrap();
    let data_dir = PathBuf::from(words.next().expect("a data directory"));
    assert!(port_is_open(port), "the owner's cluster is running");
    let postmaster = postmaster_pid(&data_dir);

    owner.kill().unwrap(); // SIGKILL: no destructor, no handler runs.
    owner.wait().unwrap();

    wait_until("the orphaned server has exited", || {
        process_gone(postmaster)
    });
    wait_until("the orphaned data directory is gone", || !data_dir.exists());
    assert!(!port_is_open(port));
}
