"""A TCP proxy in front of the moto server that can take the AWS endpoint away.

moto keeps its state in memory, so killing the server would also lose the buckets, the
crawler and the topic that Terraform created, which a real S3 outage does not. To
stage "the endpoint goes down in the middle of an upload", Airflow talks to moto through
this proxy: after ``trip_after`` object PUTs under ``raw/``, it closes every open
connection and refuses new ones for ``down_seconds``, then listens again on the same
port. To the client that is exactly a server that stopped and came back.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class FaultProxy:
    target_port: int
    trip_after: int = 0  # 0: never trip
    down_seconds: float = 20.0
    port: int = 0
    puts_seen: int = 0
    outages: list[tuple[float, float]] = field(default_factory=list)
    _listener: socket.socket | None = None
    _conns: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._listen()
        return self

    def stop(self) -> None:
        self._stopped = True
        self._drop_everything()

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # listener closed: the endpoint is down
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False),
                             daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                if from_client and data.startswith(b"PUT /") and b"/raw/" in data[:300]:
                    with self._lock:
                        self.puts_seen += 1
                        trip = self.trip_after and self.puts_seen == self.trip_after
                    if trip:
                        threading.Thread(target=self._outage, daemon=True).start()
                        return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.close()

    def _drop_everything(self) -> None:
        with self._lock:
            socks = [self._listener, *self._conns] if self._listener else list(self._conns)
            self._conns.clear()
            self._listener = None
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _outage(self) -> None:
        began = time.monotonic()
        self._drop_everything()
        time.sleep(self.down_seconds)
        if not self._stopped:
            self._listen()
        self.outages.append((began, time.monotonic()))
