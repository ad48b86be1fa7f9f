//! Reading a spreadsheet's CSV: the header mapped to fields, then the rows as text cells with
//! their line numbers. Pure: nothing here touches the store.

use crate::interop::{ImportError, line_error};
use crate::text::fold;

use super::Table;

/// A column kamnote understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvColumn {
    Uid,
    Name,
    FirstName,
    LastName,
    Account,
    Kind,
    Tier,
    Territory,
    City,
    Country,
    Address,
    Website,
    Phone,
    Revenue,
    Currency,
    Title,
    /// How the person is addressed ("Dra."): Google's `Name Prefix`, Outlook's `Title` beside a
    /// `Job Title`.
    Salutation,
    Email,
    Birthday,
    /// Thunderbird's and Roundcube's split birthday (`Birth Year`, `Birth Month`, `Birth Day`).
    BirthYear,
    BirthMonth,
    BirthDay,
    Notes,
    Tags,
    OurSales,
    Stage,
    Needs,
    Plans,
    Competitors,
    Role,
    Influence,
    Attitude,
    Languages,
    CreatedAt,
    UpdatedAt,
}

/// CsvColumn, then the folded header names that mean it.
const SYNONYMS: &[(CsvColumn, &[&str])] = &[
    (CsvColumn::Uid, &["uid", "id", "kam uid"]),
    (
        CsvColumn::Name,
        &[
            "name",
            "full name",
            "contact",
            "contact name",
            "person",
            "nombre",
            "nombre completo",
            "nom complet",
            "vollstandiger name",
            "display name",
        ],
    ),
    (
        CsvColumn::FirstName,
        &[
            "first name",
            "given name",
            "firstname",
            "first",
            "prenom",
            "vorname",
            "nombre de pila",
        ],
    ),
    (
        CsvColumn::LastName,
        &[
            "last name",
            "surname",
            "family name",
            "lastname",
            "last",
            "apellido",
            "apellidos",
            "nom",
            "nom de famille",
            "nachname",
        ],
    ),
    (
        CsvColumn::Account,
        &[
            "account",
            "account name",
            "company",
            "company name",
            "organisation",
            "organization",
            "org",
            "empresa",
            "compania",
            "cuenta",
            "cliente",
            "client",
            "customer",
            "societe",
            "entreprise",
            "firma",
            "unternehmen",
            "razon social",
            "hospital",
        ],
    ),
    (
        CsvColumn::Kind,
        &["kind", "type", "tipo", "segment", "account type"],
    ),
    (
        CsvColumn::Tier,
        &["tier", "class", "clase", "category", "abc"],
    ),
    (
        CsvColumn::Territory,
        &["territory", "region", "zone", "zona", "area", "gebiet"],
    ),
    (
        CsvColumn::City,
        &[
            "city",
            "town",
            "ciudad",
            "localidad",
            "ville",
            "stadt",
            "ort",
            "poblacion",
        ],
    ),
    (
        CsvColumn::Country,
        &["country", "pais", "pays", "land", "nation"],
    ),
    (
        CsvColumn::Address,
        &[
            "address",
            "street",
            "direccion",
            "domicilio",
            "adresse",
            "anschrift",
            "street address",
        ],
    ),
    (
        CsvColumn::Website,
        &[
            "website",
            "web",
            "url",
            "site",
            "web site",
            "homepage",
            "pagina web",
        ],
    ),
    (
        CsvColumn::Phone,
        &[
            "phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "mobile phone",
            "phone number",
            "business phone",
            "telefono",
            "movil",
            "telefono movil",
            "cell phone",
            "work phone",
            "home phone",
            "mobile number",
            "celular",
            "telefon",
            "handy",
            "phone mobile",
            "phone work",
            "phone home",
            "phone other",
            "portable",
        ],
    ),
    (
        CsvColumn::Revenue,
        &[
            "revenue",
            "turnover",
            "facturacion",
            "umsatz",
            "chiffre d affaires",
        ],
    ),
    (
        CsvColumn::Currency,
        &["currency", "moneda", "divisa", "devise", "wahrung"],
    ),
    (
        CsvColumn::Title,
        &[
            "title",
            "job title",
            "position",
            "cargo",
            "puesto",
            "poste",
            "fonction",
            "titel",
            "funktion",
        ],
    ),
    (
        CsvColumn::Email,
        &[
            "email",
            "e mail",
            "mail",
            "email address",
            "e mail address",
            "correo",
            "correo electronico",
            "courriel",
            // Thunderbird's and Roundcube's address books: several, the first non-empty wins.
            "primary email",
            "secondary email",
            "email home",
            "email work",
            "email other",
            "e mail home",
            "e mail work",
            "e mail other",
        ],
    ),
    (
        CsvColumn::Birthday,
        &[
            "birthday",
            "date of birth",
            "dob",
            "birth date",
            "cumpleanos",
            "fecha de nacimiento",
            "anniversaire",
            "geburtstag",
        ],
    ),
    (
        CsvColumn::Notes,
        &[
            "notes",
            "note",
            "about",
            "description",
            "comments",
            "comment",
            "notas",
            "observaciones",
            "remarques",
            "notizen",
            "bemerkungen",
            "personal",
        ],
    ),
    (
        CsvColumn::Tags,
        &["tags", "labels", "etiquetas", "keywords", "groups"],
    ),
    (
        CsvColumn::OurSales,
        &[
            "our sales",
            "sales",
            "sales to",
            "our sales to them",
            "ventas",
            "ventas a",
            "nuestras ventas",
        ],
    ),
    (CsvColumn::Stage, &["stage", "etapa", "fase"]),
    (CsvColumn::Needs, &["needs", "necesidades"]),
    (CsvColumn::Plans, &["plans", "planes"]),
    (
        CsvColumn::Competitors,
        &["competitors", "competencia", "competidores"],
    ),
    (CsvColumn::Role, &["role", "buying role"]),
    (CsvColumn::Influence, &["influence", "influencia"]),
    (CsvColumn::Attitude, &["attitude", "actitud"]),
    (CsvColumn::Languages, &["languages", "idiomas"]),
    (CsvColumn::BirthYear, &["birth year", "birthyear"]),
    (CsvColumn::BirthMonth, &["birth month", "birthmonth"]),
    (
        CsvColumn::BirthDay,
        &["birth day", "birthday day", "birthday of month"],
    ),
    (
        CsvColumn::Salutation,
        &[
            "salutation",
            "name prefix",
            "prefix",
            "honorific",
            "tratamiento",
            "anrede",
            "civilite",
        ],
    ),
    (CsvColumn::CreatedAt, &["created at"]),
    (CsvColumn::UpdatedAt, &["updated at"]),
];

/// A numbered column of Google's or Outlook's contacts export (`E-mail 1 - Value`,
/// `Phone 2 - Value`, `Organization 1 - Name`, `E-mail 2 Address`), without its number; several
/// may fill one field and the first non-empty one wins.
const NUMBERED: &[(CsvColumn, &str)] = &[
    (CsvColumn::Email, "e mail value"),
    (CsvColumn::Email, "email value"),
    (CsvColumn::Email, "e mail address"),
    (CsvColumn::Phone, "phone value"),
    (CsvColumn::Account, "organization name"),
    (CsvColumn::Title, "organization title"),
];

impl CsvColumn {
    pub fn name(self) -> &'static str {
        match self {
            CsvColumn::Uid => "uid",
            CsvColumn::Name => "name",
            CsvColumn::FirstName => "first name",
            CsvColumn::LastName => "last name",
            CsvColumn::Account => "account",
            CsvColumn::Kind => "kind",
            CsvColumn::Tier => "tier",
            CsvColumn::Territory => "territory",
            CsvColumn::City => "city",
            CsvColumn::Country => "country",
            CsvColumn::Address => "address",
            CsvColumn::Website => "website",
            CsvColumn::Phone => "phone",
            CsvColumn::Revenue => "revenue",
            CsvColumn::Currency => "currency",
            CsvColumn::Title => "title",
            CsvColumn::Salutation => "salutation",
            CsvColumn::Email => "email",
            CsvColumn::Birthday => "birthday",
            CsvColumn::BirthYear => "birthday (year)",
            CsvColumn::BirthMonth => "birthday (month)",
            CsvColumn::BirthDay => "birthday (day)",
            CsvColumn::Notes => "notes",
            CsvColumn::Tags => "tags",
            CsvColumn::OurSales => "our_sales",
            CsvColumn::Stage => "stage",
            CsvColumn::Needs => "needs",
            CsvColumn::Plans => "plans",
            CsvColumn::Competitors => "competitors",
            CsvColumn::Role => "role",
            CsvColumn::Influence => "influence",
            CsvColumn::Attitude => "attitude",
            CsvColumn::Languages => "languages",
            CsvColumn::CreatedAt => "created_at",
            CsvColumn::UpdatedAt => "updated_at",
        }
    }

    /// The field a header means, if any.
    pub fn of_header(header: &str) -> Option<CsvColumn> {
        let key = fold(header);
        SYNONYMS
            .iter()
            .find(|(_, names)| names.contains(&key.as_str()))
            .map(|(f, _)| *f)
            .or_else(|| CsvColumn::of_numbered(header))
    }

    /// The field of a numbered contacts column (`E-mail 1 - Value`), if `header` is one.
    pub fn of_numbered(header: &str) -> Option<CsvColumn> {
        let key = fold(header);
        let is_number = |w: &&str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        let words: Vec<&str> = key.split(' ').collect();
        // `E-mail Address` is the first of Outlook's numbered columns (`E-mail 2 Address`).
        if !words.iter().any(is_number) && key != "e mail address" {
            return None;
        }
        let bare = words
            .iter()
            .filter(|w| !is_number(w))
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        NUMBERED
            .iter()
            .find(|(_, name)| *name == bare)
            .map(|(f, _)| *f)
    }

    fn fits(self, table: Table) -> bool {
        match table {
            Table::People => matches!(
                self,
                CsvColumn::Uid
                    | CsvColumn::Name
                    | CsvColumn::FirstName
                    | CsvColumn::LastName
                    | CsvColumn::Account
                    | CsvColumn::Title
                    | CsvColumn::Salutation
                    | CsvColumn::Phone
                    | CsvColumn::Email
                    | CsvColumn::Birthday
                    | CsvColumn::BirthYear
                    | CsvColumn::BirthMonth
                    | CsvColumn::BirthDay
                    | CsvColumn::Notes
                    | CsvColumn::Tags
                    | CsvColumn::Role
                    | CsvColumn::Influence
                    | CsvColumn::Attitude
                    | CsvColumn::Stage
                    | CsvColumn::Languages
                    | CsvColumn::CreatedAt
                    | CsvColumn::UpdatedAt
            ),
            _ => !matches!(
                self,
                CsvColumn::FirstName
                    | CsvColumn::LastName
                    | CsvColumn::Title
                    | CsvColumn::Salutation
                    | CsvColumn::Email
                    | CsvColumn::Birthday
                    | CsvColumn::BirthYear
                    | CsvColumn::BirthMonth
                    | CsvColumn::BirthDay
                    | CsvColumn::Role
                    | CsvColumn::Influence
                    | CsvColumn::Attitude
                    | CsvColumn::Languages
            ),
        }
    }
}

/// How the header row was understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub table: Table,
    /// Each column's header and the field it fills (`None`: ignored).
    pub columns: Vec<(String, Option<CsvColumn>)>,
    /// Why a column was ignored, when it has a reason beyond "unknown".
    pub reasons: Vec<Option<String>>,
}

impl Mapping {
    /// The column index of `field`.
    pub fn index(&self, field: CsvColumn) -> Option<usize> {
        self.columns.iter().position(|(_, f)| *f == Some(field))
    }

    /// Every column that fills `field`, in order (several for numbered contacts columns).
    pub fn indices(&self, field: CsvColumn) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter(move |(_, (_, f))| *f == Some(field))
            .map(|(i, _)| i)
    }

    /// Lines for the user: `Reading rows as people:`, `  "Company" → account`, ...
    pub fn describe(&self) -> Vec<String> {
        let mut out = vec![format!("Reading rows as {}; columns:", self.table.name())];
        for ((header, field), reason) in self.columns.iter().zip(&self.reasons) {
            let shown = crate::text::sanitize_line(header);
            out.push(match (field, reason) {
                (Some(f), _) => format!("  \"{shown}\" → {}", f.name()),
                (None, Some(r)) => format!("  \"{shown}\" ignored ({r})"),
                (None, None) => format!("  \"{shown}\" ignored (unknown column)"),
            });
        }
        out
    }
}

/// A header mapping and the data rows: (line, cells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub mapping: Mapping,
    pub rows: Vec<(u64, Vec<String>)>,
    /// What the import report should say about the file (a quoted cell over many lines).
    pub notes: Vec<String>,
    /// The lines where a quoted cell opens that runs over lines looking like rows (most likely a
    /// stray quote that swallowed them): the import refuses the file unless forced.
    pub suspect_lines: Vec<u64>,
}

fn detect(fields: &[Option<CsvColumn>]) -> Table {
    let has = |f| fields.contains(&Some(f));
    if has(CsvColumn::FirstName)
        || has(CsvColumn::LastName)
        || has(CsvColumn::Email)
        || has(CsvColumn::Title)
        || has(CsvColumn::Birthday)
        || has(CsvColumn::BirthMonth)
        || has(CsvColumn::Role)
        || has(CsvColumn::Influence)
        || has(CsvColumn::Attitude)
        || (has(CsvColumn::Name) && has(CsvColumn::Account))
    {
        Table::People
    } else {
        Table::Accounts
    }
}

/// Reads the sheet; `table` forces what rows are. Separator: `,`, or `;` when the header has
/// more semicolons than commas (a European Excel's CSV).
pub fn read(text: &str, table: Option<Table>) -> Result<Sheet, ImportError> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(&e)),
        None => {
            return Err(line_error(
                1,
                None,
                "the file is empty; a CSV import needs a header row",
            ));
        }
    };
    let fields: Vec<Option<CsvColumn>> = header.iter().map(CsvColumn::of_header).collect();
    let table = table.unwrap_or_else(|| detect(&fields));
    let mut columns: Vec<(String, Option<CsvColumn>)> = Vec::new();
    let mut reasons = Vec::new();
    for (i, (h, f)) in header.iter().zip(&fields).enumerate() {
        let (f, reason) = match f {
            // Outlook's "Title" is the salutation (Mr., Dr.) when a "Job Title" column follows.
            Some(CsvColumn::Title)
                if fold(h) == "title"
                    && header.iter().any(|o| fold(o) == "job title")
                    && !fields.contains(&Some(CsvColumn::Salutation)) =>
            {
                (Some(CsvColumn::Salutation), None)
            }
            Some(f) if !f.fits(table) => (
                None,
                Some(format!("{} is not kept for {}", f.name(), table.name())),
            ),
            Some(f)
                if !fallback(*f, h, &columns)
                    && fields[..i].contains(&Some(*f))
                    && columns.iter().any(|(_, g)| g == &Some(*f)) =>
            {
                (
                    None,
                    Some(format!("a column before it is the {}", f.name())),
                )
            }
            Some(f) => (Some(*f), None),
            None => (None, None),
        };
        columns.push((h.trim().to_string(), f));
        reasons.push(reason);
    }
    let mapping = Mapping {
        table,
        columns,
        reasons,
    };
    if !names_a_record(&mapping) {
        return Err(line_error(
            1,
            None,
            format!(
                "no column names the {}; name one \"Name\"{} (found: {})",
                if table == Table::People {
                    "person"
                } else {
                    "account"
                },
                if table == Table::People {
                    " or \"First name\" and \"Last name\""
                } else {
                    " or \"Company\""
                },
                header
                    .iter()
                    .map(|h| format!("\"{}\"", crate::text::sanitize_line(h)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let (notes, suspect_lines) = check_quotes(text, delimiter, &mapping)?;
    Ok(Sheet {
        mapping,
        rows: data_rows(text, records)?,
        notes,
        suspect_lines,
    })
}

/// Whether some column names each row's record (for people, an e-mail will do: an address
/// book of e-mails alone names each person by their e-mail).
fn names_a_record(mapping: &Mapping) -> bool {
    let has = |f| mapping.index(f).is_some();
    has(CsvColumn::Name)
        || (mapping.table == Table::People
            && (has(CsvColumn::FirstName) || has(CsvColumn::LastName) || has(CsvColumn::Email)))
        || (mapping.table == Table::Accounts && has(CsvColumn::Account))
}

/// Catches a stray quote before it swallows rows: the reader takes a quote at the start of a
/// cell as opening a quoted cell that runs, over line ends, to the next quote — so one stray
/// quote makes the rest of the file (or everything up to the next stray quote) a single cell,
/// and those rows vanish without a word. Walks the text as the reader does and refuses a quoted
/// cell that never closes, and one that spans lines and closes in the middle of a cell (neither
/// is valid CSV); the error names the line where the cell opened and its column. A valid
/// quoted cell whose inner lines each hold exactly a row's separators (rows, not text, most
/// likely) is read, with a note naming its lines and its opening line among the suspects (the
/// import refuses those unless forced). Quotes inside an unquoted cell stay text.
fn check_quotes(
    text: &str,
    delimiter: u8,
    mapping: &Mapping,
) -> Result<(Vec<String>, Vec<u64>), ImportError> {
    let bytes = text.as_bytes();
    let row_separators = mapping.columns.len().saturating_sub(1);
    let column = |i: usize| mapping.columns.get(i).map(|(h, _)| h.as_str());
    let advice = "remove the stray quote, or write a quote inside a quoted cell as \"\"";
    let (mut i, mut line, mut col, mut cell_start) = (0_usize, 1_u64, 0_usize, true);
    let (mut notes, mut suspects) = (Vec::new(), Vec::new());
    while i < bytes.len() {
        let b = bytes[i];
        if !(cell_start && b == b'"') {
            match b {
                b'\n' => {
                    line += 1;
                    col = 0;
                    cell_start = true;
                }
                b'\r' => {
                    col = 0;
                    cell_start = true;
                }
                _ if b == delimiter => {
                    col += 1;
                    cell_start = true;
                }
                _ => cell_start = false,
            }
            i += 1;
            continue;
        }
        // A quoted cell: find its closing quote (`""` is a quote inside it).
        let opened = line;
        let (mut breaks, mut separators, mut all_rows) = (0_u64, 0_usize, true);
        i += 1;
        loop {
            match bytes.get(i) {
                None => {
                    let last = if text.ends_with('\n') { line - 1 } else { line };
                    return Err(line_error(
                        opened,
                        column(col),
                        format!(
                            "a quoted cell opens here and never closes: lines {opened} to \
                             {last} (the end of the file) would be this one cell; {advice}"
                        ),
                    ));
                }
                Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                Some(b'"') => {
                    i += 1;
                    break;
                }
                Some(b'\n') => {
                    // A whole line inside the cell: does it look like a row?
                    if breaks > 0 && separators != row_separators {
                        all_rows = false;
                    }
                    breaks += 1;
                    line += 1;
                    separators = 0;
                    i += 1;
                }
                Some(&c) => {
                    if c == delimiter {
                        separators += 1;
                    }
                    i += 1;
                }
            }
        }
        if breaks == 0 {
            cell_start = false;
            continue;
        }
        let mut after = i;
        while matches!(bytes.get(after), Some(b' ')) {
            after += 1;
        }
        let ends_cell = matches!(bytes.get(after), None | Some(b'\n' | b'\r'))
            || bytes.get(after) == Some(&delimiter);
        if !ends_cell {
            return Err(line_error(
                opened,
                column(col),
                format!(
                    "a quoted cell opens here and runs to line {line}, where it closes in the \
                     middle of a cell: the lines between would be this one cell; {advice}"
                ),
            ));
        }
        if breaks >= 2 && all_rows && row_separators > 0 {
            suspects.push(opened);
            notes.push(format!(
                "line {opened}: one quoted {} cell runs to line {line}, over lines that look \
                 like rows; if rows are missing, look for a stray quote on line {opened}",
                crate::text::sanitize_line(column(col).unwrap_or("")),
            ));
        }
        cell_start = false;
    }
    Ok((notes, suspects))
}

/// Whether the column `header` for `field`, after others for it in `columns`, is a fallback
/// rather than a clash: phones and e-mails (Business, Mobile, Home Phone...) always, numbered
/// contact columns after numbered ones. The first non-empty cell wins.
fn fallback(field: CsvColumn, header: &str, columns: &[(String, Option<CsvColumn>)]) -> bool {
    matches!(field, CsvColumn::Phone | CsvColumn::Email)
        || (CsvColumn::of_numbered(header).is_some()
            && columns
                .iter()
                .filter(|(_, g)| *g == Some(field))
                .all(|(prev, _)| CsvColumn::of_numbered(prev).is_some()))
}

/// The data rows (blank ones left out) with the line each starts on, cells trimmed and
/// unguarded.
fn data_rows(
    text: &str,
    records: impl Iterator<Item = Result<::csv::StringRecord, ::csv::Error>>,
) -> Result<Vec<(u64, Vec<String>)>, ImportError> {
    let mut rows = Vec::new();
    // The line a record starts on, counted from its byte offset: the reader's own line count
    // is one short after a CRLF line end.
    let bytes = text.as_bytes();
    let (mut seen, mut line) = (0_usize, 1_u64);
    for rec in records {
        let rec = rec.map_err(|e| csv_error(&e))?;
        let mut start = rec
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(seen)
            .clamp(seen, bytes.len());
        // Blank lines before the record are skipped by the reader, not part of it.
        while matches!(bytes.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += text.get(seen..start).map_or(0, |t| t.matches('\n').count()) as u64;
        seen = start;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((
            line,
            rec.iter().map(|c| unguard(c.trim()).to_string()).collect(),
        ));
    }
    Ok(rows)
}

/// A cell without the `'` our export's formula guard put before `= + - @`, tab or CR.
pub fn unguard(cell: &str) -> &str {
    const STARTERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(STARTERS) => rest,
        _ => cell,
    }
}

fn csv_error(e: &::csv::Error) -> ImportError {
    let line = e.position().map_or(1, ::csv::Position::line);
    line_error(line, None, format!("is not valid CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn headers_map_by_synonym_case_and_accents() {
        assert_eq!(CsvColumn::of_header("E-Mail"), Some(CsvColumn::Email));
        assert_eq!(CsvColumn::of_header(" Teléfono "), Some(CsvColumn::Phone));
        assert_eq!(CsvColumn::of_header("COMPAÑÍA"), Some(CsvColumn::Account));
        assert_eq!(
            CsvColumn::of_header("Fecha de nacimiento"),
            Some(CsvColumn::Birthday)
        );
        assert_eq!(CsvColumn::of_header("Shoe size"), None);
    }

    #[test]
    fn thunderbird_and_roundcube_columns_and_a_sheet_of_emails() {
        let s = read(
            "First Name,Last Name,Display Name,Primary Email,Secondary Email,Email Work,\
             Phone Mobile,Birth Year,Birth Month,Birth Day\na,b,c,d,e,f,g,1980,4,12\n",
            None,
        )
        .expect("reads");
        assert_eq!(s.mapping.table, Table::People);
        let fields: Vec<Option<CsvColumn>> = s.mapping.columns.iter().map(|(_, f)| *f).collect();
        assert_eq!(
            fields,
            [
                Some(CsvColumn::FirstName),
                Some(CsvColumn::LastName),
                Some(CsvColumn::Name),
                Some(CsvColumn::Email),
                Some(CsvColumn::Email),
                Some(CsvColumn::Email),
                Some(CsvColumn::Phone),
                Some(CsvColumn::BirthYear),
                Some(CsvColumn::BirthMonth),
                Some(CsvColumn::BirthDay),
            ]
        );
        let s = read("Email\nana@x.es\n", None).expect("an e-mail names the person");
        assert_eq!(s.mapping.table, Table::People);
        assert!(read("Shoe size\n42\n", Some(Table::People)).is_err());
    }

    #[test]
    fn a_people_sheet_with_an_unknown_column_and_semicolons() {
        let s = read(
            "Nombre;Apellidos;Empresa;Correo;Shoe size\nAna;Peña;Clínic;a@x.es;42\n\n",
            None,
        )
        .expect("reads");
        assert_eq!(s.mapping.table, Table::People);
        let lines = s.mapping.describe();
        assert_eq!(lines[0], "Reading rows as people; columns:");
        assert!(
            lines.contains(&"  \"Shoe size\" ignored (unknown column)".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"  \"Empresa\" → account".to_string()),
            "{lines:?}"
        );
        assert_eq!(
            s.rows,
            vec![(
                2,
                vec![
                    "Ana".into(),
                    "Peña".into(),
                    "Clínic".into(),
                    "a@x.es".into(),
                    "42".into()
                ]
            )]
        );
    }

    #[test]
    fn an_accounts_sheet_and_one_without_a_name() {
        let s = read("Company,City,Tier\n\"Hospital, Central\",Madrid,A\n", None).expect("reads");
        assert_eq!(s.mapping.table, Table::Accounts);
        assert_eq!(s.rows[0].1[0], "Hospital, Central");
        let e = read("City,Tier\nMadrid,A\n", None).expect_err("no name");
        assert!(e.to_string().contains("no column names the account"), "{e}");
        let e = read("Name,Title\n\"broken\n", None);
        assert!(e.is_ok() || e.expect_err("x").line().is_some());
    }

    #[test]
    fn rows_keep_their_line_with_crlf_and_quoted_newlines() {
        let s = read(
            "Company,About\r\nA,x\r\nB,\"two\r\nlines\"\r\n\r\nC,y\r\n",
            None,
        )
        .expect("reads");
        let lines: Vec<u64> = s.rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 3, 6]);
    }

    /// A 100-row sheet whose row `stray` (its line is `stray + 1`) has `cell` as its name.
    fn hundred_rows(stray: usize, cell: &str) -> String {
        let mut s = String::from("Name,City\n");
        for i in 1..=100 {
            if i == stray {
                writeln!(s, "{cell},Town {i}").unwrap();
            } else {
                writeln!(s, "Account {i},Town {i}").unwrap();
            }
        }
        s
    }

    #[test]
    fn a_stray_quote_opening_a_cell_that_never_closes_is_refused_at_its_line() {
        let e = read(&hundred_rows(3, "\"Acme Corp"), None).expect_err("stray quote");
        assert_eq!(e.line(), Some(4), "{e}");
        let text = e.to_string();
        assert!(text.contains("Name"), "{text}");
        assert!(text.contains("never closes"), "{text}");
        assert!(text.contains("lines 4 to 101"), "{text}");
    }

    #[test]
    fn a_quoted_cell_swallowing_rows_up_to_another_stray_quote_is_refused() {
        // The quote opening row 3 closes in the middle of row 80's name: rows 4 to 79 would
        // have been one cell.
        let mut text = hundred_rows(3, "\"Acme Corp");
        text = text.replace("Account 80,", "Account \"80,");
        let e = read(&text, None).expect_err("stray quotes");
        assert_eq!(e.line(), Some(4), "{e}");
        assert!(e.to_string().contains("line 81"), "{e}");
        // Closing right at the end of a cell is valid CSV: read, with a note naming the lines
        // that look like rows (the report says how few rows that left).
        let mut text = hundred_rows(3, "\"Acme Corp");
        text = text.replace("Account 80,", "Account 80\",");
        let s = read(&text, None).expect("valid CSV");
        assert_eq!(s.rows.len(), 23);
        assert_eq!(s.notes.len(), 1, "{:?}", s.notes);
        assert!(s.notes[0].starts_with("line 4: "), "{:?}", s.notes);
        assert!(s.notes[0].contains("line 81"), "{:?}", s.notes);
        assert_eq!(s.suspect_lines, [4]);
    }

    #[test]
    fn quoted_cells_over_several_lines_that_are_not_rows_still_read() {
        let s = read(
            "Name,Address,City\nA,\"Calle Mayor 1\n2º izq.\nEdificio Sur\",Madrid\nB,\"say \"\"hi\"\"\",x\nC,\"one, two\",y\n",
            None,
        )
        .expect("reads");
        assert_eq!(s.rows.len(), 3);
        assert!(s.notes.is_empty(), "{:?}", s.notes);
        assert!(s.suspect_lines.is_empty());
        assert_eq!(s.rows[0].1[1], "Calle Mayor 1\n2º izq.\nEdificio Sur");
        assert_eq!(s.rows[1].1[1], "say \"hi\"");
        // A quote inside an unquoted cell is text (12" screens), as the reader has it.
        let s = read("Name,Note\nA,12\" screen\nB,x\n", None).expect("reads");
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].1[1], "12\" screen");
    }

    #[test]
    fn sales_is_our_sales_and_numbered_contact_columns_map() {
        assert_eq!(CsvColumn::of_header("Sales"), Some(CsvColumn::OurSales));
        assert_eq!(CsvColumn::of_header("our_sales"), Some(CsvColumn::OurSales));
        assert_eq!(CsvColumn::of_header("Ventas"), Some(CsvColumn::OurSales));
        assert_eq!(CsvColumn::of_header("Turnover"), Some(CsvColumn::Revenue));
        assert_eq!(
            CsvColumn::of_header("E-mail 3 - Value"),
            Some(CsvColumn::Email)
        );
        assert_eq!(
            CsvColumn::of_header("Phone 1 - Value"),
            Some(CsvColumn::Phone)
        );
        assert_eq!(CsvColumn::of_header("Phone 1 - Type"), None);
        assert_eq!(
            CsvColumn::of_header("Organization 2 - Name"),
            Some(CsvColumn::Account)
        );
        assert_eq!(
            CsvColumn::of_header("Organization 1 - Title"),
            Some(CsvColumn::Title)
        );
        // Outlook's phones: the first non-empty one wins; two plain names are refused.
        let s = read("Name,Business Phone,Mobile Phone\nA,,+34 6\n", None).expect("reads");
        assert_eq!(
            s.mapping.indices(CsvColumn::Phone).collect::<Vec<_>>(),
            vec![1, 2]
        );
        let s = read("Name,City,Ciudad\nA,x,y\n", None).expect("reads");
        assert_eq!(s.mapping.indices(CsvColumn::City).count(), 1);
        let s = read("Name,E-mail 1 - Value,E-mail 2 - Value\nA,,b@x\n", None).expect("reads");
        assert_eq!(
            s.mapping.indices(CsvColumn::Email).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }

    #[test]
    fn outlooks_salutation_title_gives_way_to_its_job_title() {
        let s = read(
            "Title,First Name,Last Name,Job Title\nDr.,Ana,Ruiz,Buyer\n",
            None,
        )
        .expect("reads");
        assert_eq!(s.mapping.index(CsvColumn::Title), Some(3));
        assert_eq!(s.mapping.index(CsvColumn::Salutation), Some(0));
        let described = s.mapping.describe();
        assert!(
            described
                .iter()
                .any(|l| l.contains("\"Title\"") && l.contains("salutation")),
            "{described:?}"
        );
        let s = read(
            "Name Prefix,Given Name,Family Name\nDra.,Carmen,Peña\n",
            None,
        )
        .expect("reads");
        assert_eq!(s.mapping.index(CsvColumn::Salutation), Some(0));
        let s = read("Name,Title\nAna,Buyer\n", None).expect("reads");
        assert_eq!(s.mapping.index(CsvColumn::Title), Some(1));
    }

    #[test]
    fn the_guard_is_removed_on_reading() {
        assert_eq!(unguard("'+34 600"), "+34 600");
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'quoted'"), "'quoted'");
    }
}

#[cfg(test)]
mod round_trip {
    use proptest::prelude::*;

    use super::*;
    use crate::interop::csv::guard;

    fn cell() -> impl Strategy<Value = String> {
        // Quotes, separators, newlines, formula starters and any script; no leading or
        // trailing blanks (the reader trims cells).
        "[=+@a-zA-Z0-9 ,;\"'\n\\-áñ中Ω]{0,30}".prop_map(|s| s.trim().to_string())
    }

    proptest! {
        /// Cells written the way the export writes them (guarded, RFC 4180 quoted) read back
        /// as they were.
        #[test]
        fn cells_come_back_through_guard_and_quoting(
            rows in proptest::collection::vec((cell(), cell(), cell()), 1..6)
        ) {
            let mut w = ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::CRLF)
                .from_writer(Vec::new());
            w.write_record(["Company", "City", "Phone"]).unwrap();
            for (a, b, c) in &rows {
                let name = format!("X{a}");
                w.write_record([guard(&name).into_owned(), guard(b).into_owned(), guard(c).into_owned()]).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let sheet = read(&text, Some(Table::Accounts)).expect("reads");
            let want: Vec<Vec<String>> = rows
                .iter()
                .filter(|(a, b, c)| !(format!("X{a}").is_empty() && b.is_empty() && c.is_empty()))
                .map(|(a, b, c)| vec![format!("X{a}"), b.clone(), c.clone()])
                .collect();
            let got: Vec<Vec<String>> = sheet.rows.into_iter().map(|(_, r)| r).collect();
            prop_assert_eq!(got, want);
        }
    }
}
