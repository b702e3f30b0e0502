#!/bin/bash
# fuzz-system.sh HYP SECONDS OUT: AFL++ on the real hypervisor under QEMU for SECONDS.
#   afl-fuzz runs sysfuzz-shim as its forkserver target; the shim keeps one QEMU (hyp.elf + the
#   fuzzing guest) and hands it each input through shared guest RAM (the plugin parks the guest's
#   vCPU between inputs until the shim says go); EL2 coverage comes from the el2cov TCG plugin. Live line every FUZZ_PROGRESS s from the shim's stats (written every
#   second), then a summary: execs/s, boots and their cost, findings by class, reproducers.
# Env: SYSFUZZ_RESTART (inputs between two resets to a fresh boot, default 1000), SYSFUZZ_WATCHDOG_MS (default 2000),
#   SYSFUZZ_STOP_ON_CRASH=1 (end at the first finding: the bug benchmark); with SYSFUZZ_CONFIRM=CMD,
#   at the first finding for which "CMD FILE" exits 0 (the others are passed over).
# afl-fuzz and everything under it (shim, QEMU) run in a session of their own and are stopped by
# process group on every exit path (end, error, Ctrl-C); QEMU also dies with its shim (PDEATHSIG).
set -euo pipefail
here=$(dirname "$0")
. "$here/common.sh"
hyp=$1 seconds=$2 out=$3
progress=${FUZZ_PROGRESS:-10}
restart=${SYSFUZZ_RESTART:-1000}
watchdog=${SYSFUZZ_WATCHDOG_MS:-2000}
command -v afl-fuzz >/dev/null || { echo "fuzz-system: afl-fuzz not found (make setup)" >&2; exit 2; }
text=$(sysfuzz_text "$hyp") || { echo "fuzz-system: no text symbols in $hyp" >&2; exit 2; }
wait_pc=$(sysfuzz_wait_pc) || { echo "fuzz-system: no sysfuzz_host_wait in the guest's ELF" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out/seeds" "$out/state"
${PYTHON:-/usr/bin/python3} "$here/seeds.py" --out "$out/seeds"
work=$(cd "$out/state" && pwd)

afl_pid=
stop() {
	trap - EXIT INT TERM
	if [ -n "$afl_pid" ]; then
		kill -TERM -- "-$afl_pid" 2>/dev/null || true
		for _ in $(seq 30); do kill -0 -- "-$afl_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$afl_pid" 2>/dev/null || true
		wait "$afl_pid" 2>/dev/null || true
	fi
	afl_pid=
	# A shim killed while QEMU booted leaves its RAM file (the name goes once the guest is up).
	local pid
	for pid in $(cat "$work/shim.pids" 2>/dev/null); do
		rm -f /dev/shm/humpy-sysfuzz-"$pid"-*
	done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

start=$(date +%s)
# The shim is not compiled by afl-cc: the bitmap is the plugin's, so the binary check is skipped.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_FAST_CAL=1 \
AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_MAP_SIZE=65536 \
	setsid afl-fuzz -i "$out/seeds" -o "$out/afl" -t 30000 -m none -V "$((seconds + 60))" -- \
	"$SYSFUZZ_SHIM" --qemu "$QEMU" --hyp "$hyp" --guest "$SYSFUZZ_GUEST" --dtb "$SYSFUZZ_DTB" \
	--plugin "$SYSFUZZ_PLUGIN" --text "$text" --wait-pc "$wait_pc" --work "$work" --restart "$restart" \
	--watchdog-ms "$watchdog" --input @@ >"$out/afl.log" 2>&1 &
afl_pid=$!

stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$work/shim-stats" 2>/dev/null || true; }
count() { find "$1" -maxdepth 1 -type f -name 'id:*' 2>/dev/null | wc -l; }
crashes=$out/afl/default/crashes
# The progress line: on a fixed schedule (every FUZZ_PROGRESS s from the start, looked at twice a
# second, so no drift), execs/s over the time since the last line (what runs now; the summary has
# the average), read from the shim's stats (written every second).
next=$progress last_at=0 last_execs=0 checked=0
while kill -0 "$afl_pid" 2>/dev/null; do
	[ -d "/proc/$afl_pid" ] || break
	sleep 0.5
	now=$(($(date +%s) - start))
	if [ "${SYSFUZZ_STOP_ON_CRASH:-0}" = 1 ] && [ "$(count "$crashes")" -gt "$checked" ]; then
		[ -n "${SYSFUZZ_CONFIRM:-}" ] || {
			echo "fuzz-system: first finding after ${now} s: stopping (SYSFUZZ_STOP_ON_CRASH)"
			break
		}
		# Each new finding in turn until one passes the check (afl-fuzz goes on meanwhile).
		confirmed=
		for f in $(find "$crashes" -maxdepth 1 -type f -name 'id:*' | sort | tail -n "+$((checked + 1))"); do
			checked=$((checked + 1))
			if $SYSFUZZ_CONFIRM "$f"; then confirmed=$f; break; fi
		done
		if [ -n "$confirmed" ]; then
			echo "fuzz-system: finding confirmed after $(($(date +%s) - start)) s: stopping ($confirmed)"
			break
		fi
	fi
	if [ "$now" -ge "$next" ]; then
		while [ "$next" -le "$now" ]; do next=$((next + progress)); done
		execs=$(stat_of execs); execs=${execs:-0}
		echo "fuzz-system: ${now} s | execs ${execs} | $(((execs - last_execs) / (now > last_at ? now - last_at : 1)))/s |" \
			"boots $(stat_of boots)+$(stat_of resets) | corpus $(count "$out/afl/default/queue") |" \
			"findings $(count "$crashes")"
		last_at=$now last_execs=$execs
	fi
	# The run ends here, with afl-fuzz still alive so its CPU time can be read (-V is a backstop).
	[ "$now" -lt "$seconds" ] || break
done
elapsed=$(($(date +%s) - start))
# CPU time of the run: afl-fuzz's own (read before it is stopped) plus what the shim counts for
# itself and its QEMUs (shim-stats cpu_s, written every second).
afl_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' \
	"/proc/$afl_pid/stat" 2>/dev/null || echo 0)
stop
cpu=$(awk -v a="$afl_cpu" -v s="$(stat_of cpu_s)" 'BEGIN { printf "%.1f", a + s }')
if grep -qE "PROGRAM ABORT|SYSTEM ERROR" "$out/afl.log"; then
	echo "fuzz-system: afl-fuzz aborted:" >&2
	grep -E -A3 "PROGRAM ABORT|SYSTEM ERROR" "$out/afl.log" | sed 's/\x1b\[[0-9;]*m//g' >&2
	if [ -s "$work/qemu-stderr.log" ]; then
		echo "fuzz-system: QEMU said ($work/qemu-stderr.log):" >&2
		grep -v "terminating on signal" "$work/qemu-stderr.log" | tail -3 >&2 || true
	fi
	exit 1
fi
execs=$(stat_of execs); execs=${execs:-0}
boots=$(stat_of boots); boots=${boots:-0}
resets=$(stat_of resets); resets=${resets:-0}
boot_ms=$(stat_of boot_ms_total); reset_ms=$(stat_of reset_ms_total); run_ms=$(stat_of run_ms_total)
echo "fuzz-system: summary: ${execs} execs in ${elapsed} s ($((execs / (elapsed > 0 ? elapsed : 1)))/s on one core)," \
	"${boots} QEMU starts, ${resets} resets (every ${restart} inputs; a new QEMU after each finding)"
awk -v b="${boot_ms:-0}" -v n="$boots" -v rb="${reset_ms:-0}" -v rn="$resets" -v r="${run_ms:-0}" -v e="$execs" -v t="$elapsed" 'BEGIN {
	printf "fuzz-system: reset cost: %.0f ms per QEMU start, %.0f ms per reset, %.0f ms in all (%.1f%% of the run); inputs ran %.2f ms each\n",
		(n > 0 ? b / n : 0), (rn > 0 ? rb / rn : 0), b + rb, 100 * (b + rb) / 1000 / (t > 0 ? t : 1), (e > 0 ? r / e : 0) }'
awk -v e="$execs" -v c="$cpu" -v a="$afl_cpu" -v q="$(stat_of qemu_cpu_s)" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	if (c > 0) printf "fuzz-system: CPU time %.1f s (afl-fuzz %.1f s, QEMU %.1f s, the shim the rest): %.0f inputs per CPU-second of all three, %.0f per CPU-second of QEMU; load average %s\n",
		c, a, q, e / c, (q > 0 ? e / q : 0), l }'
echo "fuzz-system: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores shared)"
echo "fuzz-system: corpus $(count "$out/afl/default/queue"), findings $(count "$crashes") (reproducers in $crashes)"
if [ -f "$work/findings.log" ]; then
	sort "$work/findings.log" | uniq -c | sort -rn | head -10 | sed 's/^/fuzz-system:   /'
	first=$(find "$crashes" -type f -name 'id:*' | sort | head -1)
	echo "fuzz-system: replay one: make fuzz-system-replay INPUT=$first"
fi
if [ -f "$work/sequences.log" ]; then
	# A finding that does not replay alone may need what the inputs before it in its boot left.
	echo "fuzz-system: $(wc -l <"$work/sequences.log") finding(s) kept with the inputs run before them in their boot ($work/sequences.log);" \
		"replay one in one fresh boot: make fuzz-system-replay INPUT=$(awk 'NR == 1 { print $1 }' "$work/sequences.log")"
fi
[ "$execs" -gt 0 ] || { echo "fuzz-system: no input ran" >&2; exit 1; }
