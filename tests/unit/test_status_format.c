// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: `canister status` text from canisterd's status, and durations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/enforcement.h"
#include "lib/status_format.h"
#include "lib/status_json.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A status as canisterd fills it on a host without BPF LSM. */
static void realistic_status(struct canister_status *status)
{
	memset(status, 0, sizeof(*status));
	status->integrity = (struct canister_integrity_status){
		.on = true,
		.deadline_ms = 5000,
		.events = 120,
		.own = 7,
		.host = 100,
		.fast = 3,
		.judged = 13,
		.late = 1,
		.marks = 4,
		.opens = 30,
		.violations = 1,
		.violation_checks = "open_writers: seen; ToMToU: unavailable",
		.entries = 9,
		.hashed = 8,
		.cache_hits = 5,
		.containers = 2,
		.appraise_enforce = 1,
		.appraise_default = "log",
		.records_lost = 2,
		.records_suppressed = 9,
		.appraise_off = 1,
		.appraise_host_keys = 1,
		.host_keys = 3,
		.appraised = 12,
		.appraise_denied = 4,
		.appraise_logged = 2,
		.appraise_verified = 7,
		.appraise_cache_hits = 6,
		.appraise_unreadable = 1,
		.appraise_opens = 5,
		.appraise_writers = 3,
		.fsuuid = true,
		.fsuuid_detail = "FS_IOC_GETFSUUID",
		.mmap_detail = "trace mode: fanotify sees no mappings, BPF LSM does",
		.backstop_detail = "trace mode: this kernel runs no BPF LSM programs",
		.coverage_detail = "withdrawn: container 5 shares canisterd's mount namespace",
		.reader_detail = "nice -2, canisterd's 0: the opener it answers seldom preempts it",
		.exempt_removed = 7,
		.exempt_withdrawn = 1,
		.lists = { { .contid = 700, .entries = 6 },
			   { .contid = 701, .entries = 3, .own_policy = true } },
		.list_count = 2,
	};
	status->access = (struct canister_access_status){
		.on = true,
		.containers = 3,
		.enforce = 2,
		.complain = 1,
		.landlock_abi = 7,
		.default_policy = "/etc/canister/default.policy",
		.default_mode = CANISTER_ACCESS_COMPLAIN,
		.denied = 5,
		.complained = 9,
		.written = 8,
		.repeated = 4,
		.suppressed = 1,
		.lost = 1,
	};
	status->core.mode = CANISTER_MODE_TRACE;
	strcpy(status->core.mode_reason,
	       "BPF LSM unavailable: bpf not in /sys/kernel/security/lsm");
	status->core.daemon = (struct canister_daemon_status){
		.pid = 812,
		.version = "0.1.0",
		.started = 1714557600, /* 2024-05-01T10:00:00Z */
		.uptime_seconds = 273906,
		.config = "/etc/canister/canister.conf",
		.config_present = false,
		.pin_path = "/sys/fs/bpf/canister",
		.control_socket = "/run/canister/control.sock",
		.log = "/var/log/canister/canisterd.log",
		.log_level = CANISTER_LOG_INFO,
		.nest_limit = 4,
		.kernel_audit = CANISTER_KERNEL_AUDIT_AUTO,
	};
	status->audit.kernel = (struct canister_kernel_audit_status){
		.source = CANISTER_AUDIT_SOURCE_AUDITD,
		.source_reason = "kernel_audit = auto: audit daemon pid 611 (auditd) holds the "
				 "stream; its plugin canister-audisp feeds canisterd",
		.auditd_pid = 611,
		.plugin_connected = true,
	};
	status->core.feature_count = 3;
	status->core.features[0] =
		(struct canister_feature_status){ "bpf_lsm", false,
						  "bpf not in /sys/kernel/security/lsm" };
	status->core.features[1] =
		(struct canister_feature_status){ "tp_btf", true, "sched_process_fork attached" };
	status->core.features[2] =
		(struct canister_feature_status){ "bpffs", true, "mounted at /sys/fs/bpf" };
	strcpy(status->core.protection, "trace mode: labels are observed, not defended");
	status->core.records_written = 7;
	status->identity = (struct canister_identity_status){
		.events = 9007199254740993ULL,
		.events_received = 12,
		.lost = 3,
		.inherited = 40,
		.cleared = 38,
		.labelled_processes = 2,
		.containers = 1,
		.privileged = { .done = true,
				.age_ms = 2500,
				.duration_ms = 3,
				.scanned = 2,
				.privileged = 1,
				.shown = { { 4242, 6 } },
				.shown_count = 1 },
	};
	status->warnings.count = 2;
	strcpy(status->warnings.text[0], "3 event records were lost (ring buffer full)");
	strcpy(status->warnings.text[1], "changed in the config, effective at restart: pin_path");
}

static const char realistic_text[] =
	"mode: trace\n"
	"  why: BPF LSM unavailable: bpf not in /sys/kernel/security/lsm\n"
	"daemon: pid 812, up 3d 04h 05m 06s (since 2024-05-01T10:00:00Z)\n"
	"  config: /etc/canister/canister.conf (absent: defaults)\n"
	"  pin path: /sys/fs/bpf/canister\n"
	"  control socket: /run/canister/control.sock\n"
	"  log: /var/log/canister/canisterd.log\n"
	"features:\n"
	"  bpf_lsm        unavailable  bpf not in /sys/kernel/security/lsm\n"
	"  tp_btf         available    sched_process_fork attached\n"
	"  bpffs          available    mounted at /sys/fs/bpf\n"
	"protection: trace mode: labels are observed, not defended\n"
	"kernel_audit: auto → via auditd plugin (auditd pid 611)\n"
	"  why: kernel_audit = auto: audit daemon pid 611 (auditd) holds the stream; its plugin "
	"canister-audisp feeds canisterd\n"
	"integrity: on, fail open, deadline 5000 ms\n"
	"  gate: 120 events, 7 own, 100 host, 3 answered at once, 13 judged, 0 denied, 0 busy, 1 "
	"late, 0 stuck, 4 marks\n"
	"  coverage: every open judged (withdrawn: container 5 shares canisterd's mount "
	"namespace); 7 "
	"ignore marks removed by 1 withdrawals\n"
	"  reader: nice -2, canisterd's 0: the opener it answers seldom preempts it\n"
	"  file_check: off, 30 open events\n"
	"  violations: 1 (open_writers: seen; ToMToU: unavailable)\n"
	"  lists: 2 containers, 9 entries, 8 files hashed, 5 cache hits, 0 listed already, 0 "
	"errors\n"
	"  appraisal: 1 enforce, 0 log, 1 off of their own, every other container log "
	"(integrity_appraise); 1 counting the host's 3 keys; 0 with keys refused\n"
	"  appraised: 7 execs, 5 opens, 4 denied, 2 failed in log mode; 7 verified, 6 cache "
	"hits, 1 unreadable, 3 open for writing elsewhere\n"
	"  fsuuid: available (FS_IOC_GETFSUUID)\n"
	"  mmap: unavailable (trace mode: fanotify sees no mappings, BPF LSM does)\n"
	"  backstop: unavailable (trace mode: this kernel runs no BPF LSM programs)\n"
	"  records: 2 lost, 9 refusals and violations over a container's rate not written\n"
	"  container 700: 6 entries, the default policy\n"
	"  container 701: 3 entries, its own policy\n"
	"access: 3 containers hold a policy (2 enforce, 1 complain); Landlock ABI 7\n"
	"  refusals: 5 denied, 9 complained; records: 8 written, 4 repeated, 1 suppressed, 1 "
	"lost\n"
	"  default policy: /etc/canister/default.policy, mode complain (containers that bring "
	"none)\n"
	"model: off (it needs the file gate: integrity = on)\n"
	"counters:\n"
	"  events             9007199254740993\n"
	"  events_received    12\n"
	"  lost               3\n"
	"  inherited          40\n"
	"  cleared            38\n"
	"  inherit_failed     0\n"
	"  guard_denied       0\n"
	"  joined             0\n"
	"  labelled_processes 2\n"
	"  containers         1\n"
	"  containers_dropped 0\n"
	"  fork_refused       0\n"
	"  labels_used        0\n"
	"  labels_capacity    0\n"
	"  records_written    7\n"
	"  records_failed     0\n"
	"  control_connections 0\n"
	"  control_host_connections 0\n"
	"  control_accepted   0\n"
	"  control_refused_connections 0\n"
	"  control_unidentified 0\n"
	"  control_idle_closed 0\n"
	"  control_throttled  0\n"
	"  control_refusals_recorded 0\n"
	"  control_refusals_folded 0\n"
	"  control_summaries  0\n"
	"privileged scan: 1 of 2 labelled processes could tamper with labels (2s ago, took 3 "
	"ms)\n"
	"warning: 3 event records were lost (ring buffer full)\n"
	"warning: changed in the config, effective at restart: pin_path\n";

/* Runs canister_status_print() into memory; returns the text (the caller frees it). */
static char *print_to_string(const struct canister_status *status)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out;

	out = open_memstream(&text, &size);
	assert_non_null(out);
	canister_status_print(status, out);
	assert_int_equal(fclose(out), 0);
	return text;
}

/*
 * The access section says, right by right, what enforces a policy: the file
 * gate decides execute, read and write in canisterd (in either mode), unless
 * it is not running, which is then said; create and remove have no fanotify
 * event; nothing else of canisterd decides yet.  A `canister run --policy`
 * workload is confined by what this kernel's Landlock has, and by the
 * bounding set.
 */
static void test_access_rights_per_kernel(void **state)
{
	struct canister_status *status = calloc(1, sizeof(*status));
	char *text;

	assert_non_null(status);
	realistic_status(status);
	status->access.enforce = 0;
	status->access.containers = status->access.complain = 1;
	status->access.refused = 2;
	status->access.landlock_abi = 7;
	status->access.default_policy[0] = '\0';
	access_enforcement(7, NULL, ACCESS_LSM_TRACE, status->access.rights,
			   &status->access.right_count);
	assert_true(canister_status_valid(status));
	text = print_to_string(status);
	assert_non_null(strstr(
		text,
		"access: 1 containers hold a policy (0 enforce, 1 complain); 2 stored policies "
		"refused at start; Landlock ABI 7\n"
		"  refusals: 5 denied, 9 complained; records: 8 written, 4 repeated, 1 "
		"suppressed, 1 lost\n"
		"  default policy: none (access_policy in canister.conf)\n"
		"  fs execute: canisterd: enforced: fanotify gate; canister run --policy: Landlock "
		"ABI 7\n"
		"  fs read: canisterd: enforced: fanotify gate; canister run --policy: Landlock "
		"ABI "
		"7\n"
		"  fs write: canisterd: enforced: fanotify gate; canister run --policy: Landlock "
		"ABI "
		"7\n"
		"  fs create: canisterd: not enforced, not recorded by canisterd (no fanotify "
		"event); canister run --policy: Landlock ABI 7\n"
		"  fs remove: canisterd: not enforced, not recorded by canisterd (no fanotify "
		"event); canister run --policy: Landlock ABI 7\n"
		"  net bind: canisterd: recorded only (trace mode: no BPF LSM; syscall "
		"tracepoints); canister run --policy: Landlock ABI 7\n"
		"  net connect: canisterd: recorded only (trace mode: no BPF LSM; syscall "
		"tracepoints); canister run --policy: Landlock ABI 7\n"
		"  scope signal: canisterd: not enforced, not recorded: held only; canister run "
		"--policy: Landlock ABI 7\n"
		"  scope ptrace: canisterd: not enforced, not recorded: held only; canister run "
		"--policy: Landlock ABI 7 (every domain scopes ptrace)\n"
		"  capability bound: canisterd: not enforced, not recorded (trace mode: no BPF "
		"LSM); canister run --policy: the capability bounding set, inherited, only "
		"shrinks\n"));
	free(text);

	/* Debian 12's 6.1: Landlock ABI 2 has no TCP rights, no signal scope, no truncate. */
	access_enforcement(2, NULL, ACCESS_LSM_TRACE, status->access.rights,
			   &status->access.right_count);
	status->access.landlock_abi = 2;
	text = print_to_string(status);
	assert_non_null(strstr(text, "  fs write: canisterd: enforced: fanotify gate; canister "
				     "run --policy: Landlock ABI 2 (truncate(2) is not)\n"));
	assert_non_null(strstr(text, "  net bind: canisterd: recorded only (trace mode: no BPF "
				     "LSM; syscall tracepoints); canister run "
				     "--policy: not enforced (Landlock ABI 2)\n"));
	assert_non_null(strstr(text,
			       "  scope signal: canisterd: not enforced, not recorded: held "
			       "only; canister run --policy: not enforced (Landlock ABI 2)\n"));
	free(text);

	/* No Landlock at all, and no file gate: said, with why, never implied. */
	access_enforcement(0, "the file gate is off (integrity = off in canister.conf)",
			   ACCESS_LSM_TRACE, status->access.rights, &status->access.right_count);
	status->access.landlock_abi = 0;
	text = print_to_string(status);
	assert_non_null(strstr(text, "refused at start; no Landlock\n"));
	assert_non_null(strstr(text, "  fs execute: canisterd: not enforced: the file gate is off "
				     "(integrity = off in canister.conf); canister run --policy: "
				     "not enforced (this kernel has no Landlock)\n"));
	assert_non_null(strstr(text, "  fs write: canisterd: not enforced: the file gate is off "));
	assert_non_null(strstr(text, "  fs create: canisterd: not enforced, not recorded by "
				     "canisterd (no fanotify event)"));
	/* The create/remove group's words follow the gate: off, it says why nothing is recorded. */
	access_fs_events_enforcement("the file gate is off (integrity = off in canister.conf)",
				     ACCESS_LSM_TRACE, status->access.rights,
				     status->access.right_count);
	free(text);
	text = print_to_string(status);
	assert_non_null(strstr(text, "  fs remove: canisterd: not enforced, not recorded: the file "
				     "gate is off (integrity = off in canister.conf); "));
	assert_null(strstr(text, "fanotify gate;"));
	assert_non_null(strstr(text, "  capability bound: canisterd: not enforced, not recorded "
				     "(trace mode: no BPF LSM); canister "
				     "run --policy: the capability bounding set"));
	free(text);

	/* lsm mode: BPF LSM decides the ports and the bound; the file gate the file rights.
	 */
	access_enforcement(2, NULL, ACCESS_LSM_ON, status->access.rights,
			   &status->access.right_count);
	status->access.landlock_abi = 2;
	text = print_to_string(status);
	assert_non_null(strstr(text,
			       "  net bind: canisterd: enforced: BPF LSM, in the kernel, canisterd "
			       "running or not; canister run --policy: not enforced (Landlock "
			       "ABI 2)\n"));
	assert_non_null(strstr(text, "  net connect: canisterd: enforced: BPF LSM, in the kernel"));
	assert_non_null(
		strstr(text, "  capability bound: canisterd: enforced: BPF LSM, in the kernel"));
	assert_non_null(strstr(text, "  fs execute: canisterd: enforced: fanotify gate;"));
	/* Create and remove: the path hooks, whatever the notification group does. */
	access_fs_events_enforcement("the file gate is off (integrity = off in canister.conf)",
				     ACCESS_LSM_ON, status->access.rights,
				     status->access.right_count);
	free(text);
	text = print_to_string(status);
	assert_non_null(strstr(text, "  fs create: canisterd: enforced: BPF LSM path hooks, rule "
				     "paths bound to inodes at load, canisterd running or not; "));
	assert_non_null(strstr(text, "  fs remove: canisterd: enforced: BPF LSM path hooks"));
	free(text);
	access_enforcement(2, NULL, ACCESS_LSM_FAILED, status->access.rights,
			   &status->access.right_count);
	text = print_to_string(status);
	assert_non_null(strstr(text, "  net bind: canisterd: not enforced: BPF LSM programs did "
				     "not load"));
	free(text);

	/* A count that does not add up is not a status canisterd could send. */
	status->access.enforce = 1;
	assert_false(canister_status_valid(status));
	free(status);
}

/* Counters above 2^53 print exactly: an operator compares them with bpftool's. */
static void test_realistic_status(void **state)
{
	struct canister_status *status = malloc(sizeof(*status));
	char *text;

	assert_non_null(status);
	realistic_status(status);
	text = print_to_string(status);
	assert_string_equal(text, realistic_text);
	free(text);
	free(status);
}

/*
 * No warnings means no warning lines, not an empty one; a present config
 * has no "(absent: defaults)"; a scan that has not finished says so rather
 * than show zeros that read as "none found".
 */
static void test_quiet_status(void **state)
{
	struct canister_status *status = malloc(sizeof(*status));
	char *text;

	assert_non_null(status);
	realistic_status(status);
	status->core.mode = CANISTER_MODE_LSM;
	status->core.daemon.config_present = true;
	status->core.daemon.uptime_seconds = 59;
	status->core.feature_count = 0;
	status->identity.privileged = (struct canister_privileged_scan){ .done = false };
	status->warnings.count = 0;
	text = print_to_string(status);
	assert_non_null(strstr(text, "mode: lsm\n"));
	assert_non_null(strstr(text, "daemon: pid 812, up 59s (since 2024-05-01T10:00:00Z)\n"));
	assert_non_null(strstr(text, "  config: /etc/canister/canister.conf\n"));
	assert_non_null(strstr(text, "features:\nprotection:"));
	assert_non_null(strstr(text, "privileged scan: not finished yet\n"));
	assert_null(strstr(text, "warning"));
	free(text);
	free(status);
}

/* kernel_audit's line says which way the events come, and why. */
static void test_kernel_audit_source(void **state)
{
	struct canister_status *status = malloc(sizeof(*status));
	char *text;

	assert_non_null(status);
	realistic_status(status);
	status->core.daemon.kernel_audit = CANISTER_KERNEL_AUDIT_OFF;
	status->audit.kernel.source = CANISTER_AUDIT_SOURCE_OFF;
	text = print_to_string(status);
	assert_non_null(strstr(text, "\nkernel_audit: off\nintegrity: on, fail open"));
	free(text);
	status->core.daemon.kernel_audit = CANISTER_KERNEL_AUDIT_ON;
	status->audit.kernel.source = CANISTER_AUDIT_SOURCE_OWN;
	strcpy(status->audit.kernel.source_reason, "kernel_audit = on: no audit daemon held it");
	text = print_to_string(status);
	assert_non_null(strstr(text,
			       "\nkernel_audit: on → own stream (canisterd is the audit "
			       "daemon)\n  why: kernel_audit = on: no audit daemon held it\n"));
	free(text);
	status->core.daemon.kernel_audit = CANISTER_KERNEL_AUDIT_AUTO;
	status->audit.kernel.source = CANISTER_AUDIT_SOURCE_AUDITD;
	status->audit.kernel.plugin_connected = false;
	text = print_to_string(status);
	assert_non_null(strstr(text, "\nkernel_audit: auto → via auditd plugin (auditd pid 611), "
				     "canister-audisp not connected\n"));
	free(text);
	free(status);
}

/* In lsm mode the mapping line counts what MMAP_CHECK saw and where its digests came from. */
static void test_integrity_mmap_and_fsuuid(void **state)
{
	struct canister_status *status = malloc(sizeof(*status));
	char *text;

	assert_non_null(status);
	realistic_status(status);
	status->integrity.fsuuid = false;
	strcpy(status->integrity.fsuuid_detail, "this kernel has no FS_IOC_GETFSUUID (Linux 6.8+)");
	status->integrity.mmap = true;
	strcpy(status->integrity.mmap_detail,
	       "lsm.s/mmap_file, digests from the kernel's IMA (bpf_ima_file_hash)");
	status->integrity.mmap_reported = 40;
	status->integrity.mmap_dropped = 1;
	status->integrity.mmap_kernel_digests = 7;
	status->integrity.mmap_rehashed = 2;
	status->integrity.mmap_unmeasured = 3;
	status->integrity.mmap_unlisted = 12;
	text = print_to_string(status);
	assert_non_null(strstr(text,
			       "\n  fsuuid: unavailable (this kernel has no FS_IOC_GETFSUUID "
			       "(Linux 6.8+))\n  mmap: 40 reported, 1 dropped, 9 measured (7 "
			       "digests from the kernel, 2 hashed by canisterd), 3 not measured "
			       "(lsm.s/mmap_file, digests from the kernel's IMA "
			       "(bpf_ima_file_hash)); 12 not reported (no policy of the mapper's "
			       "containers lists mappings)\n"));
	free(text);
	free(status);
}

/* In lsm mode the backstop's line counts its denials, what log mode let through, and verdicts. */
static void test_integrity_backstop(void **state)
{
	struct canister_status *status = malloc(sizeof(*status));
	char *text;

	(void)state;
	assert_non_null(status);
	realistic_status(status);
	status->integrity.backstop = true;
	strcpy(status->integrity.backstop_detail, "lsm/bprm_check_security");
	status->integrity.backstop_denied = 5;
	status->integrity.backstop_logged = 2;
	status->integrity.backstop_lost = 1;
	status->integrity.backstop_verdicts = 40;
	text = print_to_string(status);
	assert_non_null(strstr(text, "\n  backstop: on, 5 denied, 2 let in log mode (1 not "
				     "recorded), 40 verdicts given (lsm/bprm_check_security)\n"));
	free(text);
	free(status);
}

/* A model whose observers run says which events they see, which not (and why), and counts. */
static void test_model_observed(void **state)
{
	struct canister_status *status = malloc(sizeof(*status)), *back = malloc(sizeof(*back));
	struct canister_json_reader reader = { .err = (char[256]){ 0 }, .err_len = 256 };
	struct json_object *root = json_object_new_object();
	char *text;

	(void)state;
	assert_non_null(status);
	assert_non_null(back);
	realistic_status(status);
	status->model.on = true;
	strcpy(status->model.marking, "canisterd");
	status->model.observed = true;
	strcpy(status->model.observed_available, "task_kill socket_connect");
	strcpy(status->model.observed_unavailable,
	       "capable (unavailable: the kernel refuses tp_btf/cap_capable (Invalid argument))");
	status->model.observed_wanted = 2;
	status->model.observed_emitted = 50;
	status->model.observed_decoded = 49;
	status->model.observed_fed = 47;
	status->model.observed_unresolved = 2;
	status->model.observed_task_id_misses = 3;
	status->model.observed_ring_full = 1;
	status->model.observed_origins_full = 4;
	text = print_to_string(status);
	assert_non_null(strstr(text, "; events at the file gate (exec, open) and observed\n"));
	assert_non_null(
		strstr(text, "\n  observed: task_kill socket_connect; unavailable: capable "
			     "(unavailable: the kernel refuses tp_btf/cap_capable (Invalid "
			     "argument))\n  observer records: 2 containers wanted, 50 sent, 49 "
			     "read, 47 fed to a model, 2 dropped without a TASK_ID; drops: 0 over "
			     "budget, 1 ring full, 0 setid or mount not followed, 0 "
			     "malformed; 3 TASK_IDs not from an exec (read in /proc); 4 forks "
			     "without room for their origin\n"));
	/* Trace mode (nothing in denied_in_kernel): which events are denied, said anyway. */
	assert_non_null(strstr(text, "\n  observed events denied: none (recorded only: "
				     "forensics, the process untrusted)\n"));
	free(text);
	strcpy(status->model.denied_in_kernel, "socket_create socket_connect");
	status->model.kernel_enforced = 3;
	text = print_to_string(status);
	assert_non_null(strstr(text, "\n  observed events denied in the kernel when enforced: "
				     "socket_create socket_connect (3 containers; 0 coefficients "
				     "unlike canisterd's)\n"));
	free(text);
	/* The same through `canister status --json`, member for member. */
	assert_true(canister_status_add_json(status, root));
	assert_int_equal(canister_status_read_json(&reader, root, back), 0);
	assert_true(back->model.observed);
	assert_string_equal(back->model.observed_available, status->model.observed_available);
	assert_string_equal(back->model.observed_unavailable, status->model.observed_unavailable);
	assert_true(back->model.observed_unresolved == 2 && back->model.observed_fed == 47 &&
		    back->model.observed_task_id_misses == 3 && back->model.observed_wanted == 2 &&
		    back->model.observed_ring_full == 1 && back->model.kernel_enforced == 3);
	assert_string_equal(back->model.denied_in_kernel, "socket_create socket_connect");
	json_object_put(root);

	/* None run: the models see only the gate's events, and the line says why. */
	status->model.observed = false;
	strcpy(status->model.observed_unavailable, "the kernel runs none of the model observers");
	text = print_to_string(status);
	assert_non_null(strstr(text, "; events at the file gate (exec, open)\n"));
	assert_non_null(strstr(text, "\n  observed: none (the kernel runs none of the model "
				     "observers): the models see only the file gate's events\n"));
	assert_null(strstr(text, "observer records"));
	free(text);
	free(status);
	free(back);
}

/* Thousands of privileged processes are one line and one warning, however many there are. */
static void test_many_privileged_stay_short(void **state)
{
	struct canister_status *status = malloc(sizeof(*status));
	char *text;

	assert_non_null(status);
	realistic_status(status);
	status->identity.privileged.scanned = 3001;
	status->identity.privileged.privileged = 3000;
	status->identity.privileged.age_ms = 120;
	status->identity.privileged.duration_ms = 85;
	text = print_to_string(status);
	assert_non_null(strstr(text, "privileged scan: 3000 of 3001 labelled processes could "
				     "tamper with labels (120 ms ago, took 85 ms)\n"));
	free(text);
	free(status);
}

static void test_duration_shortest_exact_form(void **state)
{
	static const struct {
		unsigned long long seconds;
		const char *text;
	} cases[] = {
		{ 0, "0s" },
		{ 59, "59s" },
		{ 60, "1m 00s" },
		{ 3599, "59m 59s" },
		{ 3600, "1h 00m 00s" },
		{ 3661, "1h 01m 01s" },
		{ 86399, "23h 59m 59s" },
		{ 86400, "1d 00h 00m 00s" },
		{ 273906, "3d 04h 05m 06s" },
		{ 400 * 86400ULL + 1, "400d 00h 00m 01s" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];

		canister_format_duration(cases[i].seconds, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

static void test_duration_short_buffer_is_terminated(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	canister_format_duration(273906, buf, 6);
	assert_string_equal(buf, "3d 04");
	assert_int_equal(buf[6], 'x');
}

#define README "README.md"
#define README_TABLE_HEADER                                                                \
	"| right | trace mode: canisterd | lsm mode: canisterd | `canister run --policy` " \
	"workload |"

/* Cells of one README table row ("| a | b | c | d |"), in place; returns how many. */
static unsigned int split_row(char *line, char **cells, unsigned int room)
{
	unsigned int n = 0;
	char *cell = line + 2, *end;

	while (n < room && (end = strstr(cell, " |")) != NULL) {
		*end = '\0';
		cells[n++] = cell;
		cell = end + 2;
		if (*cell == ' ')
			cell++;
		if (*cell == '\0')
			break;
	}
	return n;
}

/* The first Landlock ABI (1..7) at which a `canister run --policy` workload gets row @i. */
static int first_abi(unsigned int i)
{
	struct canister_access_right_status rows[CANISTER_STATUS_ACCESS_RIGHTS];
	unsigned int count;

	for (int abi = 1; abi <= 7; abi++) {
		access_enforcement(abi, NULL, ACCESS_LSM_TRACE, rows, &count);
		if (strncmp(rows[i].run, "not enforced", 12) != 0)
			return abi;
	}
	return 0;
}

/*
 * The README's table of what each mode enforces is what canisterd prints:
 * each row's canisterd cells are the status's words for that right in trace
 * mode and in lsm mode (the file gate running, the programs loaded), and the
 * workload's cell names the first Landlock ABI that has the right.
 */
static void test_readme_access_table(void **state)
{
	struct canister_access_right_status trace[CANISTER_STATUS_ACCESS_RIGHTS],
		lsm[CANISTER_STATUS_ACCESS_RIGHTS];
	unsigned int trace_count, lsm_count, row = 0;
	bool in_table = false;
	char line[1024], expected[64];
	FILE *f = fopen(README, "r");

	(void)state;
	if (!f)
		fail_msg("cannot read %s (run from the repository's root): %s", README,
			 strerror(errno));
	access_enforcement(7, NULL, ACCESS_LSM_TRACE, trace, &trace_count);
	access_fs_events_enforcement(NULL, ACCESS_LSM_TRACE, trace, trace_count);
	access_isolation_enforcement(ACCESS_ISOLATION_TRACE, NULL, trace, &trace_count,
				     CANISTER_STATUS_ACCESS_RIGHTS);
	access_enforcement(7, NULL, ACCESS_LSM_ON, lsm, &lsm_count);
	access_fs_events_enforcement(NULL, ACCESS_LSM_ON, lsm, lsm_count);
	access_isolation_enforcement(ACCESS_ISOLATION_ON, NULL, lsm, &lsm_count,
				     CANISTER_STATUS_ACCESS_RIGHTS);
	assert_int_equal(trace_count, CANISTER_STATUS_ACCESS_RIGHTS);
	assert_int_equal(lsm_count, CANISTER_STATUS_ACCESS_RIGHTS);
	while (fgets(line, sizeof(line), f)) {
		char *cells[5];

		line[strcspn(line, "\n")] = '\0';
		if (!in_table) {
			in_table = strcmp(line, README_TABLE_HEADER) == 0;
			continue;
		}
		if (strncmp(line, "|---", 4) == 0)
			continue;
		if (line[0] != '|')
			break;
		assert_int_equal(split_row(line, cells, 5), 4);
		assert_true(row < CANISTER_STATUS_ACCESS_RIGHTS);
		assert_string_equal(cells[0], trace[row].right);
		assert_string_equal(cells[1], trace[row].canisterd);
		assert_string_equal(cells[2], lsm[row].canisterd);
		if (strncmp(trace[row].run, "Landlock ABI ", 13) == 0) {
			snprintf(expected, sizeof(expected), "Landlock ABI %d+", first_abi(row));
			assert_memory_equal(cells[3], expected, strlen(expected));
		} else {
			assert_string_equal(cells[3], trace[row].run);
		}
		row++;
	}
	fclose(f);
	assert_true(in_table);
	assert_int_equal(row, CANISTER_STATUS_ACCESS_RIGHTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realistic_status),
		cmocka_unit_test(test_quiet_status),
		cmocka_unit_test(test_access_rights_per_kernel),
		cmocka_unit_test(test_readme_access_table),
		cmocka_unit_test(test_kernel_audit_source),
		cmocka_unit_test(test_integrity_mmap_and_fsuuid),
		cmocka_unit_test(test_integrity_backstop),
		cmocka_unit_test(test_model_observed),
		cmocka_unit_test(test_many_privileged_stay_short),
		cmocka_unit_test(test_duration_shortest_exact_form),
		cmocka_unit_test(test_duration_short_buffer_is_terminated),
	};

	return cmocka_run_group_tests_name("status_format", tests, NULL, NULL);
}
