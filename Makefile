# The two commands a fresh machine needs: `make run` and `make test`. Each installs what it needs.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# On loopback unless HOST says otherwise (HOST=0.0.0.0 PUBLIC_URL=http://<LAN address>:5000 for a LAN
# demo). exec: make's SIGTERM then reaches gunicorn itself, which stops everything it started.
run: $(STAMP)
	exec $(VENV)/bin/gunicorn -c gunicorn.conf.py "app:create_app()"

# The widget's browser tests drive Debian's chromium (never a downloaded build) and inject axe-core; the
# Redis deployment tests start Debian's redis-server (TLS) and redis-sentinel.
test: $(STAMP) node_modules/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@(command -v redis-server && command -v redis-sentinel) >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-sentinel)
	$(PYTHON) -m pytest

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Benchmark (bench/README.md): about 3 minutes; prints the figures and writes bench/results/latest.md.
bench: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 \
		|| echo "wrk unavailable: bench uses its Python load generator"
	$(PYTHON) -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache
