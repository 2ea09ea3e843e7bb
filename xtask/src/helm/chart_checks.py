"""What the Shoebox chart must guarantee, as checks over rendered objects.

Each check takes the objects Helm rendered for one values file (plain dicts,
as parsed from the manifests) and returns a list of problems, each naming the
object; an empty list is a pass. chart_test.py runs them and reports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Object = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What a check knows besides the objects."""

    # defaults, dev, test, staging or production
    environment: str
    # docs/operations/alerts.md, where every runbook_url must lead
    alerts_doc: str


# Environment variables whose value is a secret: they must come from a Secret.
SECRET_ENV = re.compile(
    r"^DATABASE_URL$|DATABASE__URL$|SECRET|PASSWORD|TOKEN|ACCESS_KEY|CREDENTIAL|PRIVATE"
)
# Values that are secrets whatever the variable is called.
INLINE_SECRET = re.compile(r"://[^/@\s]+:[^/@\s]+@|AGE-SECRET-KEY-")

RUNBOOK_PREFIX = "https://github.com/shoebox-photos/shoebox/blob/main/docs/operations/alerts.md#"
REQUIRED_ALERTS = ("ShoeboxDown", "ShoeboxBackupMissing", "ShoeboxHigh5xxRatio")


def describe(obj: Object) -> str:
    return f"{obj.get('kind')} {obj.get('metadata', {}).get('name')}"


def of_kind(objects: list[Object], kind: str) -> list[Object]:
    return [obj for obj in objects if obj.get("kind") == kind]


def component(obj: Object) -> str | None:
    return obj.get("metadata", {}).get("labels", {}).get("app.kubernetes.io/component")


def pod_specs(objects: list[Object]) -> Iterator[tuple[Object, Object]]:
    """Every pod an object makes, as (object, pod spec)."""
    for obj in objects:
        kind, spec = obj.get("kind"), obj.get("spec", {})
        if kind in ("Deployment", "Job"):
            yield obj, spec["template"]["spec"]
        elif kind == "CronJob":
            yield obj, spec["jobTemplate"]["spec"]["template"]["spec"]
        elif kind == "Pod":
            yield obj, spec


def containers(pod: Object) -> list[Object]:
    return pod.get("initContainers", []) + pod.get("containers", [])


def shoebox_containers(objects: list[Object]) -> Iterator[tuple[Object, Object, Object]]:
    """(object, pod spec, container) for every container running the Shoebox image."""
    for obj, pod in pod_specs(objects):
        for container in containers(pod):
            if "/shoebox" in container.get("image", ""):
                yield obj, pod, container


def env_value(container: Object, name: str) -> str | None:
    for variable in container.get("env", []):
        if variable["name"] == name:
            return variable.get("value")
    return None


def deployment(objects: list[Object], which: str) -> Object | None:
    found = [obj for obj in of_kind(objects, "Deployment") if component(obj) == which]
    return found[0] if len(found) == 1 else None


def main_container(obj: Object) -> Object:
    return obj["spec"]["template"]["spec"]["containers"][0]


# --- the checks ----------------------------------------------------------------


def migration_hook(objects: list[Object], _context: Context) -> list[str]:
    """The migration Job is a pre-install/pre-upgrade hook with a deadline."""
    jobs = [job for job in of_kind(objects, "Job") if component(job) == "migrate"]
    if len(jobs) != 1:
        return [f"expected one migration Job, found {len(jobs)}"]
    job = jobs[0]
    problems = []
    annotations = job["metadata"].get("annotations", {})
    hooks = set(annotations.get("helm.sh/hook", "").split(","))
    if not {"pre-install", "pre-upgrade"} <= hooks:
        problems.append(
            f"{describe(job)}: helm.sh/hook is {sorted(hooks)}, not pre-install and pre-upgrade"
        )
    if "before-hook-creation" not in annotations.get("helm.sh/hook-delete-policy", ""):
        problems.append(
            f"{describe(job)}: without before-hook-creation the next upgrade finds the old Job"
        )
    deadline = job["spec"].get("activeDeadlineSeconds")
    if not isinstance(deadline, int) or deadline <= 0:
        problems.append(
            f"{describe(job)}: activeDeadlineSeconds is {deadline!r}, not a positive deadline"
        )
    args = [c.get("args") for c in job["spec"]["template"]["spec"]["containers"]]
    if args != [["migrate"]]:
        problems.append(f"{describe(job)}: runs {args}, not `shoebox migrate`")
    return problems


def pods_wait_for_schema(objects: list[Object], _context: Context) -> list[str]:
    """Server and worker pods wait for the schema in an init container, and never migrate."""
    problems = []
    for which, args in (("server", ["serve"]), ("worker", ["worker"])):
        found = deployment(objects, which)
        if found is None:
            problems.append(f"expected one {which} Deployment")
            continue
        pod = found["spec"]["template"]["spec"]
        main = main_container(found)
        if main.get("args") != args:
            problems.append(f"{describe(found)}: runs {main.get('args')}, expected {args}")
        waits = [
            init
            for init in pod.get("initContainers", [])
            if init.get("args", [])[:2] == ["migrate", "--wait"]
        ]
        if not waits:
            problems.append(f"{describe(found)}: no init container runs `shoebox migrate --wait`")
        elif waits[0]["image"] != main["image"]:
            problems.append(
                f"{describe(found)}: waits with {waits[0]['image']}, runs {main['image']}"
            )
        migrating = [c["name"] for c in containers(pod) if c.get("args") == ["migrate"]]
        if migrating:
            problems.append(
                f"{describe(found)}: containers {migrating} migrate (only the hook may)"
            )
    return problems


def hardened_pods(objects: list[Object], _context: Context) -> list[str]:
    """Every pod runs as non-root, read-only, unprivileged, with resource limits."""
    problems = []
    for obj, pod in pod_specs(objects):
        pod_context = pod.get("securityContext", {})
        for container in containers(pod):
            where = f"{describe(obj)} container {container['name']}"
            context = container.get("securityContext", {})
            if context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            if context.get("runAsUser", pod_context.get("runAsUser")) in (None, 0):
                problems.append(f"{where}: no non-zero runAsUser")
            if context.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem is not true")
            if context.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            if "ALL" not in context.get("capabilities", {}).get("drop", []):
                problems.append(f"{where}: does not drop ALL capabilities")
            limits = container.get("resources", {}).get("limits", {})
            missing = [name for name in ("cpu", "memory") if name not in limits]
            if missing:
                problems.append(f"{where}: no {' and '.join(missing)} limit")
    for obj, pod, container in shoebox_containers(objects):
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
        if not tmp or "emptyDir" not in volumes.get(tmp[0]["name"], {}):
            problems.append(f"{describe(obj)} container {container['name']}: no emptyDir at /tmp")
    return problems


def secrets_by_reference(objects: list[Object], _context: Context) -> list[str]:
    """No secret value is in a manifest: Secrets are only referenced."""
    problems = []
    for secret in of_kind(objects, "Secret"):
        if secret.get("data") or secret.get("stringData"):
            problems.append(f"{describe(secret)}: the chart writes a secret value into a manifest")
    for config_map in of_kind(objects, "ConfigMap"):
        for key, text in config_map.get("data", {}).items():
            if INLINE_SECRET.search(text):
                problems.append(f"{describe(config_map)}: {key} holds a credential")
    for obj, pod in pod_specs(objects):
        for container in containers(pod):
            where = f"{describe(obj)} container {container['name']}"
            for variable in container.get("env", []):
                name, value = variable["name"], variable.get("value")
                if SECRET_ENV.search(name):
                    if value is not None or "secretKeyRef" not in variable.get("valueFrom", {}):
                        problems.append(f"{where}: {name} is not read with valueFrom.secretKeyRef")
                elif value is not None and INLINE_SECRET.search(value):
                    problems.append(f"{where}: {name} holds a credential")
    for obj, _pod, container in shoebox_containers(objects):
        names = [variable["name"] for variable in container.get("env", [])]
        if "DATABASE_URL" not in names:
            problems.append(f"{describe(obj)} container {container['name']}: no DATABASE_URL")
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            problems.append(
                f"{describe(obj)} container {container['name']}: {duplicated} set twice"
            )
    return problems


def _cron_fields(schedule: str) -> list[str]:
    return schedule.split()


def _is_hourly(schedule: str) -> bool:
    fields = _cron_fields(schedule)
    return (
        len(fields) == 5 and fields[0].isdigit() and int(fields[0]) < 60 and fields[1:] == ["*"] * 4
    )


def _is_daily(schedule: str) -> bool:
    fields = _cron_fields(schedule)
    return (
        len(fields) == 5
        and fields[0].isdigit()
        and fields[1].isdigit()
        and int(fields[1]) < 24
        and fields[2:] == ["*"] * 3
    )


def _cronjob_running(objects: list[Object], args: list[str]) -> Object | None:
    for cronjob in of_kind(objects, "CronJob"):
        pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        if any(container.get("args") == args for container in containers(pod)):
            return cronjob
    return None


def backups_scheduled(objects: list[Object], _context: Context) -> list[str]:
    """Hourly backups and daily restore drills: by the worker's scheduler, or else by CronJobs."""
    worker = deployment(objects, "worker")
    if worker is None:
        return ["expected one worker Deployment"]
    scheduler = env_value(main_container(worker), "SHOEBOX_WORKER__SCHEDULER")
    scheduled = env_value(main_container(worker), "SHOEBOX_BACKUP__SCHEDULED")
    if scheduler not in ("true", "false") or scheduled not in ("true", "false"):
        return [
            f"{describe(worker)}: SHOEBOX_WORKER__SCHEDULER={scheduler!r},"
            f" SHOEBOX_BACKUP__SCHEDULED={scheduled!r}"
        ]
    in_app = scheduler == "true" and scheduled == "true"
    backup = _cronjob_running(objects, ["backup", "run"])
    verify = _cronjob_running(objects, ["backup", "verify", "latest"])
    if in_app:
        extra = [describe(cronjob) for cronjob in (backup, verify) if cronjob]
        return [f"the worker's scheduler backs up, yet {extra} do too"] if extra else []
    problems = []
    if backup is None:
        problems.append("the in-app scheduler is off and no CronJob runs `shoebox backup run`")
    else:
        spec = backup["spec"]
        if not _is_hourly(spec["schedule"]):
            problems.append(f"{describe(backup)}: schedule {spec['schedule']!r} is not hourly")
        pod = spec["jobTemplate"]["spec"]["template"]["spec"]
        if [c.get("args") for c in pod.get("containers", [])] != [["backup", "prune"]]:
            problems.append(f"{describe(backup)}: does not prune after the backup")
        if spec.get("concurrencyPolicy") != "Forbid":
            problems.append(f"{describe(backup)}: two backups may overlap (concurrencyPolicy)")
        if not spec["jobTemplate"]["spec"].get("activeDeadlineSeconds"):
            problems.append(f"{describe(backup)}: no activeDeadlineSeconds")
    if verify is None:
        problems.append(
            "the in-app scheduler is off and no CronJob runs `shoebox backup verify latest`"
        )
    elif not _is_daily(verify["spec"]["schedule"]):
        problems.append(f"{describe(verify)}: schedule {verify['spec']['schedule']!r} is not daily")
    for cronjob in (backup, verify):
        if cronjob and cronjob["spec"].get("timeZone") != "Etc/UTC":
            problems.append(f"{describe(cronjob)}: not in UTC like the in-app schedules")
    return problems


def environment_shape(objects: list[Object], context: Context) -> list[str]:
    """Production has at least 2 servers, HPA, PDB and NetworkPolicy; dev is minimal."""
    server = deployment(objects, "server")
    if server is None:
        return ["expected one server Deployment"]
    server_name = server["metadata"]["name"]
    hpas = [
        h
        for h in of_kind(objects, "HorizontalPodAutoscaler")
        if h["spec"]["scaleTargetRef"]["name"] == server_name
    ]
    pdbs = of_kind(objects, "PodDisruptionBudget")
    policies = of_kind(objects, "NetworkPolicy")
    problems = []
    if context.environment == "production":
        if not hpas:
            problems.append(f"no HorizontalPodAutoscaler scales {describe(server)}")
        minimum = (
            hpas[0]["spec"].get("minReplicas", 1) if hpas else server["spec"].get("replicas", 1)
        )
        if minimum < 2:
            problems.append(
                f"{describe(server)}: at least 2 replicas expected, at least {minimum} run"
            )
        server_labels = server["spec"]["template"]["metadata"]["labels"]
        if not any(_selects(pdb["spec"]["selector"], server_labels) for pdb in pdbs):
            problems.append(f"no PodDisruptionBudget covers {describe(server)}")
        if not policies:
            problems.append("no NetworkPolicy")
    elif context.environment == "dev":
        if server["spec"].get("replicas") != 1:
            problems.append(
                f"{describe(server)}: {server['spec'].get('replicas')} replicas, dev runs 1"
            )
        extras = [describe(obj) for obj in hpas + pdbs + policies]
        if extras:
            problems.append(f"dev is minimal, yet renders {extras}")
    for pdb in pdbs:
        replicas = (
            hpas[0]["spec"].get("minReplicas", 1) if hpas else server["spec"].get("replicas", 1)
        )
        if pdb["spec"].get("minAvailable", 0) >= replicas:
            problems.append(
                f"{describe(pdb)}: minAvailable {pdb['spec']['minAvailable']} of {replicas}"
                " replicas blocks every drain"
            )
    return problems


def _selects(selector: Object, labels: dict[str, str]) -> bool:
    wanted = selector.get("matchLabels", {})
    return bool(wanted) and all(labels.get(key) == value for key, value in wanted.items())


def helm_test(objects: list[Object], _context: Context) -> list[str]:
    """`helm test` has a Pod asking the release's Service for /readyz."""
    tests = [
        pod
        for pod in of_kind(objects, "Pod")
        if "test" in pod["metadata"].get("annotations", {}).get("helm.sh/hook", "").split(",")
    ]
    services = of_kind(objects, "Service")
    if len(tests) != 1 or len(services) != 1:
        return [f"expected one test Pod and one Service, found {len(tests)} and {len(services)}"]
    service = services[0]
    port = service["spec"]["ports"][0]["port"]
    url = f"http://{service['metadata']['name']}:{port}/readyz"
    command = [
        part
        for c in tests[0]["spec"]["containers"]
        for part in c.get("command", []) + c.get("args", [])
    ]
    if url not in command:
        return [f"{describe(tests[0])}: runs {command}, which does not fetch {url}"]
    server = deployment(objects, "server")
    if server and not _selects(
        {"matchLabels": service["spec"]["selector"]},
        server["spec"]["template"]["metadata"]["labels"],
    ):
        return [f"{describe(service)}: does not select the server pods"]
    return []


def monitoring(objects: list[Object], context: Context) -> list[str]:
    """Alerts with runbooks that exist, a scrape for them, a Grafana dashboard ConfigMap."""
    problems = []
    rules = of_kind(objects, "PrometheusRule")
    anchors = {
        _github_anchor(line.lstrip("#").strip())
        for line in context.alerts_doc.splitlines()
        if line.startswith("#")
    }
    for rule in rules:
        alerts = {
            r["alert"]: r
            for group in rule["spec"]["groups"]
            for r in group["rules"]
            if "alert" in r
        }
        for name in REQUIRED_ALERTS:
            if name not in alerts:
                problems.append(f"{describe(rule)}: no {name} alert")
        if "ShoeboxDown" in alerts and not re.search(
            r"\bup\b.*==\s*0", alerts["ShoeboxDown"]["expr"]
        ):
            problems.append(f"{describe(rule)}: ShoeboxDown is not `up == 0`")
        for name, alert in alerts.items():
            runbook = alert.get("annotations", {}).get("runbook_url", "")
            if not runbook.startswith(RUNBOOK_PREFIX):
                problems.append(
                    f"{describe(rule)}: {name} has no runbook_url into docs/operations/alerts.md"
                )
            elif runbook.removeprefix(RUNBOOK_PREFIX) not in anchors:
                problems.append(
                    f"{describe(rule)}: {name}'s runbook {runbook} names no heading of alerts.md"
                )
            if "severity" not in alert.get("labels", {}):
                problems.append(f"{describe(rule)}: {name} has no severity")
        if not of_kind(objects, "ServiceMonitor"):
            problems.append(f"{describe(rule)}: alerts without a ServiceMonitor see no series")
    for config_map in of_kind(objects, "ConfigMap"):
        if config_map["metadata"].get("labels", {}).get("grafana_dashboard") != "1":
            continue
        for key, text in config_map.get("data", {}).items():
            try:
                dashboard = json.loads(text)
            except json.JSONDecodeError as error:
                problems.append(f"{describe(config_map)}: {key} is not JSON ({error})")
                continue
            if not dashboard.get("uid") or not dashboard.get("panels"):
                problems.append(f"{describe(config_map)}: {key} has no uid or no panels")
    return problems


def _github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


Check = Callable[[list[Object], Context], list[str]]

# Run on every values file; each one's docstring is its title.
CHECKS: list[Check] = [
    migration_hook,
    pods_wait_for_schema,
    hardened_pods,
    secrets_by_reference,
    backups_scheduled,
    environment_shape,
    helm_test,
    monitoring,
]


# --- custom resources: no schema offline, so their shape is checked here ----------


def custom_resource(obj: Object, objects: list[Object]) -> list[str] | None:
    """Problems of a Prometheus Operator object, or None for a kind this does not know."""
    check = {
        ("monitoring.coreos.com/v1", "ServiceMonitor"): _service_monitor,
        ("monitoring.coreos.com/v1", "PrometheusRule"): _prometheus_rule,
        ("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig"): _alertmanager_config,
    }.get((obj.get("apiVersion"), obj.get("kind")))
    if check is None:
        return None
    if not obj.get("metadata", {}).get("name") or not isinstance(obj.get("spec"), dict):
        return [f"{describe(obj)}: needs metadata.name and a spec"]
    return [f"{describe(obj)}: {problem}" for problem in check(obj["spec"], objects)]


def _service_monitor(spec: Object, objects: list[Object]) -> list[str]:
    problems = []
    services = [
        s
        for s in of_kind(objects, "Service")
        if _selects(spec.get("selector", {}), s["metadata"].get("labels", {}))
    ]
    if not services:
        problems.append("spec.selector matches no Service of the release")
    endpoints = spec.get("endpoints")
    if not isinstance(endpoints, list) or not endpoints:
        return problems + ["spec.endpoints is not a non-empty list"]
    ports = {port.get("name") for service in services for port in service["spec"]["ports"]}
    for endpoint in endpoints:
        if set(endpoint) - {
            "port",
            "path",
            "interval",
            "scrapeTimeout",
            "scheme",
            "relabelings",
            "metricRelabelings",
        }:
            problems.append(f"endpoint has unknown fields {sorted(set(endpoint))}")
        if endpoint.get("port") not in ports:
            problems.append(
                f"endpoint port {endpoint.get('port')!r} is not a named port of the Service"
            )
        if endpoint.get("path") != "/metrics":
            problems.append(f"endpoint path {endpoint.get('path')!r} is not /metrics")
    return problems


def _prometheus_rule(spec: Object, _objects: list[Object]) -> list[str]:
    problems = []
    groups = spec.get("groups")
    if not isinstance(groups, list) or not groups:
        return ["spec.groups is not a non-empty list"]
    names = [group.get("name") for group in groups]
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        problems.append(f"group names must be unique and non-empty: {names}")
    for group in groups:
        for rule in group.get("rules") or [{}]:
            if set(rule) - {
                "alert",
                "record",
                "expr",
                "for",
                "labels",
                "annotations",
                "keep_firing_for",
            }:
                problems.append(
                    f"group {group.get('name')}: rule with unknown fields {sorted(rule)}"
                )
            if ("alert" in rule) == ("record" in rule) or not isinstance(rule.get("expr"), str):
                problems.append(
                    f"group {group.get('name')}: a rule needs alert or record, and an expr"
                )
            if "for" in rule and not re.fullmatch(r"[0-9]+[smh]", str(rule["for"])):
                problems.append(
                    f"group {group.get('name')}: {rule.get('alert')} for {rule['for']!r}"
                )
    return problems


def _alertmanager_config(spec: Object, _objects: list[Object]) -> list[str]:
    problems = []
    receivers = {receiver.get("name"): receiver for receiver in spec.get("receivers", [])}
    if spec.get("route", {}).get("receiver") not in receivers:
        problems.append("route.receiver names no receiver")
    for name, receiver in receivers.items():
        for email in receiver.get("emailConfigs", []):
            if not email.get("to") or not email.get("smarthost"):
                problems.append(f"receiver {name}: an emailConfig needs to and smarthost")
            password = email.get("authPassword")
            if password is not None and set(password) != {"name", "key"}:
                problems.append(
                    f"receiver {name}: authPassword must be a Secret reference (name, key)"
                )
    return problems
