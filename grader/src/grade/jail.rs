//! The sandbox every process that runs a student's code starts in: bubblewrap (`bwrap`), driven
//! by the grader. A test sees a read-only system (`/usr`, `/lib*`, `/bin`, a few files of `/etc`),
//! its own test binary and crate folder read-only, and two small private tmpfs folders (`/scratch`,
//! its cwd and `$HOME`, and `/tmp`); nothing else of the machine: not the submissions, the
//! reports, the rest of the course, nor the grader's `$HOME`. It has no network (a private network
//! namespace: its own empty loopback, never the machine's), its own PID namespace (when the test
//! ends, bwrap's init exits and the kernel kills everything the test started, `setsid` daemons
//! included), a fixed environment, and limits on processes and file size besides the runner's
//! time, memory and output limits. A build gets the same view plus the toolchain, the downloaded
//! dependencies (read-only) and its workspace and target folders (read-write), no network, and a
//! cleared environment: the compiler reads student code, so `env!` and friends must find nothing
//! secret.
//!
//! RLIMIT_NPROC is what stops a fork bomb, and the kernel never applies it to uid 0, in a user
//! namespace or not. So when the grader runs as root, bwrap makes no user namespace and each test
//! drops to a uid of its own (`setpriv`); otherwise bwrap maps the grader's own uid into a user
//! namespace of the test's own, where the limit counts only that test's processes.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use anyhow::{Context, Result, bail};

use crate::course::Course;
use crate::runner::Launcher;

/// Processes (threads count too) one test may have at once: the course's tests use a handful.
const PROCESSES: u64 = 256;
/// Largest file a test may write; past it a write fails with "File too large".
const FILE_BYTES: u64 = 64 << 20;
/// Size of each of a test's tmpfs folders (`/tmp`, `/scratch`): they live in memory. Above
/// `FILE_BYTES`, so that one big file meets the clearer "File too large" first.
const TEST_TMPFS_BYTES: u64 = 128 << 20;
/// Size of a build's `/tmp` (the linker's scratch files).
const BUILD_TMPFS_BYTES: u64 = 1 << 30;
/// Under root, the uid of the test run by worker slot N is `UID_BASE + N`: far above login uids,
/// `nobody` (65534) and the ranges `/etc/subuid` hands out to containers, so that the process
/// count RLIMIT_NPROC checks is this one test's alone.
const UID_BASE: u32 = 2_000_000_000;
/// The system folders shown read-only (as symlinks where the machine has symlinks).
const SYSTEM: [&str; 7] = [
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
];
/// All of `/etc` a test or build needs: the dynamic loader's cache, and Debian's alternatives
/// (`cc` is `/etc/alternatives/cc`). No passwords, keys, or network configuration.
const ETC: [&str; 4] = [
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
];
/// The cwd and `$HOME` of every sandboxed process.
const SCRATCH: &str = "/scratch";

const INSTALL: &str = "Install it (`sudo apt-get install bubblewrap` on Debian or Ubuntu, \
                       `sudo dnf install bubblewrap` on Fedora) and run the command again";
const NO_SANDBOX: &str = "or, only for submissions you trust (or inside a throwaway container that \
                          holds nothing else), pass --no-sandbox to run students' code without it";

/// The jail to grade in, checked once; `None`, with a warning, under `--no-sandbox`.
pub fn probe_if(course: &Course, sandbox: bool) -> Result<Option<Jail>> {
    if !sandbox {
        eprintln!(
            "warning: --no-sandbox: students' code runs with your rights (your files, the other \
             submissions, the network); a change it makes to the course stops the run"
        );
        return Ok(None);
    }
    Jail::probe(&course.root).map(Some)
}

/// How to start builds and tests of student code inside bubblewrap.
#[derive(Debug, Clone)]
pub struct Jail {
    bwrap: PathBuf,
    /// The grader runs as root: see the module's documentation.
    root: bool,
    /// The toolchain (`rustc --print sysroot`), shown read-only to builds.
    sysroot: PathBuf,
    /// Where cargo keeps downloaded dependencies; only `registry/` and `git/` are shown (never
    /// its credentials).
    cargo_home: PathBuf,
}

impl Jail {
    /// Find bubblewrap and check, once, that it can start a test's sandbox on this machine.
    /// The error says why not and what to do.
    pub fn probe(course_root: &Path) -> Result<Jail> {
        let Some(bwrap) = on_path("bwrap") else {
            bail!(
                "student code runs in a sandbox made with bubblewrap (`bwrap`), which is not \
                 installed. {INSTALL}; {NO_SANDBOX}."
            );
        };
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let out = Command::new(rustc)
            .args(["--print", "sysroot"])
            .current_dir(course_root)
            .output()
            .context("could not run rustc: is Rust installed (https://rustup.rs) and on PATH?")?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
            .unwrap_or_default();
        let jail = Jail {
            bwrap,
            // SAFETY: geteuid only reads the process's credentials.
            root: unsafe { libc::geteuid() } == 0,
            sysroot,
            cargo_home,
        };
        // Exactly what a test gets, around `true`.
        let trial = jail
            .test(Command::new("true"), 0, None)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("could not run {}", jail.bwrap.display()))?;
        if !trial.status.success() {
            bail!(
                "the sandbox for student code cannot start here: {}\nbubblewrap needs Linux \
                 namespaces{}. Allow them (`sudo sysctl -w kernel.unprivileged_userns_clone=1`; on \
                 Ubuntu 23.10 and later `sudo sysctl -w \
                 kernel.apparmor_restrict_unprivileged_userns=0`; in Docker, run the container with \
                 `--security-opt seccomp=unconfined --security-opt apparmor=unconfined` or as \
                 --privileged) and run the command again; {NO_SANDBOX}.",
                String::from_utf8_lossy(&trial.stderr).trim(),
                if jail.root {
                    " (and util-linux's setpriv and prlimit)"
                } else {
                    ", unprivileged user namespaces included"
                }
            );
        }
        Ok(jail)
    }

    /// The command that runs `test` (a test binary, its arguments, environment and folder) in a
    /// sandbox of its own, as worker `slot`. `workspace` is where insta finds the snapshots.
    pub fn test(&self, test: Command, slot: usize, workspace: Option<&Path>) -> Command {
        let mut cmd = self.base(TEST_TMPFS_BYTES);
        let program = Path::new(test.get_program());
        if program.is_absolute() {
            ro_bind(&mut cmd, program);
        }
        // The crate folder: the tests' snapshots are there, found from the workspace root.
        if let Some(dir) = test.get_current_dir() {
            ro_bind(&mut cmd, dir);
        }
        if let Some(root) = workspace {
            cmd.arg("--setenv").arg("INSTA_WORKSPACE_ROOT").arg(root);
        }
        set_envs(&mut cmd, &test);
        cmd.args(["--chdir", SCRATCH]);
        seal(&mut cmd);
        if self.root {
            // Just what setpriv needs to change uid (and then lose every capability).
            cmd.args(["--cap-drop", "ALL"]);
            for cap in ["CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"] {
                cmd.args(["--cap-add", cap]);
            }
        }
        cmd.arg("--");
        if self.root {
            let uid = (UID_BASE + slot as u32).to_string();
            cmd.args([
                "setpriv",
                "--reuid",
                &uid,
                "--regid",
                &uid,
                "--clear-groups",
            ])
            .args(["--bounding-set", "-all", "--"]);
        }
        // Set inside, on the test alone: set on bwrap, RLIMIT_NPROC would also count every other
        // process of the grading user.
        cmd.arg("prlimit")
            .arg(format!("--nproc={PROCESSES}:{PROCESSES}"))
            .arg(format!("--fsize={FILE_BYTES}:{FILE_BYTES}"))
            .arg("--")
            .arg(program)
            .args(test.get_args());
        // SAFETY: signal() is async-signal-safe. An ignored signal stays ignored across exec, so
        // a write past RLIMIT_FSIZE fails with EFBIG ("File too large") that the test reports,
        // instead of killing it with SIGXFSZ.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                Ok(())
            });
        }
        cmd
    }

    /// The command that runs `build` (cargo, building in `workspace` into `target`) sandboxed.
    pub fn build(&self, build: Command, workspace: &Path, target: &Path) -> Command {
        let mut cmd = self.base(BUILD_TMPFS_BYTES);
        for dir in [workspace, target] {
            // bwrap binds only what exists; the first build makes the target folder.
            let _ = std::fs::create_dir_all(dir);
            bind(&mut cmd, "--bind", dir);
        }
        ro_bind(&mut cmd, &self.sysroot);
        for dir in ["registry", "git"] {
            bind(&mut cmd, "--ro-bind-try", &self.cargo_home.join(dir));
        }
        // The toolchain's own cargo, not rustup's proxy (which needs rustup's whole home).
        let own = self.sysroot.join("bin/cargo");
        let cargo = if own.is_file() {
            own
        } else {
            let found = on_path(build.get_program()).unwrap_or_else(|| build.get_program().into());
            ro_bind(&mut cmd, &found);
            found
        };
        set_envs(&mut cmd, &build);
        let mut path = self.sysroot.join("bin").into_os_string();
        path.push(":/usr/bin:/bin");
        cmd.arg("--setenv").arg("PATH").arg(path);
        cmd.arg("--setenv").arg("CARGO_HOME").arg(&self.cargo_home);
        // Dependencies were fetched before (`cargo::fetch`): there is no network in here.
        cmd.args(["--setenv", "CARGO_NET_OFFLINE", "true"]);
        cmd.arg("--chdir")
            .arg(build.get_current_dir().unwrap_or(workspace));
        if self.root {
            cmd.args(["--cap-drop", "ALL"]);
        }
        seal(&mut cmd);
        cmd.arg("--").arg(cargo).args(build.get_args());
        cmd
    }

    /// What every sandbox shares: namespaces, the read-only system, `/proc`, `/dev`, the tmpfs
    /// folders and a cleared environment.
    fn base(&self, tmpfs_bytes: u64) -> Command {
        let mut cmd = Command::new(&self.bwrap);
        // --new-session: no controlling terminal, so no TIOCSTI keystrokes into the grader's.
        cmd.args(["--die-with-parent", "--new-session"]);
        if self.root {
            cmd.args([
                "--unshare-ipc",
                "--unshare-pid",
                "--unshare-net",
                "--unshare-uts",
            ])
            .arg("--unshare-cgroup-try");
        } else {
            cmd.args(["--unshare-all", "--unshare-user", "--disable-userns"]);
        }
        for dir in SYSTEM {
            let dir = Path::new(dir);
            match std::fs::symlink_metadata(dir) {
                Ok(m) if m.file_type().is_symlink() => {
                    if let Ok(target) = std::fs::read_link(dir) {
                        cmd.arg("--symlink").arg(target).arg(dir);
                    }
                }
                Ok(m) if m.is_dir() => ro_bind(&mut cmd, dir),
                _ => {}
            }
        }
        for file in ETC {
            cmd.args(["--ro-bind-try", file, file]);
        }
        cmd.args(["--proc", "/proc", "--dev", "/dev"]);
        let size = tmpfs_bytes.to_string();
        for dir in ["/tmp", SCRATCH] {
            cmd.args(["--perms", "1777", "--size", &size, "--tmpfs", dir]);
        }
        cmd.arg("--clearenv");
        for (key, value) in [
            ("PATH", "/usr/bin:/bin"),
            ("HOME", SCRATCH),
            ("TMPDIR", "/tmp"),
            ("LANG", "C.UTF-8"),
        ] {
            cmd.args(["--setenv", key, value]);
        }
        cmd
    }
}

/// Tests of one grading workspace, started in the jail.
pub struct JailedTests<'a> {
    pub jail: &'a Jail,
    /// The workspace root the tests' crates sit in (insta's `INSTA_WORKSPACE_ROOT`).
    pub workspace: &'a Path,
    /// Added to the runner's slot: see `Sandbox::sibling`.
    pub first_slot: usize,
}

impl Launcher for JailedTests<'_> {
    fn launch(&self, test: Command, slot: usize) -> Command {
        self.jail
            .test(test, self.first_slot + slot, Some(self.workspace))
    }

    /// bwrap exits with 128 + N when the test was killed by signal N: give the runner the signal,
    /// so a stack overflow or an out-of-memory abort is still reported as a crash.
    fn exit_status(&self, status: ExitStatus) -> ExitStatus {
        match status.code() {
            Some(code) if (129..160).contains(&code) => ExitStatus::from_raw(code - 128),
            _ => status,
        }
    }
}

/// Make the sandbox's own root and `/dev` read-only, once every folder is in place: in a user
/// namespace the test owns them, and they have no size limit (memory), unlike `/tmp` and
/// `/scratch`.
fn seal(cmd: &mut Command) {
    cmd.args(["--remount-ro", "/", "--remount-ro", "/dev"]);
}

fn ro_bind(cmd: &mut Command, path: &Path) {
    bind(cmd, "--ro-bind", path);
}

/// Show `path` at the same place inside. bwrap would make the missing folders above it
/// owner-only, which a test's own uid could not cross: make them first, open to all.
fn bind(cmd: &mut Command, how: &str, path: &Path) {
    let mut above: Vec<&Path> = path.ancestors().skip(1).collect();
    above.pop(); // `/`
    for dir in above.into_iter().rev() {
        cmd.args(["--perms", "0755", "--dir"]).arg(dir);
    }
    cmd.arg(how).arg(path).arg(path);
}

/// The environment `from` sets explicitly (`Command::env`), passed into the sandbox.
fn set_envs(cmd: &mut Command, from: &Command) {
    for (key, value) in from.get_envs() {
        if let Some(value) = value {
            cmd.arg("--setenv").arg(key).arg(value);
        }
    }
}

/// `name` as the shell would find it on `$PATH`.
fn on_path(name: impl AsRef<std::ffi::OsStr>) -> Option<PathBuf> {
    let name = Path::new(name.as_ref());
    if name.components().count() > 1 {
        return name.is_file().then(|| name.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
