#!/usr/bin/env bash
# kill -9 at random moments, restart with --resume, many times; then run to
# the end. Used by tests/tools/train_faults_test.cc (runnable by hand too):
#   kill_resume_loop.sh SECONDS TOTAL_STEPS EXP_DIR TRAIN_COMMAND...
# TRAIN_COMMAND is a `verbatim train ... --exp EXP_DIR` command line without
# --resume (added here). Half the kills come after a random delay, half at
# the first checkpoint write after a random delay (as soon as its *.tmp.PID
# file exists), the moment a non-atomic writer would leave a broken
# checkpoint behind.
# After every kill: checkpoints/latest, when present, names an existing file;
# the next start resumes from it (a run that fails to load it fails here).
# At the end: the last run completes (status 0), and train.log.jsonl logs
# every step 1..TOTAL_STEPS exactly once, in order: steps done after the last
# checkpoint are redone after a kill, and the resumed run first drops their
# earlier lines (asr/train/training_log.h).
# Prints "kills survived: N" and more figures; exit status 0 when all holds.
set -uo pipefail
seconds=$1 total_steps=$2 exp=$3
shift 3
train=("$@" --resume)
fail() {
  echo "kill_resume_loop: FAILED: $*"
  echo "---- last run's output:"
  tail -20 "$exp.run.log" 2>/dev/null
  exit 1
}

RANDOM=7  # reproducible delays
kills=0 kills_in_write=0 finished=0
deadline=$((SECONDS + seconds))
while ((SECONDS < deadline)); do
  "${train[@]}" >"$exp.run.log" 2>&1 &
  pid=$!
  in_write=0
  if ((kills % 2 == 0)); then
    sleep "$((RANDOM % 4)).$((RANDOM % 10))"  # 0.0 to 3.9 s
  else
    sleep "$((RANDOM % 2)).$((RANDOM % 10))"  # then the next checkpoint write
    for _ in $(seq 1 600); do
      compgen -G "$exp/checkpoints/*.tmp.$pid" >/dev/null && {
        in_write=1
        break
      }
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.01
    done
  fi
  kill -KILL "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null  # without bash's "Killed" line
  status=$?
  if ((status == 0)); then
    finished=1
    break
  fi
  ((status == 137)) || fail "run $((kills + 1)) exited with status $status (not killed)"
  kills=$((kills + 1))
  kills_in_write=$((kills_in_write + in_write))
  if [[ -f $exp/checkpoints/latest ]]; then
    latest=$(head -n 1 "$exp/checkpoints/latest")
    [[ -s $exp/checkpoints/$latest ]] ||
      fail "after kill $kills, checkpoints/latest names '$latest', which is missing or empty"
  fi
done
if ((!finished)); then
  timeout 300 "${train[@]}" >"$exp.run.log" 2>&1 || fail "the final run failed"
fi

# Step lines: 1, 2, ..., total_steps, each once.
steps=$(grep -o '"type":"step","epoch":[0-9]*,"step":[0-9]*' "$exp/train.log.jsonl" |
  sed 's/.*"step"://')
check=$(awk -v total="$total_steps" '
  { if ($1 != prev + 1) { print "step " $1 " after step " prev; bad = 1; exit }
    prev = $1 }
  END { if (bad) exit
        if (prev != total) { print "the log ends at step " prev; exit }
        print "ok" }' <<<"$steps")
[[ $check == ok ]] || fail "train.log.jsonl: $check"
# Every restart removes what killed runs left in checkpoints/ (*.tmp.PID).
stale=$(find "$exp/checkpoints" -name '*.tmp.*' | wc -l)
echo "kills survived: $kills ($kills_in_write while a checkpoint was being written)"
echo "stale temporary files left: $stale"
((stale == 0)) || fail "$stale temporary files left in $exp/checkpoints"
