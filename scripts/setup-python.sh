#!/usr/bin/env bash
# Creates <repo root>/.venv with pyarrow and numpy for the arrow-io interop tests.
# Idempotent: an existing venv that already imports both is left alone. Works as root or a user.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${repo_root}/.venv"
python="${PYTHON:-python3}"

if [[ -x "${venv}/bin/python" ]] && "${venv}/bin/python" -c 'import pyarrow, numpy' 2>/dev/null; then
  echo "setup-python: ${venv} already has pyarrow and numpy"
  exit 0
fi

if ! command -v "${python}" >/dev/null 2>&1; then
  echo "setup-python: ${python} not found; install Python 3 (apt-get install python3 python3-venv)" >&2
  exit 1
fi

if [[ ! -x "${venv}/bin/python" ]]; then
  echo "setup-python: creating ${venv}"
  "${python}" -m venv "${venv}"
fi

echo "setup-python: installing pyarrow and numpy into ${venv}"
"${venv}/bin/pip" install --disable-pip-version-check pyarrow numpy
"${venv}/bin/python" -c 'import pyarrow, numpy; print("setup-python: pyarrow", pyarrow.__version__, "numpy", numpy.__version__)'
