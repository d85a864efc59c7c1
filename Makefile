# The project's verbs. `make lab` and `make test` create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
export PYTHONHASHSEED := 0
# notebooks need the kernel's inline backend: a backend from the environment would change outputs
unexport MPLBACKEND

.PHONY: help venv lab test test-spark doctest unit nbtest notebooks exercises bench lint simulate site browser-deps freeze locale clean

help:
	@echo "make lab        start JupyterLab at the repository root: notebooks/, exercises/, datasets/ (creates .venv first)"
	@echo "make test       docstring examples, unit tests, strict nbval over notebooks and exercises"
	@echo "make doctest    run the Examples of the docstrings"
	@echo "make test-spark the Spark engine's equality tests (installs pyspark and Java)"
	@echo "make notebooks  re-execute every notebook in place (after a change)"
	@echo "make exercises  rebuild the student exercise notebooks (SEED=11: a variant for marked work)"
	@echo "make simulate   regenerate datasets/company/ from the simulator (overwrites them)"
	@echo "make site       build the website into build/site/ (from stored outputs) and check its links"
	@echo "make browser-deps  install Chromium and a Chinese font for the browser tests (Debian, root)"
	@echo "make bench      run the benchmarks (time and peak memory)"
	@echo "make lint       ruff check and ruff format --check"
	@echo "make locale     after a change to a printed sentence: update the catalogues, compile the .mo"

venv: $(STAMP)

# pip shows what it collects and installs: the first install takes about 2 minutes
$(STAMP): requirements.txt pyproject.toml setup.py
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@echo "== installing the pinned stack into $(VENV) (first time: about 2 minutes)"
	$(BIN)/python -m pip install --progress-bar on -r requirements.txt
	@echo "== installing crmlab itself (editable)"
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)
	@echo "== $(VENV) is ready"

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $(ROOT_FLAG) $(ARGS)

# CRMLAB_CHECK_FIGURES=1: set_style() makes every notebook figure pass crmlab.plotting.check_figure
# (no overlapping or cut-off labels, no legend over data), or the cell fails under nbval
test: $(STAMP) doctest
	CRMLAB_CHECK_FIGURES=1 $(BIN)/python -m pytest $(wildcard tests notebooks exercises) --nbval -p no:cacheprovider \
	    --nbval-sanitize-with tests/nbval-sanitize.cfg --nbval-current-env $(ARGS)

# the Examples of every docstring in the package (the grader, with its heavy imports, aside)
doctest: $(STAMP)
	$(BIN)/python -m pytest crmlab --doctest-modules -p no:cacheprovider -q \
	    --ignore-glob='crmlab/*grading*'

test-spark: $(STAMP)
	bash .ci/test-spark

unit: $(STAMP)
	$(BIN)/python -m pytest tests $(ARGS)

notebooks: $(STAMP)
	$(BIN)/python -m crmlab.cli notebooks notebooks/*.ipynb notebooks/zh/*.ipynb

# make exercises SEED=11 (or VARIANT=term-2025): a variant on another company, into build/variants/
exercises: $(STAMP)
	$(BIN)/crmlab exercises build $(if $(SEED),--seed $(SEED)) $(if $(VARIANT),--variant $(VARIANT))

simulate: $(STAMP)
	$(BIN)/python -m crmlab.simulate --out datasets/ --force

# The website: notebooks, exercises (student notebooks only), datasheets and notes, rendered
# from their stored outputs; warnings are errors; then an offline check of every link.
site: $(STAMP)
	rm -rf build/site build/site-doctrees
	$(BIN)/python -m sphinx -b html -W --keep-going -n -c docs -d build/site-doctrees . build/site
	$(BIN)/python docs/check_site.py build/site
	@echo "open build/site/index.html in a browser"

# What the browser tests need on Debian/Ubuntu (CI runs this through .ci/run)
browser-deps:
	apt-get update -q
	apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-noto-cjk

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do \
	    echo "== $$script"; $(BIN)/python $$script || exit 1; done

LINT_PATHS := crmlab tests tools benchmarks docs setup.py datasets/prepare_real.py conftest.py \
	exercises/conftest.py

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

# The message catalogues of the sentences crmlab prints (crmlab/_i18n.py): extract every
# _() / N_() / ngettext() string, merge it into each language's .po (the source, edited by
# hand), and compile the .mo that gettext reads and the wheel ships. Both are committed;
# tests/test_i18n.py fails if the .po misses a sentence or the .mo differs from the .po.
locale: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract --project=crmlab --add-location=file --sort-output --no-wrap \
	    --ignore-dirs='grading _data' -o build/crmlab.pot crmlab
	$(BIN)/pybabel update --input-file=build/crmlab.pot --output-dir=crmlab/locale \
	    --domain=crmlab --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile --directory=crmlab/locale --domain=crmlab --statistics

freeze: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude pyspark --exclude py4j \
	    > requirements.lock.tmp && mv requirements.lock.tmp requirements.txt

clean:
	rm -rf build .pytest_cache
