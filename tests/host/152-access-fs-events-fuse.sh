# SPDX-License-Identifier: GPL-2.0-only
# canister: a container cannot stop canisterd's create/remove recording (the notification group's
# reader, host case 147) with a filesystem that never answers.  The reader resolves an event's
# directory through a mount point of the process's own mount table; a container root that covers
# its filesystem's mount point (a tmpfs over it, in its own mount namespace) and mounts a FUSE
# filesystem whose server never answers, then creates a name in the hole through a directory
# it held open, sent the reader into that FUSE mount, where it waited for ever: no container's
# create or remove was recorded any more, and canisterd could not stop.  The other container's
# create in the hole must still be recorded, and canisterd must stop when asked.  The reader now
# has a helper process resolve the directory and waits 1 s at most for it (then kills it).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/access.sh"

command -v python3 >/dev/null || fail "python3 is missing"
command -v unshare >/dev/null || fail "unshare is missing"
[ -c /dev/fuse ] || fail "/dev/fuse is missing"
integrity_setup "measure func=BPRM_CHECK
"
trap 'integrity_cleanup "$FS"' EXIT

mkdir -p "$T_TMP/stuck"
hole_policy
start_daemon

# The attacker, in a mount namespace of its own: the hole held open, its filesystem's mount
# point covered, a FUSE mount nobody serves, then a create in the hole.
cat >"$T_TMP/attack.py" <<'PY'
import ctypes, os, sys

fs, stuck, done, end = sys.argv[1:5]
libc = ctypes.CDLL(None, use_errno=True)

def mount(source, target, fstype, data):
    if libc.mount(source.encode(), target.encode(), fstype.encode(), 0,
                  data.encode() if data else None) != 0:
        raise OSError(ctypes.get_errno(), "mount " + target)

hole = os.open(fs + "/hole", os.O_RDONLY | os.O_DIRECTORY)
fuse = os.open("/dev/fuse", os.O_RDWR)
mount("never", stuck, "fuse", "fd=%d,rootmode=40000,user_id=0,group_id=0" % fuse)
mount("none", fs, "tmpfs", None)
os.close(os.open("attack", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=hole))
open(done, "w").close()
open(end).read()
PY
mkfifo "$T_TMP/go" "$T_TMP/end"
sh -c "echo \$\$ >'$T_TMP/pid'; read x <'$T_TMP/go'; exec unshare -m --propagation private python3 '$T_TMP/attack.py' '$FS' '$T_TMP/stuck' '$T_TMP/attacked' '$T_TMP/end'" \
	>"$T_TMP/attack.out" 2>&1 &
started $!
wait_for_file "$T_TMP/pid"
pid=$(cat "$T_TMP/pid")
cn set "$pid" 1520 >/dev/null || fail "cannot register container 1520"
cn policy load 1520 "$T_TMP/cr.policy" >/dev/null || fail "policy load 1520"

# Another container, which creates a name in the hole after the attack.
hole_creator 1521

echo go >"$T_TMP/go"
poll_until "$T_WAIT" test -e "$T_TMP/attacked" || fail "the attacker did not act: $(cat "$T_TMP/attack.out")"
echo go >"$T_TMP/go2"
expect_record "op=create contid=1521 by=1521 pid=$pid2 (exe=\"[^\"]+\" )?target=\"$FS/hole/second\" right=create cause=recorded-only mode=complain res=1\$" \
	"the other container's create, recorded after the attack"
grep -q "access: container 1520: pid $pid's directory is not resolved within" "$T_LOG" ||
	fail "no warning that the attacker's directory was not resolved"
# canisterd stops while the attacker's FUSE mount still never answers.
stop_daemon_within 20
echo end >"$T_TMP/end"
echo end >"$T_TMP/go3"
exit 0
