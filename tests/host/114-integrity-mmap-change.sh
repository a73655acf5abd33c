# SPDX-License-Identifier: GPL-2.0-only
# canister: a file changed through a shared writable mapping on tmpfs (no new mtime or ctime,
# the same size: the same stat key) is measured and appraised again at its next exec, because
# its writer's close (FAN_CLOSE_WRITE) moved its write generation.  Measured: a container's
# next exec of the changed file lists a second entry with the new digest (before, the listed
# check or the fast answer took the old entry).  Appraised in enforce: a signed program whose
# pass is cached is changed through a mapping, and its next exec is denied (before, it ran on
# the cached pass).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v openssl >/dev/null || fail "openssl is missing"
# Only files owned by OWNER are appraised.
OWNER=4242
integrity_setup "measure func=BPRM_CHECK
appraise func=BPRM_CHECK fowner=$OWNER appraise_type=imasig
"
trap 'kill_started; stop_daemon; umount "$FS"; t_cleanup' EXIT

# Static (each exec one gated open), named true: busybox runs the applet of its name.
X=$FS/true
cp /bin/busybox "$X" || fail "cannot copy /bin/busybox"
"$X" || fail "$X does not run (a static busybox is needed)"
P=$FS/good
cp /bin/true "$P" && printf 'good\n' >>"$P" && chown "$OWNER" "$P" || fail "cannot make $P"
K=$T_TMP/keys
mkdir -p "$K"
ima_cert "$K" a rsa:2048
evmctl ima_sign --key "$K/a.key" -a sha256 "$P" >"$T_TMP/evmctl.out" 2>&1 ||
	fail "evmctl ima_sign: $(cat "$T_TMP/evmctl.out")"

start_daemon

# stamps FILE: what a version key sees of FILE besides its identity.
stamps() { stat -c '%s %y %z' "$1"; }
# mapped FILE: FILE's last byte changed through a shared mapping; its times and size kept.
mapped()
{
	mp_before=$(stamps "$1")
	mp_digest=$(sha256sum "$1" | cut -d' ' -f1)
	tool mmap-write "$1" >/dev/null || fail "mmap-write $1 failed"
	[ "$(sha256sum "$1" | cut -d' ' -f1)" != "$mp_digest" ] || fail "mmap-write did not change $1"
	expect_eq "$(stamps "$1")" "$mp_before" "size, mtime and ctime of $1 after a change through a mapping"
}
# A version is cached (digest, fast answer, verdict) once settled: ctime and mtime 2 s old.
settled() { [ $(($(date +%s) - $(stat -c %Z "$1"))) -ge 3 ]; }
both_settled() { settled "$X" && settled "$P"; }
wait_until 20 "the files' timestamps settled" both_settled

# Measured: three execs (listed once; the last ones answered fast), a change through a mapping,
# then an exec lists the new version.
entries() { awk -v f="$X" '$5 == f' "$LISTS/1140/ascii_runtime_measurements" | wc -l; }
last_digest() { awk -v f="$X" '$5 == f { print $4 }' "$LISTS/1140/ascii_runtime_measurements" | tail -1; }
cn run --id 1140 -- sh -c "'$X' && '$X' && '$X'" || fail "container 1140's execs failed"
expect_eq "$(entries)" 1 "three execs of one version"
mapped "$X"
cn run --id 1140 -- "$X" || fail "container 1140's exec of the changed file failed"
expect_eq "$(entries)" 2 "the entries after the change through a mapping"
expect_eq "$(last_digest)" "sha256:$(sha256sum "$X" | cut -d' ' -f1)" "the new entry's digest"
cn run --id 1140 -- "$X" || fail "container 1140's exec of the changed file failed"
expect_eq "$(entries)" 2 "an exec of the changed version, listed already"

# Appraised, enforce: the signed program runs, its pass is cached (a cache hit counted), it is
# changed through a mapping, and its next exec is denied.
hits() { integrity_counter appraise_cache_hits; }
mkfifo "$T_TMP/end"
sh -c "read x <'$T_TMP/end'" &
started $!
cn set $! 1141 >/dev/null || fail "cannot register container 1141"
cn integrity key add 1141 "$K/a.pem" >/dev/null || fail "key a for container 1141"
cn integrity appraise 1141 enforce >/dev/null || fail "mode enforce for container 1141"
out=$(cn run --id 1141 -- "$P" 2>&1) || fail "container 1141 could not run the signed $P: $out"
before=$(hits)
out=$(cn run --id 1141 -- "$P" 2>&1) || fail "container 1141 could not run the signed $P again: $out"
[ "$(hits)" -gt "$before" ] || fail "no cached pass for the signed, settled $P"
mapped "$P"
st=0
out=$(cn run --id 1141 -- "$P" 2>&1) || st=$?
expect_eq "$out" "canister: cannot run $P: Operation not permitted" \
	"container 1141's exec of $P changed through a mapping"
expect_eq "$st" 126 "the exit status of the denied exec"
expect_record "op=appraise_data cause=invalid-signature contid=1141 pid=[0-9]+ file=\"$P\" reason=[^ ]+ mode=enforce res=0" \
	"the record of the changed version's denial"

echo end >"$T_TMP/end"
stop_daemon
