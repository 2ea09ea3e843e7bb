"""The chart tests of `cargo xtask helm`.

For the chart's defaults and every values file (dev, test, staging,
production, and production with the in-app scheduler off), render the chart
with Helm's own engine (helm-python-sdk), lint it (`helm lint --strict`),
validate every rendered object against Kubernetes' schemas in strict mode
(kubernetes-validate, offline; the Prometheus Operator's custom resources,
which it has no schema for, by their shape), and run the checks of
chart_checks.py. Then make sure values.schema.json refuses bad values, and
that every check fails on objects broken on purpose.

Prints one line per check and ends with "N passed, M failed"; exits 1 when
something failed.

Usage: python chart_test.py CHART_DIR ALERTS_MD
"""

from __future__ import annotations

import copy
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import yaml

import chart_checks as checks
from chart_checks import Context, Object
from chart_self_test import BREAKAGES, Breakage

KUBE_VERSION = "1.30.0"
RELEASE = "shoebox"
NAMESPACE = "shoebox"
ENVIRONMENTS = ("dev", "test", "staging", "production")

# A wrong value of each kind, with a word Helm's refusal must name.
REFUSED_VALUES: list[tuple[str, dict[str, Any], str]] = [
    (
        'server.replicaCount: "two" (a wrong type)',
        {"server": {"replicaCount": "two"}},
        "replicaCount",
    ),
    ("server.replicas (an unknown key)", {"server": {"replicas": 2}}, "replicas"),
    (
        "a secret-looking name in config",
        {"config": {"SHOEBOX_STORAGE__SECRET_ACCESS_KEY": "x"}},
        "SECRET_ACCESS_KEY",
    ),
    ("storage.url: file:///data (pods share no disk)", {"storage": {"url": "file:///data"}}, "url"),
    (
        "no memory limit for the server",
        {"server": {"resources": {"limits": {"memory": None}}}},
        "memory",
    ),
    (
        "an age identity among backup.recipients",
        {"backup": {"recipients": ["AGE-SECRET-KEY-1X"]}},
        "recipients",
    ),
]


@dataclass
class Case:
    label: str
    environment: str
    values: dict[str, Any]


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def run(self, label: str, check: Callable[..., list[str]], *args: Any) -> bool:
        """Reports what `check(*args)` finds; a check that crashes on odd objects fails."""
        try:
            problems = check(*args)
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            problems = [f"the check crashed: {type(error).__name__}: {error}"]
        return self.check(label, problems)

    def check(self, label: str, problems: list[str]) -> bool:
        if problems:
            self.failed += 1
            print(f"FAIL {label}")
            for problem in problems:
                print(f"       {problem}")
        else:
            self.passed += 1
            print(f"ok   {label}")
        sys.stdout.flush()
        return not problems


def cases(chart_dir: Path) -> list[Case]:
    found = [Case("values.yaml (defaults)", "defaults", {})]
    for environment in ENVIRONMENTS:
        path = chart_dir / f"values-{environment}.yaml"
        found.append(Case(path.name, environment, yaml.safe_load(path.read_text()) or {}))
    production = copy.deepcopy(found[-1].values)
    production.setdefault("worker", {})["scheduler"] = False
    found.append(Case("values-production.yaml + worker.scheduler=false", "production", production))
    return found


def render(chart: helm_python.Chart, values: dict[str, Any]) -> list[Object]:
    manifests = chart.render(values, name=RELEASE, namespace=NAMESPACE)
    objects = []
    for path, text in sorted(manifests.items()):
        if path.endswith("NOTES.txt"):
            continue
        objects.extend(document for document in yaml.safe_load_all(text) if document)
    return objects


def lint(chart_dir: Path, values: dict[str, Any]) -> list[str]:
    report = helm_python.lint(
        chart_dir, values, strict=True, namespace=NAMESPACE, kube_version=f"v{KUBE_VERSION}"
    )
    # Severity 2 is a warning, 3 an error; --strict fails on both. `errors`
    # repeats the errors, and speaks alone only when lint could not run.
    problems = [
        f"{m['path']}: {m['error'].strip()}" for m in report["messages"] if m["severity"] >= 2
    ]
    return problems or [error.strip() for error in report["errors"]]


def validate(objects: list[Object]) -> tuple[list[str], int]:
    """Problems of every object, and how many were custom resources checked by shape."""
    problems, custom = [], 0
    seen: set[tuple[str, str]] = set()
    for obj in objects:
        identity = (obj.get("kind"), obj.get("metadata", {}).get("name"))
        if identity in seen:
            problems.append(f"{checks.describe(obj)}: rendered twice")
        seen.add(identity)
        try:
            kubernetes_validate.validate(obj, KUBE_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(part) for part in error.path)
            problems.append(f"{checks.describe(obj)}: {where}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError:
            shape = checks.custom_resource(obj, objects)
            if shape is None:
                problems.append(f"{checks.describe(obj)}: no schema for {obj.get('apiVersion')}")
            else:
                custom += 1
                problems.extend(shape)
    return problems, custom


def self_test(breakage: Breakage, objects: list[Object], alerts_doc: str) -> list[str]:
    objects = copy.deepcopy(objects)
    breakage.breaking(objects)
    if breakage.check_name == "kubernetes-validate":
        failures, _ = validate(objects)
    else:
        check = getattr(checks, breakage.check_name)
        failures = check(objects, Context(breakage.environment, alerts_doc))
    return [] if failures else ["the check passed the broken objects"]


def main() -> int:
    chart_dir, alerts_md = Path(sys.argv[1]), Path(sys.argv[2])
    alerts_doc = alerts_md.read_text()
    report = Report()
    started = time.monotonic()
    chart = helm_python.Chart.load(chart_dir)
    helm = helm_python.helm_sdk_version()
    print(f"==> chart {chart.name} {chart.version} (Helm {helm}, Kubernetes {KUBE_VERSION})")
    rendered: dict[str, list[Object]] = {}

    for case in cases(chart_dir):
        try:
            objects = render(chart, case.values)
        except helm_python.HelmError as error:
            report.check(f"{case.label}: renders with Helm", [str(error).strip()])
            continue
        kinds = sorted({obj["kind"] for obj in objects})
        report.check(
            f"{case.label}: renders with Helm ({len(objects)} objects: {', '.join(kinds)})", []
        )
        rendered[case.label] = objects
        report.check(f"{case.label}: helm lint --strict", lint(chart_dir, case.values))
        problems, custom = validate(objects)
        report.check(
            f"{case.label}: every object is valid Kubernetes {KUBE_VERSION}"
            f" (kubernetes-validate --strict; {custom} Prometheus Operator objects by their shape)",
            problems,
        )
        context = Context(case.environment, alerts_doc)
        for check in checks.CHECKS:
            title = (check.__doc__ or check.__name__).strip().rstrip(".")
            title = title[0].lower() + title[1:]
            report.run(f"{case.label}: {title}", check, objects, context)

    for description, values, word in REFUSED_VALUES:
        try:
            chart.render(values, name=RELEASE, namespace=NAMESPACE)
            problems = ["Helm rendered the chart anyway"]
        except helm_python.HelmValuesError as error:
            problems = [] if word in str(error) else [f"refused without naming {word}: {error}"]
        report.check(f"values.schema.json refuses {description}", problems)
    wrong_type = REFUSED_VALUES[0][1]
    report.check(
        "helm lint reports the wrong type as an error",
        [] if any("replicaCount" in e for e in lint(chart_dir, wrong_type)) else ["lint passed it"],
    )

    # Every check must be able to fail: each is shown objects broken on purpose.
    for breakage in BREAKAGES:
        label = f"self-test: {breakage.check_name} fails when {breakage.what}"
        if breakage.source not in rendered:
            report.check(label, [f"{breakage.source} did not render"])
            continue
        report.run(label, self_test, breakage, rendered[breakage.source], alerts_doc)

    print(f"==> {time.monotonic() - started:.1f}s")
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
