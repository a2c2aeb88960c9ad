#!/usr/bin/env bash
# Checks that a speed change leaves results unchanged: runs a fixed set of scenarios (the default,
# the large benchmark shortened, a workload-isolation one, ADSS with C3, hybrid and softmax, a cache
# cluster, a zone-drain cluster fault and a GC storm with heap killing) with `twin run` and keeps every Arrow table and summary.json
# (less its `performance` block, which is wall time and memory) under DIR.
#   scripts/same-results.sh record DIR   run them and keep the results as the reference
#   scripts/same-results.sh check DIR    run them again and compare byte for byte with DIR
# TWIN=path/to/main.js runs another build (a copy of .build/twin made before the change) instead of bin/twin.js.
# Exit 0 when every file is identical, 1 when one differs (each difference is listed), 2 for bad use.
set -euo pipefail

mode=${1:-}
dir=${2:-}
if [[ ($mode != record && $mode != check) || -z $dir ]]; then
  echo "usage: $0 record|check DIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
twin=${TWIN:-$root/bin/twin.js}

# name | scenario | --set overrides
cases=(
  "default|default.yaml|"
  "bench-large|bench-large.yaml|duration=3s"
  "qwi-noisy|qwi-noisy-neighbour.yaml|"
  "adss-c3|adss-1500qps.yaml|routing.selector=c3 duration=30s"
  "adss-hybrid|adss-1500qps.yaml|duration=30s"
  "adss-softmax|adss-1500qps.yaml|routing.selector=softmax duration=30s"
  "cache-cluster|cache-cluster-tiered.yaml|duration=20s"
  "zone-drain|mz-drain-before-after.yaml|"
  "gc-heap|gc-heap-storm.yaml|duration=15s"
)

work=$(mktemp -d "${TMPDIR:-/tmp}/same-results-XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
for entry in "${cases[@]}"; do
  IFS='|' read -r name file sets <<<"$entry"
  args=()
  for set in $sets; do args+=(--set "$set"); done
  out=$work/$name
  node "$twin" run "$root/scenarios/$file" --out "$out" "${args[@]}" >/dev/null
  node -e 'const fs=require("fs");const s=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));delete s.performance;fs.writeFileSync(process.argv[1],JSON.stringify(s,null,1)+"\n")' "$out/summary.json"
  if [[ $mode == record ]]; then
    mkdir -p "$dir/$name"
    cp "$out"/*.arrow "$out/summary.json" "$dir/$name/"
  else
    for f in "$dir/$name"/*; do
      if ! cmp -s "$f" "$out/$(basename "$f")"; then
        echo "differs: $name/$(basename "$f")"
        status=1
      fi
    done
  fi
  echo "$mode $name"
done
exit $status
