//! A calendar's TZID as an IANA zone (chrono-tz): `Europe/Berlin` as written, Outlook's Windows
//! names (`W. Europe Standard Time`) through CLDR's windowsZones mapping (the
//! `windows-timezones` crate), and the prefixed forms some writers use
//! (`/mozilla.org/20050126_1/Europe/Berlin`, `/freeassociation.sourceforge.net/Tzfile/…`).

use std::str::FromStr;

use chrono_tz::Tz;

/// The IANA zone a TZID names, if any.
pub fn iana_zone(tzid: &str) -> Option<Tz> {
    let id = tzid.trim().trim_matches('"').trim();
    if id.is_empty() {
        return None;
    }
    let bare = id.trim_start_matches('/');
    if let Some(tz) = named(bare) {
        return Some(tz);
    }
    if let Ok(w) = windows_timezones::WindowsTimezone::from_str(bare) {
        return Some(w.into());
    }
    // A prefix before the zone's own name: try its last three, then two, then one parts.
    let parts: Vec<&str> = bare.split('/').filter(|p| !p.is_empty()).collect();
    (1..=3.min(parts.len()))
        .rev()
        .find_map(|k| named(&parts[parts.len() - k..].join("/")))
}

fn named(id: &str) -> Option<Tz> {
    if ["Z", "UTC", "GMT", "ETC/UTC", "ETC/GMT"].contains(&id.to_ascii_uppercase().as_str()) {
        return Some(Tz::UTC);
    }
    Tz::from_str(id).ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(id))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_windows_and_prefixed_names() {
        assert_eq!(iana_zone("Europe/Berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(iana_zone("/Europe/Madrid"), Some(Tz::Europe__Madrid));
        assert_eq!(iana_zone("europe/paris"), Some(Tz::Europe__Paris));
        assert_eq!(
            iana_zone("W. Europe Standard Time"),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(iana_zone("Romance Standard Time"), Some(Tz::Europe__Paris));
        assert_eq!(
            iana_zone("Eastern Standard Time"),
            Some(Tz::America__New_York)
        );
        assert_eq!(
            iana_zone("/mozilla.org/20050126_1/America/Argentina/Buenos_Aires"),
            Some(Tz::America__Argentina__Buenos_Aires)
        );
        assert_eq!(
            iana_zone("/freeassociation.sourceforge.net/Tzfile/Europe/London"),
            Some(Tz::Europe__London)
        );
        assert_eq!(iana_zone("UTC"), Some(Tz::UTC));
        assert_eq!(iana_zone("Mars/Olympus_Mons"), None);
        assert_eq!(iana_zone("Customized Time Zone"), None);
        assert_eq!(iana_zone(""), None);
        assert_eq!(iana_zone("/"), None);
    }
}
