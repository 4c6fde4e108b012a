# Two commands on a fresh Debian/Ubuntu machine: `make demo` and `make test`. Each first installs what
# is missing (system packages such as ffmpeg, then .venv with vidlint and its dev extras, through
# scripts/setup.sh); both can be run again at will.
.PHONY: demo test setup

VENV := .venv
STAMP := $(VENV)/.vidlint-installed
TOOLS := ffprobe mediainfo mediaconch git openssl

# Set-up runs again when pyproject.toml or the set-up script changed, or when a tool has gone missing.
setup:
	@for tool in $(TOOLS); do command -v $$tool >/dev/null 2>&1 || rm -f $(STAMP); done
	@[ -x $(VENV)/bin/vidlint ] || rm -f $(STAMP)
	@$(MAKE) --no-print-directory $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	@touch $@

# The demo folder holds failing clips on purpose: exit 1 (findings) is the expected answer; 2 or more fails.
demo: setup
	@rc=0; $(VENV)/bin/vidlint check sample_media || rc=$$?; \
	echo "make demo: vidlint exited $$rc (0: all passed, 1: findings, as expected here; 2: usage error)"; \
	[ $$rc -le 1 ]

# pytest exits 5 when it collected no test: a broken suite, never a pass.
test: setup
	@rc=0; $(VENV)/bin/python -m pytest || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$rc
