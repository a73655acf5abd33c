# SPDX-License-Identifier: GPL-2.0-only
# canister: fsuuid= matches the superblock UUID the kernel tells (FS_IOC_GETFSUUID, Linux 6.8+):
# a container's exec from an ext4 image made with a known UUID is listed, one from a tmpfs (its
# own random UUID) is not, and one from a ramfs (no UUID) matches nothing and is said once.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v mkfs.ext4 >/dev/null || fail "mkfs.ext4 is missing: install the Debian package e2fsprogs"
UUID=$(cat /proc/sys/kernel/random/uuid)
integrity_setup "measure func=BPRM_CHECK fsuuid=$UUID
"
EXT4=$T_TMP/ext4
RAMFS=$T_TMP/ramfs
mkdir -p "$EXT4" "$RAMFS"
trap 'integrity_cleanup "$EXT4" "$RAMFS" "$FS"' EXIT
truncate -s 8M "$T_TMP/ext4.img"
mkfs.ext4 -q -U "$UUID" "$T_TMP/ext4.img" || fail "mkfs.ext4 failed"
mount -o loop "$T_TMP/ext4.img" "$EXT4" || fail "cannot mount the ext4 image on a loop device"
expect_eq "$(blkid -s UUID -o value "$T_TMP/ext4.img")" "$UUID" "blkid's UUID of the image"
mount -t ramfs none "$RAMFS" || fail "cannot mount a ramfs"
for dir in "$EXT4" "$FS" "$RAMFS"; do cp /bin/true "$dir/prog"; done

start_daemon
expect_match "$(cn status)" "  fsuuid: available \(FS_IOC_GETFSUUID\)" "the status's fsuuid line"
cn status --json | grep -q '"fsuuid":true' || fail "status --json: fsuuid not true"

L=$LISTS/706
listed() { awk -v f="$1" '$5 == f' "$L/ascii_runtime_measurements" | wc -l; }
cn run --id 706 -- sh -c "'$EXT4/prog'; '$FS/prog'; '$RAMFS/prog'; '$RAMFS/prog'" ||
	fail "the container's execs failed"
expect_eq "$(listed "$EXT4/prog")" 1 "an exec from the filesystem whose UUID the rule names"
expect_eq "$(awk -v f="$EXT4/prog" '$5 == f { print $4 }' "$L/ascii_runtime_measurements")" \
	"sha256:$(sha256sum "$EXT4/prog" | cut -d' ' -f1)" "its digest"
expect_eq "$(listed "$FS/prog")" 0 "an exec from a tmpfs (another UUID)"
expect_eq "$(listed "$RAMFS/prog")" 0 "an exec from a ramfs (no UUID)"
expect_eq "$(grep -c 'has no UUID: fsuuid= rules match no file on it' "$T_LOG")" 1 \
	"the ramfs without a UUID, said once"
integrity_verify "$L" "the list"
stop_daemon
