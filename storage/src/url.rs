use crate::StorageError;
use std::fmt;

/// The two databases Tribune runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A database URL. It may carry a password, so `Debug` and `Display` show it
/// with the password replaced by `***`; [`DatabaseUrl::expose`] gives the real one.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The backend named by the scheme.
    pub fn backend(&self) -> Result<Backend, StorageError> {
        let scheme = self.0.split_once(':').map(|(s, _)| s).unwrap_or_default();
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StorageError::UnsupportedUrl(self.redacted())),
        }
    }

    /// The file of a SQLite database (`sqlite://PATH`); `None` for
    /// PostgreSQL and for an in-memory database.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        use std::str::FromStr as _;
        if self.backend().ok()? != Backend::Sqlite
            || self.0.contains(":memory:")
            || self.0.contains("mode=memory")
        {
            return None;
        }
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.0).ok()?;
        Some(options.get_filename().to_path_buf())
    }

    /// The URL with its secret in it, for the database driver only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password replaced by `***`: in its authority
    /// (`user:password@`) and in its query (`?password=`, `sslpassword=`,
    /// which PostgreSQL's URLs accept too).
    pub fn redacted(&self) -> String {
        let url = self.redacted_authority();
        let Some((head, query)) = url.split_once('?') else {
            return url;
        };
        let (query, fragment) = match query.split_once('#') {
            Some((query, fragment)) => (query, Some(fragment)),
            None => (query, None),
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.to_ascii_lowercase().contains("password") => {
                    format!("{key}=***")
                }
                _ => pair.to_owned(),
            })
            .collect();
        let mut redacted = format!("{head}?{}", pairs.join("&"));
        if let Some(fragment) = fragment {
            redacted.push('#');
            redacted.push_str(fragment);
        }
        redacted
    }

    fn redacted_authority(&self) -> String {
        let url = &self.0;
        let Some(authority_start) = url.find("://").map(|i| i + 3) else {
            return url.clone();
        };
        let rest = &url[authority_start..];
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        match authority.rfind('@') {
            Some(at) => match authority[..at].split_once(':') {
                Some((user, _password)) => format!(
                    "{}{user}:***{}",
                    &url[..authority_start],
                    &url[authority_start + at..]
                ),
                None => url.clone(),
            },
            None => url.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(
            DatabaseUrl::new("sqlite://data/tribune.db?mode=rwc").sqlite_file(),
            Some(std::path::PathBuf::from("data/tribune.db"))
        );
        assert_eq!(DatabaseUrl::new("sqlite::memory:").sqlite_file(), None);
        assert_eq!(DatabaseUrl::new("postgres://u@h/db").sqlite_file(), None);
    }

    #[test]
    fn scheme_picks_the_backend() {
        let backend = |u: &str| DatabaseUrl::new(u).backend().ok();
        assert_eq!(backend("sqlite://data/tribune.db"), Some(Backend::Sqlite));
        assert_eq!(backend("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(backend("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(backend("PostgreSQL://u@h/db"), Some(Backend::Postgres));
        assert_eq!(backend("mysql://u@h/db"), None);
        assert_eq!(backend("data/tribune.db"), None);
    }

    #[test]
    fn passwords_in_the_query_never_show() {
        let url = DatabaseUrl::new(
            "postgres://db.internal/tribune?user=tribune&password=s3cret&sslmode=require&sslpassword=k3y",
        );
        let shown = format!("{url} {url:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("k3y"),
            "{shown}"
        );
        assert_eq!(
            url.redacted(),
            "postgres://db.internal/tribune?user=tribune&password=***&sslmode=require&sslpassword=***"
        );
        let both = DatabaseUrl::new("postgres://u:one@h/db?PassWord=two#x");
        assert_eq!(both.redacted(), "postgres://u:***@h/db?PassWord=***#x");
    }

    #[test]
    fn passwords_never_show() {
        let url =
            DatabaseUrl::new("postgres://tribune:s3cret@db.internal:5432/tribune?sslmode=require");
        let shown = format!("{url} {url:?} {}", url.redacted());
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(
            url.redacted(),
            "postgres://tribune:***@db.internal:5432/tribune?sslmode=require"
        );
        assert_eq!(
            url.expose(),
            "postgres://tribune:s3cret@db.internal:5432/tribune?sslmode=require"
        );
        let no_password = DatabaseUrl::new("postgres://tribune@localhost/tribune");
        assert_eq!(
            no_password.redacted(),
            "postgres://tribune@localhost/tribune"
        );
        let unsupported = DatabaseUrl::new("mysql://root:hunter2@h/db").backend();
        assert!(
            matches!(unsupported, Err(StorageError::UnsupportedUrl(u)) if !u.contains("hunter2"))
        );
    }
}
