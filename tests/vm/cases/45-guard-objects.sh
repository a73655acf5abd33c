# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a labelled root cannot reach canister's BPF objects, pins or bpffs mount, nor load kernel code.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

# Every attempt is made and its result kept (attempt_in), so that one run names each hole.
# attempt EXPECTED WHAT CMD...: CMD, run inside container 71 as root, prints EXPECTED.
attempt() { attempt_in 71 "$@"; }
refused='refused: Operation not permitted'

# Which BPF objects are canister's: those that appear with canisterd.
for kind in map prog link; do
	tool bpf-attack ids $kind >"$T_TMP/before-$kind" || fail "listing ${kind}s"
done
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
for kind in map prog link; do
	tool bpf-attack ids $kind >"$T_TMP/after-$kind"
	awk 'FILENAME == ARGV[1] { seen[$0] = 1; next } !seen[$0]' "$T_TMP/before-$kind" "$T_TMP/after-$kind" >"$T_TMP/$kind"
done
grep -q ' ns_before$' "$T_TMP/map" || fail "no ns_before map among canister's: $(cat "$T_TMP/map") (before: $(cat "$T_TMP/before-map"); after: $(cat "$T_TMP/after-map"))"
grep -q 'rodata' "$T_TMP/map" || fail "no .rodata map among canister's: $(cat "$T_TMP/map")"
[ -s "$T_TMP/link" ] || fail "canister has no links"

# By id: every map (ns_before, .rodata, .bss, the guard's own), program and link.
for kind in map prog link; do
	while read -r id name; do
		attempt "$refused" "$kind $id ($name) by id" bpf-attack get $kind "$id"
	done <"$T_TMP/$kind"
done
# ... so neither pinned elsewhere nor written (forged CONTAINER_NS records).
ns_before=$(awk '$2 == "ns_before" { print $1 }' "$T_TMP/map")
attempt "$refused" "pinning ns_before elsewhere" bpf-attack pin-id map "$ns_before" /sys/fs/bpf/stolen
# The guard is aimed: a labelled process keeps maps of its own.
attempt ok "a map of its own, by id" bpf-attack own-map
attempt "$refused" "loading a BPF program" bpf-attack prog-load

# By path, and every change to the pins and their directory.
link=$(ls "$T_PIN/links" | head -n 1)
mkdir -p "$T_TMP/empty" "$T_TMP/m"
attempt "$refused" "labels by its pin" bpf-attack fs obj-get "$T_PIN/labels"
attempt "$refused" "link by its pin" bpf-attack fs obj-get "$T_PIN/links/$link"
attempt "$refused" "unlinking the labels pin" bpf-attack fs unlink "$T_PIN/labels"
attempt "$refused" "unlinking a link pin" bpf-attack fs unlink "$T_PIN/links/$link"
attempt "$refused" "renaming the labels pin" bpf-attack fs rename "$T_PIN/labels" "$T_PIN/old"
attempt "$refused" "renaming the pin directory" bpf-attack fs rename "$T_PIN" "${T_PIN}_moved"
mkdir "${T_PIN}_other"
attempt "$refused" "exchanging the pin directory" bpf-attack fs exchange "${T_PIN}_other" "$T_PIN"
attempt "$refused" "renaming a directory over the pin directory" bpf-attack fs rename "${T_PIN}_other" "$T_PIN"
rmdir "${T_PIN}_other"
attempt "$refused" "removing the links directory" bpf-attack fs rmdir "$T_PIN/links"
attempt "$refused" "hard-linking the labels pin" bpf-attack fs link "$T_PIN/labels" /sys/fs/bpf/hard
attempt "$refused" "a directory in the pin directory" bpf-attack fs mkdir "$T_PIN/labels_d"
attempt "$refused" "a symlink in the pin directory" bpf-attack fs symlink "$T_PIN/x" /tmp
attempt "$refused" "chmod of the pin directory" bpf-attack fs chmod "$T_PIN"
attempt "$refused" "a same-shape map in the labels pin's place" bpf-attack mimic "$T_PIN/labels"
# Another path to the same directory (a bind mount host root made) leads nowhere either.
mkdir -p "$T_TMP/pins"
mount --bind "$T_PIN" "$T_TMP/pins" || fail "host root cannot bind-mount the pin directory"
attempt "$refused" "labels through a bind mount" bpf-attack fs obj-get "$T_TMP/pins/labels"
attempt "$refused" "unlinking through a bind mount" bpf-attack fs unlink "$T_TMP/pins/labels"
umount "$T_TMP/pins"

# Mounts: over the pins, another bpffs, the bpffs moved, remounted, unmounted.
attempt "$refused" "tmpfs over the pin directory" bpf-attack fs mount-tmpfs "$T_PIN"
attempt "$refused" "a bind mount over /sys/fs/bpf" bpf-attack fs bind "$T_TMP/empty" /sys/fs/bpf
attempt "$refused" "another bpffs" bpf-attack fs mount-bpf "$T_TMP/m"
attempt "$refused" "the bpffs cloned elsewhere (move_mount)" bpf-attack fs move-mount /sys/fs/bpf "$T_TMP/m"
attempt "$refused" "remounting the bpffs read-only" bpf-attack fs remount-ro /sys/fs/bpf
attempt "$refused" "the bpffs read-only through fspick and fsconfig" bpf-attack fs fspick-ro /sys/fs/bpf
mkdir -p "$T_TMP/host"
mount -t tmpfs none "$T_TMP/host" || fail "host root cannot mount a tmpfs"
attempt "$refused" "a host tmpfs read-only through fspick and fsconfig" bpf-attack fs fspick-ro "$T_TMP/host"
umount "$T_TMP/host"
mkdir -p "$T_TMP/new/old"
attempt "$refused" "pivot_root in canisterd's mount namespace" \
	bpf-attack fs pivot-root "$T_TMP/new" "$T_TMP/new/old"
attempt "$refused" "unmounting the bpffs" bpf-attack fs umount /sys/fs/bpf
# From a mount namespace of its own, the pins' bpffs is still out of reach.
attempt "$refused" "tmpfs over the pin directory from another mount namespace" \
	unshare -m bpf-attack fs mount-tmpfs "$T_PIN"
attempt "$refused" "unmounting the bpffs in another mount namespace" \
	unshare -m bpf-attack fs umount /sys/fs/bpf
# A namespace of its own that kept the host's shared mounts (systemd makes / shared): what is
# mounted on a shared mount, or unmounted from it, would propagate into canisterd's namespace.
mkdir -p "$T_TMP/shared"
mount -t tmpfs none "$T_TMP/shared" || fail "host root cannot mount a tmpfs"
[ "$(bpf-attack fs make-shared "$T_TMP/shared")" = ok ] || fail "cannot make $T_TMP/shared shared"
mkdir -p "$T_TMP/shared/sub"
attempt "$refused" "a tmpfs onto a shared mount from a namespace of its own" \
	bpf-attack fs unshare-mount-tmpfs "$T_TMP/shared/sub"
grep -q " $T_TMP/shared/sub " /proc/self/mountinfo && fail "a container's tmpfs propagated to the host"
attempt "$refused" "unmounting a shared mount from a namespace of its own" \
	bpf-attack fs unshare-umount "$T_TMP/shared"
grep -q " $T_TMP/shared " /proc/self/mountinfo || fail "a container's unmount propagated to the host"
umount "$T_TMP/shared"
# In a mount namespace of its own a container still mounts what it likes, beside the pins.
attempt ok "a tmpfs in its own mount namespace" \
	unshare -m sh -c "mount -t tmpfs none '$T_TMP/m' && echo ok"

# mount_setattr(2) passes no LSM hook: a read-only /var/log would silence canisterd.
mkdir -p "$T_TMP/ro"
mount -t tmpfs none "$T_TMP/ro" || fail "host root cannot mount a tmpfs"
attempt "$refused" "mount_setattr read-only in canisterd's mount namespace" \
	tamper mount-setattr "$T_TMP/ro" ro
touch "$T_TMP/ro/written" || fail "the mount was made read-only by a container"
attempt ok "mount_setattr in its own mount namespace" \
	unshare -m --propagation private tamper mount-setattr "$T_TMP/ro" ro
touch "$T_TMP/ro/written" || fail "a container's own mount namespace change reached the host"
expect_eq "$(tool tamper mount-setattr "$T_TMP/ro" ro)" ok "host root mount_setattr read-only"
expect_eq "$(tool tamper mount-setattr "$T_TMP/ro" rw)" ok "host root mount_setattr read-write"
umount "$T_TMP/ro"

# Kernel code: modules by fd and by buffer, kexec images.
attempt "$refused" "finit_module" bpf-attack kernel module-file
attempt "$refused" "init_module" bpf-attack kernel module-data
attempt "$refused" "kexec_file_load" bpf-attack kernel kexec-file
attempt "$refused" "kexec_load" bpf-attack kernel kexec-load

# Nothing moved: the pins are where they were, the daemon is up and still labels.
[ -z "$T_WRONG" ] || fail "attempts that were not refused:$T_WRONG"
for map in labels events stats containers census watch nsjoin container_cgroups; do
	[ -e "$T_PIN/$map" ] || fail "pin $map is gone"
done
got=$(cn run --id 72 -- sh -c 'sleep 30 & canister --socket '"$T_SOCK"' get $!; kill $!')
expect_eq "$got" 72 "a child born after the attempts"

# Each refusal is counted and recorded with the container, the hook named.
denied=$(cn status --json | tr -d ' \n' | sed -n 's/.*"guard_denied":\([0-9]*\).*/\1/p')
[ "${denied:-0}" -ge 30 ] || fail "guard_denied counter is ${denied:-missing}, expected at least 30"
# (reason= is hex, as audit encodes a value with spaces; ausearch -i decodes it.)
hex()
{
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F
}
expect_record "op=guard opid=[0-9]+ contid=71 old-contid=71 errno=EPERM reason=$(hex 'a fd to a canister BPF object by id') res=0\$" "a refusal by id recorded"
expect_record "op=guard .*contid=71 .*reason=$(hex 'a kernel module load or unload') " "a module refusal recorded"
expect_record "op=guard .*contid=71 .*reason=$(hex "changing a mount's attributes in canisterd's mount namespace") " \
	"a mount_setattr refusal recorded"
expect_record "op=guard .*contid=71 .*reason=$(hex "an unmount in canisterd's mount namespace or of its bpffs") " "an unmount refusal recorded"
expect_match "$(cat "$T_LOG")" 'container 71: refused pid [0-9]+ loading a BPF program' "refusal logged"

# A restart checks the pins against its record, and the guard knows the new run's objects.
stop_daemon
start_daemon
for kind in map prog link; do
	tool bpf-attack ids $kind >"$T_TMP/after-$kind"
	awk 'FILENAME == ARGV[1] { seen[$0] = 1; next } !seen[$0]' "$T_TMP/before-$kind" "$T_TMP/after-$kind" >"$T_TMP/$kind"
	while read -r id name; do
		attempt "$refused" "after a restart: $kind $id ($name) by id" bpf-attack get $kind "$id"
	done <"$T_TMP/$kind"
done
[ -z "$T_WRONG" ] || fail "attempts that were not refused:$T_WRONG"
[ -L "$T_PIN/pinned" ] || fail "no record of the pins at $T_PIN/pinned"
stop_daemon
# Host root still removes everything, the guard's map and the record included.
"$CANISTERD" --unload -c "$T_CONF" >"$T_TMP/unload" 2>&1 || fail "--unload: $(cat "$T_TMP/unload")"
[ ! -e "$T_PIN" ] || fail "--unload left $T_PIN: $(ls -a "$T_PIN")"
