#!/usr/bin/env bash
# The hostile inputs of issue 18, each run by the binary under a 4 GiB address-space limit
# (prlimit) and a 60-second timeout: every case must end with the exit code it expects (0, or
# 2 with a clear message) within the time it is allowed, and the streamed runs within the
# memory they are allowed. Prints one line per case with its exit code, time and peak memory.
#
#   bash scripts/hostile-inputs.sh              (builds and uses target/debug/detente)
#   DETENTE_BIN=target/release/detente bash scripts/hostile-inputs.sh
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ -z ${DETENTE_BIN:-} ]]; then
  cargo build -q -p detente-cli || exit 1
  bin=$root/target/debug/detente
else
  bin=$(realpath "$DETENTE_BIN")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
failed=0

# limited.sh COMMAND...: runs COMMAND with at most 4 GiB of address space.
cat >limited.sh <<'EOF'
#!/usr/bin/env bash
if command -v prlimit >/dev/null 2>&1; then
  exec prlimit --as=$((4 << 30)) -- "$@"
fi
ulimit -v $((4 << 20)) && exec "$@"
EOF
chmod +x limited.sh
# measure.py COMMAND...: runs COMMAND with stdout and stderr to out.txt and err.txt, writes
# the peak memory of its processes (KiB) to rss.txt and exits with its exit code.
cat >measure.py <<'EOF'
import resource, subprocess, sys
with open("out.txt", "wb") as out, open("err.txt", "wb") as err:
    code = subprocess.run(["./" + sys.argv[1]] + sys.argv[2:], stdout=out, stderr=err).returncode
with open("rss.txt", "w") as f:
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=f)
sys.exit(code)
EOF

# check NAME CODE SECONDS RSS_MB PATTERN -- COMMAND...: runs COMMAND under the limits and
# checks its exit code, its time, its peak memory, and that its stderr (or, for exit code 0,
# its stdout) holds PATTERN (empty: anything).
check() {
  local name=$1 want=$2 secs=$3 mb=$4 pattern=$5
  shift 6
  local start end code rss took
  start=$(date +%s.%N)
  python3 measure.py limited.sh timeout 60 "$@"
  code=$?
  end=$(date +%s.%N)
  rss=$(($(cat rss.txt) / 1024))
  took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  local verdict=ok
  [[ $code == "$want" ]] || verdict="FAILED (exit $code, expected $want)"
  if awk -v t="$took" -v s="$secs" 'BEGIN { exit !(t > s) }'; then
    verdict="FAILED (${took}s, allowed ${secs}s)"
  fi
  if ((rss > mb)); then verdict="FAILED (${rss} MB, allowed ${mb} MB)"; fi
  local where=err.txt
  [[ $want == 0 ]] && where=out.txt
  if [[ -n $pattern ]] && ! grep -qF -- "$pattern" "$where"; then
    verdict="FAILED (no \`$pattern\` in $where: $(head -c 300 "$where"))"
  fi
  printf '%-58s exit %-3s %6.2fs %6s MB  %s\n' "$name" "$code" "$took" "$rss" "$verdict"
  [[ $verdict == ok ]] || failed=$((failed + 1))
}

python3 - "$root" <<'EOF'
import sys, os, random
root = sys.argv[1]
pie = open(f"{root}/scenarios/pie/pie.toml").read()
long = "A" * 65536
open("long-party.toml", "w").write(pie.replace('name = "Alice"', f'name = "{long}"'))
wide = lambda hi, extra="": f'''format = 1
name = "wide"
[protocol]
rounds = 10
[[issues]]
name = "x"
type = "integer"
min = 0
max = {hi}
[[parties]]
name = "A"
[parties.issues.x]
weight = 1.0
linear = [0.0, 1.0]
{extra}
[[parties]]
name = "B"
[parties.issues.x]
weight = 1.0
linear = [1.0, 0.0]
'''
open("int-2p32-1.toml", "w").write(wide(4294967294))
open("int-2p32.toml", "w").write(wide(4294967295))
open("nonlinear-2p32.toml", "w").write(wide(4294967294, '[[parties.interactions]]\nname = "t"\nwhen = { x = 5 }\nutility = 0.1'))
open("real-steps.toml", "w").write(pie.replace("steps = 101", "steps = 4294967295"))
open("huge-score.toml", "w").write(pie.replace("linear = [0.0, 1.0]", "linear = [0.0, 1e308]"))
open("pie.toml", "w").write(pie)
plan = lambda head, negs, scen='"pie.toml"': f'format = 1\nname = "hostile"\nseed = 1\n{head}\nscenarios = [{scen}]\n{negs}'
hard = '[[negotiators]]\nkind = "hardliner"\n'
open("long-negotiator.toml", "w").write(plan("rounds = 10", f'[[negotiators]]\nname = "{long}"\nkind = "boulware"\n[[negotiators]]\nkind = "linear"\n'))
open("repetitions.toml", "w").write(plan("repetitions = 4294967295", hard))
open("devzero-plan.toml", "w").write(plan("", hard, '"/dev/zero"'))
open("resume-plan.toml", "w").write(plan("repetitions = 3", '[[negotiators]]\nkind = "boulware"\n[[negotiators]]\nkind = "conceder"\n'))
open("formula-plan.toml", "w").write(plan("rounds = 5", '[[negotiators]]\nname = "=HYPERLINK(\\"http://example.com\\",\\"x\\")"\nkind = "hardliner"\n'))
open("not-utf8.toml", "wb").write(b'format = 1\nseed = 1\nname = "caf\xe9"\n')
open("taken", "w").write("a file")
random.seed(1)
crowd = ['format = 1', 'name = "crowd"', '[protocol]', 'rounds = 2', '[[issues]]', 'name = "x"', 'values = ["a", "b", "c", "d"]']
for i in range(1000):
    s = [round(random.random(), 3) for _ in range(4)]
    crowd += ['[[parties]]', f'name = "p{i}"', 'negotiator = { kind = "linear", model = "none" }', '[parties.issues.x]', 'weight = 1.0', f'values = {{ a = {s[0]}, b = {s[1]}, c = {s[2]}, d = {s[3]} }}']
open("crowd.toml", "w").write("\n".join(crowd) + "\n")
# The same crowd with the default opponent model: n (n - 1) models, a cost the user chose.
open("crowd-models.toml", "w").write("\n".join(crowd).replace('{ kind = "linear", model = "none" }', '"linear"') + "\n")
EOF
"$bin" run pie.toml --format json >pie.json
python3 -c "import json; d = json.load(open('pie.json')); d['deadline'] = 2**31; json.dump(d, open('deep.json', 'w'))"
mkfifo fifo.toml
"$bin" tournament run resume-plan.toml --out resumed -q
"$bin" tournament run resume-plan.toml --out shard-0 --shard 0/2 -q
edited() { sed -i 's/reservation = 0.0/reservation = 0.3/' pie.toml; }

echo "== 1. long names"
check "analyze, a 65,536-character party name" 0 30 4096 "AAAA" -- "$bin" analyze long-party.toml
check "sweep, a 65,536-character party name" 0 30 4096 "" -- "$bin" sweep long-party.toml --vary rounds=10,20 --seeds 1
check "tournament run -q, a 65,536-character negotiator name" 0 30 4096 "" -- "$bin" tournament run long-negotiator.toml --out long-0 --shard 0/2 -q
"$bin" tournament run long-negotiator.toml --out long-1 --shard 1/2 -q
check "tournament merge, a 65,536-character negotiator name" 0 30 4096 "AAAA" -- "$bin" tournament merge long-0 long-1 --out long-merged
echo "== 2. unbounded work on valid inputs"
check "scenario check, an integer issue of 2^32-1 values" 0 5 4096 "best  1.000000  x=4294967294" -- "$bin" scenario check int-2p32-1.toml
check "scenario check, a real issue of 2^32-1 steps" 0 5 4096 "best  1.000000  share=1" -- "$bin" scenario check real-steps.toml
check "inspect, a trace whose deadline is 2^31" 2 5 4096 "DETENTE_MAX_ROUNDS" -- "$bin" inspect deep.json --scenario pie.toml
echo "== 3. allocations"
check "analyze --limit 2^64-1, 2^32-1 non-linear outcomes" 2 10 4096 "cannot hold" -- "$bin" analyze nonlinear-2p32.toml --limit 18446744073709551615
check "tournament run, repetitions = 4294967295" 2 5 4096 "DETENTE_MAX_NEGOTIATIONS" -- "$bin" tournament run repetitions.toml --out reps
check "run, a deadline of 10^9 rounds between hardliners" 2 5 4096 "DETENTE_MAX_ROUNDS" -- "$bin" run pie.toml --rounds 1000000000 -n Alice=hardliner -n Bob=hardliner
check "run, 300,000 rounds between hardliners, streamed transcript" 0 60 100 "deadline of 300000 rounds passed" -- "$bin" run pie.toml --rounds 300000 -n Alice=hardliner -n Bob=hardliner
check "run --format json, 50,000 rounds, streamed trace" 0 60 100 '"termination": "deadline"' -- "$bin" run pie.toml --rounds 50000 -n Alice=hardliner -n Bob=hardliner --format json
echo "== 4. unbounded reads"
check "scenario check /dev/zero" 2 5 4096 "is a device" -- "$bin" scenario check /dev/zero
check "scenario check /dev/urandom" 2 5 4096 "is a device" -- "$bin" scenario check /dev/urandom
check "a plan naming /dev/zero" 2 5 4096 "is a device" -- "$bin" tournament run devzero-plan.toml --out devzero
check "scenario check, a FIFO" 2 5 4096 "is a FIFO" -- "$bin" scenario check fifo.toml
echo "== 5. resume and merge after an edit"
edited
check "tournament run --resume after a scenario edit" 2 10 4096 "the contents of scenario \`pie\`'s files changed" -- "$bin" tournament run resume-plan.toml --out resumed --resume
"$bin" tournament run resume-plan.toml --out shard-1 --shard 1/2 -q
check "tournament merge of shards run on different contents" 2 10 4096 "the contents of scenario \`pie\`'s files changed" -- "$bin" tournament merge shard-0 shard-1 --out merged
echo "== 6. exit codes"
check "a plan that is not UTF-8" 2 5 4096 "not-utf8.toml:3:12: not valid UTF-8" -- "$bin" tournament run not-utf8.toml
check "--out an existing file" 2 5 4096 "exists and is not a folder" -- "$bin" tournament run resume-plan.toml --out taken
echo "== 7. smaller"
check "an integer issue of exactly 2^32 values" 2 5 4096 "at most 4294967295 (2^32 - 1)" -- "$bin" scenario check int-2p32.toml
check "a score of 1e308" 2 5 4096 "more than 1e12" -- "$bin" run huge-score.toml
check "=HYPERLINK(...) as a negotiator name" 0 20 4096 "" -- "$bin" tournament run formula-plan.toml --out formula -q
if ! grep -qF "\"'=HYPERLINK(" formula/results.csv; then
  echo "FAILED: results.csv does not neutralise the formula"
  failed=$((failed + 1))
fi
check "run --format json, 1,000 parties, 2 rounds, streamed" 0 60 200 '"format": "detente-trace/1"' -- "$bin" run crowd.toml --format json
check "the same, each party modelling the 999 others" 0 120 800 '"format": "detente-trace/1"' -- "$bin" run crowd-models.toml --format json

if ((failed > 0)); then
  echo "$failed case(s) failed"
  exit 1
fi
echo "every case ended as expected"
