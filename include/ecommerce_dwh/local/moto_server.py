"""The moto server process that stands in for AWS in local mode.

moto's Glue crawler never finishes on its own: its state manager must be told to
advance crawls over time (``glue::crawl``). :func:`start_moto` does that, so a
crawler started by ``dwh_ingest`` reports its last crawl as finished a second later.

:func:`start_enforcing_moto` starts one that enforces IAM from its first requests on
(the end-to-end tests run the whole pipeline on it, as the worker's role): moto then
checks every request's signature against the keys of its own IAM users and assumed
roles, and the action against their policies.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecommerce_dwh.local import processes

#: moto's fixed dummy credentials: the only keys this project ever contains.
MOTO_ACCESS_KEY = "testing"
MOTO_SECRET_KEY = "testing"  # noqa: S105 - moto's documented dummy secret, not a credential

#: The IAM user an enforcing server creates first, with every permission: it stands in
#: for the deploy role (Terraform) and for a person looking at the account (the tests).
ADMIN_USER = "moto-admin"
#: How many requests moto serves unauthenticated before it enforces IAM: exactly the
#: ones that create the admin (CreateUser, PutUserPolicy, CreateAccessKey).
_ADMIN_SETUP_REQUESTS = 3
_ADMIN_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})


class EnforcementError(RuntimeError):
    """The server does not enforce IAM as expected (it must refuse moto's dummy keys)."""


@dataclass(frozen=True)
class AccessKey:
    """An IAM access key of the moto server (made at run time, never stored)."""

    access_key_id: str
    secret_access_key: str = field(repr=False)

    def boto3_kwargs(self) -> dict[str, str]:
        """``aws_access_key_id`` and ``aws_secret_access_key`` for a boto3 client."""
        return {"aws_access_key_id": self.access_key_id,
                "aws_secret_access_key": self.secret_access_key}


#: moto's dummy keys (no IAM user's: refused by a server that enforces IAM).
DUMMY_KEY = AccessKey(MOTO_ACCESS_KEY, MOTO_SECRET_KEY)


@dataclass(frozen=True)
class MotoServer:
    """A running moto server."""

    host: str
    port: int
    pid: int
    pid_file: Path
    log_file: Path

    @property
    def endpoint_url(self) -> str:
        """``http://host:port``, for boto3, Terraform and the ``aws_default`` connection."""
        return f"http://{self.host}:{self.port}"


def set_transition(endpoint_url: str, model_name: str, transition: dict[str, object]) -> None:
    """Tell moto's state manager how ``model_name`` advances (e.g. ``glue::crawl``)."""
    body = json.dumps({"model_name": model_name, "transition": transition}).encode()
    req = urllib.request.Request(
        f"{endpoint_url}/moto-api/state-manager/set-transition", data=body, method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback only
        resp.read()


def start_moto(
    state_dir: Path,
    port: int | None = None,
    host: str = "127.0.0.1",
    crawl_seconds: int = 1,
    timeout: float = 30,
) -> MotoServer:
    """Start ``moto_server`` on loopback, record its PID and set the crawl transition."""
    server = _start(state_dir, port, host, crawl_seconds, timeout, env=None)
    (state_dir / "moto.endpoint").write_text(server.endpoint_url + "\n")
    return server


@dataclass(frozen=True)
class EnforcingMotoServer(MotoServer):
    """A moto server that enforces IAM, and the access key of its admin user."""

    admin: AccessKey = field(kw_only=True)

    def client(self, service: str, key: AccessKey | None = None,
               region: str = "us-east-2", **kwargs: Any) -> Any:
        """A boto3 client of this server, as ``key`` (default: the admin)."""
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=region,
                            **(key or self.admin).boto3_kwargs(), **kwargs)


def start_enforcing_moto(
    state_dir: Path,
    port: int | None = None,
    host: str = "127.0.0.1",
    crawl_seconds: int = 1,
    timeout: float = 30,
) -> EnforcingMotoServer:
    """Start ``moto_server`` with IAM enforcement on from its start, and create its admin.

    moto serves ``INITIAL_NO_AUTH_ACTION_COUNT`` requests (counted from the process's
    start) without checking them, then checks each one's signature and action. The
    three free requests create the admin user (policy ``*`` on ``*``) and its access
    key; then a request with moto's dummy keys must be refused, or this raises
    :class:`EnforcementError` and stops the server. The state manager's
    ``/moto-api/`` calls (the crawl transition) are not AWS actions and stay open.
    """
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": str(_ADMIN_SETUP_REQUESTS)}
    server = _start(state_dir, port, host, crawl_seconds, timeout, env=env)
    try:
        admin = _create_admin(server)
        enforcing = EnforcingMotoServer(server.host, server.port, server.pid, server.pid_file,
                                        server.log_file, admin=admin)
        _check_enforced(enforcing)
    except BaseException:
        processes.stop(server.pid_file)
        raise
    (state_dir / "moto.endpoint").write_text(server.endpoint_url + "\n")
    return enforcing


def _create_admin(server: MotoServer) -> AccessKey:
    import boto3

    iam = boto3.client("iam", endpoint_url=server.endpoint_url, region_name="us-east-1",
                       **DUMMY_KEY.boto3_kwargs())
    iam.create_user(UserName=ADMIN_USER)
    iam.put_user_policy(UserName=ADMIN_USER, PolicyName="administrator",
                        PolicyDocument=_ADMIN_POLICY)
    key = iam.create_access_key(UserName=ADMIN_USER)["AccessKey"]
    return AccessKey(key["AccessKeyId"], key["SecretAccessKey"])


def _check_enforced(server: EnforcingMotoServer) -> None:
    from botocore.exceptions import ClientError

    try:
        server.client("iam", key=DUMMY_KEY).list_users()
    except ClientError as error:
        if error.response["Error"]["Code"] != "InvalidClientTokenId":
            raise EnforcementError(f"moto refused its dummy keys, but not as an unknown "
                                   f"key: {error}") from error
    else:
        raise EnforcementError(f"moto at {server.endpoint_url} accepted its dummy keys after "
                               f"{_ADMIN_SETUP_REQUESTS} requests: IAM is not enforced")
    users = server.client("iam").list_users()["Users"]
    if [u["UserName"] for u in users] != [ADMIN_USER]:
        raise EnforcementError(f"moto at {server.endpoint_url} holds other users than its "
                               f"admin: {users}")


def _start(state_dir: Path, port: int | None, host: str, crawl_seconds: int, timeout: float,
           env: dict[str, str] | None) -> MotoServer:
    port = port or processes.free_port(host)
    pid_file = state_dir / "moto.pid"
    log_file = state_dir / "logs" / "moto.log"
    moto_bin = Path(sys.executable).with_name("moto_server")
    pid = processes.start([str(moto_bin), "-H", host, "-p", str(port)], pid_file, log_file,
                          env=env)
    try:
        processes.wait_for_port(host, port, timeout, pid_file, log_file)
        server = MotoServer(host, port, pid, pid_file, log_file)
        set_transition(
            server.endpoint_url, "glue::crawl", {"progression": "time", "seconds": crawl_seconds}
        )
    except BaseException:
        processes.stop(pid_file)
        raise
    return server


def stop_moto(state_dir: Path) -> bool:
    """Stop the moto server recorded under ``state_dir``; True if one was running."""
    (state_dir / "moto.endpoint").unlink(missing_ok=True)
    return processes.stop(state_dir / "moto.pid")


def running_endpoint(state_dir: Path) -> str | None:
    """The endpoint of the moto server recorded under ``state_dir``, if it is alive."""
    if processes.read_pid(state_dir / "moto.pid") is None:
        return None
    try:
        return (state_dir / "moto.endpoint").read_text().strip()
    except FileNotFoundError:
        return None
