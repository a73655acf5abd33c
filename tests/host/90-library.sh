# SPDX-License-Identifier: GPL-2.0-only
# libcanister as an orchestrator uses it: installed with its pkg-config file, built against
# the shared library with plain `pkg-config --libs`, run; it exports the public API alone.
. "$(dirname "$0")/../lib/harness.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
make -C "$root" --no-print-directory -s install DESTDIR="$T_TMP/dest" PREFIX=/usr/local >"$T_TMP/install.log" 2>&1 ||
	fail "make install: $(cat "$T_TMP/install.log")"
# What else make install writes for this prefix: the hooks.d file names the installed hook, and
# the man pages carry the version.
hooks="$T_TMP/dest/usr/local/share/containers/oci/hooks.d/canister-hook.json"
expect_eq "$(jq -r .hook.path "$hooks")" /usr/local/bin/canister-oci-hook "the hooks.d file's hook.path"
[ -x "$T_TMP/dest$(jq -r .hook.path "$hooks")" ] || fail "the hooks.d file names no installed hook"
for page in man8/canister.8 man8/canisterd.8 man8/canister-oci-hook.8 man5/canister.conf.5; do
	out=$(MANWIDTH=80 man -l "$T_TMP/dest/usr/local/share/man/$page" 2>&1) || fail "man -l $page: $out"
	expect_match "$out" "canister $(cat "$root/VERSION")" "the version in $page"
done

lib="$T_TMP/dest/usr/local/lib"
version=$(cat "$root/VERSION")
expect_eq "$(readlink "$lib/libcanister.so")" libcanister.so.0 "the link the linker takes"
expect_eq "$(readlink "$lib/libcanister.so.0")" "libcanister.so.$version" "the soname's link"
expect_match "$(readelf -d "$lib/libcanister.so.$version")" "Library soname: \[libcanister.so.0\]" "the soname"
# Every function canister.h declares, and nothing else (the helpers stay local).
declared=$(grep -ohE '\bcanister_[a-z_]+\(' "$root"/include/canister/canister.h | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$lib/libcanister.so.$version" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u)
expect_eq "$exported" "$declared" "the exported symbols"

export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$T_TMP/dest"
expect_eq "$(pkg-config --modversion canister)" "$version" "pkg-config --modversion"
flags=$(pkg-config --cflags --libs canister) || fail "pkg-config does not know canister"
# shellcheck disable=SC2086 # the flags are words
cc -Wall -Werror -o "$T_TMP/orchestrator" "$root/examples/orchestrator.c" $flags ||
	fail "the example does not build against the installed library"
export LD_LIBRARY_PATH="$lib"
expect_match "$(ldd "$T_TMP/orchestrator")" "libcanister.so.0 => $lib/libcanister.so.0 " "the example runs on the installed library"

start_daemon
out=$(CANISTER_SOCKET="$T_SOCK" "$T_TMP/orchestrator" web-9 sh -c "\"$CANISTER\" --socket \"$T_SOCK\" get \$\$" 2>"$T_TMP/err") ||
	fail "orchestrator: $(cat "$T_TMP/err")"
expect_match "$out" "^[0-9]+ web-9\$" "the child is in a named container"
contid=${out% web-9}
expect_match "$(cat "$T_TMP/err")" "^orchestrator: web-9 is container $contid\$" "the orchestrator's message"
expect_record "op=set opid=[0-9]+ contid=$contid old-contid=-1 name=\"web-9\" .*res=1\$" "set record"

# A refusal reaches the orchestrator with canisterd's reason, and CMD never runs.
out=$(CANISTER_SOCKET="$T_SOCK" "$T_TMP/orchestrator" 'bad name' touch "$T_TMP/ran" 2>&1) &&
	fail "a bad name was accepted"
expect_match "$out" "character 4 of the container name" "bad name"
[ ! -e "$T_TMP/ran" ] || fail "CMD ran although registration was refused"
stop_daemon
