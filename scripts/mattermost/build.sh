#!/usr/bin/env bash
# Builds a real Mattermost server (Team Edition, API only) for the end-to-end
# test, from the Go module proxy, and prepares its working directory:
#
#   .cache/mattermost/bin/mattermost   the server binary (built once, then reused)
#   .cache/mattermost/server/          i18n/, templates/, fonts/ the server reads
#                                      relative to its working directory
#
# The server is a test peer, not a dependency: it is built in a throwaway module
# under .cache/mattermost/build with its own go.mod, so the product's go.mod is
# never touched. `go mod tidy` is never run there (the enterprise build tags
# import private modules and tidy fails). See PLATFORMS.md, "A real Mattermost
# server for end-to-end tests". A first build takes about 4 minutes on 2 cores
# and fills about 1.4 GB of module cache.
#
# Environment: MATTERMOST_CACHE_DIR (default $REPO/.cache/mattermost),
# FORCE_BUILD=1 to rebuild even when the binary is present, GO (default go).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${MATTERMOST_CACHE_DIR:-$repo/.cache/mattermost}"
go="${GO:-go}"

server_module=github.com/mattermost/mattermost/server/v8
server_version=v8.0.0-20260113162330-9e1d4c2072c0
public_module=github.com/mattermost/mattermost/server/public
public_version=v0.1.22-0.20260113165922-8e4cadbc88ee

build_dir="$cache/build"
bin="$cache/bin/mattermost"
work_dir="$cache/server"

# The version the cached binary was built from; a different pin rebuilds.
stamp="$cache/bin/VERSION"
want_stamp="$server_module@$server_version $public_module@$public_version"

mkdir -p "$build_dir" "$cache/bin" "$work_dir"

cat >"$build_dir/go.mod" <<GOMOD
// Throwaway module that builds the Mattermost server for reportbot's
// end-to-end test. Written by scripts/mattermost/build.sh; do not tidy.
module reportbot.local/mattermost-server-build

go 1.26.8

require (
	$server_module $server_version
	$public_module $public_version
)

replace github.com/olekukonko/tablewriter => github.com/olekukonko/tablewriter v0.0.5
GOMOD

cat >"$build_dir/tools.go" <<'TOOLS'
//go:build tools

// Package tools pins the Mattermost server command for `go build`.
package tools

import _ "github.com/mattermost/mattermost/server/v8/cmd/mattermost"
TOOLS

if [ "${FORCE_BUILD:-}" != 1 ] && [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want_stamp" ]; then
	echo "mattermost: using cached $bin"
else
	echo "mattermost: building $server_module@$server_version (a first build takes a few minutes)"
	start=$(date +%s)
	(
		cd "$build_dir"
		# GOWORK=off: never pick up a workspace that includes the product.
		# -buildvcs=false: the build directory sits inside the product's
		# repository, whose state must not matter.
		GOWORK=off GOSUMDB=off GOFLAGS="-mod=mod -buildvcs=false" "$go" build -trimpath -o "$bin.tmp" "$server_module/cmd/mattermost"
	)
	mv "$bin.tmp" "$bin"
	echo "$want_stamp" >"$stamp"
	echo "mattermost: built $bin in $(($(date +%s) - start))s"
fi

# The server's assets, from the module cache (read-only there, so copy and
# make writable; the test may write config and logs beside them).
src="$(cd "$build_dir" && GOWORK=off GOSUMDB=off GOFLAGS=-mod=mod "$go" list -m -f '{{.Dir}}' "$server_module")"
if [ -z "$src" ] || [ ! -d "$src/i18n" ]; then
	echo "mattermost: module source for $server_module not found in the module cache" >&2
	exit 1
fi
# Copied again when they came from another module version, or one is missing.
if [ "$(cat "$work_dir/SOURCE" 2>/dev/null)" != "$src" ] ||
	[ ! -d "$work_dir/i18n" ] || [ ! -d "$work_dir/templates" ] || [ ! -d "$work_dir/fonts" ]; then
	for d in i18n templates fonts; do
		rm -rf "$work_dir/$d"
		cp -R "$src/$d" "$work_dir/$d"
		chmod -R u+w "$work_dir/$d"
	done
	echo "$src" >"$work_dir/SOURCE"
fi
echo "mattermost: server assets in $work_dir (i18n, templates, fonts)"
