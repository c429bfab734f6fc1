//! Stub ↔ solution agreement: the public API a student codes against must be the solution's.
//!
//! For each Rust file in `exercises/<crate>/src`, the same file in `solutions/<crate>/src` must
//! declare the same public items: functions (signature), types, constants, traits, and in `impl`
//! blocks the public methods and trait methods. Bodies, private helpers and doc comments may differ.

use std::collections::BTreeSet;
use std::path::Path;

use quote::ToTokens;
use syn::{ImplItem, Item, Visibility};

/// The public surface of one file, one line per item.
pub fn public_api(source: &str) -> Result<BTreeSet<String>, String> {
    let file = syn::parse_file(source).map_err(|e| format!("does not parse: {e}"))?;
    let mut out = BTreeSet::new();
    collect(&file.items, "", &mut out);
    Ok(out)
}

fn is_pub(v: &Visibility) -> bool {
    matches!(v, Visibility::Public(_))
}

fn strip_docs(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain(|a| !a.path().is_ident("doc") && !a.path().is_ident("allow"));
}

fn collect(items: &[Item], scope: &str, out: &mut BTreeSet<String>) {
    for item in items {
        let mut item = item.clone();
        let line = match &mut item {
            Item::Fn(f) if is_pub(&f.vis) => Some(f.sig.to_token_stream().to_string()),
            Item::Struct(s) if is_pub(&s.vis) => {
                strip_docs(&mut s.attrs);
                for f in s.fields.iter_mut() {
                    strip_docs(&mut f.attrs);
                }
                Some(s.to_token_stream().to_string())
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                strip_docs(&mut e.attrs);
                for v in e.variants.iter_mut() {
                    strip_docs(&mut v.attrs);
                    for f in v.fields.iter_mut() {
                        strip_docs(&mut f.attrs);
                    }
                }
                Some(e.to_token_stream().to_string())
            }
            Item::Const(c) if is_pub(&c.vis) => {
                strip_docs(&mut c.attrs);
                Some(c.to_token_stream().to_string())
            }
            Item::Type(t) if is_pub(&t.vis) => {
                strip_docs(&mut t.attrs);
                Some(t.to_token_stream().to_string())
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                for ti in &t.items {
                    if let syn::TraitItem::Fn(f) = ti {
                        out.insert(format!(
                            "{scope}trait {} :: {}",
                            t.ident,
                            f.sig.to_token_stream()
                        ));
                    }
                }
                None
            }
            Item::Impl(imp) => {
                let head = match &imp.trait_ {
                    Some((_, path, _)) => format!(
                        "impl {} for {}",
                        path.to_token_stream(),
                        imp.self_ty.to_token_stream()
                    ),
                    None => format!("impl {}", imp.self_ty.to_token_stream()),
                };
                for ii in &imp.items {
                    if let ImplItem::Fn(f) = ii
                        && (imp.trait_.is_some() || is_pub(&f.vis))
                    {
                        out.insert(format!("{scope}{head} :: {}", f.sig.to_token_stream()));
                    }
                }
                None
            }
            Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, &format!("{scope}{}::", m.ident), out);
                }
                None
            }
            _ => None,
        };
        if let Some(l) = line {
            out.insert(format!("{scope}{l}"));
        }
    }
}

/// Compare every stub file of a crate with its solution twin. Returns one message per difference.
pub fn compare_crate(stub_src: &Path, solution_src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(stub_src)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry.path().strip_prefix(stub_src).unwrap_or(entry.path());
        let twin = solution_src.join(rel);
        let shown = rel.display();
        let (Ok(stub), Ok(sol)) = (
            std::fs::read_to_string(entry.path()),
            std::fs::read_to_string(&twin),
        ) else {
            problems.push(format!(
                "src/{shown}: no solution twin at {}",
                twin.display()
            ));
            continue;
        };
        match (public_api(&stub), public_api(&sol)) {
            (Ok(a), Ok(b)) => {
                for only in a.difference(&b) {
                    problems.push(format!("src/{shown}: only the stub has `{only}`"));
                }
                for only in b.difference(&a) {
                    problems.push(format!("src/{shown}: only the solution has `{only}`"));
                }
            }
            (Err(e), _) => problems.push(format!("stub src/{shown} {e}")),
            (_, Err(e)) => problems.push(format!("solution src/{shown} {e}")),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_docs_and_private_helpers_do_not_matter() {
        let stub = "/// Do it.\npub fn f(x: u32) -> u32 { todo!() }\npub struct S { pub a: u8 }\nimpl S { pub fn g(&self) {} }";
        let sol = "/// Done.\npub fn f(x: u32) -> u32 { helper(x) }\nfn helper(x: u32) -> u32 { x }\npub struct S { pub a: u8 }\nimpl S { pub fn g(&self) { } fn h(&self) {} }";
        assert_eq!(public_api(stub).unwrap(), public_api(sol).unwrap());
    }

    #[test]
    fn a_changed_signature_is_a_difference() {
        let a = public_api("pub fn f(x: u32) -> u32 { 0 }").unwrap();
        let b = public_api("pub fn f(x: u64) -> u32 { 0 }").unwrap();
        assert_ne!(a, b);
    }
}
