#!/usr/bin/env bash
# Builds the BPMN modeller and viewer (bpmn-js from npm) into static files of the process app.
#
# Nothing is fetched at page load: scripts, styles and the bpmn font are served by Django like every other
# static file. Skips the work when the output is newer than its inputs. Without Node.js/npm (or without the
# npm registry) it only prints why and exits 0: the pages then say that the modeller is not installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
OUT="$ROOT/src/amtsflow/processes/static/processes/build"
STAMP="$OUT/.built"  # written last, so an interrupted build is redone (collectstatic ignores dot files)
ASSETS="$FRONTEND/node_modules/bpmn-js/dist/assets"

inputs=("$FRONTEND/package.json" "$FRONTEND/package-lock.json" "$FRONTEND/build.mjs" "$FRONTEND/src" "${BASH_SOURCE[0]}")
if [ -f "$STAMP" ] && [ -z "$(find "${inputs[@]}" -newer "$STAMP" -print -quit)" ]; then
  exit 0
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "NOTE: $tool is missing, so the BPMN modeller is not built (install nodejs and npm, then run"
    echo "      scripts/build-frontend.sh). Process models can still be imported and downloaded as files."
    exit 0
  fi
done

echo "Building the BPMN modeller (bpmn-js) ..."
cd "$FRONTEND"
# npm ci starts from scratch; skip it while node_modules matches the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "WARNING: npm ci failed (is the npm registry reachable?); the BPMN modeller is not built."
    exit 0
  fi
fi

rm -rf "$OUT"
mkdir -p "$OUT/font"
node build.mjs "$OUT"
cp "$ASSETS/diagram-js.css" "$ASSETS/bpmn-js.css" "$OUT/"
cp "$ASSETS"/bpmn-font/font/bpmn.* "$OUT/font/"
# bpmn.css refers to its fonts as ../font/; here they sit next to it in font/.
sed 's#\.\./font/#font/#g' "$ASSETS/bpmn-font/css/bpmn.css" >"$OUT/bpmn.css"
touch "$STAMP"
echo "BPMN modeller built: $(du -sh "$OUT" | cut -f1) in ${OUT#"$ROOT"/}"
