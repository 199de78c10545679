#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots/: the landing page, an agency page, the phone layout and the flags board, in
# English and Hindi) from the demo data, through the browser suite's screenshot test in Debian's Chromium.
# Needs what infra/test.sh needs (it installs Chromium and the Noto fonts when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null 2>&1 || { echo "Install Chromium first: apt-get install -y chromium fonts-noto-core" >&2; exit 1; }
dotnet build tests/CoordinationPortal.Browser.Tests -c Release -nologo -v quiet
SCREENSHOTS_DIR="$PWD/docs/screenshots" dotnet test tests/CoordinationPortal.Browser.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~ScreenshotTests" --logger "console;verbosity=minimal"
ls -l docs/screenshots
