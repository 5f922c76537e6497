#!/usr/bin/env bash
# The Nx stream generator as a contributor runs it, in a throw-away copy of HEAD: generate a stream,
# then build, `fiat schemas check`, and the schemas package's tests, typecheck and lint must pass
# with no further edits. Run from the repository root (CI: after npm ci, which warms npm's cache).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0

copy="$(mktemp -d "${TMPDIR:-/tmp}/fiat-generator-e2e.XXXXXX")"
trap 'rm -rf "$copy"' EXIT
git archive HEAD | tar -x -C "$copy"
cd "$copy"
npm ci --prefer-offline --no-audit --no-fund > npm-ci.log 2>&1 || { cat npm-ci.log; exit 1; }

npx nx g @fiat/schemas:stream generator-e2e-probe --description "Made by scripts/stream-generator-e2e.sh."
test -f packages/schemas/src/definitions/GeneratorE2eProbe.ts
test -f schemas/GeneratorE2eProbe/json_schema.json
npm run build --silent > build.log 2>&1 || { cat build.log; exit 1; }
node packages/provisioner/bin/fiat.js schemas check
npx nx run-many -t test typecheck lint -p @fiat/schemas --outputStyle=static
echo "stream generator: the generated stream passes the drift check, its tests, typecheck and lint"
