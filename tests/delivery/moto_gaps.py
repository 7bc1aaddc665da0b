"""An HTTP proxy in front of a moto server that answers "not implemented" at once.

moto 5.2 has no Redshift Serverless and no Cost Explorer anomaly monitors: it answers
those calls with HTTP 500, which the AWS SDK and the Terraform provider retry for tens
of minutes. Through this proxy the same calls get an immediate 400 naming the gap, so
an apply of ``environments/aws`` ends promptly and *fails* on exactly those resources:
nothing is answered on moto's behalf, nothing pretends to succeed. Every other request
goes to moto unchanged.

One exception, for retries: when the AWS SDK sends an operation again (the same
``amz-sdk-invocation-id``, ``amz-sdk-request: attempt=2`` or more) whose earlier attempt
moto already answered, the proxy answers with moto's earlier answer instead of running
the operation twice. Under the full suite's load a client sometimes gave up on an answer
moto had sent (a create that succeeded) and its retry then failed on moto's own result:
a DynamoDB state lock held by the very Terraform that retried, a Glue table that
"already exists". Every such replay is recorded in ``replayed``.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: X-Amz-Target prefixes of the APIs moto does not implement (JSON protocol services).
NOT_IMPLEMENTED = {
    "RedshiftServerless.": "redshift-serverless",
    "AWSInsightsIndexService.": "Cost Explorer",
}


@dataclass
class MotoGapProxy:
    """``MotoGapProxy(moto_port).start()``; ``endpoint_url`` is what clients use."""

    target_port: int
    refused: list[str] = field(default_factory=list)
    replayed: list[str] = field(default_factory=list)
    _answers: OrderedDict = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def endpoint_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> MotoGapProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:  # quiet
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    self.rfile.readline()
                    return b"".join(chunks)
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _handle(self) -> None:
                body = self._body()
                target = self.headers.get("X-Amz-Target", "")
                for prefix, service in NOT_IMPLEMENTED.items():
                    if target.startswith(prefix):
                        proxy.refused.append(target)
                        payload = json.dumps({
                            "__type": "NotImplementedByMoto",
                            "message": f"moto does not implement {service} ({target})",
                        }).encode()
                        self.send_response(400)
                        self.send_header("Content-Type", "application/x-amz-json-1.1")
                        self.send_header("x-amzn-ErrorType", "NotImplementedByMoto")
                        self.send_header("Content-Length", str(len(payload)))
                        self.end_headers()
                        self.wfile.write(payload)
                        return
                invocation = self.headers.get("amz-sdk-invocation-id")
                attempt = re.search(r"attempt=(\d+)", self.headers.get("amz-sdk-request", ""))
                if invocation and attempt and int(attempt[1]) > 1:
                    with proxy._lock:
                        earlier = proxy._answers.get(invocation)
                    if earlier is not None:
                        proxy.replayed.append(f"{self.command} {self.path} {target} "
                                              f"attempt {attempt[1]}: moto answered {earlier[0]}")
                        self._answer(*earlier)
                        return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("transfer-encoding", "connection")}
                headers["Content-Length"] = str(len(body))
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.target_port,
                                                      timeout=300)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                finally:
                    upstream.close()
                answered = (answer.status, answer.reason, answer.getheaders(), data)
                # Operations that change something, answered by moto (not a 5xx, which the
                # SDK rightly retries): a retry of the same invocation gets this answer.
                if invocation and self.command not in ("GET", "HEAD") and answer.status < 500:
                    with proxy._lock:
                        proxy._answers[invocation] = answered
                        while len(proxy._answers) > 5000:
                            proxy._answers.popitem(last=False)
                self._answer(*answered)

            def _answer(self, status: int, reason: str, headers: list, data: bytes) -> None:
                self.send_response(status, reason)
                for key, value in headers:
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
