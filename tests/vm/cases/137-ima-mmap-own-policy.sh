# SPDX-License-Identifier: GPL-2.0-only
# canister: MMAP_CHECK in lsm mode, the direction that must never lose a mapping: with a default policy that measures execs only (no mapping reported), a container whose own policy lists mappings has each listed, so has a container nested in it whose own policy lists none (the ancestor's rule binds it), and so does the first after a restart of canisterd (its stored policy told to the new hook before it is attached).
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
printf 'measure func=MMAP_CHECK mask=MAY_EXEC\n' >"$T_TMP/maps.policy"
printf 'measure func=BPRM_CHECK\n' >"$T_TMP/exec-only.policy"
for f in own nested default after; do
	printf 'mapped by the %s run\n' "$f" >"$T_TMP/$f.so"
done
L=$LISTS/1371/ascii_runtime_measurements
listed() { integrity_listed "$L" "$@"; }
entries() { awk -v f="$1" '$5 == f' "$2" 2>/dev/null | wc -l; }

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# 1371 holds its own policy listing mappings; it starts 1372 (exec-only policy) nested in it, and,
# once told, maps one more file after canisterd's restart.
cat >"$T_TMP/outer.sh" <<SCRIPT
mmap-exec "$T_TMP/own.so" >/dev/null || exit 1
echo \$\$ >"$T_TMP/outer.pid"
sh "$T_AWAIT" "$T_TMP/go"
"$CANISTER" --socket "$T_SOCK" run --id 1372 --ima-policy "$T_TMP/exec-only.policy" -- \
	mmap-exec "$T_TMP/nested.so" >"$T_TMP/nested.out" 2>&1
echo \$? >"$T_TMP/nested.status"
sh "$T_AWAIT" "$T_TMP/go-after"
mmap-exec "$T_TMP/after.so" >/dev/null
echo \$? >"$T_TMP/after.status"
SCRIPT
"$CANISTER" --socket "$T_SOCK" run --id 1371 --ima-policy "$T_TMP/maps.policy" -- sh "$T_TMP/outer.sh" &
started $!
wait_for_file "$T_TMP/outer.pid"
wait_until 60 "the own policy's mapping in 1371's list" listed "$T_TMP/own.so" 1

cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate failed"
touch "$T_TMP/go"
wait_for_file "$T_TMP/nested.status"
expect_eq "$(cat "$T_TMP/nested.status")" 0 "the nested container's run ($(cat "$T_TMP/nested.out"))"
wait_until 60 "the nested container's mapping in 1371's list" listed "$T_TMP/nested.so" 1
expect_eq "$(entries "$T_TMP/nested.so" "$LISTS/1372/ascii_runtime_measurements")" 0 \
	"the nested mapping in 1372's own list (its policy measures execs only)"

# A container under the default policy: counted, not reported, in no list.
unlisted=$(integrity_counter mmap_unlisted)
cn run --id 1373 -- mmap-exec "$T_TMP/default.so" >/dev/null || fail "the default container's mapping failed"
[ "$(integrity_counter mmap_unlisted)" -gt "$unlisted" ] ||
	fail "the default container's mappings are not counted as not reported"

# Restarted, canisterd tells its new hook 1371's stored policy before it attaches it.
stop_daemon
start_daemon
touch "$T_TMP/go-after"
wait_for_file "$T_TMP/after.status"
expect_eq "$(cat "$T_TMP/after.status")" 0 "the mapping after the restart"
wait_until 60 "the mapping after the restart in 1371's list" listed "$T_TMP/after.so" 1
expect_eq "$(entries "$T_TMP/default.so" "$LISTS/1373/ascii_runtime_measurements")" 0 \
	"the default container's mapping in its list"
exit 0
