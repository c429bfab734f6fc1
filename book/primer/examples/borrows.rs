//! `&mut` in a heap of objects: one mutable borrow at a time, and the ways around it.
//!
//! Run it: `cargo run -p primer --example borrows`

#[derive(Debug, Default)]
pub struct Obj {
    pub refcnt: usize,
    /// Indices of the objects this one refers to.
    pub references: Vec<usize>,
}

// ANCHOR: disjoint
/// Move one reference from `objs[from]` to `objs[to]`: two objects changed at once.
pub fn move_count(objs: &mut [Obj], from: usize, to: usize) {
    // `get_disjoint_mut` checks that the indices differ (and exist), then hands out two
    // `&mut` that the compiler knows do not overlap. It fails for `from == to`.
    let [a, b] = objs
        .get_disjoint_mut([from, to])
        .expect("two different objects");
    a.refcnt -= 1;
    b.refcnt += 1;
}

/// The older tool: split a slice into two halves that cannot overlap.
pub fn bump_first_and_last(objs: &mut [Obj]) {
    let (head, tail) = objs.split_at_mut(1);
    head[0].refcnt += 1;
    tail[tail.len() - 1].refcnt += 1;
}
// ANCHOR_END: disjoint

// ANCHOR: take
/// Drop every reference `objs[op]` holds, and return the objects whose count reached zero.
pub fn clear(objs: &mut [Obj], op: usize) -> Vec<usize> {
    // Looping over `objs[op].references` while changing `objs[r]` would borrow `objs` twice.
    // Move the Vec out instead, leaving an empty one behind: now nothing borrows `objs`
    // across the loop, and each `objs[r]` below is a short borrow of its own.
    let held = std::mem::take(&mut objs[op].references);
    let mut dead = Vec::new();
    for r in held {
        objs[r].refcnt -= 1;
        if objs[r].refcnt == 0 {
            dead.push(r);
        }
    }
    dead
}
// ANCHOR_END: take

// ANCHOR: fields
pub struct Heap {
    pub objs: Vec<Obj>,
    pub log: Vec<String>,
}

impl Heap {
    /// Two *fields* of `self` are two places: reading one while pushing to the other is
    /// fine. Calling a `&mut self` method inside the loop would not be (it could touch
    /// `self.objs`): borrow the fields, not the whole heap.
    pub fn log_counts(&mut self) {
        for (i, obj) in self.objs.iter().enumerate() {
            self.log.push(format!("#{i}={}", obj.refcnt));
        }
    }
}
// ANCHOR_END: fields

// ANCHOR: run
pub fn run() -> String {
    let obj = |refcnt, references: &[usize]| Obj {
        refcnt,
        references: references.to_vec(),
    };
    // #0 refers to #1 and #2.
    let mut objs = vec![obj(1, &[1, 2]), obj(2, &[]), obj(1, &[])];
    move_count(&mut objs, 1, 0);
    bump_first_and_last(&mut objs);
    let counts: Vec<usize> = objs.iter().map(|o| o.refcnt).collect();
    let mut out = format!("counts after move_count and bump: {counts:?}\n");
    let dead = clear(&mut objs, 0);
    out += &format!(
        "clear(#0) freed {dead:?}; #0 now holds {:?}\n",
        objs[0].references
    );
    let mut heap = Heap {
        objs,
        log: Vec::new(),
    };
    heap.log_counts();
    out += &format!("log: {}\n", heap.log.join(" "));
    out
}
// ANCHOR_END: run

fn main() {
    print!("{}", run());
}
