//! Scores: turning test runs into per-exercise results, the same way for `check` and `grade`.

use serde::{Deserialize, Serialize};

use crate::manifest::Exercise;
use crate::runner::{TestRun, Verdict};

/// An exercise's overall outcome, as it appears in `grades.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    CompileError,
    Timeout,
    Crashed,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::CompileError => "compile_error",
            Status::Timeout => "timeout",
            Status::Crashed => "crashed",
            Status::Missing => "missing",
        }
    }
}

/// How one test ended, including "not run" (compile error, missing files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Passed,
    Failed,
    Timeout,
    Crashed,
    NotRun,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestResult {
    /// The test's full name, `chNN_module::behaviour`.
    pub name: String,
    pub passed: bool,
    pub status: TestStatus,
    pub points: u32,
    pub max: u32,
    /// Why it did not pass; empty if it passed.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseResult {
    pub id: String,
    pub title: String,
    pub points: u32,
    pub max: u32,
    pub status: Status,
    pub tests: Vec<TestResult>,
    /// The compiler's errors when `status` is `compile_error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compile_error: Option<String>,
}

impl ExerciseResult {
    /// Score an exercise from the runs of its tests. `names` is the full list of the exercise's
    /// tests (from the pristine build), so a test missing from `runs` counts as not run.
    pub fn scored(ex: &Exercise, names: &[String], runs: &[TestRun]) -> ExerciseResult {
        let tests: Vec<TestResult> = names
            .iter()
            .map(|name| {
                let max = ex.test_points(name);
                match runs.iter().find(|r| &r.name == name) {
                    Some(r) => {
                        let passed = r.verdict == Verdict::Passed;
                        TestResult {
                            name: name.clone(),
                            passed,
                            status: match r.verdict {
                                Verdict::Passed => TestStatus::Passed,
                                Verdict::Failed => TestStatus::Failed,
                                Verdict::Timeout => TestStatus::Timeout,
                                Verdict::Crashed => TestStatus::Crashed,
                            },
                            points: if passed { max } else { 0 },
                            max,
                            message: r.message.clone(),
                        }
                    }
                    None => not_run(name, max, "not run"),
                }
            })
            .collect();
        let status = if tests.is_empty() {
            Status::Failed
        } else if tests.iter().all(|t| t.passed) {
            Status::Passed
        } else if tests.iter().any(|t| t.status == TestStatus::Timeout) {
            Status::Timeout
        } else if tests.iter().any(|t| t.status == TestStatus::Crashed) {
            Status::Crashed
        } else {
            Status::Failed
        };
        ExerciseResult {
            id: ex.id.clone(),
            title: ex.title.clone(),
            points: tests.iter().map(|t| t.points).sum(),
            max: tests.iter().map(|t| t.max).sum(),
            status,
            tests,
            compile_error: None,
        }
    }

    /// An exercise whose tests could not run at all (compile error, missing files).
    pub fn unrun(ex: &Exercise, names: &[String], status: Status, why: &str) -> ExerciseResult {
        let tests: Vec<TestResult> = names
            .iter()
            .map(|n| not_run(n, ex.test_points(n), why))
            .collect();
        ExerciseResult {
            id: ex.id.clone(),
            title: ex.title.clone(),
            points: 0,
            max: tests.iter().map(|t| t.max).sum(),
            status,
            tests,
            compile_error: None,
        }
    }

    pub fn first_failure(&self) -> Option<&TestResult> {
        self.tests.iter().find(|t| !t.passed)
    }
}

fn not_run(name: &str, max: u32, why: &str) -> TestResult {
    TestResult {
        name: name.to_string(),
        passed: false,
        status: TestStatus::NotRun,
        points: 0,
        max,
        message: why.to_string(),
    }
}

/// The tests of `all` (a binary's full list) that belong to `ex`.
pub fn tests_of(ex: &Exercise, all: &[String]) -> Vec<String> {
    all.iter().filter(|n| ex.owns_test(n)).cloned().collect()
}
