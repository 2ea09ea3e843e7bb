//! The traces of a running server, as the OTLP receiver wrote them.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use super::live::{finish, wait_for};
use crate::http;
use crate::ui::Step;

/// A scrape's spans, as the OTLP receiver wrote them: one trace must hold
/// the request (`http_request`), a use case (`use_case.*`) and a database
/// call (`db`), each the child of the one before.
pub(super) fn check(port: u16, spans: &Path) -> Result<()> {
    let step = Step::start("OTLP traces: request → use case → database in one trace");
    let found = http::get(port, "/metrics")
        .map_err(anyhow::Error::from)
        .and_then(|_| {
            wait_for(
                "no trace with a request, a use case and a database span",
                Duration::from_secs(30),
                || {
                    let text = std::fs::read_to_string(spans).unwrap_or_default();
                    let spans: Vec<serde_json::Value> = text
                        .lines()
                        .filter_map(|line| serde_json::from_str(line).ok())
                        .collect();
                    Ok(linked_trace(&spans))
                },
            )
        });
    finish(step, &found);
    crate::ui::note(&format!(
        "trace {} holds request, use case and database spans",
        found?
    ));
    Ok(())
}

/// The id of a trace in which a `db` span's parent is a `use_case.*` span
/// whose parent is an `http_request` span, all of service `shoebox`.
fn linked_trace(spans: &[serde_json::Value]) -> Option<String> {
    let parent = |span: &serde_json::Value| {
        spans.iter().find(|candidate| {
            candidate["span_id"] == span["parent_span_id"]
                && candidate["trace_id"] == span["trace_id"]
        })
    };
    spans
        .iter()
        .filter(|span| span["name"] == "db" && span["service"] == "shoebox")
        .find_map(|db| {
            let use_case = parent(db)?;
            let request = parent(use_case)?;
            (use_case["name"].as_str()?.starts_with("use_case.")
                && request["name"] == "http_request")
                .then(|| db["trace_id"].as_str().unwrap_or_default().to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_must_link_request_use_case_and_database() {
        let span = |id: &str, parent: &str, name: &str| serde_json::json!({"service": "shoebox", "trace_id": "t1", "span_id": id, "parent_span_id": parent, "name": name});
        let linked = [
            span("a", "", "http_request"),
            span("b", "a", "use_case.operational_figures"),
            span("c", "b", "db"),
        ];
        assert_eq!(linked_trace(&linked).as_deref(), Some("t1"));
        let orphan = [span("b", "a", "use_case.readiness"), span("c", "b", "db")];
        assert_eq!(linked_trace(&orphan), None);
        let direct = [span("a", "", "http_request"), span("c", "a", "db")];
        assert_eq!(linked_trace(&direct), None);
    }
}
