//! How many positional arguments each built-in function and method needs at least (given): the
//! evaluator checks it before calling, so a call with too few raises `TypeError` instead of
//! reaching for an argument that is not there.

use super::error::{PyResult, fail};
use collector::cycles::GcHeap;

/// The minimum number of positional arguments of `name` (`len`, `list.append`, `gc.is_tracked`).
fn minimum(name: &str) -> usize {
    match name {
        "len"
        | "repr"
        | "id"
        | "hash"
        | "iter"
        | "next"
        | "abs"
        | "round"
        | "chr"
        | "ord"
        | "sum"
        | "sorted"
        | "reversed"
        | "enumerate"
        | "callable"
        | "any"
        | "all"
        | "property"
        | "list.append"
        | "list.extend"
        | "list.remove"
        | "list.index"
        | "list.count"
        | "dict.get"
        | "dict.pop"
        | "dict.setdefault"
        | "set.add"
        | "set.discard"
        | "set.remove"
        | "set.union"
        | "set.intersection"
        | "set.difference"
        | "set.symmetric_difference"
        | "set.issubset"
        | "set.issuperset"
        | "set.isdisjoint"
        | "map"
        | "filter"
        | "hex"
        | "bin"
        | "oct"
        | "format"
        | "str.join"
        | "str.startswith"
        | "str.endswith"
        | "str.ljust"
        | "str.rjust"
        | "str.find"
        | "str.count"
        | "sys.getsizeof"
        | "sys.getrefcount"
        | "sys.intern"
        | "gc.is_tracked"
        | "gc.is_finalized"
        | "gc.set_debug"
        | "gc.set_threshold"
        | "weakref.ref"
        | "weakref.proxy"
        | "weakref.getweakrefcount"
        | "TextIOWrapper.write"
        | "StringIO.write"
        | "Snapshot.statistics"
        | "Snapshot.compare_to" => 1,
        "isinstance" | "issubclass" | "hasattr" | "getattr" | "delattr" | "divmod"
        | "list.insert" | "str.replace" => 2,
        "setattr" | "re.sub" => 3,
        _ => 0,
    }
}

/// `TypeError` if `name` got fewer than its minimum of positional arguments.
pub fn check(h: &mut GcHeap, name: &str, given: usize) -> PyResult<()> {
    let need = minimum(name);
    if given >= need {
        return Ok(());
    }
    let short = name.rsplit('.').next().unwrap_or(name);
    let plural = if need == 1 { "" } else { "s" };
    fail(
        h,
        "TypeError",
        format!("{short}() takes at least {need} argument{plural} ({given} given)"),
    )
}
