#!/bin/sh
# Live-follow benchmark: the GUI (offscreen) follows a log that a writer fills at
# RATE lines/s for SECONDS with ROTATIONS rotations of both kinds, and prints the
# longest event-loop stall, the rows it ended with and how far the charts lagged.
#   bench/follow_bench.sh build/dev/app/vigil [RATE] [SECONDS] [ROTATIONS]
set -eu
VIGIL=${1:?path to vigil}
RATE=${2:-20000}
SECONDS_=${3:-60}
ROTATIONS=${4:-5}
DIR=$(mktemp -d)
trap 'kill $GUI 2>/dev/null || true; rm -rf "$DIR"' EXIT
LOG=$DIR/app.log
# The first lines exist before the GUI starts, so that it infers the schema at once.
/usr/bin/python3 "$(dirname "$0")/follow_writer.py" "$LOG" --rate "$RATE" --seconds 0.05 --rotations 0 > "$DIR/pre.json"
QT_QPA_PLATFORM=offscreen "$VIGIL" --follow --probe-stalls --idle-exit 4 "$LOG" > "$DIR/gui.txt" &
GUI=$!
/usr/bin/python3 "$(dirname "$0")/follow_writer.py" "$LOG" --rate "$RATE" --seconds "$SECONDS_" \
    --rotations "$ROTATIONS" --seed 2 > "$DIR/writer.json"
wait $GUI
echo "writer: before the GUI $(cat "$DIR/pre.json")"
echo "writer: while following $(cat "$DIR/writer.json")"
cat "$DIR/gui.txt"
