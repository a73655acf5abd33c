# SPDX-License-Identifier: GPL-2.0-only
# canister: a helper that resolves paths in a container's root (core/in_root.h), stuck for good
# in a filesystem that does not answer, is abandoned at its deadline: canisterd goes on.  The
# create/remove reader (host cases 147, 152) sends its resolver into a FUSE mount whose server
# took the request and never answers (tests/tools/fuse-hang): there the resolver sleeps
# uninterruptibly, and SIGKILL does not end it.  On main the reader then waited for it with a
# blocking waitpid(): no container's create was recorded any more and canisterd could not stop.
# Now the killed resolver is handed to the main loop, which reaps it when its wait ends: the
# other container's create is recorded, `canister status` answers, the stuck helper is named in
# the log, and once the FUSE server goes the helper is reaped (no zombie left in /proc).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/access.sh"

command -v unshare >/dev/null || fail "unshare is missing"
command -v ps >/dev/null || fail "ps is missing"
[ -c /dev/fuse ] || fail "/dev/fuse is missing"
integrity_setup "measure func=BPRM_CHECK
"
trap 'integrity_cleanup "$FS"' EXIT

mkdir -p "$T_TMP/stuck"
hole_policy
start_daemon

# The attacker, in a mount namespace of its own: the hole held open (fd 3), a FUSE mount whose
# server hangs, its filesystem's mount point covered, then a create in the hole through fd 3.
mkfifo "$T_TMP/go" "$T_TMP/end"
sh -c "echo \$\$ >'$T_TMP/pid'; read x <'$T_TMP/go'; exec unshare -m --propagation private sh -c '
	exec 3<\"$FS/hole\"
	\"$CANISTER_TOOLS/fuse-hang\" \"$T_TMP/stuck\" \"$T_TMP/fuse.pid\" &
	i=0
	while [ ! -s \"$T_TMP/fuse.pid\" ]; do
		i=\$((i + 1)); [ \$i -lt 600 ] || exit 1; sleep 0.05
	done
	mount -t tmpfs none \"$FS\"
	: >/proc/self/fd/3/attack
	: >\"$T_TMP/attacked\"
	read x <\"$T_TMP/end\"'" >"$T_TMP/attack.out" 2>&1 &
started $!
wait_for_file "$T_TMP/pid"
pid=$(cat "$T_TMP/pid")
cn set "$pid" 1690 >/dev/null || fail "cannot register container 1690"
cn policy load 1690 "$T_TMP/cr.policy" >/dev/null || fail "policy load 1690"

# Another container, which creates a name in the hole after the attack.
hole_creator 1691

echo go >"$T_TMP/go"
poll_until "$T_WAIT" test -e "$T_TMP/attacked" || fail "the attacker did not act: $(cat "$T_TMP/attack.out")"
wait_for_file "$T_TMP/fuse.pid"
started "$(cat "$T_TMP/fuse.pid")"
wait_for_line "$T_LOG" "access: container 1690: pid $pid's directory is not resolved within" \
	"the warning that the attacker's directory was not resolved"

# The killed resolver: canisterd's child, asleep in FUSE where SIGKILL does not reach.
stuck_helper() { ps -o pid=,stat= --ppid "$T_DAEMON_PID" | awk '$2 ~ /^D/ { print $1; exit }'; }
has_stuck_helper() { [ -n "$(stuck_helper)" ]; }
wait_until 10 "a killed resolver in an uninterruptible wait" has_stuck_helper
helper=$(stuck_helper)

# canisterd answers meanwhile (and warns of the helper once it is stuck), and goes on recording the other containers' creates.
timeout 10 "$CANISTER" --socket "$T_SOCK" status >/dev/null ||
	fail "canister status did not answer while a resolver was stuck"
echo go >"$T_TMP/go2"
expect_record "op=create contid=1691 by=1691 pid=$pid2 (exe=\"[^\"]+\" )?target=\"$FS/hole/second\" right=create cause=recorded-only mode=complain res=1\$" \
	"the other container's create, recorded while the killed resolver is stuck"
wait_for_line "$T_LOG" "the create/remove directory resolver \\(pid $helper\\) did not end within [0-9]+ ms of its SIGKILL" \
	"the log naming the stuck resolver"
cn status | grep -q "1 helper processes killed at their deadline are stuck" ||
	fail "canister status does not warn of the stuck helper: $(cn status)"

# The FUSE server goes: the kernel aborts its requests, the helper dies and is reaped.
kill "$(cat "$T_TMP/fuse.pid")"
reaped() { [ ! -e "/proc/$helper" ] || [ "$(awk '{ print $4 }' "/proc/$helper/stat")" != "$T_DAEMON_PID" ]; }
wait_until 10 "the stuck resolver (pid $helper) reaped, not left a zombie" reaped
wait_for_line "$T_LOG" "the create/remove directory resolver \\(pid $helper\\) ended at last, [0-9]+ ms after it was killed: reaped" \
	"the log saying the stuck resolver was reaped"
stop_daemon_within 20
echo end >"$T_TMP/end"
echo end >"$T_TMP/go3"
exit 0
