#!/usr/bin/env bash
# Issue 10's figures in one go, each bench in full, with what the machine was doing beside them:
#   bench/issue10.sh                 # log in $TMPDIR/boardroom-bench-logs/issue10-<date>.log (and on the terminal)
#   bench/issue10.sh board moves     # only some: board, moves, moves-watch, fanout
# PostgreSQL: BENCH_POSTGRES_URL's server (default postgresql://postgres@127.0.0.1:5432/postgres), a
# throwaway database per bench; Redis: BENCH_REDIS_URL, or an embedded one. About 6 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
logs="${TMPDIR:-/tmp}/boardroom-bench-logs"
mkdir -p "$logs"
log="$logs/issue10-$(date +%Y%m%d-%H%M%S).log"
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(board moves moves-watch fanout)

machine() {
  echo "-- $(date -Is)  $(uptime)"
  ps -eo pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160
}

{
  if git rev-parse --git-dir >/dev/null 2>&1; then
    code="commit $(git rev-parse --short HEAD), $(git status --short | wc -l) files changed or new"
  else
    code="$(pwd) (not a git checkout)"
  fi
  echo "== issue 10 benches on $code; $(nproc) cores"
  status=0
  for part in "${parts[@]}"; do
    machine
    case $part in
      board) $PY bench/board_render.py --db postgres || status=1 ;;
      moves) $PY bench/moves_pg.py || status=1 ;;
      moves-watch) $PY bench/moves_pg.py --watch || status=1 ;;
      fanout) $PY bench/ws_fanout.py || status=1 ;;
      *) echo "unknown part $part (board, moves, moves-watch, fanout)"; status=1 ;;
    esac
  done
  machine
  exit $status
} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo "log: $log"
exit "$status"
