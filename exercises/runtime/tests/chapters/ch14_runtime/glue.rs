//! One duty of `memory.rs` per test, each shown by a small Python program. The expected lines
//! are what CPython 3.11 prints (`solutions/runtime/tests/corpus_on_cpython.rs` checks the
//! corpus; these programs are as small as a test can be).

use super::expected::{assert_prints, normalise};

fn prints(source: &str, expected: &[&str]) {
    let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_prints("test.py", source, false, &expected);
}

fn run(source: &str) -> Vec<String> {
    normalise(&runtime::run_source(source, "test.py", &Default::default()).text)
}

#[test]
fn a_program_runs_on_your_memory_glue() {
    prints("x = [1, 2, 3]\nprint(len(x), x[1] + 40)\n", &["3 42"]);
}

#[test]
fn containers_are_tracked_atoms_and_empty_dicts_are_not() {
    prints(
        "import gc\nclass C: pass\nprint(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked(C()))\n\
         print(gc.is_tracked(1), gc.is_tracked('s'), gc.is_tracked(2.5))\n",
        &["True False True", "False False False"],
    );
}

#[test]
fn a_dict_is_tracked_once_it_holds_a_container() {
    prints(
        "import gc\nd = {'a': 1}\nprint(gc.is_tracked(d))\nd['b'] = []\nprint(gc.is_tracked(d))\n",
        &["False", "True"],
    );
}

#[test]
fn a_collection_untracks_tuples_of_atoms() {
    prints(
        "import gc\ngc.disable()\nt = (1, 'a', 2.5)\nn = ([], 1)\nprint(gc.is_tracked(t), gc.is_tracked(n))\n\
         gc.collect()\nprint(gc.is_tracked(t), gc.is_tracked(n))\n",
        &["True True", "False True"],
    );
}

#[test]
fn each_new_container_counts_in_generation_0() {
    prints(
        "import gc\ngc.disable()\ngc.collect()\na = []\nb = {}\nc = [[], []]\nprint(gc.get_count())\n",
        &["(5, 0, 0)"],
    );
}

#[test]
fn a_freed_instance_takes_one_off_generation_0() {
    // Instances have no free list: their deallocation ends in PyObject_GC_Del, which takes one
    // off the count (lists would go to their free list and keep it).
    prints(
        "import gc\ngc.disable()\nclass C: pass\ngc.collect()\na = C()\nb = C()\ndel a\nprint(gc.get_count())\n",
        &["(1, 0, 0)"],
    );
}

#[test]
fn sizes_come_from_the_layout() {
    prints(
        "import sys\nl = []\nfor i in range(5):\n    l.append(i)\nprint(sys.getsizeof(l), sys.getsizeof({}), sys.getsizeof((1, 2)), sys.getsizeof('abc'))\n",
        &["120 64 56 52"],
    );
}

#[test]
fn freed_objects_give_their_blocks_back() {
    // The same work twice: whatever the first round leaves (caches, a grown globals dict) is
    // there before the second round starts. Between the two counts only `a` itself, an int
    // made after the first count, holds a new block.
    let out = run(
        "import sys\ndef work():\n    l = [[i, str(i)] for i in range(1000)]\n    del l\n\
         work()\na = sys.getallocatedblocks()\nwork()\nb = sys.getallocatedblocks()\nprint(b - a)\n",
    );
    assert_eq!(
        out,
        ["1"],
        "every block taken for the 1000 lists and strs must be back after `del l` \
         (free each object's block, and a list's item array, in dealloc)"
    );
}

#[test]
fn list_items_die_last_to_first() {
    prints(
        "class D:\n    def __init__(self, n): self.n = n\n    def __del__(self): print('del', self.n)\n\
         l = [D(1), D(2), D(3)]\ndel l\nprint('end')\n",
        &["del 3", "del 2", "del 1", "end"],
    );
}

#[test]
fn dict_values_and_attributes_die_first_to_last() {
    prints(
        "class D:\n    def __init__(self, n): self.n = n\n    def __del__(self): print('del', self.n)\n\
         d = {'a': D(1), 'b': D(2)}\ndel d\nclass H: pass\nh = H()\nh.x = D(3)\nh.y = D(4)\ndel h\n",
        &["del 1", "del 2", "del 3", "del 4"],
    );
}

#[test]
fn an_object_dies_before_what_it_holds() {
    prints(
        "class D:\n    def __init__(self, n, child=None): self.n = n; self.child = child\n\
         \x20   def __del__(self): print('del', self.n)\nx = D('outer', D('inner'))\ndel x\n",
        &["del outer", "del inner"],
    );
}

#[test]
fn tuple_items_die_last_to_first() {
    prints(
        "class D:\n    def __init__(self, n): self.n = n\n    def __del__(self): print('del', self.n)\n\
         t = (D(1), D(2), D(3))\ndel t\n",
        &["del 3", "del 2", "del 1"],
    );
}

#[test]
fn an_instance_is_tracked_again_while_its_del_runs() {
    prints(
        "import gc\nclass D:\n    def __del__(self): print('tracked in __del__:', gc.is_tracked(self))\n\
         d = D()\ndel d\n",
        &["tracked in __del__: True"],
    );
}

#[test]
fn a_deep_chain_is_freed_by_the_trashcan() {
    // A deallocation that recurses once per level overflows an ordinary 8 MiB stack long before
    // 200 000 levels (the process then aborts with "has overflowed its stack"): the trashcan
    // must park objects past TRASH_UNWIND_LEVEL nested deallocations. (Corpus program 51 frees
    // million-deep chains; it is too slow for a test in a debug build.)
    let options = runtime::Options {
        stack_size: Some(8 << 20),
        ..Default::default()
    };
    let source = "x = None\nfor i in range(200000):\n    x = [x]\ndel x\nprint('freed')\n";
    let out = runtime::run_source(source, "test.py", &options);
    assert_eq!(normalise(&out.text), ["freed"]);
}

#[test]
fn a_cycle_of_instances_is_collected() {
    prints(
        "import gc\ngc.disable()\nclass N: pass\na = N()\nb = N()\na.other = b\nb.other = a\n\
         del a, b\nprint(gc.collect())\n",
        &["2"],
    );
}

#[test]
fn a_self_referencing_list_is_collected() {
    prints(
        "import gc\ngc.disable()\nl = []\nl.append(l)\ndel l\nprint(gc.collect(), gc.collect())\n",
        &["1 0"],
    );
}

#[test]
fn del_in_a_cycle_runs_once_and_the_cycle_is_freed() {
    prints(
        "import gc\ngc.disable()\nclass N:\n    def __del__(self): print('del', self.name)\n\
         a = N(); a.name = 'a'\nb = N(); b.name = 'b'\na.b = b; b.a = a\ndel a, b\n\
         print(gc.collect())\nprint(gc.collect())\n",
        &["del a", "del b", "2", "0"],
    );
}

#[test]
fn a_resurrected_object_is_not_finalized_twice() {
    prints(
        "import gc\ngc.disable()\nsaved = []\nclass R:\n    def __del__(self):\n        print('del')\n\
         \x20       saved.append(self)\nr = R()\ndel r\nprint(len(saved))\nsaved.clear()\nprint('cleared')\n",
        &["del", "1", "cleared"],
    );
}

#[test]
fn the_same_program_prints_the_same_under_stress() {
    let source = "class N:\n    def __init__(self, v): self.v = v; self.me = self\n\
                  total = 0\nfor i in range(300):\n    n = N(i)\n    total += n.v\n\
                  print(total)\n";
    assert_prints("stress.py", source, true, &["44850".to_string()]);
}

#[test]
fn stress_mode_collects_generation_0_at_every_gc_allocation() {
    // Even with automatic collection disabled: stress mode is about the runtime, not the program.
    let source = "import gc\ngc.disable()\nbefore = gc.get_stats()[0]['collections']\n\
                  l = [[] for i in range(10)]\nprint(gc.get_stats()[0]['collections'] - before >= 10)\n";
    assert_prints("stress.py", source, true, &["True".to_string()]);
}
