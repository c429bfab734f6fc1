//! The methods of strs (given), with the optional arguments CPython takes.

use collector::cycles::{GcHeap, ObjId};

use super::builtins::int_arg;
use super::error::{PyResult, fail, unsupported};
use super::object::Payload;
use super::ops::body;
use super::state;

/// The str methods this runtime has (for attribute lookup).
pub const METHODS: &[&str] = &[
    "join",
    "split",
    "rsplit",
    "splitlines",
    "upper",
    "lower",
    "strip",
    "lstrip",
    "rstrip",
    "startswith",
    "endswith",
    "replace",
    "ljust",
    "rjust",
    "center",
    "zfill",
    "find",
    "rfind",
    "index",
    "count",
    "title",
    "capitalize",
    "swapcase",
    "isdigit",
    "isalpha",
    "isalnum",
    "isspace",
    "isupper",
    "islower",
    "partition",
    "removeprefix",
    "removesuffix",
    "format",
];

fn text(h: &mut GcHeap, v: ObjId) -> PyResult<String> {
    match body(h, v) {
        Payload::Str(s) => Ok(s.to_string()),
        other => {
            let t = other.type_name();
            fail(h, "TypeError", format!("must be str, not {t}"))
        }
    }
}

/// An optional argument that may be `None`.
fn opt(h: &GcHeap, args: &[ObjId], i: usize) -> Option<ObjId> {
    args.get(i)
        .copied()
        .filter(|&a| !matches!(body(h, a), Payload::None))
}

/// A char index (start of `find`, `count`, …), negative counting from the end, clamped.
fn index(h: &mut GcHeap, args: &[ObjId], i: usize, len: usize) -> PyResult<usize> {
    Ok(match opt(h, args, i) {
        Some(a) => {
            let v = int_arg(h, a)?;
            let v = if v < 0 { v + len as i64 } else { v };
            v.clamp(0, len as i64) as usize
        }
        None => 0,
    })
}

fn str_list(h: &mut GcHeap, parts: Vec<String>) -> ObjId {
    let items = parts.iter().map(|p| state::new_str(h, p)).collect();
    state::new_list(h, items)
}

/// `s.name(*args)` for a str `s` (args borrowed).
pub fn method(h: &mut GcHeap, s: &str, name: &str, args: &[ObjId]) -> PyResult<ObjId> {
    let chars: Vec<char> = s.chars().collect();
    let strip_set = |h: &mut GcHeap| -> PyResult<Option<String>> {
        opt(h, args, 0).map(|a| text(h, a)).transpose()
    };
    let r: String = match name {
        "upper" => s.to_uppercase(),
        "lower" => s.to_lowercase(),
        "swapcase" => s
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().to_string()
                } else {
                    c.to_uppercase().to_string()
                }
            })
            .collect(),
        "capitalize" => {
            let mut it = s.chars();
            match it.next() {
                Some(c) => c
                    .to_uppercase()
                    .chain(it.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        }
        "title" => {
            let mut out = String::new();
            let mut prev_letter = false;
            for c in s.chars() {
                if c.is_alphabetic() {
                    if prev_letter {
                        out.extend(c.to_lowercase());
                    } else {
                        out.extend(c.to_uppercase());
                    }
                    prev_letter = true;
                } else {
                    out.push(c);
                    prev_letter = false;
                }
            }
            out
        }
        "strip" | "lstrip" | "rstrip" => {
            let set = strip_set(h)?;
            let is_strip = |c: char| match &set {
                Some(set) => set.contains(c),
                None => c.is_whitespace(),
            };
            match name {
                "strip" => s.trim_matches(is_strip).to_string(),
                "lstrip" => s.trim_start_matches(is_strip).to_string(),
                _ => s.trim_end_matches(is_strip).to_string(),
            }
        }
        "removeprefix" => {
            let p = text(h, args[0])?;
            s.strip_prefix(p.as_str()).unwrap_or(s).to_string()
        }
        "removesuffix" => {
            let p = text(h, args[0])?;
            s.strip_suffix(p.as_str()).unwrap_or(s).to_string()
        }
        "replace" => {
            let (old, new) = (text(h, args[0])?, text(h, args[1])?);
            match opt(h, args, 2).map(|c| int_arg(h, c)).transpose()? {
                Some(n) if n >= 0 => s.replacen(&old, &new, n as usize),
                _ => s.replace(&old, &new),
            }
        }
        "startswith" | "endswith" => {
            let start = index(h, args, 1, chars.len())?;
            let sub: String = chars[start..].iter().collect();
            let prefixes = match body(h, args[0]) {
                Payload::Tuple(items) => items.clone(),
                _ => vec![args[0]],
            };
            let mut hit = false;
            for p in prefixes {
                let p = text(h, p)?;
                hit |= if name == "startswith" {
                    sub.starts_with(&p)
                } else {
                    sub.ends_with(&p)
                };
            }
            return Ok(state::new_bool(h, hit));
        }
        "find" | "rfind" | "index" | "count" => {
            let needle = text(h, args[0])?;
            let start = index(h, args, 1, chars.len())?;
            let hay: String = chars[start..].iter().collect();
            if name == "count" {
                return Ok(state::new_int(
                    h,
                    hay.matches(needle.as_str()).count() as i64,
                ));
            }
            let at = if name == "rfind" {
                hay.rfind(&needle)
            } else {
                hay.find(&needle)
            };
            let found = at.map(|i| (start + hay[..i].chars().count()) as i64);
            return match (found, name) {
                (Some(i), _) => Ok(state::new_int(h, i)),
                (None, "index") => fail(h, "ValueError", "substring not found"),
                (None, _) => Ok(state::new_int(h, -1)),
            };
        }
        "ljust" | "rjust" | "center" | "zfill" => {
            let w = usize::try_from(int_arg(h, args[0])?).unwrap_or(0);
            let fill = match opt(h, args, 1) {
                Some(f) => text(h, f)?.chars().next().unwrap_or(' '),
                None => ' ',
            };
            let pad = w.saturating_sub(chars.len());
            let f = |n: usize| fill.to_string().repeat(n);
            match name {
                "ljust" => s.to_string() + &f(pad),
                "rjust" => f(pad) + s,
                "zfill" => match s.strip_prefix(['-', '+']) {
                    Some(rest) => format!("{}{}{rest}", &s[..1], "0".repeat(pad)),
                    None => "0".repeat(pad) + s,
                },
                // str.center puts the extra pad on the right when the text is even and the pad
                // odd, on the left otherwise (`pad(self, left, right)` in unicodeobject.c).
                _ => {
                    let left = pad / 2 + (pad & w & 1);
                    f(left) + s + &f(pad - left)
                }
            }
        }
        "isdigit" | "isalpha" | "isalnum" | "isspace" | "isupper" | "islower" => {
            let t = match name {
                "isdigit" => !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
                "isalpha" => !s.is_empty() && s.chars().all(char::is_alphabetic),
                "isalnum" => !s.is_empty() && s.chars().all(char::is_alphanumeric),
                "isspace" => !s.is_empty() && s.chars().all(char::is_whitespace),
                "isupper" => {
                    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
                }
                _ => s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase),
            };
            return Ok(state::new_bool(h, t));
        }
        "join" => {
            let items = super::builtins::collect(h, args[0])?;
            let mut parts = Vec::new();
            let mut err = None;
            for &i in &items {
                match text(h, i) {
                    Ok(t) => parts.push(t),
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            super::call::release(h, items);
            if let Some(e) = err {
                return Err(e);
            }
            parts.join(s)
        }
        "split" | "rsplit" => {
            let sep = opt(h, args, 0).map(|a| text(h, a)).transpose()?;
            let max = match opt(h, args, 1) {
                Some(m) => int_arg(h, m)?,
                None => -1,
            };
            let parts: Vec<String> = match (&sep, max) {
                (Some(sep), m) if m >= 0 && name == "split" => s
                    .splitn(m as usize + 1, sep.as_str())
                    .map(str::to_string)
                    .collect(),
                (Some(sep), m) if m >= 0 => {
                    let mut v: Vec<String> = s
                        .rsplitn(m as usize + 1, sep.as_str())
                        .map(str::to_string)
                        .collect();
                    v.reverse();
                    v
                }
                (Some(sep), _) => s.split(sep.as_str()).map(str::to_string).collect(),
                (None, m) if m >= 0 && name == "split" => {
                    let mut out = Vec::new();
                    let mut rest = s.trim_start();
                    while !rest.is_empty() {
                        if out.len() as i64 == m {
                            out.push(rest.to_string());
                            break;
                        }
                        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                        out.push(rest[..end].to_string());
                        rest = rest[end..].trim_start();
                    }
                    out
                }
                (None, _) => s.split_whitespace().map(str::to_string).collect(),
            };
            return Ok(str_list(h, parts));
        }
        "splitlines" => {
            let parts = s.lines().map(str::to_string).collect();
            return Ok(str_list(h, parts));
        }
        "partition" => {
            let sep = text(h, args[0])?;
            let (a, b, c) = match s.split_once(sep.as_str()) {
                Some((a, c)) => (a.to_string(), sep, c.to_string()),
                None => (s.to_string(), String::new(), String::new()),
            };
            let items = vec![
                state::new_str(h, &a),
                state::new_str(h, &b),
                state::new_str(h, &c),
            ];
            return Ok(state::new_tuple(h, items));
        }
        _ => return unsupported(h, &format!("str.{name}")),
    };
    Ok(state::new_str(h, &r))
}

/// `template.format(*args, **kwargs)`: `{}` (the next argument), `{0}`, `{name}`, each with an
/// optional `!r`/`!s` and `:spec`; `{{` and `}}` are literal braces.
pub fn format(
    h: &mut GcHeap,
    template: &str,
    args: &[ObjId],
    kwargs: &[(std::rc::Rc<str>, ObjId)],
) -> PyResult<String> {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    field.push(c);
                }
                let (field, spec) = field.split_once(':').unwrap_or((&field, ""));
                let (name, conv) = field.split_once('!').unwrap_or((field, ""));
                let value = if name.is_empty() {
                    next += 1;
                    args.get(next - 1).copied()
                } else if let Ok(i) = name.parse::<usize>() {
                    args.get(i).copied()
                } else {
                    kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| *v)
                };
                let Some(value) = value else {
                    return fail(
                        h,
                        "IndexError",
                        format!("Replacement index {name} out of range"),
                    );
                };
                let text = match conv {
                    "r" => super::text::repr_of(h, value)?,
                    "s" => super::text::str_of(h, value)?,
                    _ if spec.is_empty() => super::text::str_of(h, value)?,
                    _ => {
                        out += &super::format::format_spec(h, value, spec)?;
                        continue;
                    }
                };
                if spec.is_empty() {
                    out += &text;
                } else {
                    let s = state::new_str(h, &text);
                    let r = super::format::format_spec(h, s, spec);
                    h.decref(s);
                    out += &r?;
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}
