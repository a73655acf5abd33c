// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the behaviour model's control requests (model, model-load). */
#include "model/requests.h"

#include "core/log.h"
#include "core/reply.h"
#include "integrity/integrity.h"
#include "identity/identity.h"
#include "integrity/requests.h"
#include "model/domains.h"
#include "model/model_file.h"
#include "model/observed.h"
#include "model/proc_stat.h"
#include "model/runtime_init.h"
#include "model/store.h"
#include "model/views.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

static void reply_mode(struct canister_reply *ret, enum model_mode mode)
{
	snprintf(ret->model.mode, sizeof(ret->model.mode), "%s", model_mode_name(mode));
	ret->model.size = 0;
	ret->model.offset = 0;
	ret->model.len = 0;
	ret->model.text[0] = '\0';
}

/* On disk before the caller hears back: a change a restart would lose is said. */
static int keep(uint64_t contid, enum model_mode mode, struct canister_reply *ret)
{
	char why[512];

	if (model_store_save(model_dir(), contid, why, sizeof(why)) < 0)
		return reply_refuse(ret, EIO,
				    "container %" PRIu64 "'s model is in %s, but cannot be kept "
				    "across a restart: %s",
				    contid, model_mode_name(mode), why);
	reply_mode(ret, mode);
	return 0;
}

/*
 * The runtime's init @pid of container @contid as it is now (runtime_init.h),
 * read before the domain is made: the runtime waits for its hook, so the
 * init runs nothing meanwhile.  Returns 0, or a refusal in @ret.
 */
static int runtime_init(uint64_t contid, pid_t pid, struct model_runtime_init *init,
			struct canister_reply *ret)
{
	struct canister_label label;
	char link[64];
	struct stat exe;

	if (identity_label(pid, &label) < 0 || label.contid != contid)
		return reply_refuse(ret, EINVAL,
				    "pid %d is not a process of container %" PRIu64
				    ": \"init\" names the container's runtime's init",
				    (int)pid, contid);
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	*init = (struct model_runtime_init){ .tgid = pid };
	if (model_proc_stat(pid, &(pid_t){ 0 }, &init->start_time) < 0 || stat(link, &exe) < 0)
		return reply_refuse(ret, ESRCH, "pid %d of container %" PRIu64 " has ended",
				    (int)pid, contid);
	init->exe_dev = exe.st_dev;
	init->exe_ino = exe.st_ino;
	return 0;
}

/*
 * @init_pid counts only where the domain is made: a runtime that runs the hook
 * at two stages asks twice, and a domain that exists keeps what it had.
 */
static int move(uint64_t contid, enum canister_model_action action, pid_t init_pid, bool live,
		struct canister_reply *ret)
{
	struct model_runtime_init init;
	enum model_mode to = action == CANISTER_MODEL_ACT_LEARN	 ? MODEL_MODE_LEARN
			     : action == CANISTER_MODEL_ACT_SEAL ? MODEL_MODE_SEAL
								 : MODEL_MODE_ENFORCE;
	char why[512];
	int r = model_domains_advance(contid, to, why, sizeof(why));

	if (r == -ENOENT && to == MODEL_MODE_LEARN) {
		if (!live)
			return reply_refuse(ret, ESRCH, "no container %" PRIu64, contid);
		if (init_pid) {
			r = runtime_init(contid, init_pid, &init, ret);
			if (r < 0)
				return r;
		}
		r = model_domains_add(contid, NULL, MODEL_MODE_LEARN, init_pid ? &init : NULL);
		if (r < 0)
			return reply_refuse(ret, -r,
					    "cannot make container %" PRIu64 "'s model: %s", contid,
					    strerror(-r));
		/* Every open waits for the gate from now on, before the caller hears back. */
		integrity_follow_file_check(true);
		/* And its processes' other events are observed from now on. */
		(void)model_observed_want(contid);
		log_info("model: container %" PRIu64 " learns", contid);
		return keep(contid, to, ret);
	}
	if (r == -ENOENT)
		return reply_refuse(ret, ENOENT,
				    "container %" PRIu64 " has no model: learn or load one first",
				    contid);
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	if (r == 0) {
		log_info("model: container %" PRIu64 " moves to %s", contid, model_mode_name(to));
		/* A 32-bit call recorded while it learned is judged again when made again. */
		model_observed_moved(contid);
	}
	/* lsm mode: its socket and signal events are denied in the kernel before the reply. */
	if (r == 0 && to == MODEL_MODE_ENFORCE)
		model_observed_enforce(contid);
	return keep(contid, to, ret);
}

/*
 * A container that ended may have had its domain freed from memory (its
 * model_dir files stay until canisterd restarts): it is loaded back, as a
 * restart would, so that its views read on; the capability's tick frees it
 * again.  Its counters and forensics start again from nothing.
 */
static void load_back(uint64_t contid)
{
	enum model_mode mode;
	char why[512];
	int r;

	if (model_domains_mode(contid, &mode) == 0)
		return;
	r = model_store_reload_one(model_dir(), contid, why, sizeof(why));
	if (r == 0)
		log_info("model: container %" PRIu64 " ended: its domain is loaded back from %s "
			 "for a request",
			 contid, model_dir());
	else if (r != -ENOENT)
		log_warning("model: container %" PRIu64 "'s stored model does not load back: %s",
			    contid, why);
}

int model_handle_model(struct canisterd *d, const struct peer *peer,
		       const struct canister_request *request, struct canister_reply *ret)
{
	const struct canister_model_request *model = &request->model;
	enum canister_model_action action = model->action;
	bool changes = action <= CANISTER_MODEL_ACT_ENFORCE, live = false;
	enum model_mode mode;
	size_t len, page;
	char *text;
	int r;

	r = integrity_check_caller(d, peer, request->contid,
				   changes ? INTEGRITY_SET : INTEGRITY_READ, &live, ret);
	if (r < 0)
		return r;
	if (!live)
		load_back(request->contid);
	/* Events observed before the request are in the view, and learned before a seal. */
	model_observed_drain();
	if (changes)
		return move(request->contid, action, (pid_t)model->init, live, ret);
	r = model_view(request->contid, action, &text, &len, &mode);
	if (r == -ENOENT)
		return reply_refuse(ret, ENOENT, "container %" PRIu64 " has no model",
				    request->contid);
	if (r < 0)
		return reply_refuse(ret, -r, "%s", strerror(-r));
	if (model->offset > len) {
		free(text);
		return reply_refuse(ret, EINVAL, "offset %" PRIu64 " is past the view's %zu bytes",
				    model->offset, len);
	}
	page = len - model->offset;
	if (page > CANISTER_MODEL_PAGE_MAX)
		page = CANISTER_MODEL_PAGE_MAX;
	snprintf(ret->model.mode, sizeof(ret->model.mode), "%s", model_mode_name(mode));
	ret->model.size = len;
	ret->model.offset = model->offset;
	ret->model.len = page;
	memcpy(ret->model.text, text + model->offset, page);
	ret->model.text[page] = '\0';
	free(text);
	/* A NUL in an export line would end the page early: the reply says it is malformed. */
	if (memchr(ret->model.text, '\0', page))
		return reply_refuse(ret, EPROTO, "the view holds a NUL byte");
	return 0;
}

/*
 * The model file of a model-load that passed it as a memfd: mapped read-only
 * into *@ret_text (munmap() @ret_len bytes; NULL for an empty file).  Only a
 * sealed memfd is read: its bytes cannot change while canisterd parses them,
 * and reading it never waits (a pipe, a socket or a file on FUSE could hold
 * the main loop).  The caller read the file itself, with its own rights.
 */
static int memfd_text(int fd, char **ret_text, size_t *ret_len, struct canister_reply *ret)
{
	const int sealed = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	struct stat st;
	void *text;
	int seals;

	if (fd < 0)
		return reply_refuse(ret, EINVAL,
				    "\"model_memfd\" names the memfd passed with the request, and "
				    "none was passed");
	seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || (seals & sealed) != sealed || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return reply_refuse(ret, EINVAL,
				    "the descriptor passed with the request is not a memfd sealed "
				    "against writing, growing and shrinking");
	if (st.st_size > CANISTER_MODEL_FILE_MAX)
		return reply_refuse(ret, E2BIG,
				    "model: longer than %d bytes, the most canisterd takes",
				    CANISTER_MODEL_FILE_MAX);
	*ret_len = (size_t)st.st_size;
	*ret_text = NULL;
	if (!*ret_len)
		return 0;
	text = mmap(NULL, *ret_len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (text == MAP_FAILED)
		return reply_refuse(ret, errno == ENOMEM ? ENOMEM : EIO,
				    "cannot map the model file's memfd: %s", strerror(errno));
	*ret_text = text;
	return 0;
}

int model_handle_load(struct canisterd *d, const struct peer *peer,
		      const struct canister_request *request, struct canister_reply *ret)
{
	const struct canister_model_request *load = &request->model;
	enum model_mode mode = load->enforce ? MODEL_MODE_ENFORCE : MODEL_MODE_SEAL;
	struct model_runtime_init init;
	struct canister_model *model;
	char why[512];
	bool live = false;
	int r = integrity_check_caller(d, peer, request->contid, INTEGRITY_SET, &live, ret);

	if (r < 0)
		return r;
	if (!live)
		return reply_refuse(ret, ESRCH, "no container %" PRIu64, request->contid);
	if (load->init) {
		r = runtime_init(request->contid, (pid_t)load->init, &init, ret);
		if (r < 0)
			return r;
	}
	if (load->memfd) {
		char *text = NULL;
		size_t len = 0;

		r = memfd_text(load->fd, &text, &len, ret);
		if (r < 0)
			return r;
		r = canister_model_file_parse(text ? text : "", len, "model", &model, why,
					      sizeof(why));
		if (text)
			munmap(text, len);
	} else {
		r = canister_model_file_parse(load->text, load->text_len, "model", &model, why,
					      sizeof(why));
	}
	if (r == -ENOMEM)
		return reply_refuse(ret, ENOMEM, "out of memory");
	if (r < 0)
		return reply_refuse(ret, -r == E2BIG ? E2BIG : EINVAL, "%s", why);
	r = model_domains_add(request->contid, model, mode, load->init ? &init : NULL);
	if (r < 0) {
		canister_model_free(model);
		if (r == -EBUSY)
			return reply_refuse(ret, EBUSY,
					    "container %" PRIu64 " has a model already: a model is "
					    "loaded once, into a container that has none",
					    request->contid);
		return reply_refuse(ret, -r, "cannot hold container %" PRIu64 "'s model: %s",
				    request->contid, strerror(-r));
	}
	integrity_follow_file_check(true);
	(void)model_observed_want(request->contid);
	log_info("model: container %" PRIu64 " has a model loaded (%zu coefficients), %s",
		 request->contid, canister_model_count(model, CANISTER_MODEL_LOADED),
		 model_mode_name(mode));
	return keep(request->contid, mode, ret);
}
