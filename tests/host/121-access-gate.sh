# SPDX-License-Identifier: GPL-2.0-only
# canister: the held access policies decide at the fanotify gate (trace mode).  A container under examples/policies/no-exec-tmp.policy in enforce cannot execute a program beneath /tmp (EPERM, a CONTAINER_ACCESS record mode=enforce res=0) and executes elsewhere; a policy handling read and write refuses a read beneath a denied path and a write beneath another while the read there goes on; complain mode lets the same actions through and records exactly the (op, target, right) that enforce then denies; a decision repeated 20 times in complain is one record, the status's repeated counter moves by 19; a nested container whose own policy widens is still bound by its parent's; host processes are untouched; FAN_OPEN_PERM is asked for while a held policy handles read or write, and no more once its container is dropped (canisterd's fanotify fdinfo); the status and policy show say what enforces each right, and that nothing does with integrity off.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/access.sh"

command -v jq >/dev/null || fail "jq is missing"
command -v python3 >/dev/null || fail "python3 is missing"
integrity_setup "measure func=BPRM_CHECK
"
trap 'integrity_cleanup "$FS"' EXIT

mkdir -p "$FS/bin" "$FS/secret" "$FS/ro" "$FS/pub"
cp /bin/true "$FS/bin/prog"
cp /bin/true "$FS/bin/marker"
printf 'secret\n' >"$FS/secret/f"
printf 'ro\n' >"$FS/ro/f"
printf 'pub\n' >"$FS/pub/f"
cat >"$T_TMP/rw.policy" <<POLICY
fs handle read,write
fs allow read,write beneath /
fs deny read beneath $FS/secret
fs deny write beneath $FS/ro
POLICY
cat >"$T_TMP/all.policy" <<POLICY
fs handle execute,read,write
fs allow execute,read,write beneath /
fs deny execute beneath $FS/bin
fs deny read beneath $FS/secret
fs deny write beneath $FS/ro
POLICY
printf 'fs handle execute\nfs allow execute beneath /\n' >"$T_TMP/widen.policy"
NO_EXEC_TMP=$(dirname "$0")/../../examples/policies/no-exec-tmp.policy
cp "$NO_EXEC_TMP" "$T_TMP/no-exec-tmp.policy"
chmod 0644 "$T_TMP"/*.policy

start_daemon
json() { cn status --json | jq -r ".$1"; }

# fan_open_perm: canisterd's fanotify group has a mark that asks for FAN_OPEN_PERM (0x10000), as
# the kernel lists its marks in the group's fdinfo; no_fan_open_perm: it has marks, none asks.
fan_marks()
{
	for fm_fd in /proc/"$T_DAEMON_PID"/fd/*; do
		[ "$(readlink "$fm_fd")" = "anon_inode:[fanotify]" ] || continue
		sed -n 's/^fanotify .* mask:\([0-9a-f]*\) .*/\1/p' "/proc/$T_DAEMON_PID/fdinfo/${fm_fd##*/}"
	done
}
fan_open_perm()
{
	for fop_mask in $(fan_marks); do
		[ $((0x$fop_mask & 0x10000)) -eq 0 ] || return 0
	done
	return 1
}
no_fan_open_perm() { [ -n "$(fan_marks)" ] && ! fan_open_perm; }

# --- before any policy: the gate asks for execs only ------------------------------------------
poll_until 30 test -n "$(fan_marks)" || fail "canisterd's fanotify group has no mark"
expect_eq "$(json integrity.file_check)" false "FILE_CHECK with no policy"
no_fan_open_perm || fail "FAN_OPEN_PERM asked for with no policy: $(fan_marks)"
cn status | grep -qx "  fs execute: canisterd: enforced: fanotify gate; canister run --policy: Landlock ABI [0-9]*" ||
	fail "the status's fs execute line: $(cn status | grep 'fs execute')"
cn status | grep -qx "  fs create: canisterd: recorded only (fanotify FAN_CREATE / FAN_DELETE, after the fact); .*" ||
	fail "the status's fs create line: $(cn status | grep 'fs create')"

# --- no-exec-tmp in enforce: no execution beneath /tmp, execution elsewhere --------------------
case $FS in /tmp/*) ;; *) fail "the case's files are not beneath /tmp ($FS)" ;; esac
hold 1210
cn policy load 1210 "$T_TMP/no-exec-tmp.policy" || fail "policy load 1210"
# An execute-only policy needs no opens.
expect_eq "$(json integrity.file_check)" false "FILE_CHECK with an execute-only policy"
st=0
out=$(cn run --id 1210 -- "$FS/bin/prog" 2>&1) || st=$?
expect_eq "$out" "canister: cannot run $FS/bin/prog: Operation not permitted" "1210's exec beneath /tmp"
expect_eq "$st" 126 "the exit status of 1210's denied exec"
expect_record "$(access_record exec 1210 1210 "$FS/bin/prog" execute enforce)" "the record of 1210's denied exec"
out=$(cn run --id 1210 -- /bin/echo elsewhere 2>&1) || fail "1210 could not run /bin/echo: $out"
expect_eq "$out" elsewhere "1210's exec outside /tmp"
# The host runs it, unrecorded: a marker denial written after it shows the log caught up.
"$FS/bin/prog" & host=$!
wait $host || fail "the host could not run $FS/bin/prog"
cn run --id 1210 -- "$FS/bin/marker" >/dev/null 2>&1 && fail "1210 ran $FS/bin/marker"
expect_record "$(access_record exec 1210 1210 "$FS/bin/marker" execute enforce)" "the marker's record"
no_record "CONTAINER_ACCESS.* pid=$host " "the host's exec"
cn policy show 1210 | grep -qx "# fs execute: canisterd: enforced: fanotify gate" ||
	fail "policy show 1210 does not say what enforces execute: $(cn policy show 1210)"

# --- read and write: refused beneath their holes, allowed elsewhere --------------------------
hold 1211
RW_HOLDER=$HELD
cn policy load 1211 "$T_TMP/rw.policy" || fail "policy load 1211"
expect_eq "$(json integrity.file_check)" true "FILE_CHECK once a policy handles read"
fan_open_perm || fail "no mark asks for FAN_OPEN_PERM: $(fan_marks)"
st=0
out=$(cn run --id 1211 -- cat "$FS/secret/f" 2>&1) || st=$?
expect_eq "$out" "cat: $FS/secret/f: Operation not permitted" "1211's read beneath its read hole"
expect_eq "$st" 1 "cat's exit status for 1211's refused read"
expect_record "$(access_record open 1211 1211 "$FS/secret/f" read enforce)" "the record of 1211's refused read"
expect_eq "$(cn run --id 1211 -- cat "$FS/pub/f" 2>&1)" pub "1211's read elsewhere"
expect_eq "$(cn run --id 1211 -- cat "$FS/ro/f" 2>&1)" ro "1211's read beneath its write hole"
st=0
out=$(cn run --id 1211 -- sh -c 'printf x >>"$1"' sh "$FS/ro/f" 2>&1) || st=$?
expect_match "$out" "$FS/ro/f: Operation not permitted" "1211's write beneath its write hole"
[ "$st" -ne 0 ] || fail "1211's write beneath its write hole succeeded"
expect_eq "$(cat "$FS/ro/f")" ro "the file 1211 could not write"
expect_record "$(access_record open 1211 1211 "$FS/ro/f" write enforce)" "the record of 1211's refused write"
# A read-only open that truncates writes: refused too (the flags of the open, not its mode).
st=0
out=$(cn run --id 1211 -- python3 -c 'import os, sys; os.open(sys.argv[1], os.O_RDONLY | os.O_TRUNC)' "$FS/ro/f" 2>&1) || st=$?
expect_match "$out" "PermissionError: \[Errno 1\] Operation not permitted" "1211's O_RDONLY|O_TRUNC open beneath its write hole"
expect_eq "$(cat "$FS/ro/f")" ro "the file 1211 could not truncate"
cn run --id 1211 -- sh -c 'printf more >>"$1"' sh "$FS/pub/f" || fail "1211 could not write elsewhere"
expect_eq "$(cat "$FS/pub/f")" "pub
more" "what 1211 wrote elsewhere"
printf 'pub\n' >"$FS/pub/f"
# The host reads and writes them all.
expect_eq "$(cat "$FS/secret/f")" secret "the host's read beneath 1211's read hole"
printf 'ro\n' >"$FS/ro/f" || fail "the host's write beneath 1211's write hole"

# --- complain, then enforce: the same script; complain records what enforce denies ------------
cat >"$T_TMP/actions.sh" <<SCRIPT
"$FS/bin/prog"; echo "exec \$?"
cat "$FS/secret/f" >/dev/null; echo "read \$?"
printf x >>"$FS/ro/f"; echo "write \$?"
cat "$FS/pub/f" >/dev/null; echo "pub \$?"
cat "$FS/secret/marker-\$1" >/dev/null 2>&1
SCRIPT
printf 'marker\n' >"$FS/secret/marker-complain"
printf 'marker\n' >"$FS/secret/marker-enforce"
hold 1212
ALL_HOLDER=$HELD
# decided MODE: the (op, target, right) of container 1212's records in MODE, markers aside.
decided()
{
	grep -E "^type=CONTAINER_ACCESS .* op=[a-z]+ contid=1212 by=1212 .* mode=$1 " "$T_AUDIT" |
		grep -v 'marker-' |
		sed -E 's/.* op=([a-z]+) .* target=("[^"]*"|[0-9A-F]+) right=([a-z]+) .*/\1 \2 \3/' | sort -u
}
cn policy load 1212 "$T_TMP/all.policy" --complain || fail "policy load 1212 --complain"
out=$(cn run --id 1212 -- sh "$T_TMP/actions.sh" complain 2>&1) || fail "the actions in complain: $out"
expect_eq "$out" "exec 0
read 0
write 0
pub 0" "the actions in complain mode"
expect_record "$(access_record open 1212 1212 "$FS/secret/marker-complain" read complain)" "the complain marker's record"
COMPLAINED=$(decided complain)
expect_eq "$COMPLAINED" "exec \"$FS/bin/prog\" execute
open \"$FS/ro/f\" write
open \"$FS/secret/f\" read" "what complain recorded"
printf 'ro\n' >"$FS/ro/f"
cn policy load 1212 "$T_TMP/all.policy" || fail "policy load 1212 (enforce)"
out=$(cn run --id 1212 -- sh "$T_TMP/actions.sh" enforce 2>/dev/null)
expect_match "$out" "^exec [1-9]" "the exec in enforce"
expect_match "$out" "read 1" "the read in enforce"
expect_match "$out" "write [1-9]" "the write in enforce"
expect_match "$out" "pub 0" "the allowed read in enforce"
expect_eq "$(cat "$FS/ro/f")" ro "the file enforce kept from the write"
expect_record "$(access_record open 1212 1212 "$FS/secret/marker-enforce" read enforce)" "the enforce marker's record"
expect_eq "$(decided enforce)" "$COMPLAINED" "what enforce denied, against what complain recorded"

# --- complain: one record per distinct decision ------------------------------------------------
cn policy load 1212 "$T_TMP/all.policy" --complain || fail "policy load 1212 --complain again"
REPEATED=$(json access.repeated)
BEFORE=$(grep -c "op=open contid=1212 by=1212 .* target=\"$FS/secret/f\" right=read cause=not-granted mode=complain" "$T_AUDIT")
printf 'marker\n' >"$FS/secret/marker-again"
cn run --id 1212 -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat "$1" >/dev/null; done; cat "$2" >/dev/null' \
	sh "$FS/secret/f" "$FS/secret/marker-again" || fail "the repeated reads in complain"
expect_record "$(access_record open 1212 1212 "$FS/secret/marker-again" read complain)" "the repeat marker's record"
AFTER=$(grep -c "op=open contid=1212 by=1212 .* target=\"$FS/secret/f\" right=read cause=not-granted mode=complain" "$T_AUDIT")
expect_eq "$((AFTER - BEFORE))" 1 "complain records of 20 identical reads"
expect_eq "$(($(json access.repeated) - REPEATED))" 19 "the repeated counter after 20 identical reads"
[ "$(json access.complained)" -ge 25 ] || fail "access.complained: $(json access.complained)"
[ "$(json access.denied)" -ge 5 ] || fail "access.denied: $(json access.denied)"
cn status | grep -q "^  refusals: [0-9]* denied, [0-9]* complained; records: [0-9]* written, [0-9]* repeated" ||
	fail "the status's refusals line: $(cn status | grep refusals)"

# --- nesting: a child that widens is bound by its parent ---------------------------------------
hold 1213
cat >"$T_TMP/orchestrator.sh" <<SCRIPT
cn() { "$CANISTER" --socket "$T_SOCK" "\$@"; }
echo \$\$ >"$T_TMP/orchestrator.pid"
sh "$T_AWAIT" "$T_TMP/go1" || exit 1
cn run --id 1214 -- sh -c '
	echo \$\$ >"$T_TMP/child.pid"
	sh "$T_AWAIT" "$T_TMP/go2" || exit 1
	"$FS/bin/prog" 2>/dev/null
	echo "status \$?" >"$T_TMP/nested.tmp"
	mv "$T_TMP/nested.tmp" "$T_TMP/nested.out"'
SCRIPT
cn run --id 1213 -- sh "$T_TMP/orchestrator.sh" &
started $!
wait_for_file "$T_TMP/orchestrator.pid"
cn delegate "$(cat "$T_TMP/orchestrator.pid")" >/dev/null || fail "delegate failed"
touch "$T_TMP/go1"
wait_for_file "$T_TMP/child.pid"
# Loaded once the orchestrator has run canister: a build beneath /tmp (a CI clone) is no exec
# the parent's policy must refuse.
cn policy load 1213 "$T_TMP/no-exec-tmp.policy" || fail "policy load 1213"
cn policy load 1214 "$T_TMP/widen.policy" || fail "policy load 1214"
touch "$T_TMP/go2"
wait_for_file "$T_TMP/nested.out"
expect_match "$(cat "$T_TMP/nested.out")" "^status [1-9]" "the nested container's exec beneath /tmp"
expect_record "$(access_record exec '1214,\^1213' 1213 "$FS/bin/prog" execute enforce)" "the record of the nested exec, by the parent"

# --- a restart: the reloaded policies decide again, opens asked for at once -------------------
stop_daemon
start_daemon
file_check_on() { [ "$(json integrity.file_check)" = true ]; }
wait_until "FILE_CHECK on after a restart with 1211's policy stored" file_check_on
wait_until "FAN_OPEN_PERM asked for after the restart" fan_open_perm
out=$(cn run --id 1211 -- cat "$FS/secret/f" 2>&1) && fail "1211 read $FS/secret/f after the restart"
expect_eq "$out" "cat: $FS/secret/f: Operation not permitted" "1211's read after the restart"

# --- dropped: FAN_OPEN_PERM goes with the last policy that handles read or write ---------------
kill "$RW_HOLDER" "$ALL_HOLDER"
file_check_off() { [ "$(json integrity.file_check)" = false ]; }
wait_until "FILE_CHECK off once 1211 and 1212 are dropped" file_check_off
wait_until "no mark asks for FAN_OPEN_PERM" no_fan_open_perm
# The execute-only policy still holds.
cn run --id 1210 -- "$FS/bin/prog" >/dev/null 2>&1 && fail "1210 ran $FS/bin/prog after the drop"

# --- integrity off: the file gate does not run, and nothing says it enforces -------------------
kill_started
stop_daemon
sed -i 's/^integrity = on$/integrity = off/' "$T_CONF"
start_daemon
cn status | grep -qx "  fs execute: canisterd: not enforced: the file gate is off (integrity = off in canister.conf); .*" ||
	fail "the status's fs execute line with integrity off: $(cn status | grep 'fs execute')"
cn status | grep -q "fanotify gate" && fail "the status names the fanotify gate with integrity off"
hold 1215
cn policy load 1215 "$T_TMP/no-exec-tmp.policy" || fail "policy load 1215"
expect_match "$(cn policy show 1215)" "# fs execute: canisterd: not enforced: the file gate is off" \
	"policy show with integrity off"
cn status | grep -qx "warning: access: a held policy handles file execute, read or write, and no file gate decides them: the file gate is off (integrity = off in canister.conf)" ||
	fail "no status warning of a policy no gate decides: $(cn status | grep warning)"
cn run --id 1215 -- "$FS/bin/prog" || fail "with no gate, 1215's exec was refused"
exit 0
