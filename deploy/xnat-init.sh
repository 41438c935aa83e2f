#!/bin/sh
# One-shot before XNAT's first start (docker-compose service xnat-init): puts the plugins imaging-api
# relies on into XNAT's plugin folder and writes the datasource configuration. Idempotent.
set -eu

: "${XNAT_DB_PASSWORD:?XNAT_DB_PASSWORD is required}"
CONTAINER_SERVICE_VERSION="${CONTAINER_SERVICE_VERSION:-3.8.1}"
DQR_VERSION="${DQR_VERSION:-3.0.0}"
PLUGINS=/data/xnat/home/plugins
CONFIG=/data/xnat/home/config

apk add --no-cache curl >/dev/null

fetch() { # url file
  if [ -s "$PLUGINS/$2" ]; then
    echo "xnat-init: $2 already present"
    return
  fi
  echo "xnat-init: downloading $2"
  curl -fsSL --retry 5 --retry-delay 5 -o "$PLUGINS/$2.part" "$1"
  mv "$PLUGINS/$2.part" "$PLUGINS/$2"
}

mkdir -p "$PLUGINS" "$CONFIG"
# Container Service: runs dcm2niix; 3.7+ needs the ContainerManager role for command administration.
fetch "https://github.com/NrgXnat/container-service/releases/download/${CONTAINER_SERVICE_VERSION}/container-service-${CONTAINER_SERVICE_VERSION}-fat.jar" \
      "container-service-${CONTAINER_SERVICE_VERSION}-fat.jar"
# DICOM Query-Retrieve: imaging-api cancels a project's queued imports before deleting it.
fetch "https://api.bitbucket.org/2.0/repositories/xnatdev/dicom-query-retrieve/downloads/dicom-query-retrieve-${DQR_VERSION}-xpl.jar" \
      "dicom-query-retrieve-${DQR_VERSION}-xpl.jar"

# Written on every run so a changed XNAT_DB_PASSWORD takes effect; never printed.
umask 077
cat > "$CONFIG/xnat-conf.properties.tmp" <<CONF
datasource.driver=org.postgresql.Driver
datasource.url=jdbc:postgresql://xnat-db:5432/xnat
datasource.username=xnat
datasource.password=${XNAT_DB_PASSWORD}
hibernate.dialect=org.hibernate.dialect.PostgreSQL9Dialect
hibernate.hbm2ddl.auto=update
hibernate.show_sql=false
hibernate.cache.use_second_level_cache=true
hibernate.cache.use_query_cache=true
CONF
chmod 644 "$CONFIG/xnat-conf.properties.tmp"
mv "$CONFIG/xnat-conf.properties.tmp" "$CONFIG/xnat-conf.properties"
echo "xnat-init: done"
