#!/usr/bin/env bash
# Install the Debian packages Gongkai needs, only when missing (fast when all are present).
#   system_deps.sh run   fonts + gettext + LibreOffice without GUI (DOCX/XLSX → PDF for
#                        response documents, run by the worker)
#   system_deps.sh test  ... + chromium (browser tests) + postgresql (second test engine)
#                        + redis-server (the Redis task queue and shared cache are tested)
set -euo pipefail
want=(fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)  # pango: WeasyPrint PDFs
want+=(libreoffice-writer-nogui libreoffice-calc-nogui)  # soffice --headless --convert-to pdf
if [[ "${1:-run}" == "test" ]]; then
  want+=(chromium postgresql redis-server)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# A PostgreSQL server already reachable (or DATABASE_URL given) makes the package optional.
if [[ " ${missing[*]:-} " == *" postgresql "* ]] && { [[ -n "${DATABASE_URL:-}" ]] || command -v pg_ctlcluster >/dev/null || command -v postgres >/dev/null; }; then
  missing=("${missing[@]/postgresql}")
fi
# Likewise a given REDIS_URL or a redis-server already on the PATH.
if [[ " ${missing[*]:-} " == *" redis-server "* ]] && { [[ -n "${REDIS_URL:-}" ]] || command -v redis-server >/dev/null; }; then
  missing=("${missing[@]/redis-server}")
fi
missing=($(printf '%s\n' "${missing[@]:-}" | grep -v '^$' || true))
if (( ${#missing[@]} )); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
