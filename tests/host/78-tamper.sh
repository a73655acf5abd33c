# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode names (and records) each labelled process that could really change labels, and no other.
. "$(dirname "$0")/../lib/harness.sh"

why() { scan_why "$@"; }
named() { scan_named "$@"; }
has_record() { [ -n "$(tamper_record "$1")" ]; }
recorded_as() { [ "$(tamper_record "$1")" = "$2" ]; }
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }

start_daemon
chmod 0711 "$T_TMP"
mkdir -m 1777 "$T_TMP/pub"

# 3. Every capability, but only in its own user namespace, as an ordinary uid
# outside: it reaches neither BPF nor the pins.  Before: warned (CapEff is full).
# It is registered only once it is in that state (`canister run` would label
# it while it is still root), then it execs, which makes the scanner look.
mkfifo -m 0666 "$T_TMP/pub/go"
setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -U -r \
	sh -c "echo \$\$ >$T_TMP/pub/userns.pid; read -r go <$T_TMP/pub/go; exec sleep 120" &
userns=$!
started "$userns"
wait_for_file "$T_TMP/pub/userns.pid"
expect_eq "$(cat "$T_TMP/pub/userns.pid")" "$userns" "pid of the user-namespace process"
[ $((0x$(field "$userns" CapEff) & (1 << 21))) -ne 0 ] || fail "no CAP_SYS_ADMIN in its own namespace: $(field "$userns" CapEff)"
cn set "$userns" 24 >/dev/null || fail "registering pid $userns"
echo go >"$T_TMP/pub/go"

# 1. Effective cleared, permitted kept (setresuid with keepcaps).  Before: not warned.
cn run --id 21 -- "$CANISTER_TOOLS/keep-permitted" 65534 "$T_TMP/keep.pid" >/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/keep.pid"
keep=$(cat "$T_TMP/keep.pid")
started "$keep"
expect_eq "$(field "$keep" CapEff)" 0000000000000000 "effective set cleared"
[ $((0x$(field "$keep" CapPrm) & (1 << 21))) -ne 0 ] || fail "CAP_SYS_ADMIN not kept permitted: $(field "$keep" CapPrm)"

# 2. uid 0 holding no capability at all (nor a bounding set to regain one by
# exec), which owns the pins.  Before: not warned.
cn run --id 23 -- setpriv --bounding-set=-all --inh-caps=-all -- \
	sh -c "echo \$\$ >$T_TMP/root.pid; exec sleep 120" >/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/root.pid"
root=$(cat "$T_TMP/root.pid")
started "$root"
expect_eq "$(field "$root" CapPrm)" 0000000000000000 "no capability permitted"
# The threat is real on this kernel: such a process opens the labels pin.
got=$(cn run --id 25 -- setpriv --bounding-set=-all --inh-caps=-all -- "$CANISTER_TOOLS/bpf-obj-get" "$T_PIN/labels")
expect_eq "$got" ok "capability-less root opening the labels pin"

# Named in the status with the reason, and recorded without anyone asking.
wait_until "pid $keep named" named "$keep"
expect_match "$(why "$keep")" '^CAP_SYS_ADMIN,CAP_BPF,.*CAP_SYS_RAWIO permitted, not effective; pins writable$' "why of pid $keep"
wait_until "pid $root named" named "$root"
expect_eq "$(why "$root")" "uid 0; pins writable" "why of pid $root"
expect_match "$(cn status --json | jq -r '.warnings[]')" "could tamper with labels" "warning"

# The record comes from the scanner's own rounds (it looks again after each
# exec): a daemon nobody asks writes it as well.
wait_until "record of pid $keep" has_record "$keep"
expect_match "$(tamper_record "$keep")" 'permitted, not effective' "record of pid $keep"
wait_until "record of pid $root as it is now" recorded_as "$root" "uid 0; pins writable"
expect_record "op=tamper opid=$keep contid=21 old-contid=-1 reason=[0-9A-F]+ res=1" "record names the container"

# The scans that named 1 and 2 began after 3 was running: 3 was judged, not missed.
[ -z "$(why "$userns")" ] || fail "pid $userns (capabilities only in its user namespace) named: $(why "$userns")"
! has_record "$userns" || fail "pid $userns recorded: $(tamper_record "$userns")"
# Once per change of reasons, not once per scan.
for pid in $keep $root; do
	[ -z "$(tamper_records "$pid" | uniq -d)" ] || fail "pid $pid recorded twice alike: $(tamper_records "$pid")"
done

kill_started
stop_daemon
