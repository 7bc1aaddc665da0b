"""A warm local Spark that runs Glue job scripts: local mode's stand-in for Glue's compute.

moto stands in for AWS's APIs; this stands in for the machines a Glue job run gets. It is
one long-lived Python process holding one SparkSession (``local[N]``, loopback only), and
a small HTTP server on 127.0.0.1 that runs one script at a time:

    POST /run  {"script": path, "py_files": [zip paths], "argv": [...], "log_file": path}
      -> 200 {"ok": true, "seconds": s}   |   500 {"ok": false, "error": traceback}
    GET /health -> 200 {"ok": true, "runs": n}

The script runs exactly as ``spark-submit --py-files <zips> <script> <argv>`` would run
it: as ``__main__``, with the zips first on ``sys.path`` and shipped to the executors,
``SparkSession.builder.getOrCreate()`` returning the warm session. Starting a JVM and
warming it up takes longer than a small day's job, hence the service; a run whose zips
differ from the previous run's gets a fresh SparkSession and fresh imports, so a script
always runs the modules it was given.

Deliberately outside the ``ecommerce_dwh`` package, importing only the standard library
and pyspark: the scripts import ``ecommerce_dwh`` from their zip, never from here.

    python include/glue/local_spark_service.py --port 4050 --master 'local[2]' \\
        --conf spark.ui.enabled=false ...
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import runpy
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

log = logging.getLogger("local_spark_service")


class Runner:
    """Runs scripts one at a time on a SparkSession kept across runs with the same zips."""

    def __init__(self, master: str, conf: dict[str, str], work_dir: Path) -> None:
        self.master, self.conf, self.work_dir = master, conf, work_dir
        self.spark: Any = None
        self.zips: list[str] = []
        self.runs = 0
        self.lock = threading.Lock()

    def _store(self, path: str) -> str:
        """A copy of a zip named by its content, which outlives the caller's scratch folder."""
        data = Path(path).read_bytes()
        stored = self.work_dir / f"{hashlib.sha256(data).hexdigest()[:16]}-{Path(path).name}"
        if not stored.exists():
            stored.write_bytes(data)
        return str(stored)

    def _start(self) -> Any:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(self.master).appName("local-glue")
        for name, value in self.conf.items():
            builder = builder.config(name, value)
        return builder.getOrCreate()

    def session(self, zips: list[str]) -> Any:
        """The warm session, with ``zips`` on the path of the driver and the executors."""
        stored = [self._store(z) for z in zips]
        if self.spark is None:
            self.spark = self._start()
        if stored == self.zips:
            return self.spark
        if self.zips:
            log.info("other zips than the last run's: a fresh SparkSession and imports")
            self.spark.stop()
            self._forget_modules()
            for old in self.zips:
                with contextlib.suppress(ValueError):
                    sys.path.remove(old)
            self.spark = self._start()
        for path in stored:
            sys.path.insert(0, path)
            self.spark.sparkContext.addPyFile(path)
        self.zips = stored
        return self.spark

    def _forget_modules(self) -> None:
        """Drop every module imported from the previous zips (so the new ones load)."""
        for name, module in list(sys.modules.items()):
            origin = getattr(module, "__file__", None) or ""
            if any(origin.startswith(z) for z in self.zips):
                del sys.modules[name]

    def run(self, script: str, py_files: list[str], argv: list[str], log_file: str) -> float:
        """Run ``script`` as ``__main__`` with ``argv``; its log lines go to ``log_file``."""
        with self.lock:
            started = time.monotonic()
            self.session(py_files)
            handler = logging.FileHandler(log_file, mode="w")
            handler.setFormatter(logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root = logging.getLogger()
            root.addHandler(handler)
            saved_argv = sys.argv
            sys.argv = [script, *argv]
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as exit_:
                if exit_.code not in (0, None):
                    raise RuntimeError(f"{script} exited with {exit_.code}") from None
            finally:
                sys.argv = saved_argv
                root.removeHandler(handler)
                handler.close()
                if self.spark is not None:
                    self.spark.catalog.clearCache()
            self.runs += 1
            return time.monotonic() - started


def make_handler(runner: Runner) -> type[BaseHTTPRequestHandler]:
    """The request handler bound to ``runner``."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/health":
                self._reply(200, {"ok": True, "runs": runner.runs})
            else:
                self._reply(404, {"ok": False, "error": f"no {self.path}"})

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            if self.path != "/run":
                self._reply(404, {"ok": False, "error": f"no {self.path}"})
                return
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            try:
                seconds = runner.run(request["script"], request.get("py_files", []),
                                     request.get("argv", []), request["log_file"])
            except BaseException:  # the script's failure is the run's result, not ours
                self._reply(500, {"ok": False, "error": traceback.format_exc()})
            else:
                self._reply(200, {"ok": True, "seconds": seconds})

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.info("%s %s", self.address_string(), format % args)

    return Handler


def warm_up(spark: Any, work_dir: Path) -> float:
    """Run once, on a few rows, the kinds of Spark work a Glue job script of this project
    does (a ``binaryFile`` read, a Python pass over the bytes, typing with a window and
    ``try_to_timestamp``, a collected aggregate, a sorted single-file Parquet write), so
    that the first real run does not pay for loading and compiling them: about 6 s of a
    small day's 18 s on a 2-core machine. Returns the seconds it took."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    started = time.monotonic()
    folder = work_dir / "warm-up"
    (folder / "in").mkdir(parents=True, exist_ok=True)
    (folder / "in" / "rows.csv").write_text("id,at\n1,2024-01-01 00:00:00\n2,x\n")
    files = spark.read.format("binaryFile").load(str(folder / "in"))
    files.select("path", F.sha2("content", 256)).collect()
    lines = files.select("content").rdd.flatMap(
        lambda row: [tuple(line.split(","))
                     for line in bytes(row.content).decode().splitlines()[1:]])
    typed = (spark.createDataFrame(lines, "id string, at string").cache()
             .withColumn("at", F.expr("try_to_timestamp(at, 'yyyy-MM-dd HH:mm:ss')")
                         .cast("timestamp_ntz"))
             .withColumn("copy", F.row_number().over(Window.partitionBy("at").orderBy("id"))))
    typed.groupBy("copy").count().collect()
    (typed.coalesce(1).sortWithinPartitions("id")
     .write.mode("overwrite").parquet(str(folder / "out")))
    spark.catalog.clearCache()
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting, as spark-submit's --conf")
    parser.add_argument("--work-dir", type=Path, required=True,
                        help="where the service keeps the zips it was given")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    conf = dict(item.split("=", 1) for item in args.conf)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    runner = Runner(args.master, conf, args.work_dir)
    # Start the JVM and the Python workers, and warm them up, before a run is asked for.
    seconds = warm_up(runner.session([]), args.work_dir)
    log.info("warmed up in %.1f s", seconds)
    server = HTTPServer((args.host, args.port), make_handler(runner))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    log.info("local Spark service on http://%s:%d (%s)", args.host, args.port, args.master)
    server.serve_forever()
    runner.spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
