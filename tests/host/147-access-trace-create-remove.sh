# SPDX-License-Identifier: GPL-2.0-only
# canister: a held policy's create and remove rights are recorded after the fact (fanotify FAN_CREATE / FAN_DELETE / FAN_MOVED_*, a second notification group that marks the gate's filesystems): a container whose policy handles create and remove with a hole makes and takes names inside it (a file, a directory, a rename into it and one out of it) and outside it; each inside is recorded (op=create/remove, the path, cause=recorded-only mode=complain res=1, though the policy enforces: nothing is denied), none outside, none of the host's own; the group marks nothing while no held policy handles create or remove, and nothing again once the container is dropped; the status's create and remove rows say recorded only; a runc container's creates in the hole of its own /tmp (a tmpfs of its mount namespace, marked through the gate's marking helper) are recorded with the container's path, not the host's.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/access.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"

command -v python3 >/dev/null || fail "python3 is missing"
runc_case
integrity_setup "measure func=BPRM_CHECK
"
trap 'rn delete -f "$CID" >/dev/null 2>&1; integrity_cleanup "$FS"' EXIT

mkdir -p "$FS/hole" "$FS/open"
: >"$FS/hole/old"
: >"$FS/open/moving"
: >"$FS/hole/leaving"
hole_policy

# The create/remove group's marks: its fdinfo's flags hold FAN_REPORT_DFID_NAME (0xc00); a
# mark line names a mask, the group's header line does not.
cr_marks()
{
	for cr_fd in /proc/"$T_DAEMON_PID"/fd/*; do
		[ "$(readlink "$cr_fd")" = "anon_inode:[fanotify]" ] || continue
		cr_info=/proc/$T_DAEMON_PID/fdinfo/${cr_fd##*/}
		cr_flags=$(sed -n 's/^fanotify flags:\([0-9a-f]*\) .*/\1/p' "$cr_info")
		[ -n "$cr_flags" ] && [ $((0x$cr_flags & 0xc00)) -eq $((0xc00)) ] || continue
		grep -c '^fanotify .* mask:' "$cr_info"
		return 0
	done
	echo none
}

start_daemon
# The gate has marked the host's filesystems; the create/remove group exists and marks nothing.
poll_until 30 grep -q 'integrity' "$T_LOG" || fail "no integrity line in the log"
expect_eq "$(cr_marks)" 0 "the create/remove group's marks with no policy"
cn status | grep -qx "  fs create: canisterd: recorded only (fanotify FAN_CREATE / FAN_DELETE, after the fact); .*" ||
	fail "the status's fs create line: $(cn status | grep 'fs create')"
cn status | grep -qx "  fs remove: canisterd: recorded only (fanotify FAN_CREATE / FAN_DELETE, after the fact); .*" ||
	fail "the status's fs remove line: $(cn status | grep 'fs remove')"

# The container: one long-lived process (a process that exits before its event is read cannot
# be told from the host's: unattributed), which acts once told to and stays until told again.
mkfifo "$T_TMP/go" "$T_TMP/end"
cat >"$T_TMP/act.py" <<'PY'
import os, sys
fs = sys.argv[1]
open(fs + "/hole/new", "w").close()
os.unlink(fs + "/hole/old")
os.mkdir(fs + "/hole/dir")
os.rmdir(fs + "/hole/dir")
open(fs + "/open/new", "w").close()
os.unlink(fs + "/open/new")
os.rename(fs + "/open/moving", fs + "/hole/moved")
os.rename(fs + "/hole/leaving", fs + "/open/left")
open(fs + "/hole/marker", "w").close()
open(fs + "/acted", "w").close()
open(sys.argv[2]).read()
PY
sh -c "echo \$\$ >'$T_TMP/pid'; read x <'$T_TMP/go'; exec python3 '$T_TMP/act.py' '$FS' '$T_TMP/end'" >"$T_TMP/out" 2>&1 &
started $!
wait_for_file "$T_TMP/pid"
pid=$(cat "$T_TMP/pid")
cn set "$pid" 1470 >/dev/null || fail "cannot register container 1470"
cn policy load 1470 "$T_TMP/cr.policy" >/dev/null || fail "policy load 1470"
# Marked before the load is answered.
[ "$(cr_marks)" != 0 ] && [ "$(cr_marks)" != none ] ||
	fail "the create/remove group marks nothing with a policy that handles create: $(cr_marks)"
# The host's own create and remove in the hole: never recorded.
: >"$FS/hole/host"
rm "$FS/hole/host"
echo go >"$T_TMP/go"
poll_until "$T_WAIT" test -e "$FS/acted" || fail "the container did not act: $(cat "$T_TMP/out")"
# Nothing denied: after the fact, whatever the policy's mode.
[ -e "$FS/hole/new" ] && [ ! -e "$FS/hole/old" ] && [ -e "$FS/hole/moved" ] ||
	fail "a create or remove was undone: $(ls "$FS/hole")"
rec() { echo "op=$1 contid=1470 by=1470 pid=$pid (exe=\"[^\"]+\" )?target=\"$FS/hole/$2\" right=$1 cause=recorded-only mode=complain res=1\$"; }
# The marker's create is the group's last event of the container: every other one is in.
expect_record "$(rec create marker)" "the marker's record"
recorded=$(grep -E "op=(create|remove) contid=1470 " "$T_AUDIT" |
	sed -n 's/.*op=\([a-z]*\) .* target="\([^"]*\)" right=.* cause=recorded-only mode=complain res=1$/\1 \2/p' |
	sed "s|$FS/||" | sort | tr '\n' ' ')
expect_eq "$recorded" "create hole/dir create hole/marker create hole/moved create hole/new remove hole/dir remove hole/leaving remove hole/old " \
	"what is recorded: the hole's creates and removes (a rename into it a create, out of it a remove), not outside it"
for r in create remove; do
	expect_record "$(rec $r dir)" "the $r of a directory"
done
no_record "target=\"$FS/hole/host\"" "the host's create and remove"
no_record "target=\"$FS/open/" "a create or remove outside the hole"
echo end >"$T_TMP/end"

# Dropped: no held policy handles create or remove, the group marks nothing again.
kill "$pid" 2>/dev/null
cr_unmarked() { [ "$(cr_marks)" = 0 ]; }
poll_until 30 cr_unmarked || fail "the create/remove group still marks after the drop: $(cr_marks)"

# --- a runc container: its own /tmp (a tmpfs of its mount namespace), its own paths ------------
# The group marks the container's filesystems once canisterd has seen its namespace: until
# then nothing is seen, so its shell (long-lived: it makes the names itself, by redirection)
# makes a new name in the hole every 0.1 s until the host says stop (a poll of /stop; its bound,
# 10 minutes, lies beyond the runner's 300 s limit, so that load never ends it first).
cat >"$T_TMP/runc.policy" <<'POLICY'
fs handle create,remove
fs allow create,remove beneath /
fs deny create,remove beneath /tmp/hole
POLICY
chmod 0644 "$T_TMP/runc.policy"
make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
oci_jq "$BUNDLE" '.process.args = ["sh", "-c",
		"mkdir /tmp/hole /tmp/open || exit 1
		i=0
		while [ ! -e /stop ]; do
			: >/tmp/hole/f$i; : >/tmp/open/f$i
			i=$((i + 1)); [ $i -lt 6000 ] || { echo never stopped; exit 1; }
			sleep 0.1
		done
		echo stopped"]' || fail "cannot edit the bundle"
bundle_annotate "$BUNDLE" org.canister.contid 1471 || fail "cannot annotate the bundle"
bundle_annotate "$BUNDLE" org.canister.policy "$T_TMP/runc.policy" || fail "annotation"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"
rn run -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 &
RUNC=$!
started $RUNC
expect_record "op=create contid=1471 by=1471 pid=[0-9]+ (exe=\"[^\"]+\" )?target=\"/tmp/hole/f[0-9]+\" right=create cause=recorded-only mode=complain res=1\$" \
	"a runc container's create in its own /tmp/hole, with the container's path"
: >"$BUNDLE/rootfs/stop"
wait "$RUNC" || fail "the runc container failed: $(cat "$T_TMP/runc.log")"
expect_eq "$(cat "$T_TMP/runc.log")" stopped "the runc container's end"
no_record "contid=1471 .*target=\"/tmp/open/" "a runc container's create outside the hole"
no_record "contid=1471 .*target=\"$BUNDLE" "a record with the host's path of the rootfs"
exit 0
