# skr-avgift: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
OUT    ?= out
# xlwings and xlwings Server need a licence key; PolyForm Noncommercial 1.0.0
# covers government institutions such as municipalities.
export XLWINGS_LICENSE_KEY ?= noncommercial
# Debian packages the tests drive for real, each with the command or file that shows it is there:
# LibreOffice Calc and Writer (PDF), poppler (pdftotext, pdftoppm), Chromium (the task pane), Node.js
# (the custom-functions JavaScript), the fonts the PDF is printed in, and nginx and Apache (the
# static add-in served under a path as Debian ships them).
SYSDEPS = libreoffice-calc-nogui:soffice libreoffice-writer-nogui:/usr/lib/libreoffice/program/libswlo.so \
          poppler-utils:pdftotext chromium:chromium nodejs:node npm:npm \
          nginx:/usr/sbin/nginx apache2:/usr/sbin/apache2 \
          fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
          fonts-crosextra-carlito:/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf

# The Python dependencies are locked with hashes (make lock): requirements-dev.txt holds every
# package of every extra, requirements-server.txt what the Containerfile installs. Setup installs
# exactly the lock with pip (--require-hashes), then the project itself without dependencies.
LOCK        = requirements-dev.txt
SERVER_LOCK = requirements-server.txt
UV_COMPILE  = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
              --quiet --custom-compile-command "make lock"

.PHONY: setup sysdeps run test test-fast test-latest lint lock mutation bench templates dist addin serve certs clean

$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

setup: $(STAMP)

# Resolves today's newest versions within pyproject.toml's bounds into both lock files (the server's
# constrained by the full one, so they agree; with setuptools, so the image builds the project from
# the lock alone). After it: make test, and read the diff of the locks.
lock: setup
	$(UV_COMPILE) --all-extras -o $(LOCK)
	printf 'setuptools>=68\n' | $(UV_COMPILE) - --extra server -c $(LOCK) -o $(SERVER_LOCK)

# The whole suite in a fresh venv resolved to the newest versions (not the lock): a release that
# breaks the product shows up here, as a task, before anyone runs make lock. Not part of CI.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade pip
	.venv-latest/bin/pip install --quiet --upgrade -e '.[dev]'
	touch .venv-latest/.installed
	$(MAKE) test VENV=.venv-latest

# Installs the Debian packages the tests need when they are missing (as root, or with sudo).
sysdeps:
	@missing=""; for pair in $(SYSDEPS); do pkg=$${pair%%:*}; probe=$${pair#*:}; \
	  case $$probe in /*) [ -e $$probe ] ;; *) command -v $$probe >/dev/null ;; esac || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installerar Debian-paket:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: setup
	@mkdir -p $(OUT)
	$(BIN)/skr-fee tabell --år 2025 -o $(OUT)/avgifter_2025.csv
	$(BIN)/skr-fee tabell --år 2025 -o $(OUT)/avgifter_2025.xlsx
	$(BIN)/skr-fee avgift Göteborg --år 2025

# The layer contracts and no cycles (pyproject.toml, [tool.importlinter]): an upward or circular import
# fails the build. vulture: no dead code; tests/lint/vulture_whitelist.py holds, with reasons, only the
# names a framework, a library or a file format uses by name.
VULTURE_DECORATORS = @router.*,@routes.*,@app.*,@xw.func,@xw.sub,@_desktop,@_officejs,@script,@func
lint: setup
	$(BIN)/lint-imports
	$(BIN)/vulture src addin bench tests/lint/vulture_whitelist.py --exclude node_modules,vendor \
	  --ignore-decorators "$(VULTURE_DECORATORS)" --min-confidence 60

# npm packages the JavaScript tests drive and the add-in build vendors (tests/js/package.json:
# Pyodide, for the fee path under Node and for dist/addin)
NODE_MODULES = tests/js/node_modules/.installed
$(NODE_MODULES): tests/js/package.json
	cd tests/js && npm ci --silent --no-audit --no-fund
	touch $@

test: setup sysdeps lint $(NODE_MODULES)
	$(BIN)/python -m pytest -q

# The rules and the data in seconds: no server, browser or LibreOffice.
test-fast: setup lint
	$(BIN)/python -m pytest -q -m "not slow"

# Mutation testing (mutmut 3, [tool.mutmut] in pyproject.toml) over the rules and the
# fingerprint with the fast tests; ends with "mutation score: K/M killed (P %)" and the survivors.
mutation: setup
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 >/dev/null 2>&1 || true
	$(BIN)/python tests/mutation/report.py

# Speed, measured (issue 7): prints a table and writes bench/results.json. wrk is
# the load generator (Debian's package), installed here if missing.
bench: setup sysdeps $(NODE_MODULES)
	@command -v wrk >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .venv-latest $(OUT) .pytest_cache .hypothesis mutants

# Office needs HTTPS it trusts, also on localhost: mkcert if it is installed, else
# Microsoft's office-addin-dev-certs (npm); both install a local CA on this computer.
CERTS = addin/server/certs
certs:
	@mkdir -p $(CERTS)
	@if command -v mkcert >/dev/null; then \
	  cd $(CERTS) && mkcert -install && mkcert localhost 127.0.0.1 ::1; \
	else \
	  npx --yes office-addin-dev-certs install --days 365 || \
	    echo "Obs: CA-certifikatet kunde inte installeras; lita själv på $$HOME/.office-addin-dev-certs/ca.crt"; \
	  cp $$HOME/.office-addin-dev-certs/localhost.crt $(CERTS)/localhost+2.pem && \
	  cp $$HOME/.office-addin-dev-certs/localhost.key $(CERTS)/localhost+2-key.pem; \
	fi

serve: setup
	@[ -f $(CERTS)/localhost+2.pem ] || $(MAKE) certs
	$(BIN)/skr-fee server --värd 127.0.0.1 --port 8000

# The add-in as one static folder (Python runs in Excel's browser, Pyodide): make addin URL=https://…
# with the address the folder will be served at; writes dist/addin (manifest.xml at its root).
ADDIN_OUT ?= dist/addin
# office.js from Microsoft's CDN (as Microsoft advises); OFFICEJS=bundled keeps a copy in the folder
OFFICEJS  ?= cdn
addin: setup $(NODE_MODULES)
	@[ -n "$(URL)" ] || { echo "Ange adressen mappen ska ligga på: make addin URL=https://intranat.kommun.se/skr-avgift"; exit 1; }
	$(BIN)/python addin/wasm/make_addin.py "$(URL)" -o "$(ADDIN_OUT)" --officejs "$(OFFICEJS)"

# The wheel to install on a Windows PC for the desktop route: dist/skr_avgift-VERSION-py3-none-any.whl
dist: setup
	rm -rf dist/*.whl build
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist .
	@ls dist/*.whl

templates: setup
	$(BIN)/python -m skr_fee.excel.templates
