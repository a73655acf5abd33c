// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: canister's own audit records, as linux-audit text lines that ausearch reads. */
#include "lib/audit_record.h"

#include "canister/abi.h"
#include "lib/errnames.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000LL
#define NSEC_PER_MSEC 1000000LL

static uint64_t next_serial(uint64_t *serial_counter)
{
	/* ausearch takes serial 0 for "no serial"; the kernel's counter never yields it either. */
	if (++*serial_counter == 0)
		++*serial_counter;
	return *serial_counter;
}

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void stamp_from_realtime_ns(int64_t ns, uint64_t *serial_counter,
				   struct canister_record_stamp *ret_stamp)
{
	int64_t sec = ns / NSEC_PER_SEC, rem = ns % NSEC_PER_SEC;

	/* Floor, not truncation, so that a time before 1970 still gets msec in 0..999. */
	if (rem < 0) {
		sec--;
		rem += NSEC_PER_SEC;
	}
	ret_stamp->sec = sec;
	ret_stamp->msec = (uint32_t)(rem / NSEC_PER_MSEC);
	ret_stamp->serial = next_serial(serial_counter);
}

void canister_record_stamp_now(uint64_t *serial_counter, struct canister_record_stamp *ret_stamp)
{
	stamp_from_realtime_ns(clock_ns(CLOCK_REALTIME), serial_counter, ret_stamp);
}

void canister_record_stamp_from_ktime(uint64_t ktime_ns, uint64_t *serial_counter,
				      struct canister_record_stamp *ret_stamp)
{
	int64_t offset = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);

	stamp_from_realtime_ns(offset + (int64_t)ktime_ns, serial_counter, ret_stamp);
}

/* The same test as the kernel's audit_string_contains_control(). */
static bool needs_hex(const char *value)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			return true;
	return false;
}

int canister_audit_encode(const char *value, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t value_len = 0, need;
	bool hexed = false;

	if (!value) {
		need = strlen("(null)");
	} else {
		value_len = strlen(value);
		hexed = needs_hex(value);
		need = hexed ? 2 * value_len : value_len + 2;
	}
	if (need >= len || need > INT_MAX) {
		if (len)
			buf[0] = '\0';
		return -ENOSPC;
	}

	if (!value) {
		memcpy(buf, "(null)", need + 1);
	} else if (hexed) {
		for (size_t i = 0; i < value_len; i++) {
			unsigned char c = (unsigned char)value[i];

			buf[2 * i] = hex[c >> 4];
			buf[2 * i + 1] = hex[c & 0xf];
		}
		buf[need] = '\0';
	} else {
		buf[0] = '"';
		memcpy(buf + 1, value, value_len);
		buf[value_len + 1] = '"';
		buf[need] = '\0';
	}
	return (int)need;
}

/*
 * A record is built here whole and copied out only when complete, so that a
 * too-small buffer never receives a record cut short.
 */
struct record {
	char text[CANISTER_RECORD_MAX + 1];
	size_t used;
	bool overflow;
};

__attribute__((format(printf, 2, 3))) static void put(struct record *r, const char *fmt, ...)
{
	size_t room = sizeof(r->text) - r->used;
	va_list ap;
	int n;

	if (r->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		r->overflow = true;
	else
		r->used += (size_t)n;
}

static void put_encoded(struct record *r, const char *value)
{
	int n;

	if (r->overflow)
		return;
	n = canister_audit_encode(value, r->text + r->used, sizeof(r->text) - r->used);
	if (n < 0)
		r->overflow = true;
	else
		r->used += (size_t)n;
}

static void put_contid(struct record *r, uint64_t contid)
{
	if (contid == CANISTER_CONTID_UNSET)
		put(r, "-1");
	else
		put(r, "%" PRIu64, contid);
}

static void put_chain(struct record *r, const uint64_t *chain, unsigned int depth)
{
	if (depth == 0)
		put(r, "-1");
	for (unsigned int i = 0; i < depth; i++) {
		if (i)
			put(r, ",^");
		put_contid(r, chain[i]);
	}
}

static void put_header(struct record *r, const char *type,
		       const struct canister_record_stamp *stamp)
{
	r->used = 0;
	r->overflow = false;
	put(r, "type=%s msg=audit(%" PRId64 ".%03" PRIu32 ":%" PRIu64 "):", type, stamp->sec,
	    stamp->msec, stamp->serial);
}

static int finish(struct record *r, char *buf, size_t len)
{
	put(r, "\n");
	if (r->overflow || r->used >= len || r->used > CANISTER_RECORD_MAX) {
		if (len)
			buf[0] = '\0';
		return -ENOSPC;
	}
	memcpy(buf, r->text, r->used + 1);
	return (int)r->used;
}

static int refuse(char *buf, size_t len, int err)
{
	if (buf && len)
		buf[0] = '\0';
	return err;
}

int canister_contid_chain_format(const uint64_t *chain, unsigned int depth, char *buf, size_t len)
{
	struct record r = { .used = 0 };

	if (!chain && depth)
		return refuse(buf, len, -EINVAL);
	put_chain(&r, chain, depth);
	if (r.overflow || r.used >= len)
		return refuse(buf, len, -ENOSPC);
	memcpy(buf, r.text, r.used + 1);
	return (int)r.used;
}

const char *canister_container_op_name(enum canister_container_op op)
{
	switch (op) {
	case CANISTER_CONTAINER_OP_SET:
		return "set";
	case CANISTER_CONTAINER_OP_JOIN:
		return "join";
	case CANISTER_CONTAINER_OP_DROP:
		return "drop";
	case CANISTER_CONTAINER_OP_DELEGATE:
		return "delegate";
	case CANISTER_CONTAINER_OP_GUARD:
		return "guard";
	case CANISTER_CONTAINER_OP_FORK:
		return "fork";
	case CANISTER_CONTAINER_OP_INHERIT:
		return "inherit";
	case CANISTER_CONTAINER_OP_TAMPER:
		return "tamper";
	}
	return NULL;
}

int canister_format_op_record(const struct canister_record_stamp *stamp,
			      const struct canister_op_record *rec, char *buf, size_t len)
{
	struct record r;
	const char *op;

	if (!stamp || !rec || stamp->msec > 999 || (rec->res != 0 && rec->res != 1))
		return refuse(buf, len, -EINVAL);
	op = canister_container_op_name(rec->op);
	if (!op)
		return refuse(buf, len, -EINVAL);

	put_header(&r, "CONTAINER_OP", stamp);
	put(&r, " op=%s opid=%d contid=", op, (int)rec->opid);
	put_contid(&r, rec->contid);
	put(&r, " old-contid=");
	put_contid(&r, rec->old_contid);
	if (rec->name) {
		put(&r, " name=");
		put_encoded(&r, rec->name);
	}
	if (rec->op == CANISTER_CONTAINER_OP_DELEGATE)
		put(&r, " delegation=%" PRIu32, rec->delegation);
	if (rec->has_orchestrator)
		put(&r, " pid=%d auid=%" PRIu32 " uid=%" PRIu32 " ses=%" PRIu32, (int)rec->pid,
		    rec->auid, rec->uid, rec->ses);
	if (rec->errnum) {
		int errnum = rec->errnum < 0 ? -rec->errnum : rec->errnum;
		const char *errname = canister_errno_name(errnum);

		/* A number is still better than losing the refusal's cause. */
		if (errname)
			put(&r, " errno=%s", errname);
		else
			put(&r, " errno=%d", errnum);
	}
	if (rec->reason) {
		put(&r, " reason=");
		put_encoded(&r, rec->reason);
	}
	put(&r, " res=%d", rec->res);
	return finish(&r, buf, len);
}

static const char *const ns_names[CANISTER_NS_COUNT] = {
	[CANISTER_NS_MNT] = "mnt",
	[CANISTER_NS_UTS] = "uts",
	[CANISTER_NS_IPC] = "ipc",
	[CANISTER_NS_PID] = "pid",
	[CANISTER_NS_PID_FOR_CHILDREN] = "pid_for_children",
	[CANISTER_NS_NET] = "net",
	[CANISTER_NS_USER] = "user",
	[CANISTER_NS_CGROUP] = "cgroup",
	[CANISTER_NS_TIME] = "time",
	[CANISTER_NS_TIME_FOR_CHILDREN] = "time_for_children",
};

static const char *const ns_fields[CANISTER_NS_COUNT] = {
	[CANISTER_NS_MNT] = "mnt_ns",
	[CANISTER_NS_UTS] = "uts_ns",
	[CANISTER_NS_IPC] = "ipc_ns",
	[CANISTER_NS_PID] = "pid_ns",
	[CANISTER_NS_PID_FOR_CHILDREN] = "pid_for_children_ns",
	[CANISTER_NS_NET] = "net_ns",
	[CANISTER_NS_USER] = "user_ns",
	[CANISTER_NS_CGROUP] = "cgroup_ns",
	[CANISTER_NS_TIME] = "time_ns",
	[CANISTER_NS_TIME_FOR_CHILDREN] = "time_for_children_ns",
};

const char *canister_ns_name(enum canister_ns ns)
{
	if ((unsigned int)ns >= CANISTER_NS_COUNT)
		return NULL;
	return ns_names[ns];
}

const char *canister_ns_field(enum canister_ns ns)
{
	if ((unsigned int)ns >= CANISTER_NS_COUNT)
		return NULL;
	return ns_fields[ns];
}

/* op= is written unencoded, so it must be a word that needs no encoding and cannot forge a field.
 */
static bool plain_word(const char *word)
{
	if (!word || !*word)
		return false;
	for (const char *p = word; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

/* IMA's causes are mixed case ("ToMToU"): letters of both cases, digits, '_'. */
static bool cause_word(const char *word)
{
	if (!word || !*word)
		return false;
	for (const char *p = word; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static bool ns_args_valid(const struct canister_record_stamp *stamp, const char *op,
			  const uint64_t *chain, unsigned int depth)
{
	return stamp && stamp->msec <= 999 && plain_word(op) && (chain || !depth);
}

static void put_ns_prefix(struct record *r, const struct canister_record_stamp *stamp,
			  const char *op, pid_t opid, const uint64_t *chain, unsigned int depth)
{
	put_header(r, "CONTAINER_NS", stamp);
	put(r, " op=%s opid=%d contid=", op, (int)opid);
	put_chain(r, chain, depth);
}

int canister_format_ns_record(const struct canister_record_stamp *stamp, const char *op, pid_t opid,
			      const uint64_t *chain, unsigned int depth,
			      const struct canister_ns_set *ns, char *buf, size_t len)
{
	struct record r;

	if (!ns_args_valid(stamp, op, chain, depth) || !ns)
		return refuse(buf, len, -EINVAL);

	put_ns_prefix(&r, stamp, op, opid, chain, depth);
	for (unsigned int i = 0; i < CANISTER_NS_COUNT; i++)
		if (ns->inum[i])
			put(&r, " %s=%" PRIu32, ns_fields[i], ns->inum[i]);
	return finish(&r, buf, len);
}

int canister_format_ns_change_record(const struct canister_record_stamp *stamp, const char *op,
				     pid_t opid, const uint64_t *chain, unsigned int depth,
				     const struct canister_ns_set *old_ns,
				     const struct canister_ns_set *new_ns, char *buf, size_t len)
{
	struct record r;
	bool changed = false;

	if (!ns_args_valid(stamp, op, chain, depth) || !old_ns || !new_ns)
		return refuse(buf, len, -EINVAL);

	put_ns_prefix(&r, stamp, op, opid, chain, depth);
	for (unsigned int i = 0; i < CANISTER_NS_COUNT; i++) {
		uint32_t before = old_ns->inum[i], after = new_ns->inum[i];

		if (!before || !after || before == after)
			continue;
		put(&r, " old-%s=%" PRIu32 " %s=%" PRIu32, ns_fields[i], before, ns_fields[i],
		    after);
		changed = true;
	}
	if (!changed)
		return refuse(buf, len, -ENODATA);
	return finish(&r, buf, len);
}

int canister_format_integrity_record(const struct canister_record_stamp *stamp,
				     const struct canister_integrity_record *rec, char *buf,
				     size_t len)
{
	struct record r;

	if (!stamp || !rec || stamp->msec > 999 || !rec->op || !plain_word(rec->op) || !rec->file ||
	    !rec->chain || rec->depth == 0 || (rec->res != 0 && rec->res != 1) ||
	    (rec->cause && !cause_word(rec->cause)) || (rec->mode && !cause_word(rec->mode)))
		return refuse(buf, len, -EINVAL);
	put_header(&r, "CONTAINER_INTEGRITY", stamp);
	put(&r, " op=%s", rec->op);
	if (rec->cause)
		put(&r, " cause=%s", rec->cause);
	put(&r, " contid=");
	put_chain(&r, rec->chain, rec->depth);
	if (rec->pid)
		put(&r, " pid=%d", (int)rec->pid);
	put(&r, " file=");
	put_encoded(&r, rec->file);
	if (rec->hash) {
		put(&r, " hash=");
		put_encoded(&r, rec->hash);
	}
	if (rec->reason) {
		put(&r, " reason=");
		put_encoded(&r, rec->reason);
	}
	if (rec->mode)
		put(&r, " mode=%s", rec->mode);
	put(&r, " res=%d", rec->res);
	return finish(&r, buf, len);
}

int canister_format_access_record(const struct canister_record_stamp *stamp,
				  const struct canister_access_record *rec, char *buf, size_t len)
{
	struct record r;

	if (!stamp || !rec || stamp->msec > 999 || !plain_word(rec->op) || !rec->target ||
	    !rec->chain || rec->depth == 0 || (rec->res != 0 && rec->res != 1) ||
	    !plain_word(rec->right) || !plain_word(rec->cause) || !plain_word(rec->mode))
		return refuse(buf, len, -EINVAL);
	put_header(&r, "CONTAINER_ACCESS", stamp);
	put(&r, " op=%s contid=", rec->op);
	put_chain(&r, rec->chain, rec->depth);
	put(&r, " by=%" PRIu64, rec->by);
	if (rec->pid)
		put(&r, " pid=%d", (int)rec->pid);
	if (rec->exe) {
		put(&r, " exe=");
		put_encoded(&r, rec->exe);
	}
	put(&r, " target=");
	put_encoded(&r, rec->target);
	put(&r, " right=%s cause=%s mode=%s", rec->right, rec->cause, rec->mode);
	if (rec->repeats)
		put(&r, " repeats=%" PRIu64, rec->repeats);
	put(&r, " res=%d", rec->res);
	return finish(&r, buf, len);
}

int canister_format_model_record(const struct canister_record_stamp *stamp,
				 const struct canister_model_record *rec, char *buf, size_t len)
{
	struct record r;

	if (!stamp || !rec || stamp->msec > 999 || !plain_word(rec->op) || !rec->chain ||
	    rec->depth == 0 || (rec->res != 0 && rec->res != 1) || !plain_word(rec->event) ||
	    !plain_word(rec->coefficient) || !plain_word(rec->mode))
		return refuse(buf, len, -EINVAL);
	put_header(&r, "CONTAINER_MODEL", stamp);
	put(&r, " op=%s contid=", rec->op);
	put_chain(&r, rec->chain, rec->depth);
	if (rec->pid)
		put(&r, " pid=%d", (int)rec->pid);
	if (rec->exe) {
		put(&r, " exe=");
		put_encoded(&r, rec->exe);
	}
	if (rec->target) {
		put(&r, " target=");
		put_encoded(&r, rec->target);
	}
	put(&r, " event=%s coefficient=%s mode=%s", rec->event, rec->coefficient, rec->mode);
	if (rec->repeats)
		put(&r, " repeats=%" PRIu64, rec->repeats);
	put(&r, " res=%d", rec->res);
	return finish(&r, buf, len);
}

int canister_format_container_id_record(const struct canister_record_stamp *stamp,
					unsigned int record, const uint64_t *chain,
					unsigned int depth, char *buf, size_t len)
{
	char chain_text[CANISTER_RECORD_MAX];
	struct record r;

	if (!stamp || stamp->msec > 999 || record == 0 || !chain || depth == 0)
		return refuse(buf, len, -EINVAL);
	if (canister_contid_chain_format(chain, depth, chain_text, sizeof(chain_text)) < 0)
		return refuse(buf, len, -ENOSPC);

	put_header(&r, "CONTAINER_ID", stamp);
	put(&r, " record=%u contid=%s", record, chain_text);
	return finish(&r, buf, len);
}

int canister_format_lost_record(const struct canister_record_stamp *stamp, uint64_t sink_contid,
				uint64_t lost, enum canister_lost_reason reason, char *buf,
				size_t len)
{
	static const char *const reasons[] = {
		[CANISTER_LOST_QUEUE_FULL] = "queue_full",
		[CANISTER_LOST_DISK_FULL] = "disk_full",
		[CANISTER_LOST_RELAY] = "relay_full",
	};
	struct record r;

	if (!stamp || stamp->msec > 999 || lost == 0 ||
	    (unsigned int)reason >= sizeof(reasons) / sizeof(reasons[0]))
		return refuse(buf, len, -EINVAL);
	put_header(&r, "CONTAINER_LOST", stamp);
	if (sink_contid)
		put(&r, " sink=%" PRIu64, sink_contid);
	else
		put(&r, " sink=host");
	put(&r, " lost=%" PRIu64 " reason=%s", lost, reasons[reason]);
	return finish(&r, buf, len);
}
