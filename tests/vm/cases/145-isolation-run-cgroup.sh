# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: `canister run` started from a cgroup G that a host process shares (a login session's scope, a service's cgroup) gives its container a cgroup of its own, G/canister-run-PID, so the container's root cannot mkdir in G, nor move the host process of G into a sub-cgroup of its own (the kernel asks for write access to G's cgroup.procs, the common ancestor's), so its cgroup.kill there kills nothing of the host's: the host process lives and the move is recorded (op=cgroup-write target="g/cgroup.procs").  Before, the container was registered in G itself, its root made G/sub, moved the host process there and killed it.  With --cgroup none it runs in G as before, and canisterd warns that it shares G with processes outside it.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

CG2=/sys/fs/cgroup
CG2_MOUNTED=
G=$CG2/g
# shellcheck disable=SC2317 # called from the EXIT trap
undo_cgroups()
{
	touch "$T_TMP/done"
	kill_started
	if [ -d "$G" ]; then
		# Only what this case made, deepest first; the case's shell never entered G.
		for dir in "$G"/*/*/ "$G"/*/; do
			[ -d "$dir" ] || continue
			echo 1 >"$dir/cgroup.kill" 2>/dev/null
			poll_until 10 rmdir "$dir" 2>/dev/null
		done
		echo 1 >"$G/cgroup.kill" 2>/dev/null
		poll_until 10 rmdir "$G" 2>/dev/null
	fi
	[ -z "$CG2_MOUNTED" ] || umount "$CG2" 2>/dev/null
}
trap 'undo_cgroups; t_cleanup' EXIT

if ! grep -q " $CG2 cgroup2 " /proc/mounts; then
	mount -t cgroup2 none "$CG2" || fail "cannot mount cgroup2 at $CG2"
	CG2_MOUNTED=1
fi
mkdir "$G" || fail "cannot create $G"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# sh -c "$IN_CGROUP" DIR COMMAND...: COMMAND run in cgroup DIR (the shell moves itself there, then
# execs: a command started so in the background is $!).
# shellcheck disable=SC2016 # expanded by the inner shell
IN_CGROUP='echo $$ >"$0/cgroup.procs" && exec "$@"'

# The host's process in G, which the container must not reach.
sh -c "$IN_CGROUP" "$G" sh "$T_AWAIT" "$T_TMP/done" 600 &
S=$!
started $S
poll_until "$T_WAIT" grep -qx "$S" "$G/cgroup.procs" || fail "the host process never entered $G"

# The container's root, started from G: a mkdir in G; a sub-cgroup of its own cgroup (G itself
# before); the host process moved there; that sub-cgroup's cgroup.kill.  Only the host process
# is ever moved into the sub-cgroup: a kill there never reaches this shell or the guest's init.
# shellcheck disable=SC2016 # expanded by the container's shell
attack='try() { if out=$( (eval "$1") 2>&1); then echo ok; else echo "${out##*: }"; fi; }
own=$0$(sed -n "s/^0:://p" /proc/self/cgroup)
echo "$own" >"$2/own"
try "mkdir $0/g/x"
try "mkdir $own/sub"
try "echo $1 >$own/sub/cgroup.procs"
try "echo 1 >$own/sub/cgroup.kill"'
timeout 300 sh -c "$IN_CGROUP" "$G" "$CANISTER" --socket "$T_SOCK" run --id 1450 -- \
	sh -c "$attack" "$CG2" "$S" "$T_TMP" >"$T_TMP/out" 2>"$T_TMP/err" ||
	fail "canister run of the attack: $(cat "$T_TMP/err")"
# The host process: killed (a zombie of this shell's until waited for), moved, or where it was.
s_state()
{
	if [ ! -e "/proc/$S" ] || [ "$(awk '{ print $3 }' "/proc/$S/stat" 2>/dev/null)" = Z ]; then
		echo killed
	elif grep -qx "$S" "$G/cgroup.procs"; then
		echo "alive in G"
	else
		echo "alive, moved out of G"
	fi
}
expect_eq "$(s_state)" "alive in G" "the host process in G after the attack"
expect_eq "$(sed 's/Operation not permitted/refused/g' "$T_TMP/out" | tr '\n' ' ')" \
	"refused ok refused ok " \
	"the container's root: a mkdir in G, a sub-cgroup of its own, the host process moved there, its cgroup.kill"
expect_match "$(cat "$T_TMP/own")" "^$G/canister-run-[0-9]+\$" "the container's cgroup"
expect_record "op=cgroup-write contid=1450 by=1450 pid=[0-9]+ target=\"g/cgroup.procs\" right=signal" \
	"the record of the refused move of the host process"
[ ! -e "$(cat "$T_TMP/own")" ] || fail "the container's cgroup outlived the run: $(cat "$T_TMP/err")"

# --cgroup none keeps the container in G, which it then shares: canisterd says so.
timeout 300 sh -c "$IN_CGROUP" "$G" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1451 -- \
	true 2>"$T_TMP/err" || fail "canister run --cgroup none: $(cat "$T_TMP/err")"
expect_match "$(cat "$T_TMP/err")" "warning: --cgroup none: the container shares cgroup $G" \
	"canister run's warning"
wait_for_line "$T_LOG" "container 1451 shares cgroup $G with [0-9]+ process(es)? outside it" \
	"canisterd's warning at registration"
stop_daemon
