# shellcheck shell=bash
# fuzz-procs.sh: sourced by the fuzz runners (bash). Argument checks, and the stopping of every
# process a run started.
#
# A run cannot rely on its own process group alone: afl-fuzz's forkservers call setsid() (a session
# and group of their own each), and a persistent-mode child that afl-fuzz leaves stopped (state T)
# is reparented to PID 1 when its forkserver goes. So every program a run starts gets a tag in its
# environment, HUMPY_FUZZ_RUN=<tag>, which all its descendants inherit whatever group they end up
# in; stopping a run means: every process group holding a tagged process gets SIGCONT (a stopped
# process cannot act on SIGTERM) and SIGTERM, and whatever is still there after a grace period
# SIGKILL. The tag names the output folder, so the next run on that folder finds and stops what an
# earlier run left (one killed with SIGKILL, say) before it starts.

# die MESSAGE: one line on stderr, exit status 2 (a usage error; nothing was started).
die() {
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# need_count NAME VALUE MAX UNIT: VALUE is a whole number from 1 to MAX, or die naming the range.
need_count() {
	case "$2" in
	'' | 0* | *[!0-9]*) die "$1=$2: expected a whole number of $4 from 1 to $3" ;;
	esac
	[ "${#2}" -le 9 ] && [ "$2" -le "$3" ] || die "$1=$2: expected a whole number of $4 from 1 to $3"
}

# tagged_pids TAG: live processes carrying HUMPY_FUZZ_RUN=TAG (zombies have no environment).
tagged_pids() {
	grep -lsxzF "HUMPY_FUZZ_RUN=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$"
}

# signal_tagged SIGNAL TAG: SIGNAL to the process group of each tagged process; to the process
# alone when it shares this script's group (never to make or to ourselves).
signal_tagged() {
	local sig=$1 own p g pids
	own=$(ps -o pgid= -p $$ | tr -d ' ')
	pids=$(tagged_pids "$2")
	[ -n "$pids" ] || return 1
	for g in $(ps -o pgid= -p "$(echo $pids | tr ' ' ,)" 2>/dev/null | sort -u); do
		[ "$g" = "$own" ] || kill -"$sig" -- -"$g" 2>/dev/null
	done
	for p in $pids; do
		kill -"$sig" "$p" 2>/dev/null
	done
	return 0
}

# stop_tagged TAG [GRACE]: SIGCONT + SIGTERM, then SIGKILL after GRACE tenths of a second (default
# 30) to what is left; returns when none is left (or after 5 more seconds).
stop_tagged() {
	local tag=$1 grace=${2:-30} i
	signal_tagged CONT "$tag" || return 0
	signal_tagged TERM "$tag"
	for ((i = 0; i < grace; i++)); do
		sleep 0.1
		[ -n "$(tagged_pids "$tag")" ] || return 0
	done
	signal_tagged CONT "$tag"
	for ((i = 0; i < 50; i++)); do
		signal_tagged KILL "$tag" || return 0
		sleep 0.1
	done
	echo "$(basename "$0"): could not stop: $(tagged_pids "$tag" | tr '\n' ' ')" >&2
}

# claim_output OUT TAG: one run per output folder. A lock naming another live run of this script
# is an error; what an earlier run left on OUT (killed with SIGKILL, say) is stopped first.
claim_output() {
	local out=$1 tag=$2 lock=$1/.runner other
	if [ -f "$lock" ]; then
		other=$(cat "$lock")
		if [ "$other" != "$$" ] && grep -qsF "$(basename "$0")" "/proc/$other/cmdline"; then
			die "another run (pid $other) is fuzzing into $out"
		fi
	fi
	echo $$ >"$lock"
	if [ -n "$(tagged_pids "$tag")" ]; then
		echo "$(basename "$0" .sh): stopping $(tagged_pids "$tag" | wc -l) process(es) an earlier run left on $out"
		stop_tagged "$tag"
	fi
}

# clock SECONDS: HH:MM:SS
clock() { printf '%02d:%02d:%02d' $(($1 / 3600)) $(($1 / 60 % 60)) $(($1 % 60)); }
