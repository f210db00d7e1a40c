#!/bin/sh
# The learned-judge trial (see README.md): write the real sets' dialogues from ../shared/corpus,
# scan them with callrisk, choose the model by cross-validation on the two development sets,
# then score the frozen choice on each held-out set. Needs python3 with scikit-learn, numpy,
# scipy; a release build (cargo build --release) or CALLRISK=path/to/callrisk.
#   tools/judge/run.sh           # everything (about 15 minutes on 2 cores)
#   tools/judge/run.sh final     # only the final fit and the two held-out scores
set -e
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
DATA=${JUDGE_DATA:-/tmp/callrisk-judge}
export JUDGE_DATA=$DATA
mkdir -p "$DATA/results"
for set in dev:dev weibo2:weibo2 heldout:heldout heldout2:heldout2; do
  folder=${set%%:*}; selection=${set##*:}
  [ -d "$DATA/$folder" ] || python3 "$ROOT/tests/devset/convert.py" "$ROOT/../shared/corpus" "$DATA/$folder" "$selection"
done
if [ "${1:-all}" = all ]; then
  rm -f "$DATA/results/cv.jsonl"
  nice python3 experiment.py > "$DATA/results/cv.log" 2>&1
  nice python3 seeds.py 2>&1 | grep -v -i warn > "$DATA/results/seeds.log"
  nice python3 analysis.py 2>&1 | grep -v -i warn > "$DATA/results/analysis.log"
fi
for held in heldout heldout2; do
  nice python3 final.py dlg13_C16 C3 "$held" 2>&1 | grep -v -i warn | grep -v "^model " | tee "$DATA/results/final-$held.log"
done
