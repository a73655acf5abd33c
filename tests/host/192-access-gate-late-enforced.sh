# SPDX-License-Identifier: GPL-2.0-only
# canister: an access policy in enforce mode holds at the file gate when no judge answers in time. The attack: root in a container whose enforced policy refuses reads beneath a directory keeps the gate's judges its container may hold busy (three 6 GiB sparse programs to measure), then reads a refused file: the open waits in the queue past the deadline. With the default integrity_fail = open it was answered "allow" unjudged and the file was read; now a late event that an enforced level decides is denied (EPERM) whatever integrity_fail says. In complain mode the same late read is the fail policy's (open: allowed).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

# A one-second deadline; integrity_fail stays the default (open).
integrity_setup 'measure func=BPRM_CHECK
' 1000
trap 'integrity_cleanup "$FS"' EXIT
integrity_padded 6G p1 p2 p3
mkdir "$FS/private"
echo secret >"$FS/private/key"
cat >"$T_TMP/read.policy" <<POLICY
fs handle read
fs allow read beneath /
fs deny read beneath $FS/private
POLICY
chmod 0644 "$T_TMP/read.policy"
start_daemon

# The attack: container ID's shell starts three huge execs (its judges busy hashing them),
# waits until the gate counts them stuck, then reads the refused file with the shell's own read
# (no exec, whose measurement would wait as well) and says by its exit status what it got (10:
# read, 20: refused).  Every file it needs after the execs is open before them: while its judges
# are busy each open of the container waits, and an enforced level's is now denied when late.
cat >"$T_TMP/attack.sh" <<'SCRIPT'
exec 3<>"$1/busy"
read x <"$1/go"
for p in p1 p2 p3; do "$2/$p/true" & done
read x <&3
read -r line <"$2/private/key" && exit 10
exit 20
SCRIPT
stuck_at_least() { [ "$(integrity_counter stuck)" -ge "$1" ]; }
# The gate's count of late events a guard's fail_closed denied (the status's model section).
late_denied() { cn status --json | grep -o '"late_denied":[0-9]*' | cut -d: -f2; }
late_by() { [ "$(integrity_counter late)" -ge "$1" ]; }

# try ID MODE: the attack in container ID holding the policy in MODE (enforce or complain).
try()
{
	rm -f "$T_TMP/go" "$T_TMP/busy"
	mkfifo "$T_TMP/go" "$T_TMP/busy"
	cn run --id "$1" -- sh "$T_TMP/attack.sh" "$T_TMP" "$FS" &
	tr_pid=$!
	# The policy goes in once `canister run` has registered the container (its shell waits).
	tr_mode=
	[ "$2" = complain ] && tr_mode=--complain
	# shellcheck disable=SC2086 # no mode is no word
	loaded() { cn policy load "$1" "$T_TMP/read.policy" $tr_mode >/dev/null 2>&1; }
	wait_until 30 "container $1's policy loaded" loaded "$1"
	tr_late=$(integrity_counter late)
	tr_denied=$(late_denied)
	echo go >"$T_TMP/go"
	wait_until 60 "container $1's three judges busy" stuck_at_least 3
	echo go >"$T_TMP/busy"
	wait "$tr_pid"
	tr_status=$?
	# The three execs, then the read: each answered by its deadline.
	late_by $((tr_late + 4)) || fail "container $1's read was not late: the case proves nothing"
	# Enforce: the read itself was late and denied for the enforced level (no judge refused it).
	if [ "$2" = enforce ] && [ "$tr_status" = 20 ]; then
		[ "$(late_denied)" -gt "$tr_denied" ] ||
			fail "container $1's read was refused, but not as a late event: the case proves nothing"
	fi
	no_judge_stuck() { [ "$(integrity_counter stuck)" = 0 ]; }
	wait_until 180 "container $1's padded files measured" no_judge_stuck
	echo "exit:$tr_status"
}
expect_eq "$(try 1920 enforce)" exit:20 "a late read the enforced policy refuses (integrity_fail = open): 20 refused, 10 read"
expect_eq "$(try 1921 complain)" exit:10 "the same late read in complain mode: the fail policy's (open)"
T_STARTED=
exit 0
