# The two commands a fresh machine needs: `make run` and `make test`. Each installs what it needs.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/gunicorn -c gunicorn.conf.py "app:create_app()"

test: $(STAMP)
	$(PYTHON) -m pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
