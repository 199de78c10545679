#!/usr/bin/env bash
# Runs every test of CoordinationPortal: domain, the embedded PostgreSQL launcher, integration (a throwaway embedded
# PostgreSQL) and browser (Debian's Chromium). Installs Chromium, the Noto fonts and poppler-utils (the briefing tests read
# PDFs back with pdftotext) when missing (needs root or sudo on Debian). Needs Node.js 20+ and npm: the browser tests
# sign in against a real OpenID provider (npm oidc-provider, tests/oidc-provider), and the API's description
# (docs/openapi/v1.json) is linted with Redocly's CLI (pinned in infra/openapi-lint); both are installed with npm ci.
# Ends with one plain line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need_install=()
command -v chromium >/dev/null 2>&1 || need_install+=(chromium)
[ -d /usr/share/fonts/truetype/noto ] || need_install+=(fonts-noto-core)
command -v pdftotext >/dev/null 2>&1 || need_install+=(poppler-utils)
if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Install these Debian packages first: ${need_install[*]} (apt-get install -y ${need_install[*]})" >&2; exit 1; fi
  echo "Installing ${need_install[*]} ..."
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_install[@]}" >/dev/null
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "PostgreSQL server binaries are missing: apt-get install -y postgresql (the tests start their own private cluster)." >&2
  exit 1
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js (20 or later) and npm are missing: apt-get install -y nodejs npm (the OpenID Connect browser tests run a real provider with it, and the API description is linted with Redocly's CLI)." >&2
  exit 1
fi
# The browser tests sign in against a real OpenID provider (npm oidc-provider, tests/oidc-provider) on loopback.
if [ ! -d tests/oidc-provider/node_modules/oidc-provider ]; then
  echo "Installing the test OpenID provider (npm ci --prefix tests/oidc-provider) ..."
  npm ci --prefix tests/oidc-provider --no-audit --no-fund --loglevel=error
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
dotnet build CoordinationPortal.sln -c Release -nologo -v quiet
status=0
# The API's description as the repository keeps it (an integration test keeps it equal to the one the portal serves)
# must lint clean: errors fail the run, warnings are shown.
[ -x infra/openapi-lint/node_modules/.bin/redocly ] || npm ci --prefix infra/openapi-lint --no-audit --no-fund --loglevel=error >/dev/null
if ! infra/openapi-lint/node_modules/.bin/redocly lint --config infra/openapi-lint/redocly.yaml --format=summary docs/openapi/v1.json; then
  echo "docs/openapi/v1.json does not lint clean (see above)." >&2
  status=1
fi
for project in tests/CoordinationPortal.Domain.Tests tests/CoordinationPortal.EmbeddedPostgres.Tests \
    tests/CoordinationPortal.Integration.Tests tests/CoordinationPortal.Browser.Tests; do
  name="$(basename "$project")"
  dotnet test "$project" -c Release --no-build -nologo \
    --results-directory "$results" --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" || status=1
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$passed" -eq 0 ]; then status=1; fi
echo "$passed passed, $failed failed"
exit $status
