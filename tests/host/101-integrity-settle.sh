# SPDX-License-Identifier: GPL-2.0-only
# canister: a file changed again within its filesystem's timestamp granularity keeps its
# mtime, ctime and size, so its stat key; such a key is not remembered (no cached digest, not
# "listed already", no fast answer) until it is 2 s old, so the change is measured.  ext4 with
# 128-byte inodes stores whole seconds, as kernels before 6.13 stamp at the tick for any file.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=BPRM_CHECK
'
EXT=$T_TMP/ext
trap 'stop_daemon; umount "$EXT"; umount "$FS"; t_cleanup' EXIT
truncate -s 16M "$T_TMP/ext.img" && mkfs.ext4 -q -I 128 "$T_TMP/ext.img" >/dev/null 2>&1 ||
	fail "cannot make an ext4 image with 128-byte inodes"
mkdir -p "$EXT" && mount -o loop "$T_TMP/ext.img" "$EXT" || fail "cannot mount the ext4 image"
# Static, named true: one gated open per exec, busybox's true applet.
E=$EXT/true
cp /bin/busybox "$E" || fail "cannot copy /bin/busybox"
size=$(stat -c %s "$E")
start_daemon

entries() { awk -v f="$E" '$5 == f' "$LISTS/$1/ascii_runtime_measurements" | wc -l; }
last_digest() { awk -v f="$E" '$5 == f { print $4 }' "$LISTS/$1/ascii_runtime_measurements" | tail -1; }

# One attempt: a change, an exec, a second change of the same size and two execs, all
# within one second (checked by the file's ctime; under load an attempt may straddle a
# second, and then another is made, with another container).  The attempt starts inside the
# container, just after the second turns, so that registering the container is not part of
# that second (at load 20 it took most of it, and 20 attempts failed).
id=1010
same_second=
while [ "$id" -lt 1030 ] && [ -z "$same_second" ]; do
	id=$((id + 1))
	rm -f "$T_TMP/first"
	cn run --id "$id" -- sh -c "
		s0=\$(date +%s); while [ \"\$(date +%s)\" = \"\$s0\" ]; do :; done
		printf 'a' | dd of='$E' bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null || exit 3
		stat -c %Z '$E' >'$T_TMP/first'
		'$E' && printf 'b' | dd of='$E' bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null && '$E' && '$E'" ||
		fail "container $id's execs failed"
	[ "$(stat -c %Z "$E")" = "$(cat "$T_TMP/first")" ] && same_second=$id
done
[ -n "$same_second" ] || fail "no attempt of 20 kept both changes within one second"
expect_eq "$(stat -c %s "$E")" "$size" "a change in place keeps the size"
expect_eq "$(entries "$same_second")" 2 "a file changed again within its timestamps' second"
expect_eq "$(last_digest "$same_second")" "sha256:$(sha256sum "$E" | cut -d' ' -f1)" \
	"the digest of the version that ran"

# Settled (2 s after the change, by its ctime): remembered again, so the fast path answers.
settled() { [ $(($(date +%s) - $(stat -c %Z "$E"))) -gt 2 ]; }
wait_until 10 "the change 2 s old" settled
fast() { cn status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["integrity"]["fast"])'; }
before=$(fast)
cn run --id "$same_second" -- sh -c "'$E' && '$E' && '$E'" || fail "the settled execs failed"
[ "$(fast)" -gt "$before" ] || fail "a settled file got no fast answer"
expect_eq "$(entries "$same_second")" 2 "execs of the settled file"

stop_daemon
