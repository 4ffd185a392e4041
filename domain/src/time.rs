//! Points in time as the council records them: whole seconds since the Unix
//! epoch, UTC. The domain never reads the clock; callers pass the time in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// A calendar date in the proleptic Gregorian calendar (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    pub month: u8,
    pub day: u8,
}

impl Timestamp {
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The UTC calendar date this instant falls on.
    pub fn date(self) -> Date {
        civil_from_days(self.0.div_euclid(86_400))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC).
    pub fn to_rfc3339(self) -> String {
        let Date { year, month, day } = self.date();
        let secs = self.0.rem_euclid(86_400);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Date {
    const MONTHS: [&'static str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// The English month name, e.g. "November".
    pub fn month_name(self) -> &'static str {
        Self::MONTHS[usize::from(self.month.clamp(1, 12) - 1)]
    }
}

impl fmt::Display for Date {
    /// e.g. "21 November 2026".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.day, self.month_name(), self.year)
    }
}

/// Days since 1970-01-01 to a civil date: the standard era-based conversion
/// (400-year eras of 146 097 days, years starting in March so that the leap
/// day falls last).
impl Date {
    /// Reads `YYYY-MM-DD` (what an HTML date input sends); `None` for
    /// anything else, impossible dates included.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i64 = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
        let month: u8 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
        let day: u8 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
        let date = Self { year, month, day };
        // Round-tripping through the day count rejects 31 April and the like.
        (month >= 1 && civil_from_days(date.days()) == date).then_some(date)
    }

    /// Midnight UTC at the start of this date.
    pub fn start(self) -> Timestamp {
        Timestamp(self.days() * 86_400)
    }

    /// Days since 1970-01-01 (the inverse of `civil_from_days`).
    fn days(self) -> i64 {
        let month = i64::from(self.month);
        let year = self.year - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let shifted_month = (month + 9) % 12;
        let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }
}

fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date {
        year,
        // Both are in range by construction (1..=12 and 1..=31).
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_read_and_start_at_midnight() {
        let date = Date::parse_iso("2026-11-21").unwrap();
        assert_eq!(date.start().to_rfc3339(), "2026-11-21T00:00:00Z");
        assert_eq!(Date::parse_iso("1970-01-01").unwrap().start(), Timestamp(0));
        assert_eq!(
            Date::parse_iso("2024-02-29").unwrap().start().date(),
            Date {
                year: 2024,
                month: 2,
                day: 29
            }
        );
        for bad in [
            "2026-04-31",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "26-11-21",
            "2026/11/21",
            "",
            "2026-11-2x",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_is_first_of_january_1970() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn known_instants_format_as_rfc3339() {
        // 2000-02-29 (a leap day in a century leap year) 12:34:56 UTC.
        assert_eq!(Timestamp(951_827_696).to_rfc3339(), "2000-02-29T12:34:56Z");
        // 2026-11-21 00:00:00 UTC.
        assert_eq!(
            Timestamp(1_795_219_200).to_rfc3339(),
            "2026-11-21T00:00:00Z"
        );
        // Before the epoch: 1969-12-31 23:59:59 UTC.
        assert_eq!(Timestamp(-1).to_rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn every_day_of_four_centuries_follows_the_previous_one() {
        // Walk 1900-01-01 .. 2300-01-01 day by day and check the calendar rules.
        let mut previous = Timestamp(-2_208_988_800).date();
        assert_eq!((previous.year, previous.month, previous.day), (1900, 1, 1));
        for day in (-2_208_988_800 / 86_400 + 1)..(10_413_792_000 / 86_400) {
            let date = Timestamp(day * 86_400).date();
            let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let month_len = match previous.month {
                2 if leap(previous.year) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            let expected = if previous.day < month_len {
                (previous.year, previous.month, previous.day + 1)
            } else if previous.month < 12 {
                (previous.year, previous.month + 1, 1)
            } else {
                (previous.year + 1, 1, 1)
            };
            assert_eq!((date.year, date.month, date.day), expected, "day {day}");
            previous = date;
        }
        assert_eq!(
            (previous.year, previous.month, previous.day),
            (2299, 12, 31)
        );
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(
            Timestamp(1_795_219_200).date().to_string(),
            "21 November 2026"
        );
    }
}
