#!/usr/bin/env bash
# Regenerates the screenshots in docs/ from the bundled sample data (fixtures/demo), as of
# 2026-11-21:
#   docs/dbd-rate.png           `dbd rate` in a terminal (captured with tmux, colours included)
#   docs/dbd-weekly-report.png  `dbd weekly-report --town` in a terminal
#   docs/dbd-report-html.png    the HTML report of `dbd report --html` (its charts)
# Needs Debian's tmux, chromium and a CJK font:  apt-get install -y tmux chromium fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DOCS=$ROOT/docs
export DBD_TODAY=2026-11-21 LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR

for tool in tmux chromium node; do
  command -v "$tool" >/dev/null || { echo "make-screenshots: $tool is not installed (apt-get install -y tmux chromium fonts-noto-cjk)" >&2; exit 1; }
done

npx tsc -p tsconfig.build.json

WORK=$(mktemp -d)
SESSION="dbd-shots-$$"
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A `dbd` on PATH for the terminal, as a user has after `npm install -g` or `npx`.
mkdir -p "$WORK/bin" "$WORK/chromium"
printf '#!/bin/sh\nexec node %q/bin/dbd.js "$@"\n' "$ROOT" > "$WORK/bin/dbd"
chmod +x "$WORK/bin/dbd"
export PATH="$WORK/bin:$PATH" DBD_DB="$WORK/dbd.sqlite"
for file in 社区名单.csv 单位党组织名册.xlsx 在职党员花名册.xlsx 报到登记.csv 志愿服务记录.xlsx 结对共建.xlsx; do
  dbd import "fixtures/demo/$file" >/dev/null
done

chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$WORK/chromium" "$@" 2>/dev/null
}

# Run one command in a real terminal (tmux, 256 colours) and keep what the screen shows.
capture() {
  local name=$1 title=$2
  shift 2
  "$@" >/dev/null # stops the script (set -e) if the command fails
  tmux new-session -d -s "$SESSION" -x 150 -y 60 \
    "env PS1='$ ' TERM=xterm-256color bash --norc --noprofile"
  sleep 0.3
  tmux send-keys -t "$SESSION" "$*" Enter
  # Done when the prompt is back on the last line.
  for _ in $(seq 1 150); do
    sleep 0.2
    [ "$(tmux capture-pane -t "$SESSION" -p | sed '/^$/d' | tail -n 1)" = '$' ] && break
  done
  # The screen from the command line to the end of the output (the new prompt left out).
  tmux capture-pane -t "$SESSION" -e -p -S - | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed '$d' > "$WORK/$name.ansi"
  tmux kill-session -t "$SESSION"
  local size
  size=$(node "$DOCS/ansi-to-html.mjs" "$WORK/$name.ansi" "$WORK/$name.html" "$title")
  chrome --window-size="${size/x/,}" --screenshot="$DOCS/$name.png" "file://$WORK/$name.html"
  echo "docs/$name.png ($size)"
}

capture dbd-rate 'dbd rate' dbd rate
capture dbd-weekly-report 'dbd weekly-report --town' dbd weekly-report --town

# The HTML report: the top of the page, with the three charts.
dbd report --html "$WORK/report.html" >/dev/null
chrome --window-size=1000,1300 --screenshot="$DOCS/dbd-report-html.png" "file://$WORK/report.html"
echo "docs/dbd-report-html.png (1000x1300)"

for png in "$DOCS"/dbd-rate.png "$DOCS"/dbd-weekly-report.png "$DOCS"/dbd-report-html.png; do
  bytes=$(stat -c %s "$png")
  if [ "$bytes" -gt 300000 ]; then echo "make-screenshots: $png is $bytes bytes (over 300 KB)" >&2; exit 1; fi
done
