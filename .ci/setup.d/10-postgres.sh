#!/usr/bin/env bash
# A PostgreSQL server for the PostgreSQL persistence tests (installs Debian's postgresql when missing).
set -euo pipefail
bash "$(dirname "$0")/../postgres.sh" >/dev/null
