//! Names and note text for the benchmark notebook: a small splitmix64 generator and the
//! word lists that give the data the reference generator's mix of scripts (Spanish accents,
//! German, Polish/Czech, Turkish, Vietnamese, Cyrillic, CJK, Hangul, an emoji now and then).
//!
//! Everything here is a pure function of the generator's state, so a seed always gives the
//! same notebook.

/// splitmix64: tiny, fast, and good enough to shape benchmark data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    #[allow(
        clippy::cast_precision_loss,
        reason = "53 bits fill an f64 mantissa exactly"
    )]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// Uniform in `[0, n)`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        // Modulo bias is irrelevant at these sizes.
        usize::try_from(self.next_u64() % n).unwrap_or(0)
    }

    /// Uniform in `[lo, hi]`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1);
        lo + i64::try_from(self.next_u64() % span).unwrap_or(0)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A standard normal draw (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A Pareto(α) draw with scale 1.
    pub fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / alpha)
    }
}

/// A language of names and notes, with its share of the data.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Es,
    En,
    De,
    Fr,
    Ru,
    Pl,
    Tr,
    Ja,
    Zh,
    Ko,
    Vi,
}

const LOCALES: &[(Locale, u32)] = &[
    (Locale::Es, 22),
    (Locale::En, 15),
    (Locale::De, 10),
    (Locale::Fr, 8),
    (Locale::Ru, 10),
    (Locale::Pl, 10),
    (Locale::Tr, 4),
    (Locale::Ja, 4),
    (Locale::Zh, 4),
    (Locale::Ko, 2),
    (Locale::Vi, 2),
];

pub fn locale(rng: &mut Rng) -> Locale {
    let total: u32 = LOCALES.iter().map(|(_, w)| w).sum();
    let mut roll = u32::try_from(rng.below(total as usize)).unwrap_or(0);
    for &(l, w) in LOCALES {
        if roll < w {
            return l;
        }
        roll -= w;
    }
    Locale::En
}

#[allow(clippy::too_many_lines, reason = "a table")]
fn names(l: Locale) -> (&'static [&'static str], &'static [&'static str]) {
    match l {
        Locale::Es => (
            &[
                "María", "Marta", "Mario", "Iván", "Íñigo", "Lucía", "José", "Carmen", "Álvaro",
                "Sofía", "Javier", "Begoña",
            ],
            &[
                "Núñez",
                "Peña",
                "García",
                "Martínez",
                "Ibáñez",
                "López",
                "Muñoz",
                "Sánchez",
                "Gómez",
                "Fernández",
            ],
        ),
        Locale::En => (
            &[
                "Mark", "Mary", "James", "Olivia", "Martin", "Emma", "Liam", "Grace", "Noah",
                "Chloe",
            ],
            &[
                "O'Brien", "Smith", "Marsh", "Taylor", "Walker", "Hughes", "Clarke", "Wright",
            ],
        ),
        Locale::De => (
            &[
                "Markus", "Jürgen", "Anna", "Lukas", "Sabine", "Jörg", "Marie", "Günther",
            ],
            &[
                "Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Marx", "Böhm", "Krämer",
            ],
        ),
        Locale::Fr => (
            &[
                "Margaux",
                "Hélène",
                "Léa",
                "François",
                "Amélie",
                "Étienne",
                "Marc",
                "Zoé",
            ],
            &[
                "Lefèvre",
                "Moreau",
                "Dubois",
                "Gérard",
                "Mercier",
                "Barthélemy",
                "Roux",
            ],
        ),
        Locale::Ru => (
            &[
                "Иван",
                "Марина",
                "Алексей",
                "Ольга",
                "Дмитрий",
                "Ёлка",
                "Ґанна",
                "Сергей",
            ],
            &[
                "Григорьев",
                "Ёлкина",
                "Смирнов",
                "Кузнецова",
                "Попов",
                "Соколова",
                "Шевченко",
            ],
        ),
        Locale::Pl => (
            &[
                "Marek",
                "Mariusz",
                "Łucja",
                "Tomáš",
                "Zdeněk",
                "Agnieszka",
                "Paweł",
                "Jiří",
            ],
            &[
                "Řezníček",
                "Wójcik",
                "Kowalczyk",
                "Dvořák",
                "Łukasiewicz",
                "Nowák",
            ],
        ),
        Locale::Tr => (
            &["Gülşen", "İsmail", "Çağrı", "Ayşe", "Mert", "Işıl"],
            &["Öztürk", "Yılmaz", "Şahin", "Çelik", "Doğan"],
        ),
        Locale::Ja => (
            &["太郎", "花子", "健", "陽子", "誠"],
            &["田中", "山田", "佐藤", "鈴木", "高橋"],
        ),
        Locale::Zh => (
            &["伟", "芳", "娜", "强", "敏"],
            &["王", "李", "张", "刘", "陈"],
        ),
        Locale::Ko => (&["민준", "서연", "지호", "하은"], &["김", "이", "박", "최"]),
        Locale::Vi => (
            &["Minh", "Đức", "Thảo", "Hương", "Quang"],
            &["Nguyễn", "Trần", "Phạm", "Đặng"],
        ),
    }
}

/// A person's full name, family name first where that is the custom.
pub fn person_name(rng: &mut Rng, l: Locale) -> String {
    let (given, family) = names(l);
    let g = rng.pick(given);
    let f = rng.pick(family);
    match l {
        Locale::Ja | Locale::Ko | Locale::Vi => format!("{f} {g}"),
        Locale::Zh => format!("{f}{g}"),
        _ => format!("{g} {f}"),
    }
}

/// An account name in the style of its country, with a number so names rarely repeat.
pub fn account_name(rng: &mut Rng, l: Locale, n: usize) -> String {
    let (_, family) = names(l);
    let f = rng.pick(family);
    let name = match l {
        Locale::Es => format!("{f} & Hijos Distribución S.L. {n}"),
        Locale::En => format!("{f} Healthcare Ltd {n}"),
        Locale::De => format!("{f} Großhandel GmbH {n}"),
        Locale::Fr => format!("Pharmacie {f} SARL {n}"),
        Locale::Ru => format!("ООО «{f}-Логистика» {n}"),
        Locale::Pl => format!("{f} Hurtownia sp. z o.o. {n}"),
        Locale::Tr => format!("{f} Lojistik A.Ş. {n}"),
        Locale::Ja => format!("株式会社{f}製作所 {n}"),
        Locale::Zh => format!("{f}氏医药有限公司 {n}"),
        Locale::Ko => format!("{f}테크 주식회사 {n}"),
        Locale::Vi => format!("Công ty {f} {n}"),
    };
    if rng.chance(0.01) {
        format!("{name} {}", rng.pick(EMOJI))
    } else {
        name
    }
}

pub const CITIES: &[&str] = &[
    "Sevilla",
    "Madrid",
    "Ростов-на-Дону",
    "東京",
    "İstanbul",
    "Łódź",
    "München",
    "Lyon",
    "서울",
    "Đà Nẵng",
    "上海",
    "London",
];

pub const EMOJI: &[&str] = &["👍🏽", "🇪🇸", "👨‍👩‍👧", "⚠️", "☕", "🎉"];

const SENTENCES_EN: &[&str] = &[
    "Discussed the renewal of the supply contract for next year.",
    "They want a contract draft before the board meets in March.",
    "Pricing pressure from a competitor; procurement asked for 8% off.",
    "Agreed to send the updated forecast and the logistics plan by Friday.",
    "The head of pharmacy is worried about delivery times to the north.",
    "Good meeting, warm tone; she asked about our training programme.",
    "Tender documents expected next month, we need the references ready.",
    "Follow up on the invoice dispute (#4471) with finance.",
];

const SENTENCES_ES: &[&str] = &[
    "Hablamos de la renovación del contrato con el director de compras.",
    "Piden un borrador del contrato antes de la reunión del consejo.",
    "Preocupación por los plazos de entrega en Andalucía; revisar logística.",
    "Muy buena sintonía con Íñigo, quiere visitar nuestra planta.",
];

const SENTENCES_DE: &[&str] = &[
    "Verlängerung des Rahmenvertrags besprochen, Entscheidung im Q2.",
    "Der Einkauf möchte 5 % Nachlass; Rücksprache mit Herrn Müller nötig.",
    "Schulung für das Lagerteam angeboten, große Zustimmung.",
];

const SENTENCES_FR: &[&str] = &[
    "Échange sur le renouvellement du contrat et les délais de livraison.",
    "Le pharmacien en chef souhaite une présentation à l'équipe.",
];

const SENTENCES_RU: &[&str] = &[
    "Обсудили продление договора поставки на следующий год.",
    "Закупки просят скидку 7 %; нужен ответ до конца месяца.",
    "Склад в Ростове-на-Дону перегружен, сроки поставки растут.",
];

const SENTENCES_JA: &[&str] = &[
    "田中様と契約更新について打ち合わせ。来月までに見積もりを送付。",
    "物流の遅延について懸念あり。改善案を提示する予定。",
];

const SENTENCES_ZH: &[&str] = &["与采购部门讨论了续约事宜，对方希望降价。"];

/// Pseudo-words that give the full-text index a realistic number of distinct terms.
const SYLLABLES: &[&str] = &[
    "te", "sa", "ign", "bi", "vis", "ne", "lo", "mar", "ku", "dra", "pel", "os", "rin", "ta", "vo",
    "qu", "el", "stra", "mi", "con",
];

fn sentences(l: Locale) -> &'static [&'static str] {
    match l {
        Locale::Es => SENTENCES_ES,
        Locale::De => SENTENCES_DE,
        Locale::Fr => SENTENCES_FR,
        Locale::Ru => SENTENCES_RU,
        Locale::Ja => SENTENCES_JA,
        Locale::Zh => SENTENCES_ZH,
        _ => SENTENCES_EN,
    }
}

fn filler(rng: &mut Rng, out: &mut String) {
    for _ in 0..rng.range(3, 12) {
        out.push(' ');
        for _ in 0..rng.range(2, 4) {
            out.push_str(rng.pick(SYLLABLES));
        }
    }
}

/// Note length in characters: log-normal, median ≈ 360, mean ≈ 460, clipped to 50–2000.
pub fn note_length(rng: &mut Rng) -> usize {
    let len = (360.0_f64.ln() + 0.72 * rng.normal())
        .exp()
        .clamp(50.0, 2000.0);
    // Clamped to 50–2000 above, so the conversion is exact enough and never negative.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let len = len as usize;
    len
}

/// A note body of about `chars` characters: 65 % English, otherwise in the account's
/// language with some English mixed in; 40 % of sentences padded with pseudo-words, the word
/// "renewal" in about a third of the notes, an emoji in ~3 %.
pub fn note_body(rng: &mut Rng, l: Locale, chars: usize) -> String {
    let own = if rng.chance(0.65) {
        SENTENCES_EN
    } else {
        sentences(l)
    };
    let mut out = String::with_capacity(chars * 2);
    let mut count = 0;
    while count < chars {
        if !out.is_empty() {
            out.push(if rng.chance(0.15) { '\n' } else { ' ' });
        }
        let pool = if rng.chance(0.8) { own } else { SENTENCES_EN };
        out.push_str(rng.pick(pool));
        if rng.chance(0.4) {
            filler(rng, &mut out);
        }
        count = out.chars().count();
    }
    let mut body: String = out.chars().take(chars).collect();
    if rng.chance(0.03) {
        body.push(' ');
        body.push_str(rng.pick(EMOJI));
    }
    body
}

const TITLES: &[&str] = &[
    "Quarterly business review",
    "Renewal talk",
    "Tender kick-off",
    "Visita a la planta",
    "Jahresgespräch",
    "Встреча с закупками",
    "契約更新の打ち合わせ",
    "Training session ☕",
    "Call with procurement",
];

/// A short title for a meeting or a note.
pub fn title(rng: &mut Rng) -> &'static str {
    rng.pick(TITLES)
}
