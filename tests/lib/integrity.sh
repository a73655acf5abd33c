# SPDX-License-Identifier: GPL-2.0-only
# canister: what the integrity cases share (sourced after harness.sh).
#
# integrity_setup POLICY [DEADLINE_MS]: canisterd's config with integrity on, POLICY (its text)
# as the default policy and the gate's deadline (10000 ms by default); $FS a tmpfs of its own
# for the files containers run, $LISTS integrity_dir.
# The case's trap unmounts $FS (integrity_cleanup).  Uses integrity_config, below.
integrity_setup()
{
	command -v evmctl >/dev/null || fail "evmctl is missing: install the Debian package ima-evm-utils"
	FS=$T_TMP/fs
	mkdir -p "$FS"
	mount -t tmpfs none "$FS" || fail "cannot mount a tmpfs"
	integrity_config "$1" "${2:-10000}"
}

# execed PID WORD: process PID runs a command line with WORD: it has executed its program (a
# process registered before its exec would have that exec measured, and a policy or TPM choice
# made for it afterwards refused as made after the first exec).
execed() { tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"; }

# mounted_at DIR: true while a filesystem is mounted on DIR (mountpoint(1) is not in the VM).
mounted_at()
{
	awk -v dir="$1" '$5 == dir { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# integrity_cleanup MOUNT...: a case's EXIT trap (trap 'integrity_cleanup "$FS"' EXIT):
# stops canisterd, then unmounts each MOUNT and cleans up (t_cleanup) whether or not the stop
# succeeded: a stop that fails (fail exits, and an exit in a trap ends it) must not leave the
# case's filesystems mounted.  The case still fails when the stop did.
integrity_cleanup()
{
	ic_status=$?
	# A trap that runs a command first ('rn delete ...; integrity_cleanup') has replaced fail's
	# status by that command's: the case failed all the same.
	[ -z "${T_FAILED:-}" ] || ic_status=1
	kill_started
	stop_daemon_status
	ic_stop=$?
	# Mounts beneath a MOUNT go with it (umount -R; the VM's busybox umount has no -R, and
	# its cases mount nothing beneath).  A helper of the stopped canisterd, killed, may still
	# hold a mount point open for an instant (EBUSY): tried again while anything is mounted
	# there, for at most 10 s.
	for ic_mount in "$@"; do
		ic_tries=0
		while mounted_at "$ic_mount" && [ "$ic_tries" -lt 100 ]; do
			umount -R "$ic_mount" 2>/dev/null || umount "$ic_mount" 2>/dev/null ||
				sleep 0.1
			ic_tries=$((ic_tries + 1))
		done
	done
	t_cleanup
	if [ "$ic_stop" -ne 0 ]; then
		echo "$T_NAME: canisterd exited with status $ic_stop on SIGTERM" >&2
		ic_status=1
	fi
	exit "$ic_status"
}

# integrity_padded SIZE DIR...: $FS/DIR/true for each DIR, a copy of busybox (which runs the
# applet its file is named after) padded to SIZE (as truncate reads it; 0 leaves it as it is):
# sparse on a tmpfs, so seconds to hash and no memory.
integrity_padded()
{
	ip_size=$1
	shift
	for ip_dir; do
		mkdir "$FS/$ip_dir"
		cp /bin/busybox "$FS/$ip_dir/true"
		[ "$ip_size" = 0 ] || truncate -s "$ip_size" "$FS/$ip_dir/true"
	done
}

# integrity_config POLICY DEADLINE_MS: only the config (no evmctl, no $FS: the VM has neither).
integrity_config()
{
	LISTS=$T_TMP/integrity
	printf '%s' "$1" >"$T_TMP/policy"
	chmod 600 "$T_TMP/policy"
	cat >>"$T_CONF" <<CONF
integrity = on
integrity_policy = $T_TMP/policy
integrity_dir = $LISTS
integrity_deadline_ms = $2
CONF
}

# integrity_exec_start: canisterd started with a default policy measuring every exec
# (BPRM_CHECK, a 10 s deadline), the setting of the model cases whose gate judges execs; the
# integrity lists are cleaned up at exit.
integrity_exec_start()
{
	integrity_config 'measure func=BPRM_CHECK
' 10000
	trap 'integrity_cleanup' EXIT
	start_daemon
}

# backstop_config: the backstop cases' policy (lsm mode).  Root's files (busybox, the tools) are
# never appraised; the case's files belong to uid 1000.  TCG makes canisterd slow: a generous
# deadline.
backstop_config()
{
	integrity_config 'dont_appraise fowner=0
appraise func=BPRM_CHECK
appraise func=MMAP_CHECK mask=MAY_EXEC
measure func=BPRM_CHECK
' 60000
}

# integrity_counter NAME: integrity's counter NAME in `canister status --json` (grep and cut:
# the VM has no jq).
integrity_counter()
{
	cn status --json | grep -o "\"$1\":[0-9]*" | cut -d: -f2
}

# integrity_listed LIST FILE [N]: LIST (an ascii list) exists and names FILE at least N times
# (default 1); entries of a mapping are recorded after it, so cases wait for them with this.
integrity_listed()
{
	[ -e "$1" ] && [ "$(awk -v f="$2" '$5 == f' "$1" | wc -l)" -ge "${3:-1}" ]
}

# integrity_verify DIR WHAT: stock evmctl replays DIR's binary list into each bank's PCR 10
# alone, then both (docs/integrity.md: 1.4 given both reports the last bank only).
integrity_verify()
{
	for iv_pcrs in "--pcrs sha1,$1/pcrs-sha1" "--pcrs sha256,$1/pcrs-sha256" \
		"--pcrs sha1,$1/pcrs-sha1 --pcrs sha256,$1/pcrs-sha256"; do
		# shellcheck disable=SC2086 # the options split on purpose
		evmctl ima_measurement --ignore-violations $iv_pcrs "$1/binary_runtime_measurements" \
			>"$T_TMP/evmctl.out" 2>&1 ||
			fail "$2: evmctl refused the list with $iv_pcrs: $(cat "$T_TMP/evmctl.out")"
		grep -q 'Matched per TPM bank calculated digest(s)' "$T_TMP/evmctl.out" ||
			fail "$2: evmctl did not match $iv_pcrs: $(cat "$T_TMP/evmctl.out")"
	done
}

# integrity_quote CONTID WHAT: container CONTID's swtpm quotes PCR 10 over a fresh nonce into
# $T_TMP/quote-CONTID (its output in $IQ_OUT); stock tpm2_checkquote must accept the quote, its
# PCR 10 of each bank must equal the replay of the container's list (the pcrs files evmctl
# checks against it), and both canisterd's count of extends and the TPM's PCR update counter
# (libtpms adds one per bank an extend changes: two per entry) must follow the list's entries.
integrity_quote()
{
	IQ_DIR=$T_TMP/quote-$1
	IQ_OUT=$IQ_DIR.out
	iq_nonce=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
	rm -rf "$IQ_DIR"
	cn integrity quote "$1" --nonce "$iq_nonce" --out "$IQ_DIR" >"$IQ_OUT" 2>&1 ||
		fail "$2: integrity quote $1 failed: $(cat "$IQ_OUT")"
	tpm2_checkquote -u "$IQ_DIR/ak.pem" -m "$IQ_DIR/quote.msg" -s "$IQ_DIR/quote.sig" \
		-f "$IQ_DIR/pcrs.out" -g sha256 -q "$iq_nonce" >"$IQ_DIR.check" 2>&1 ||
		fail "$2: tpm2_checkquote refused container $1's quote: $(cat "$IQ_DIR.check")"
	integrity_verify "$LISTS/$1" "$2: container $1's list"
	iq_entries=$(wc -l <"$LISTS/$1/ascii_runtime_measurements")
	for iq_bank in sha1 sha256; do
		expect_eq "$(awk -v k="pcr10_$iq_bank:" '$1 == k { print $2 }' "$IQ_OUT")" \
			"$(awk '$1 == "PCR-10:" { print $2 }' "$LISTS/$1/pcrs-$iq_bank")" \
			"$2: container $1's TPM PCR 10 ($iq_bank) against its list's replay"
	done
	grep -qi "10: 0x$(awk '$1 == "PCR-10:" { print $2 }' "$LISTS/$1/pcrs-sha256")" "$IQ_DIR.check" ||
		fail "$2: tpm2_checkquote did not show container $1's PCR 10: $(cat "$IQ_DIR.check")"
	expect_eq "$(awk '$1 == "extends:" { print $2 }' "$IQ_OUT")" "$iq_entries" \
		"$2: container $1's extends against its list's entries"
	iq_counter=$(awk '$1 == "pcr_update_counter:" { print $2 }' "$IQ_OUT")
	iq_at_start=$(awk '$1 == "pcr_update_counter:" { print $3 }' "$IQ_OUT" | tr -d '(')
	expect_eq "$((iq_counter - iq_at_start))" "$((2 * iq_entries))" \
		"$2: container $1's TPM PCR update counter"
}

# swtpm_of CONTID: the pid of the swtpm serving container CONTID's state directory, if any.
swtpm_of() { pgrep -f "swtpm socket --tpm2 --tpmstate dir=$LISTS/$1/tpm" || true; }
no_swtpm() { [ -z "$(swtpm_of "$1")" ]; }
# has_swtpm CONTID: a swtpm serves container CONTID.  Call it from the case's own shell: a
# `sh -c "pgrep -f PATTERN"` matches that sh, whose command line holds PATTERN, and never waits.
has_swtpm() { [ -n "$(swtpm_of "$1")" ]; }

# appraise_keys: $K, a directory of two ima_cert certificates: a (RSA 2048) and b (EC P-256).
appraise_keys()
{
	K=$T_TMP/keys
	mkdir -p "$K"
	ima_cert "$K" a rsa:2048
	ima_cert "$K" b ec -pkeyopt ec_paramgen_curve:P-256
}

# ima_sign FILE KEY: evmctl's signature v2 (sha256) in FILE's security.ima, made with KEY.key
# (ima_cert's DIR/NAME).
ima_sign()
{
	evmctl ima_sign --key "$2.key" -a sha256 "$1" >"$T_TMP/evmctl.out" 2>&1 ||
		fail "evmctl ima_sign $1: $(cat "$T_TMP/evmctl.out")"
}

# appraise_holder CONTID CERT MODE: a registered shell keeps CONTID live until the case writes
# the fifo $T_TMP/end (which it makes); CERT is added as the container's key, MODE set.
appraise_holder()
{
	sh -c "read x <'$T_TMP/end'" &
	started $!
	cn set $! "$1" >/dev/null || fail "cannot register container $1"
	cn integrity key add "$1" "$2" >/dev/null || fail "key $2 for container $1"
	cn integrity appraise "$1" "$3" >/dev/null || fail "mode $3 for container $1"
}

# appraise_nested OUTER CERT COMMANDS: container OUTER (CERT its key, in enforce) runs an
# orchestrator shell, delegated, that runs COMMANDS (shell text; cn is defined there) once
# told to; the case then waits for what COMMANDS write.
appraise_nested()
{
	{
		printf 'cn() { "%s" --socket "%s" "$@"; }\n' "$CANISTER" "$T_SOCK"
		printf 'echo $$ >"%s"\nread x <"%s"\n' "$T_TMP/outer.pid" "$T_TMP/go"
		printf '%s\n' "$3"
	} >"$T_TMP/outer.sh"
	mkfifo "$T_TMP/go"
	cn run --id "$1" -- sh "$T_TMP/outer.sh" &
	started $!
	wait_for_file "$T_TMP/outer.pid"
	cn integrity key add "$1" "$2" >/dev/null || fail "key $2 for container $1"
	cn integrity appraise "$1" enforce >/dev/null || fail "mode enforce for container $1"
	cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate failed"
	echo go >"$T_TMP/go"
}

# ima_cert DIR NAME KEYSPEC [openssl req options]: a self-signed certificate for appraisal,
# DIR/NAME.key, DIR/NAME.pem and DIR/NAME.der, subject "CN=canister $T_NAME NAME".
ima_cert()
{
	ic_dir=$1 ic_name=$2 ic_spec=$3
	shift 3
	openssl req -x509 -newkey "$ic_spec" -nodes -keyout "$ic_dir/$ic_name.key" \
		-out "$ic_dir/$ic_name.pem" -days 2 -subj "/CN=canister ${T_NAME%%-*} $ic_name" "$@" \
		2>"$T_TMP/openssl.err" || fail "openssl req $ic_name: $(cat "$T_TMP/openssl.err")"
	openssl x509 -in "$ic_dir/$ic_name.pem" -outform DER -out "$ic_dir/$ic_name.der" ||
		fail "DER of $ic_name"
}

# ima_keyid PEM: the key id IMA computes (the last 4 bytes of the subject key identifier, as
# openssl prints it), lower-case hex.
ima_keyid()
{
	openssl x509 -in "$1" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :\n' |
		tr 'A-F' 'a-f' | tail -c 8
}

# appraise_case_setup: integrity_setup with the appraisal cases' default policy: execs
# measured, and appraised (signatures required) for files owned by OWNER (4242) only, since the
# shells and tools a case runs in its containers are not signed.
appraise_case_setup()
{
	command -v openssl >/dev/null || fail "openssl is missing"
	OWNER=4242
	integrity_setup "measure func=BPRM_CHECK
appraise func=BPRM_CHECK fowner=$OWNER appraise_type=imasig
"
}

# The appraisal cases' programs and execs: programs under $FS owned by $OWNER.
# appraise_program NAME: $FS/NAME, a program of its own content (true, then its name), owned
# by $OWNER.
appraise_program()
{
	cp /bin/true "$FS/$1"
	printf '%s\n' "$1" >>"$FS/$1"
	chown "$OWNER" "$FS/$1"
}
# appraise_runs CONTID NAME: the container runs $FS/NAME; appraise_denied CONTID NAME: its exec
# fails as a user sees it (canister run's message, EPERM, and the exit status of a command
# that cannot run).
appraise_runs()
{
	ar_out=$(cn run --id "$1" -- "$FS/$2" 2>&1) || fail "container $1 could not run $2: $ar_out"
}
appraise_denied()
{
	ad_status=0
	ad_out=$(cn run --id "$1" -- "$FS/$2" 2>&1) || ad_status=$?
	expect_eq "$ad_out" "canister: cannot run $FS/$2: Operation not permitted" \
		"container $1's exec of $2"
	expect_eq "$ad_status" 126 "the exit status of container $1's denied exec of $2"
}

# worker_start CONTID [MODE [WRAP]]: a process of container CONTID (appraisal MODE, if not
# empty), started by `canister run` (through the command WRAP, if given: `unshare -m ...`), that
# outlives canisterd: it runs each step it is given (worker_step) and says what happened.  Both
# it and canister are stopped by the case's trap (kill_started).
worker_start()
{
	mkdir "$T_TMP/steps"
	cat >"$T_TMP/worker.sh" <<WORKER
echo \$\$ >'$T_TMP/worker.pid'
n=1
# Its own wait, not \$T_AWAIT's: a child left waiting would outlive the killed worker.
deadline=\$((\$(date +%s) + 600))
while [ "\$(date +%s)" -lt "\$deadline" ]; do
	if [ ! -e '$T_TMP/steps/go-'\$n ]; then
		sleep 0.05
		continue
	fi
	. '$T_TMP/steps/go-'\$n >'$T_TMP/steps/out-'\$n.tmp 2>&1
	mv '$T_TMP/steps/out-'\$n.tmp '$T_TMP/steps/out-'\$n
	n=\$((n + 1))
done
WORKER
	# canister itself in the background (not the cn function's subshell), to be stopped.
	# shellcheck disable=SC2086 # WRAP is words
	"$CANISTER" --socket "$T_SOCK" run --id "$1" ${2:+--appraise "$2"} -- ${3:-} sh "$T_TMP/worker.sh" &
	started $!
	wait_for_file "$T_TMP/worker.pid"
	started "$(cat "$T_TMP/worker.pid")"
}

# worker_step N COMMANDS: the worker's Nth step (numbered by the caller: $(worker_step) runs
# in a subshell) runs COMMANDS with sh; prints their output and errors.
worker_step()
{
	printf '%s\n' "$2" >"$T_TMP/steps/go-$1.tmp"
	mv "$T_TMP/steps/go-$1.tmp" "$T_TMP/steps/go-$1"
	wait_for_file "$T_TMP/steps/out-$1" 120
	cat "$T_TMP/steps/out-$1"
}

# marks_stall CONTID PREP: container CONTID's mount namespace runs PREP (shell commands) and mounts
# a tmpfs at $STALL/sub, then a copy of it where FUSE that never answers (tools/fuse-hang) covers
# $STALL: the unshare before fuse-hang is recorded, so canisterd watches the copy's table and marks
# it again when FUSE comes, and that pass's helper sleeps for good in its walk to $STALL/sub.
# Waits until the pass reports the tmpfs as not watched and the killed helper is canisterd's child
# in an uninterruptible wait; sets hang (fuse-hang's pid, started) and helper (the helper's pid).
marks_stall()
{
	mkdir -p "$STALL/sub"
	cn run --id "$1" -- unshare -m --propagation private sh -c \
		"$2 mount -t tmpfs none '$STALL/sub' && exec unshare -m --propagation private '$CANISTER_TOOLS/fuse-hang' '$STALL' '$T_TMP/hang.pid'" \
		>"$T_TMP/hang.out" 2>&1 &
	started $!
	wait_for_file "$T_TMP/hang.pid"
	hang=$(cat "$T_TMP/hang.pid")
	started "$hang"
	wait_for_line "$T_LOG" "integrity: container $1's mount namespace [0-9]+: cannot watch $STALL/sub \\(tmpfs\\): Connection timed out \\(the walk to it did not return" \
		"the tmpfs behind the FUSE mount reported as not watched at the helper's deadline" 30
	wait_until 10 "the killed marking helper in an uninterruptible wait" marks_stuck_helper
	helper=$(marks_stuck_helper)
}
marks_stuck_helper() { ps -o pid=,stat= --ppid "$T_DAEMON_PID" | awk '$2 ~ /^D/ { print $1; found = 1; exit } END { exit !found }'; }

# gate_marks PATH: the gate's fanotify group has a filesystem mark on the filesystem PATH is on
# (its fdinfo's "sdev:", the kernel's s_dev: major << 20 | minor).  A mount is marked by a pass
# after it is made (docs/integrity.md, "Known gaps"): a case that maps or reads a file there and
# needs the gate's CELL of it waits for this first.
gate_marks()
{
	gm_dev=$(printf '%x' $(($(stat -c '%Hd' "$1") << 20 | $(stat -c '%Ld' "$1"))))
	for gm_fd in /proc/"$T_DAEMON_PID"/fd/*; do
		[ "$(readlink "$gm_fd")" = "anon_inode:[fanotify]" ] || continue
		grep -q "^fanotify sdev:$gm_dev " "/proc/$T_DAEMON_PID/fdinfo/${gm_fd##*/}" && return 0
	done
	return 1
}
