"""Smoke check of a deployed Airflow: trigger ``dwh_infrastructure`` (action=plan) and wait.

Through the Airflow 3 REST API (``/api/v2``) of the deployment just shipped. A plan run
proves the deployment parses the DAGs, reaches its Terraform role, initialises the
environment's remote state and plans; with ``expect_no_changes`` (right after the
workflow applied the same commit) it also proves that the DAG and the workflow plan the
same thing, since the DAG's plan must then be empty.

Three ways in, one protocol (:class:`AirflowApi`):

* :class:`RestApi` with a bearer token: Astro (a Deployment API token) or any Airflow
  whose auth manager accepts one;
* :class:`RestApi` with a user name and password: the simple auth manager of a local
  Airflow (``POST /auth/token``), which is how the tests run this against ``make airflow``;
* :class:`MwaaApi`: Amazon MWAA's ``InvokeRestApi`` (boto3), with the caller's AWS role.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

DAG_ID = "dwh_infrastructure"
TERMINAL = {"success", "failed"}


class SmokeCheckFailed(RuntimeError):
    """The smoke run did not succeed (or did not finish in time)."""


class AirflowApi(Protocol):
    """``call("GET", "/dags/x")`` -> the JSON answer of ``/api/v2/dags/x``."""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any: ...


@dataclass
class RestApi:
    """The REST API at ``base_url`` (``https://host[/prefix]``, without ``/api/v2``)."""

    base_url: str
    token: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30
    #: Connection failures retried (a deployment restarting after a deploy), seconds apart.
    attempts: int = 6
    retry_seconds: float = 10

    def _token(self) -> str:
        if self.token:
            return self.token
        if not (self.username and self.password):
            raise SmokeCheckFailed("no API token and no user name/password for the Airflow API")
        body = json.dumps({"username": self.username, "password": self.password}).encode()
        request = urllib.request.Request(
            f"{self.base_url.rstrip('/')}/auth/token", data=body, method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            self.token = json.load(response)["access_token"]
        return self.token  # type: ignore[return-value]

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.base_url.rstrip('/')}/api/v2{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {self._token()}",
                     "Content-Type": "application/json", "Accept": "application/json"},
        )
        for attempt in range(1, self.attempts + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    payload = response.read()
                return json.loads(payload) if payload else None
            except urllib.error.HTTPError as exc:
                if exc.code in (502, 503, 504) and attempt < self.attempts:
                    time.sleep(self.retry_seconds)
                    continue
                detail = exc.read().decode(errors="replace")[:800]
                raise SmokeCheckFailed(f"{method} {path}: HTTP {exc.code}: {detail}") from exc
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                if attempt == self.attempts:
                    raise SmokeCheckFailed(f"{method} {path}: {exc}") from exc
                time.sleep(self.retry_seconds)
        raise AssertionError("unreachable")


@dataclass
class MwaaApi:
    """Amazon MWAA's ``InvokeRestApi`` for the environment ``name``."""

    client: Any
    name: str

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        kwargs: dict[str, Any] = {"Name": self.name, "Path": path, "Method": method}
        if body is not None:
            kwargs["Body"] = body
        try:
            return self.client.invoke_rest_api(**kwargs).get("RestApiResponse")
        except Exception as exc:  # RestApiClientException / RestApiServerException
            raise SmokeCheckFailed(f"{method} {path} (MWAA {self.name}): {exc}") from exc


@dataclass(frozen=True)
class SmokeResult:
    """The finished smoke run."""

    dag_run_id: str
    state: str
    tasks: dict[str, str | None]
    plan: dict[str, Any] | None
    seconds: float


def smoke_check(api: AirflowApi, environment: str, *, timeout: float = 1800,
                poll_seconds: float = 10, expect_no_changes: bool = False,
                unpause: bool = True, note: str | None = None,
                clock: Callable[[], float] = time.monotonic,
                sleep: Callable[[float], None] = time.sleep) -> SmokeResult:
    """Trigger ``dwh_infrastructure`` with action=plan for ``environment``; wait for it.

    Raises :class:`SmokeCheckFailed` when the run fails, times out, or (with
    ``expect_no_changes``) its plan would change something.
    """
    started = clock()
    if unpause:  # it has no schedule: unpausing only lets triggered runs start
        api.call("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    run = api.call("POST", f"/dags/{DAG_ID}/dagRuns", {
        "dag_run_id": f"smoke__{environment}__{stamp}",
        "logical_date": None,
        "conf": {"environment": environment, "action": "plan"},
        "note": note or "delivery smoke check",
    })
    run_id = run["dag_run_id"]
    quoted = urllib.parse.quote(run_id, safe="")
    state = run.get("state")
    while state not in TERMINAL:
        if clock() - started > timeout:
            raise SmokeCheckFailed(f"{DAG_ID} run {run_id} still {state} after {timeout:.0f}s")
        sleep(poll_seconds)
        state = api.call("GET", f"/dags/{DAG_ID}/dagRuns/{quoted}")["state"]
    listed = api.call("GET", f"/dags/{DAG_ID}/dagRuns/{quoted}/taskInstances")
    tasks = {t["task_id"]: t.get("state") for t in listed.get("task_instances", [])}
    plan: dict[str, Any] | None = None
    if state == "success":
        entry = api.call("GET", f"/dags/{DAG_ID}/dagRuns/{quoted}/taskInstances/plan/"
                                "xcomEntries/return_value?deserialize=true")
        value = entry.get("value") if isinstance(entry, dict) else None
        plan = json.loads(value) if isinstance(value, str) else value
    result = SmokeResult(run_id, state, tasks, plan, clock() - started)
    if state != "success":
        raise SmokeCheckFailed(f"{DAG_ID} run {run_id} ended {state}: tasks {tasks}")
    if expect_no_changes and (plan is None or plan.get("has_changes") is not False):
        summary = str((plan or {}).get("summary")).rstrip(".")
        raise SmokeCheckFailed(
            f"{DAG_ID} planned changes right after the workflow applied {environment}: "
            f"{summary}. The DAG and the workflow must plan the same thing (same var "
            "files, backend and code): see docs/delivery.md")
    return result
