//! `callrisk review import FILE… --into DIR`: QA's reviews → `DIR/reviews.csv`,
//! `DIR/review.exclude.toml` and `DIR/rules.csv`.
//!
//! Reads the `review` and `review_note` columns of hits.csv (as callrisk wrote it, or as Excel
//! or WPS re-saved it: BOM, GBK/GB18030, UTF-16, CRLF; decoded by [`crate::input::decode`]) or
//! of report.xlsx's `findings` sheet (with `calamine`). Columns are found by name.
//!
//! Promises: the reviews kept in `reviews.csv` are merged by `hit_id`, the latest read winning
//! (files in the order given, rows in order); the exclusions and `rules.csv` are derived from
//! that whole store, so importing the same files again writes the same bytes. A `tp` never
//! excludes, and an exclusion that would hide a finding QA confirmed is not written (and said).
//! Every text written is masked; a review that is not one of the accepted words is reported
//! with its file and row and ignored. Files are replaced whole (written aside, then renamed).

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use crate::category::Category;
use crate::lexicon::Lexicon;
use crate::redact::redact;
use crate::report::cell;

use super::exclusion::{CONTEXT_CHARS, ExcludeOut, mask_digits, narrowest};

/// What import writes into `--into DIR`.
pub const REVIEWS_FILE: &str = "reviews.csv";
pub const EXCLUDE_FILE: &str = "review.exclude.toml";
pub const RULES_FILE: &str = "rules.csv";

const REVIEWS_HEADER: [&str; 11] = [
    "hit_id",
    "review",
    "review_note",
    "rule",
    "category",
    "term",
    "matched",
    "context",
    "file",
    "conversation",
    "line",
];

const RULES_HEADER: [&str; 7] = [
    "rule",
    "category",
    "dictionary",
    "reviewed",
    "confirmed",
    "rejected",
    "precision",
];

/// A problem that stops the import: nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("cannot read {file}: {source}")]
    Read { file: String, source: io::Error },

    #[error("{file}: {message} (save it as CSV UTF-8, or import the report.xlsx)")]
    Decode { file: String, message: String },

    #[error("{file}: cannot read the workbook: {message} (import the report.xlsx callrisk wrote, or its hits.csv)")]
    Workbook { file: String, message: String },

    #[error(
        "{file}: no `{column}` column in its header (import hits.csv or report.xlsx as a scan of this version writes them; the columns are found by name)"
    )]
    MissingColumn { file: String, column: &'static str },

    #[error("cannot write {}: {source} (is the folder writable?)", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// A reviewer's verdict on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The finding is right.
    Tp,
    /// A false alarm.
    Fp,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Tp => "tp",
            Verdict::Fp => "fp",
        }
    }

    /// `tp`, 对, 是, 正确 / `fp`, 错, 否, 误报, any case and width; `None` for anything else
    /// (an empty cell is no review: callers pass it over first).
    pub fn parse(cell: &str) -> Option<Verdict> {
        let folded: String = cell
            .trim()
            .chars()
            .map(|c| match c {
                'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect::<String>()
            .to_lowercase();
        match folded.as_str() {
            "tp" | "对" | "是" | "正确" => Some(Verdict::Tp),
            "fp" | "错" | "否" | "误报" => Some(Verdict::Fp),
            _ => None,
        }
    }
}

/// One reviewed finding, as `reviews.csv` keeps it (masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub hit_id: String,
    pub verdict: Verdict,
    pub note: String,
    pub rule: String,
    pub category: Category,
    pub term: String,
    pub matched: String,
    pub context: String,
    pub file: String,
    pub conversation: String,
    pub line: String,
}

/// What an import did, for the summary and the exit status.
#[derive(Debug, Default)]
pub struct Imported {
    /// Reviews read from the files (tp, fp).
    pub read: (usize, usize),
    /// Reviews in the store after the merge.
    pub kept: usize,
    pub exclusions: usize,
    pub rules: usize,
    /// Reviews reported and ignored, exclusions not written: one message each, with file and
    /// row.
    pub warnings: Vec<String>,
}

/// A table read from a file: its header and rows, each with the row number a person sees
/// (the CSV line, the spreadsheet row).
struct Table {
    file: String,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn column(&self, name: &'static str) -> Result<usize, ReviewError> {
        self.header
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{FEFF}') == name)
            .ok_or(ReviewError::MissingColumn {
                file: self.file.clone(),
                column: name,
            })
    }
}

/// Import `files` into `dir`, naming rules after `lexicon`.
pub fn import(files: &[PathBuf], dir: &Path, lexicon: &Lexicon) -> Result<Imported, ReviewError> {
    let mut imported = Imported::default();
    let store_path = dir.join(REVIEWS_FILE);
    let mut store: BTreeMap<String, Review> = match store_path.is_file() {
        true => read_store(&store_path, &mut imported.warnings)?,
        false => BTreeMap::new(),
    };
    let rules = RuleNames::new(lexicon);
    // Read every file before writing anything: a bad file leaves the folder as it was.
    let mut tables = Vec::new();
    for file in files {
        tables.push(read_table(file)?);
    }
    // This import's reviews by hit: one hit marked both tp and fp here (two rows sharing an
    // id, as two files differing only in a masked number do) cannot be decided, so neither
    // is kept and it is said.
    let mut this_import: BTreeMap<String, Review> = BTreeMap::new();
    let mut conflicting = std::collections::BTreeSet::new();
    for table in &tables {
        for review in reviews_of(table, &rules, &mut imported.warnings)? {
            match review.verdict {
                Verdict::Tp => imported.read.0 += 1,
                Verdict::Fp => imported.read.1 += 1,
            }
            if this_import
                .get(&review.hit_id)
                .is_some_and(|earlier| earlier.verdict != review.verdict)
            {
                conflicting.insert(review.hit_id.clone());
            }
            this_import.insert(review.hit_id.clone(), review);
        }
    }
    for hit in &conflicting {
        this_import.remove(hit);
        // An earlier import's review of it goes too: it could be the fp whose exclusion
        // would hide the finding confirmed here.
        store.remove(hit);
        imported.warnings.push(format!(
            "hit {hit} is marked both tp and fp in these files (rows of two findings that share its id, \
             such as two files whose names differ only in a masked number): no review of it is kept, \
             earlier ones included, and it is not excluded; review them again in one row"
        ));
    }
    store.extend(this_import);
    // Each review is named after the rule that finds its term in the dictionaries of now.
    for r in store.values_mut() {
        r.rule = rules.name(r.category, &r.term);
    }
    imported.kept = store.len();
    std::fs::create_dir_all(dir).map_err(|source| ReviewError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let exclusions = exclusions_of(&store, &mut imported.warnings);
    imported.exclusions = exclusions.len();
    let (rules_csv, rule_count) = rules_csv(&store, &rules);
    imported.rules = rule_count;
    write_whole(&store_path, &store_csv(&store))?;
    write_whole(&dir.join(EXCLUDE_FILE), exclude_toml(&exclusions).as_bytes())?;
    write_whole(&dir.join(RULES_FILE), &rules_csv)?;
    Ok(imported)
}

/// A file's bytes as text, in the encoding the project's decoder reads it in.
fn decode(file: &Path, bytes: &[u8]) -> Result<String, ReviewError> {
    use crate::input::decode::{Encoding, sniff};
    let name = || file.display().to_string();
    let (encoding, bom) = sniff(bytes, true).map_err(|e| ReviewError::Decode {
        file: name(),
        message: e.to_string(),
    })?;
    let body = &bytes[bom..];
    let text = match encoding {
        Encoding::Utf8 => std::str::from_utf8(body).map(str::to_string).ok(),
        Encoding::Utf16Le => encoding_rs::UTF_16LE
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned()),
        Encoding::Utf16Be => encoding_rs::UTF_16BE
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned()),
        Encoding::Gb18030 => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned()),
    };
    text.ok_or_else(|| ReviewError::Decode {
        file: name(),
        message: format!("not valid {} throughout", encoding.name()),
    })
}

fn read_table(file: &Path) -> Result<Table, ReviewError> {
    let is_workbook = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    if is_workbook {
        read_workbook(file)
    } else {
        read_csv(file)
    }
}

fn read_csv(file: &Path) -> Result<Table, ReviewError> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| ReviewError::Read {
        file: name.clone(),
        source,
    })?;
    let text = decode(file, &bytes)?;
    // A CSV saved by Excel in some locales uses `;` or a tab: take what the header uses.
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReviewError::Decode {
            file: name.clone(),
            message: format!("not a CSV file: {e}"),
        })?;
        let cells: Vec<String> = record.iter().map(unquote).collect();
        if i == 0 {
            header = cells;
        } else {
            // The row a spreadsheet shows it on (the header is row 1).
            rows.push((i + 1, cells));
        }
    }
    Ok(Table {
        file: name,
        header,
        rows,
    })
}

fn read_workbook(file: &Path) -> Result<Table, ReviewError> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let name = file.display().to_string();
    let failed = |message: String| ReviewError::Workbook {
        file: name.clone(),
        message,
    };
    let mut book: Xlsx<_> = open_workbook(file).map_err(|e: calamine::XlsxError| failed(e.to_string()))?;
    if !book.sheet_names().iter().any(|s| s == "findings") {
        return Err(failed("no sheet named `findings`".into()));
    }
    let range = book.worksheet_range("findings").map_err(|e| failed(e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let cell = |d: &Data| match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    };
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell).collect();
        if i == 0 {
            header = cells;
        } else {
            rows.push((first_row + i + 1, cells));
        }
    }
    Ok(Table {
        file: name,
        header,
        rows,
    })
}

/// A cell as the report meant it: the `'` that keeps a spreadsheet from evaluating text
/// (`'=…`) is not part of the text.
fn unquote(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if matches!(cell::safe(rest), std::borrow::Cow::Owned(_)) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// The reviewed rows of a table; rows whose review is not understood are reported.
fn reviews_of(table: &Table, rules: &RuleNames, warnings: &mut Vec<String>) -> Result<Vec<Review>, ReviewError> {
    let col = |name| table.column(name);
    let (hit_id, review) = (col("hit_id")?, col("review")?);
    let (category, term, matched, context) = (col("category")?, col("term")?, col("matched")?, col("context")?);
    let note = table.column("review_note").ok();
    let optional = |name| table.column(name).ok();
    let (file, conversation, line) = (optional("file"), optional("conversation"), optional("line"));
    let get = |cells: &[String], i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", |s| s.as_str()).to_string();
    let mut reviews = Vec::new();
    for (row, cells) in &table.rows {
        let said = get(cells, Some(review));
        if said.trim().is_empty() {
            continue;
        }
        let verdict = match Verdict::parse(&said) {
            Some(v) => v,
            None => {
                warnings.push(format!(
                    "{} row {row}: review `{}` is not tp/fp (or 对/错, 是/否, 正确/误报): ignored",
                    table.file,
                    crate::messages::shown(said.trim())
                ));
                continue;
            }
        };
        let id = get(cells, Some(hit_id)).trim().to_string();
        if id.is_empty() || redact(&id) != id.as_str() {
            warnings.push(format!(
                "{} row {row}: a review without a hit_id: ignored (rescan with this version, which writes hit_id)",
                table.file
            ));
            continue;
        }
        let category_id = get(cells, Some(category));
        let Ok(parsed) = category_id.trim().parse::<Category>() else {
            warnings.push(format!(
                "{} row {row}: unknown category `{}`: ignored",
                table.file,
                crate::messages::shown(&category_id)
            ));
            continue;
        };
        let term = get(cells, Some(term));
        let masked = |text: String| redact(&text).into_owned();
        reviews.push(Review {
            rule: rules.name(parsed, &term),
            hit_id: id,
            verdict,
            note: masked(get(cells, note).trim().to_string()),
            category: parsed,
            term: masked(term),
            matched: masked(get(cells, Some(matched))),
            context: masked(get(cells, Some(context))),
            file: masked(get(cells, file)),
            conversation: masked(get(cells, conversation)),
            line: get(cells, line).trim().to_string(),
        });
    }
    Ok(reviews)
}

fn read_store(path: &Path, warnings: &mut Vec<String>) -> Result<BTreeMap<String, Review>, ReviewError> {
    let table = read_csv(path)?;
    let reviews = reviews_of(&table, &RuleNames::default(), warnings)?;
    Ok(reviews.into_iter().map(|r| (r.hit_id.clone(), r)).collect())
}

/// Rule ids by (category, term as written), from the lexicon the scan used.
#[derive(Default)]
struct RuleNames {
    by_term: HashMap<(Category, String), String>,
    origin: HashMap<String, String>,
}

impl RuleNames {
    fn new(lexicon: &Lexicon) -> RuleNames {
        let mut names = RuleNames::default();
        for rule in &lexicon.rules {
            names.origin.insert(rule.id.clone(), rule.origin.to_string());
            for term in &rule.terms {
                names
                    .by_term
                    .entry((rule.category, term.written.clone()))
                    .or_insert_with(|| rule.id.clone());
            }
        }
        names
    }

    /// The rule that found `term`; a detector's finding (手机号) or a term no dictionary
    /// holds any more is named `category:term`.
    fn name(&self, category: Category, term: &str) -> String {
        self.by_term
            .get(&(category, term.trim().to_string()))
            .cloned()
            .unwrap_or_else(|| format!("{category}:{}", term.trim()))
    }
}

/// The exclusions the store's `fp` reviews make, less those that would hide a confirmed
/// finding; in category, phrase, context order.
fn exclusions_of(store: &BTreeMap<String, Review>, warnings: &mut Vec<String>) -> Vec<ExcludeOut> {
    let mut by_key: BTreeMap<(usize, String, String), ExcludeOut> = BTreeMap::new();
    for r in store.values().filter(|r| r.verdict == Verdict::Fp) {
        let Some((phrase, context)) = narrowest(&r.matched, &r.context) else {
            warnings.push(format!(
                "{REVIEWS_FILE}: hit {}: its context does not hold the matched words «{}»: no exclusion written",
                r.hit_id, r.matched
            ));
            continue;
        };
        let entry = by_key
            .entry((r.category.index(), phrase.clone(), context.clone()))
            .or_insert_with(|| ExcludeOut {
                category: r.category.id().to_string(),
                phrase,
                context,
                hit_ids: Vec::new(),
                note: String::new(),
            });
        entry.hit_ids.push(r.hit_id.clone());
        if entry.note.is_empty() {
            entry.note = r.note.clone();
        }
    }
    for tp in store.values().filter(|r| r.verdict == Verdict::Tp) {
        let words = redact(tp.matched.trim()).into_owned();
        let line = mask_digits(&redact(&tp.context));
        by_key.retain(|(category, phrase, context), e| {
            let hides = *category == tp.category.index() && *phrase == words && line.contains(context.as_str());
            if hides {
                warnings.push(format!(
                    "hit {} is marked tp, and the exclusion from {} («{}» in «{}») would hide it: not written; review them again",
                    tp.hit_id,
                    e.hit_ids.join(", "),
                    e.phrase,
                    e.context
                ));
            }
            !hides
        });
    }
    by_key.into_values().collect()
}

fn exclude_toml(exclusions: &[ExcludeOut]) -> String {
    #[derive(serde::Serialize)]
    struct File<'a> {
        exclude: &'a [ExcludeOut],
    }
    let mut text = format!(
        "# Written by `callrisk review import` from reviews.csv: the next import rewrites it.\n\
         # Each [[exclude]] is a finding QA marked fp: its category, the matched words (`phrase`)\n\
         # and up to {CONTEXT_CHARS} characters either side on its line (`context`, digits as *).\n\
         # Put exclusions of your own in another .toml file of this folder.\n"
    );
    if !exclusions.is_empty() {
        text.push('\n');
        text.push_str(&toml::to_string(&File { exclude: exclusions }).unwrap_or_default());
    }
    text
}

fn csv_bytes<const N: usize>(header: [&str; N], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| cell::text(c)));
    }
    writer.into_inner().unwrap_or_default()
}

fn store_csv(store: &BTreeMap<String, Review>) -> Vec<u8> {
    csv_bytes(
        REVIEWS_HEADER,
        store.values().map(|r| {
            vec![
                r.hit_id.clone(),
                r.verdict.id().to_string(),
                r.note.clone(),
                r.rule.clone(),
                r.category.id().to_string(),
                r.term.clone(),
                r.matched.clone(),
                r.context.clone(),
                r.file.clone(),
                r.conversation.clone(),
                r.line.clone(),
            ]
        }),
    )
}

/// rules.csv: per rule with a review, in category order then by rule id.
fn rules_csv(store: &BTreeMap<String, Review>, rules: &RuleNames) -> (Vec<u8>, usize) {
    let mut tally: BTreeMap<(usize, String), (Category, usize, usize)> = BTreeMap::new();
    for r in store.values() {
        let t = tally
            .entry((r.category.index(), r.rule.clone()))
            .or_insert((r.category, 0, 0));
        match r.verdict {
            Verdict::Tp => t.1 += 1,
            Verdict::Fp => t.2 += 1,
        }
    }
    let count = tally.len();
    let bytes = csv_bytes(
        RULES_HEADER,
        tally.into_iter().map(|((_, rule), (category, confirmed, rejected))| {
            let reviewed = confirmed + rejected;
            vec![
                rule.clone(),
                category.id().to_string(),
                rules.origin.get(&rule).cloned().unwrap_or_default(),
                reviewed.to_string(),
                confirmed.to_string(),
                rejected.to_string(),
                format!("{:.3}", confirmed as f64 / reviewed as f64),
            ]
        }),
    );
    (bytes, count)
}

/// Replace `path` whole: written beside it, synced, then renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), ReviewError> {
    use std::io::Write;
    let failed = |source| ReviewError::Write {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    let aside = path.with_file_name(format!(".{name}.callrisk-new"));
    let mut file = std::fs::File::create(&aside).map_err(failed)?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(failed)?;
    std::fs::rename(&aside, path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_are_read_in_english_or_chinese_and_anything_else_is_not_a_review() {
        for (cell, want) in [
            ("tp", Some(Verdict::Tp)),
            (" FP ", Some(Verdict::Fp)),
            ("ＦＰ", Some(Verdict::Fp)),
            ("对", Some(Verdict::Tp)),
            ("错", Some(Verdict::Fp)),
            ("是", Some(Verdict::Tp)),
            ("否", Some(Verdict::Fp)),
            ("误报", Some(Verdict::Fp)),
            ("maybe", None),
            ("不确定", None),
            ("t p", None),
            ("1", None),
        ] {
            assert_eq!(Verdict::parse(cell), want, "{cell}");
        }
    }

    #[test]
    fn hits_csv_as_excel_or_wps_save_it_is_read_by_its_header() {
        let text = "hit_id,review,category\r\nh0a1b2c3d4e5f6a7b,错,threat.media\r\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let semicolons = text.replace(',', ";").into_bytes();
        for bytes in [bom, gbk.into_owned(), utf16, semicolons] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("hits.csv");
            std::fs::write(&path, &bytes).unwrap();
            let table = read_table(&path).unwrap();
            assert_eq!(table.column("review").unwrap(), 1);
            assert_eq!(
                table.rows,
                vec![(
                    2,
                    vec!["h0a1b2c3d4e5f6a7b".to_string(), "错".into(), "threat.media".into()]
                )]
            );
        }
    }

    #[test]
    fn a_neutralised_cell_is_read_as_the_report_meant_it() {
        assert_eq!(unquote("'=1+1投诉"), "=1+1投诉");
        assert_eq!(unquote("'我说的"), "'我说的");
    }
}
