//! `gc_collect_main`, phase by phase (given code: read it beside CPython 3.11's
//! `Modules/gcmodule.c`). The phases it calls are yours, chapter by chapter. The numbered
//! comments follow CPython's order; where this model differs, the comment says so:
//!
//! - CPython calls every phase on every collection. Here the phases of later chapters (weak
//!   references, finalizers, legacy finalizers) run only when the unreachable set contains an
//!   object that needs them. Without such objects CPython's phases find nothing to do, so the
//!   result is the same, and `cycles` works before `weakref` and `finalize` are written.
//! - CPython clears the UNREACHABLE bits inside `move_legacy_finalizers`; here
//!   `clear_unreachable_mask` does it first, for every collection.
//! - The chapters' objects are neither tuples nor dicts, and there are no free lists:
//!   `untrack_tuples`, `untrack_dicts` and `clear_freelists` ask a runtime's host (Part V), and
//!   so do `DEBUG_COLLECTABLE` (step 8) and `DEBUG_SAVEALL` (step 12). `DEBUG_UNCOLLECTABLE`
//!   is left out (nothing of a runtime is uncollectable: it has no legacy `tp_del`).
//!   `DEBUG_STATS` prints to the heap's log (a runtime's host prints it to stderr).

use std::time::Instant;

use super::{GcHead, GcHeap, ListId, NUM_GENERATIONS};
use crate::generations::{DEBUG_STATS, GcInfo, Phase};

/// `gc.DEBUG_COLLECTABLE`: print the collectable objects found.
pub const DEBUG_COLLECTABLE: u32 = 2;

/// `gc.DEBUG_SAVEALL`: save unreachable objects in `gc.garbage` instead of freeing them.
pub const DEBUG_SAVEALL: u32 = 32;

/// What one collection found (`gc_collect_main`'s `n_collected` and `n_uncollectable`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Collected {
    /// `m`: objects freed by weakref-callback handling plus the final unreachable set.
    pub collected: usize,
    /// `n`: the legacy-finalizer set (objects with `tp_del` and everything they reach).
    pub uncollectable: usize,
}

/// Which later-chapter machinery an unreachable set needs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Found {
    /// A weak reference, or an object that has weak references (chapter 6).
    pub(crate) weakrefs: bool,
    /// An object whose class has `__del__` (chapter 7).
    pub(crate) finalizers: bool,
    /// An object with a legacy `tp_del` (chapter 7).
    pub(crate) legacy: bool,
}

impl GcHeap {
    /// `gc_collect_with_callback`: the "start" callbacks, the collection, the "stop" callbacks.
    /// Returns collected + uncollectable. (`collect` and chapter 13's automatic collection call
    /// this; it does not check the `collecting` flag.)
    pub fn collect_with_callback(&mut self, generation: usize) -> usize {
        // invoke_gc_callback returns at once when gc.callbacks is empty.
        if !self.callbacks.is_empty() {
            self.invoke_gc_callback(Phase::Start, generation, 0, 0);
        }
        // A runtime's gc.callbacks are Python functions: its host calls them (Part V).
        if let Some(host) = self.host {
            let info = GcInfo {
                generation,
                collected: 0,
                uncollectable: 0,
            };
            host.gc_callback(self, Phase::Start, &info);
        }
        let result = self.collect_main(generation);
        if let Some(host) = self.host {
            let info = GcInfo {
                generation,
                collected: result.collected,
                uncollectable: result.uncollectable,
            };
            host.gc_callback(self, Phase::Stop, &info);
        }
        if !self.callbacks.is_empty() {
            self.invoke_gc_callback(
                Phase::Stop,
                generation,
                result.collected,
                result.uncollectable,
            );
        }
        result.collected + result.uncollectable
    }

    /// `gc_collect_main`: collects `generation` and every younger one.
    pub fn collect_main(&mut self, generation: usize) -> Collected {
        let mut m = 0; // objects collected
        // 1. DEBUG_STATS: the start lines and the clock.
        let t1 = if self.debug & DEBUG_STATS != 0 {
            self.print(format!("gc: collecting generation {generation}..."));
            self.show_stats_each_generations();
            Some(Instant::now())
        } else {
            None
        };

        // 2. Update the collection and allocation counters.
        if generation + 1 < NUM_GENERATIONS {
            self.generations[generation + 1].count += 1;
        }
        for g in &mut self.generations[..=generation] {
            g.count = 0;
        }

        // 3. Merge the younger generations into the one being collected.
        let young = ListId::generation(generation);
        for i in 0..generation {
            self.gc_list_merge(ListId::generation(i), young);
        }
        let old = if generation + 1 < NUM_GENERATIONS {
            ListId::generation(generation + 1)
        } else {
            young
        };

        // 4. Find the unreachable objects.
        let unreachable = ListId::UNREACHABLE;
        self.deduce_unreachable(young, unreachable);

        // 5. untrack_tuples(young): only a runtime has tuples (its host decides).
        self.untrack_containers(young, false);

        // 6. Move the reachable objects to the next generation.
        if young != old {
            if generation == NUM_GENERATIONS - 2 {
                self.long_lived_pending += self.gc_list_size(young);
            }
            self.gc_list_merge(young, old);
        } else {
            // untrack_dicts(young): only a runtime has dicts (its host decides).
            self.untrack_containers(young, true);
            self.long_lived_pending = 0;
            self.long_lived_total = self.gc_list_size(young);
        }

        // 7. Legacy finalizers (tp_del) and everything they reach cannot be collected.
        //    (CPython clears NEXT_MASK_UNREACHABLE inside move_legacy_finalizers.)
        let found = self.clear_unreachable_mask(unreachable);
        let finalizers = ListId::FINALIZERS;
        self.gc_list_init(finalizers);
        if found.legacy {
            self.move_legacy_finalizers(unreachable, finalizers);
            self.move_legacy_finalizer_reachable(finalizers);
        }

        // 8. DEBUG_COLLECTABLE: `debug_cycle("collectable", op)` for each unreachable object
        //    (only a runtime's objects have a type to print).
        if self.debug & DEBUG_COLLECTABLE != 0
            && let Some(host) = self.host
        {
            for op in self.list_ids(unreachable) {
                let line = format!("gc: collectable <{}>", host.describe(self, op));
                self.print(line);
            }
        }

        // 9. Clear weak references and call the callbacks that must run.
        if found.weakrefs {
            m += self.handle_weakrefs(unreachable, old);
        }

        // 10. + 11. PEP 442 finalizers, then whatever they resurrected goes to `old`.
        let final_unreachable = ListId::FINAL_UNREACHABLE;
        if found.finalizers {
            self.finalize_garbage(unreachable);
            self.handle_resurrected_objects(unreachable, final_unreachable, old);
        } else {
            // No finalizer ran, so nothing can have come back to life.
            self.gc_list_init(final_unreachable);
            self.gc_list_merge(unreachable, final_unreachable);
        }

        // 12. Break the cycles. With DEBUG_SAVEALL, a runtime's unreachable objects go to its
        //     gc.garbage instead (delete_garbage's DEBUG_SAVEALL branch); they then survive.
        m += self.gc_list_size(final_unreachable);
        match self.host {
            Some(host) if self.debug & DEBUG_SAVEALL != 0 => {
                for op in self.list_ids(final_unreachable) {
                    host.save_garbage(self, op);
                    self.gc[op].flags &= !GcHead::COLLECTING;
                }
                self.gc_list_merge(final_unreachable, old);
            }
            _ => self.delete_garbage(final_unreachable, old),
        }

        // 13. Count the uncollectable objects (DEBUG_UNCOLLECTABLE printing: not modelled).
        let n = self.gc_list_size(finalizers);
        if let Some(t1) = t1 {
            let d = t1.elapsed().as_secs_f64();
            let done = format!(
                "gc: done, {} unreachable, {n} uncollectable, {d:.4}s elapsed",
                n + m
            );
            self.print(done);
        }

        // 14. Uncollectable objects go to gc.garbage, and their list to `old`.
        if found.legacy {
            self.handle_legacy_finalizers(finalizers, old);
        }

        // 15. clear_freelists after a full collection: only a runtime has free lists.
        if generation == NUM_GENERATIONS - 1
            && let Some(host) = self.host
        {
            host.clear_freelists(self);
        }

        // 16. Statistics.
        let stats = &mut self.stats[generation];
        stats.collections += 1;
        stats.collected += m;
        stats.uncollectable += n;
        Collected {
            collected: m,
            uncollectable: n,
        }
    }

    /// `clear_unreachable_mask`: clears the UNREACHABLE flag of every object on `list`, and
    /// reports which later-chapter machinery those objects need.
    pub(crate) fn clear_unreachable_mask(&mut self, list: ListId) -> Found {
        let mut found = Found::default();
        let head = list.node();
        let mut gc = self.gc[head].next;
        while gc != head {
            self.gc[gc].flags &= !GcHead::UNREACHABLE;
            if self.objs[gc.obj().index()].special {
                let o = self.info(gc.obj());
                found.weakrefs |= !o.weaklist.is_empty() || o.weakref.is_some();
                found.finalizers |= o.finalizer != crate::finalize::Finalizer::None;
                found.legacy |= o.legacy_del;
            }
            gc = self.gc[gc].next;
        }
        found
    }
}
