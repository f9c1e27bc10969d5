# Entry points for a fresh machine. `make run`: set up and apply the example organisation to the
# embedded reference platform. `make test`: set up and run every test, engine tests included.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: setup engine venv run test platform clean

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
	$(PY) -m sync up --stack dev --spec examples/metro-health.yaml

test: setup
	$(PY) -m pytest

platform: venv
	$(PY) -m platform_server

clean:
	rm -rf $(VENV) .pulumi-engine .pulumi-state .platform-data
