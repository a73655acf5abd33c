/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: canister's own audit records, as linux-audit text lines that ausearch reads. */
#ifndef CANISTER_LIB_AUDIT_RECORD_H
#define CANISTER_LIB_AUDIT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Every record is one line "type=NAME msg=audit(SECONDS.MILLIS:SERIAL): field=value ...\n",
 * as auditd writes the kernel's.  Values are either fixed words and numbers that
 * canister itself chooses, or strings encoded as the kernel encodes untrusted
 * ones (canister_audit_encode()), so no value can contain a space or a newline
 * and forge a field or a record.
 *
 * The format functions return the record's length (newline included, the
 * terminating NUL not) or a negative errno.  On error @buf holds an empty
 * string (when @len allows) and nothing else is written to it, so a caller
 * that ignores the error writes nothing rather than half a record.
 */

/* Bytes of one formatted record, newline included (the NUL needs one more). */
#define CANISTER_RECORD_MAX 1024

/* When a record happened and its serial, as in msg=audit(SECONDS.MILLIS:SERIAL). */
struct canister_record_stamp {
	int64_t sec;
	uint32_t msec; /* 0..999 */
	uint64_t serial;
};

/*
 * canister_record_stamp_now() - a stamp for a record that happens now
 * (CLOCK_REALTIME, as the kernel stamps its own), with the next serial
 * from *@serial_counter (incremented; 0 is skipped when it wraps).
 *
 * ausearch groups records with the same stamp into one event, so a serial
 * must not be reused within a millisecond; one counter per log does that.
 */
void canister_record_stamp_now(uint64_t *serial_counter, struct canister_record_stamp *ret_stamp);

/*
 * canister_record_stamp_from_ktime() - as canister_record_stamp_now(), for
 * something that BPF saw at @ktime_ns (bpf_ktime_get_ns(), CLOCK_MONOTONIC):
 * the time is moved to CLOCK_REALTIME by the clocks' present offset.  A wall
 * clock set in between shifts the result by as much, as it would the kernel's.
 */
void canister_record_stamp_from_ktime(uint64_t ktime_ns, uint64_t *serial_counter,
				      struct canister_record_stamp *ret_stamp);

/*
 * canister_audit_encode() - audit's encoding of an untrusted string, into @buf.
 *
 * As the kernel's audit_log_untrustedstring(): "value" in double quotes when
 * every byte is 0x21..0x7e and none is '"', otherwise the bytes in uppercase
 * hex without quotes ("a b" -> 612062).  "" is written "" (two quotes, as the
 * kernel writes an empty string) and NULL is written (null), as the kernel
 * writes an absent name; auparse reads all three forms back.
 *
 * Returns the length written (without the NUL), or -ENOSPC when it does not
 * fit in @len bytes with its NUL.
 */
int canister_audit_encode(const char *value, char *buf, size_t len);

/*
 * canister_contid_chain_format() - a process's contid chain as records show it:
 * @chain[0] is the process's own container, @chain[1] the one that container
 * is nested in, and so on: "4" top level, "4,^2" nested once, "4,^2,^1" twice.
 * @depth 0 (not in a container) is written "-1", as an unset contid is; so is
 * an element equal to CANISTER_CONTID_UNSET.
 *
 * Returns the length written, -EINVAL (@chain NULL with @depth > 0) or -ENOSPC.
 */
int canister_contid_chain_format(const uint64_t *chain, unsigned int depth, char *buf, size_t len);

/* What happened to a process's or a container's contid; the records' op= word. */
enum canister_container_op {
	CANISTER_CONTAINER_OP_SET,  /* "set": a process was registered into a new container */
	CANISTER_CONTAINER_OP_JOIN, /* "join": a process was registered into an existing one */
	CANISTER_CONTAINER_OP_DROP, /* "drop": the last process of a container exited */
	/* "delegate": a process (and what it forks) may register its descendants */
	CANISTER_CONTAINER_OP_DELEGATE,
	/* "guard": lsm mode refused a labelled process an action against canister (res=0) */
	CANISTER_CONTAINER_OP_GUARD,
	/* "fork": lsm mode refused a labelled process a fork (no room for its child's label) */
	CANISTER_CONTAINER_OP_FORK,
	/* "inherit": trace mode, a labelled process's child could not be labelled and runs so */
	CANISTER_CONTAINER_OP_INHERIT,
	/* "tamper": trace mode, a labelled process able to change labels was first seen */
	CANISTER_CONTAINER_OP_TAMPER,
};

/* The op= word of @op, or NULL for a value outside the enum. */
const char *canister_container_op_name(enum canister_container_op op);

/* One CONTAINER_OP record. */
struct canister_op_record {
	enum canister_container_op op;
	/* The process registered (set/join), or the container's first process (drop). */
	pid_t opid;
	uint64_t contid;     /* CANISTER_CONTID_UNSET prints -1 */
	uint64_t old_contid; /* idem */
	const char *name;    /* the orchestrator's name for the container; NULL: field omitted */
	/* Set/join by request: pid, auid, uid and ses of the orchestrator that asked. */
	bool has_orchestrator;
	pid_t pid;
	uint32_t auid; /* (uint32_t)-1 (unset) prints 4294967295, as the kernel's */
	uint32_t uid;
	uint32_t ses; /* idem */
	/* 0, or the refusal's errno, printed by name (errno=EEXIST); a -errno is taken as is. */
	int errnum;
	const char *reason;  /* NULL, or the refusal's one-line reason, printed encoded */
	int res;	     /* 1 success, 0 refused */
	uint32_t delegation; /* delegate: the id granted (0 when refused), printed after name */
};

/*
 * canister_format_op_record() - a CONTAINER_OP record:
 *
 *   type=CONTAINER_OP msg=audit(1700000000.123:42): op=set opid=8730 contid=4
 *   old-contid=-1 name="web-1" pid=8700 auid=4294967295 uid=0 ses=4294967295 res=1
 *
 * in that order, name= only with a name, pid= auid= uid= ses= only with
 * @has_orchestrator, errno= only with an errnum and reason= only with a reason.
 *
 * Returns the record's length, or:
 *   -EINVAL  @stamp or @rec NULL, msec above 999, an op outside the enum,
 *            res other than 0 or 1
 *   -ENOSPC  the record does not fit in @len (or in CANISTER_RECORD_MAX)
 */
int canister_format_op_record(const struct canister_record_stamp *stamp,
			      const struct canister_op_record *rec, char *buf, size_t len);

/* The namespace types a process has, in the order of /proc/PID/ns/. */
enum canister_ns {
	CANISTER_NS_MNT,
	CANISTER_NS_UTS,
	CANISTER_NS_IPC,
	CANISTER_NS_PID,
	CANISTER_NS_PID_FOR_CHILDREN,
	CANISTER_NS_NET,
	CANISTER_NS_USER,
	CANISTER_NS_CGROUP,
	CANISTER_NS_TIME,
	CANISTER_NS_TIME_FOR_CHILDREN,
	CANISTER_NS_COUNT
};

/* The name of @ns under /proc/PID/ns/ ("mnt", "pid_for_children", ...), or NULL. */
const char *canister_ns_name(enum canister_ns ns);

/*
 * canister_ns_field() - the record field that carries @ns: its /proc name with
 * "_ns" appended ("mnt_ns", "pid_for_children_ns"), or NULL.
 *
 * The bare names would be misread: auparse takes cgroup= and old-net= for
 * hex-encoded strings and ausearch -i prints garbage for them, and pid= is a
 * process id in every other record.
 */
const char *canister_ns_field(enum canister_ns ns);

/* A process's namespaces, by inode number; 0 is "unknown" (this kernel lacks that type). */
struct canister_ns_set {
	uint32_t inum[CANISTER_NS_COUNT];
};

/*
 * canister_format_ns_record() - a CONTAINER_NS record listing every namespace
 * of @opid, the container's first process, when the container is registered:
 *
 *   type=CONTAINER_NS msg=audit(...): op=register opid=8730 contid=4,^2
 *   mnt_ns=4026531841 uts_ns=4026531838 ...
 *
 * @op is a word of canister's own ("register"); @chain/@depth as for
 * canister_contid_chain_format(); namespaces whose inum is 0 are left out.
 *
 * Returns the record's length, or:
 *   -EINVAL  a NULL argument, msec above 999, or @op empty or not a plain word
 *   -ENOSPC  the record does not fit
 */
int canister_format_ns_record(const struct canister_record_stamp *stamp, const char *op, pid_t opid,
			      const uint64_t *chain, unsigned int depth,
			      const struct canister_ns_set *ns, char *buf, size_t len);

/*
 * canister_format_ns_change_record() - a CONTAINER_NS record for a labelled
 * process that moved (@op "unshare" or "setns"): only the namespaces that
 * changed, each as old-mnt_ns=OLD mnt_ns=NEW.  A namespace unknown (0) on
 * either side is not compared.
 *
 * Returns the record's length, -ENODATA when nothing changed (the caller
 * writes nothing), or -EINVAL / -ENOSPC as canister_format_ns_record().
 */
int canister_format_ns_change_record(const struct canister_record_stamp *stamp, const char *op,
				     pid_t opid, const uint64_t *chain, unsigned int depth,
				     const struct canister_ns_set *old_ns,
				     const struct canister_ns_set *new_ns, char *buf, size_t len);

/*
 * canister_format_container_id_record() - the CONTAINER_ID record canisterd
 * adds to a kernel event, with the event's own stamp so that ausearch reads
 * it with the event's records, naming the container chain of the process
 * that the event's record number @record (1-based) names:
 *
 *   type=CONTAINER_ID msg=audit(1700000000.456:77): record=1 contid=4,^2
 *
 * @chain/@depth as for canister_contid_chain_format(); a process outside any
 * container gets no record, so @depth 0 is refused.
 *
 * Returns the record's length, or:
 *   -EINVAL  @stamp or @chain NULL, msec above 999, @record or @depth 0
 *   -ENOSPC  the record does not fit in @len (or in CANISTER_RECORD_MAX)
 */
int canister_format_container_id_record(const struct canister_record_stamp *stamp,
					unsigned int record, const uint64_t *chain,
					unsigned int depth, char *buf, size_t len);

/* One CONTAINER_INTEGRITY record: the integrity capability's (IMA-audit, reloads). */
struct canister_integrity_record {
	/*
	 * "audit": an audit rule matched; "reload": a list refused; "invalid_pcr": a
	 * violation; "appraise_data": a failed appraisal; "collect_data": a file
	 * appraisal could not read
	 */
	const char *op;
	const char
		*cause; /* a violation's, as IMA's INTEGRITY_PCR ("open_writers"); NULL: omitted */
	const uint64_t *chain; /* the container whose policy said so, then its ancestors */
	unsigned int depth;
	pid_t pid;	    /* the opener; 0: field omitted */
	const char *file;   /* the file (or the list refused), printed encoded */
	const char *hash;   /* "sha256:HEX" as IMA's INTEGRITY_RULE; NULL: omitted */
	const char *reason; /* NULL, or the one-line reason, printed encoded */
	const char *mode;   /* an appraisal's mode ("log", "enforce"); NULL: omitted */
	int res;	    /* 1 done, 0 refused */
};

/*
 * canister_format_integrity_record() - a CONTAINER_INTEGRITY record, with
 * IMA-audit's own field names (INTEGRITY_RULE's file= and hash=) after
 * canister's contid chain:
 *
 *   type=CONTAINER_INTEGRITY msg=audit(1700000000.456:78): op=audit contid=4,^2
 *   pid=8731 file="/usr/bin/true" hash="sha256:4f..." res=1
 *   type=CONTAINER_INTEGRITY msg=audit(1700000000.456:79): op=invalid_pcr
 *   cause=open_writers contid=4,^2 pid=8731 file="/etc/passwd" res=1
 *   type=CONTAINER_INTEGRITY msg=audit(1700000000.456:80): op=appraise_data
 *   cause=invalid-signature contid=4,^2 pid=8731 file="/bin/x" reason="..."
 *   mode=enforce res=0
 *
 * in that order, cause=, pid=, hash=, reason= and mode= only when given.
 *
 * Returns the record's length, or -EINVAL (@stamp, @rec, op or file NULL, op
 * not one plain word, cause or mode not one word of letters, digits, '_' and
 * '-', msec above 999, @depth 0, res other than 0 or 1) or
 * -ENOSPC (a path too long for CANISTER_RECORD_MAX: the caller counts it lost).
 */
int canister_format_integrity_record(const struct canister_record_stamp *stamp,
				     const struct canister_integrity_record *rec, char *buf,
				     size_t len);

/* One CONTAINER_ACCESS record: an access-control decision (issue 14). */
struct canister_access_record {
	/* what was tried: "exec", "open", "bind", "connect", "signal", "ptrace", "capable", ... */
	const char *op;
	const uint64_t *chain; /* the subject's container, then its ancestors */
	unsigned int depth;
	uint64_t by;	    /* the level whose policy refused (one of @chain) */
	pid_t pid;	    /* the subject; 0: field omitted */
	const char *exe;    /* the subject's executable; NULL: omitted; printed encoded */
	const char *target; /* the object: a path, "tcp:443", "pid:1234", "cap_net_raw" */
	const char *right;  /* the policy's word for the right ("execute", "read", "bind") */
	const char *cause;  /* why: "not-granted", "outside-scope", "beyond-bound", ... */
	const char *mode;   /* "complain" (recorded only) or "enforce" (denied) */
	uint64_t repeats;   /* identical decisions left out before this one; 0: omitted */
	int res;	    /* 0 refused (enforce), 1 allowed (complain) */
};

/*
 * canister_format_access_record() - a CONTAINER_ACCESS record (DESIGN.md's
 * contid=, op=, target=, res=, mode=):
 *
 *   type=CONTAINER_ACCESS msg=audit(1700000000.456:81): op=exec contid=4,^2
 *   by=2 pid=8731 exe="/usr/bin/sh" target="/tmp/x" right=execute
 *   cause=not-granted mode=enforce res=0
 *
 * in that order, pid=, exe= and repeats= (after mode=) only when given.
 * Returns the record's length, or -EINVAL (@stamp, @rec, op, target, right,
 * cause or mode NULL, a word not plain, msec above 999, @depth 0, res other
 * than 0 or 1) or -ENOSPC.
 */
int canister_format_access_record(const struct canister_record_stamp *stamp,
				  const struct canister_access_record *rec, char *buf, size_t len);

/* One CONTAINER_MODEL record: an event outside a sealed behaviour model (issue 15). */
struct canister_model_record {
	const char *op;	       /* "exec", "open", or the event's name for an observed one */
	const uint64_t *chain; /* the subject's container, then its ancestors */
	unsigned int depth;
	pid_t pid;		 /* the subject; 0: omitted */
	const char *exe;	 /* the subject's executable; NULL: omitted; printed encoded */
	const char *target;	 /* the object (a path); NULL: omitted; printed encoded */
	const char *event;	 /* EVENT_ID ("bprm_set_creds", "file_open", ...) */
	const char *coefficient; /* 64 lower-case hex digits; "none" when none was computed */
	const char *mode;	 /* "seal" (recorded, allowed) or "enforce" */
	uint64_t repeats;	 /* identical records left out before this one; 0: omitted */
	int res;		 /* 0 denied, 1 allowed */
};

/*
 * canister_format_model_record() - a CONTAINER_MODEL record (a forensics
 * entry of DESIGN.md's behaviour models):
 *
 *   type=CONTAINER_MODEL msg=audit(1700000000.456:81): op=exec contid=4,^2
 *   pid=8731 exe="/usr/bin/sh" target="/tmp/x" event=bprm_set_creds
 *   coefficient=51d1... mode=enforce res=0
 *
 * in that order; pid=, exe=, target= and repeats= (after mode=) only when
 * given.  Returns the record's length, or -EINVAL (a NULL or not plain word,
 * @depth 0, res other than 0 or 1) or -ENOSPC.
 */
int canister_format_model_record(const struct canister_record_stamp *stamp,
				 const struct canister_model_record *rec, char *buf, size_t len);

/* Why a log is missing records; the records' reason= word. */
enum canister_lost_reason {
	CANISTER_LOST_QUEUE_FULL, /* "queue_full": the sink's bounded queue was full */
	CANISTER_LOST_DISK_FULL,  /* "disk_full": the log's file system refused the write */
	/* "relay_full": beside auditd, canister-audisp dropped records canisterd did not take */
	CANISTER_LOST_RELAY,
};

/*
 * canister_format_lost_record() - the record written into a log once it
 * takes records again, saying how many events it did not get and why:
 *
 *   type=CONTAINER_LOST msg=audit(1700000000.456:0): sink=4 lost=12 reason=queue_full
 *
 * @sink_contid is the sink's container, or 0 for the host's log (sink=host).
 *
 * Returns the record's length, or -EINVAL (NULL @stamp, msec above 999, @lost
 * 0, a reason outside the enum) or -ENOSPC.
 */
int canister_format_lost_record(const struct canister_record_stamp *stamp, uint64_t sink_contid,
				uint64_t lost, enum canister_lost_reason reason, char *buf,
				size_t len);

#endif
