//! STUB (replaced by the jobs branch at merge).
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobKind(String);
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid job kind")]
pub struct InvalidJobKind;
impl JobKind {
    pub fn parse(raw: &str) -> Result<Self, InvalidJobKind> {
        Ok(Self(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub kind: JobKind,
    pub payload: serde_json::Value,
    pub dedup_key: Option<String>,
    pub run_at: DateTime<Utc>,
    pub max_attempts: u32,
}
impl NewJob {
    pub fn new(kind: JobKind, payload: serde_json::Value, now: DateTime<Utc>) -> Self {
        Self { kind, payload, dedup_key: None, run_at: now, max_attempts: 5 }
    }
}
