#!/usr/bin/env bash
# Fetches the pinned tree-sitter core and grammars from the npm registry into
# DEST (default build/vendor), checking each tarball's sha512 against
# grammars/pins.txt before unpacking.  Nothing fetched is committed: the
# Makefile calls this on a fresh machine and again only when pins.txt changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-build/vendor}
mkdir -p "$dest/tarballs"
while read -r name version integrity; do
  case "$name" in ''|'#'*) continue ;; esac
  tgz="$dest/tarballs/$name-$version.tgz"
  if [ ! -f "$tgz" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent --loglevel=error "$name@$version" >/dev/null 2>&1) || {
      echo "grammars/fetch.sh: error: npm pack $name@$version failed (is the npm registry reachable?)" >&2
      rm -rf "$tmp"; exit 1; }
    mv "$tmp"/*.tgz "$tgz"; rm -rf "$tmp"
  fi
  want=${integrity#sha512-}
  got=$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)
  if [ "$got" != "$want" ]; then
    echo "grammars/fetch.sh: error: integrity mismatch for $name@$version" >&2
    echo "  expected sha512-$want" >&2
    echo "  got      sha512-$got" >&2
    rm -f "$tgz"; exit 1
  fi
  rm -rf "$dest/$name"; mkdir -p "$dest/$name"
  tar xzf "$tgz" -C "$dest/$name" --strip-components=1
done < "$here/pins.txt"
cp "$here/pins.txt" "$dest/.pins"
echo "grammars: fetched and verified $(grep -vc '^#' "$here/pins.txt") packages into $dest"
