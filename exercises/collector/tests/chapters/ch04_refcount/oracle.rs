//! Chapter 4's property test: random incref/decref/link/unlink programs, checked after every
//! step against a naive oracle that recounts every reference from scratch.

use collector::refcount::{Event, Handle, Heap, RefError};
use proptest::prelude::*;

/// How many distinct handles a random program uses; ids past the heap's last one are unknown.
const IDS: usize = 6;

#[derive(Clone, Debug)]
enum Op {
    Alloc,
    Incref(usize),
    Decref(usize),
    Link(usize, usize),
    Unlink(usize, usize),
}

/// One step of a random program: one heap call, or two that belong together.
fn step() -> impl Strategy<Value = Vec<Op>> {
    // Links go mostly from an older object to a newer one, so that trees (which cascade) are
    // more common than cycles (which leak).
    let forward = (0..IDS, 0..IDS).prop_map(|(a, b)| (a.min(b), a.max(b)));
    prop_oneof![
        1 => Just(vec![Op::Alloc]),
        1 => (0..IDS).prop_map(|i| vec![Op::Incref(i)]),
        2 => (0..IDS).prop_map(|i| vec![Op::Decref(i)]),
        3 => forward.clone().prop_map(|(a, b)| vec![Op::Link(a, b)]),
        1 => (0..IDS, 0..IDS).prop_map(|(a, b)| vec![Op::Link(a, b)]),
        2 => (0..IDS, 0..IDS).prop_map(|(a, b)| vec![Op::Unlink(a, b)]),
        // `a.append(b); del b`: the program hands its reference over to `a`.
        4 => forward.prop_map(|(a, b)| vec![Op::Link(a, b), Op::Decref(b)]),
    ]
}

/// The same heap, computed the slow and obvious way: a count is never stored but recounted
/// from scratch (the program's own references plus every entry in every reference list), and
/// the worklist is a plain `Vec` used front to back.
struct Oracle {
    handles: Vec<Handle>,
    alive: Vec<bool>,
    /// References the program holds: +1 at alloc and incref, -1 at decref (negative after an
    /// over-decref).
    held: Vec<i64>,
    /// References each object holds; emptied when it is deallocated.
    refs: Vec<Vec<usize>>,
    log: Vec<Event>,
}

impl Oracle {
    fn name(i: usize) -> String {
        format!("o{i}")
    }

    fn count(&self, i: usize) -> i64 {
        let entries = self.refs.iter().flatten().filter(|&&r| r == i).count();
        self.held[i] + entries as i64
    }

    fn check(&self, op: &'static str, i: usize) -> Result<(), RefError> {
        let obj = self.handles[i];
        if i >= self.alive.len() {
            Err(RefError::Unknown { op, obj })
        } else if !self.alive[i] {
            Err(RefError::Dead {
                op,
                obj,
                name: Self::name(i),
            })
        } else {
            Ok(())
        }
    }

    fn negative(&self, i: usize) -> RefError {
        RefError::NegativeRefcount {
            obj: self.handles[i],
            name: Self::name(i),
        }
    }

    fn run(&mut self, op: &Op) -> Result<(), RefError> {
        match *op {
            Op::Alloc => {
                let i = self.alive.len();
                self.alive.push(true);
                self.held.push(1);
                self.refs.push(Vec::new());
                self.log.push(Event::Alloc {
                    obj: self.handles[i],
                    name: Self::name(i),
                });
                Ok(())
            }
            Op::Incref(i) => {
                self.check("incref", i)?;
                self.held[i] += 1;
                Ok(())
            }
            Op::Decref(i) => {
                match self.check("decref", i) {
                    Err(RefError::Dead { .. }) => return Err(self.negative(i)),
                    other => other?,
                }
                self.held[i] -= 1;
                self.released(i)
            }
            Op::Link(a, b) => {
                self.check("link", a)?;
                self.check("link", b)?;
                self.refs[a].push(b);
                Ok(())
            }
            Op::Unlink(a, b) => {
                self.check("unlink", a)?;
                if b >= self.alive.len() {
                    return Err(RefError::Unknown {
                        op: "unlink",
                        obj: self.handles[b],
                    });
                }
                let Some(pos) = self.refs[a].iter().position(|&r| r == b) else {
                    let (from, to) = (self.handles[a], self.handles[b]);
                    return Err(RefError::NotReferenced { from, to });
                };
                if !self.alive[b] {
                    return Err(self.negative(b));
                }
                self.refs[a].remove(pos);
                self.released(b)
            }
        }
    }

    /// One reference to the live object `first` was just dropped.
    fn released(&mut self, first: usize) -> Result<(), RefError> {
        let mut error = None;
        let mut worklist = Vec::new();
        if self.count(first) == 0 {
            worklist.push(first);
        }
        while !worklist.is_empty() {
            let victim = worklist.remove(0);
            self.alive[victim] = false;
            let name = Self::name(victim);
            self.log.push(Event::Dealloc {
                obj: self.handles[victim],
                name,
            });
            while !self.refs[victim].is_empty() {
                let target = self.refs[victim][0];
                if !self.alive[target] || self.count(target) <= 0 {
                    error.get_or_insert_with(|| self.negative(target));
                    self.refs[victim].remove(0);
                } else {
                    self.refs[victim].remove(0);
                    if self.count(target) == 0 {
                        worklist.push(target);
                    }
                }
            }
        }
        error.map_or(Ok(()), Err)
    }
}

fn apply(heap: &mut Heap, handles: &[Handle], op: &Op) -> Result<(), RefError> {
    match *op {
        Op::Alloc => {
            let i = heap
                .events()
                .iter()
                .filter(|e| matches!(e, Event::Alloc { .. }))
                .count();
            let obj = heap.alloc(&Oracle::name(i));
            assert_eq!(obj, handles[i], "handles are numbered in allocation order");
            Ok(())
        }
        Op::Incref(i) => heap.incref(handles[i]),
        Op::Decref(i) => heap.decref(handles[i]),
        Op::Link(a, b) => heap.link(handles[a], handles[b]),
        Op::Unlink(a, b) => heap.unlink(handles[a], handles[b]),
    }
}

proptest! {
    // No regression files: a failing stub run must not write into the course's source tree.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(64)
    })]

    #[test]
    fn random_programs_match_a_naive_oracle(
        first_allocs in 0..=IDS,
        steps in prop::collection::vec(step(), 1..48),
    ) {
        // Most programs start by allocating a few objects, so that the rest has something to do.
        let program: Vec<Op> =
            std::iter::repeat_n(Op::Alloc, first_allocs).chain(steps.into_iter().flatten()).collect();
        // Handle number i, whatever heap issues it: taken from a heap that allocates many.
        let mut donor = Heap::new();
        let handles: Vec<Handle> = (0..program.len().max(IDS)).map(|_| donor.alloc("")).collect();
        let mut heap = Heap::new();
        let mut oracle = Oracle {
            handles: handles.clone(),
            alive: Vec::new(),
            held: Vec::new(),
            refs: Vec::new(),
            log: Vec::new(),
        };
        for (step, op) in program.iter().enumerate() {
            let got = apply(&mut heap, &handles, op);
            let want = oracle.run(op);
            prop_assert_eq!(got, want, "result of step {} ({:?})", step, op);
            prop_assert_eq!(heap.events(), &oracle.log[..], "log after step {}", step);
            let live = oracle.alive.iter().filter(|&&alive| alive).count();
            prop_assert_eq!(heap.live_objects(), live);
            for (i, &alive) in oracle.alive.iter().enumerate() {
                let h = handles[i];
                prop_assert_eq!(heap.is_alive(h), alive, "is {} alive after step {}", h, step);
                if alive {
                    prop_assert_eq!(heap.refcount(h), Ok(oracle.count(i) as usize));
                    let refs: Vec<Handle> = oracle.refs[i].iter().map(|&r| handles[r]).collect();
                    prop_assert_eq!(heap.references(h), Ok(&refs[..]));
                }
            }
        }
    }
}
