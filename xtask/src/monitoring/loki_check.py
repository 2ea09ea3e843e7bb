"""Structure checks of the Loki files (no Loki server runs here): the
Promtail pipeline parses the JSON fields shoebox-telemetry writes and keeps
only bounded labels; every LogQL alert has severity, service and a runbook
heading in docs/operations/alerts.md, and its query selects the app and
parses JSON.

Usage: loki_check.py PROMTAIL_YAML RULES_YAML ALERTS_MD
"""

import re
import sys

import yaml

promtail_path, rules_path, alerts_path = sys.argv[1:4]
problems = []

promtail = yaml.safe_load(open(promtail_path, encoding="utf-8"))
jobs = {job.get("job_name"): job for job in promtail.get("scrape_configs", [])}
job = jobs.get("shoebox")
if job is None:
    problems.append(f"{promtail_path}: no scrape config named shoebox")
else:
    stages = job.get("pipeline_stages", [])
    kinds = [next(iter(stage)) for stage in stages]
    json_stage = next((stage["json"] for stage in stages if "json" in stage), None)
    if json_stage is None:
        problems.append(f"{promtail_path}: no json stage")
    else:
        wanted = {"timestamp", "level", "target", "message", "request_id", "route", "status"}
        missing = wanted - set(json_stage.get("expressions", {}))
        if missing:
            problems.append(f"{promtail_path}: the json stage does not extract {sorted(missing)}")
    labels = next((stage["labels"] for stage in stages if "labels" in stage), {})
    unbounded = {"request_id", "route", "status", "latency_ms", "message"} & set(labels)
    if unbounded:
        problems.append(f"{promtail_path}: unbounded labels {sorted(unbounded)}")
    if "timestamp" not in kinds:
        problems.append(f"{promtail_path}: no timestamp stage (Loki would use the read time)")

anchors = {
    line[3:].strip().lower().replace(" ", "-")
    for line in open(alerts_path, encoding="utf-8")
    if line.startswith("## ")
}
rules = yaml.safe_load(open(rules_path, encoding="utf-8"))
alerts = [rule for group in rules.get("groups", []) for rule in group.get("rules", []) if "alert" in rule]
if not any("shoebox::panic" in rule.get("expr", "") for rule in alerts):
    problems.append(f"{rules_path}: no alert on panic lines")
for rule in alerts:
    name = rule["alert"]
    expr = rule.get("expr", "")
    if not re.search(r'\{app="shoebox"\}', expr) or "| json" not in expr:
        problems.append(f"{rules_path}: {name} must select {{app=\"shoebox\"}} and parse | json")
    labels = rule.get("labels", {})
    if labels.get("service") != "shoebox" or "severity" not in labels:
        problems.append(f"{rules_path}: {name} needs service: shoebox and a severity")
    runbook = rule.get("annotations", {}).get("runbook_url", "")
    if runbook.rsplit("#", 1)[-1] not in anchors:
        problems.append(f"{rules_path}: {name}'s runbook {runbook!r} names no heading of {alerts_path}")

if problems:
    sys.exit("Loki checks failed:\n  " + "\n  ".join(problems))
print(f"Loki: the pipeline and {len(alerts)} LogQL alert(s) check out")
