//! Writing the notebook as JSON Lines: the header, then one line per record in file order with
//! keys in FORMAT.md's order, optional keys left out when empty, `x-` keys last.
//!
//! Representation rules that make export → import → export byte-identical: timestamps RFC 3339
//! with seconds (fractions only when present) and their own offset; a number without a fraction
//! below 2^53 is written as an integer (`40000`, not `40000.0`); text as serde_json escapes it.

use std::io::{self, BufWriter, Write};

use chrono::{Datelike, NaiveDate, SecondsFormat};
use serde_json::{Map, Value};

use crate::domain::{Due, Extra, Stamp, Timestamp, Vocabulary};
use crate::store::{About, ExportRecord, Reader};

use super::{ExportError, ExportSummary, Kind, VERSION};

/// Writes every record of the notebook to `out`, after a header made of `type`, `version` and
/// `header_extra` (e.g. `exported_at`, `today`; a `type` or `version` in it is ignored).
pub fn export(
    reader: &Reader<'_>,
    out: &mut impl Write,
    header_extra: Map<String, Value>,
) -> Result<ExportSummary, ExportError> {
    export_records(reader, out, header_extra, None)
}

/// Writes what the notebook holds about one person (`kam export --about`, issue 15): the same
/// format, limited to the records of `about` (others as bare references), so it imports back.
pub fn export_about(
    reader: &Reader<'_>,
    out: &mut impl Write,
    header_extra: Map<String, Value>,
    about: &About,
) -> Result<ExportSummary, ExportError> {
    export_records(reader, out, header_extra, Some(about))
}

/// One record as the JSON object of its line, keys in file order (the Markdown of a subject
/// access shows these).
pub fn record_object(record: &ExportRecord) -> Result<Map<String, Value>, ExportError> {
    let mut line = Line::default();
    line.record(record)?;
    serde_json::from_slice(&line.buf).map_err(|e| ExportError::Io(e.into()))
}

fn export_records(
    reader: &Reader<'_>,
    out: &mut impl Write,
    header_extra: Map<String, Value>,
    about: Option<&About>,
) -> Result<ExportSummary, ExportError> {
    let mut out = BufWriter::with_capacity(256 << 10, out);
    let mut line = Line::default();
    line.buf
        .extend_from_slice(b"{\"type\":\"kamnote\",\"version\":");
    line.buf.extend_from_slice(VERSION.to_string().as_bytes());
    for (key, value) in header_extra {
        if key != "type" && key != "version" {
            line.value(&key, &value)?;
        }
    }
    line.buf.extend_from_slice(b"}\n");
    out.write_all(&line.buf)?;
    let mut records = 0_u64;
    let mut each = |record: ExportRecord| -> Result<(), ExportError> {
        line.record(&record)?;
        out.write_all(&line.buf)?;
        records += 1;
        Ok(())
    };
    match about {
        Some(about) => reader.export_about(about, &mut each)?,
        None => reader.export(&mut each)?,
    }
    out.flush()?;
    Ok(ExportSummary { records })
}

/// The bytes of one line, reused from record to record.
#[derive(Default)]
struct Line {
    buf: Vec<u8>,
}

/// Largest integer an f64 holds exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Line {
    fn start(&mut self, kind: Kind, uid: &str) -> io::Result<()> {
        self.buf.clear();
        self.buf.extend_from_slice(b"{\"type\":\"");
        self.buf.extend_from_slice(kind.name().as_bytes());
        self.buf.extend_from_slice(b"\",\"uid\":");
        serde_json::to_writer(&mut self.buf, uid)?;
        Ok(())
    }

    fn end(&mut self, extra: &Extra) -> io::Result<()> {
        for (key, value) in extra {
            self.value(key, value)?;
        }
        self.buf.extend_from_slice(b"}\n");
        Ok(())
    }

    fn key(&mut self, key: &str) {
        self.buf.extend_from_slice(b",\"");
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    /// Any JSON value under a key that may need escaping (`x-` keys, header keys).
    fn value(&mut self, key: &str, value: &Value) -> io::Result<()> {
        self.buf.push(b',');
        serde_json::to_writer(&mut self.buf, key)?;
        self.buf.push(b':');
        serde_json::to_writer(&mut self.buf, value)?;
        Ok(())
    }

    fn text(&mut self, key: &str, value: &str) -> io::Result<()> {
        self.key(key);
        serde_json::to_writer(&mut self.buf, value)?;
        Ok(())
    }

    fn opt_text(&mut self, key: &str, value: Option<&str>) -> io::Result<()> {
        match value {
            Some(v) => self.text(key, v),
            None => Ok(()),
        }
    }

    fn vocab<V: Vocabulary>(&mut self, key: &str, value: Option<V>) {
        if let Some(v) = value {
            self.key(key);
            self.buf.push(b'"');
            self.buf.extend_from_slice(v.as_str().as_bytes());
            self.buf.push(b'"');
        }
    }

    fn texts(&mut self, key: &str, values: &[String]) -> io::Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        self.key(key);
        serde_json::to_writer(&mut self.buf, values)?;
        Ok(())
    }

    fn int(&mut self, key: &str, value: Option<u8>) {
        if let Some(v) = value {
            self.key(key);
            self.buf.extend_from_slice(v.to_string().as_bytes());
        }
    }

    fn minutes(&mut self, key: &str, value: Option<u16>) {
        if let Some(v) = value {
            self.key(key);
            self.buf.extend_from_slice(v.to_string().as_bytes());
        }
    }

    fn number(&mut self, key: &str, value: Option<f64>) -> io::Result<()> {
        let Some(v) = value else {
            return Ok(());
        };
        self.key(key);
        if v.fract() == 0.0 && v.abs() < EXACT {
            // Exact: |v| < 2^53 and whole.
            #[allow(clippy::cast_possible_truncation)]
            let whole = v as i64;
            write!(self.buf, "{whole}")
        } else {
            serde_json::to_writer(&mut self.buf, &v)?;
            Ok(())
        }
    }

    fn timestamp(&mut self, key: &str, value: Option<&Timestamp>) {
        if let Some(t) = value {
            self.key(key);
            self.buf.push(b'"');
            self.buf
                .extend_from_slice(t.to_rfc3339_opts(SecondsFormat::AutoSi, false).as_bytes());
            self.buf.push(b'"');
        }
    }

    fn date(&mut self, key: &str, value: Option<NaiveDate>) -> io::Result<()> {
        if let Some(d) = value {
            self.key(key);
            self.date_value(d)?;
        }
        Ok(())
    }

    fn date_value(&mut self, d: NaiveDate) -> io::Result<()> {
        write!(
            self.buf,
            "\"{:04}-{:02}-{:02}\"",
            d.year(),
            d.month(),
            d.day()
        )
    }

    fn stamp(&mut self, stamp: &Stamp) {
        self.timestamp("created_at", Some(&stamp.created_at));
        self.timestamp("updated_at", Some(&stamp.updated_at));
    }

    #[allow(clippy::too_many_lines)] // one arm per record type, keys in FORMAT.md's order
    fn record(&mut self, record: &ExportRecord) -> io::Result<()> {
        match record {
            ExportRecord::Account(a, stamp) => {
                self.start(Kind::Account, &a.uid)?;
                self.text("name", &a.name)?;
                self.opt_text("kind", a.kind.as_deref())?;
                self.vocab("tier", a.tier);
                self.vocab("stage", a.stage);
                self.opt_text("territory", a.territory.as_deref())?;
                self.opt_text("city", a.city.as_deref())?;
                self.opt_text("country", a.country.as_deref())?;
                self.opt_text("address", a.address.as_deref())?;
                self.opt_text("website", a.website.as_deref())?;
                self.opt_text("phone", a.phone.as_deref())?;
                self.number("revenue", a.revenue)?;
                self.number("our_sales", a.our_sales)?;
                self.opt_text("currency", a.currency.as_deref())?;
                self.opt_text("about", a.about.as_deref())?;
                self.opt_text("needs", a.needs.as_deref())?;
                self.opt_text("plans", a.plans.as_deref())?;
                self.opt_text("competitors", a.competitors.as_deref())?;
                self.texts("tags", &a.tags)?;
                self.minutes("travel_minutes", a.travel_minutes);
                self.stamp(stamp);
                self.timestamp("archived_at", a.archived_at.as_ref());
                self.end(&a.extra)
            }
            ExportRecord::Person(p, stamp, refs) => {
                self.start(Kind::Person, &p.uid)?;
                self.text("name", &p.name)?;
                self.opt_text("salutation", p.salutation.as_deref())?;
                self.opt_text("family_name", p.family_name.as_deref())?;
                self.opt_text("account", refs.account.as_deref())?;
                self.opt_text("title", p.title.as_deref())?;
                self.vocab("role", p.role);
                self.int("influence", p.influence);
                self.vocab("attitude", p.attitude);
                self.vocab("stage", p.stage);
                self.opt_text("phone", p.phone.as_deref())?;
                self.opt_text("email", p.email.as_deref())?;
                if let Some(b) = p.birthday {
                    self.text("birthday", &b.to_string())?;
                }
                self.opt_text("personal", p.personal.as_deref())?;
                self.texts("languages", &p.languages)?;
                self.texts("tags", &p.tags)?;
                self.stamp(stamp);
                self.timestamp("archived_at", p.archived_at.as_ref());
                self.end(&p.extra)
            }
            ExportRecord::Link(l, refs) => {
                self.start(Kind::Link, &l.uid)?;
                self.ref_text("from", refs.from.as_deref())?;
                self.ref_text("to", refs.to.as_deref())?;
                self.vocab("kind", Some(l.kind));
                self.opt_text("note", l.note.as_deref())?;
                self.end(&l.extra)
            }
            ExportRecord::Deal(d, stamp, refs) => {
                self.start(Kind::Deal, &d.uid)?;
                self.ref_text("account", refs.account.as_deref())?;
                self.text("title", &d.title)?;
                self.vocab("kind", d.kind);
                self.vocab("stage", d.stage);
                self.number("value", d.value)?;
                self.opt_text("currency", d.currency.as_deref())?;
                self.number("probability", d.probability)?;
                self.date("close", d.close)?;
                self.number("commission_rate", d.commission_rate)?;
                if !d.milestones.is_empty() {
                    self.key("milestones");
                    self.buf.push(b'[');
                    for (i, m) in d.milestones.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(b',');
                        }
                        self.buf.extend_from_slice(b"{\"name\":");
                        serde_json::to_writer(&mut self.buf, &m.name)?;
                        self.buf.extend_from_slice(b",\"date\":");
                        self.date_value(m.date)?;
                        self.buf.push(b'}');
                    }
                    self.buf.push(b']');
                }
                self.opt_text("notes", d.notes.as_deref())?;
                self.stamp(stamp);
                self.end(&d.extra)
            }
            ExportRecord::Obligation(o, refs) => {
                self.start(Kind::Obligation, &o.uid)?;
                self.ref_text("deal", refs.deal.as_deref())?;
                self.text("text", &o.text)?;
                self.date("due", Some(o.due))?;
                self.vocab("party", o.party);
                self.vocab("kind", o.kind);
                self.number("amount", o.amount)?;
                self.opt_text("currency", o.currency.as_deref())?;
                self.vocab("status", o.status);
                self.timestamp("done_at", o.done_at.as_ref());
                self.end(&o.extra)
            }
            ExportRecord::Plan(p, refs) => {
                self.start(Kind::Plan, &p.uid)?;
                self.text("objective", &p.objective)?;
                let key = match p.subject {
                    crate::domain::PlanSubject::Account(_) => "account",
                    crate::domain::PlanSubject::Person(_) => "person",
                };
                self.ref_text(key, refs.subject.as_deref())?;
                self.date("target", p.target)?;
                self.number("budget", p.budget)?;
                self.number("spent", p.spent)?;
                self.opt_text("currency", p.currency.as_deref())?;
                self.vocab("status", p.status);
                self.opt_text("notes", p.notes.as_deref())?;
                self.end(&p.extra)
            }
            ExportRecord::StageChange(c, refs) => {
                self.start(Kind::StageChange, &c.uid)?;
                self.ref_text("subject", refs.subject.as_deref())?;
                self.vocab("ladder", Some(c.ladder));
                self.text("to", &c.to)?;
                self.timestamp("at", Some(&c.at));
                self.opt_text("from", c.from.as_deref())?;
                self.opt_text("note", c.note.as_deref())?;
                self.end(&c.extra)
            }
            ExportRecord::Interaction(i, stamp, refs) => {
                self.start(Kind::Interaction, &i.uid)?;
                self.vocab("kind", Some(i.kind));
                self.timestamp("at", Some(&i.at));
                self.opt_text("account", refs.account.as_deref())?;
                self.texts("people", &refs.people)?;
                self.texts("mentioned", &refs.mentioned)?;
                self.opt_text("title", i.title.as_deref())?;
                self.opt_text("body", i.body.as_deref())?;
                self.timestamp("end", i.end.as_ref());
                self.opt_text("location", i.location.as_deref())?;
                self.vocab("status", Some(i.status));
                self.opt_text("outcome", i.outcome.as_deref())?;
                self.texts("tags", &i.tags)?;
                self.stamp(stamp);
                self.end(&i.extra)
            }
            ExportRecord::Product(p, refs) => {
                self.start(Kind::Product, &p.uid)?;
                self.text("name", &p.name)?;
                self.opt_text("competitor_of", refs.product.as_deref())?;
                self.opt_text("notes", p.notes.as_deref())?;
                self.end(&Extra::new())
            }
            ExportRecord::ProductStatus(s, refs) => {
                self.start(Kind::ProductStatus, &s.uid)?;
                self.ref_text("account", refs.account.as_deref())?;
                self.ref_text("product", refs.product.as_deref())?;
                self.vocab("status", Some(s.status));
                self.date("day", Some(s.day))?;
                self.opt_text("note", s.note.as_deref())?;
                self.end(&Extra::new())
            }
            ExportRecord::Objection(o, refs) => {
                self.start(Kind::Objection, &o.uid)?;
                self.ref_text("person", refs.person.as_deref())?;
                self.ref_text("product", refs.product.as_deref())?;
                self.date("day", Some(o.day))?;
                self.text("text", &o.text)?;
                self.end(&Extra::new())
            }
            ExportRecord::DealPerson(d, refs) => {
                self.start(Kind::DealPerson, &d.uid)?;
                self.ref_text("deal", refs.deal.as_deref())?;
                self.ref_text("person", refs.person.as_deref())?;
                self.vocab("role", Some(d.role));
                self.end(&Extra::new())
            }
            ExportRecord::Sales(s, refs) => {
                self.start(Kind::Sales, &s.uid)?;
                self.ref_text("account", refs.account.as_deref())?;
                self.text("month", &s.sales.month)?;
                self.text("currency", &s.sales.currency)?;
                self.number("target", s.sales.target)?;
                self.number("actual", s.sales.actual)?;
                self.end(&Extra::new())
            }
            ExportRecord::FollowUp(f, stamp, refs) => {
                self.start(Kind::FollowUp, &f.uid)?;
                self.text("text", &f.text)?;
                match f.due {
                    Due::Day(d) => self.date("due", Some(d))?,
                    Due::At(t) => self.timestamp("due", Some(&t)),
                }
                self.opt_text("account", refs.account.as_deref())?;
                self.opt_text("person", refs.person.as_deref())?;
                self.opt_text("deal", refs.deal.as_deref())?;
                self.opt_text("interaction", refs.interaction.as_deref())?;
                if let Some(r) = f.repeat {
                    self.text("repeat", &r.to_string())?;
                }
                self.vocab("status", Some(f.status));
                self.timestamp("done_at", f.done_at.as_ref());
                self.int("priority", f.priority);
                self.stamp(stamp);
                self.end(&f.extra)
            }
        }
    }

    /// A required reference; the store guarantees it (a missing one is written as `null`, which
    /// the importer reports, rather than silently dropped).
    fn ref_text(&mut self, key: &str, uid: Option<&str>) -> io::Result<()> {
        self.key(key);
        match uid {
            Some(u) => serde_json::to_writer(&mut self.buf, u)?,
            None => self.buf.extend_from_slice(b"null"),
        }
        Ok(())
    }
}
