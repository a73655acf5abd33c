# SPDX-License-Identifier: GPL-2.0-only
# canister: one container's load must not decide another's answers at the file gate.  The attack:
# root in container A (with a container nested in it) execs four huge programs at once (sparse
# 6 GiB files on a tmpfs: seconds of hashing each), so that every one of the gate's four judges
# is busy with A's files.  Container B's
# legitimate exec of a small program then waited in the queue until its deadline, and with
# integrity_fail = closed it was denied (EPERM, exit 126; with open it ran unjudged in time).
# The gate now lets one container (nested ones included) hold at most three of the four judges
# and serves the queue round-robin by container, so B's exec is judged by the free judge at once and runs; A's own
# execs still obey the deadline and the fail policy: all four are denied (three answered while
# a judge hashed them, the fourth while it waited for one of A's judges).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

# A one-second deadline: B's small exec is hashed well within it even on a loaded machine; A's
# are not.
integrity_setup 'measure func=BPRM_CHECK
' 1000
printf 'integrity_fail = closed\n' >>"$T_CONF"
trap 'integrity_cleanup "$FS"' EXIT
integrity_padded 6G p1 p2 p3 p4
integrity_padded 0 small
mkfifo "$T_TMP/go-a" "$T_TMP/go-b" "$T_TMP/end-a" "$T_TMP/end-b"
start_daemon

# A's four execs come two from its own shell and two from a container nested in it (1792, which
# the host let A's shell register): nested containers share their outermost container's judges,
# so that nesting gains a container root no share.  Each shell stays until the end: a
# container's lists move away once its last process exited.
cat >"$T_TMP/nested.sh" <<'EOF'
read x <"$1/go-n"
"$2/p3/true" 2>>"$1/err-a" & p3=$!
"$2/p4/true" 2>>"$1/err-a" & p4=$!
for p in $p3 $p4; do wait $p; echo a=$?; done >>"$1/out-a"
read x <"$1/end-n"
EOF
cat >"$T_TMP/outer.sh" <<'EOF'
echo $$ >"$1/outer.pid"
read x <"$1/delegated"
"$3" --socket "$4" run --id 1792 -- sh "$1/nested.sh" "$1" "$2" &
read x <"$1/go-a"
"$2/p1/true" 2>>"$1/err-a" & p1=$!
"$2/p2/true" 2>>"$1/err-a" & p2=$!
for p in $p1 $p2; do wait $p; echo a=$?; done >>"$1/out-a"
read x <"$1/end-a"
wait
EOF
mkfifo "$T_TMP/delegated" "$T_TMP/go-n" "$T_TMP/end-n"
cn run --id 1790 -- sh "$T_TMP/outer.sh" "$T_TMP" "$FS" "$CANISTER" "$T_SOCK" &
container_a=$!
started $container_a
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "cannot delegate to A's shell"
echo go >"$T_TMP/delegated"
cn run --id 1791 -- sh -c "read x <'$T_TMP/go-b'
	'$FS/small/true' 2>'$T_TMP/err-b'; echo small=\$? >'$T_TMP/out-b'
	read x <'$T_TMP/end-b'" &
container_b=$!
started $container_b
shell_listed() { [ -e "$LISTS/$1/ascii_runtime_measurements" ] &&
	awk '$5 ~ /sh$/' "$LISTS/$1/ascii_runtime_measurements" | grep -q .; }
wait_until 30 "container A's shell measured" shell_listed 1790
wait_until 30 "container B's shell measured" shell_listed 1791
wait_until 30 "the nested container's shell measured" shell_listed 1792
expect_match "$(cn get "$(pgrep -f "^sh $T_TMP/nested.sh" | head -n 1)")" '^1792,\^1790' \
	"the nested container's chain"

late0=$(integrity_counter late)
echo go >"$T_TMP/go-a"
echo go >"$T_TMP/go-n"
# A's four execs answered by their deadline: three while a judge hashed them, one queued.
late_by() { [ "$(integrity_counter late)" -ge $((late0 + $1)) ]; }
wait_until 60 "container A's four execs answered by their deadline" late_by 4
stuck_at_least() { [ "$(integrity_counter stuck)" -ge "$1" ]; }
stuck_at_least 3 || fail "fewer than three judges busy with A's files: the case proves nothing"
judged0=$(integrity_counter judged)
echo go >"$T_TMP/go-b"
wait_for_line "$T_TMP/out-b" '^small=' "container B's exec" 60
# Read before anything else: A's judges must still have been hashing when B was answered.
stuck=$(integrity_counter stuck)
expect_eq "$(cat "$T_TMP/out-b")" small=0 \
	"B's exec while A holds the judges (integrity_fail = closed; stderr: $(cat "$T_TMP/err-b"))"
[ "$stuck" -ge 3 ] || fail "A's judges finished before B was answered: the case proves nothing"
late_by 5 && fail "an exec beyond A's four was late"
[ "$(integrity_counter judged)" -gt "$judged0" ] || fail "B's exec was not judged"
integrity_listed "$LISTS/1791/ascii_runtime_measurements" "$FS/small/true" ||
	fail "B's program is not in its list"

# A's own execs: denied by the fail policy (closed), as before.
wait_for_line "$T_TMP/out-a" '^a=.*' "container A's execs" 60
wait_until 60 "A's four statuses" sh -c "[ \$(grep -c '^a=' '$T_TMP/out-a') -eq 4 ]"
expect_eq "$(sort "$T_TMP/out-a" | uniq -c | awk '{ print $1, $2 }')" "4 a=126" \
	"A's four execs under integrity_fail = closed"
expect_eq "$(grep -c 'Operation not permitted' "$T_TMP/err-a")" 4 "A's EPERMs"
# Every file is measured all the same; then no judge is left busy for the stop.
wait_until 180 "every padded file measured" sh -c "
	for d in p1 p2 p3 p4; do awk -v f='$FS/'\$d/true '\$5 == f' '$LISTS/1790/ascii_runtime_measurements' | grep -q . || exit 1; done"
expect_eq "$(integrity_counter stuck)" 0 "judges still busy once every file is measured"
echo end >"$T_TMP/end-n"
echo end >"$T_TMP/end-a"
echo end >"$T_TMP/end-b"
wait "$container_a" || fail "container A failed"
wait "$container_b" || fail "container B failed"
T_STARTED=
exit 0
