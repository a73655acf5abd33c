# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode and lsm mode's inode marks: this kernel (no BPF LSM) refuses an inode storage map (EINVAL), and trace mode neither makes nor pins any of the marking maps (access_fs_marks, _evicted, _inodes, _sbs, _state) while a policy that handles create and remove is held, so canisterd starts and loads it here; `canisterd --unload` removes such maps an lsm-mode canisterd left on the pin path.
. "$(dirname "$0")/../lib/harness.sh"

command -v bpftool >/dev/null || fail "bpftool is missing"
trap 'touch "$T_TMP/done"; kill_started; t_cleanup' EXIT
cat >"$T_TMP/cr.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath $T_TMP/work
POLICY
chmod 0644 "$T_TMP/cr.policy"
mkdir -p "$T_TMP/work"
marks="access_fs_marks access_fs_evicted access_fs_inodes access_fs_sbs access_fs_state"

start_daemon
# What an inode storage map needs is BPF LSM: where it is not active, the kernel refuses the map.
if bpftool map create "$T_PIN/probe_marks" type inode_storage key 4 value 16 entries 0 \
	name probe_marks flags 1 2>/dev/null; then
	rm -f "$T_PIN/probe_marks"
	grep -q 'access: BPF LSM on' "$T_LOG" ||
		fail "this kernel makes an inode storage map, yet canisterd runs in trace mode: $(grep 'running in' "$T_LOG")"
fi
cn run --id 1670 -- sh -c "echo ready >'$T_TMP/1670.ready'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
wait_for_file "$T_TMP/1670.ready"
cn policy load 1670 "$T_TMP/cr.policy" >/dev/null || fail "policy load 1670 in trace mode"
for map in $marks; do
	[ ! -e "$T_PIN/$map" ] || fail "trace mode pinned $map"
done
grep -q "cannot mark the inode" "$T_LOG" && fail "trace mode tried to mark inodes: $(grep 'mark the inode' "$T_LOG")"

touch "$T_TMP/done"
kill_started
stop_daemon
# What an lsm-mode canisterd leaves (the inode storage map itself cannot be made here).
for map in access_fs_evicted access_fs_inodes access_fs_sbs; do
	bpftool map create "$T_PIN/$map" type hash key 16 value 8 entries 16 name "$map" flags 1 ||
		fail "bpftool map create $map"
done
bpftool map create "$T_PIN/access_fs_state" type array key 4 value 8 entries 2 name access_fs_state ||
	fail "bpftool map create access_fs_state"
out=$("$CANISTERD" --unload -c "$T_CONF" 2>&1) || fail "--unload failed: $out"
for map in $marks; do
	[ ! -e "$T_PIN/$map" ] || fail "$map still exists after --unload"
done
exit 0
