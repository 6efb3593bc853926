#!/usr/bin/env bash
# Set up everything bpmncx needs on a fresh Debian/Ubuntu machine:
# system packages (via apt-get when root or sudo is available), then a
# virtualenv in .venv with bpmncx and its test dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# graphviz lays out models without a diagram; librsvg2-bin's rsvg-convert writes
# PDF from our SVG (PNG is drawn in-process by resvg-py, see setup.cfg); the
# Liberation/DejaVu fonts make text metrics identical everywhere and Noto Color
# Emoji shows the emotion emoji in reports; LibreOffice Calc checks that our
# workbooks open in a real spreadsheet program; chromium (driven by
# chromium-driver) checks the HTML reports in a real browser.
DEB_PACKAGES="graphviz librsvg2-bin fonts-liberation fonts-dejavu-core libreoffice-calc-nogui chromium chromium-driver nodejs npm python3-venv fonts-noto-color-emoji"

missing=""
for pkg in $DEB_PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
# nodejs/npm/python3-venv may come from elsewhere (nvm, pyenv): accept the commands.
command -v node >/dev/null 2>&1 && missing=$(echo "$missing" | sed 's/\bnodejs\b//; s/\bnpm\b//')
python3 -m venv --help >/dev/null 2>&1 && missing=$(echo "$missing" | sed 's/\bpython3-venv\b//')
missing=$(echo $missing)

if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "bpmncx: please install these Debian packages first (needs root): apt-get install $missing" >&2
    exit 1
  fi
  echo "bpmncx: installing system packages:$missing"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
stamp="$VENV/.bpmncx-installed"
if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ] || [ requirements-test.txt -nt "$stamp" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e . -r requirements-test.txt
  touch "$stamp"
fi

# bpmn-moddle and bpmn-js (pinned in tests/js/package-lock.json) check the
# annotated BPMN files in the tests; installed only when node/npm exist and
# node_modules is missing or older than the lock file.
if command -v npm >/dev/null 2>&1 && [ -f tests/js/package-lock.json ]; then
  if [ ! -f tests/js/node_modules/.package-lock.json ] || [ tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; then
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error \
      || echo "bpmncx: npm ci in tests/js failed; the bpmn-moddle/bpmn-js tests will be skipped" >&2
  fi
fi
