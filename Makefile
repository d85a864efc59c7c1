# The project's verbs. `make lab` and `make test` create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
export PYTHONHASHSEED := 0
# notebooks need the kernel's inline backend: a backend from the environment would change outputs
unexport MPLBACKEND

.PHONY: help venv lab test doctest unit nbtest notebooks exercises bench lint simulate freeze clean

help:
	@echo "make lab        start JupyterLab on the notebooks (creates .venv first)"
	@echo "make test       docstring examples, unit tests, strict nbval over notebooks and exercises"
	@echo "make doctest    run the Examples of the docstrings"
	@echo "make notebooks  re-execute every notebook in place (after a change)"
	@echo "make exercises  rebuild the student exercise notebooks"
	@echo "make simulate   regenerate datasets/company/ from the simulator"
	@echo "make bench      run the benchmarks (time and peak memory)"
	@echo "make lint       ruff check and ruff format --check"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(ARGS)

test: $(STAMP) doctest
	$(BIN)/python -m pytest $(wildcard tests notebooks exercises) --nbval -p no:cacheprovider \
	    --nbval-sanitize-with tests/nbval-sanitize.cfg --nbval-current-env $(ARGS)

# the Examples of every docstring in the package (the grader, with its heavy imports, aside)
doctest: $(STAMP)
	$(BIN)/python -m pytest crmlab --doctest-modules -p no:cacheprovider -q \
	    --ignore-glob='crmlab/*grading*'

unit: $(STAMP)
	$(BIN)/python -m pytest tests $(ARGS)

notebooks: $(STAMP)
	$(BIN)/python -m crmlab.cli notebooks notebooks/*.ipynb

exercises: $(STAMP)
	$(BIN)/crmlab exercises build

simulate: $(STAMP)
	$(BIN)/python -m crmlab.simulate --out datasets/

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do \
	    echo "== $$script"; $(BIN)/python $$script || exit 1; done

LINT_PATHS := crmlab tests benchmarks datasets/prepare_real.py conftest.py exercises/conftest.py

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

freeze: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock.tmp && mv requirements.lock.tmp requirements.txt

clean:
	rm -rf build .pytest_cache
