#!/usr/bin/env bash
# Installs the official XRechnung rule releases (KoSIT validator configuration) from the shared data folder,
# checked against their known SHA-256. Installing again is a no-op. Without the folder nothing is installed and
# e-invoice validation says so ("no XRechnung rules are installed") instead of judging invoices.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
RULES="${AMTSFLOW_SHARED_DATA:-../shared}/xrechnung/rules"

shopt -s nullglob
zips=("$RULES"/*.zip)
if ((${#zips[@]} == 0)); then
  echo "No XRechnung rule zips in $RULES: no rules installed, e-invoice validation will report that."
  exit 0
fi
"$PY" manage.py install_xrechnung_rules "${zips[@]}"
