# Source me: `source scripts/env.sh` (bash or zsh). Puts fpgaopt's tools on PATH and sets the
# variables the MLIR build (melior / mlir-sys) and the C simulation need. Safe to source twice.

if [ -n "${BASH_SOURCE:-}" ]; then
    _fpgaopt_env_file="${BASH_SOURCE[0]}"
elif [ -n "${ZSH_VERSION:-}" ]; then
    _fpgaopt_env_file="${(%):-%x}"
else
    _fpgaopt_env_file="$0"
fi
FPGAOPT_REPO="$(cd "$(dirname "$_fpgaopt_env_file")/.." && pwd)"
export FPGAOPT_REPO
unset _fpgaopt_env_file

_fpgaopt_path_prepend() {
    case ":$PATH:" in
        *":$1:"*) ;;
        *) PATH="$1:$PATH" ;;
    esac
}
# Last prepended wins: the project's binaries first, then the venv, then LLVM 22's tools.
_fpgaopt_path_prepend /usr/lib/llvm-22/bin
_fpgaopt_path_prepend "$FPGAOPT_REPO/.venv/bin"
_fpgaopt_path_prepend "$FPGAOPT_REPO/target/release"
export PATH
unset -f _fpgaopt_path_prepend

export MLIR_SYS_220_PREFIX=/usr/lib/llvm-22
export TABLEGEN_220_PREFIX=/usr/lib/llvm-22
export LIBCLANG_PATH=/usr/lib/llvm-22/lib

# setup.sh records where the hls4ml wheel keeps the ap_types headers; an explicit setting wins.
if [ -z "${FPGAOPT_AP_TYPES:-}" ] && [ -f "$FPGAOPT_REPO/build/ap_types_path" ]; then
    FPGAOPT_AP_TYPES="$(cat "$FPGAOPT_REPO/build/ap_types_path")"
fi
if [ -n "${FPGAOPT_AP_TYPES:-}" ]; then
    export FPGAOPT_AP_TYPES
fi
