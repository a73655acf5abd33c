# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode on a hybrid host (cgroup v2 at /sys/fs/cgroup/unified, controllers in v1 hierarchies beside it): `canister run` started from a cgroup G that a host process shares gives its container a cgroup of its own in the v1 pids hierarchy too, pids/g/canister-run-PID, so the container's root cannot lower G's pids.max (which would stop the host process of G from forking) and the write is recorded (op=cgroup-write target="g/pids.max"); its own cgroup's pids.max it may set.  canisterd records no v1 cgroup, and the rule lets a container write, in a v1 hierarchy, the cgroup its writer is in and those beneath: before, the container stayed in pids/g itself, and its root set G's pids.max.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

CG=/sys/fs/cgroup
MOUNTED=
# shellcheck disable=SC2317 # called from the EXIT trap
undo_cgroups()
{
	touch "$T_TMP/done"
	kill_started
	for top in "$CG/pids/g" "$CG/unified/g"; do
		[ -d "$top" ] || continue
		# Only what this case made, deepest first; the case's shell never entered G.
		for dir in "$top"/*/*/ "$top"/*/ "$top"; do
			[ -d "$dir" ] || continue
			for pid in $(cat "$dir/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
			poll_until 10 rmdir "$dir" 2>/dev/null
		done
	done
	[ -z "$MOUNTED" ] || umount "$CG/pids" "$CG/unified" "$CG" 2>/dev/null
}
trap 'undo_cgroups; t_cleanup' EXIT

# The hybrid layout, systemd's: a tmpfs at /sys/fs/cgroup, v2 at unified, each v1 hierarchy beside.
grep -q " $CG " /proc/mounts && fail "$CG is mounted already: this case makes a hybrid layout there"
mount -t tmpfs -o mode=755 cgroup "$CG" || fail "cannot mount a tmpfs at $CG"
MOUNTED=1
mkdir "$CG/unified" "$CG/pids" || fail "cannot make $CG/unified and $CG/pids"
mount -t cgroup2 none "$CG/unified" || fail "cannot mount cgroup2 at $CG/unified"
mount -t cgroup -o pids none "$CG/pids" || fail "cannot mount the v1 pids hierarchy at $CG/pids"
mkdir "$CG/unified/g" "$CG/pids/g" || fail "cannot create G in both hierarchies"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# sh -c "$IN_G" COMMAND...: COMMAND run in G of both hierarchies (the shell moves itself there,
# then execs: a command started so in the background is $!).
# shellcheck disable=SC2016 # expanded by the inner shell
IN_G='echo $$ >"$0/unified/g/cgroup.procs" && echo $$ >"$0/pids/g/cgroup.procs" && exec "$@"'

# The host's process in G, which the container must not limit.
sh -c "$IN_G" "$CG" sh "$T_AWAIT" "$T_TMP/done" 600 &
S=$!
started $S
poll_until "$T_WAIT" grep -qx "$S" "$CG/pids/g/cgroup.procs" || fail "the host process never entered $CG/pids/g"

# The container's root, started from G: G's pids.max, then its own cgroup's in v1.
# shellcheck disable=SC2016 # expanded by the container's shell
attack='try() { if out=$( (eval "$1") 2>&1); then echo ok; else echo "${out##*: }"; fi; }
own=$0/pids$(sed -n "s/^[0-9]*:pids://p" /proc/self/cgroup)
echo "$own" >"$1/own"
try "echo 1 >$0/pids/g/pids.max"
try "echo 100 >$own/pids.max"'
timeout 300 sh -c "$IN_G" "$CG" "$CANISTER" --socket "$T_SOCK" run --id 1470 -- \
	sh -c "$attack" "$CG" "$T_TMP" >"$T_TMP/out" 2>"$T_TMP/err" ||
	fail "canister run of the attack: $(cat "$T_TMP/err")"
expect_eq "$(sed 's/Operation not permitted/refused/g' "$T_TMP/out" | tr '\n' ' ')" "refused ok " \
	"the container's root: G's pids.max, its own cgroup's"
expect_eq "$(cat "$CG/pids/g/pids.max")" max "G's pids.max after the attack"
expect_match "$(cat "$T_TMP/own")" "^$CG/pids/g/canister-run-[0-9]+\$" "the container's v1 pids cgroup"
expect_record "op=cgroup-write contid=1470 by=1470 pid=[0-9]+ target=\"g/pids.max\" right=signal" \
	"the record of the refused write of G's pids.max"
[ ! -e "$(cat "$T_TMP/own")" ] || fail "the container's v1 cgroup outlived the run: $(cat "$T_TMP/err")"
kill -0 "$S" || fail "the host process in G died"
stop_daemon
