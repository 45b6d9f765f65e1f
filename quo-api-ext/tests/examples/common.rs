//! Running a built example binary from a test: found next to the test's own
//! binary (`target/<profile>/examples/<name>`), which `cargo test -p
//! quo-api-ext` builds before running integration tests, and refused when
//! missing or older than its source (`cargo test -p quo-api-ext --test
//! examples` alone does not rebuild examples).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Longest a single run of an example may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// What one run of an example did.
pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The built binary of example `name`.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the path of the test binary");
    // target/<profile>/deps/<test>-<hash> -> target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in target/<profile>/deps");
    let binary = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "the `{name}` example binary is missing at {}: run these tests with \
         `cargo test -p quo-api-ext --features testing` (which builds the examples first), or build it \
         with `cargo build -p quo-api-ext --features testing --examples`",
        binary.display()
    );
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}.rs"));
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if let (Some(built), Some(edited)) = (modified(&binary), modified(&source)) {
        assert!(
            built >= edited,
            "{} is older than examples/{name}.rs: run `cargo test -p quo-api-ext --features testing` \
             (which rebuilds the examples) or `cargo build -p quo-api-ext --features testing --examples` first",
            binary.display()
        );
    }
    binary
}

/// Runs example `name` with `args`, the variables in `remove` removed from
/// its environment and `set` set, and collects its output. Fails the test
/// when it panics or runs past [`RUN_TIMEOUT`].
pub fn run_example(name: &str, args: &[&str], remove: &[&str], set: &[(&str, &str)]) -> Run {
    let mut command = Command::new(example_binary(name));
    command.args(args).env_remove("RUST_LOG");
    for variable in remove {
        command.env_remove(variable);
    }
    for (variable, value) in set {
        command.env(variable, value);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start the {name} example: {e}"));
    // Read both pipes while waiting, so a full pipe cannot block the child.
    let reader = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text)
                .expect("example output is UTF-8");
            text
        })
    };
    let stdout = reader(Box::new(child.stdout.take().expect("stdout")));
    let stderr = reader(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the example") {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            panic!(
                "`{name} {}` did not finish within {RUN_TIMEOUT:?}",
                args.join(" ")
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        success: status.success(),
        code: status.code(),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "`{name} {}` panicked:\n{}",
        args.join(" "),
        run.stderr
    );
    run
}
