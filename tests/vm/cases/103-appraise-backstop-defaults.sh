# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: integrity_appraise = enforce binds the appraisal backstop for every container that brings no appraisal of its own, from its registration on (one default entry in the pinned enforce map, not a list canisterd must catch up with): a memfd exec and an mmap(PROT_EXEC) of an unhashed library are denied and recorded; a container that set its own mode off runs them; host processes are untouched; the gate asks for opens (MMAP_CHECK is judged at open) while the default appraises mappings.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

backstop_config
printf 'integrity_appraise = enforce\n' >>"$T_CONF"
D=$T_TMP/files
mkdir -p "$D"
hashed() { tool backstop-try set-ima "$1" "0404$(sha256sum "$1" | cut -d' ' -f1)" >/dev/null || fail "security.ima on $1"; }
printf '#!/bin/sh\necho good\n' >"$D/good.sh"
chmod 755 "$D/good.sh"
chown 1000 "$D/good.sh"
hashed "$D/good.sh"
cp /bin/busybox "$D/good.so"
cp /bin/busybox "$D/bad.so"
chown 1000 "$D/good.so" "$D/bad.so"
hashed "$D/good.so"
trap integrity_cleanup EXIT

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_match "$(cn status)" 'every other container enforce \(integrity_appraise\)' "the status's appraisal default"
# The default appraises mappings: libraries are judged as they are opened.
expect_match "$(cn status --json)" '"file_check":true' "FILE_CHECK under the default"
refused='refused: Operation not permitted'

# 1030 brings nothing: the default binds it, in the gate and in the kernel.
run1030() { cn run --id 1030 -- "$@" 2>"$T_TMP/err"; }
expect_eq "$(run1030 "$D/good.sh")" good "a hashed script under the default"
expect_eq "$(run1030 backstop-try memfd-exec /bin/busybox echo ran)" "$refused" \
	"a memfd exec under the default"
expect_record 'op=backstop_bprm_check cause=not-appraised contid=1030 pid=[0-9]+ file=[0-9A-F]+ reason=[^ ]+ mode=enforce res=0' \
	"the memfd exec's record under the default"
expect_eq "$(run1030 mmap-exec "$D/good.so")" mapped "mmap PROT_EXEC of a hashed library under the default"
run1030 mmap-exec "$D/bad.so" >/dev/null && fail "mmap PROT_EXEC of an unhashed library was allowed under the default"
expect_match "$(cat "$T_TMP/err")" "mmap .*: Operation not permitted" "the mmap's error under the default"
expect_record "op=backstop_mmap_file cause=not-appraised contid=1030 pid=[0-9]+ file=\"$D/bad.so\"" \
	"the mmap's record under the default"

# 1031 set its own mode off: an entry of its own in the map, nothing denied.
expect_eq "$(cn run --id 1031 --appraise off -- sh -c "backstop-try memfd-exec /bin/busybox echo ran; mmap-exec '$D/bad.so'")" "ran
mapped" "a memfd exec and a mapping of an unhashed library by a container whose own mode is off"

# The host is no container.
expect_eq "$(backstop-try memfd-exec /bin/busybox echo ran)" ran "a host memfd exec"
expect_eq "$(mmap-exec "$D/bad.so")" mapped "a host mapping of an unhashed library"
exit 0
