#!/bin/sh
# The one-shot `init` service of deploy/docker-compose.yaml (runs in the layerwatch image,
# as root, before the services that need its files). From the two tokens the user exported
# it writes, on the `secrets` volume:
#   remediation.yml      compose/remediation.yml + an `auth:` block with the tokens' sha256
#                        (never the tokens), checked with `remediation --check-config`
#   alertmanager-token   the bearer token Alertmanager sends to the remediation webhook
#   postgres-password    a random password for the `postgres` service, made once
# Each file is readable only by the user of the one container that reads it.
# The paths can be moved (LAYERWATCH_COMPOSE_DIR, LAYERWATCH_SECRETS_DIR,
# LAYERWATCH_REMEDIATION_DATA, LAYERWATCH_BIN) so that the test suite runs this same script.
set -eu

: "${LAYERWATCH_REMEDIATION_TOKEN:?export LAYERWATCH_REMEDIATION_TOKEN (the operator token Grafana sends)}"
: "${LAYERWATCH_ALERTMANAGER_TOKEN:?export LAYERWATCH_ALERTMANAGER_TOKEN (the token Alertmanager sends)}"
compose_dir=${LAYERWATCH_COMPOSE_DIR:-/etc/layerwatch/compose}
secrets=${LAYERWATCH_SECRETS_DIR:-/run/layerwatch}
data=${LAYERWATCH_REMEDIATION_DATA:-/var/lib/layerwatch}
bin=${LAYERWATCH_BIN:-/app/bin/layerwatch.js}

fail() {
  echo "layerwatch init: $1" >&2
  exit 1
}
# Short tokens can be guessed; one token for both would give Alertmanager the operator role.
for name in LAYERWATCH_REMEDIATION_TOKEN LAYERWATCH_ALERTMANAGER_TOKEN; do
  eval "value=\$$name"
  [ "${#value}" -ge 24 ] ||
    fail "$name is ${#value} characters; use at least 24 (\`layerwatch remediation hash-token --generate\` makes one)"
done
[ "$LAYERWATCH_REMEDIATION_TOKEN" != "$LAYERWATCH_ALERTMANAGER_TOKEN" ] ||
  fail 'LAYERWATCH_REMEDIATION_TOKEN and LAYERWATCH_ALERTMANAGER_TOKEN must differ'

hash() { printf '%s' "$1" | node "$bin" remediation hash-token; }
operator_sha=$(hash "$LAYERWATCH_REMEDIATION_TOKEN")
alertmanager_sha=$(hash "$LAYERWATCH_ALERTMANAGER_TOKEN")

umask 077
mkdir -p "$secrets" "$data"
{
  cat "$compose_dir/remediation.yml"
  echo 'auth:'
  echo '  tokens:'
  echo "    - { name: grafana, role: operator, sha256: $operator_sha }"
  echo "    - { name: alertmanager, role: viewer, sha256: $alertmanager_sha }"
} >"$secrets/remediation.yml.new"
node "$bin" remediation --check-config "$secrets/remediation.yml.new" >/dev/null
mv "$secrets/remediation.yml.new" "$secrets/remediation.yml"
printf '%s' "$LAYERWATCH_ALERTMANAGER_TOKEN" >"$secrets/alertmanager-token"
[ -s "$secrets/postgres-password" ] ||
  node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("base64url"))' \
    >"$secrets/postgres-password"

# The readers' users: our image's node (1000), prom/alertmanager's nobody (65534), the
# postgres image's postgres (999).
if [ "$(id -u)" = 0 ]; then
  chown 1000:1000 "$secrets/remediation.yml" "$data"
  chown 65534:65534 "$secrets/alertmanager-token"
  chown 999:999 "$secrets/postgres-password"
  chmod 0755 "$secrets"
fi
echo "layerwatch init: wrote $secrets/remediation.yml, alertmanager-token, postgres-password"
