# Entry points for a fresh machine. `make run`: set up and apply the example organisation to the
# embedded reference platform. `make test`: set up and run every test, engine tests included.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: setup engine venv browser postgres node mermaid run test platform clean

setup: venv engine

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

engine:
	@engine/provide.sh >/dev/null

run: setup
	$(PY) -m sync up --embedded --stack dev --spec examples/metro-health.yaml

test: setup browser postgres node mermaid
	$(PY) -m pytest

# The entry-page tests drive Debian's Chromium through its chromedriver (Selenium downloads nothing).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	    echo "installing chromium and chromium-driver from Debian's packages"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# The shared-state tests start PostgreSQL servers of their own from Debian's binaries; the service the
# package starts on install is stopped (nothing uses it).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	    echo "installing postgresql from Debian's packages"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null && \
	    { $(SUDO) service postgresql stop >/dev/null 2>&1 || true; }; }

# The workflow tests run the workflows' github-script steps with Node.js.
node:
	@command -v node >/dev/null || { \
	    echo "installing nodejs from Debian's packages"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs >/dev/null; }

# The diagram tests render Mermaid with its own browser bundle: the pinned npm package in tests/support/mermaid
# (package-lock.json), installed by npm (Debian's npm when missing), rendered in the browser above.
MERMAID := tests/support/mermaid
mermaid: node $(MERMAID)/node_modules/.installed

$(MERMAID)/node_modules/.installed: $(MERMAID)/package.json $(MERMAID)/package-lock.json
	@command -v npm >/dev/null || { \
	    echo "installing npm from Debian's packages"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	cd $(MERMAID) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

platform: venv
	$(PY) -m platform_server

clean:
	rm -rf $(VENV) .pulumi-engine .pulumi-state .platform-data
