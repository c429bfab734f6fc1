//! `cargo course <command>`: see `--help`, or grader/README.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use grader::course::Course;
use grader::runner::{Limits, default_jobs};
use grader::{book, doctest, edition, grade, student, verify, watch};

/// The course tool for "Python memory, rebuilt in Rust".
///
/// Students: `list` shows your progress and what to do next; `check` builds and tests an exercise;
/// `watch` re-checks on every save; `hint` gives one more hint each time; `reset` puts an
/// exercise back to its stub.
/// Instructors: `grade` grades a folder of submissions (`merge` joins the reports of a class graded
/// in shards); `gradescope` grades one upload inside a Gradescope autograder; `edition` writes the
/// course without its solutions, for students.
/// Maintainers: `verify`, `book`.
#[derive(Parser)]
#[command(
    name = "cargo course",
    bin_name = "cargo course",
    version,
    after_help = "Run from anywhere inside the course repository. Start with `cargo course list`."
)]
struct Cli {
    /// The course repository (default: the folder above the current one that holds exercises/course.toml).
    #[arg(long, global = true, value_name = "DIR")]
    course: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone, Copy)]
struct LimitArgs {
    /// Wall-clock limit for each test, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    timeout: f64,
    /// Memory (address-space) limit for each test process, in MiB.
    #[arg(long, default_value_t = 4096, value_name = "MIB")]
    memory_mb: u64,
}

impl LimitArgs {
    fn limits(self) -> Limits {
        Limits {
            timeout: Duration::from_secs_f64(self.timeout.max(0.1)),
            memory_mb: self.memory_mb,
            ..Limits::default()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Every exercise with its status and points, and the next one to do.
    List,
    /// Build an exercise and run its tests (default: the next unfinished one). Exit 0 iff all pass.
    Check {
        /// Exercise id, as shown by `list` (e.g. `refcount`).
        id: Option<String>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Re-run `check` whenever a file under exercises/ is saved. Enter re-checks; q quits.
    ///
    /// Keys: n or Enter checks again and, after a pass, moves on to the next unfinished exercise;
    /// h shows the next hint; l the list; c checks every exercise; r resets the exercise to its
    /// stub (after asking); o opens its chapter in the browser; q (or Ctrl-C) quits. When stdin is
    /// not a terminal, type the same letters followed by Enter.
    Watch {
        /// Exercise id to start with (default: the next unfinished one).
        id: Option<String>,
        /// Poll modification times every second instead of using file-system events.
        #[arg(long)]
        poll: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Run a Python program on the capstone runtime (Part V), on your own crates.
    ///
    /// Builds the runtime (exercises/runtime, which uses your objects, allocator and collector
    /// crates) and runs FILE on it. If your code still hits a todo!(), says which exercise to
    /// finish. Exit 0 iff the program exited with 0 (and, with --compare, printed what CPython
    /// 3.11 prints).
    Run {
        /// The Python program.
        file: PathBuf,
        /// Also run python3 (CPython 3.11) and print a unified diff of the two outputs
        /// (stdout and stderr together; addresses written 0x…).
        #[arg(long)]
        compare: bool,
        /// Stress mode: a generation-0 collection at every GC allocation. A program that prints no
        /// GC counts must print the same; a difference means an object the runtime did not count.
        #[arg(long)]
        stress: bool,
        /// Print your allocator's sys._debugmallocstats() report at exit.
        #[arg(long)]
        stats: bool,
        /// Run on the solutions' crates instead of yours (for maintainers).
        #[arg(long)]
        solutions: bool,
        /// Build the runtime optimised: slower to build, much faster on big programs.
        #[arg(long)]
        release: bool,
        /// Wall-clock limit for each run, in seconds.
        #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
        timeout: f64,
    },
    /// Show the next hint for an exercise (one more each time you ask).
    Hint {
        /// Exercise id.
        id: String,
    },
    /// Put an exercise's files back to its stub (your version is kept in .course-backup/).
    ///
    /// Takes the stub from .course-stubs/ (kept by the student edition), else from the course's
    /// git history (the newest committed version that still has its todo!()s). Asks first; clears
    /// the exercise's progress. Exit 0 when reset, 1 when you said no, 2 when no stub was found.
    Reset {
        /// Exercise id, as shown by `list` (e.g. `refcount`).
        id: String,
        /// Do not ask (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Grade a folder of submissions (one subfolder or .zip per student) into reports.
    ///
    /// Each student's exercises/<crate>/src/**/*.rs is laid over a pristine copy of the course,
    /// built, and every test is run in its own process under the limits. Writes DIR/grades.csv,
    /// DIR/grades.json and DIR/feedback/<id>.md, and prints a summary table. Grading again into
    /// the same DIR reuses the result of every student whose files, course and options are
    /// unchanged (kept in DIR/.cache/).
    Grade {
        /// Folder holding one folder (or .zip file) per student; the name is the student id.
        submissions: PathBuf,
        /// Where to write the reports.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Students graded at once, each in a sandbox and a target dir of its own (the first
        /// run copies the warm target dir for each). Keep N × --test-jobs near the number of
        /// cores: the per-test time limit is wall-clock time.
        #[arg(long, value_name = "N", default_value_t = 1)]
        jobs: usize,
        /// Tests run at once for one student (default: the cores, divided among --jobs).
        #[arg(long, value_name = "N")]
        test_jobs: Option<usize>,
        /// Grade only the I-th of N slices of the class (every N-th submission by id, from the
        /// I-th), e.g. one per machine or CI job; `cargo course merge` joins their reports.
        #[arg(long, value_name = "I/N")]
        shard: Option<grade::Shard>,
        /// The instructor's hidden tests: a folder of <exercise-id>.rs files of #[test]
        /// functions, compiled into that exercise's tests (as its module `hidden`) and scored
        /// like them. Students see only how many passed.
        #[arg(long, value_name = "DIR")]
        hidden: Option<PathBuf>,
        /// Show the hidden tests' names and failure messages in the students' feedback.
        #[arg(long, requires = "hidden")]
        show_hidden: bool,
        /// Wall-clock limit for building one student's crate, in seconds.
        #[arg(long, default_value_t = 300.0, value_name = "SECONDS")]
        build_timeout: f64,
        /// Grade every student again, even those whose cached result still holds.
        #[arg(long)]
        no_cache: bool,
        /// Also write DIR/gradescope/<id>.json: what the `gradescope` command would upload.
        #[arg(long)]
        gradescope: bool,
        /// With --gradescope: when Gradescope would show the results to the student.
        #[arg(long, value_enum, default_value_t = grade::Visibility::Visible, requires = "gradescope")]
        visibility: grade::Visibility,
        /// Run students' code without the sandbox (bubblewrap): only for submissions you trust,
        /// or inside a throwaway container that holds nothing else.
        #[arg(long)]
        no_sandbox: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Join the reports of `grade --shard` runs into those of one run over the whole class.
    ///
    /// Reads each SHARD_DIR/grades.json (never a submission), checks the shards graded the same
    /// course and no student twice, and writes DIR/grades.csv, grades.json and feedback/ as one
    /// `grade` over every submission would; gradescope/, the cache and similarity.csv are copied.
    Merge {
        /// The shards' --out folders.
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
        /// Where to write the joined reports.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Grade one upload inside a Gradescope autograder and write its results.json.
    ///
    /// The upload may be the student's exercises/ folder, a folder holding it (a repository), or a
    /// .zip of either. One result per exercise: its score, its failing tests with their messages
    /// (or the compile error), and its hints. A valid results.json is written even when the upload
    /// holds no exercises or the grader fails (score 0 and why), and the exit code is then still 0;
    /// it is 2 only if the file cannot be written. See grader/gradescope/ for the setup scripts.
    Gradescope {
        /// The student's upload.
        #[arg(long, value_name = "DIR", default_value = "/autograder/submission")]
        submission: PathBuf,
        /// Where to write Gradescope's results.
        #[arg(
            long,
            value_name = "FILE",
            default_value = "/autograder/results/results.json"
        )]
        results: PathBuf,
        /// Wall-clock limit for building one crate, in seconds.
        #[arg(long, default_value_t = 300.0, value_name = "SECONDS")]
        build_timeout: f64,
        /// The instructor's hidden tests: a folder of <exercise-id>.rs files of #[test]
        /// functions, compiled into that exercise's tests (as its module `hidden`) and scored
        /// like them. Students see only how many passed.
        #[arg(long, value_name = "DIR")]
        hidden: Option<PathBuf>,
        /// Show the hidden tests' names and failure messages in the students' feedback.
        #[arg(long, requires = "hidden")]
        show_hidden: bool,
        /// When Gradescope shows the results to the student.
        #[arg(long, value_enum, default_value_t = grade::Visibility::Visible)]
        visibility: grade::Visibility,
        /// Run students' code without the sandbox (bubblewrap): only for submissions you trust,
        /// or inside a throwaway container that holds nothing else.
        #[arg(long)]
        no_sandbox: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Write the student edition of the course: everything but solutions/, ready to publish.
    ///
    /// Copies the course's files (its git-tracked files in a git checkout; else every file but
    /// target/, book/build/ and .course-state.json) except solutions/ into DIR, takes solutions/*
    /// out of the workspace in DIR/Cargo.toml, and lets cargo prune DIR/Cargo.lock offline. Then
    /// checks DIR: cargo resolves it offline and its manifest matches its files.
    Edition {
        /// Where to write the edition: a new or empty folder outside the course.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace the contents of a non-empty DIR (all but its .git/, so DIR may be a clone of
        /// the students' repository).
        #[arg(long)]
        force: bool,
    },
    /// Check the whole course: manifest, crates, stubs fail, solutions pass, book, Python examples.
    Verify {
        /// Skip building the book.
        #[arg(long)]
        no_book: bool,
        /// Skip running the book's Python examples on CPython.
        #[arg(long)]
        no_doctests: bool,
        /// Also check the hidden tests in DIR (as for `grade --hidden`): each must fail on the
        /// stubs and pass on the solutions.
        #[arg(long, value_name = "DIR")]
        hidden: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Run the book's Python examples (doctests) on CPython and report mismatches by page and line.
    Doctest,
    /// Re-measure the benchmark tables the book shows (book/tables/*.md): runs the solutions'
    /// benchmarks (several minutes) and writes each table with the date and the machine.
    Tables {
        /// Only this table: allocator-throughput, collector-shapes or runtime-programs.
        #[arg(long, value_name = "NAME")]
        only: Option<String>,
    },
    /// Build the HTML book (no mdbook install needed) and print where it is.
    Book {
        /// Open it in the browser.
        #[arg(long)]
        open: bool,
        /// Build into this folder instead of book/build.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Before opening the course: even a missing course must end in a results.json.
    if let Command::Gradescope {
        submission,
        results,
        build_timeout,
        hidden,
        show_hidden,
        visibility,
        no_sandbox,
        limits,
    } = &cli.command
    {
        let mut opts = grade_options(limits, *build_timeout, false, Some(*visibility));
        opts.sandbox = !no_sandbox;
        opts.hidden_dir = hidden.clone();
        opts.show_hidden = *show_hidden;
        grade::autograde(cli.course.as_deref(), submission, results, &opts)?;
        return Ok(ExitCode::SUCCESS);
    }
    let course = Course::open(cli.course.as_deref())?;
    // A manifest that does not match the files would mislead a student (a test module that never
    // runs, a file that is not there). `grade` checks it too, `verify` reports it as one of its
    // rows, `edition` refuses to publish a course that fails it, and `book`/`doctest` read only
    // the book. The check reads exercises/ and book/src/,
    // never solutions/, so it works in a student's copy of the course.
    if matches!(
        cli.command,
        Command::List
            | Command::Check { .. }
            | Command::Watch { .. }
            | Command::Hint { .. }
            | Command::Run { .. }
            | Command::Edition { .. }
    ) {
        course.manifest.ensure_valid(&course.root)?;
    }
    match cli.command {
        Command::List => {
            print!("{}", student::list(&course));
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { id, limits } => Ok(exit(student::check(
            &course,
            id.as_deref(),
            limits.limits(),
        )?)),
        Command::Watch { id, poll, limits } => {
            watch::watch(&course, id.as_deref(), limits.limits(), poll)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            file,
            compare,
            stress,
            stats,
            solutions,
            release,
            timeout,
        } => {
            let opts = grader::pyrun::RunOptions {
                solutions,
                compare,
                stress,
                stats,
                release,
                timeout: Duration::from_secs_f64(timeout.max(0.1)),
            };
            Ok(exit(grader::pyrun::run(&course, &file, opts)?))
        }
        Command::Hint { id } => {
            print!("{}", student::hint(&course, &id)?);
            Ok(ExitCode::SUCCESS)
        }
        // Not behind the manifest check above: reset is how a student gets back a deleted file.
        Command::Reset { id, yes } => Ok(exit(student::reset(&course, &id, yes)?)),
        Command::Grade {
            submissions,
            out,
            jobs,
            test_jobs,
            shard,
            hidden,
            show_hidden,
            build_timeout,
            no_cache,
            gradescope,
            visibility,
            no_sandbox,
            limits,
        } => {
            let preview = gradescope.then_some(visibility);
            let mut opts = grade_options(&limits, build_timeout, no_cache, preview);
            opts.sandbox = !no_sandbox;
            opts.jobs = jobs.max(1);
            opts.test_jobs = test_jobs.unwrap_or_else(|| (default_jobs() / opts.jobs).max(1));
            opts.shard = shard;
            opts.show_hidden = show_hidden;
            if let Some(dir) = &hidden {
                opts.hidden = Some(grade::Hidden::load(&course, dir)?);
            }
            let book = grade::grade(&course, &submissions, &out, &opts)?;
            print!("{}", grade::summary_table(&book));
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge { shards, out } => {
            let book = grade::merge(&course, &shards, &out)?;
            print!("{}", grade::summary_table(&book));
            eprintln!(
                "Merged {} shard(s), {} student(s), into {}/grades.csv, grades.json, feedback/",
                shards.len(),
                book.students.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Edition { out, force } => {
            let report = edition::write(&course, &out, force)?;
            print!("{}", report.render());
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            no_book,
            no_doctests,
            hidden,
            limits,
        } => {
            let opts = verify::Options {
                limits: limits.limits(),
                book: !no_book,
                doctests: !no_doctests,
                hidden,
            };
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.enable_steady_tick(Duration::from_millis(120));
            let rows = verify::verify(&course, &opts, &|m| spinner.set_message(m.to_string()))?;
            spinner.finish_and_clear();
            print!("{}", verify::render(&rows));
            let ok = rows.iter().all(|r| r.ok);
            println!(
                "{}",
                if ok {
                    "\nThe course is consistent."
                } else {
                    "\nThe course has problems (see above)."
                }
            );
            Ok(exit(ok))
        }
        Command::Doctest => {
            let report = doctest::run_book(&course.book_dir().join("src"))?;
            for (v, n) in &report.ran {
                println!("CPython {v}: {n} block(s) run");
            }
            for (v, n) in &report.skipped {
                println!("CPython {v}: {n} block(s) skipped (no python{v} found)");
            }
            for f in &report.failures {
                println!("\n{f}");
            }
            Ok(exit(report.failures.is_empty()))
        }
        Command::Gradescope { .. } => unreachable!("handled before the course is opened"),
        Command::Tables { only } => {
            for path in grader::tables::regenerate(&course.root, only.as_deref())? {
                println!("wrote {}", path.display());
            }
            println!("Rebuild the book to see them: cargo course book");
            Ok(ExitCode::SUCCESS)
        }
        Command::Book { open, out } => {
            eprintln!("Building the book…");
            let index = book::build(&course.book_dir(), out.as_deref())?;
            println!("The book is at {}", index.display());
            if open {
                book::open(&index)?;
            } else {
                println!("Open it in a browser (or run `cargo course book --open`).");
            }
            print!("{}", student::where_to_start(&course));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn grade_options(
    limits: &LimitArgs,
    build_timeout: f64,
    no_cache: bool,
    gradescope: Option<grade::Visibility>,
) -> grade::Options {
    grade::Options {
        limits: limits.limits(),
        jobs: 1,
        test_jobs: default_jobs(),
        shard: None,
        hidden: None,
        hidden_dir: None,
        show_hidden: false,
        build_timeout: Duration::from_secs_f64(build_timeout.max(1.0)),
        no_cache,
        gradescope: gradescope.is_some(),
        visibility: gradescope.unwrap_or_default(),
        sandbox: true,
    }
}
