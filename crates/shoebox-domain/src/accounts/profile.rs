//! The parts of a profile a member edits themselves.

/// How the member is shown to others. 1–80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

/// The member's full name, optional. Up to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

/// A short text about the member, optional. Up to 2000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bio(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("display name must not be empty")]
    DisplayNameEmpty,
    #[error("display name must be at most {0} characters")]
    DisplayNameTooLong(usize),
    #[error("full name must be at most {0} characters")]
    FullNameTooLong(usize),
    #[error("bio must be at most {0} characters")]
    BioTooLong(usize),
    #[error("text must not contain control characters")]
    ControlCharacters,
}

fn clean(raw: &str, allow_newlines: bool) -> Result<String, ProfileError> {
    let trimmed = raw.trim();
    let has_control = trimmed
        .chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')));
    if has_control {
        return Err(ProfileError::ControlCharacters);
    }
    Ok(trimmed.to_owned())
}

impl DisplayName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, ProfileError> {
        let text = clean(raw, false)?;
        if text.is_empty() {
            return Err(ProfileError::DisplayNameEmpty);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(ProfileError::DisplayNameTooLong(Self::MAX_CHARS));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FullName {
    pub const MAX_CHARS: usize = 200;

    /// An empty or blank name means "no full name".
    pub fn parse(raw: &str) -> Result<Option<Self>, ProfileError> {
        let text = clean(raw, false)?;
        if text.chars().count() > Self::MAX_CHARS {
            return Err(ProfileError::FullNameTooLong(Self::MAX_CHARS));
        }
        Ok((!text.is_empty()).then_some(Self(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Bio {
    pub const MAX_CHARS: usize = 2000;

    /// An empty or blank bio means "no bio".
    pub fn parse(raw: &str) -> Result<Option<Self>, ProfileError> {
        let text = clean(raw, true)?;
        if text.chars().count() > Self::MAX_CHARS {
            return Err(ProfileError::BioTooLong(Self::MAX_CHARS));
        }
        Ok((!text.is_empty()).then_some(Self(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A partial update of a profile: `None` leaves a field unchanged; for the
/// optional fields `Some(None)` clears them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub display_name: Option<DisplayName>,
    pub full_name: Option<Option<FullName>>,
    pub bio: Option<Option<Bio>>,
}

impl ProfileUpdate {
    pub fn is_empty(&self) -> bool {
        self.display_name.is_none() && self.full_name.is_none() && self.bio.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert_eq!(
            DisplayName::parse("   ").unwrap_err(),
            ProfileError::DisplayNameEmpty
        );
        assert!(DisplayName::parse(&"é".repeat(80)).is_ok());
        assert_eq!(
            DisplayName::parse(&"é".repeat(81)).unwrap_err(),
            ProfileError::DisplayNameTooLong(80)
        );
        assert_eq!(
            DisplayName::parse("Ada\u{0}").unwrap_err(),
            ProfileError::ControlCharacters
        );
    }

    #[test]
    fn blank_optional_fields_mean_cleared() {
        assert_eq!(FullName::parse("  ").unwrap(), None);
        assert_eq!(Bio::parse("").unwrap(), None);
        assert_eq!(
            Bio::parse("line one\nline two").unwrap().unwrap().as_str(),
            "line one\nline two"
        );
        assert!(Bio::parse(&"x".repeat(2001)).is_err());
    }
}
