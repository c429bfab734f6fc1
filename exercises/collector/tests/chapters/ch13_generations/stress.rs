//! Chapter 13's stress test: automatic collection as often as CPython allows, under random
//! programs checked after every step against a mark-from-the-variables oracle.

use collector::cycles::{GcHeap, ListId, ObjId};
use proptest::prelude::*;

/// One step of a random program for the stress test. The numbers pick among the objects the
/// program can still reach (modulo their count), so every step is something Python could do.
#[derive(Clone, Debug)]
enum Step {
    /// `x = Obj()`: a new object, held by a new variable.
    Alloc,
    /// `a.items.append(Obj())`: a new object that only `a` holds.
    AllocInto(usize),
    /// `a.items.append(b)`: may close a cycle.
    Link(usize, usize),
    /// `a.items.remove(a.items[k])`: drops the first reference to that object.
    Unlink(usize, usize),
    /// `x = a.items[k]`: a new variable for an object deep in the graph.
    Load(usize, usize),
    /// `x = Obj(x)`: a new object takes over what variable `k` held (a linked list grows at
    /// its head: the newest object holds the older ones).
    Wrap(usize),
    /// `del x`: one variable goes.
    Drop(usize),
}

fn stress_step() -> impl Strategy<Value = Step> {
    let pick = 0usize..64;
    prop_oneof![
        3 => Just(Step::Alloc),
        5 => pick.clone().prop_map(Step::AllocInto),
        4 => (pick.clone(), pick.clone()).prop_map(|(a, b)| Step::Link(a, b)),
        2 => (pick.clone(), pick.clone()).prop_map(|(a, k)| Step::Unlink(a, k)),
        2 => (pick.clone(), pick.clone()).prop_map(|(a, k)| Step::Load(a, k)),
        4 => pick.clone().prop_map(Step::Wrap),
        2 => pick.prop_map(Step::Drop),
    ]
}

/// The program as the oracle sees it: every object ever allocated with the references it was
/// given, and the variables. It never asks the collector anything.
#[derive(Default)]
struct Program {
    ids: Vec<ObjId>,
    refs: Vec<Vec<usize>>,
    vars: Vec<usize>,
}

impl Program {
    /// Marks from the variables (a plain graph search): the objects the program can reach, in
    /// index order.
    fn reachable(&self) -> Vec<usize> {
        let mut marked = vec![false; self.ids.len()];
        let mut stack = self.vars.clone();
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut marked[i], true) {
                stack.extend(&self.refs[i]);
            }
        }
        (0..marked.len()).filter(|&i| marked[i]).collect()
    }

    fn alloc(&mut self, heap: &mut GcHeap) -> usize {
        let i = self.ids.len();
        self.ids.push(heap.alloc(&format!("o{i}")));
        self.refs.push(Vec::new());
        i
    }

    /// Runs one step on the heap and on the model.
    fn run(&mut self, heap: &mut GcHeap, step: &Step) {
        let live = self.reachable();
        let pick = |n: usize| live[n % live.len()];
        match *step {
            Step::Alloc => {
                let i = self.alloc(heap);
                self.vars.push(i);
            }
            Step::Wrap(k) if !self.vars.is_empty() => {
                let k = k % self.vars.len();
                let i = self.alloc(heap); // may collect: the old object must survive it
                heap.link(self.ids[i], self.ids[self.vars[k]]);
                heap.decref(self.ids[self.vars[k]]);
                self.refs[i].push(self.vars[k]);
                self.vars[k] = i;
            }
            Step::Drop(k) if !self.vars.is_empty() => {
                let i = self.vars.remove(k % self.vars.len());
                heap.decref(self.ids[i]);
            }
            _ if live.is_empty() => {}
            Step::AllocInto(a) => {
                let a = pick(a);
                let i = self.alloc(heap); // may collect: `a` must survive it
                heap.link(self.ids[a], self.ids[i]);
                heap.decref(self.ids[i]);
                self.refs[a].push(i);
            }
            Step::Link(a, b) => {
                let (a, b) = (pick(a), pick(b));
                heap.link(self.ids[a], self.ids[b]);
                self.refs[a].push(b);
            }
            Step::Unlink(a, k) | Step::Load(a, k) if !self.refs[pick(a)].is_empty() => {
                let a = pick(a);
                let b = self.refs[a][k % self.refs[a].len()];
                if matches!(step, Step::Load(..)) {
                    heap.incref(self.ids[b]);
                    self.vars.push(b);
                } else {
                    heap.unlink(self.ids[a], self.ids[b]);
                    let at = self.refs[a].iter().position(|&r| r == b).unwrap();
                    self.refs[a].remove(at);
                }
            }
            _ => {}
        }
    }

    /// After every step: each object the program reaches is alive, tracked, holds exactly the
    /// references it was given, and its count is its variables plus the references of the live
    /// objects; the generations are intact rings holding every live object once.
    fn check(&self, heap: &GcHeap, step: usize) -> Result<(), TestCaseError> {
        for i in self.reachable() {
            let op = self.ids[i];
            prop_assert!(
                heap.is_alive(op),
                "step {}: reachable o{} was freed",
                step,
                i
            );
            prop_assert!(
                heap.is_tracked(op),
                "step {}: reachable o{} untracked",
                step,
                i
            );
            let refs: Vec<ObjId> = self.refs[i].iter().map(|&r| self.ids[r]).collect();
            prop_assert_eq!(
                heap.referents(op),
                &refs[..],
                "step {}: o{}'s references",
                step,
                i
            );
            let held = self.vars.iter().filter(|&&v| v == i).count();
            let from_objects: usize = (0..self.ids.len())
                .filter(|&j| heap.is_alive(self.ids[j]))
                .map(|j| self.refs[j].iter().filter(|&&r| r == i).count())
                .sum();
            prop_assert_eq!(
                heap.refcnt(op),
                held + from_objects,
                "step {}: o{}'s count",
                step,
                i
            );
        }
        let alive = self.ids.iter().filter(|&&op| heap.is_alive(op)).count();
        let tracked: usize = (0..3)
            .map(|g| heap.list_ids(ListId::generation(g)).len())
            .sum();
        prop_assert_eq!(tracked, alive, "step {}: objects in the generations", step);
        Ok(())
    }
}

proptest! {
    // No regression files: a failing stub run must not write into the course's source tree.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(32)
    })]

    /// Crafting Interpreters' "stress GC" mode, the way CPython allows it: `gc.set_threshold(1,
    /// 1, 1)` and `gc.enable()`. Count 0 must pass 1, so a collection starts at every second
    /// allocation (every third collection takes generation 1, every ninth generation 2), while
    /// the program builds and tears down graphs, cycles included. A collector that frees or
    /// clears an object still in use shows it at the next step. At the end, with every
    /// variable gone, one full collection leaves nothing alive and the generations empty.
    #[test]
    fn stress_mode_collecting_at_threshold_1_never_frees_a_live_object(
        steps in prop::collection::vec(stress_step(), 1..=60),
    ) {
        let mut heap = GcHeap::new();
        heap.set_threshold(1, Some(1), Some(1));
        heap.enable();
        let mut program = Program::default();
        for (n, step) in steps.iter().enumerate() {
            program.run(&mut heap, step);
            program.check(&heap, n)?;
        }
        for &i in &program.vars {
            heap.decref(program.ids[i]);
        }
        heap.collect(2).unwrap();
        for (i, &op) in program.ids.iter().enumerate() {
            prop_assert!(!heap.is_alive(op), "o{} survived the final collect(2)", i);
        }
        prop_assert_eq!(heap.describe_generations(), "gen0:\ngen1:\ngen2:\npermanent:\n");
    }
}
