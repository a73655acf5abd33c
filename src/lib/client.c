// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* libcanister: talk to canisterd over its control socket (for orchestrators and the CLI). */
#include <canister/canister.h>

#include "lib/client.h"
#include "lib/name.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct canister_client {
	int fd;
	char error[512];
	volatile sig_atomic_t *cancel; /* set by a signal handler: stop waiting */
};

static int client_fail(struct canister_client *client, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(client->error, sizeof(client->error), fmt, ap);
	va_end(ap);
	return r;
}

int canister_client_connect(const char *socket_path, struct canister_client **ret_client)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct canister_client *client;
	int fd;

	if (!socket_path)
		socket_path = getenv("CANISTER_SOCKET");
	if (!socket_path || !*socket_path)
		socket_path = CANISTER_SOCKET_DEFAULT;
	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, socket_path);

	client = calloc(1, sizeof(*client));
	if (!client)
		return -ENOMEM;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		int r = -errno;

		free(client);
		return r;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = -errno;

		close(fd);
		free(client);
		return r;
	}
	client->fd = fd;
	*ret_client = client;
	return 0;
}

void canister_client_cancel_on(struct canister_client *client, volatile sig_atomic_t *flag)
{
	client->cancel = flag;
}

void canister_client_close(struct canister_client *client)
{
	if (!client)
		return;
	close(client->fd);
	free(client);
}

const char *canister_client_error(const struct canister_client *client)
{
	return client->error[0] ? client->error : "no error";
}

/* The datagram @out, with the memfd of a model-load that passes one (SCM_RIGHTS). */
static ssize_t send_request(int fd, const struct canister_request *request, const char *out,
			    int len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)out, .iov_len = (size_t)len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (request->op != CANISTER_OP_MODEL_LOAD || !request->model.memfd)
		return send(fd, out, (size_t)len, MSG_NOSIGNAL);
	memset(&control, 0, sizeof(control));
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &request->model.fd, sizeof(int));
	return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

/*
 * Sends @request and decodes canisterd's answer to it into *ret_reply (the
 * caller frees it) when the daemon answered "ok": true.  A refusal becomes its
 * errno and message.
 */
/* How often a wait that a signal may cancel looks at its flag. */
#define CANCEL_POLL_MS 50

static bool cancelled(const struct canister_client *client)
{
	return client->cancel && *client->cancel;
}

/*
 * recv() of canisterd's reply.  With a cancel flag it waits in short polls:
 * a signal that set the flag just before the wait began (its EINTR already
 * spent) still stops it within CANCEL_POLL_MS.  Returns recv()'s result;
 * -1 with EINTR when cancelled.
 */
static ssize_t wait_reply(struct canister_client *client, char *in, size_t size)
{
	for (;;) {
		struct pollfd pfd = { .fd = client->fd, .events = POLLIN };
		ssize_t got;

		if (cancelled(client)) {
			errno = EINTR;
			return -1;
		}
		if (client->cancel) {
			int n = poll(&pfd, 1, CANCEL_POLL_MS);

			/* Nothing yet, or interrupted: the flag is looked at again. */
			if (n == 0 || (n < 0 && errno == EINTR))
				continue;
		}
		got = recv(client->fd, in, size, MSG_TRUNC);
		if (got >= 0 || errno != EINTR)
			return got;
	}
}

static int transact(struct canister_client *client, const struct canister_request *request,
		    struct canister_reply **ret_reply)
{
	struct canister_reply *reply = NULL, *refusal = NULL;
	char err[256], *in = NULL, *out;
	size_t out_size;
	ssize_t got;
	int len, r;

	client->error[0] = '\0';
	if (cancelled(client))
		return client_fail(client, -EINTR, "stopped by a signal");
	/* Only a policy or a certificate may need more than CANISTER_REQUEST_MAX. */
	out_size = canister_op_large(request->op) ? CANISTER_REQUEST_LARGE_MAX + 1
						  : CANISTER_REQUEST_MAX;
	out = malloc(out_size);
	if (!out)
		return client_fail(client, -ENOMEM, "out of memory");
	len = canister_request_encode(request, out, out_size);
	if (len < 0) {
		free(out);
		return client_fail(client, len, "request does not fit in a datagram");
	}
	/* A datagram larger than the send buffer is refused; the default one is about 208 KiB. */
	if (len > 64 * 1024 && setsockopt(client->fd, SOL_SOCKET, SO_SNDBUFFORCE,
					  &(int){ len + 4096 }, sizeof(int)) < 0)
		(void)setsockopt(client->fd, SOL_SOCKET, SO_SNDBUF, &(int){ len + 4096 },
				 sizeof(int));
	if (send_request(client->fd, request, out, len) != len) {
		int send_errno = errno;

		/*
		 * canisterd may have refused the connection (a limit, an idle
		 * timeout) and closed it: its refusal, when it sent one, says why.
		 */
		got = recv(client->fd, out, out_size, MSG_DONTWAIT);
		refusal = got > 0 ? malloc(sizeof(*refusal)) : NULL;
		if (refusal && got < (ssize_t)out_size &&
		    canister_reply_decode(out, (size_t)got, request->op, refusal, err,
					  sizeof(err)) == 0 &&
		    !refusal->ok) {
			r = client_fail(client, -refusal->error.errnum, "%s",
					refusal->error.message);
			free(refusal);
			free(out);
			return r;
		}
		free(refusal);
		free(out);
		return client_fail(client, -send_errno, "cannot send to canisterd: %s",
				   strerror(send_errno));
	}
	free(out);

	in = malloc(CANISTER_REPLY_MAX + 1);
	reply = malloc(sizeof(*reply));
	if (!in || !reply) {
		r = client_fail(client, -ENOMEM, "out of memory");
		goto out;
	}
	got = wait_reply(client, in, CANISTER_REPLY_MAX + 1);
	/* The reset is reported before a refusal canisterd queued as it closed: read on. */
	if (got < 0 && errno == ECONNRESET) {
		got = recv(client->fd, in, CANISTER_REPLY_MAX + 1, MSG_TRUNC | MSG_DONTWAIT);
		if (got <= 0)
			errno = ECONNRESET;
	}
	if (got < 0) {
		r = client_fail(client, -errno, "cannot read canisterd's reply: %s",
				strerror(errno));
		goto out;
	}
	if (got == 0) {
		r = client_fail(client, -ECONNRESET, "canisterd closed the connection");
		goto out;
	}
	/* With MSG_TRUNC, got is the datagram's whole length: an oversized one is refused whole. */
	if (got > CANISTER_REPLY_MAX) {
		r = client_fail(client, -EMSGSIZE, "canisterd's reply is larger than %d bytes",
				CANISTER_REPLY_MAX);
		goto out;
	}
	r = canister_reply_decode(in, (size_t)got, request->op, reply, err, sizeof(err));
	if (r == -ENOMEM) {
		r = client_fail(client, r, "out of memory");
		goto out;
	}
	if (r < 0) {
		r = client_fail(client, -EPROTO, "canisterd sent a malformed reply (%s)", err);
		goto out;
	}
	if (!reply->ok) {
		r = client_fail(client, -reply->error.errnum, "%s", reply->error.message);
		goto out;
	}
	*ret_reply = reply;
	reply = NULL;
	r = 0;
out:
	free(reply);
	free(in);
	return r;
}

static int malformed(struct canister_client *client, const char *what)
{
	return client_fail(client, -EPROTO, "canisterd sent a malformed reply (%s)", what);
}

int canister_get_info(struct canister_client *client, pid_t pid, struct canister_info *ret_info)
{
	struct canister_request request = { .op = CANISTER_OP_GET, .pid = pid };
	struct canister_reply *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	if (reply->get.pid != pid)
		r = malformed(client, "the answer is about another process");
	else
		*ret_info = reply->get.info;
	free(reply);
	return r;
}

int canister_get(struct canister_client *client, pid_t pid, uint64_t *ret_contid)
{
	struct canister_info info;
	int r;

	r = canister_get_info(client, pid, &info);
	if (r < 0)
		return r;
	*ret_contid = info.depth ? info.chain[0] : CANISTER_CONTID_UNSET;
	return 0;
}

int canister_register_reply(struct canister_client *client, pid_t pid, uint64_t contid,
			    const char *name, struct canister_set_reply *ret_reply)
{
	struct canister_request request = {
		.op = CANISTER_OP_SET,
		.pid = pid,
		.allocate = contid == CANISTER_CONTID_UNSET,
		.contid = contid,
	};
	struct canister_reply *reply;
	char why[128];
	int r;

	client->error[0] = '\0';
	if (name) {
		/* Refused here with the reason, rather than by canisterd after a round trip. */
		if (canister_name_check(name, why, sizeof(why)) < 0)
			return client_fail(client, -EINVAL, "%s", why);
		request.has_name = true;
		strcpy(request.name, name);
	}
	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	if (reply->set.pid != pid)
		r = malformed(client, "the answer is about another process");
	/* A caller that named the container must not learn of another one as success. */
	else if (!request.allocate && reply->set.contid != contid)
		r = malformed(client, "registered into another container than asked");
	else
		*ret_reply = reply->set;
	free(reply);
	return r;
}

int canister_register(struct canister_client *client, pid_t pid, uint64_t contid, const char *name,
		      uint64_t *ret_contid)
{
	struct canister_set_reply set;
	int r;

	r = canister_register_reply(client, pid, contid, name, &set);
	if (r < 0)
		return r;
	*ret_contid = set.contid;
	return 0;
}

int canister_set(struct canister_client *client, pid_t pid, uint64_t contid, uint64_t *ret_contid)
{
	return canister_register(client, pid, contid, NULL, ret_contid);
}

int canister_delegate_reply(struct canister_client *client, pid_t pid, uint32_t *ret_delegation)
{
	struct canister_request request = { .op = CANISTER_OP_DELEGATE, .pid = pid };
	struct canister_reply *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	if (reply->delegate.pid != pid)
		r = malformed(client, "the answer is about another process");
	else
		*ret_delegation = reply->delegate.delegation;
	free(reply);
	return r;
}

int canister_delegate(struct canister_client *client, pid_t pid)
{
	uint32_t delegation;

	return canister_delegate_reply(client, pid, &delegation);
}

int canister_audit_sink_add(struct canister_client *client, uint64_t contid,
			    const struct canister_sink_request *sink)
{
	struct canister_request request = { .op = CANISTER_OP_AUDIT_ADD, .contid = contid };
	struct canister_reply *reply;
	int r;

	request.sink = *sink;
	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	free(reply);
	return 0;
}

int canister_audit_sink_remove(struct canister_client *client, uint64_t contid)
{
	struct canister_request request = { .op = CANISTER_OP_AUDIT_REMOVE, .contid = contid };
	struct canister_reply *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	free(reply);
	return 0;
}

struct container_list {
	struct canister_container_entry *entries;
	size_t count, capacity;
};

static int container_list_append(struct container_list *list,
				 const struct canister_container_entry *entry)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 64;
		struct canister_container_entry *entries;

		entries = reallocarray(list->entries, capacity, sizeof(*entries));
		if (!entries)
			return -ENOMEM;
		list->entries = entries;
		list->capacity = capacity;
	}
	list->entries[list->count++] = *entry;
	return 0;
}

/*
 * One page of a list reply.  Contids must ascend across pages too: that is
 * what makes "after" the resume point, and what ends the loop whatever the
 * daemon says about "more".
 */
static int append_page(struct canister_client *client, const struct canister_list_reply *page,
		       struct container_list *list, struct canister_request *request)
{
	for (size_t i = 0; i < page->count; i++) {
		const struct canister_container_entry *entry = &page->containers[i];

		if (request->has_after && entry->chain[0] <= request->after)
			return malformed(client, "containers out of contid order");
		if (container_list_append(list, entry) < 0)
			return client_fail(client, -ENOMEM, "out of memory");
		request->has_after = true;
		request->after = entry->chain[0];
	}
	return 0;
}

int canister_list(struct canister_client *client, struct canister_container_entry **ret_entries,
		  size_t *ret_count)
{
	struct canister_request request = { .op = CANISTER_OP_LIST };
	struct container_list list = { 0 };
	bool more = true;
	int r = 0;

	while (more) {
		struct canister_reply *reply;

		r = transact(client, &request, &reply);
		if (r < 0)
			break;
		r = append_page(client, &reply->list, &list, &request);
		more = reply->list.more;
		free(reply);
		if (r < 0)
			break;
	}
	if (r < 0) {
		free(list.entries);
		return r;
	}
	*ret_entries = list.entries;
	*ret_count = list.count;
	return 0;
}

int canister_status_read(struct canister_client *client, struct canister_status *ret_status)
{
	struct canister_request request = { .op = CANISTER_OP_STATUS };
	struct canister_reply *reply;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	memcpy(ret_status, &reply->status, sizeof(*ret_status));
	free(reply);
	return 0;
}

int canister_status_json(struct canister_client *client, char **ret_json)
{
	struct canister_request request = { .op = CANISTER_OP_STATUS };
	struct canister_reply *reply;
	struct json_object *document;
	char *json = NULL;
	int r;

	r = transact(client, &request, &reply);
	if (r < 0)
		return r;
	/* Written again from what was decoded: only what passed the checks reaches the caller. */
	document = canister_reply_json(reply, true);
	free(reply);
	if (document)
		json = strdup(json_object_to_json_string_ext(
			document, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(document);
	if (!json)
		return client_fail(client, -ENOMEM, "out of memory");
	*ret_json = json;
	return 0;
}

/*
 * A request of an integrity op for @contid (large: the policy and certificate
 * share its bytes, so it is never on a stack), or NULL with the client's error
 * set.
 */
static struct canister_request *integrity_request(struct canister_client *client,
						  enum canister_op op, uint64_t contid)
{
	struct canister_request *request = calloc(1, sizeof(*request));

	if (!request) {
		client_fail(client, -ENOMEM, "out of memory");
		return NULL;
	}
	request->op = op;
	request->contid = contid;
	return request;
}

/* @request (freed) sent for an op whose reply says nothing but success. */
static int transact_only(struct canister_client *client, struct canister_request *request)
{
	struct canister_reply *reply;
	int r = transact(client, request, &reply);

	free(request);
	if (r < 0)
		return r;
	free(reply);
	return 0;
}

int canister_integrity_policy_set(struct canister_client *client, uint64_t contid,
				  const char *policy, size_t len)
{
	struct canister_request *request;

	if (len > CANISTER_INTEGRITY_POLICY_TEXT_MAX)
		return client_fail(client, -EMSGSIZE,
				   "the policy is longer than %d bytes as IMA prints it",
				   CANISTER_INTEGRITY_POLICY_TEXT_MAX);
	request = integrity_request(client, CANISTER_OP_INTEGRITY_POLICY, contid);
	if (!request)
		return -ENOMEM;
	memcpy(request->integrity.policy, policy, len);
	request->integrity.policy_len = len;
	return transact_only(client, request);
}

int canister_integrity_tpm_set(struct canister_client *client, uint64_t contid,
			       enum canister_tpm_choice choice)
{
	struct canister_request *request =
		integrity_request(client, CANISTER_OP_INTEGRITY_TPM, contid);

	if (!request)
		return -ENOMEM;
	request->integrity.tpm = choice;
	return transact_only(client, request);
}

int canister_integrity_read(struct canister_client *client, uint64_t contid,
			    enum canister_integrity_file file, bool sha256, uint64_t offset,
			    struct canister_integrity_read_reply *ret_page)
{
	struct canister_request *request =
		integrity_request(client, CANISTER_OP_INTEGRITY_READ, contid);
	struct canister_reply *reply;
	int r;

	if (!request)
		return -ENOMEM;
	request->integrity.file = file;
	request->integrity.sha256 = sha256;
	request->integrity.offset = offset;
	r = transact(client, request, &reply);
	free(request);
	if (r < 0)
		return r;
	if (reply->integrity_read.offset != offset)
		r = malformed(client, "the page starts elsewhere than asked");
	else
		*ret_page = reply->integrity_read;
	free(reply);
	return r;
}

int canister_integrity_quote(struct canister_client *client, uint64_t contid, const uint8_t *nonce,
			     size_t nonce_len, struct canister_integrity_quote_reply *ret_quote)
{
	struct canister_request *request;
	struct canister_reply *reply;
	int r;

	if (nonce_len < 1 || nonce_len > CANISTER_INTEGRITY_NONCE_MAX)
		return client_fail(client, -EINVAL, "a nonce is 1 to %d bytes",
				   CANISTER_INTEGRITY_NONCE_MAX);
	request = integrity_request(client, CANISTER_OP_INTEGRITY_QUOTE, contid);
	if (!request)
		return -ENOMEM;
	memcpy(request->integrity.nonce, nonce, nonce_len);
	request->integrity.nonce_len = nonce_len;
	r = transact(client, request, &reply);
	free(request);
	if (r < 0)
		return r;
	*ret_quote = reply->integrity_quote;
	free(reply);
	return 0;
}

/* One of the appraisal ops: @request is the caller's, the reply its appraisal. */
static int appraisal_transact(struct canister_client *client, struct canister_request *request,
			      struct canister_appraisal_reply *ret_appraisal)
{
	struct canister_reply *reply;
	int r = transact(client, request, &reply);

	free(request);
	if (r < 0)
		return r;
	*ret_appraisal = reply->appraisal;
	free(reply);
	return 0;
}

int canister_integrity_key_add(struct canister_client *client, uint64_t contid,
			       const uint8_t *certificate, size_t len,
			       struct canister_appraisal_reply *ret_appraisal)
{
	struct canister_request *request;

	if (len < 1 || len > CANISTER_INTEGRITY_CERTIFICATE_MAX)
		return client_fail(client, -EFBIG, "a certificate is 1 to %d bytes",
				   CANISTER_INTEGRITY_CERTIFICATE_MAX);
	request = integrity_request(client, CANISTER_OP_INTEGRITY_KEY_ADD, contid);
	if (!request)
		return -ENOMEM;
	memcpy(request->integrity.certificate, certificate, len);
	request->integrity.certificate_len = len;
	return appraisal_transact(client, request, ret_appraisal);
}

int canister_integrity_key_remove(struct canister_client *client, uint64_t contid, uint32_t keyid,
				  struct canister_appraisal_reply *ret_appraisal)
{
	struct canister_request *request =
		integrity_request(client, CANISTER_OP_INTEGRITY_KEY_REMOVE, contid);

	if (!request)
		return -ENOMEM;
	request->integrity.keyid = keyid;
	return appraisal_transact(client, request, ret_appraisal);
}

int canister_integrity_appraise(struct canister_client *client, uint64_t contid,
				const enum canister_appraise_mode *mode, const bool *host_keys,
				struct canister_appraisal_reply *ret_appraisal)
{
	struct canister_request *request =
		integrity_request(client, CANISTER_OP_INTEGRITY_APPRAISE, contid);

	if (!request)
		return -ENOMEM;
	request->integrity.has_mode = mode != NULL;
	request->integrity.mode = mode ? *mode : CANISTER_APPRAISE_OFF;
	request->integrity.has_host_keys = host_keys != NULL;
	request->integrity.host_keys = host_keys && *host_keys;
	return appraisal_transact(client, request, ret_appraisal);
}

int canister_policy_load(struct canister_client *client, uint64_t contid, const char *policy,
			 size_t len, enum canister_access_mode mode)
{
	struct canister_request *request;

	if (len > CANISTER_ACCESS_POLICY_TEXT_MAX)
		return client_fail(client, -E2BIG,
				   "the policy prints to %zu bytes; canisterd takes at most %d",
				   len, CANISTER_ACCESS_POLICY_TEXT_MAX);
	/* Large as an integrity op's: made the same way. */
	request = integrity_request(client, CANISTER_OP_POLICY_LOAD, contid);
	if (!request)
		return -ENOMEM;
	memcpy(request->policy.policy, policy, len);
	request->policy.policy_len = len;
	request->policy.mode = mode;
	return transact_only(client, request);
}

int canister_policy_show(struct canister_client *client, uint64_t contid, bool effective,
			 struct canister_policy_show_reply *ret_show)
{
	struct canister_request *request =
		integrity_request(client, CANISTER_OP_POLICY_SHOW, contid);
	struct canister_reply *reply;
	int r;

	if (!request)
		return -ENOMEM;
	request->policy.effective = effective;
	r = transact(client, request, &reply);
	free(request);
	if (r < 0)
		return r;
	if (reply->policy_show.effective != effective)
		r = malformed(client, "the reply shows another policy than asked");
	else
		*ret_show = reply->policy_show;
	free(reply);
	return r;
}

/* canister_model_page(), and with @init (learn) the runtime's init named. */
static int model_page(struct canister_client *client, uint64_t contid,
		      enum canister_model_action action, uint64_t offset, pid_t init,
		      struct canister_model_reply *ret_page)
{
	struct canister_request *request = integrity_request(client, CANISTER_OP_MODEL, contid);
	struct canister_reply *reply;
	int r;

	if (!request)
		return -ENOMEM;
	request->model.action = action;
	request->model.offset = offset;
	request->model.init = (uint32_t)init;
	r = transact(client, request, &reply);
	free(request);
	if (r < 0)
		return r;
	if (reply->model.offset != offset)
		r = malformed(client, "the reply is another page than asked");
	else
		*ret_page = reply->model;
	free(reply);
	return r;
}

int canister_model_page(struct canister_client *client, uint64_t contid,
			enum canister_model_action action, uint64_t offset,
			struct canister_model_reply *ret_page)
{
	return model_page(client, contid, action, offset, 0, ret_page);
}

int canister_model_learn(struct canister_client *client, uint64_t contid, pid_t init,
			 struct canister_model_reply *ret_reply)
{
	return model_page(client, contid, CANISTER_MODEL_ACT_LEARN, 0, init, ret_reply);
}

/*
 * A memfd holding @len bytes of @text, sealed so that canisterd reads what was
 * checked here and nothing can grow, shrink or change it meanwhile.
 */
static int model_memfd(const char *text, size_t len)
{
	int fd = memfd_create("canister-model", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	size_t done = 0;

	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int r = n < 0 ? -errno : -EIO;

			close(fd);
			return r;
		}
		done += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

int canister_model_load_file(struct canister_client *client, uint64_t contid, const char *text,
			     size_t len, bool enforce, pid_t init,
			     struct canister_model_reply *ret_reply)
{
	struct canister_request *request;
	struct canister_reply *reply;
	int r;

	if (len > CANISTER_MODEL_FILE_MAX)
		return client_fail(client, -E2BIG,
				   "the model file has %zu bytes; canisterd takes at most %d", len,
				   CANISTER_MODEL_FILE_MAX);
	request = integrity_request(client, CANISTER_OP_MODEL_LOAD, contid);
	if (!request)
		return -ENOMEM;
	request->model.fd = -1;
	if (len > CANISTER_MODEL_TEXT_MAX) {
		r = model_memfd(text, len);
		if (r < 0) {
			free(request);
			return client_fail(client, r,
					   "cannot put the model file in a memfd for canisterd: %s",
					   strerror(-r));
		}
		request->model.memfd = true;
		request->model.fd = r;
	} else {
		memcpy(request->model.text, text, len);
		request->model.text_len = len;
	}
	request->model.enforce = enforce;
	request->model.init = (uint32_t)init;
	r = transact(client, request, &reply);
	if (request->model.fd >= 0)
		close(request->model.fd);
	free(request);
	if (r < 0)
		return r;
	*ret_reply = reply->model;
	free(reply);
	return 0;
}

int canister_grant_op(struct canister_client *client, enum canister_op op, uint64_t contid,
		      const struct canister_grant_request *grant,
		      struct canister_grants_reply *ret_grants)
{
	struct canister_request *request = integrity_request(client, op, contid);
	struct canister_reply *reply;
	int r;

	if (!request)
		return -ENOMEM;
	if (!canister_op_grant(op) || (op != CANISTER_OP_GRANT_LIST && !grant)) {
		free(request);
		return client_fail(client, -EINVAL, "not a grant op");
	}
	if (grant)
		request->grant = *grant;
	r = transact(client, request, &reply);
	free(request);
	if (r < 0)
		return r;
	*ret_grants = reply->grants;
	free(reply);
	return 0;
}
