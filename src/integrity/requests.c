// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the integrity capability's control requests (policy, TPM choice, read, quote). */
#include "integrity/requests.h"

#include "core/reply.h"
#include "identity/identity.h"
#include "integrity/access.h"
#include "integrity/attest.h"
#include "integrity/backstop.h"
#include "integrity/ima_policy.h"
#include "integrity/integrity.h"
#include "integrity/measure.h"
#include "integrity/publish.h"
#include "integrity/tpm.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int integrity_check_caller(struct canisterd *d, const struct peer *peer, uint64_t contid,
			   enum integrity_access what, bool *ret_live, struct canister_reply *ret)
{
	struct integrity_caller caller = { .contid = CANISTER_CONTID_UNSET };
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct integrity_target target = { .contid = contid, .chain = chain };
	struct canister_container container;
	struct canister_label label;
	char why[512];
	int r;

	if (!integrity_running())
		return reply_refuse(
			ret, EOPNOTSUPP,
			"integrity is off (integrity = on in canister.conf turns it on)");
	caller.host_admin = identity_check_host_admin(d, peer, why, sizeof(why)) == 0;
	r = identity_label(peer->tgid, &label);
	if (r == 0) {
		caller.contid = label.contid;
		caller.delegation = label.delegation;
	} else if (r != -ENOENT) {
		return reply_refuse(ret, -r, "cannot read the caller's label: %s", strerror(-r));
	}
	/* Who may ask is settled before whether the container exists: no probing for contids. */
	r = identity_container(contid, &container);
	if (r == 0) {
		target.owner = container.owner;
		identity_chain(d, contid, chain, &target.depth);
	}
	if (r < 0 && !caller.host_admin) {
		integrity_access_check(&caller, &target, what, why, sizeof(why));
		return reply_refuse(ret, EPERM, "%s", why);
	}
	*ret_live = r == 0;
	if (r < 0 && what != INTEGRITY_READ)
		return reply_refuse(ret, ENOENT, "no container %" PRIu64, contid);
	if (r < 0)
		return 0;
	r = integrity_access_check(&caller, &target, what, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	return 0;
}

int integrity_handle_policy(struct canisterd *d, const struct peer *peer,
			    const struct canister_request *request, struct canister_reply *ret)
{
	const struct canister_integrity_request *integrity = &request->integrity;
	struct canister_ima_policy *policy;
	char why[512];
	bool live;
	int r = integrity_check_caller(d, peer, request->contid, INTEGRITY_SET, &live, ret);

	if (r < 0)
		return r;
	r = canister_ima_policy_parse(integrity->policy, integrity->policy_len, "policy", &policy,
				      why, sizeof(why));
	if (r == -ENOMEM)
		return reply_refuse(ret, ENOMEM, "out of memory");
	if (r < 0)
		return reply_refuse(ret, EINVAL, "%s", why);
	r = measure_set_policy(request->contid, policy);
	if (r == -EBUSY)
		return reply_refuse(ret, EBUSY,
				    "container %" PRIu64 " has run already (its list holds "
				    "measurements): a policy is set before its first exec",
				    request->contid);
	if (r < 0)
		return reply_refuse(ret, -r, "cannot publish container %" PRIu64 "'s policy: %s",
				    request->contid, strerror(-r));
	/* Before the answer: the kernel binds the container by its new policy. */
	backstop_forget(request->contid);
	backstop_sync();
	/* Its FILE_CHECK rules hold from the container's next open: answered after the marks. */
	integrity_follow_file_check(true);
	return 0;
}

int integrity_handle_tpm(struct canisterd *d, const struct peer *peer,
			 const struct canister_request *request, struct canister_reply *ret)
{
	enum canister_tpm_choice choice = request->integrity.tpm;
	bool live;
	int r = integrity_check_caller(d, peer, request->contid, INTEGRITY_SET, &live, ret);

	if (r < 0)
		return r;
	if (choice == CANISTER_TPM_SWTPM && !tpm_available())
		return reply_refuse(ret, EOPNOTSUPP, "%s", tpm_unavailable_reason());
	r = measure_set_tpm(request->contid, choice);
	if (r == -EBUSY)
		return reply_refuse(ret, EBUSY,
				    "container %" PRIu64 " has run already (its list holds "
				    "measurements): its TPM is chosen before its first exec",
				    request->contid);
	if (r < 0)
		return reply_refuse(ret, -r, "cannot save container %" PRIu64 "'s TPM choice: %s",
				    request->contid, strerror(-r));
	return 0;
}

static const char *file_name(const struct canister_integrity_request *integrity)
{
	switch (integrity->file) {
	case CANISTER_INTEGRITY_ASCII:
		return integrity->sha256 ? "ascii_runtime_measurements_sha256"
					 : "ascii_runtime_measurements";
	case CANISTER_INTEGRITY_BINARY:
		return integrity->sha256 ? "binary_runtime_measurements_sha256"
					 : "binary_runtime_measurements";
	case CANISTER_INTEGRITY_PCRS:
		return integrity->sha256 ? "pcrs-sha256" : "pcrs-sha1";
	case CANISTER_INTEGRITY_POLICY:
		return "policy";
	case CANISTER_INTEGRITY_TPM:
		return PUBLISH_TPM_FILE;
	}
	return NULL;
}

int integrity_handle_read(struct canisterd *d, const struct peer *peer,
			  const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_integrity_read_reply *page = &ret->integrity_read;
	const char *name = file_name(&request->integrity);
	char path[CANISTER_CONFIG_PATH_MAX + 192];
	struct stat st;
	ssize_t got;
	bool live;
	int fd, r = integrity_check_caller(d, peer, request->contid, INTEGRITY_READ, &live, ret);

	if (r < 0)
		return r;
	if (!name)
		return reply_refuse(ret, EINVAL, "no such file");
	snprintf(path, sizeof(path), "%s/%" PRIu64 "/%s", d->config.integrity_dir, request->contid,
		 name);
	/* integrity_dir is canisterd's own (tmpfs by default): a read here does not wait. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && !live) {
		/* A container that ended: its newest list kept (integrity_ended_kept); 96 + a name
		 * fit. */
		char ended[96];

		if (publish_find_ended(d->config.integrity_dir, request->contid, ended,
				       sizeof(ended)) < 0)
			return reply_refuse(ret, ENOENT,
					    "no container %" PRIu64 " and no list of one",
					    request->contid);
		snprintf(path, sizeof(path), "%s/%s/%s", d->config.integrity_dir, ended, name);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0 && errno == ENOENT) {
		/* Nothing ran in it yet: its list is the boot_aggregate alone. */
		r = measure_publish(request->contid);
		if (r < 0)
			return reply_refuse(ret, -r,
					    "cannot publish container %" PRIu64 "'s list: %s",
					    request->contid, strerror(-r));
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0)
		return reply_refuse(ret, EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return reply_refuse(ret, EIO, "%s: not a regular file", path);
	}
	if (request->integrity.offset > (uint64_t)st.st_size) {
		close(fd);
		return reply_refuse(ret, ERANGE, "offset %" PRIu64 " is past the end (%lld bytes)",
				    request->integrity.offset, (long long)st.st_size);
	}
	do
		got = pread(fd, page->data, sizeof(page->data), (off_t)request->integrity.offset);
	while (got < 0 && errno == EINTR);
	r = got < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return reply_refuse(ret, EIO, "%s: %s", path, strerror(-r));
	page->size = (uint64_t)st.st_size;
	page->offset = request->integrity.offset;
	/* The file is replaced, never written in place: a short read is the end of it. */
	page->len = (size_t)got;
	if (page->offset + page->len > page->size)
		page->len = (size_t)(page->size - page->offset);
	return 0;
}

/* The TPM thread's queue ahead of a quote is a container's burst of extends, ~0.1 ms each. */
#define QUOTE_WAIT_MS 5000

int integrity_handle_quote(struct canisterd *d, const struct peer *peer,
			   const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_integrity_quote_reply *out = &ret->integrity_quote;
	enum canister_tpm_choice choice;
	struct attest_quote quote;
	char why[512];
	bool live;
	int r = integrity_check_caller(d, peer, request->contid, INTEGRITY_READ, &live, ret);

	if (r < 0)
		return r;
	if (!live)
		return reply_refuse(ret, ENOENT, "no container %" PRIu64 ": its TPM is gone",
				    request->contid);
	/* A container that ran nothing yet: its list (the boot_aggregate) and its TPM start now. */
	r = measure_publish(request->contid);
	if (r == 0)
		r = measure_tpm(request->contid, &choice);
	if (r < 0)
		return reply_refuse(ret, -r, "cannot make container %" PRIu64 "'s list: %s",
				    request->contid, strerror(-r));
	if (choice != CANISTER_TPM_SWTPM)
		return reply_refuse(ret, EOPNOTSUPP,
				    "container %" PRIu64 " has no TPM (its integrity_tpm is none: "
				    "`canister integrity tpm %" PRIu64 " swtpm` before its first "
				    "exec, or integrity_tpm = swtpm in canister.conf, gives one)",
				    request->contid, request->contid);
	r = attest_quote(request->contid, request->integrity.nonce, request->integrity.nonce_len,
			 QUOTE_WAIT_MS, &quote, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "container %" PRIu64 ": %s", request->contid, why);
	memcpy(out->quote, quote.quote.msg, quote.quote.msg_len);
	out->quote_len = quote.quote.msg_len;
	memcpy(out->signature, quote.quote.sig, quote.quote.sig_len);
	out->signature_len = quote.quote.sig_len;
	snprintf(out->ak, sizeof(out->ak), "%s", quote.quote.ak_pem);
	memcpy(out->pcr10_sha1, quote.quote.pcr_sha1, sizeof(out->pcr10_sha1));
	memcpy(out->pcr10_sha256, quote.quote.pcr_sha256, sizeof(out->pcr10_sha256));
	memcpy(out->pcr11_sha1, quote.quote.model_sha1, sizeof(out->pcr11_sha1));
	memcpy(out->pcr11_sha256, quote.quote.model_sha256, sizeof(out->pcr11_sha256));
	out->pcr_update_counter = quote.quote.update_counter;
	out->counter_at_start = quote.quote.counter_at_start;
	out->extends = quote.extends;
	out->model_extends = quote.model_extends;
	return 0;
}
