#!/usr/bin/env bash
# One set-up command for a fresh Debian/Ubuntu machine (README: "Set up").
# Installs the system packages vidlint needs when they are missing (ffmpeg for ffprobe, libmagic1 for
# python-magic, git for the pre-commit test; mediainfo and mediaconch only for the benchmarks' baselines),
# then creates .venv and installs vidlint with its dev extras into it. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v mediainfo >/dev/null 2>&1 || missing+=(mediainfo)
command -v mediaconch >/dev/null 2>&1 || missing+=(mediaconch)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
dpkg -s libmagic1 >/dev/null 2>&1 || missing+=(libmagic1)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)

if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing system packages: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
echo "setup: done ($(.venv/bin/vidlint --version 2>/dev/null || echo 'vidlint installed'))"
