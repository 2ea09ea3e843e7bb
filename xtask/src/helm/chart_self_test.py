"""Objects broken on purpose, one way per check, to show that every check of
chart_checks.py (and the schema validation) can fail.

Each breakage copies what a values file rendered, breaks one thing in place,
and names the check that must then report a problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chart_checks import Object, component, containers, of_kind

PRODUCTION = "values-production.yaml"
CRONJOBS = "values-production.yaml + worker.scheduler=false"


@dataclass(frozen=True)
class Breakage:
    check_name: str
    what: str
    source: str
    breaking: Callable[[list[Object]], None]
    environment: str = "production"


def _one(objects: list[Object], kind: str, which: str | None = None) -> Object:
    return next(obj for obj in of_kind(objects, kind) if which is None or component(obj) == which)


def _pod(obj: Object) -> Object:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def _no_deadline(objects: list[Object]) -> None:
    del _one(objects, "Job", "migrate")["spec"]["activeDeadlineSeconds"]


def _post_install_hook(objects: list[Object]) -> None:
    _one(objects, "Job", "migrate")["metadata"]["annotations"]["helm.sh/hook"] = "post-install"


def _server_does_not_wait(objects: list[Object]) -> None:
    del _pod(_one(objects, "Deployment", "server"))["initContainers"]


def _server_migrates(objects: list[Object]) -> None:
    _pod(_one(objects, "Deployment", "server"))["containers"][0]["args"] = ["migrate"]


def _writable_root(objects: list[Object]) -> None:
    _pod(_one(objects, "Deployment", "worker"))["containers"][0]["securityContext"][
        "readOnlyRootFilesystem"
    ] = False


def _root_user(objects: list[Object]) -> None:
    pod = _pod(_one(objects, "Job", "migrate"))
    pod["securityContext"]["runAsUser"] = 0
    pod["securityContext"]["runAsNonRoot"] = False


def _no_limits(objects: list[Object]) -> None:
    del containers(_pod(_one(objects, "Deployment", "server")))[0]["resources"]["limits"]


def _inline_database_url(objects: list[Object]) -> None:
    container = _pod(_one(objects, "Deployment", "server"))["containers"][0]
    variable = next(v for v in container["env"] if v["name"] == "DATABASE_URL")
    del variable["valueFrom"]
    variable["value"] = "postgres://shoebox:hunter2@db/shoebox"


def _secret_with_data(objects: list[Object]) -> None:
    objects.append(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "oops"},
            "stringData": {"url": "x"},
        }
    )


def _two_hourly(objects: list[Object]) -> None:
    cronjob = next(c for c in of_kind(objects, "CronJob") if component(c) == "backup")
    cronjob["spec"]["schedule"] = "0 */2 * * *"


def _no_cronjobs(objects: list[Object]) -> None:
    objects[:] = [obj for obj in objects if obj["kind"] != "CronJob"]


def _cronjobs_beside_scheduler(objects: list[Object]) -> None:
    objects.append(
        {
            "kind": "CronJob",
            "metadata": {"name": "extra"},
            "spec": {
                "schedule": "0 * * * *",
                "jobTemplate": {
                    "spec": {
                        "template": {
                            "spec": {"containers": [{"name": "b", "args": ["backup", "run"]}]}
                        }
                    }
                },
            },
        }
    )


def _single_server(objects: list[Object]) -> None:
    objects[:] = [
        obj
        for obj in objects
        if obj["kind"] not in ("HorizontalPodAutoscaler", "PodDisruptionBudget")
    ]
    _one(objects, "Deployment", "server")["spec"]["replicas"] = 1


def _test_pod_elsewhere(objects: list[Object]) -> None:
    pod = _one(objects, "Pod")
    pod["spec"]["containers"][0]["command"][-1] = "http://elsewhere:8080/readyz"


def _no_down_alert(objects: list[Object]) -> None:
    for group in _one(objects, "PrometheusRule")["spec"]["groups"]:
        group["rules"] = [rule for rule in group["rules"] if rule.get("alert") != "ShoeboxDown"]


def _dangling_runbook(objects: list[Object]) -> None:
    rule = _one(objects, "PrometheusRule")["spec"]["groups"][0]["rules"][0]
    rule["annotations"]["runbook_url"] += "-gone"


def _unknown_field(objects: list[Object]) -> None:
    _one(objects, "Deployment", "server")["spec"]["replica"] = 2


def _service_monitor_on_wrong_port(objects: list[Object]) -> None:
    _one(objects, "ServiceMonitor")["spec"]["endpoints"][0]["port"] = "metrics"


BREAKAGES: list[Breakage] = [
    Breakage("migration_hook", "the Job has no deadline", PRODUCTION, _no_deadline),
    Breakage("migration_hook", "the Job is a post-install hook", PRODUCTION, _post_install_hook),
    Breakage(
        "pods_wait_for_schema",
        "the server has no init container",
        PRODUCTION,
        _server_does_not_wait,
    ),
    Breakage("pods_wait_for_schema", "the server migrates", PRODUCTION, _server_migrates),
    Breakage("hardened_pods", "a root filesystem is writable", PRODUCTION, _writable_root),
    Breakage("hardened_pods", "a pod runs as root", PRODUCTION, _root_user),
    Breakage("hardened_pods", "a container has no limits", PRODUCTION, _no_limits),
    Breakage("secrets_by_reference", "DATABASE_URL is inlined", PRODUCTION, _inline_database_url),
    Breakage("secrets_by_reference", "a Secret carries data", PRODUCTION, _secret_with_data),
    Breakage("backups_scheduled", "backups run every two hours", CRONJOBS, _two_hourly),
    Breakage(
        "backups_scheduled", "no CronJob backs up with the scheduler off", CRONJOBS, _no_cronjobs
    ),
    Breakage(
        "backups_scheduled",
        "a CronJob backs up beside the scheduler",
        PRODUCTION,
        _cronjobs_beside_scheduler,
    ),
    Breakage("environment_shape", "production runs one server", PRODUCTION, _single_server),
    Breakage("helm_test", "the test pod asks another host", PRODUCTION, _test_pod_elsewhere),
    Breakage("monitoring", "ShoeboxDown is missing", PRODUCTION, _no_down_alert),
    Breakage("monitoring", "a runbook anchor is not in alerts.md", PRODUCTION, _dangling_runbook),
    Breakage(
        "kubernetes-validate", "a Deployment has an unknown field", PRODUCTION, _unknown_field
    ),
    Breakage(
        "kubernetes-validate",
        "the ServiceMonitor scrapes a port the Service lacks",
        PRODUCTION,
        _service_monitor_on_wrong_port,
    ),
]
