#!/usr/bin/env bash
# tests/clients/debian-python.sh DIR PACKAGE...
#
# Makes Debian's python3-PACKAGE importable by the python3 on PATH, for the
# tests that run a real client library (no PyPI here): installs the Debian
# package when Debian's python3 cannot import it, then links into DIR each
# top-level module of Debian's dist-packages that importing it loads and the
# python3 on PATH cannot import by itself (a pyenv or venv python does not
# read Debian's dist-packages).  Put DIR on PYTHONPATH.  Pure-Python
# packages only: a compiled module is for Debian's own python3.
set -euo pipefail
dir=$1
shift
debian=/usr/bin/python3
dist=/usr/lib/python3/dist-packages
for pkg in "$@"; do
  if ! "$debian" -c "import $pkg" 2>/dev/null; then
    echo "tests: installing Debian's python3-$pkg"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "python3-$pkg" >/dev/null ||
      { $sudo apt-get update -qq && $sudo apt-get install -y -qq "python3-$pkg" >/dev/null; }
  fi
done
rm -rf "$dir"
mkdir -p "$dir"
# the top-level names under dist-packages of every module the imports load
"$debian" - "$dist" "$@" <<'PY' | while read -r name; do
import importlib, sys
dist = sys.argv[1].rstrip("/") + "/"
for pkg in sys.argv[2:]:
    importlib.import_module(pkg)
tops = set()
for module in list(sys.modules.values()):
    path = getattr(module, "__file__", None) or ""
    if path.startswith(dist):
        tops.add(path[len(dist):].split("/")[0])
print("\n".join(sorted(tops)))
PY
  mod=${name%.py}
  if ! python3 -c "import $mod" 2>/dev/null; then ln -s "$dist/$name" "$dir/$name"; fi
done
for pkg in "$@"; do
  PYTHONPATH="$dir${PYTHONPATH:+:$PYTHONPATH}" python3 -c "import $pkg" ||
    { echo "tests: the python3 on PATH cannot import $pkg from $dir" >&2; exit 1; }
done
