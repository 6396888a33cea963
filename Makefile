# The two commands of a fresh machine: `make demo` and `make test` (see README.md).
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Two workers, each with its own throwaway PostgreSQL: the suite waits on the database, one core
# per backend, so this halves the wall time on two cores. `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: demo test setup serve bench lint lock stop-db clean

# constraints.txt pins every package to the versions the suite passed with (see its header).
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

# The newest versions pyproject.toml's ranges allow, in a throwaway venv, written to
# constraints.txt (header kept); then run `make test` and commit the file if it passes.
lock:
	rm -rf .lock-venv
	"$$(bin/find-python)" -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[test,redis]'
	{ grep '^#' constraints.txt; .lock-venv/bin/python -m pip freeze --exclude-editable | grep -iv '^maillage'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .lock-venv

setup: $(VENV)/.installed
	$(PY) manage.py setup_platform

demo: setup
	$(PY) manage.py demo
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

serve: $(VENV)/.installed
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

test: $(VENV)/.installed
	@bin/ensure-chromium
	$(PY) manage.py import_cog --fetch-only
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(PY) -m bench $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

stop-db: $(VENV)/.installed
	$(PY) manage.py embedded_db stop

clean:
	rm -rf $(VENV) .data
