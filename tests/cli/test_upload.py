"""``vidlint upload`` and ``vidlint sandbox``: the upload handler in process, the sandbox as a process."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from clients.support import ADVERTISER, SAMPLES, SECRET, walmart_keys

from vidlint.cli.sandbox import add_sandbox_parser
from vidlint.cli.upload import add_upload_parser
from vidlint.sandbox import SandboxServer
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import OK_CLIP, VIDLINT, Cli


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
    assert code == 0 and "mediaId=" in out and "status AVAILABLE (finished, accepted)" in out
    assert err.startswith("vidlint: waiting for samsclub mediaId") and "finished after" in err


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
    code, out, err = upload_to_samsclub(server, "hd720_10s.mp4", "Clip", "--force", *WAIT_QUICKLY)
    assert code == 1
    assert "REJECTED" in out and "E_MIN_PIXEL" in out
    assert err.count("FORCED UPLOAD") == 1 and "vidlint: warning: FORCED UPLOAD" in err


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


# -- issue 12: what a real user trips over ------------------------------------------------------------------
def clip(name: str = OK_CLIP) -> str:
    return str(SAMPLES / name)


@pytest.fixture
def akinon_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VIDLINT_CREDENTIALS", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("VIDLINT_AKINON_TOKEN", SECRET)


@pytest.mark.usefixtures("samsclub_env")
def test_wait_against_the_sandbox_shows_progress_and_ends_in_seconds(
    cli: Cli, vidlint_sandbox: SandboxFactory
) -> None:
    """The README's example as is: the sandbox's default settings, --wait without any poll option."""
    server = vidlint_sandbox("samsclub")
    started = time.monotonic()
    meta = "mediaName=Spring"
    result = cli("upload", clip(), "-m", "samsclub", "--meta", meta, "--base-url", server.url, "--wait")
    took = time.monotonic() - started
    assert result.code == 0, result.err
    assert "status AVAILABLE (finished, accepted)" in result.out
    lines = result.err.splitlines()
    assert lines[0].startswith("vidlint: waiting for samsclub mediaId ")
    assert "first poll after 0.5 s, then every 0.5 s, up to 5 min" in lines[0]
    assert all(line.startswith("vidlint: samsclub mediaId ") for line in lines[1:])
    assert any(re.search(r": PENDING, [\d.]+ s elapsed, next poll in 0.5 s$", line) for line in lines[1:])
    assert re.search(r": AVAILABLE, [\d.]+ s elapsed, finished after \d+ polls?$", lines[-1])
    assert took < 20


def test_the_wait_defaults_are_in_the_help(cli: Cli) -> None:
    result = cli("upload", "--help")
    text = " ".join(result.out.split())
    assert result.code == 0
    assert "samsclub 30 min, 15 min, 4 h" in text and "trendyol 10 s, 30 s, 1 h" in text
    assert "loopback base URL): 0.5 s, 0.5 s, 5 min" in text


@pytest.mark.usefixtures("samsclub_env")
def test_a_long_first_poll_is_announced_before_waiting(
    cli: Cli, vidlint_sandbox: SandboxFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting never starts silently: the schedule (and how to change it) is printed first. The times not
    given keep the default of the address the client talks to (here a sandbox named by the environment)."""
    server = vidlint_sandbox("samsclub", processing_delay_s=60)
    monkeypatch.setenv("VIDLINT_SAMSCLUB_BASE_URL", server.url)
    result = cli(
        "upload", clip(), "-m", "samsclub", "--meta", "mediaName=Spring",
        "--wait", "--first-poll", "0.2", "--timeout", "0.3",
    )  # fmt: skip
    assert result.code == 0 and "status PENDING (still processing, not judged yet)" in result.out
    first, *rest = result.err.splitlines()
    assert "first poll after 0.2 s, then every 0.5 s, up to 0.3 s" in first and "--first-poll" in first
    assert rest[-1].endswith("giving up (the wait's time budget is spent)")


@pytest.mark.parametrize("image", ["ok.jpg", "ok.png"])
@pytest.mark.usefixtures("akinon_env")
def test_an_image_goes_to_akinons_product_image_endpoint(
    cli: Cli, vidlint_sandbox: SandboxFactory, image: str
) -> None:
    server = vidlint_sandbox("akinon")
    path = clip(f"images/{image}")
    assert cli("check", path, "-m", "akinon").code == 0
    result = cli("upload", path, "-m", "akinon", "--meta", "product=5", "--base-url", server.url)
    assert (result.code, result.err) == (0, "")
    assert "status CREATED (finished, accepted)" in result.out and "product image" in result.out
    assert [r.path for r in server.requests if r.method == "POST"] == ["/api/v1/product_image/"]
    [item] = server.app.state()["items"]
    assert item["kind"] == "image" and item["product"] == 5


@pytest.mark.usefixtures("akinon_env")
def test_a_forced_broken_image_gets_akinons_image_error(cli: Cli, vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    path = clip("images/corrupt.png")
    result = cli("upload", path, "-m", "akinon", "--meta", "product=5", "--base-url", server.url, "--force")
    assert result.code == 1
    assert "POST /api/v1/product_image/: HTTP 400" in result.err
    assert "image.invalid_image [akinon.image]" in result.err


def test_force_warns_once_cleanly_without_pythons_warning_line(
    vidlint_sandbox: SandboxFactory, tmp_path: Path
) -> None:
    """As a user runs it (the console script, in its own process): one ``vidlint: warning:`` line."""
    server = vidlint_sandbox("akinon")
    env = {**os.environ, "VIDLINT_CREDENTIALS": str(tmp_path / "absent.toml"), "VIDLINT_AKINON_TOKEN": SECRET}
    argv = [VIDLINT, "upload", clip("mp4_named.mov"), "-m", "akinon", "--meta", "product=5"]
    done = subprocess.run(
        [*argv, "--base-url", server.url, "--force"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr.count("FORCED UPLOAD") == 1 and done.stderr.count("warning") == 1
    assert done.stderr.startswith("vidlint: warning: FORCED UPLOAD: ")
    assert "ForcedUploadWarning" not in done.stderr and ".py:" not in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.usefixtures("samsclub_env")
def test_a_preflight_failure_shows_what_check_shows(cli: Cli, vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub")
    path = clip("rotated_90_10s.mp4")
    checked = cli("check", path, "-m", "samsclub")
    uploaded = cli("upload", path, "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url)
    reasons = [line.strip() for line in checked.out.splitlines() if line.startswith("    error ")]
    assert len(reasons) == 2 and all("(expected " in r and ", actual " in r for r in reasons)
    assert uploaded.code == 1 and uploaded.out == ""
    assert [line.strip() for line in uploaded.err.splitlines()[1:]] == reasons
    assert "[samsclub.aspect-ratio]" in uploaded.err
    assert server.requests == []


@pytest.mark.parametrize(
    ("marketplace", "says"),
    [
        ("trendyol", "--publish-command"),
        ("ecwid", "--publish-command"),
        ("shoplive", "not offered by this provider's API"),
    ],
)
def test_an_upload_the_marketplace_cannot_take_is_a_usage_error(
    cli: Cli, vidlint_sandbox: SandboxFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    marketplace: str, says: str,
) -> None:  # fmt: skip
    """Exit 2 (1 means findings), one line in the command line's own terms, before anything is read."""
    server = vidlint_sandbox(marketplace)
    monkeypatch.setenv("VIDLINT_CREDENTIALS", str(tmp_path / "absent.toml"))  # and no credentials at all
    result = cli("upload", clip(), "-m", marketplace, "--base-url", server.url)
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("vidlint: error: ") and says in result.err
    assert "publisher=" not in result.err and "()" not in result.err
    assert server.requests == []


@pytest.mark.usefixtures("samsclub_env")
def test_the_private_key_can_come_from_a_file(
    cli: Cli, vidlint_sandbox: SandboxFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1])  # verifies every signature
    key = tmp_path / "walmart.pem"
    key.write_text(walmart_keys()[0])
    monkeypatch.delenv("VIDLINT_SAMSCLUB_PRIVATE_KEY")
    monkeypatch.setenv("VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE", str(key))
    result = cli("upload", clip(), "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url)
    assert (result.code, result.err) == (0, "")
    assert "status PENDING" in result.out


@pytest.mark.usefixtures("samsclub_env")
def test_a_key_path_in_the_key_variable_says_which_variable_to_use(
    cli: Cli, vidlint_sandbox: SandboxFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = vidlint_sandbox("samsclub")
    key = tmp_path / "walmart.pem"
    key.write_text(walmart_keys()[0])
    monkeypatch.setenv("VIDLINT_SAMSCLUB_PRIVATE_KEY", str(key))
    result = cli("upload", clip(), "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url)
    assert result.code == 2 and result.err.count("\n") == 1
    said = "VIDLINT_SAMSCLUB_PRIVATE_KEY: looks like a file path: use VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE"
    assert said in result.err
    assert server.requests == []


@pytest.mark.parametrize(
    "bad",
    [
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" * 12,  # base64, not a key
        "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
    ],
    ids=["base64", "pem"],
)
@pytest.mark.usefixtures("samsclub_env")
def test_an_unreadable_rsa_key_is_one_line_naming_the_variable(
    cli: Cli, vidlint_sandbox: SandboxFactory, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    server = vidlint_sandbox("samsclub")
    monkeypatch.setenv("VIDLINT_SAMSCLUB_PRIVATE_KEY", bad)
    result = cli("upload", clip(), "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url)
    assert result.code == 2 and result.err.count("\n") == 1
    said = "private_key from VIDLINT_SAMSCLUB_PRIVATE_KEY: is not a readable unencrypted RSA key"
    assert said in result.err
    assert "bm90IGEga2V5" not in result.err and "MIIEvQ" not in result.err
    assert server.requests == []


@pytest.mark.usefixtures("samsclub_env")
def test_a_publish_command_for_a_provider_that_takes_files_is_ignored_with_a_warning(
    cli: Cli, vidlint_sandbox: SandboxFactory
) -> None:
    server = vidlint_sandbox("samsclub")
    result = cli(
        "upload", clip(), "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url,
        "--publish-command", "false {path}",
    )  # fmt: skip
    assert result.code == 0 and "status PENDING" in result.out
    assert result.err == "vidlint: warning: --publish-command is ignored: samsclub takes the file itself\n"


@pytest.mark.usefixtures("samsclub_env")
def test_a_schedule_that_could_spin_is_a_usage_error(cli: Cli, vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub")
    result = cli(
        "upload", clip(), "-m", "samsclub", "--meta", "mediaName=Clip", "--base-url", server.url,
        "--wait", "--poll-every", "0",
    )  # fmt: skip
    assert result.code == 2 and result.err.count("\n") == 1 and "--poll-every" in result.err
    assert server.requests == []
