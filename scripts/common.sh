# Shared by scripts/demo.sh and scripts/test.sh: check the machine, make the virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

need_apt=()
"$PYTHON" -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null || {
  echo "ต้องใช้ Python 3.11 ขึ้นไป (Python 3.11 or newer is required)." >&2; exit 1; }
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# WeasyPrint renders the Thai PDFs with Pango/HarfBuzz; poppler-utils gives pdftotext/pdffonts for the tests.
# (The list is read once: `ldconfig -p | grep -q` under pipefail fails when grep stops reading early.)
libraries=$(ldconfig -p 2>/dev/null || true)
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
  grep -qF "$lib" <<<"$libraries" || need_apt+=("$(case $lib in
    libpango-1.0*) echo libpango-1.0-0;; libpangoft2*) echo libpangoft2-1.0-0;; *) echo libharfbuzz-subset0;; esac)")
done
if [ "${NEED_POPPLER:-0}" = 1 ]; then command -v pdftotext >/dev/null || need_apt+=(poppler-utils); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Missing system packages: ${need_apt[*]}" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing them with apt-get ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Install them first:  sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -f .venv/.requirements-installed ] || [ requirements.txt -nt .venv/.requirements-installed ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  touch .venv/.requirements-installed
fi
