"""Real servers for the catalog tests: moto's S3 server and a Dask cluster, each as subprocesses on
127.0.0.1, started once per module that asks for them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.server import unused_port

VENV_BIN = Path(sys.executable).parent


def _wait_http(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture(scope="module")
def s3_server(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's S3 server (a real S3 API over HTTP), with the standard AWS variables pointing at it."""
    port = unused_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_http(endpoint, process)
        for key, value in {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            monkeypatch_module.setenv(key, value)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    """A Dask scheduler and two workers, each its own process (the dask-scheduler / dask-worker CLIs)."""
    port, dashboard = unused_port(), unused_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    scheduler = subprocess.Popen(
        [str(VENV_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
         "--dashboard-address", f"127.0.0.1:{dashboard}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [
                str(VENV_BIN / "dask"),
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nworkers",
                "1",
                "--nthreads",
                "2",
                "--no-dashboard",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        for _ in range(2)
    ]
    try:
        _wait_workers(address, 2)
        yield address
    finally:
        for process in (*workers, scheduler):
            process.terminate()
        for process in (*workers, scheduler):
            process.wait(timeout=20)


def _wait_workers(address: str, count: int) -> None:
    """In a child process: a Client here would leave distributed's threads in the test process, and
    the probe workers that a later local run forks must come from a process without them."""
    code = (
        "import sys; from distributed import Client; "
        "c = Client(sys.argv[1], timeout=30); c.wait_for_workers(int(sys.argv[2]), timeout=60); c.close()"
    )
    subprocess.run([sys.executable, "-c", code, address, str(count)], check=True, timeout=120)
