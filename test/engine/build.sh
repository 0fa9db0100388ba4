#!/usr/bin/env bash
# Builds, or reuses from a cache outside the repository, everything the real-engine tier runs:
#   - the Pulumi CLI, from source: github.com/pulumi/pulumi/pkg/v3 cmd/pulumi at the version of @pulumi/pulumi
#     in package-lock.json (test/engine/cli/go.mod pins it; this script refuses a mismatch);
#   - the Node.js language host: a stand-in (test/engine/language-host/main.go says why);
#   - the provider plugins (test/engine/providers/*/README.md say what is real and what stands in).
# Everything Go comes through the Go module proxy with the ordinary `go` command. Each piece is cached under
# $PICO_ENGINE_CACHE (default ~/.cache/pico-engine) by version and a digest of its sources, so a second run
# builds nothing. A developer with the real `pulumi` of the same version on PATH gets that one instead
# (PICO_ENGINE_BUILD_CLI=1 forces the source build).
#
# Prints progress and timings on stderr; on success prints the engine directory on stdout. That directory
# holds bin/ (pulumi and its language host side by side, where the CLI looks for bundled language plugins),
# home/ (a PULUMI_HOME with the provider plugins installed) and pieces.txt (one line per piece: what it is).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/test/engine"
cache=${PICO_ENGINE_CACHE:-$HOME/.cache/pico-engine}
mkdir -p "$cache"
export GOFLAGS=${GOFLAGS:--mod=mod} CGO_ENABLED=0 GOTOOLCHAIN=local

say() { printf '[engine] %s\n' "$*" >&2; }
command -v go >/dev/null || { say "go is not installed (the engine tier builds the Pulumi CLI from source with Go)"; exit 2; }

lock_version() { node -p "require('$root/package-lock.json').packages['node_modules/$1'].version.replace(/^v/, '')"; }
pulumi_version=$(lock_version @pulumi/pulumi)
pin=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/cli/go.mod")
[ "$pin" = "v$pulumi_version" ] || { say "test/engine/cli/go.mod pins pkg/v3 $pin but package-lock.json has @pulumi/pulumi $pulumi_version"; exit 2; }

digest() { (cd "$1" && find . -type f ! -name '*.md' ! -path './node_modules/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12); }

# build <piece> <version> <source dir> <output name> <go package> [ldflags]: a cached `go build`.
build() {
  local piece=$1 version=$2 src=$3 out=$4 pkg=$5 ldflags=${6:-}
  local dir="$cache/$piece/$version-$(digest "$src")"
  if [ ! -x "$dir/$out" ]; then
    say "building $piece $version (cold: see README for the time this takes) ..."
    local t0=$SECONDS
    mkdir -p "$dir.tmp"
    (cd "$src" && go mod download >&2 && go build -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$dir.tmp/$out" "$pkg" >&2)
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    say "built $piece in $((SECONDS - t0)) s"
  else
    say "reusing $piece $version from $dir"
  fi
  printf '%s\n' "$dir/$out"
}

stamp="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_version"
if [ "${PICO_ENGINE_BUILD_CLI:-0}" != 1 ] && command -v pulumi >/dev/null && [ "$(pulumi version 2>/dev/null)" = "v$pulumi_version" ]; then
  cli=$(command -v pulumi); cli_what="pulumi v$pulumi_version: the real CLI found on PATH ($cli)"
else
  cli=$(build pulumi "v$pulumi_version" "$here/cli" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$stamp")
  cli_what="pulumi v$pulumi_version: the real CLI, built from source (github.com/pulumi/pulumi/pkg/v3@v$pulumi_version cmd/pulumi)"
fi
langhost=$(build language-nodejs "v$pulumi_version" "$here/language-host" pulumi-language-nodejs . "$stamp")

# One engine home per checkout: its Node.js plugin links to this checkout's node_modules, and two checkouts
# sharing one home would reinstall each other's plugins in the middle of a run. The built binaries are shared.
engine="$cache/engine/v$pulumi_version-$(printf '%s\n' "$cli" "$langhost" "$root" | sha256sum | cut -c1-12)"
mkdir -p "$engine/bin" "$engine/home"
# Hard links, not symlinks: the CLI looks for bundled language hosts beside its own resolved executable.
ln -f "$cli" "$engine/bin/pulumi" 2>/dev/null || cp -f "$cli" "$engine/bin/pulumi"
ln -f "$langhost" "$engine/bin/pulumi-language-nodejs" 2>/dev/null || cp -f "$langhost" "$engine/bin/pulumi-language-nodejs"
{
  echo "$cli_what"
  echo "pulumi-language-nodejs v$pulumi_version: STAND-IN (the real module is not served by the Go proxy; test/engine/language-host/main.go)"
} > "$engine/pieces.txt"

# Provider plugins: each folder under providers/ says how it is built (build.env: PLUGIN, VERSION, KIND=go|nodejs, WHAT).
for p in "$here"/providers/*/; do
  [ -f "$p/build.env" ] || continue
  # shellcheck disable=SC1091
  (. "$p/build.env"; printf '%s\t%s\t%s\t%s\n' "$PLUGIN" "$VERSION" "$KIND" "$WHAT") 
done > "$engine/providers.tsv"
while IFS=$'\t' read -r plugin version kind what; do
  src="$here/providers/$plugin"
  if [ "$kind" = go ]; then
    file=$(build "provider-$plugin" "v$version" "$src" "pulumi-resource-$plugin" .)
  else
    file="$src"
  fi
  dest="$engine/home/plugins/resource-$plugin-v$version"
  marker="$dest.source"
  if [ "$(cat "$marker" 2>/dev/null)" != "$file $(digest "$src") $root" ]; then
    say "installing plugin $plugin $version"
    rm -rf "$dest"
    if [ "$kind" = go ]; then
      PULUMI_HOME="$engine/home" PULUMI_SKIP_UPDATE_CHECK=1 "$cli" plugin install resource "$plugin" "$version" --file "$file" >&2
    else
      # A Node.js plugin folder: `plugin install --file <dir>` would copy it and then ask the language host to
      # install its dependencies; the repository's own node_modules (one @pulumi/pulumi) serve instead.
      mkdir -p "$dest"
      find "$src" -maxdepth 1 -type f ! -name '*.md' ! -name build.env -exec cp {} "$dest/" \;
      ln -s "$root/node_modules" "$dest/node_modules"
    fi
    echo "$file $(digest "$src") $root" > "$marker"
  fi
  echo "pulumi-resource-$plugin v$version: $what" >> "$engine/pieces.txt"
done < "$engine/providers.tsv"

printf '%s\n' "$engine"
