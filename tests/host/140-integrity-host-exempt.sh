# SPDX-License-Identifier: GPL-2.0-only
# canister: the host mount exemption: a host process's execs on canisterd's mounts raise no gate
# event, a container's exec of the same file (its own mount namespace) is still measured, and a
# container that shares canisterd's mount namespace withdraws the exemption until it is gone.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/exempt.sh"

LATE=$T_TMP/late
trap 'ns_cleanup; integrity_cleanup "$LATE" "$FS"' EXIT
integrity_setup 'measure func=BPRM_CHECK
'
cp /bin/busybox "$FS/true" || fail "cannot copy busybox"
LOOP=300
start_daemon
wait_for_line "$T_LOG" "host mount exemption: [1-9][0-9]* of canisterd's mounts ignored" \
	"the ignore marks on canisterd's mounts"
expect_match "$(coverage)" "^host mounts exempt \\([1-9][0-9]* of canisterd's mounts ignored" \
	"the coverage line at the start"

# (1) Host execs: no gate event.  Without the exemption each exec is one (host) event; the few
# allowed come from other processes of the machine in mount namespaces of their own.
n=$(host_events "$LOOP" "$FS/true")
[ "$n" -lt $((LOOP / 3)) ] || fail "a host loop of $LOOP execs raised $n gate events with the exemption"

# (2) A container in mount and pid namespaces of its own (as runc makes them), registered there:
# its exec of the same file goes through its own mounts and is measured; the exemption stays.
ns_worker c1 fork,proc -m -p -f --kill-child --propagation slave
cn set "$NW_PID" 1401 >/dev/null || fail "cannot register the worker"
ns_step c1 s1 "'$FS/true' && '$FS/true'" >/dev/null
expect_eq "$(entries 1401 "$FS/true")" 1 "the container's exec of the host's file, through its own mount"
expect_match "$(coverage)" "^host mounts exempt" "the coverage line with a container of its own namespaces"
n=$(host_events "$LOOP" "$FS/true")
[ "$n" -lt $((LOOP / 3)) ] || fail "a host loop beside the container raised $n gate events"

# (3) canister run: the container shares canisterd's mount namespace.  The exemption goes before
# the registration is answered, so its first exec is judged and measured; host execs are events
# again.
# A mount just before it starts a host pass over 300 more mounts, whose helper is still placing
# ignore marks when the withdrawal kills it: the marks it did not place are the withdrawal's, not
# failures (they were logged as "Connection timed out" in the farm's CI run on f61ed81).
mkfifo "$T_TMP/hold"
mkdir -p "$LATE"
mount -t tmpfs none "$LATE" || fail "cannot mount a tmpfs"
for i in $(seq 300); do
	mkdir "$LATE/$i" && mount -t tmpfs none "$LATE/$i" || fail "cannot mount tmpfs $i"
done
passes=$(grep -c "canisterd's mount namespace: .* filesystems marked" "$T_LOG")
mkdir "$LATE/last" && mount -t tmpfs none "$LATE/last" || fail "cannot mount the last tmpfs"
"$CANISTER" --socket "$T_SOCK" run --id 1402 -- sh -c "'$FS/true' && read -r _ <'$T_TMP/hold'" &
started $!
# (The number of marks removed is that of canisterd's mounts then: other work on the machine
# may mount and unmount in canisterd's namespace meanwhile.)
wait_for_line "$T_LOG" "host mount exemption withdrawn: container 1402 shares canisterd's mount namespace; [1-9][0-9]* ignore marks removed" \
	"the withdrawal, logged"
pass_over() { [ "$(grep -c "canisterd's mount namespace: .* filesystems marked" "$T_LOG")" -gt "$passes" ]; }
wait_until "the pass for the new mount reported" pass_over
listed_1402() { [ "$(entries 1402 "$FS/true")" = 1 ]; }
wait_until "the shared-namespace container's exec measured" listed_1402
expect_match "$(coverage)" "^every open judged \\(withdrawn: container 1402 shares canisterd's mount namespace\\); [1-9][0-9]* ignore marks removed by 1 withdrawals" \
	"the coverage line after the withdrawal"
n=$(host_events "$LOOP" "$FS/true")
[ "$n" -ge "$LOOP" ] || fail "withdrawn, a host loop of $LOOP execs raised only $n gate events"
# Asked after status answers: the main loop writes a pass's report whole (its ignore marks just
# after its marked line) before it serves the next request.
grep "no ignore mark" "$T_LOG" && fail "a withdrawn exemption's ignore marks logged as failures"

# (4) That container gone (dropped), the exemption is back, and host execs are no events again.
echo >"$T_TMP/hold"
wait_for_line "$T_LOG" "host mount exemption back in force" "the exemption put back"
wait_until "coverage back" sh -c "'$CANISTER' --socket '$T_SOCK' status | grep -q '^  coverage: host mounts exempt ([1-9]'"
n=$(host_events "$LOOP" "$FS/true")
[ "$n" -lt $((LOOP / 3)) ] || fail "after the exemption came back, a host loop raised $n gate events"
ns_step c1 s2 "'$FS/true'" >/dev/null
expect_eq "$(entries 1401 "$FS/true")" 1 "the container's list after more execs of the listed file"
exit 0
