//! Read-only views of [`Arenas`], for the allocator, the statistics and the tests, and
//! [`Arenas::check`], the invariants of `usable_arenas` and `nfp2lasta` (given: the same file
//! serves the exercise and the solution).

use super::table::ArenaTable;
use super::{ArenaObject, ArenaSource, Arenas, MAX_POOLS_IN_ARENA};

/// Read-only views, for the allocator, the statistics and the tests.
impl<S: ArenaSource> Arenas<S> {
    /// Length of the arena-object vector (`maxarenas`).
    pub fn maxarenas(&self) -> usize {
        self.arenas.len()
    }
    /// Arena object `index` (panics if out of range).
    pub fn arena(&self, index: usize) -> &ArenaObject {
        &self.arenas[index]
    }
    /// Arenas attached now (`narenas_currently_allocated`).
    pub fn narenas_currently_allocated(&self) -> usize {
        self.narenas_currently_allocated
    }
    /// Arenas ever obtained from the source (`ntimes_arena_allocated`).
    pub fn ntimes_arena_allocated(&self) -> usize {
        self.ntimes_arena_allocated
    }
    /// Most arenas attached at once (`narenas_highwater`).
    pub fn narenas_highwater(&self) -> usize {
        self.narenas_highwater
    }
    /// `nfp2lasta[nfp]`.
    pub fn nfp2lasta(&self, nfp: usize) -> Option<usize> {
        self.nfp2lasta[nfp]
    }
    /// The arena source.
    pub fn source(&self) -> &S {
        &self.source
    }
    /// The arena source, e.g. to make a test source fail.
    pub fn source_mut(&mut self) -> &mut S {
        &mut self.source
    }
    /// The indices on `usable_arenas`, head first (stops after `maxarenas` steps, so that a
    /// broken list cannot loop forever).
    pub fn usable_arenas(&self) -> Vec<usize> {
        walk(&self.arenas, self.usable_arenas)
    }
    /// The indices on `unused_arena_objects`, head first.
    pub fn unused_arena_objects(&self) -> Vec<usize> {
        walk(&self.arenas, self.unused_arena_objects)
    }

    /// Check the invariants of `usable_arenas` and `nfp2lasta`; `Err` says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let usable = self.usable_arenas();
        let mut prev: Option<usize> = None;
        for &a in &usable {
            let ao = &self.arenas[a];
            if ao.address.is_null() || ao.nfreepools == 0 {
                return Err(format!(
                    "arena {a} on usable_arenas has no memory or no free pool"
                ));
            }
            if ao.prevarena != prev {
                return Err(format!(
                    "arena {a}: prevarena {:?}, expected {prev:?}",
                    ao.prevarena
                ));
            }
            if let Some(p) = prev
                && self.arenas[p].nfreepools > ao.nfreepools
            {
                return Err(format!("usable_arenas not sorted at arena {a}"));
            }
            prev = Some(a);
        }
        for nfp in 0..=MAX_POOLS_IN_ARENA {
            let last = usable
                .iter()
                .rev()
                .find(|&&a| self.arenas[a].nfreepools as usize == nfp)
                .copied();
            if self.nfp2lasta[nfp] != last {
                return Err(format!(
                    "nfp2lasta[{nfp}] = {:?}, expected {last:?}",
                    self.nfp2lasta[nfp]
                ));
            }
        }
        Ok(())
    }
}

fn walk(table: &ArenaTable, mut at: Option<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    while let Some(i) = at {
        if out.len() > table.len() {
            break;
        }
        out.push(i);
        at = table[i].nextarena;
    }
    out
}
