//! The grader's command-line behaviour, end to end, on a miniature fixture course
//! (`tests/fixtures/course`: one crate, two exercises) and fixture submissions, plus the real
//! course for `verify` and for grading a copy of the solutions and of the stubs.

mod browser;
mod cache;
mod common;
mod course;
mod edition;
mod grade;
mod gradescope;
mod hidden;
mod leaderboard;
mod messages;
mod order;
mod reset;
mod sandbox;
mod search;
mod shard;
mod similarity;
mod status;
mod student;
mod watch;
