# SPDX-License-Identifier: GPL-2.0-only
# canister: an appraisal verdict is cached per file version (the stat key), and a file changed
# again within its filesystem's timestamp granularity keeps that key (ext4 with 128-byte
# inodes stores whole seconds; kernels before 6.13 stamp at the tick for any file).  A pass
# cached for such a key let a container run, in enforce, a signed program it had just
# changed; a verdict is now cached only once its key is settled (2 s old), so the changed
# program is verified again and denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v openssl >/dev/null || fail "openssl is missing"
OWNER=4242
integrity_setup "measure func=BPRM_CHECK
appraise func=BPRM_CHECK fowner=$OWNER appraise_type=imasig
"
EXT=$T_TMP/ext
trap 'kill_started; stop_daemon; umount "$EXT"; umount "$FS"; t_cleanup' EXIT
truncate -s 16M "$T_TMP/ext.img" && mkfs.ext4 -q -I 128 "$T_TMP/ext.img" >/dev/null 2>&1 ||
	fail "cannot make an ext4 image with 128-byte inodes"
mkdir -p "$EXT" && mount -o loop "$T_TMP/ext.img" "$EXT" || fail "cannot mount the ext4 image"
K=$T_TMP/keys
mkdir -p "$K"
ima_cert "$K" a rsa:2048
# Static busybox named true: one gated open per exec, its true applet.
E=$EXT/true
cp /bin/busybox "$E" && chown "$OWNER" "$E" || fail "cannot copy /bin/busybox"
size=$(stat -c %s "$E")
start_daemon

# One attempt: a signed version, a container's exec of it (passes), a change of one byte of
# the same size and a second exec, within one second (checked by the file's ctime; under load
# an attempt may straddle a second, and then another is made, with another container).
id=1130
same_second=
while [ "$id" -lt 1150 ] && [ -z "$same_second" ]; do
	id=$((id + 1))
	next_second
	printf 'a' | dd of="$E" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null || fail "cannot write $E"
	evmctl ima_sign --key "$K/a.key" -a sha256 "$E" >"$T_TMP/evmctl.out" 2>&1 ||
		fail "evmctl ima_sign: $(cat "$T_TMP/evmctl.out")"
	signed=$(stat -c %Z "$E")
	cn run --id "$id" --ima-key "$K/a.pem" --appraise enforce -- sh -c \
		"'$E' || exit 3; printf 'b' | dd of='$E' bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null; '$E' 2>'$T_TMP/second.err'" \
		>"$T_TMP/run.out" 2>&1
	st=$?
	[ "$st" -ne 3 ] || fail "container $id could not run the signed version: $(cat "$T_TMP/run.out")"
	[ "$(stat -c %Z "$E")" = "$signed" ] && same_second=$id
done
[ -n "$same_second" ] || fail "no attempt of 20 kept the signature and the change within one second"
expect_eq "$(stat -c %s "$E")" "$size" "a change in place keeps the size"
[ "$st" -ne 0 ] || fail "container $same_second ran the changed, unsigned version (a cached pass)"
expect_match "$(cat "$T_TMP/second.err")" "Operation not permitted" "the changed version's exec"
expect_record "op=appraise_data cause=invalid-signature contid=$same_second pid=[0-9]+ file=\"$E\" reason=[^ ]+ mode=enforce res=0" \
	"the record of the changed version's denial"

stop_daemon
