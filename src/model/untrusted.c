// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the processes a sealed model found outside it, untrusted for good, and their children.
 */
#include "model/untrusted.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

struct mark {
	pid_t tgid;
	uint64_t start_time, contid;
};

/* Unordered: marks are few (a workload that strays), and each lookup is a process's start. */
static struct {
	pthread_mutex_t lock;
	struct mark marks[MODEL_UNTRUSTED_MAX];
	size_t count;
	uint64_t made, refused;
} set = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct mark *find_locked(pid_t tgid, uint64_t start_time)
{
	for (size_t i = 0; i < set.count; i++)
		if (set.marks[i].tgid == tgid && set.marks[i].start_time == start_time)
			return &set.marks[i];
	return NULL;
}

int model_untrusted_mark(pid_t tgid, uint64_t start_time, uint64_t contid)
{
	int r = 0;

	pthread_mutex_lock(&set.lock);
	if (find_locked(tgid, start_time)) {
		r = 1;
	} else if (set.count >= MODEL_UNTRUSTED_MAX) {
		set.refused++;
		r = -E2BIG;
	} else {
		set.marks[set.count++] =
			(struct mark){ .tgid = tgid, .start_time = start_time, .contid = contid };
		set.made++;
	}
	pthread_mutex_unlock(&set.lock);
	return r;
}

bool model_untrusted_has(pid_t tgid, uint64_t start_time)
{
	bool found;

	pthread_mutex_lock(&set.lock);
	found = find_locked(tgid, start_time) != NULL;
	pthread_mutex_unlock(&set.lock);
	return found;
}

void model_untrusted_forget(pid_t tgid)
{
	pthread_mutex_lock(&set.lock);
	for (size_t i = 0; i < set.count;) {
		if (set.marks[i].tgid == tgid)
			set.marks[i] = set.marks[--set.count];
		else
			i++;
	}
	pthread_mutex_unlock(&set.lock);
}

size_t model_untrusted_list(uint64_t contid, pid_t *ret_pids, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&set.lock);
	for (size_t i = 0; i < set.count && n < max; i++)
		if (set.marks[i].contid == contid)
			ret_pids[n++] = set.marks[i].tgid;
	pthread_mutex_unlock(&set.lock);
	return n;
}

void model_untrusted_stats(size_t *ret_marked, uint64_t *ret_made, uint64_t *ret_refused)
{
	pthread_mutex_lock(&set.lock);
	*ret_marked = set.count;
	*ret_made = set.made;
	*ret_refused = set.refused;
	pthread_mutex_unlock(&set.lock);
}

void model_untrusted_clear(void)
{
	pthread_mutex_lock(&set.lock);
	set.count = 0;
	pthread_mutex_unlock(&set.lock);
}
