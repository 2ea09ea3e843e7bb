//! Who is making a request, and how they proved it.

use std::net::IpAddr;

use super::{ApiTokenId, SessionId};
use crate::accounts::User;

/// The authenticated caller of a use case.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub credential: Credential,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; unsafe requests must carry its CSRF token.
    Session { id: SessionId, csrf_token: String },
    /// A personal API token sent as `Authorization: Bearer`.
    ApiToken { id: ApiTokenId },
    /// The operator's own command line (`shoebox seed`), acting for a member
    /// on the server itself: no session, no token, never over HTTP.
    Operator,
}

impl Actor {
    pub fn session_id(&self) -> Option<SessionId> {
        match &self.credential {
            Credential::Session { id, .. } => Some(*id),
            Credential::ApiToken { .. } | Credential::Operator => None,
        }
    }
}

/// What we record about the client that opened a session, to show in the session list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip: Option<IpAddr>,
}

impl ClientInfo {
    /// User agents are client-controlled: keep a bounded, printable prefix.
    pub fn new(user_agent: Option<&str>, ip: Option<IpAddr>) -> Self {
        let user_agent = user_agent
            .map(|ua| {
                ua.chars()
                    .filter(|c| !c.is_control())
                    .take(256)
                    .collect::<String>()
            })
            .filter(|ua| !ua.is_empty());
        Self { user_agent, ip }
    }
}
