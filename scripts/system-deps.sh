#!/usr/bin/env bash
# Installs the few system packages Amtsflow uses, where they are missing and apt-get is available.
set -u
need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v chromium >/dev/null || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || echo "WARNING: could not install ${need[*]}; related features are skipped with a message."
else
  echo "NOTE: missing system packages: ${need[*]} (install them with your package manager)."
  echo "      Without gettext the UI stays English; without chromium the browser tests are skipped."
fi
exit 0
