#!/usr/bin/env bash
# Installs the Debian packages the build needs when they are missing, so that
# `make` works on a fresh machine.  Uses sudo only when not already root.
set -euo pipefail
need=()
[ -f /usr/include/jansson.h ] || need+=(libjansson-dev)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
[ -f /usr/include/mimalloc.h ] || need+=(libmimalloc-dev)
[ -f /usr/include/xxhash.h ] || need+=(libxxhash-dev)
command -v openssl >/dev/null || need+=(openssl)
command -v dot >/dev/null || need+=(graphviz)
command -v groff >/dev/null || need+=(groff-base)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "install-deps: installing ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
