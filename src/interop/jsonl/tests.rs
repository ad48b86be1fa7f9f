//! Round trips, idempotent re-imports, and one test per kind of broken file.

// Tables of cases and generators read best in one piece.
#![allow(
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]

use std::fmt::Write as _;
use std::io::{BufReader, Read};

use chrono::DateTime;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{ImportError, ImportSummary, MAX_LINE_BYTES, export, import};
use crate::domain::Timestamp;
use crate::store::Store;

const SAMPLE: &str = include_str!("../../../tests/data/sample.jsonl");

fn now() -> Timestamp {
    DateTime::parse_from_rfc3339("2026-11-27T08:00:00+03:00").unwrap()
}

fn header_extra() -> Map<String, Value> {
    let Value::Object(map) =
        json!({"exported_at": "2026-11-27T08:00:00+03:00", "today": "2026-11-27"})
    else {
        unreachable!()
    };
    map
}

fn load(store: &mut Store, text: impl AsRef<[u8]>) -> Result<ImportSummary, ImportError> {
    import(store, text.as_ref(), now(), &mut |_| {})
}

fn dump(store: &Store) -> String {
    let mut out = Vec::new();
    export(&store.reader(), &mut out, header_extra()).unwrap();
    String::from_utf8(out).unwrap()
}

fn fresh() -> Store {
    Store::open_in_memory().unwrap()
}

fn counts(summary: &ImportSummary) -> Vec<(&'static str, u64)> {
    let mut all: Vec<_> = summary
        .added
        .iter()
        .chain(summary.updated.iter())
        .map(|(k, v)| (*k, *v))
        .collect();
    all.sort_unstable();
    all
}

#[test]
fn sample_round_trips_byte_for_byte() {
    let mut store = fresh();
    let summary = load(&mut store, SAMPLE).unwrap();
    assert_eq!(summary.lines, 20);
    assert_eq!(summary.records(), 19);
    assert!(summary.updated.is_empty());
    assert_eq!(summary.added["account"], 2);
    assert_eq!(summary.added["stage_change"], 3);
    let first = dump(&store);
    assert_eq!(first, SAMPLE, "the sample is written in export form");

    let mut again = fresh();
    load(&mut again, &first).unwrap();
    assert_eq!(dump(&again), first);
}

#[test]
fn reimport_updates_instead_of_adding() {
    let mut store = fresh();
    let first = load(&mut store, SAMPLE).unwrap();
    let before = dump(&store);
    let second = load(&mut store, SAMPLE).unwrap();
    assert!(second.added.is_empty(), "{second:?}");
    assert_eq!(second.updated, first.added);
    assert_eq!(dump(&store), before);
}

#[test]
fn references_may_point_forward() {
    let mut lines: Vec<&str> = SAMPLE.lines().collect();
    lines[1..].reverse();
    let reversed = lines.join("\n");
    let mut store = fresh();
    load(&mut store, &reversed).unwrap();
    let mut got: Vec<String> = dump(&store).lines().map(str::to_string).collect();
    let mut want: Vec<String> = SAMPLE.lines().map(str::to_string).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn indexes_set_aside_for_an_import_into_an_empty_notebook_come_back() {
    let want = fresh().reader().indexes_for_tests();
    assert!(want.len() > 20, "{want:?}");
    // In file order: the indexes are built once at the end.
    let mut store = fresh();
    load(&mut store, SAMPLE).unwrap();
    assert_eq!(store.reader().indexes_for_tests(), want);
    assert!(store.check().unwrap().is_empty());
    // Backwards: the first reference to a record further down builds them again at once.
    let mut lines: Vec<&str> = SAMPLE.lines().collect();
    lines[1..].reverse();
    let mut store = fresh();
    load(&mut store, lines.join("\n")).unwrap();
    assert_eq!(store.reader().indexes_for_tests(), want);
    assert!(store.check().unwrap().is_empty());
    // A failed import rolls the dropped indexes back.
    let mut store = fresh();
    assert!(load(&mut store, format!("{SAMPLE}{{\"type\":\"bogus\"}}\n")).is_err());
    assert_eq!(store.reader().indexes_for_tests(), want);
    // Into a notebook that has records, nothing is set aside and nothing is lost.
    load(&mut store, SAMPLE).unwrap();
    load(&mut store, SAMPLE).unwrap();
    assert_eq!(store.reader().indexes_for_tests(), want);
}

#[test]
fn blank_lines_defaults_and_spellings() {
    let file = "\n{\"type\":\"kamnote\",\"version\":1}\n\n  \r\n\
        {\"type\":\"account\",\"uid\":\"a\",\"name\":\"A\",\"tier\":null,\"archived_at\":\"2026-01-01T00:00:00Z\"}\n\
        {\"type\":\"interaction\",\"uid\":\"past\",\"kind\":\"call\",\"at\":\"2026-11-27T04:59:59Z\"}\n\
        {\"type\":\"interaction\",\"uid\":\"future\",\"kind\":\"call\",\"at\":\"2026-11-27T05:00:01Z\"}\n\
        {\"type\":\"followup\",\"uid\":\"f\",\"text\":\"t\",\"due\":\"2026-11-30\",\"repeat\":\"every 1 week\"}";
    let mut store = fresh();
    let summary = load(&mut store, file).unwrap();
    assert_eq!(summary.lines, 8);
    let out = dump(&store);
    assert!(
        out.contains("\"archived_at\":\"2026-01-01T00:00:00+00:00\""),
        "{out}"
    );
    assert!(out.contains("\"uid\":\"past\",\"kind\":\"call\",\"at\":\"2026-11-27T04:59:59+00:00\",\"status\":\"done\""), "{out}");
    assert!(out.contains("\"uid\":\"future\",\"kind\":\"call\",\"at\":\"2026-11-27T05:00:01+00:00\",\"status\":\"planned\""), "{out}");
    assert!(
        out.contains("\"repeat\":\"weekly\",\"status\":\"open\""),
        "{out}"
    );
    assert!(
        out.contains("\"created_at\":\"2026-11-27T08:00:00+03:00\""),
        "stamped now: {out}"
    );
}

#[test]
fn error_message_is_one_line_naming_line_record_and_field() {
    let file = "{\"type\":\"kamnote\",\"version\":1}\n\
        {\"type\":\"person\",\"uid\":\"p-1\",\"name\":\"Ana\",\"influence\":7}\n";
    let err = load(&mut fresh(), file).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: person \"p-1\": influence: 7 is out of range; give 1 to 5 (1 little, 5 decides)"
    );
    let file = "{\"type\":\"kamnote\",\"version\":1}\n\
        {\"type\":\"person\",\"uid\":\"p\\u001b[2J\\n\",\"name\":\"Ana\",\"stage\":\"\\u001b]52;c;eA==\\u0007\"}\n";
    let msg = load(&mut fresh(), file).unwrap_err().to_string();
    assert!(!msg.chars().any(char::is_control), "{msg:?}");
    assert!(
        msg.starts_with("line 2: person \"p\\x1b[2J\\x0a\": stage: "),
        "{msg}"
    );
}

/// Replaces line `n` (1-based) of the sample.
fn sample_with(n: usize, line: &str) -> String {
    let mut lines: Vec<&str> = SAMPLE.lines().collect();
    lines[n - 1] = line;
    lines.join("\n") + "\n"
}

fn assert_refused(file: &[u8], line: u64, field: Option<&str>, words: &str) {
    let mut store = fresh();
    let base = "{\"type\":\"kamnote\",\"version\":1}\n{\"type\":\"account\",\"uid\":\"a-1\",\"name\":\"Before\"}\n";
    load(&mut store, base).unwrap();
    let before = dump(&store);
    let err = load(&mut store, file).unwrap_err();
    let msg = err.to_string();
    match &err {
        ImportError::Line {
            line: l, field: f, ..
        } => {
            assert_eq!(*l, line, "{msg}");
            assert_eq!(f.as_deref(), field, "{msg}");
        }
        other => panic!("not a line error: {other:?}"),
    }
    assert!(msg.contains(words), "{msg}");
    assert_eq!(dump(&store), before, "nothing written after: {msg}");
}

#[test]
fn broken_files_are_refused_whole_naming_line_and_field() {
    let cases: &[(usize, &str, Option<&str>, &str)] = &[
        (
            5,
            r#"{"type":"person","uid":"p-2","name":"M","stage":"friendly"}"#,
            Some("stage"),
            "\"friendly\" is not one of: identified",
        ),
        (
            5,
            r#"{"type":"person","uid":"p-2","name":"M","colour":"red"}"#,
            Some("colour"),
            "unknown key",
        ),
        (
            3,
            r#"{"type":"account","uid":"a-2"}"#,
            Some("name"),
            "is missing",
        ),
        (
            3,
            r#"{"type":"account","uid":"a-1","name":"Twice"}"#,
            Some("uid"),
            "already used",
        ),
        (
            18,
            r#"{"type":"interaction","uid":"i-2","kind":"note","at":"2025-03-01T08:00:00-03:00","account":"a-404"}"#,
            Some("account"),
            "no account with uid \"a-404\"",
        ),
        (
            18,
            r#"{"type":"interaction","uid":"i-2","kind":"note","at":"2025-03-01T08:00:00-03:00","people":["p-1","p-405"]}"#,
            Some("people"),
            "no person with uid \"p-405\"",
        ),
        (
            18,
            r#"{"type":"interaction","uid":"i-2","kind":"note","at":"2025-03-01T08:00:00-03:00","body":"a\u0000b"}"#,
            Some("body"),
            "NUL",
        ),
        (
            18,
            r#"{"type":"interaction","uid":"i-2","kind":"note","at":"2025-03-01T08:00:00"}"#,
            Some("at"),
            "RFC 3339",
        ),
        (
            18,
            r#"{"type":"interaction","uid":"i-2","kind":"note","at":"2025-03-01T08:00:00Z","x-k":["\u0000"]}"#,
            Some("x-k"),
            "NUL",
        ),
        (
            11,
            r#"{"type":"obligation","uid":"o-2","deal":"d-2","text":"Clause","due":"2026-02-30"}"#,
            Some("due"),
            "\"2026-02-30\" is not a calendar date",
        ),
        (
            11,
            r#"{"type":"obligation","uid":"o-2","deal":"d-2","text":"Clause","due":"2026-2-3"}"#,
            Some("due"),
            "YYYY-MM-DD",
        ),
        (
            13,
            r#"{"type":"plan","uid":"pl-2","objective":"x","person":"p-1","account":"a-1"}"#,
            Some("person"),
            "not both",
        ),
        (
            13,
            r#"{"type":"plan","uid":"pl-2","objective":"x"}"#,
            Some("account"),
            "is missing",
        ),
        (
            15,
            r#"{"type":"stage_change","uid":"sc-2","subject":"a-1","ladder":"account","to":"loyal","at":"2020-06-15T12:30:00+03:00"}"#,
            Some("to"),
            "not on the account ladder",
        ),
        (
            15,
            r#"{"type":"stage_change","uid":"sc-2","subject":"p-1","ladder":"account","to":"pre-kam","at":"2020-06-15T12:30:00+03:00"}"#,
            Some("subject"),
            "no account with uid \"p-1\"",
        ),
        (
            20,
            r#"{"type":"followup","uid":"f-2","text":"x","due":"tomorrow"}"#,
            Some("due"),
            "is not a date",
        ),
        (
            20,
            r#"{"type":"followup","uid":"f-2","text":"x","due":"2026-12-01","priority":0}"#,
            Some("priority"),
            "0 is out of range",
        ),
        (
            20,
            r#"{"type":"followup","uid":"f-2","text":"x","due":"2026-12-01","repeat":"fortnightly"}"#,
            Some("repeat"),
            "not a recurrence",
        ),
        (
            9,
            r#"{"type":"deal","uid":"d-2","account":"a-2","title":"F","probability":101}"#,
            Some("probability"),
            "out of range",
        ),
        (
            9,
            r#"{"type":"deal","uid":"d-2","account":"a-2","title":"F","currency":"eur"}"#,
            Some("currency"),
            "ISO 4217",
        ),
        (
            9,
            r#"{"type":"deal","uid":"d-2","account":"a-2","title":"F","milestones":[{"name":"x"}]}"#,
            Some("milestones"),
            "item 1",
        ),
        (
            4,
            r#"{"type":"person","uid":"p-1","name":"X","influence":"5"}"#,
            Some("influence"),
            "expected a number",
        ),
        (
            4,
            r#"{"type":"person","uid":"p-1","name":"X","birthday":"--02-30"}"#,
            Some("birthday"),
            "not a date",
        ),
        (
            4,
            r#"{"type":"person","uid":"","name":"X"}"#,
            Some("uid"),
            "is empty",
        ),
        (
            2,
            r#"{"type":"account","uid":"a-1","name":"   "}"#,
            Some("name"),
            "is empty",
        ),
        (
            6,
            r#"{"type":"link","uid":"l-1","from":"p-2","to":"p-1","kind":"boss"}"#,
            Some("kind"),
            "not one of",
        ),
    ];
    for (n, line, field, words) in cases {
        assert_refused(sample_with(*n, line).as_bytes(), *n as u64, *field, words);
    }
    let long_uid = format!(
        r#"{{"type":"person","uid":"{}","name":"X"}}"#,
        "u".repeat(129)
    );
    assert_refused(
        sample_with(4, &long_uid).as_bytes(),
        4,
        Some("uid"),
        "129 bytes",
    );
}

#[test]
fn broken_lines_without_a_field() {
    let cases: &[(usize, &str, &str)] = &[
        (1, r#"{"type":"kamnote","version":2}"#, "version 1"),
        (
            1,
            r#"{"type":"account","uid":"a-1","name":"A"}"#,
            "not a header",
        ),
        (7, r#"{"type":"kamnote","version":1}"#, "second header"),
        (7, r#"{"type":"lnk","uid":"l-2"}"#, "not a record type"),
        (7, r#"{"type":"link","uid":"l-2","#, "not valid JSON"),
        (7, r#"["link"]"#, "not a JSON object"),
    ];
    for (n, line, words) in cases {
        let field = (*n == 1 && words.contains("version 1")).then_some("version");
        assert_refused(sample_with(*n, line).as_bytes(), *n as u64, field, words);
    }
    // Invalid UTF-8 on line 5.
    let mut bytes = sample_with(5, "PLACEHOLDER").into_bytes();
    let at = bytes.windows(11).position(|w| w == b"PLACEHOLDER").unwrap();
    bytes.splice(
        at..at + 11,
        b"{\"type\":\"person\",\"uid\":\"p-2\",\"name\":\"\xff\xfe\"}"
            .iter()
            .copied(),
    );
    assert_refused(&bytes, 5, None, "not valid UTF-8");
    // Empty input.
    assert_refused(b"", 1, None, "empty");
}

#[test]
fn a_huge_line_is_refused_without_reading_it_whole() {
    // A reader that yields a header and then endless 'x': the importer must stop at the limit.
    struct Endless(usize);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let header = b"{\"type\":\"kamnote\",\"version\":1}\n";
            if self.0 < header.len() {
                let n = (header.len() - self.0).min(buf.len());
                buf[..n].copy_from_slice(&header[self.0..self.0 + n]);
                self.0 += n;
                return Ok(n);
            }
            buf.fill(b'x');
            self.0 += buf.len();
            Ok(buf.len())
        }
    }
    let mut store = fresh();
    let mut reports = Vec::new();
    let err = import(&mut store, BufReader::new(Endless(0)), now(), &mut |b| {
        reports.push(b);
    })
    .unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert!(err.to_string().contains("longer than 8 MiB"), "{err}");
    assert!(!reports.is_empty());
    assert!(
        *reports.last().unwrap() <= (MAX_LINE_BYTES as u64) + 64,
        "{reports:?}"
    );
}

#[test]
fn progress_is_reported_in_bytes() {
    let mut seen = Vec::new();
    import(&mut fresh(), SAMPLE.as_bytes(), now(), &mut |b| {
        seen.push(b);
    })
    .unwrap();
    assert_eq!(seen.last().copied(), Some(SAMPLE.len() as u64));
}

// ---------------------------------------------------------------------------------------------
// Property: any notebook exports, imports into an empty notebook and exports the same bytes.

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z ñéü山田太郎😀👨‍👩‍👧\u{1b}\\[\\]\"\\\\\t\n\r\u{7}\u{7f}\u{85}\u{9b}\u{202e}\u{200b}]{0,24}",
    ]
    .prop_map(|s| s.replace('\0', "\u{1}"))
}

fn name() -> impl Strategy<Value = String> {
    text().prop_map(|s| {
        let one_line: String = s
            .chars()
            .filter(|c| !matches!(c, '\n' | '\r'))
            .take(60)
            .collect();
        format!("N{one_line}")
    })
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn ts() -> impl Strategy<Value = String> {
    (
        0_i64..4_102_444_800,
        -720_i32..=840,
        any::<bool>(),
        0_u32..1000,
    )
        .prop_map(|(secs, minutes, frac, ms)| {
            let tz = chrono::FixedOffset::east_opt(minutes * 60).unwrap();
            let t = DateTime::from_timestamp(secs, if frac { ms * 1_000_000 } else { 0 })
                .unwrap()
                .with_timezone(&tz);
            t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
        })
}

fn whole_ts() -> impl Strategy<Value = String> {
    (0_i64..4_102_444_800, -720_i32..=840).prop_map(|(secs, minutes)| {
        let tz = chrono::FixedOffset::east_opt(minutes * 60).unwrap();
        DateTime::from_timestamp(secs, 0)
            .unwrap()
            .with_timezone(&tz)
            .to_rfc3339()
    })
}

fn date() -> impl Strategy<Value = String> {
    (1000_i32..9999, 1_u32..=12, 1_u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn money() -> impl Strategy<Value = f64> {
    prop_oneof![
        // Any amount the store accepts: not negative, up to 15 significant digits, up to 4
        // decimals.
        (0_i64..=999_999_999_999_999, 0_i32..=4)
            .prop_map(|(units, places)| units as f64 / 10_f64.powi(places)),
        (0_i64..1_000_000_000).prop_map(|i| i as f64),
        (0_i64..10_000_000).prop_map(|i| i as f64 / 100.0),
    ]
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(values)
}

fn extra() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec(
        (
            "x-[a-z]{1,6}",
            prop_oneof![
                text().prop_map(Value::from),
                money().prop_map(Value::from),
                any::<bool>().prop_map(Value::from),
                Just(json!({"nested": [1, "two", null]})),
            ],
        ),
        0..3,
    )
    .prop_map(|kv| kv.into_iter().collect())
}

/// Adds `key: value` when the value is there.
fn put(map: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        map.insert(key.into(), v.into());
    }
}

fn record(kind: &str, uid: String) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("type".into(), kind.into());
    map.insert("uid".into(), uid.into());
    map
}

type AccountSeed = (
    String,
    Option<String>,
    Option<&'static str>,
    Option<f64>,
    Vec<String>,
    Option<String>,
    Map<String, Value>,
);
type PersonSeed = (
    String,
    Option<usize>,
    Option<u8>,
    Option<&'static str>,
    Option<String>,
    Vec<String>,
    Option<String>,
    Map<String, Value>,
);
type InteractionSeed = (
    &'static str,
    String,
    Option<usize>,
    Vec<usize>,
    Option<String>,
    Option<&'static str>,
    Option<String>,
    Map<String, Value>,
);
type FollowUpSeed = (
    String,
    Result<String, String>,
    Option<usize>,
    Option<usize>,
    Option<usize>,
    Option<String>,
    Option<u8>,
    Option<&'static str>,
);
type DealSeed = (
    usize,
    String,
    Option<&'static str>,
    Option<f64>,
    Option<f64>,
    Vec<(String, String)>,
    Option<String>,
);

fn notebook() -> impl Strategy<Value = Vec<String>> {
    let account = (
        name(),
        opt(text()),
        opt(pick(&["A", "B", "C"])),
        opt(money()),
        prop::collection::vec(text(), 0..3),
        opt(ts()),
        extra(),
    );
    let person = (
        name(),
        opt(0_usize..100),
        opt(1_u8..=5),
        opt(pick(&["--02-29", "1984-11-27", "--12-31", "2000-02-29"])),
        opt(text()),
        prop::collection::vec("[a-z]{2}", 0..3),
        opt(ts()),
        extra(),
    );
    let interaction = (
        pick(&["meeting", "visit", "call", "event", "email", "note"]),
        whole_ts(),
        opt(0_usize..100),
        prop::collection::vec(0_usize..100, 0..4),
        opt(text()),
        opt(pick(&["planned", "done", "cancelled"])),
        opt(text()),
        extra(),
    );
    let followup = (
        text().prop_map(|t| format!("T{t}")),
        prop_oneof![date().prop_map(Ok), whole_ts().prop_map(Err)],
        opt(0_usize..100),
        opt(0_usize..100),
        opt(0_usize..100),
        opt(pick(&[
            "daily",
            "weekly",
            "monthly",
            "yearly",
            "every 3 days",
            "every 2 months",
        ])
        .prop_map(str::to_string)),
        opt(1_u8..=3),
        opt(pick(&["open", "done", "cancelled"])),
    );
    let deal = (
        0_usize..100,
        name(),
        opt(pick(&[
            "lead",
            "qualified",
            "proposal",
            "negotiation",
            "won",
            "lost",
        ])),
        opt(money()),
        opt((0_u32..=200).prop_map(|h| f64::from(h) / 2.0)),
        prop::collection::vec((text(), date()), 0..3),
        opt(text()),
    );
    (
        prop::collection::vec(account, 1..4),
        prop::collection::vec(person, 0..6),
        prop::collection::vec(interaction, 0..6),
        prop::collection::vec(followup, 0..5),
        prop::collection::vec(deal, 0..3),
        prop::collection::vec(
            (
                0_usize..100,
                0_usize..100,
                pick(&["reports-to", "ally", "rival"]),
                opt(text()),
            ),
            0..4,
        ),
        prop::collection::vec(
            (
                0_usize..100,
                text(),
                date(),
                opt(money()),
                opt(pick(&["open", "done", "late"])),
            ),
            0..3,
        ),
        prop::collection::vec(
            (
                any::<bool>(),
                0_usize..100,
                text(),
                opt(date()),
                opt(money()),
            ),
            0..3,
        ),
        prop::collection::vec((0_usize..100, whole_ts(), opt(text())), 0..3),
    )
        .prop_map(
            |(
                accounts,
                people,
                interactions,
                followups,
                deals,
                links,
                obligations,
                plans,
                stages,
            )| {
                build(
                    &accounts,
                    &people,
                    &interactions,
                    &followups,
                    &deals,
                    &links,
                    &obligations,
                    &plans,
                    &stages,
                )
            },
        )
        .prop_shuffle()
        .prop_map(|mut lines| {
            lines.insert(0, r#"{"type":"kamnote","version":1}"#.to_string());
            lines
        })
}

#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn build(
    accounts: &[AccountSeed],
    people: &[PersonSeed],
    interactions: &[InteractionSeed],
    followups: &[FollowUpSeed],
    deals: &[DealSeed],
    links: &[(usize, usize, &str, Option<String>)],
    obligations: &[(usize, String, String, Option<f64>, Option<&str>)],
    plans: &[(bool, usize, String, Option<String>, Option<f64>)],
    stages: &[(usize, String, Option<String>)],
) -> Vec<String> {
    let a = |i: usize| format!("a{}", i % accounts.len());
    let p = |i: usize| format!("p{}", i % people.len().max(1));
    let d = |i: usize| format!("d{}", i % deals.len().max(1));
    let mut out = Vec::new();
    for (i, (name, about, tier, sales, tags, created, x)) in accounts.iter().enumerate() {
        let mut m = record("account", a(i));
        m.insert("name".into(), name.clone().into());
        put(&mut m, "tier", *tier);
        put(&mut m, "our_sales", *sales);
        put(&mut m, "currency", sales.map(|_| "EUR"));
        put(&mut m, "about", about.clone());
        put(&mut m, "tags", (!tags.is_empty()).then(|| tags.clone()));
        put(&mut m, "created_at", created.clone());
        m.extend(x.clone());
        out.push(m);
    }
    for (i, (name, account, influence, birthday, personal, languages, updated, x)) in
        people.iter().enumerate()
    {
        let mut m = record("person", p(i));
        m.insert("name".into(), name.clone().into());
        put(&mut m, "account", account.map(a));
        put(&mut m, "influence", *influence);
        put(&mut m, "birthday", *birthday);
        put(&mut m, "personal", personal.clone());
        put(
            &mut m,
            "languages",
            (!languages.is_empty()).then(|| languages.clone()),
        );
        put(&mut m, "updated_at", updated.clone());
        m.extend(x.clone());
        out.push(m);
    }
    for (i, (kind, at, account, with, body, status, title, x)) in interactions.iter().enumerate() {
        let mut m = record("interaction", format!("i{i}"));
        m.insert("kind".into(), (*kind).into());
        m.insert("at".into(), at.clone().into());
        put(&mut m, "account", account.map(a));
        if !people.is_empty() {
            let mut uids: Vec<String> = with.iter().map(|&j| p(j)).collect();
            uids.dedup();
            let mut unique = Vec::new();
            for u in uids {
                if !unique.contains(&u) {
                    unique.push(u);
                }
            }
            put(&mut m, "people", (!unique.is_empty()).then_some(unique));
        }
        put(&mut m, "title", title.clone());
        put(&mut m, "body", body.clone());
        put(&mut m, "status", *status);
        m.extend(x.clone());
        out.push(m);
    }
    for (i, (account, title, stage, value, rate, milestones, notes)) in deals.iter().enumerate() {
        let mut m = record("deal", d(i));
        m.insert("account".into(), a(*account).into());
        m.insert("title".into(), title.clone().into());
        put(&mut m, "stage", *stage);
        put(&mut m, "value", *value);
        put(&mut m, "commission_rate", *rate);
        let ms: Vec<Value> = milestones
            .iter()
            .map(|(n, dt)| json!({"name": n, "date": dt}))
            .collect();
        put(&mut m, "milestones", (!ms.is_empty()).then_some(ms));
        put(&mut m, "notes", notes.clone());
        out.push(m);
    }
    for (i, (text, due, account, person, deal, repeat, priority, status)) in
        followups.iter().enumerate()
    {
        let mut m = record("followup", format!("f{i}"));
        m.insert("text".into(), text.clone().into());
        m.insert(
            "due".into(),
            match due {
                Ok(day) | Err(day) => day.clone(),
            }
            .into(),
        );
        put(&mut m, "account", account.map(a));
        if !people.is_empty() {
            put(&mut m, "person", person.map(p));
        }
        if !deals.is_empty() {
            put(&mut m, "deal", deal.map(d));
        }
        if !interactions.is_empty() && i % 2 == 0 {
            m.insert(
                "interaction".into(),
                format!("i{}", i % interactions.len()).into(),
            );
        }
        put(&mut m, "repeat", repeat.clone());
        put(&mut m, "priority", *priority);
        put(&mut m, "status", *status);
        out.push(m);
    }
    if people.len() >= 2 {
        let mut tied = std::collections::HashSet::new();
        for (i, (from, to, kind, note)) in links.iter().enumerate() {
            // A tie to oneself, or the same tie twice, is refused (the store's link rules).
            if p(*from) == p(*to) || !tied.insert((p(*from), p(*to), *kind)) {
                continue;
            }
            let mut m = record("link", format!("l{i}"));
            m.insert("from".into(), p(*from).into());
            m.insert("to".into(), p(*to).into());
            m.insert("kind".into(), (*kind).into());
            put(&mut m, "note", note.clone());
            out.push(m);
        }
    }
    if !deals.is_empty() {
        for (i, (deal, text, due, amount, status)) in obligations.iter().enumerate() {
            let mut m = record("obligation", format!("o{i}"));
            m.insert("deal".into(), d(*deal).into());
            m.insert("text".into(), text.clone().into());
            m.insert("due".into(), due.clone().into());
            put(&mut m, "amount", *amount);
            put(&mut m, "status", *status);
            out.push(m);
        }
    }
    for (i, (for_person, who, objective, target, budget)) in plans.iter().enumerate() {
        let mut m = record("plan", format!("pl{i}"));
        m.insert("objective".into(), objective.clone().into());
        if *for_person && !people.is_empty() {
            m.insert("person".into(), p(*who).into());
        } else {
            m.insert("account".into(), a(*who).into());
        }
        put(&mut m, "target", target.clone());
        put(&mut m, "budget", *budget);
        out.push(m);
    }
    for (i, (who, at, note)) in stages.iter().enumerate() {
        let mut m = record("stage_change", format!("sc{i}"));
        m.insert("subject".into(), a(*who).into());
        m.insert("ladder".into(), "account".into());
        m.insert("from".into(), "pre-kam".into());
        m.insert("to".into(), "early-kam".into());
        m.insert("at".into(), at.clone().into());
        put(&mut m, "note", note.clone());
        out.push(m);
    }
    out.into_iter()
        .map(|m| Value::Object(m).to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_identical(lines in notebook()) {
        let file = lines.join("\n");
        let mut first = fresh();
        let summary = load(&mut first, &file).unwrap();
        prop_assert_eq!(summary.records() as usize, lines.len() - 1);
        let exported = dump(&first);

        let mut second = fresh();
        let again = load(&mut second, &exported).unwrap();
        prop_assert_eq!(counts(&again), counts(&summary));
        prop_assert_eq!(dump(&second), exported.clone());

        // And once more into the same notebook: all updates, same bytes.
        let third = load(&mut second, &exported).unwrap();
        prop_assert!(third.added.is_empty());
        prop_assert_eq!(dump(&second), exported);
    }
}

fn finds(store: &Store, kind: crate::store::TargetKind, query: &str) -> Vec<String> {
    store
        .reader()
        .match_names(&[kind], query, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn search_index_follows_imports_and_its_triggers_come_back() {
    use crate::store::TargetKind::{Account, Person};
    let mut store = fresh();
    let mut file = String::from("{\"type\":\"kamnote\",\"version\":1}\n");
    for i in 0..12 {
        writeln!(
            file,
            "{{\"type\":\"account\",\"uid\":\"a{i}\",\"name\":\"Clínica Número {i}\"}}"
        )
        .unwrap();
    }
    file.push_str("{\"type\":\"person\",\"uid\":\"p1\",\"name\":\"Iván Grigóriev\"}\n");
    load(&mut store, &file).unwrap();
    assert_eq!(finds(&store, Person, "ivan"), ["Iván Grigóriev"]);
    assert_eq!(finds(&store, Account, "numero 7"), ["Clínica Número 7"]);
    assert!(store.check().unwrap().is_empty());

    // A re-import that changes one account of twelve (old text out, new in) and the only person
    // (the whole index of people rebuilt).
    let changed = file
        .replace("Clínica Número 7", "Hospital Kaliningrad")
        .replace("Iván Grigóriev", "Zoltán Kovács");
    let summary = load(&mut store, &changed).unwrap();
    assert_eq!(summary.updated["account"], 12);
    assert!(finds(&store, Account, "numero 7").is_empty());
    assert_eq!(
        finds(&store, Account, "kaliningrad"),
        ["Hospital Kaliningrad"]
    );
    assert_eq!(finds(&store, Account, "numero 3"), ["Clínica Número 3"]);
    assert!(finds(&store, Person, "ivan").is_empty());
    assert_eq!(finds(&store, Person, "zoltan"), ["Zoltán Kovács"]);
    assert!(store.check().unwrap().is_empty());

    // An import that fails rolls the index and its triggers back too.
    let broken =
        changed.replace("Hospital Kaliningrad", "Hospital Omsk") + "{\"type\":\"bogus\"}\n";
    assert!(load(&mut store, &broken).is_err());
    assert!(finds(&store, Account, "omsk").is_empty());

    // Ordinary writes are indexed again: the triggers are back.
    store
        .write(now(), |w| {
            let a = crate::domain::Account {
                uid: "new".into(),
                name: "Farmacia Núñez".into(),
                ..Default::default()
            };
            w.upsert_account(&a, None, None)?;
            let a = crate::domain::Account {
                uid: "a1".into(),
                name: "Renamed One".into(),
                ..Default::default()
            };
            w.upsert_account(&a, None, None)
        })
        .unwrap();
    assert_eq!(finds(&store, Account, "nunez"), ["Farmacia Núñez"]);
    assert_eq!(finds(&store, Account, "renamed"), ["Renamed One"]);
    assert!(!finds(&store, Account, "numero 1").contains(&"Clínica Número 1".to_string()));
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_key_given_twice_is_refused_with_line_and_key() {
    let file = "{\"type\":\"kamnote\",\"version\":1}\n\
        {\"type\":\"account\",\"uid\":\"a-2\",\"name\":\"First\",\"name\":\"Second\"}\n";
    assert_refused(file.as_bytes(), 2, Some("name"), "\"name\" is given twice");
    // Inside a nested object too (a milestone), and after a valid line.
    let file = "{\"type\":\"kamnote\",\"version\":1}\n\
        {\"type\":\"account\",\"uid\":\"a-2\",\"name\":\"Clínic\"}\n\
        {\"type\":\"deal\",\"uid\":\"d-1\",\"account\":\"a-2\",\"title\":\"T\",\
        \"milestones\":[{\"name\":\"award\",\"date\":\"2027-01-15\",\"date\":\"2027-02-01\"}]}\n";
    assert_refused(file.as_bytes(), 3, Some("date"), "given twice");
}

#[test]
fn values_the_domain_rules_refuse_are_refused_naming_line_and_field() {
    let head = "{\"type\":\"kamnote\",\"version\":1}\n\
        {\"type\":\"account\",\"uid\":\"a-2\",\"name\":\"Clínic\"}\n\
        {\"type\":\"person\",\"uid\":\"p-2\",\"name\":\"Ana\"}\n\
        {\"type\":\"person\",\"uid\":\"p-3\",\"name\":\"Iván\"}\n";
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"type":"person","uid":"p-4","name":"M","email":"m at clinic"}"#,
            "email",
            "ana.lopez@clinic.example",
        ),
        (
            r#"{"type":"person","uid":"p-4","name":"M","languages":["es","Spanish"]}"#,
            "languages",
            "\"Spanish\" is not a BCP 47 language tag",
        ),
        (
            r#"{"type":"account","uid":"a-3","name":"M","country":"Spain"}"#,
            "country",
            "\"Spain\" is not an ISO 3166 country code",
        ),
        (
            r#"{"type":"account","uid":"a-3","name":"M","currency":"ABC"}"#,
            "currency",
            "\"ABC\" is not an ISO 4217",
        ),
        (
            r#"{"type":"account","uid":"a-3","name":"M","revenue":-5}"#,
            "revenue",
            "-5 is negative",
        ),
        (
            r#"{"type":"deal","uid":"d-3","account":"a-2","title":"T","value":-1}"#,
            "value",
            "is negative",
        ),
        (
            r#"{"type":"plan","uid":"pl-3","account":"a-2","objective":"O","budget":-100}"#,
            "budget",
            "is negative",
        ),
        (
            r#"{"type":"link","uid":"l-3","from":"p-2","to":"p-2","kind":"ally"}"#,
            "to",
            "same person",
        ),
    ];
    for (line, field, words) in cases {
        let file = format!("{head}{line}\n");
        assert_refused(file.as_bytes(), 5, Some(field), words);
    }
    // The same tie twice: the second line is refused.
    let file = format!(
        "{head}{}\n{}\n",
        r#"{"type":"link","uid":"l-3","from":"p-2","to":"p-3","kind":"ally"}"#,
        r#"{"type":"link","uid":"l-4","from":"p-2","to":"p-3","kind":"ally"}"#
    );
    assert_refused(file.as_bytes(), 6, Some("to"), "already has a ally link");
    // A link to oneself before that person's line (a reference forward).
    let file = format!(
        "{head}{}\n{}\n",
        r#"{"type":"link","uid":"l-3","from":"p-9","to":"p-9","kind":"ally"}"#,
        r#"{"type":"person","uid":"p-9","name":"Later"}"#
    );
    assert_refused(file.as_bytes(), 5, Some("to"), "same person");
}

#[test]
fn a_salutation_and_family_name_round_trip_and_old_files_still_import() {
    let header = "{\"type\":\"kamnote\",\"version\":1,\"exported_at\":\"2026-11-27T08:00:00+03:00\",\"today\":\"2026-11-27\"}";
    let stamps =
        "\"created_at\":\"2025-01-02T03:04:05+01:00\",\"updated_at\":\"2025-01-02T03:04:05+01:00\"";
    let new = format!(
        "{{\"type\":\"person\",\"uid\":\"p-1\",\"name\":\"Carmen Peña Olmedo\",\"salutation\":\"Dra.\",\"family_name\":\"Peña Olmedo\",{stamps}}}"
    );
    let plain =
        format!("{{\"type\":\"person\",\"uid\":\"p-3\",\"name\":\"Drago Petrović\",{stamps}}}");
    // Written before salutations: the salutation in the name.
    let old =
        format!("{{\"type\":\"person\",\"uid\":\"p-2\",\"name\":\"Dr. Nuño Peña\",{stamps}}}");
    let mut store = fresh();
    load(&mut store, format!("{header}\n{new}\n{old}\n{plain}\n")).unwrap();
    let first = dump(&store);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines[1], new, "with the fields: as written");
    assert_eq!(
        lines[2],
        format!(
            "{{\"type\":\"person\",\"uid\":\"p-2\",\"name\":\"Nuño Peña\",\"salutation\":\"Dr.\",{stamps}}}"
        ),
        "an old file's salutation is moved out of the name"
    );
    assert_eq!(lines[3], plain, "without the fields: as written");
    let mut again = fresh();
    load(&mut again, &first).unwrap();
    assert_eq!(dump(&again), first);
}
