"""``vidlint upload`` and ``vidlint sandbox``: the upload handler in process, the sandbox as a process."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from clients.support import ADVERTISER, SAMPLES, SECRET, walmart_keys

from vidlint.cli.sandbox import add_sandbox_parser
from vidlint.cli.upload import add_upload_parser
from vidlint.sandbox import SandboxServer
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import Cli


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vidlint")
    commands = parser.add_subparsers()
    add_upload_parser(commands)
    add_sandbox_parser(commands)
    return parser.parse_args(list(argv))


def run(*argv: str) -> tuple[int, str, str]:
    args = parse(*argv)
    out, err = io.StringIO(), io.StringIO()
    code = args.handler(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


WAIT_QUICKLY = ("--wait", "--first-poll", "0", "--poll-every", "0.05")


def upload_to_samsclub(server: SandboxServer, clip: str, name: str, *options: str) -> tuple[int, str, str]:
    """``vidlint upload sample_media/<clip> -m samsclub --meta mediaName=<name>`` against the sandbox."""
    meta = f"mediaName={name}"
    return run(
        "upload", str(SAMPLES / clip), "-m", "samsclub", "--meta", meta, "--base-url", server.url, *options
    )


@pytest.fixture
def samsclub_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIDLINT_CREDENTIALS", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("VIDLINT_SAMSCLUB_ADVERTISER_ID", str(ADVERTISER))
    monkeypatch.setenv("VIDLINT_SAMSCLUB_CONSUMER_ID", "consumer-1")
    monkeypatch.setenv("VIDLINT_SAMSCLUB_AUTH_TOKEN", SECRET)
    monkeypatch.setenv("VIDLINT_SAMSCLUB_PRIVATE_KEY", walmart_keys()[0])


@pytest.mark.usefixtures("samsclub_env")
def test_upload_prints_ids_and_status(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    code, out, err = upload_to_samsclub(
        server, "ok_h264_aac_1080p_10s.mp4", "Spring sale", *WAIT_QUICKLY, "--timeout", "10"
    )
    assert (code, err) == (0, "")
    assert "mediaId=" in out and "status AVAILABLE (finished, accepted)" in out


@pytest.mark.usefixtures("samsclub_env")
def test_upload_json_output(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub")
    code, out, _ = upload_to_samsclub(server, "ok_h264_aac_1080p_10s.mp4", "Clip", "--format", "json")
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "PENDING" and answer["done"] is False


@pytest.mark.usefixtures("samsclub_env")
def test_a_failing_clip_exits_1_with_its_findings_and_sends_nothing(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub")
    code, out, err = upload_to_samsclub(server, "hd720_10s.mp4", "Clip")
    assert code == 1 and out == ""
    assert "E_MIN_PIXEL" in err and "nothing was sent" in err
    assert server.requests == []


@pytest.mark.usefixtures("samsclub_env")
def test_a_provider_rejection_exits_1(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    with pytest.warns(UserWarning, match="FORCED"):
        code, out, err = upload_to_samsclub(server, "hd720_10s.mp4", "Clip", "--force", *WAIT_QUICKLY)
    assert code == 1
    assert "REJECTED" in out and "E_MIN_PIXEL" in out
    assert "--force" in err


def test_a_publish_command_publishes_for_url_only_providers(
    vidlint_sandbox: SandboxFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=0.0, approval_delay_s=0.0)
    files = vidlint_sandbox("shoplive")  # any server: the publish command prints a URL on it
    for name, value in {
        "SELLER_ID": "9",
        "API_KEY": "k",
        "API_SECRET": SECRET,
        "STORE_FRONT_CODE": "TR",
    }.items():
        monkeypatch.setenv(f"VIDLINT_TRENDYOL_{name}", value)
    monkeypatch.setenv("VIDLINT_CREDENTIALS", str(tmp_path / "absent.toml"))
    script = f"import sys; print('uploading', sys.argv[1]); print('{files.url}/v.mp4')"
    command = f'{sys.executable} -c "{script}" {{path}}'
    code, out, _ = run(
        "upload",
        str(SAMPLES / "ok_h264_aac_1080p_10s.mp4"),
        "-m",
        "trendyol",
        "--meta",
        "title=Clip",
        "--meta",
        'productContentIds=["5"]',
        "--base-url",
        server.url,
        "--publish-command",
        command,
    )
    assert code == 0 and "videoId=" in out
    assert server.app.state()["videos"][0]["videoUrl"] == f"{files.url}/v.mp4"


def test_the_sandbox_runs_as_its_own_process_until_told_to_stop() -> None:
    argv = [sys.executable, "-m", "vidlint.sandbox", "samsclub", "--port", "0", "--for", "60"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            url = first_line(proc, timeout_s=30)
            assert url.startswith("http://127.0.0.1:")
            health = httpx.get(f"{url}/_sandbox/health", timeout=5).json()
            assert health == {"provider": "samsclub", "ok": True}
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_bad_sandbox_settings_are_one_line() -> None:
    argv = [sys.executable, "-m", "vidlint.sandbox", "samsclub", "--set", "processing_delay_s=soon"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "processing_delay_s" in done.stderr


def first_line(proc: subprocess.Popen[str], timeout_s: float) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout_s):
            raise AssertionError("the sandbox printed no address in time")
    return proc.stdout.readline().strip()


def test_building_the_parsers_stays_cheap() -> None:
    code = (
        "import sys, argparse; from vidlint.cli.upload import add_upload_parser; "
        "from vidlint.cli.sandbox import add_sandbox_parser; "
        "p = argparse.ArgumentParser(); s = p.add_subparsers(); add_upload_parser(s); add_sandbox_parser(s); "
        "print(','.join(m for m in ('pydantic', 'httpx', 'cryptography') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == ""


def test_every_public_client_name_resolves() -> None:
    import vidlint.clients

    for name in vidlint.clients.__all__:
        assert getattr(vidlint.clients, name) is not None, name


# -- issue 11: one line, exit 2, no secret, nothing sent ----------------------------------------------------
@pytest.mark.parametrize("port", ["70000", "-1", "65536", "eighty"])
def test_a_port_outside_the_range_is_one_line_and_exit_2(cli: Cli, port: str) -> None:
    result = cli("sandbox", "samsclub", "--port", port)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "--port" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_outside_the_range_is_one_line_as_a_module_too(port: str) -> None:
    argv = [sys.executable, "-m", "vidlint.sandbox", "samsclub", "--port", port]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "65535" in done.stderr and "Traceback" not in done.stderr


def test_a_port_in_use_is_one_line_and_exit_2(cli: Cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = cli("sandbox", "samsclub", "--port", port)
        argv = [sys.executable, "-m", "vidlint.sandbox", "samsclub", "--port", port]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    for code, err in ((result.code, result.err), (done.returncode, done.stderr)):
        assert code == 2
        assert err.count("\n") == 1 and f"127.0.0.1:{port}" in err and "in use" in err


@pytest.mark.parametrize(
    "bad", [SECRET + "\n", SECRET + " ", SECRET + "\u00e9"], ids=["newline", "space", "non-ascii"]
)
@pytest.mark.usefixtures("samsclub_env")
def test_upload_with_a_malformed_token_is_one_line_naming_the_variable(
    cli: Cli,
    vidlint_sandbox: SandboxFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    bad: str,
) -> None:
    server = vidlint_sandbox("samsclub")
    monkeypatch.setenv("VIDLINT_SAMSCLUB_AUTH_TOKEN", bad)
    clip = str(SAMPLES / "ok_h264_aac_1080p_10s.mp4")
    with caplog.at_level(logging.DEBUG):
        result = cli("upload", clip, "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "VIDLINT_SAMSCLUB_AUTH_TOKEN" in result.err
    assert SECRET not in result.err and SECRET not in caplog.text
    assert server.requests == []
