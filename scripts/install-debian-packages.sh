#!/usr/bin/env bash
# Installs the Debian packages Layerwatch runs and tests against, only those missing.
# Each line: a file that proves the package is there, then the package.
set -euo pipefail

needed=(
  "/usr/bin/prometheus prometheus"
  "/usr/bin/promtool prometheus"
  "/usr/bin/prometheus-alertmanager prometheus-alertmanager"
  "/usr/bin/prometheus-blackbox-exporter prometheus-blackbox-exporter"
  "/usr/bin/redis-server redis-server"
  "/usr/lib/postgresql postgresql"
  "/usr/bin/wrk wrk"
  "/usr/bin/hyperfine hyperfine"
  "/usr/sbin/runuser util-linux"
  "/usr/bin/openssl openssl"
)

missing=()
for entry in "${needed[@]}"; do
  path=${entry% *}
  package=${entry#* }
  [ -e "$path" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# Unique, in order.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# Debian's packages would start their own services; Layerwatch starts its own instances.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
