//! Scores the interpreter on the project's request sets (`tests/*.jsonl`), without a bus:
//! the same text path as `Manager.Interpret` (secrets cut first), the same matching as the
//! shared scorer (each expected action a subset of the one produced, in order; `layout`
//! may list alternatives; `scheme_has` entries each match some partition), plus two checks
//! of its own that make a misunderstanding dangerous: a destructive action (`partition`,
//! `format`) that no expectation asked for, and an encrypted root where the request said
//! otherwise (`forbid_encrypt_root`).

use std::{collections::BTreeMap, path::Path};

use serde_json::Value;

use super::{interpret, Context, ZoneIndex};
use crate::machine::Machine;

/// Whether the value produced matches the one expected (objects: by subset).
fn value_matches(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|gv| value_matches(v, gv))),
        (Value::Array(alts), g) if !g.is_array() => alts.iter().any(|a| value_matches(a, g)),
        (w, g) => w == g,
    }
}

fn action_matches(want: &Value, got: &Value) -> bool {
    let Some(w) = want.as_object() else {
        return false;
    };
    w.iter().all(|(k, v)| match k.as_str() {
        "scheme_has" => v.as_array().is_some_and(|entries| {
            let scheme = got["scheme"].as_array().cloned().unwrap_or_default();
            entries
                .iter()
                .all(|e| scheme.iter().any(|s| value_matches(e, s)))
        }),
        "scheme_lacks" => v.as_array().is_some_and(|mounts| {
            let scheme = got["scheme"].as_array().cloned().unwrap_or_default();
            !mounts
                .iter()
                .any(|m| scheme.iter().any(|s| s["mount"] == *m))
        }),
        // Absent means false.
        "sudo" | "encrypt" if *v == Value::Bool(false) => {
            got.get(k).is_none_or(|g| *g == Value::Bool(false))
        }
        _ => got.get(k).is_some_and(|g| value_matches(v, g)),
    })
}

fn list_matches(want: &[Value], got: &[Value]) -> bool {
    want.len() == got.len() && want.iter().zip(got).all(|(w, g)| action_matches(w, g))
}

fn kinds(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["action"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// One request of a set, scored.
pub(super) struct Scored {
    pub id: String,
    pub text: String,
    pub got: String,
    pub correct: bool,
    pub dangerous: bool,
}

pub(super) fn score_set(set: &Path, machines: &Path) -> Vec<Scored> {
    let zones = ZoneIndex::load(Path::new("/usr/share/zoneinfo"));
    let mut cache: BTreeMap<String, Machine> = BTreeMap::new();
    let text = std::fs::read_to_string(set).expect("set");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("a JSON line");
        let name = case["machine"].as_str().expect("machine").to_owned();
        let machine = cache.entry(name.clone()).or_insert_with(|| {
            let file = machines.join(format!("{name}.json"));
            Machine::from_json(&std::fs::read_to_string(&file).expect("machine file"))
                .expect("machine")
        });
        let ctx = Context {
            machine,
            users: Vec::new(),
            zones: &zones,
        };
        let request = case["text"].as_str().expect("text");
        let said = crate::conversation::secrets::redact(request);
        let got: Value = serde_json::to_value(interpret(&said.read, &ctx)).expect("json");
        let got_list = got.as_array().cloned().unwrap_or_default();
        let alternatives: Vec<Vec<Value>> = if let Some(any) = case["expect_any"].as_array() {
            any.iter()
                .map(|a| a.as_array().cloned().unwrap_or_default())
                .collect()
        } else {
            vec![case["expect"].as_array().cloned().unwrap_or_default()]
        };
        let forbidden: Vec<String> = kinds(&case["forbid"]);
        let got_kinds = kinds(&got);
        let forbid_hit = got_kinds.iter().any(|k| forbidden.contains(k));
        let correct = !forbid_hit && alternatives.iter().any(|alt| list_matches(alt, &got_list));
        let asked_destructive = |k: &str| {
            alternatives
                .iter()
                .any(|alt| alt.iter().any(|a| a["action"] == k))
        };
        let unasked_destruction = ["partition", "format"]
            .iter()
            .any(|k| got_kinds.iter().any(|g| g == k) && !asked_destructive(k));
        let encrypted_root = got_list.iter().any(|a| {
            a["scheme"].as_array().is_some_and(|s| {
                s.iter()
                    .any(|e| e["mount"] == "/" && e["encrypt"] == Value::Bool(true))
            })
        });
        let flipped = case["forbid_encrypt_root"] == Value::Bool(true) && encrypted_root;
        out.push(Scored {
            id: case["id"].as_str().unwrap_or_default().to_owned(),
            text: request.to_owned(),
            got: got.to_string(),
            correct,
            dangerous: forbid_hit && forbidden.iter().any(|k| k == "partition" || k == "format")
                || unasked_destruction
                || flipped,
        });
    }
    out
}

/// Per class (the id's letters), correct/total; prints the misses.
pub(super) fn report(scored: &[Scored]) -> (usize, usize, usize) {
    let mut classes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for s in scored {
        let class: String = s.id.chars().take_while(char::is_ascii_alphabetic).collect();
        let e = classes.entry(class).or_default();
        e.1 += 1;
        if s.correct && !s.dangerous {
            e.0 += 1;
        } else {
            println!(
                "MISS{} {}: {:?} -> {}",
                if s.dangerous { " (DANGEROUS)" } else { "" },
                s.id,
                s.text,
                s.got
            );
        }
    }
    for (c, (ok, n)) in &classes {
        println!("class {c}: {ok}/{n}");
    }
    let ok = scored.iter().filter(|s| s.correct && !s.dangerous).count();
    let dangerous = scored.iter().filter(|s| s.dangerous).count();
    println!("total {ok}/{} dangerous {dangerous}", scored.len());
    (ok, scored.len(), dangerous)
}

fn repo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

#[test]
fn generalization_set_scores_well_with_no_dangerous_answer() {
    let scored = score_set(
        &repo().join("tests/intents-generalize.jsonl"),
        &repo().join("tests/machines"),
    );
    let (ok, n, dangerous) = report(&scored);
    assert_eq!(dangerous, 0, "dangerous misunderstandings");
    assert!(ok * 100 >= n * 95, "{ok}/{n}");
}

#[test]
fn extra_set_still_scores_fully() {
    let scored = score_set(
        &repo().join("tests/intents-extra.jsonl"),
        &repo().join("tests/machines"),
    );
    let (ok, n, dangerous) = report(&scored);
    assert_eq!(dangerous, 0, "dangerous misunderstandings");
    assert_eq!(ok, n);
}

/// The sets written apart from the code by helpers that read only the actions spec and the
/// machine files (`tests/intents-probes/`, see its README), each with the score it had when
/// it was committed: a change may make none of them worse, nor answer one more request
/// dangerously.
#[test]
fn probe_sets_get_no_worse() {
    // (ed's one: "install on the 512gb drive" takes the 500 GiB disk, as sizes said in
    // marketing gigabytes are. dd's one:
    // "would it be possible to put /home on the WD and the system itself on the samsung?"
    // is read as a polite request, like "would it be possible to put the system on the
    // samsung?", and gets the plan, confirmed before it runs; it passed before only by a
    // confused "No disk matches that". hc's one: "forty gigs root plus 2 gig swap on vda"
    // on a 40 GB disk is passed to the planner, which measures what fits and refuses the
    // plan; the interpreter asks only when a layout is clearly larger than the disk.)
    const FLOORS: &[(&str, usize, usize)] = &[
        ("da", 67, 0),
        ("db", 57, 0),
        ("dc", 63, 0),
        ("dd", 66, 1),
        ("de", 57, 0),
        ("df", 64, 0),
        ("dg", 47, 0),
        ("dh", 67, 0),
        ("ea", 56, 0),
        ("eb", 48, 0),
        ("ec", 56, 0),
        ("ed", 50, 1),
        ("fa", 70, 0),
        ("fb", 58, 0),
        ("fc", 57, 0),
        ("fd", 59, 0),
        ("ga", 54, 0),
        ("gb", 58, 0),
        ("gc", 60, 0),
        ("gd", 58, 0),
        ("hb", 53, 0),
        ("hc", 54, 1),
        ("hd", 53, 0),
        ("hf", 56, 0),
        ("ia", 60, 0),
        ("ib", 60, 0),
        ("ic", 60, 0),
        ("id", 45, 0),
        ("ie", 50, 0),
        ("ja", 57, 0),
        ("jb", 59, 0),
        ("ka", 60, 0),
        ("kb", 56, 0),
        ("kd", 58, 0),
        ("kc", 59, 0),
        ("la", 59, 0),
        ("lb", 59, 0),
        ("lc", 57, 0),
        ("ld", 55, 0),
        ("le", 58, 0),
        ("ma", 59, 0),
        ("mb", 59, 0),
        ("mc", 58, 0),
        ("md", 60, 0),
        ("me", 56, 0),
        ("mf", 59, 0),
        ("na", 58, 0),
        ("nb", 59, 0),
        ("nc", 60, 0),
        ("oa", 53, 0),
        ("ob", 45, 0),
        ("oc", 56, 0),
        ("pa", 57, 0),
        ("pb", 52, 0),
        ("pc", 58, 0),
        ("pd", 56, 0),
        ("qa", 58, 0),
        ("qb", 59, 0),
        ("qc", 57, 0),
        ("ra", 56, 0),
        ("rb", 58, 0),
        ("rc", 55, 0),
        ("sa", 56, 0),
        ("sb", 47, 0),
        ("sc", 57, 0),
        ("sd", 60, 0),
        ("se", 53, 0),
        ("sf", 57, 0),
        ("ta", 54, 0),
        ("tb", 47, 0),
        ("tc", 58, 0),
        ("ua", 59, 0),
        ("ub", 32, 0),
        ("uc", 54, 0),
        ("va", 55, 0),
        ("vb", 37, 0),
        ("vc", 49, 0),
        ("wa", 60, 0),
        ("wb", 57, 0),
        ("wc", 54, 0),
        ("xa", 56, 0),
        ("xb", 38, 0),
        ("xc", 54, 0),
        ("ya", 60, 0),
        ("yb", 57, 0),
        // (yc40: "The new system goes on sda, ... Install the bootloader to sda and mount
        // srv-data at /srv" lays out sda, as "the system goes on the Samsung" does (xb01);
        // the set's expectation leaves it out, so this scorer counts a destructive step
        // nobody asked for.)
        ("yc", 44, 1),
    ];
    let mut worse = Vec::new();
    for (name, floor, most_dangerous) in FLOORS {
        let scored = score_set(
            &repo().join(format!("tests/intents-probes/{name}.jsonl")),
            &repo().join("tests/machines"),
        );
        let (ok, n, dangerous) = report(&scored);
        println!("SET {name} {ok}/{n} dangerous {dangerous}");
        if ok < *floor || dangerous > *most_dangerous {
            worse.push(format!(
                "{name}: {ok}/{n} (was {floor}), dangerous {dangerous} (was {most_dangerous})"
            ));
        }
    }
    assert!(worse.is_empty(), "{worse:?}");
}
