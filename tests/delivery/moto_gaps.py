"""An HTTP proxy in front of a moto server that answers "not implemented" at once.

moto 5.2 has no Redshift Serverless and no Cost Explorer anomaly monitors: it answers
those calls with HTTP 500, which the AWS SDK and the Terraform provider retry for tens
of minutes. Through this proxy the same calls get an immediate 400 naming the gap, so
an apply of ``environments/aws`` ends promptly and *fails* on exactly those resources:
nothing is answered on moto's behalf, nothing pretends to succeed. Every other request
goes to moto unchanged.
"""

from __future__ import annotations

import http.client
import json
import threading
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
                self.send_response(answer.status, answer.reason)
                for key, value in answer.getheaders():
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
