//! The time corpus: news-style sentences, each with one expression marked and its expected value
//! (tests/fixtures/time/*.tsv, format in the header of corpus.tsv; heldout.tsv was written after the
//! normaliser, to measure it on sentences it was not tuned on), and checks on the seed articles.

use std::path::PathBuf;

use mentionmap::geoparse::PreparedText;
use mentionmap::story::{Granularity, Modifier, TimeExpr};
use mentionmap::time::{dateline, find_time_expressions, infer_publication_date, parse_date};

struct Case {
    line: usize,
    anchor: Option<String>,
    sentence: String,
    /// Code-point offsets of the marked words.
    mark: (usize, usize),
    value: String,
    granularity: String,
    modifier: String,
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/time")
        .join(name)
}

fn read_corpus(path: &PathBuf) -> Vec<Case> {
    let text = std::fs::read_to_string(path).expect("corpus readable");
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 4 || cols.len() == 5,
            "line {}: 4 or 5 columns",
            i + 1
        );
        let marked = cols[1];
        let open = marked.find("[[").expect("a [[mark]]");
        let close = marked.find("]]").expect("a closing ]]");
        let sentence = format!(
            "{}{}{}",
            &marked[..open],
            &marked[open + 2..close],
            &marked[close + 2..]
        );
        let start = marked[..open].chars().count();
        let end = start + marked[open + 2..close].chars().count();
        cases.push(Case {
            line: i + 1,
            anchor: (cols[0] != "none").then(|| cols[0].to_string()),
            sentence,
            mark: (start, end),
            value: cols[2].to_string(),
            granularity: cols[3].to_string(),
            modifier: cols.get(4).unwrap_or(&"").to_string(),
        });
    }
    cases
}

fn granularity_name(g: Option<Granularity>) -> &'static str {
    match g {
        Some(Granularity::Day) => "day",
        Some(Granularity::Week) => "week",
        Some(Granularity::Month) => "month",
        Some(Granularity::Season) => "season",
        Some(Granularity::Year) => "year",
        None => "none",
    }
}

fn modifier_name(m: Option<Modifier>) -> &'static str {
    match m {
        Some(Modifier::Start) => "START",
        Some(Modifier::Mid) => "MID",
        Some(Modifier::End) => "END",
        None => "",
    }
}

fn shown_value(t: &TimeExpr) -> String {
    match (&t.value, &t.end_value) {
        (Some(v), Some(e)) => format!("{v}/{e}"),
        (Some(v), None) => v.clone(),
        (None, _) => "null".to_string(),
    }
}

/// What the normaliser said about the marked words, in the corpus's own notation, with the span.
fn outcome(case: &Case) -> (String, String, String, Option<(usize, usize)>) {
    let prepared = PreparedText::new("corpus", &case.sentence);
    let anchor = case.anchor.as_deref().and_then(parse_date);
    let times = find_time_expressions(&prepared, anchor);
    let hit = times
        .iter()
        .find(|t| t.start < case.mark.1 && case.mark.0 < t.end);
    match hit {
        None => ("-".into(), "none".into(), String::new(), None),
        Some(t) => (
            shown_value(t),
            granularity_name(t.granularity).into(),
            modifier_name(t.modifier).into(),
            Some((t.start, t.end)),
        ),
    }
}

/// Cases right (value, span, granularity and mod) and right in value alone, printing the others.
fn score(name: &str, cases: &[Case]) -> (usize, usize) {
    let (mut right_value, mut right_all) = (0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let (value, granularity, modifier, span) = outcome(case);
        let value_ok = value == case.value;
        let span_ok = case.value == "-" || span == Some(case.mark);
        let all_ok =
            value_ok && span_ok && granularity == case.granularity && modifier == case.modifier;
        right_value += value_ok as usize;
        right_all += all_ok as usize;
        if !all_ok {
            let found_text: String = span.map_or(String::new(), |(a, b)| {
                case.sentence.chars().skip(a).take(b - a).collect()
            });
            failures.push(format!(
                "line {}: {:?} wanted {} {} {} got {} {} {} on {:?}",
                case.line,
                case.sentence,
                case.value,
                case.granularity,
                case.modifier,
                value,
                granularity,
                modifier,
                found_text
            ));
        }
    }
    let n = cases.len() as f64;
    println!(
        "{name}: {} expressions, values right {:.1}%, value+span+granularity+mod right {:.1}%",
        cases.len(),
        100.0 * right_value as f64 / n,
        100.0 * right_all as f64 / n
    );
    for f in &failures {
        println!("  {f}");
    }
    (right_all, right_value)
}

#[test]
fn corpus_values_are_right() {
    let cases = read_corpus(&fixture("corpus.tsv"));
    assert!(
        cases.len() >= 150,
        "the corpus has {} expressions",
        cases.len()
    );
    let (right, _) = score("corpus.tsv", &cases);
    assert!(
        right as f64 / cases.len() as f64 >= 0.95,
        "{} of {} wrong",
        cases.len() - right,
        cases.len()
    );
}

#[test]
fn held_out_values_are_right() {
    let cases = read_corpus(&fixture("heldout.tsv"));
    let (right, _) = score("heldout.tsv", &cases);
    assert!(
        right as f64 / cases.len() as f64 >= 0.95,
        "{} of {} wrong",
        cases.len() - right,
        cases.len()
    );
}

#[test]
fn corpus_covers_every_form_and_both_tenses() {
    let cases = read_corpus(&fixture("corpus.tsv"));
    let count = |pred: &dyn Fn(&Case) -> bool| cases.iter().filter(|c| pred(c)).count();
    for granularity in ["day", "week", "month", "season", "year", "none"] {
        assert!(
            count(&|c| c.granularity == granularity) >= 4,
            "few {granularity} cases"
        );
    }
    assert!(count(&|c| c.value.contains('/')) >= 15, "few ranges");
    assert!(count(&|c| c.value == "-") >= 8, "few non-dates");
    assert!(count(&|c| c.value == "null") >= 5, "few nulls");
    assert!(count(&|c| !c.modifier.is_empty()) >= 8, "few modifiers");
    // the same weekday read both ways, relative to a Thursday
    let sunday = |value: &str| {
        count(&|c| {
            c.anchor.as_deref() == Some("2023-07-20")
                && c.sentence[..].contains("Sunday")
                && c.value == value
        })
    };
    assert!(sunday("2023-07-16") >= 3 && sunday("2023-07-23") >= 2);
}

fn seeds_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

fn seed(dir: &PathBuf, prefix: &str) -> String {
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix}"));
    std::fs::read_to_string(entry.path()).unwrap()
}

/// The value of the expression that starts where `inner` stands within the first `context`.
fn value_at(text: &str, anchor: &str, context: &str, inner: &str) -> Option<String> {
    let byte = text.find(context).expect("context in seed") + context.find(inner).unwrap();
    let at = text[..byte].chars().count();
    let prepared = PreparedText::new("seed", text);
    find_time_expressions(&prepared, parse_date(anchor))
        .into_iter()
        .find(|t| t.start == at)
        .map(|t| shown_value(&t))
}

#[test]
fn seed_articles_resolve_as_reported() {
    let Some(dir) = seeds_dir() else {
        println!("skipped: ../shared/seeds is absent");
        return;
    };
    let reuters = seed(&dir, "001_");
    for anchor in ["2023-07-17", "2023-07-18", "2023-07-20"] {
        assert_eq!(
            value_at(&reuters, anchor, "set out on Sunday", "Sunday").as_deref(),
            Some("2023-07-16"),
            "anchor {anchor}"
        );
    }
    let afp = seed(&dir, "004_");
    let date = dateline(&afp).expect("doc 004 has a date line");
    assert_eq!(date.to_string(), "2023-07-20");
    assert_eq!(
        value_at(&afp, "2023-07-20", "will last until Sunday", "Sunday").as_deref(),
        Some("2023-07-23")
    );
    assert_eq!(
        value_at(&afp, "2023-07-20", "in a statement on Sunday", "Sunday").as_deref(),
        Some("2023-07-16")
    );
    assert_eq!(
        value_at(&afp, "2023-07-20", "Last month", "Last month").as_deref(),
        Some("2023-06")
    );
    let concluded = seed(&dir, "003_");
    for anchor in ["2023-07-20", "2023-07-24"] {
        assert_eq!(
            value_at(&concluded, anchor, "on July 19", "July 19").as_deref(),
            Some("2023-07-19")
        );
    }
    // doc 003 names "Northern Interaction 2023": a name, not a year
    assert_eq!(
        value_at(&concluded, "2023-07-24", "Interaction 2023", "2023"),
        None
    );
    let herald = seed(&dir, "002_");
    assert_eq!(dateline(&herald), None, "its only full date is at the end");
    let unanchored = find_time_expressions(&PreparedText::new("seed", &herald), None);
    let inferred = infer_publication_date(&unanchored).expect("the embedded post's date");
    assert_eq!(inferred.to_string(), "2023-07-17");
    let anchor = inferred.to_string();
    assert_eq!(
        value_at(&herald, &anchor, "East China last month", "last month").as_deref(),
        Some("2023-06")
    );
    assert_eq!(
        value_at(&herald, &anchor, "In recent months", "recent months").as_deref(),
        Some("null")
    );
    let presstv = seed(&dir, "000_");
    for anchor in ["2023-07-17", "2023-07-18"] {
        assert_eq!(
            value_at(&presstv, anchor, "Earlier this month", "Earlier this month").as_deref(),
            Some("2023-07")
        );
    }
}
