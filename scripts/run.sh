#!/usr/bin/env bash
# Runs the demo: migrate, load the demo cast, then the ASGI server and a task worker together.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# Links in emails, calendar feeds and QR codes (and the allowed browser origin) follow the port served.
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:${PORT}}
export DEBUG=${DEBUG:-true}
export DEMO_RELAX_MFA=${DEMO_RELAX_MFA:-true}
export PUSH_TRANSPORT=${PUSH_TRANSPORT:-log}

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py load_demo
"$PY" manage.py check --fail-level ERROR

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait 2>/dev/null' INT TERM EXIT
# No autoreloader (it would run the worker as a hidden child of the visible PID): the worker's PID is its own.
"$PY" manage.py worker --no-startup-delay --no-reload --queue-name '*' &
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload &
echo
echo "Serving on http://127.0.0.1:${PORT}, links made for ${PUBLIC_BASE_URL}  (API docs: /api/docs/, sign-in spec: /_allauth/openapi.html). Ctrl-C stops."
wait
