//! Generations and the `gc` module (Part IV, "Generations"; ≈ `gc_collect_generations`,
//! `_PyObject_GC_Link` and the `gc` module functions of `Modules/gcmodule.c` in 3.11).
//!
//! Most objects die young, so CPython collects young objects often and old ones rarely. There
//! are three generations. Every GC allocation adds 1 to generation 0's count and every GC
//! deallocation subtracts 1 (`_PyObject_GC_Link`, `PyObject_GC_Del`). When count 0 passes
//! threshold 0 (700) during an allocation, and automatic collection is enabled, the collector
//! runs right there, before the new object is even tracked (3.11; 3.12 only schedules it). It
//! collects the oldest generation whose count passed its threshold; a generation's count is
//! the number of collections of the generation below since it was itself collected. Survivors
//! move one generation up.
//!
//! The full collection (generation 2) has one more condition, the 25 % rule: it runs only if
//! the objects promoted into generation 2 since the last full collection
//! (`long_lived_pending`) are at least a quarter of those that survived it
//! (`long_lived_total`). That keeps the total cost linear in the number of objects.
//!
//! The given code that uses this module: `GcHeap::alloc` (the allocation trigger) and
//! `cycles/collect.rs` (counters, promotion, `long_lived_*`, statistics, the `DEBUG_STATS` start
//! and done lines, and the calls to the callback and statistics functions below).

// The `todo!()` bodies below do not use their parameters (or imports) yet:
// delete the `allow` below once they do.
#![allow(unused_variables, unused_imports)]

use std::fmt;

use crate::cycles::{GcHeap, ListId, NUM_GENERATIONS};

/// `gc.DEBUG_STATS`: print statistics during collection.
pub const DEBUG_STATS: u32 = 1;

/// One entry of `gc.get_stats()`. Displays as CPython's dict:
/// `{'collections': 1, 'collected': 2, 'uncollectable': 0}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Collections of this generation.
    pub collections: usize,
    /// Objects they collected.
    pub collected: usize,
    /// Uncollectable objects they found.
    pub uncollectable: usize,
}

impl fmt::Display for GenStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{'collections': {}, 'collected': {}, 'uncollectable': {}}}",
            self.collections, self.collected, self.uncollectable
        )
    }
}

/// The phase argument of a `gc.callbacks` callback. Displays as `start` / `stop`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the collection.
    Start,
    /// After it.
    Stop,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Start => "start",
            Phase::Stop => "stop",
        })
    }
}

/// The info argument of a `gc.callbacks` callback. Displays as CPython's dict:
/// `{'generation': 2, 'collected': 1, 'uncollectable': 0}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GcInfo {
    /// The generation being collected.
    pub generation: usize,
    /// Collected objects (0 in "start").
    pub collected: usize,
    /// Uncollectable objects (0 in "start").
    pub uncollectable: usize,
}

impl fmt::Display for GcInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{'generation': {}, 'collected': {}, 'uncollectable': {}}}",
            self.generation, self.collected, self.uncollectable
        )
    }
}

/// A `gc.callbacks` entry: called as `callback(phase, info)`.
pub type GcCallback = Box<dyn FnMut(Phase, &GcInfo)>;

impl GcHeap {
    /// `gc.callbacks.append(callback)`.
    pub fn add_callback(&mut self, callback: GcCallback) {
        self.callbacks.push(callback);
    }

    /// `gc.callbacks.clear()`.
    pub fn clear_callbacks(&mut self) {
        self.callbacks.clear();
    }
}

// ANCHOR: api
impl GcHeap {
    // ANCHOR: on_off
    /// `gc.enable()`: turn automatic collection on.
    pub fn enable(&mut self) {
        // TODO: set the enabled flag
        todo!("gc.enable()")
    }

    /// `gc.disable()`: turn automatic collection off (counts keep counting).
    pub fn disable(&mut self) {
        // TODO: clear the enabled flag
        todo!("gc.disable()")
    }

    /// `gc.isenabled()`.
    pub fn isenabled(&self) -> bool {
        // TODO: read the enabled flag
        todo!("gc.isenabled()")
    }
    // ANCHOR_END: on_off

    // ANCHOR: thresholds
    /// `gc.get_threshold()`: the three thresholds.
    pub fn get_threshold(&self) -> (usize, usize, usize) {
        // TODO: the threshold of each of self.generations
        todo!("gc.get_threshold()")
    }

    /// `gc.set_threshold(threshold0[, threshold1[, threshold2]])`: thresholds not given keep
    /// their value. Threshold 0 = 0 disables automatic collection.
    pub fn set_threshold(
        &mut self,
        threshold0: usize,
        threshold1: Option<usize>,
        threshold2: Option<usize>,
    ) {
        // TODO: set threshold 0; set 1 and 2 only if given
        todo!("gc.set_threshold()")
    }

    /// `gc.get_count()`: the three counts.
    pub fn get_count(&self) -> (usize, usize, usize) {
        // TODO: the count of each of self.generations
        todo!("gc.get_count()")
    }
    // ANCHOR_END: thresholds

    // ANCHOR: stats_debug
    /// `gc.get_stats()`: per-generation statistics since the heap was created.
    pub fn get_stats(&self) -> [GenStats; NUM_GENERATIONS] {
        // TODO: return self.stats
        todo!("gc.get_stats()")
    }

    /// `gc.set_debug(flags)`.
    pub fn set_debug(&mut self, flags: u32) {
        // TODO: store the flags in self.debug
        todo!("gc.set_debug()")
    }

    /// `gc.get_debug()`.
    pub fn get_debug(&self) -> u32 {
        // TODO: read self.debug
        todo!("gc.get_debug()")
    }
    // ANCHOR_END: stats_debug

    // ANCHOR: freeze
    /// `gc.freeze()`: move every object of the three generations into the permanent
    /// generation (in order: generation 0's first) and set the three counts to 0. Frozen
    /// objects are never collected, nor examined.
    pub fn freeze(&mut self) {
        // TODO: merge each generation into ListId::PERMANENT, zero its count
        todo!("gc.freeze()")
    }

    /// `gc.unfreeze()`: move the permanent generation back, into generation 2.
    pub fn unfreeze(&mut self) {
        // TODO: merge ListId::PERMANENT into generation 2
        todo!("gc.unfreeze()")
    }

    /// `gc.get_freeze_count()`: how many objects are frozen.
    pub fn get_freeze_count(&self) -> usize {
        // TODO: the size of ListId::PERMANENT
        todo!("gc.get_freeze_count()")
    }
    // ANCHOR_END: freeze

    // ANCHOR: collect_generations
    /// `gc_collect_generations`, called by `alloc` when count 0 passes threshold 0: find the
    /// **oldest** generation `i` whose count is above its threshold and collect it with
    /// `collect_with_callback(i)`, returning its result. Skip generation 2 (try the younger
    /// ones) if `long_lived_pending < long_lived_total / 4`. Returns 0 if nothing was due.
    pub fn collect_generations(&mut self) -> usize {
        // ANCHOR_END: collect_generations
        // TODO: oldest generation first: count > threshold? (generation 2 also needs the 25 % rule) collect it with collect_with_callback
        todo!("collect_generations: gc_collect_generations")
    }

    // ANCHOR: invoke_gc_callback
    /// `invoke_gc_callback`: call every `gc.callbacks` entry, in order, with `phase` and
    /// `GcInfo { generation, collected, uncollectable }`.
    pub fn invoke_gc_callback(
        &mut self,
        phase: Phase,
        generation: usize,
        collected: usize,
        uncollectable: usize,
    ) {
        // ANCHOR_END: invoke_gc_callback
        // TODO: build a GcInfo and call every callback in self.callbacks with (phase, &info)
        todo!("invoke_gc_callback")
    }

    /// `show_stats_each_generations`: with `DEBUG_STATS`, `gc_collect_main` prints
    /// `gc: collecting generation 2...` and then calls this, which prints the sizes of the lists
    /// (before the younger generations are merged) and of the permanent generation:
    /// ```text
    /// gc: objects in each generation: 10 0 11101
    /// gc: objects in permanent generation: 0
    /// ```
    /// (`gc_collect_main` prints the last line itself, at the end of the collection:
    /// `gc: done, 10 unreachable, 0 uncollectable, 0.0010s elapsed`.)
    // ANCHOR: show_stats
    pub fn show_stats_each_generations(&mut self) {
        // ANCHOR_END: show_stats
        // TODO: print the two lines: the sizes of the three generation lists, then of ListId::PERMANENT
        todo!("show_stats_each_generations: DEBUG_STATS size lines")
    }
}
// ANCHOR_END: api
