//! `format(value, spec)`: the format-spec mini-language of f-strings (given), as `int.__format__`,
//! `float.__format__` and `str.__format__` read it: `[[fill]align][sign][#][0][width][,|_]
//! [.precision][type]`.

use collector::cycles::{GcHeap, ObjId};

use super::error::{PyResult, fail};
use super::object::Payload;
use super::ops::body;
use super::text::{float_repr, str_of};

/// A parsed spec.
#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse(spec: &str) -> Option<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if chars.first().is_some_and(|&c| is_align(c)) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c) = chars.get(i)
        && matches!(c, '+' | '-' | ' ')
    {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    s.width = chars[start..i]
        .iter()
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    if let Some(&c) = chars.get(i)
        && matches!(c, ',' | '_')
    {
        s.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        s.precision = Some(chars[start..i].iter().collect::<String>().parse().ok()?);
    }
    if let Some(&c) = chars.get(i) {
        s.kind = Some(c);
        i += 1;
    }
    (i == chars.len()).then_some(s)
}

/// Inserts the grouping separator every three digits of the integer part of `digits`.
fn group(digits: &str, sep: char, every: usize) -> String {
    let (int_part, rest) = match digits.find(|c: char| !c.is_ascii_alphanumeric()) {
        Some(at) => digits.split_at(at),
        None => (digits, ""),
    };
    let mut out = String::new();
    for (k, c) in int_part.chars().enumerate() {
        if k > 0 && (int_part.len() - k) % every == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out + rest
}

/// `format(v, spec)`.
pub fn format_spec(h: &mut GcHeap, v: ObjId, spec: &str) -> PyResult<String> {
    let Some(s) = parse(spec) else {
        return fail(h, "ValueError", "Invalid format specifier");
    };
    let (int, float) = match body(h, v) {
        Payload::Int(i) => (Some(*i), None),
        // A bool formats as an int once the spec is not empty.
        Payload::Bool(b) => (Some(i64::from(*b)), None),
        Payload::Float(f) => (None, Some(*f)),
        _ => (None, None),
    };
    let (sign_str, body_text) = if let Some(i) = int {
        match s.kind {
            Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
                number(&s, i as f64).expect("these codes exist for floats")
            }
            _ => {
                let (neg, mag) = (i < 0, i.unsigned_abs());
                let digits = match s.kind {
                    None | Some('d') | Some('n') => mag.to_string(),
                    Some('x') => format!("{}{mag:x}", if s.alternate { "0x" } else { "" }),
                    Some('X') => format!("{}{mag:X}", if s.alternate { "0X" } else { "" }),
                    Some('o') => format!("{}{mag:o}", if s.alternate { "0o" } else { "" }),
                    Some('b') => format!("{}{mag:b}", if s.alternate { "0b" } else { "" }),
                    Some('c') => char::from_u32(mag as u32).unwrap_or('?').to_string(),
                    Some(k) => {
                        return fail(
                            h,
                            "ValueError",
                            format!("Unknown format code '{k}' for object of type 'int'"),
                        );
                    }
                };
                let every = if matches!(s.kind, Some('x' | 'X' | 'o' | 'b')) {
                    4
                } else {
                    3
                };
                let digits = match s.grouping {
                    Some(sep) => group(&digits, sep, every),
                    None => digits,
                };
                (sign_of(&s, neg), digits)
            }
        }
    } else if let Some(f) = float {
        match number(&s, f) {
            Ok(x) => x,
            Err(k) => {
                return fail(
                    h,
                    "ValueError",
                    format!("Unknown format code '{k}' for object of type 'float'"),
                );
            }
        }
    } else {
        if s.sign.is_some() || s.grouping.is_some() || !matches!(s.kind, None | Some('s')) {
            let t = body(h, v).type_name();
            return fail(
                h,
                "ValueError",
                format!(
                    "Unknown format code '{}' for object of type '{t}'",
                    s.kind.unwrap_or('s')
                ),
            );
        }
        if !matches!(body(h, v), Payload::Str(_)) && !spec.is_empty() {
            // object.__format__ refuses a non-empty spec.
            let t = body(h, v).type_name();
            return fail(
                h,
                "TypeError",
                format!("unsupported format string passed to {t}.__format__"),
            );
        }
        let mut text = str_of(h, v)?;
        if let Some(p) = s.precision {
            text = text.chars().take(p).collect();
        }
        (String::new(), text)
    };
    let numeric = int.is_some() || float.is_some();
    // Zero padding with grouping pads the digits themselves: 0,001,234.5.
    let body_text = match (s.zero, s.grouping, s.align, numeric) {
        (true, Some(sep), None, true) => {
            let mut plain: String = body_text.chars().filter(|&c| c != sep).collect();
            let mut grouped = group(&plain, sep, 3);
            while sign_str.len() + grouped.chars().count() < s.width {
                plain.insert(0, '0');
                grouped = group(&plain, sep, 3);
            }
            grouped
        }
        _ => body_text,
    };
    let len = sign_str.chars().count() + body_text.chars().count();
    let pad = s.width.saturating_sub(len);
    let align = s.align.unwrap_or(if s.zero && numeric {
        '='
    } else if numeric {
        '>'
    } else {
        '<'
    });
    let fill = s.fill.unwrap_or(if s.zero && s.align.is_none() {
        '0'
    } else {
        ' '
    });
    let f = |n: usize| fill.to_string().repeat(n);
    Ok(match align {
        '<' => sign_str + &body_text + &f(pad),
        '^' => f(pad / 2) + &sign_str + &body_text + &f(pad - pad / 2),
        '=' => sign_str + &f(pad) + &body_text,
        _ => f(pad) + &sign_str + &body_text,
    })
}

fn sign_of(s: &Spec, negative: bool) -> String {
    match (negative, s.sign) {
        (true, _) => "-".into(),
        (false, Some('+')) => "+".into(),
        (false, Some(' ')) => " ".into(),
        _ => String::new(),
    }
}

/// A float's sign and digits for the spec; `Err(code)` for a type floats do not have.
fn number(s: &Spec, x: f64) -> Result<(String, String), char> {
    let neg = x.is_sign_negative() && x != 0.0 || (x == 0.0 && x.is_sign_negative());
    let a = x.abs();
    let digits = match s.kind {
        Some('f' | 'F') => format!("{a:.*}", s.precision.unwrap_or(6)),
        Some('%') => format!("{:.*}%", s.precision.unwrap_or(6), a * 100.0),
        Some('e' | 'E') => exp(a, s.precision.unwrap_or(6), s.kind == Some('E')),
        Some('g' | 'G') | None if s.precision.is_some() || s.kind.is_some() => general(
            a,
            s.precision.unwrap_or(6).max(1),
            s.kind == Some('G'),
            s.kind.is_none(),
        ),
        None => float_repr(a),
        Some('n') => general(a, s.precision.unwrap_or(6).max(1), false, false),
        Some(k) => return Err(k),
    };
    let digits = match s.grouping {
        Some(sep) => group(&digits, sep, 3),
        None => digits,
    };
    Ok((sign_of(s, neg), digits))
}

/// `%e`: one digit, a point, `p` digits, `e±XX`.
fn exp(a: f64, p: usize, upper: bool) -> String {
    let t = format!("{a:.p$e}");
    let (m, e) = t.split_once('e').expect("{:e} has an exponent");
    let e: i32 = e.parse().expect("an exponent");
    let sign = if e < 0 { '-' } else { '+' };
    let s = format!("{m}e{sign}{:02}", e.abs());
    if upper { s.to_uppercase() } else { s }
}

/// `%g` with precision `p`: fixed or scientific by the exponent, trailing zeros removed. Without
/// a type (`{x:.3}`) a whole number keeps at least one decimal, as `repr` does.
fn general(a: f64, p: usize, upper: bool, no_type: bool) -> String {
    if a == 0.0 {
        return if no_type { "0.0".into() } else { "0".into() };
    }
    let e = format!("{a:.*e}", p - 1);
    let exponent: i32 = e.split_once('e').expect("exponent").1.parse().expect("int");
    if exponent < -4 || exponent >= p as i32 {
        let s = exp(a, p - 1, upper);
        let (m, rest) = s.split_once(['e', 'E']).expect("exponent");
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        format!("{m}{}{rest}", if upper { 'E' } else { 'e' })
    } else {
        let decimals = (p as i32 - 1 - exponent).max(0) as usize;
        let f = format!("{a:.decimals$}");
        let f = if f.contains('.') {
            f.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            f
        };
        if no_type && !f.contains('.') {
            f + ".0"
        } else {
            f
        }
    }
}
