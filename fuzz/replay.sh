#!/bin/sh
# Builds the fuzz targets (clang, libFuzzer, AddressSanitizer and UBSan) in a build directory of
# their own and runs every saved input once: each target's corpus (fuzz/corpus/TARGET) and its
# regression inputs (fuzz/regressions/TARGET), which must all pass; the inputs of bugs not yet
# fixed (fuzz/regressions/open/TARGET) are run and reported without failing. Seconds, not a
# fuzzing run: the CTest test fuzz_replay runs it; the long runs are done by hand (README.md).
#
# Exits 0 when every input passes, 1 when one fails (crash, sanitizer report, broken property),
# 77 (skipped) when clang++ or libFuzzer is not installed.
#
# Environment: OPENNOS_FUZZ_BUILD (default <repo>/build-fuzz), OPENNOS_FUZZ_CXX (clang++).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${OPENNOS_FUZZ_BUILD:-$ROOT/build-fuzz}
CXX=${OPENNOS_FUZZ_CXX:-clang++}
TARGETS="fuzz_case_reader fuzz_csv_reader fuzz_native_reader"

if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "SKIP: $CXX is not installed (Debian: clang, libfuzzer-14-dev)"
  exit 77
fi
# libFuzzer: can the compiler link a fuzz target?
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
  'extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }' > "$probe/probe.cc"
if ! "$CXX" -fsanitize=fuzzer,address "$probe/probe.cc" -o "$probe/probe" >/dev/null 2>&1; then
  echo "SKIP: $CXX cannot link a libFuzzer target (Debian: libfuzzer-14-dev)"
  exit 77
fi

GENERATOR=
if command -v ninja >/dev/null 2>&1 && [ ! -f "$BUILD/CMakeCache.txt" ]; then GENERATOR="-G Ninja"; fi
mkdir -p "$BUILD"
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$BUILD" $GENERATOR -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX" -DOPENNOS_FUZZ=ON -DOPENNOS_WERROR=OFF >"$BUILD/configure.log" 2>&1 ||
  { cat "$BUILD/configure.log"; exit 1; }
# shellcheck disable=SC2086
cmake --build "$BUILD" --target $TARGETS

failed=0
for target in $TARGETS; do
  dirs=
  for d in "$ROOT/fuzz/corpus/$target" "$ROOT/fuzz/regressions/$target"; do
    if [ -d "$d" ] && [ -n "$(ls -A "$d")" ]; then dirs="$dirs $d"; fi
  done
  [ -n "$dirs" ] || continue
  log="$BUILD/$target.replay.log"
  # -runs=0: read (and so run) every input of the directories once, then stop.
  # shellcheck disable=SC2086
  if "$BUILD/fuzz/$target" -runs=0 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$BUILD/" \
      $dirs >"$log" 2>&1; then
    echo "$target: $(grep -o 'INITED.*' "$log" | head -1)"
  else
    failed=1
    echo "$target: FAILED on a saved input (log: $log); the inputs that fail:"
    for d in $dirs; do
      for input in "$d"/*; do
        if ! "$BUILD/fuzz/$target" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$BUILD/" \
            "$input" >"$log.one" 2>&1; then
          echo "--- $input"
          grep -E -A3 'property broken|ERROR: |runtime error' "$log.one" | head -12
        fi
      done
    done
  fi
done

# Inputs of bugs found and not fixed yet (fuzz/regressions/open/TARGET): each is run and
# reported, and does not fail the replay. Once one passes, move it to fuzz/regressions/TARGET.
for target in $TARGETS; do
  d="$ROOT/fuzz/regressions/open/$target"
  [ -d "$d" ] || continue
  for input in "$d"/*; do
    [ -f "$input" ] || continue
    if "$BUILD/fuzz/$target" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$BUILD/" \
        "$input" >"$BUILD/$target.open.log" 2>&1; then
      echo "$target: FIXED, move to fuzz/regressions/$target: ${input#"$ROOT"/}"
    else
      what=$(grep -E -A1 'property broken|ERROR: |runtime error' "$BUILD/$target.open.log" |
             head -2 | tr '\n' ' ')
      echo "$target: open bug, still fails: ${input#"$ROOT"/}: $what"
    fi
  done
done
exit $failed
