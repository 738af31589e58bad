#!/usr/bin/env bash
# Installs the few system packages Amtsflow uses, where they are missing and apt-get is available.
set -u
need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v chromium >/dev/null || need+=(chromium)
# OCR of scans (OCRmyPDF). No Ghostscript: we use OCRmyPDF's internal PDF/A writer and pypdfium2, and
# OCRmyPDF refuses Debian 12's Ghostscript 10.0 for PDFs that already carry some text.
command -v tesseract >/dev/null || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx deu || need+=(tesseract-ocr-deu)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)  # OCR tests render scans
command -v node >/dev/null || need+=(nodejs)  # builds the BPMN modeller (scripts/build-frontend.sh)
command -v npm >/dev/null || need+=(npm)
command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)  # mailbox tests: a real IMAP server
# Only on request (AMTSFLOW_BENCH_JAVA=1 make system-deps): the Java reference of bench/einvoice.py, Saxon-HE on
# a JDK (javac builds its harness). Neither the app nor `make test` needs Java; without it the bench says so.
if [ "${AMTSFLOW_BENCH_JAVA:-}" = 1 ]; then
  command -v javac >/dev/null || need+=(default-jdk-headless)
  [ -f /usr/share/java/Saxon-HE.jar ] || need+=(libsaxonhe-java)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || echo "WARNING: could not install ${need[*]}; related features are skipped with a message."
else
  echo "NOTE: missing system packages: ${need[*]} (install them with your package manager)."
  echo "      Without gettext the UI stays English; without chromium the browser tests are skipped;"
  echo "      without tesseract-ocr(-deu) scans and images get no text (\"OCR is not available\") and OCR tests skip."
  echo "      without nodejs/npm the BPMN modeller is not built (models can still be imported as files)."
  echo "      without dovecot-imapd the tests of the e-invoice mailbox (IMAP) are skipped."
  [ "${AMTSFLOW_BENCH_JAVA:-}" = 1 ] && echo "      without default-jdk-headless/libsaxonhe-java bench/einvoice.py has no Java reference."
fi
exit 0
