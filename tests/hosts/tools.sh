# tools.sh — sourced by the host tests: finds the shared tools (lv2lint,
# Carla) that Debian lacks. HILLOCK_TOOLS names their folder (meson passes
# the one it configured with: -Dtools, $HILLOCK_TOOLS, or the default,
# shared/tools beside the repository, where CI keeps its copy). Missing tools
# skip the test (status 77) on a developer's machine but fail it under CI
# (CI=true), so CI cannot pass without having run the host.
#   need_tool RELATIVE_PATH   sets TOOL to the absolute path
: "${HILLOCK_SOURCE_ROOT:?HILLOCK_SOURCE_ROOT must name the source tree}"
HILLOCK_TOOLS=${HILLOCK_TOOLS:-$(dirname "$HILLOCK_SOURCE_ROOT")/shared/tools}

need_tool() {
    TOOL=$HILLOCK_TOOLS/$1
    [ -e "$TOOL" ] && return 0
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $TOOL not found (CI=true: set HILLOCK_TOOLS to the shared tools folder)" >&2
        exit 1
    fi
    echo "SKIP: $TOOL not found (set HILLOCK_TOOLS to the shared tools folder)"
    exit 77
}
