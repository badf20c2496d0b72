#!/usr/bin/env bash
# Regenerates the committed Swift code in Shared/Protos/Generated from proto/activeseg/v1/*.proto.
# Needs protoc (apt: protobuf-compiler) and builds protoc-gen-swift 1.39.0 once into .build-protoc-gen-swift/
# (git-ignored, ~2 minutes). The package build itself never needs protoc.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v protoc >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler; }
plugin="${PROTOC_GEN_SWIFT:-}"
if [ -z "$plugin" ]; then
  src="$root/.build-protoc-gen-swift/swift-protobuf"
  if [ ! -x "$src/.build/release/protoc-gen-swift" ]; then
    rm -rf "$src"; mkdir -p "$(dirname "$src")"
    git clone -q https://github.com/apple/swift-protobuf.git "$src"
    git -C "$src" checkout -q 1.39.0
    (cd "$src" && swift build -c release --product protoc-gen-swift)
  fi
  plugin="$src/.build/release/protoc-gen-swift"
fi
out="$root/Shared/Protos/Generated"
mkdir -p "$out"
rm -f "$out"/*.pb.swift
protoc --plugin=protoc-gen-swift="$plugin" -I proto \
  --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
  --swift_out="$out" proto/activeseg/v1/*.proto
echo "generated: $(ls "$out")"
