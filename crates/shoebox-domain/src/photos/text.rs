//! Texts members attach to photos and albums.

/// A photo caption: up to 2000 characters, newlines allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption(String);

/// The file name the client sent with an upload, reduced to a harmless base
/// name for `Content-Disposition` on download: no directories, no control
/// characters, at most 255 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} must be at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} must not contain control characters")]
    ControlCharacters { field: &'static str },
}

/// Trims `raw` and checks it: newlines allowed only where `multiline`.
pub(crate) fn clean_text(
    raw: &str,
    field: &'static str,
    max: usize,
    multiline: bool,
) -> Result<String, TextError> {
    let text = raw.trim();
    let control = text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if control {
        return Err(TextError::ControlCharacters { field });
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong { field, max });
    }
    Ok(text.to_owned())
}

impl Caption {
    pub const MAX_CHARS: usize = 2000;

    /// A blank caption means "no caption".
    pub fn parse(raw: &str) -> Result<Option<Self>, TextError> {
        let text = clean_text(raw, "caption", Self::MAX_CHARS, true)?;
        Ok((!text.is_empty()).then_some(Self(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl OriginalName {
    pub const MAX_CHARS: usize = 255;

    /// Never fails: a client's file name is a hint, so anything unusable
    /// becomes `None` and overlong names are cut.
    pub fn from_client(raw: &str) -> Option<Self> {
        let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
        let name: String = base
            .chars()
            .filter(|c| !c.is_control() && *c != '"')
            .take(Self::MAX_CHARS)
            .collect();
        let name = name.trim();
        (!name.is_empty() && name != "." && name != "..").then(|| Self(name.to_owned()))
    }

    /// For values read back from storage, already cleaned once.
    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::from_client(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_are_trimmed_bounded_and_may_span_lines() {
        assert_eq!(Caption::parse("  ").unwrap(), None);
        let caption = Caption::parse(" Summer\nfête ").unwrap().unwrap();
        assert_eq!(caption.as_str(), "Summer\nfête");
        assert!(Caption::parse(&"x".repeat(2001)).is_err());
        assert!(Caption::parse("bell\u{7}").is_err());
    }

    #[test]
    fn client_file_names_lose_directories_quotes_and_control_characters() {
        let name = OriginalName::from_client("C:\\Users\\ann\\DSC 001.JPG").unwrap();
        assert_eq!(name.as_str(), "DSC 001.JPG");
        let name = OriginalName::from_client("../../etc/pass\"wd\n").unwrap();
        assert_eq!(name.as_str(), "passwd");
        assert_eq!(OriginalName::from_client("dir/"), None);
        assert_eq!(OriginalName::from_client(".."), None);
        let long = OriginalName::from_client(&"é".repeat(300)).unwrap();
        assert_eq!(long.as_str().chars().count(), 255);
    }
}
