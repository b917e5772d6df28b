#!/usr/bin/env bash
# Build the release wheel into DIR (default dist/): compile the English catalogues first, so the
# wheel carries its .mo files, then build without network access (setuptools from the venv).
# Usage: scripts/build_wheel.sh [DIR]   (PYTHON=… to use another interpreter with setuptools>=77)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-dist}")
PYTHON=${PYTHON:-.venv/bin/python}
mkdir -p "$out"
# Compile every .po under gongkai/ (msgfmt, from Debian's gettext); no Django needed.
while IFS= read -r po; do
  msgfmt --check-format -o "${po%.po}.mo" "$po"
done < <(find gongkai -name '*.po' -path '*/LC_MESSAGES/*')
rm -rf build  # stale files under build/lib would end up in the wheel
"$PYTHON" -m pip wheel --no-deps --no-build-isolation --quiet -w "$out" .
rm -rf build
ls "$out"/gongkai-*.whl
