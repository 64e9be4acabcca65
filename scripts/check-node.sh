#!/usr/bin/env bash
# Layerwatch needs Node.js 20 or newer with npm; Debian 12's own nodejs is 18, too old.
set -euo pipefail
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20+ and npm are required (https://nodejs.org); Debian 12's nodejs package is 18, too old." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old: Layerwatch needs 20 or newer." >&2
  exit 1
fi
