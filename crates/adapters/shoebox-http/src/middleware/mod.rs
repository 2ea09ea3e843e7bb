//! Cross-cutting behaviour applied to every request.

mod headers;
mod request;

pub use headers::security_headers;
pub use request::{current_request_id, problem_for_bare_errors, request_context};
