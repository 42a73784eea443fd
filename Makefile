# skr-avgift: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
OUT    ?= out
# Debian packages the tests drive for real: LibreOffice (PDF), poppler (pdftotext, pdftoppm),
# Chromium (the task pane) and Node.js (the custom-functions JavaScript).
DEB_PACKAGES = libreoffice-calc-nogui poppler-utils chromium fonts-dejavu-core nodejs

.PHONY: setup sysdeps run test bench templates serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP)

# Installs the Debian packages the tests need when they are missing (as root, or with sudo).
sysdeps:
	@missing=""; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installerar:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: setup
	@mkdir -p $(OUT)
	$(BIN)/skr-fee table --year 2025 -o $(OUT)/avgifter_2025.csv
	$(BIN)/skr-fee table --year 2025 -o $(OUT)/avgifter_2025.xlsx
	$(BIN)/skr-fee fee Göteborg --year 2025

test: setup sysdeps
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
