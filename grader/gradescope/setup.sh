#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image: everything slow
# happens here, so that grading a submission (run_autograder) only compiles the student's code.
#
# The autograder zip holds this file, run_autograder and the course repository at its top
# (Cargo.toml, Cargo.lock, .cargo/, exercises/, book/, grader/; see grader/README.md, "Gradescope"),
# and Gradescope unpacks it into /autograder/source.
set -euo pipefail

SOURCE=/autograder/source

# rustc needs a C linker (cc), rustup needs curl, and the grader runs students' code in a
# bubblewrap sandbox; the base image may lack all three.
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl build-essential bubblewrap

# Rust is not in Gradescope's base image. The minimal profile skips the docs; stable is newer
# than the course's rust-version (Cargo.toml), which is all the course asks for.
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --profile minimal --default-toolchain stable
# shellcheck source=/dev/null
. "${CARGO_HOME:-$HOME/.cargo}/env"

cd "$SOURCE"
# run_autograder runs `cargo course …`; the alias needs this folder's .cargo/config.toml.
test -f .cargo/config.toml || {
    echo "setup.sh: $SOURCE has no .cargo/config.toml: zip the course's .cargo/ folder too" >&2
    exit 1
}

# The course's workspace lists solutions/* as members, but the zip should leave solutions/ out
# (a submission's code runs here and could print them into its feedback). Cargo refuses a member
# glob that matches nothing, so drop it from this copy's workspace.
if [ -d solutions ]; then
    echo "setup.sh: warning: solutions/ is in the autograder, where a submission can read and" \
        "print it; leave it out of the zip" >&2
else
    sed -i -e 's|, *"solutions/\*"||g' -e 's|"solutions/\*", *||g' Cargo.toml
fi

# Grade an empty upload once. This compiles the course tool, downloads the exercises'
# dependencies and builds them into the grader's warm target dir (target/grader/), so each
# submission then compiles only the course's own crates, offline (the sandbox's fresh copies
# are always rebuilt: cargo judges freshness by mtime, and reused mtimes could hide a change).
# It also checks that the grader's sandbox can start in this container: if it says the kernel
# refuses its namespaces, add --no-sandbox here and in run_autograder.
mkdir -p /tmp/empty-submission
cargo course gradescope --submission /tmp/empty-submission --results /tmp/warm-up.json
# The tool always writes a results file; one without exercises means the course itself could
# not be graded (the error is above). Fail now, while the instructor is watching, rather than
# on every student's submission.
if ! grep -q '"max_score"' /tmp/warm-up.json; then
    echo "setup.sh: the trial grading failed (see the error above); fix the course and re-upload" >&2
    exit 1
fi
echo "setup.sh: the autograder is ready."
