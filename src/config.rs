//! The user's settings: a small TOML file with one section per concern, every key optional.
//!
//! Where it is read from, first found wins: `--config PATH`, `$KAM_CONFIG`, then `config.toml` in
//! the platform config directory (e.g. `~/.config/kamnote/config.toml`). A missing default file
//! means the defaults; a file named on the command line or in `KAM_CONFIG` must exist. Unknown
//! keys are refused with the line they are on, so a typo never silently means "default". Only a
//! regular file (symlinks followed) of at most 1 MiB is read: a device or a FIFO is refused at once.
//!
//! ```toml
//! [cadence]          # days a relationship may go without contact, by account tier
//! a = 30
//! b = 60
//! c = 90
//! untiered = 90
//! influence_5 = 50     # percent of the tier's days for influence 5 (every 15 days in tier A)
//! influence_4 = 75     # ... for influence 4
//! influence_low = 150  # ... for influence 1-2
//! cooling = 50         # percent for a relationship already cooling
//! cooling_after = 200  # suggest `cooling` after this percent of the cadence without contact
//!
//! [deals]
//! commission_rate = 10.0   # percent, for deals without their own rate
//! tender_lead_days = 14    # tender milestones show in the agenda this many days ahead
//!
//! [privacy]
//! keep_interactions_years = 5   # `kam prune` erases interactions older than this (default: none)
//! passphrase_cmd = "pass show kam"   # prints an encrypted notebook's passphrase (never the passphrase itself)
//!
//! [sync]             # `kam sync`: two-way with a CalDAV calendar and a CardDAV address book
//! calendar = "https://dav.example.org/kam/calendar/"   # a CalDAV collection
//! contacts = "https://dav.example.org/kam/contacts/"   # a CardDAV address book
//! username = "kam"
//! password_cmd = "pass show dav"   # prints the password (never the password itself)
//! alarm = "15m"                    # VALARM before each meeting
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file name looked for in the platform config directory.
const FILE_NAME: &str = "config.toml";
/// A config file is a few lines; anything this big is not one.
const MAX_BYTES: u64 = 1 << 20;

/// All settings, each section defaulted when absent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub cadence: CadenceConfig,
    pub deals: DealsConfig,
    pub privacy: PrivacyConfig,
    pub sync: SyncConfig,
    pub compliance: ComplianceConfig,
}

/// Transfers of value to healthcare professionals (issue 14): the company's caps, warned when
/// a plan spend is recorded (the rules are in `crate::compliance`). No cap is set by default;
/// gifts are forbidden by default, as the EFPIA code has it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplianceConfig {
    /// The most a meal may cost per guest, in `currency`.
    pub meal_cap_per_guest: Option<f64>,
    /// Whether a gift to a healthcare professional is warned as forbidden.
    pub gifts_forbidden: bool,
    /// The most one person may receive in a calendar year, every transfer together.
    pub annual_limit_per_person: Option<f64>,
    /// The currency the caps are in; a plan kept in another is said not checked.
    pub currency: Option<String>,
}

impl Default for ComplianceConfig {
    fn default() -> Self {
        ComplianceConfig {
            meal_cap_per_guest: None,
            gifts_forbidden: true,
            annual_limit_per_person: None,
            currency: None,
        }
    }
}

/// The phone (issue 13): the CalDAV calendar and CardDAV address book `kam sync` keeps in step
/// with the notebook, who logs in, where the password comes from (a command, so the password is
/// never in a file; `KAM_SYNC_PASSWORD_CMD` overrides it), and how long before a meeting its
/// alarm rings in exported and synced events (before the leave-by time when the place's travel
/// minutes are known).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// The CalDAV collection's URL (meetings and open follow-ups).
    pub calendar: Option<String>,
    /// The CardDAV address book's URL (people).
    pub contacts: Option<String>,
    pub username: Option<String>,
    /// A command that prints the password (`pass show dav`).
    pub password_cmd: Option<String>,
    /// `15m`, `1h`, `1h30`; `off` (or `0`) writes no alarm.
    pub alarm: String,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            calendar: None,
            contacts: None,
            username: None,
            password_cmd: None,
            alarm: "15m".into(),
        }
    }
}

impl SyncConfig {
    /// The alarm's lead in minutes (`None`: no alarm), or why `alarm` is not one.
    pub fn alarm_minutes(&self) -> Result<Option<u16>, String> {
        alarm_lead(&self.alarm)
    }
}

/// Reads an alarm lead: `15m`, `1h`, `1h30`, ... at most a day; `off`, `none` or `0` for none.
pub fn alarm_lead(text: &str) -> Result<Option<u16>, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("off") || t.eq_ignore_ascii_case("none") || t == "0" {
        return Ok(None);
    }
    let d = crate::when::parse_duration(t).map_err(|e| e.to_string())?;
    u16::try_from(d.num_minutes())
        .map(Some)
        .map_err(|_| format!("{t}: too long; give e.g. 15m"))
}

/// Privacy (issue 15): how long interactions are kept (`kam prune` erases older ones; no value,
/// no pruning), and where an encrypted notebook's passphrase comes from (a command, so the
/// passphrase itself is never in a file; `KAM_PASSPHRASE_CMD` overrides it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Years an interaction is kept after it took place (1 to 100).
    pub keep_interactions_years: Option<u32>,
    /// A command that prints the passphrase (`pass show kam`).
    pub passphrase_cmd: Option<String>,
}

/// How long a relationship may go without contact before it is due: a base in days by account
/// tier, adjusted per person by influence and stage (percentages), and when a silent warm
/// relationship is suggested as `cooling`. The rules are in `crate::cadence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CadenceConfig {
    pub a: u32,
    pub b: u32,
    pub c: u32,
    /// People without an account, accounts without a tier.
    pub untiered: u32,
    /// Percent of the tier's base for a person of influence 5.
    pub influence_5: u32,
    /// Percent of the tier's base for influence 4.
    pub influence_4: u32,
    /// Percent of the tier's base for influence 1 and 2.
    pub influence_low: u32,
    /// Percent of the cadence for a relationship already `cooling` (win it back sooner).
    pub cooling: u32,
    /// Suggest `cooling` after this percent of the cadence without contact.
    pub cooling_after: u32,
}

impl Default for CadenceConfig {
    /// A tier accounts every month, B every two, C and the rest every quarter; influence 5 twice
    /// as often, 4 a third more often, 1–2 half as often; cooling twice as often; cooling
    /// suggested after twice the cadence.
    fn default() -> Self {
        CadenceConfig {
            a: 30,
            b: 60,
            c: 90,
            untiered: 90,
            influence_5: 50,
            influence_4: 75,
            influence_low: 150,
            cooling: 50,
            cooling_after: 200,
        }
    }
}

/// Money-side defaults, commission as KAMs are paid, and exchange rates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DealsConfig {
    /// Commission in percent for deals that carry no rate of their own and fall in no tier
    /// (5–15 % is usual).
    pub commission_rate: f64,
    /// How many days ahead a tender milestone enters the agenda.
    pub tender_lead_days: u32,
    /// What commission is paid on: the money paid (`total`) or the margin on it (`margin`).
    pub commission_basis: CommissionBasis,
    /// The margin in percent of what is paid, when the basis is `margin`.
    pub margin: Option<f64>,
    /// Rates by deal size, smallest first: `[[deals.commission_tiers]] up_to = 50000 rate = 12`;
    /// a last tier without `up_to` covers every bigger deal. Sizes are in `base_currency` when
    /// one is set (a deal in another currency converted at `rates`), else in the deal's own.
    pub commission_tiers: Vec<CommissionTier>,
    /// The currency totals across currencies are given in (Pareto, commission).
    pub base_currency: Option<String>,
    /// How much one unit of a currency is worth in `base_currency`: `[deals.rates] USD = 0.92`.
    pub rates: std::collections::BTreeMap<String, f64>,
}

/// How commission is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommissionBasis {
    /// On the money the client pays.
    #[default]
    Total,
    /// On the margin of it (`[deals] margin`).
    Margin,
}

/// One band of the commission scale.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionTier {
    /// The largest deal value in the band (none: every bigger deal).
    pub up_to: Option<f64>,
    /// The rate in percent.
    pub rate: f64,
}

impl Default for DealsConfig {
    fn default() -> Self {
        DealsConfig {
            commission_rate: 10.0,
            tender_lead_days: 14,
            commission_basis: CommissionBasis::Total,
            margin: None,
            commission_tiers: Vec::new(),
            base_currency: None,
            rates: std::collections::BTreeMap::new(),
        }
    }
}

/// Why the settings could not be read; the message names the file (and line) to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {path} is larger than 1 MiB; it is not a kamnote config")]
    TooBig { path: PathBuf },
    #[error(
        "the config file {path} is not a regular file (a device, a pipe or a directory); give a .toml file"
    )]
    NotAFile { path: PathBuf },
    #[error("the config file {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Where the settings come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Named by the user (`--config`, `KAM_CONFIG`): it must exist.
    Given(PathBuf),
    /// The platform default: absent means defaults.
    Default(PathBuf),
    /// No home directory: defaults.
    None,
}

impl Source {
    /// The user's choice, else the platform default path.
    pub fn resolve(given: Option<PathBuf>) -> Source {
        if let Some(path) = given {
            return Source::Given(path);
        }
        directories::ProjectDirs::from("", "", "kamnote").map_or(Source::None, |d| {
            Source::Default(d.config_dir().join(FILE_NAME))
        })
    }
}

impl Config {
    /// Reads the settings from `source`.
    pub fn load(source: &Source) -> Result<Config, ConfigError> {
        match source {
            Source::Given(path) => Config::read(path),
            Source::Default(path) if path.exists() => Config::read(path),
            Source::Default(_) | Source::None => Ok(Config::default()),
        }
    }

    /// Reads a regular file (symlinks followed) of at most [`MAX_BYTES`]: a device or a FIFO
    /// would block or never end, so it is refused before it is opened, and again on the opened
    /// handle (the name could have been swapped in between); the read itself stops at the cap.
    fn read(path: &Path) -> Result<Config, ConfigError> {
        use std::io::Read as _;
        let read_error = |source| ConfigError::Read {
            path: path.to_owned(),
            source,
        };
        let not_a_file = || ConfigError::NotAFile {
            path: path.to_owned(),
        };
        let too_big = || ConfigError::TooBig {
            path: path.to_owned(),
        };
        let meta = std::fs::metadata(path).map_err(read_error)?;
        if !meta.is_file() {
            return Err(not_a_file());
        }
        if meta.len() > MAX_BYTES {
            return Err(too_big());
        }
        let file = std::fs::File::open(path).map_err(read_error)?;
        if !file.metadata().map_err(read_error)?.is_file() {
            return Err(not_a_file());
        }
        let mut bytes = Vec::new();
        file.take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(too_big());
        }
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Invalid {
            path: path.to_owned(),
            message: "it is not UTF-8 text".into(),
        })?;
        Config::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses and checks the settings; the error is one line, with the line number.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| describe(text, &e))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        let c = &self.cadence;
        for (key, days) in [("a", c.a), ("b", c.b), ("c", c.c), ("untiered", c.untiered)] {
            if !(1..=3650).contains(&days) {
                return Err(format!(
                    "cadence.{key} = {days}: a cadence is between 1 and 3650 days"
                ));
            }
        }
        for (key, pct) in [
            ("influence_5", c.influence_5),
            ("influence_4", c.influence_4),
            ("influence_low", c.influence_low),
            ("cooling", c.cooling),
            ("cooling_after", c.cooling_after),
        ] {
            if !(1..=1000).contains(&pct) {
                return Err(format!(
                    "cadence.{key} = {pct}: a percentage between 1 and 1000"
                ));
            }
        }
        let rate = self.deals.commission_rate;
        if !(0.0..=100.0).contains(&rate) {
            return Err(format!(
                "deals.commission_rate = {rate}: a rate is a percentage between 0 and 100"
            ));
        }
        for (currency, rate) in &self.deals.rates {
            if !(rate.is_finite() && *rate > 0.0) {
                let currency = crate::text::sanitize_line(currency);
                return Err(format!(
                    "deals.rates.{currency} = {rate}: how much one {currency} is worth in the base currency, a positive number, e.g. {currency} = 0.92"
                ));
            }
        }
        if let Some(years) = self.privacy.keep_interactions_years {
            if !(1..=100).contains(&years) {
                return Err(format!(
                    "privacy.keep_interactions_years = {years}: between 1 and 100 years, e.g. 5"
                ));
            }
        }
        if let Err(e) = self.sync.alarm_minutes() {
            return Err(format!(
                "sync.alarm = {:?}: {e}; give a lead such as \"15m\" or \"off\"",
                crate::text::sanitize_line(&self.sync.alarm)
            ));
        }
        for (key, url) in [
            ("calendar", &self.sync.calendar),
            ("contacts", &self.sync.contacts),
        ] {
            if let Some(u) = url {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    return Err(format!(
                        "sync.{key} = {u:?}: the collection's URL, e.g. \"https://dav.example.org/kam/{key}/\""
                    ));
                }
            }
        }
        if self.deals.tender_lead_days > 365 {
            return Err(format!(
                "deals.tender_lead_days = {}: at most 365 days",
                self.deals.tender_lead_days
            ));
        }
        Ok(())
    }
}

/// One line: "line N: what is wrong".
fn describe(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_means_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn sections_and_keys_are_each_optional() {
        let config = Config::parse("[cadence]\na = 21\n[deals]\ncommission_rate = 7.5\n").unwrap();
        assert_eq!(config.cadence.a, 21);
        assert_eq!(config.cadence.b, 60);
        assert!((config.deals.commission_rate - 7.5).abs() < f64::EPSILON);
        assert_eq!(config.deals.tender_lead_days, 14);
    }

    #[test]
    fn a_typo_is_refused_with_its_line() {
        let e = Config::parse("[cadence]\na = 30\nbb = 60\n").unwrap_err();
        assert!(e.starts_with("line 3:"), "{e}");
        assert!(e.contains("bb"), "{e}");
    }

    #[test]
    fn wrong_types_and_out_of_range_values_are_refused() {
        assert!(Config::parse("[cadence]\na = \"monthly\"\n").is_err());
        assert!(Config::parse("[cadence]\na = -3\n").is_err());
        let e = Config::parse("[cadence]\nc = 0\n").unwrap_err();
        assert!(e.contains("cadence.c"), "{e}");
        let e = Config::parse("[cadence]\ninfluence_5 = 4000000000\n").unwrap_err();
        assert!(e.contains("cadence.influence_5"), "{e}");
        assert!(Config::parse("[cadence]\ncooling_after = 0\n").is_err());
        let e = Config::parse("[deals]\ncommission_rate = 150.0\n").unwrap_err();
        assert!(e.contains("commission_rate"), "{e}");
        for bad in ["nan", "inf", "-inf", "0.0", "-0.5"] {
            let e = Config::parse(&format!("[deals]\nrates = {{ USD = {bad} }}\n")).unwrap_err();
            assert!(e.contains("deals.rates.USD"), "{bad}: {e}");
        }
        assert!(Config::parse("[deals]\nrates = { USD = 0.92 }\n").is_ok());
    }

    #[test]
    fn a_missing_default_file_means_defaults_but_a_given_one_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        assert_eq!(
            Config::load(&Source::Default(missing.clone())).unwrap(),
            Config::default()
        );
        assert!(matches!(
            Config::load(&Source::Given(missing)),
            Err(ConfigError::Read { .. })
        ));
    }

    #[test]
    fn a_file_is_read_and_its_errors_name_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[deals]\ntender_lead_days = 30\n").unwrap();
        let config = Config::load(&Source::Given(path.clone())).unwrap();
        assert_eq!(config.deals.tender_lead_days, 30);
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        let e = Config::load(&Source::Given(path)).unwrap_err().to_string();
        assert!(e.contains("config.toml") && e.contains("UTF-8"), "{e}");
    }

    #[test]
    fn only_regular_files_under_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let e = Config::load(&Source::Given(dir.path().to_owned())).unwrap_err();
        assert!(matches!(e, ConfigError::NotAFile { .. }), "{e}");
        let e = Config::load(&Source::Given("/dev/null".into())).unwrap_err();
        assert!(matches!(e, ConfigError::NotAFile { .. }), "{e}");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "#".repeat(usize::try_from(MAX_BYTES).unwrap() + 1)).unwrap();
        let e = Config::load(&Source::Given(big)).unwrap_err();
        assert!(matches!(e, ConfigError::TooBig { .. }), "{e}");
    }

    /// 15: the retention is read from `[privacy]`, absent by default, and checked.
    #[test]
    fn the_retention_is_read_and_checked() {
        assert_eq!(Config::default().privacy.keep_interactions_years, None);
        let config = Config::parse("[privacy]\nkeep_interactions_years = 5\n").unwrap();
        assert_eq!(config.privacy.keep_interactions_years, Some(5));
        let e = Config::parse("[privacy]\nkeep_interactions_years = 0\n").unwrap_err();
        assert!(e.contains("privacy.keep_interactions_years = 0"), "{e}");
        assert!(Config::parse("[privacy]\nkeep_years = 5\n").is_err());
    }

    /// 13.5: the alarm is 15 minutes unless `[sync] alarm` says otherwise; "off" means none.
    #[test]
    fn the_alarm_lead_is_read_and_checked() {
        assert_eq!(Config::default().sync.alarm_minutes(), Ok(Some(15)));
        let config = Config::parse("[sync]\nalarm = \"1h30\"\n").unwrap();
        assert_eq!(config.sync.alarm_minutes(), Ok(Some(90)));
        let config = Config::parse("[sync]\nalarm = \"off\"\n").unwrap();
        assert_eq!(config.sync.alarm_minutes(), Ok(None));
        let e = Config::parse("[sync]\nalarm = \"soon\"\n").unwrap_err();
        assert!(e.contains("sync.alarm") && e.contains("15m"), "{e}");
    }

    /// 13.1: the [sync] section is read and checked (URLs, the alarm).
    #[test]
    fn the_sync_settings_are_read_and_checked() {
        let config = Config::parse(
            "[sync]\ncalendar = \"https://dav.example.org/kam/calendar/\"\nusername = \"kam\"\n\
             password_cmd = \"pass show dav\"\nalarm = \"15m\"\n",
        )
        .unwrap();
        assert_eq!(config.sync.username.as_deref(), Some("kam"));
        assert_eq!(config.sync.alarm_minutes(), Ok(Some(15)));
        let e = Config::parse("[sync]\ncontacts = \"dav.example.org\"\n").unwrap_err();
        assert!(e.contains("sync.contacts") && e.contains("https://"), "{e}");
        assert!(Config::parse("[sync]\npassword = \"x\"\n").is_err());
    }
}
