#!/bin/sh
# Headless, idempotent XNAT set-up for imaging-api (xnat-rest-behaviour.md §10.2), run by the
# docker-compose service xnat-bootstrap: replace XNAT's default admin password, initialise the site,
# enable the event service, create the service account with the roles imaging-api needs (its password
# never expires), configure the Container Service and register the dcm2niix command at the pinned
# image. Every step can be re-run safely.
set -eu

: "${XNAT_URL:=http://xnat-web:8080}"
: "${XNAT_SITE_URL:=$XNAT_URL}"
: "${XNAT_ADMIN_USER:=admin}"
: "${XNAT_ADMIN_PASSWORD:?XNAT_ADMIN_PASSWORD is required: the bootstrap makes it the admin password of a fresh XNAT}"
# What a fresh XNAT's admin account has; never left in place.
XNAT_DEFAULT_ADMIN_PASSWORD="admin"
: "${XNAT_SERVICE_USER:?XNAT_SERVICE_USER is required}"
: "${XNAT_SERVICE_PASSWORD:?XNAT_SERVICE_PASSWORD is required}"
: "${XNAT_SERVICE_EMAIL:=imaging-api@localhost.localdomain}"
: "${DCM2NIIX_IMAGE:?DCM2NIIX_IMAGE is required (a pinned tag, never :latest)}"
: "${XNAT_DATA_DIR:=/var/lib/imaging-api-xnat}"
COMMAND_JSON="${COMMAND_JSON:-/deploy/dcm2niix-command.json}"
WRAPPER=dcm2niix-scan
BODY=/tmp/xnat-body

command -v curl >/dev/null && command -v jq >/dev/null || apk add --no-cache curl jq >/dev/null

log() { echo "xnat-bootstrap: $*"; }
die() { echo "xnat-bootstrap: ERROR: $*" >&2; exit 1; }

quote() { printf %s "$1" | sed 's/[\\"]/\\&/g'; }  # for a double-quoted curl config value

[ "$XNAT_ADMIN_PASSWORD" != "$XNAT_DEFAULT_ADMIN_PASSWORD" ] || die "XNAT_ADMIN_PASSWORD must not be XNAT's default"
ADMIN_PASSWORD=$XNAT_ADMIN_PASSWORD  # the one api() logs in with

# api METHOD PATH [JSON]: prints the HTTP status; the body lands in $BODY. Credentials go through a
# curl config on stdin so they never show in a process listing.
api() {
  method=$1 path=$2 data=${3:-}
  set -- -sS -o "$BODY" -w '%{http_code}' -X "$method" --max-time 60 -K -
  [ -n "$data" ] && set -- "$@" -H 'Content-Type: application/json' --data-binary "$data"
  printf 'user = "%s:%s"\n' "$(quote "$XNAT_ADMIN_USER")" "$(quote "$ADMIN_PASSWORD")" | curl "$@" "$XNAT_URL$path" || true
}

expect() { # STATUS ALLOWED... (the step is named by the caller's message)
  status=$1; shift
  for ok in "$@"; do [ "$status" = "$ok" ] && return 0; done
  return 1
}

wait_for() { # PATH SECONDS [AUTH]
  deadline=$(( $(date +%s) + $2 ))
  until [ "$(if [ "${3:-}" = auth ]; then api GET "$1"; else curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$XNAT_URL$1" || true; fi)" = 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$XNAT_URL$1 did not answer 200 within $2 s"
    sleep 5
  done
}

# 1. Tomcat serves XNAT (first boot creates the schema: 3-5 minutes, longer on slow disks).
log "waiting for $XNAT_URL/xapi/siteConfig/buildInfo"
wait_for /xapi/siteConfig/buildInfo 1800
log "XNAT $(curl -s "$XNAT_URL/xapi/siteConfig/buildInfo/version" || true) is up"

# 2. Initialise the site, as the admin with XNAT_ADMIN_PASSWORD (a re-run) or, on a fresh XNAT, with
# the default password, which is replaced at once (PUT /xapi/users/{admin} {"password": ...}: an
# admin changes a password without the current one). Without siteUrl, XNAT >= 1.10 creates a project
# on POST /data/projects and still answers 500, which imaging-api would report as a failed create.
site_config="{\"initialized\": true, \"siteUrl\": \"$XNAT_SITE_URL\"}"
status=$(api POST /xapi/siteConfig "$site_config")
if expect "$status" 401; then
  ADMIN_PASSWORD=$XNAT_DEFAULT_ADMIN_PASSWORD
  status=$(api POST /xapi/siteConfig "$site_config")
  expect "$status" 200 || die "XNAT refused $XNAT_ADMIN_USER with XNAT_ADMIN_PASSWORD and with the default password (HTTP $status)"
  status=$(api PUT "/xapi/users/$XNAT_ADMIN_USER" "$(jq -n --arg p "$XNAT_ADMIN_PASSWORD" '{password: $p}')")
  expect "$status" 200 || die "replacing the default admin password answered $status: $(head -c 300 "$BODY")"
  ADMIN_PASSWORD=$XNAT_ADMIN_PASSWORD
  status=$(api GET /xapi/users/username)
  expect "$status" 200 || die "XNAT refused the new admin password (HTTP $status)"
  log "replaced the default password of $XNAT_ADMIN_USER with XNAT_ADMIN_PASSWORD"
fi
expect "$status" 200 || die "POST /xapi/siteConfig answered $status: $(head -c 300 "$BODY")"
log "site initialised (siteUrl $XNAT_SITE_URL)"

# 3. Plugins register after Tomcat serves the first page; wait for the Container Service's routes.
wait_for /xapi/commands 600 auth

# 4. The event service is disabled by default; subscriptions then fail with 405.
status=$(api PUT /xapi/events/prefs '{"enabled": true}')
expect "$status" 200 || die "PUT /xapi/events/prefs answered $status: $(head -c 300 "$BODY")"
log "event service enabled"

# 5. The service account. 409 = it exists: then make the configured password and flags true.
user_json=$(jq -n --arg u "$XNAT_SERVICE_USER" --arg p "$XNAT_SERVICE_PASSWORD" --arg e "$XNAT_SERVICE_EMAIL" \
  '{username: $u, password: $p, email: $e, firstName: "imaging", lastName: "api", enabled: true, verified: true}')
status=$(api POST /xapi/users "$user_json")
if expect "$status" 201 200; then
  log "created service account $XNAT_SERVICE_USER"
elif expect "$status" 409; then
  update=$(jq -n --arg p "$XNAT_SERVICE_PASSWORD" '{password: $p, enabled: true, verified: true}')
  status=$(api PUT "/xapi/users/$XNAT_SERVICE_USER" "$update")
  expect "$status" 200 304 || die "updating $XNAT_SERVICE_USER answered $status: $(head -c 300 "$BODY")"
  log "service account $XNAT_SERVICE_USER exists; password and flags updated"
else
  die "POST /xapi/users answered $status: $(head -c 300 "$BODY")"
fi
# Administrator: site-wide project and user administration; ContainerManager: command lookups and
# wrapper enabling (Container Service >= 3.7 answers 403 without it); Dqr: the import queue;
# non_expiring: the only exemption from XNAT's password expiry (default: a year), after which every
# call of the account, its login included, is a 302 to the change-password page
# (xnat-rest-behaviour.md §2.2a). Each role with PUT /xapi/users/{u}/roles/{role} (§ Users).
for role in Administrator ContainerManager Dqr non_expiring; do
  status=$(api PUT "/xapi/users/$XNAT_SERVICE_USER/roles/$role")
  expect "$status" 200 201 || die "granting role $role answered $status: $(head -c 300 "$BODY")"
done
status=$(api PUT "/xapi/users/$XNAT_SERVICE_USER/groups/ALL_DATA_ADMIN")
expect "$status" 200 201 || die "adding ALL_DATA_ADMIN answered $status: $(head -c 300 "$BODY")"
log "roles Administrator, ContainerManager, Dqr, non_expiring and group ALL_DATA_ADMIN granted"
status=$(api PUT /xapi/users/guest/enabled/false)
expect "$status" 200 404 || log "could not disable the guest account (HTTP $status); continuing"

# 6. Container Service: the local Docker socket, with path translation because XNAT's archive is a
# bind mount that sibling containers must find at the host path.
docker_json=$(jq -n --arg host "$XNAT_DATA_DIR" '{name: "Local Docker", host: "unix:///var/run/docker.sock",
  "path-translation-xnat-prefix": "/data/xnat", "path-translation-docker-prefix": $host}')
status=$(api POST /xapi/docker/server "$docker_json")
expect "$status" 200 201 || die "POST /xapi/docker/server answered $status: $(head -c 300 "$BODY")"

# 7. dcm2niix at exactly the pinned image imaging-api looks up (a stale ':latest' registration is
# the classic cause of "No commands found for container").
status=$(api GET "/xapi/commands?image=$(printf %s "$DCM2NIIX_IMAGE" | jq -sRr @uri)")
expect "$status" 200 || die "GET /xapi/commands answered $status: $(head -c 300 "$BODY")"
command_id=$(jq -r '[.[] | select(.name == "dcm2niix")][0].id // empty' "$BODY")
if [ -z "$command_id" ]; then
  command=$(jq --arg img "$DCM2NIIX_IMAGE" '.image = $img' "$COMMAND_JSON")
  status=$(api POST /xapi/commands "$command")
  expect "$status" 201 200 || die "POST /xapi/commands answered $status: $(head -c 300 "$BODY")"
  command_id=$(jq -r 'if type == "number" then . else .id end' "$BODY")
  log "registered dcm2niix (command $command_id) for $DCM2NIIX_IMAGE"
else
  log "dcm2niix already registered for $DCM2NIIX_IMAGE (command $command_id)"
fi
status=$(api PUT "/xapi/commands/$command_id/wrappers/$WRAPPER/enabled")
expect "$status" 200 || die "enabling wrapper $WRAPPER site-wide answered $status: $(head -c 300 "$BODY")"
log "wrapper $WRAPPER enabled site-wide; XNAT is ready for imaging-api"
