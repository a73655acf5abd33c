# SPDX-License-Identifier: GPL-2.0-only
# canister: the gate's fast answers (an exec whose file version is listed in every list of its
# container's chain, answered by the reader without a judge) attacked: a container registered,
# nested or given a policy after the answer was learned has its first exec measured; a file
# changed (written, written through a kept-open descriptor, truncated, replaced by rename) is
# measured again; a restart forgets the answers and a file changed meanwhile is measured again.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=BPRM_CHECK
'
trap 'stop_daemon; umount "$FS"; t_cleanup' EXIT
# Static (each exec one gated open), named true: busybox runs the applet of its name.
X=$FS/true
cp /bin/busybox "$X" || fail "cannot copy /bin/busybox"
"$X" || fail "$X does not run (a static busybox is needed)"

start_daemon

# entries ID [FILE]: entries of container ID's list naming FILE ($X).
entries() { awk -v f="${2:-$X}" '$5 == f' "$LISTS/$1/ascii_runtime_measurements" | wc -l; }
# last_digest ID: the digest of container ID's last entry for $X.
last_digest() { awk -v f="$X" '$5 == f { print $4 }' "$LISTS/$1/ascii_runtime_measurements" | tail -1; }
fast() { cn status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["integrity"]["fast"])'; }
digest() { echo "sha256:$(sha256sum "$X" | cut -d' ' -f1)"; }
# Only a version 2 s old is remembered (integrity_file_key_settled(); host case 101).
settled() { [ $(($(date +%s) - $(stat -c %Z "$X"))) -gt 2 ]; }
# warm ID: three execs of $X, settled, in container ID; the third at least is a fast answer.
warm()
{
	wait_until 10 "$X 2 s old" settled
	before=$(fast)
	cn run --id "$1" -- sh -c "'$X' && '$X' && '$X'" || fail "container $1's execs failed"
	[ "$(fast)" -gt "$before" ] || fail "container $1: no fast answer after three execs of $X"
}

# The fast path answers, and a fast answer adds nothing.
warm 801
expect_eq "$(entries 801)" 1 "three execs of one file"
warm 801
expect_eq "$(entries 801)" 1 "three more, fast"

# (a) A container registered after the answer was learned: its first exec is measured.
cn run --id 802 -- "$X" || fail "container 802's exec failed"
expect_eq "$(entries 802)" 1 "a container registered after the fast answer"

# (a) Nested, by a delegated orchestrator in 801 that ran $X fast itself: the nested
# container's first exec goes into its own list, and (b) one given its own policy
# (with an audit rule) after the answer was learned is audited and measured.
printf 'audit func=BPRM_CHECK\nmeasure func=BPRM_CHECK\n' >"$T_TMP/audit.policy"
cat >"$T_TMP/outer.sh" <<SCRIPT
echo \$\$ >"$T_TMP/outer.pid"
sh "$T_AWAIT" "$T_TMP/outer.go" || exit 1
'$X' && '$X' && '$X' || exit 1
echo warm >"$T_TMP/outer.warm"
sh "$T_AWAIT" "$T_TMP/outer.nest" || exit 1
"$CANISTER" --socket "$T_SOCK" run --id 803 -- '$X' || exit 1
"$CANISTER" --socket "$T_SOCK" run --id 804 --ima-policy "$T_TMP/audit.policy" -- \
	sh -c "'$X' && '$X' && '$X'" || exit 1
echo done >"$T_TMP/outer.done"
SCRIPT
cn run --id 801 -- sh "$T_TMP/outer.sh" &
outer_runner=$!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "cannot delegate to 801's orchestrator"
before=$(fast)
touch "$T_TMP/outer.go"
wait_for_file "$T_TMP/outer.warm"
[ "$(fast)" -gt "$before" ] || fail "801's orchestrator got no fast answer"
touch "$T_TMP/outer.nest"
wait_for_file "$T_TMP/outer.done"
wait "$outer_runner" || fail "801's orchestrator failed"
expect_eq "$(entries 803)" 1 "a nested container's first exec"
expect_eq "$(entries 804)" 1 "a nested container with a policy set after the fast answer"
expect_eq "$(entries 801)" 1 "the parent's list, listed already"
expect_record "type=CONTAINER_INTEGRITY .* op=audit contid=804,\\^801 pid=[0-9]+ file=\"$X\" hash=\"$(digest)\" res=1" \
	"the audit record of the nested container's policy"
expect_eq "$(grep -c "op=audit contid=804,^801 .*file=\"$X\"" "$T_AUDIT")" 1 "audit records for three execs"

# (a) The contid 801, free again, registered under another parent (a delegated
# orchestrator's container 830): the same contid with another chain, so its exec of
# $X is measured into 830's list, which never had it.
cat >"$T_TMP/other.sh" <<SCRIPT
echo \$\$ >"$T_TMP/other.pid"
sh "$T_AWAIT" "$T_TMP/other.go" || exit 1
"$CANISTER" --socket "$T_SOCK" run --id 801 -- sh -c "'$X' && '$X' && '$X'" || exit 1
SCRIPT
cn run --id 830 -- sh "$T_TMP/other.sh" &
other_runner=$!
wait_for_file "$T_TMP/other.pid"
cn delegate "$(cat "$T_TMP/other.pid")" >/dev/null || fail "cannot delegate to 830's orchestrator"
touch "$T_TMP/other.go"
wait "$other_runner" || fail "830's orchestrator failed"
expect_eq "$(entries 830)" 1 "contid 801 registered again under 830: 830's list"
expect_eq "$(entries 801)" 1 "contid 801 registered again under 830: its own list"

# (c) Changes after a fast answer: each is measured again, with the new digest.
warm 810
expect_eq "$(entries 810)" 1 "container 810 before any change"
n=1
changed() # WHAT
{
	n=$((n + 1))
	cn run --id 810 -- "$X" || fail "$1: the exec failed"
	expect_eq "$(entries 810)" "$n" "$1: the entries"
	expect_eq "$(last_digest 810)" "$(digest)" "$1: the new entry's digest"
	warm 810
	expect_eq "$(entries 810)" "$n" "$1: execs after the new entry"
}
size=$(stat -c %s "$X")
printf 'A' | dd of="$X" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null || fail "cannot write $X"
expect_eq "$(stat -c %s "$X")" "$size" "a write in place keeps the size"
changed "a write in place"
sh -c "exec 3>>'$X'; printf 'B' >&3; exec 3>&-" || fail "cannot write through a kept descriptor"
changed "a write through a descriptor kept open"
truncate -s +1 "$X" || fail "cannot truncate $X"
changed "a truncate"
cp "$X" "$FS/true.new" && printf 'C' >>"$FS/true.new" && mv "$FS/true.new" "$X" || fail "cannot replace $X"
changed "a replacement by rename"

# A change through a shared writable mapping (no write(2): no FAN_MODIFY, and on tmpfs no
# new mtime either): its writer's close moves the file's write generation (host case 114).
tool mmap-write "$X" >/dev/null || fail "mmap-write failed"
changed "a write through a shared mapping"

# (d) A restart forgets the fast answers: a container living across it, whose file
# changed while canisterd was down, has the new version measured; an unchanged one is
# not listed twice.
mkdir "$FS/y.d" && cp /bin/busybox "$FS/y.d/true" || fail "cannot copy /bin/busybox"
Y=$FS/y.d/true
cat >"$T_TMP/living.sh" <<SCRIPT
'$Y' && '$Y' && '$Y' && '$X' && '$X' && '$X' || exit 1
echo warm >"$T_TMP/living.warm"
sh "$T_AWAIT" "$T_TMP/living.go" || exit 1
'$Y' && '$Y' && '$X' && '$X' || exit 1
echo done >"$T_TMP/living.done"
SCRIPT
cn run --id 820 -- sh "$T_TMP/living.sh" &
living=$!
wait_for_file "$T_TMP/living.warm"
stop_daemon
printf 'D' >>"$X"
start_daemon
touch "$T_TMP/living.go"
wait_for_file "$T_TMP/living.done"
wait "$living" || fail "the container living across the restart failed"
expect_eq "$(entries 820 "$Y")" 1 "an unchanged file across a restart"
expect_eq "$(entries 820)" 2 "a file changed while canisterd was down"
expect_eq "$(last_digest 820)" "$(digest)" "the changed file's digest after the restart"
integrity_verify "$LISTS/820" "the list across the restart"

stop_daemon
grep -q "integrity: stopped" "$T_LOG" || fail "the gate did not stop: $(tail "$T_LOG")"
