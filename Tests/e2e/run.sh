#!/usr/bin/env bash
# Browser tests of the web client: starts `basar serve --demo` on a free port with a temporary database and drives
# headless Chromium (Debian's chromium + chromium-driver) through Selenium. Screenshots go to the folder printed at
# the start and end (BASAR_E2E_SCREENS, default $TMPDIR/basar-e2e-screens).
#
#   Tests/e2e/run.sh                      # builds with `swift build`, then runs every test
#   BASAR_BIN=path/to/basar Tests/e2e/run.sh test_live_flash_deal
#   SWIFT_BUILD_FLAGS="--scratch-path .build-web" Tests/e2e/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v chromium >/dev/null || missing+=("chromium (apt-get install chromium)")
command -v chromedriver >/dev/null || missing+=("chromedriver (apt-get install chromium-driver)")
python3 -c "import selenium" 2>/dev/null || missing+=("selenium (pip install selenium)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: cannot run, missing: ${missing[*]}" >&2
  exit 2
fi

if [ -z "${BASAR_BIN:-}" ]; then
  # shellcheck disable=SC2086 # the flags are meant to split
  swift build ${SWIFT_BUILD_FLAGS:-} --product basar
  BASAR_BIN="$(swift build ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/basar"
fi
export BASAR_BIN
export BASAR_E2E_SCREENS="${BASAR_E2E_SCREENS:-${TMPDIR:-/tmp}/basar-e2e-screens}"
exec python3 -u Tests/e2e/test_web.py "$@"
