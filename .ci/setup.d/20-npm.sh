#!/usr/bin/env bash
# The JavaScript clients (jsforce, jira.js) that check the sandboxes' fidelity.
set -euo pipefail
cd "$(dirname "$0")/../../tests/js"
npm ci --no-audit --no-fund
