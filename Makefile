# The two commands: `make run` and `make test`. Both create .venv when it is missing.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test bench chromium photos space

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime-installed
	$(PY) app.py

# Debian's Chromium for the browser tests; Playwright drives it, so no browser download is needed.
# Debian's Chromium for the browser tests, and a CJK font for the page in Chinese.
chromium:
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	@test -d /usr/share/fonts/opentype/noto -a -n "$$(fc-list :lang=zh 2>/dev/null)" || \
		(apt-get update -q && apt-get install -y -q fonts-noto-cjk)

# Debian's nature photographs and Ubuntu's 2018 contest photos, beside the sample photos that scikit-image,
# scikit-learn and gradio ship: the image models' training photos and held-out photos (genart/data/photos.py).
photos:
	@test -d /usr/share/backgrounds/mate/nature -a -f /usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg || \
		(apt-get update -q && apt-get install -y -q mate-backgrounds lomiri-wallpapers-16.04)

test: $(VENV)/.dev-installed chromium photos
	$(PY) -m pytest

bench: $(VENV)/.dev-installed
	$(PY) -m genart bench

# The folder to push to a Hugging Face Space (or build as a Docker image): space/ (SPACE_DIR=... to choose).
SPACE_DIR ?= space
space: $(VENV)/.runtime-installed
	rm -rf $(SPACE_DIR)
	$(PY) -m genart space export $(SPACE_DIR)
