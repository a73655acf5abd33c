# SPDX-License-Identifier: GPL-2.0-only
# Config file: bad ones are refused with file, line and reason; SIGHUP reloads or keeps old settings.
. "$(dirname "$0")/../lib/harness.sh"

bad="$T_TMP/bad.conf"
printf 'pin_path = %s\n# comment\nlog_level = loud\n' "$T_PIN" >"$bad"
out=$("$CANISTERD" -f -c "$bad" 2>&1) && fail "canisterd accepted a bad log_level"
expect_eq "$out" "canisterd: $bad:3: log_level: 'loud' must be one of error, warning, info, debug" \
	"bad value message"

printf 'pin_path = relative/path\n' >"$bad"
out=$("$CANISTERD" -f -c "$bad" 2>&1) && fail "canisterd accepted a relative pin_path"
expect_match "$out" "^canisterd: $bad:1: pin_path: 'relative/path' must be an absolute path\$" "relative path"

printf 'mode = lsm\nmode = trace\n' >"$bad"
out=$("$CANISTERD" -f -c "$bad" 2>&1) && fail "canisterd accepted a duplicate key"
expect_match "$out" "$bad:2: 'mode' is already set on line 1" "duplicate key"

printf 'colour = blue\n' >"$bad"
out=$("$CANISTERD" -f -c "$bad" 2>&1) && fail "canisterd accepted an unknown key"
expect_match "$out" "$bad:1: unknown key 'colour'" "unknown key"

# Whoever can write the config controls the daemon: a world-writable file is refused.
cp "$T_CONF" "$T_TMP/loose.conf"
chmod 0666 "$T_TMP/loose.conf"
out=$("$CANISTERD" -f -c "$T_TMP/loose.conf" 2>&1) && fail "canisterd accepted a world-writable config"
expect_match "$out" "refused: must be owned by uid 0 and not writable by group or others" "loose perms"
ln -s "$T_CONF" "$T_TMP/link.conf"
out=$("$CANISTERD" -f -c "$T_TMP/link.conf" 2>&1) && fail "canisterd followed a symlinked config"
out=$("$CANISTERD" -f -c "$T_TMP/missing.conf" 2>&1) && fail "canisterd accepted a missing explicit config"
expect_eq "$out" "canisterd: $T_TMP/missing.conf: no such file" "missing explicit config"

# mode = lsm on a kernel without BPF LSM: refused at start, with the kernel's reason.
cp "$T_CONF" "$T_TMP/lsm.conf"
echo 'mode = lsm' >>"$T_TMP/lsm.conf"
out=$("$CANISTERD" -f -c "$T_TMP/lsm.conf" 2>&1) && fail "canisterd started in lsm mode on this kernel"
expect_match "$out" "mode = lsm in the config, but the kernel refused to load an lsm program" "forced lsm"

start_daemon
expect_eq "$(cn status --json | jq -r .daemon.log_level)" debug "initial log_level"

# A good reload applies at once.
sed -i 's/^log_level = debug$/log_level = warning/' "$T_CONF"
echo "nest_limit = 7" >>"$T_CONF"
kill -HUP "$T_DAEMON_PID"
level_is_warning() { [ "$(cn status --json | jq -r .daemon.log_level)" = warning ]; }
wait_until "reload applies log_level" level_is_warning
expect_eq "$(cn status --json | jq -r .daemon.nest_limit)" 7 "nest_limit applied by the reload"
no_pending=$(cn status --json | jq -r '.warnings[]' | grep -c 'effective at restart')
expect_eq "$no_pending" 0 "nest_limit needs no restart"

# A bad reload changes nothing and the daemon stays up.
sed -i 's/^log_level = warning$/log_level = shouting/' "$T_CONF"
kill -HUP "$T_DAEMON_PID"
# The refusal in the log says the reload was handled; only then is the old level telling.
wait_for_line "$T_LOG" "reload refused, previous settings kept: $T_CONF:[0-9]+: log_level: 'shouting'" \
	"bad reload logged with file and line"
kill -0 "$T_DAEMON_PID" || fail "canisterd died on a bad reload"
expect_eq "$(cn status --json | jq -r .daemon.log_level)" warning "log_level after a bad reload"

# A key that needs a restart is reported, not half-applied.
sed -i 's/^log_level = shouting$/log_level = warning/' "$T_CONF"
sed -i "s|^pin_path = .*|pin_path = $T_PIN-other|" "$T_CONF"
kill -HUP "$T_DAEMON_PID"
pin_path_pending() { cn status --json | jq -r '.warnings[]' | grep -q 'effective at restart: pin_path'; }
wait_until "pin_path change reported" pin_path_pending
expect_eq "$(cn status --json | jq -r .daemon.pin_path)" "$T_PIN" "pin path in use after reload"
sed -i "s|^pin_path = .*|pin_path = $T_PIN|" "$T_CONF"
stop_daemon
