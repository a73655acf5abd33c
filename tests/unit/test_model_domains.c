// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the behaviour model capability's pure parts: judge, domains, TASK_IDs,
 * /proc/PID/stat and the model ops on the wire. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/protocol.h"
#include "model/digest.h"
#include "model/domains.h"
#include "model/judge.h"
#include "model/proc_stat.h"
#include "model/task_ids.h"

#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_mode_advance(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(model_mode_advance(MODEL_MODE_LEARN, MODEL_MODE_SEAL, why, sizeof(why)),
			 0);
	assert_int_equal(model_mode_advance(MODEL_MODE_LEARN, MODEL_MODE_ENFORCE, why, sizeof(why)),
			 0);
	assert_int_equal(model_mode_advance(MODEL_MODE_SEAL, MODEL_MODE_ENFORCE, why, sizeof(why)),
			 0);
	assert_int_equal(model_mode_advance(MODEL_MODE_SEAL, MODEL_MODE_SEAL, why, sizeof(why)), 1);
	assert_int_equal(model_mode_advance(MODEL_MODE_ENFORCE, MODEL_MODE_SEAL, why, sizeof(why)),
			 -EPERM);
	assert_string_equal(why, "the model is in enforce: a domain moves only forward (learn, "
				 "seal, enforce), never back to seal");
	assert_int_equal(model_mode_advance(MODEL_MODE_SEAL, MODEL_MODE_LEARN, why, sizeof(why)),
			 -EPERM);
	assert_int_equal(model_mode_advance(MODEL_MODE_SEAL, (enum model_mode)7, why, sizeof(why)),
			 -EINVAL);
	assert_null(model_mode_name((enum model_mode)3));
}

static void test_judge(void **state)
{
	struct model_judgement j;

	(void)state;
	/* Learning: everything allowed, nothing forensic; what was not added is counted. */
	model_judge(MODEL_MODE_LEARN, 0, CANISTER_MODEL_NEW, true, &j);
	assert_true(j.allow && !j.forensic && !j.untrusted && !j.unlearned);
	model_judge(MODEL_MODE_LEARN, -E2BIG, CANISTER_MODEL_KNOWN, true, &j);
	assert_true(j.allow && !j.forensic && j.unlearned);
	/* Sealed: a known coefficient passes, a violation is forensics and untrusts. */
	model_judge(MODEL_MODE_SEAL, 0, CANISTER_MODEL_KNOWN, true, &j);
	assert_true(j.allow && !j.forensic && !j.untrusted);
	model_judge(MODEL_MODE_SEAL, 0, CANISTER_MODEL_VIOLATION, true, &j);
	assert_true(j.allow && j.forensic && j.untrusted);
	/* Enforced: denied at a gate, recorded only where nothing is synchronous. */
	model_judge(MODEL_MODE_ENFORCE, 0, CANISTER_MODEL_VIOLATION, true, &j);
	assert_true(!j.allow && j.forensic && j.untrusted);
	model_judge(MODEL_MODE_ENFORCE, 0, CANISTER_MODEL_VIOLATION, false, &j);
	assert_true(j.allow && j.forensic && j.untrusted);
	/* No coefficient (an unreadable file) or a full model: not in the model. */
	model_judge(MODEL_MODE_ENFORCE, -EIO, CANISTER_MODEL_KNOWN, true, &j);
	assert_true(!j.allow && j.forensic);
	model_judge(MODEL_MODE_SEAL, -E2BIG, CANISTER_MODEL_KNOWN, true, &j);
	assert_true(j.allow && j.forensic && j.untrusted);
}

static void coefficient(uint8_t *c, uint8_t fill)
{
	memset(c, fill, CANISTER_MODEL_DIGEST_SIZE);
}

static int observed_counts(const struct canister_model *model, enum model_mode mode,
			   const struct model_domain_counts *counts, void *data)
{
	(void)model;
	(void)mode;
	*(struct model_domain_counts *)data = *counts;
	return 0;
}

static void test_domains(void **state)
{
	struct model_domain_counts counts;
	struct model_judgement j;
	enum model_mode mode;
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];
	size_t by_mode[3];
	uint64_t contids[4], generations[4];
	char why[256];

	(void)state;
	assert_int_equal(model_domains_mode(7, &mode), -ENOENT);
	assert_int_equal(model_domains_add(7, NULL, MODEL_MODE_LEARN, NULL), 0);
	assert_int_equal(model_domains_add(7, NULL, MODEL_MODE_LEARN, NULL), -EBUSY);
	assert_int_equal(model_domains_add(3, NULL, MODEL_MODE_LEARN, NULL), 0);
	assert_int_equal(model_domains_count(by_mode), 2);
	assert_int_equal(by_mode[MODEL_MODE_LEARN], 2);
	/* Sorted, whatever the order they came in. */
	assert_int_equal(model_domains_list(contids, 4), 2);
	assert_int_equal(contids[0], 3);
	assert_int_equal(contids[1], 7);

	/* A nested container's domain is its own: 3 learns nothing of 7's. */
	coefficient(c, 0x11);
	assert_int_equal(model_domains_observe(7, c, 0, "{}", true, &j, &mode), 0);
	assert_true(j.allow && !j.forensic);
	assert_int_equal(model_domains_dirty(contids, generations, 4), 2);
	model_domains_saved(3, generations[0]);
	model_domains_saved(7, generations[1]);
	assert_int_equal(model_domains_dirty(contids, generations, 4), 0);

	assert_int_equal(model_domains_advance(7, MODEL_MODE_ENFORCE, why, sizeof(why)), 0);
	assert_int_equal(model_domains_advance(7, MODEL_MODE_SEAL, why, sizeof(why)), -EPERM);
	assert_int_equal(model_domains_advance(9, MODEL_MODE_SEAL, why, sizeof(why)), -ENOENT);
	assert_int_equal(model_domains_dirty(contids, generations, 4), 1);
	assert_int_equal(contids[0], 7);
	/* Known: allowed; new: denied at the gate, recorded by an observer. */
	assert_int_equal(model_domains_observe(7, c, 0, NULL, true, &j, &mode), 0);
	assert_true(j.allow && !j.forensic);
	assert_int_equal(mode, MODEL_MODE_ENFORCE);
	coefficient(c, 0x22);
	assert_int_equal(model_domains_observe(7, c, 0, NULL, true, &j, &mode), 0);
	assert_true(!j.allow && j.forensic && j.untrusted);
	assert_int_equal(model_domains_observe(7, NULL, -EIO, NULL, false, &j, &mode), 0);
	assert_true(j.allow && j.forensic);
	/* 3 still learns what 7 found forensic. */
	assert_int_equal(model_domains_observe(3, c, 0, NULL, true, &j, &mode), 0);
	assert_true(j.allow && !j.forensic);
	assert_int_equal(mode, MODEL_MODE_LEARN);
	assert_int_equal(model_domains_observe(9, c, 0, NULL, true, &j, &mode), -ENOENT);
	/* Observed events that could not be completed: counted in their own domain only. */
	model_domains_count_observed(3, 2, true);
	model_domains_count_observed(3, 0, false);
	model_domains_count_observed(9, 1, true); /* no domain: nothing */
	assert_int_equal(model_domains_with(3, observed_counts, &counts), 0);
	assert_true(counts.observed_dropped == 1 && counts.task_id_misses == 2);
	assert_int_equal(model_domains_with(7, observed_counts, &counts), 0);
	assert_true(counts.observed_dropped == 0 && counts.task_id_misses == 0);
	model_domains_clear();
	assert_int_equal(model_domains_count(NULL), 0);
}

/* Which ended domains leave memory (model_ended_pick(), pure). */
static void test_ended_pick(void **state)
{
	struct model_ended ended[4];
	uint64_t picked[4];

	(void)state;
	/* Within the grace and the limit: all stay; past the grace: the saved ones go. */
	ended[0] = (struct model_ended){ .contid = 5, .ended_ms = 1000, .saved = true };
	ended[1] = (struct model_ended){ .contid = 6, .ended_ms = 3000, .saved = true };
	ended[2] = (struct model_ended){ .contid = 7, .ended_ms = 2000, .saved = false };
	assert_int_equal(model_ended_pick(ended, 3, 3500, 60000, 16, picked), 0);
	assert_int_equal(model_ended_pick(ended, 3, 62500, 60000, 16, picked), 1);
	assert_int_equal(picked[0], 5);
	/* Never one not saved, however old. */
	assert_int_equal(model_ended_pick(ended, 3, 1000000, 60000, 16, picked), 2);
	assert_true(picked[0] == 5 && picked[1] == 6);
	/* Beyond the limit: the first ended go first, within the grace too (input order aside). */
	ended[0] = (struct model_ended){ .contid = 9, .ended_ms = 3000, .saved = true };
	ended[1] = (struct model_ended){ .contid = 8, .ended_ms = 1000, .saved = true };
	ended[2] = (struct model_ended){ .contid = 4, .ended_ms = 2000, .saved = true };
	ended[3] = (struct model_ended){ .contid = 3, .ended_ms = 2000, .saved = false };
	assert_int_equal(model_ended_pick(ended, 4, 3500, 60000, 2, picked), 2);
	assert_true(picked[0] == 8 && picked[1] == 4);
	/* A grace of 0 frees every saved one; a clock behind the mark counts as no time. */
	assert_int_equal(model_ended_pick(ended, 4, 3000, 0, 16, picked), 3);
	assert_int_equal(model_ended_pick(ended, 4, 0, 1, 16, picked), 0);
}

static int holding; /* 1 while held_briefly() holds domain 11, 2 once it let go */

static int held_briefly(const struct canister_model *model, enum model_mode mode,
			const struct model_domain_counts *counts, void *data)
{
	(void)model;
	(void)mode;
	(void)counts;
	(void)data;
	__atomic_store_n(&holding, 1, __ATOMIC_RELEASE);
	/* The freeing thread waits for this lock; a sleep widens the window it must wait through.
	 */
	usleep(50000);
	__atomic_store_n(&holding, 2, __ATOMIC_RELEASE);
	return 7;
}

static void *hold_then_release(void *data)
{
	(void)data;
	return (void *)(intptr_t)model_domains_with(11, held_briefly, NULL);
}

/*
 * An ended domain leaves memory only once it is saved; a free waits for a
 * thread that holds it; a live one (never marked) stays; after it, the
 * container has no domain and a load makes one again.
 */
static void test_domains_free(void **state)
{
	uint64_t contids[4], generations[4];
	struct model_ended ended[4];
	enum model_mode mode;
	pthread_t holder;
	void *held;

	(void)state;
	assert_int_equal(model_domains_add(11, NULL, MODEL_MODE_LEARN, NULL), 0);
	assert_int_equal(model_domains_add(12, NULL, MODEL_MODE_LEARN, NULL), 0);
	assert_int_equal(model_domains_ended(ended, 4), 0);
	model_domains_set_ended(11, 500);
	model_domains_set_ended(11, 900); /* the first time counts */
	model_domains_set_ended(99, 500); /* no domain: nothing */
	assert_int_equal(model_domains_ended(ended, 4), 1);
	assert_true(ended[0].contid == 11 && ended[0].ended_ms == 500 && !ended[0].saved);
	/* Not saved yet: it stays. */
	assert_int_equal(model_domains_free(11), -EBUSY);
	assert_int_equal(model_domains_dirty(contids, generations, 4), 2);
	model_domains_saved(contids[0], generations[0]);
	model_domains_saved(contids[1], generations[1]);
	assert_int_equal(model_domains_ended(ended, 4), 1);
	assert_true(ended[0].saved);
	/* A judge holding it: the free waits until it lets go, and the judge saw it whole. */
	assert_int_equal(pthread_create(&holder, NULL, hold_then_release, NULL), 0);
	while (!__atomic_load_n(&holding, __ATOMIC_ACQUIRE))
		usleep(1000);
	assert_int_equal(model_domains_free(11), 0);
	assert_int_equal(__atomic_load_n(&holding, __ATOMIC_ACQUIRE), 2);
	assert_int_equal(pthread_join(holder, &held), 0);
	assert_int_equal((intptr_t)held, 7);
	assert_int_equal(model_domains_mode(11, &mode), -ENOENT);
	assert_int_equal(model_domains_free(11), -ENOENT);
	/* The live one is untouched; a contid seen live again is no longer ended. */
	assert_int_equal(model_domains_mode(12, &mode), 0);
	model_domains_set_ended(12, 700);
	model_domains_set_ended(12, 0);
	assert_int_equal(model_domains_ended(ended, 4), 0);
	assert_int_equal(model_domains_list(contids, 4), 1);
	assert_int_equal(contids[0], 12);
	/* Loaded back (as the store does): a domain again. */
	assert_int_equal(model_domains_add(11, NULL, MODEL_MODE_SEAL, NULL), 0);
	assert_int_equal(model_domains_mode(11, &mode), 0);
	assert_int_equal(mode, MODEL_MODE_SEAL);
	model_domains_clear();
}

/* The steps told, folded as a TPM extends a PCR (model_domains_on_step()). */
static struct {
	uint64_t contid;
	uint8_t pcr[CANISTER_MODEL_DIGEST_SIZE];
	size_t steps;
} told;

static void fold_step(uint64_t contid, const uint8_t step[CANISTER_MODEL_DIGEST_SIZE],
		      const uint8_t step_sha1[CANISTER_MODEL_SHA1_SIZE])
{
	static const uint8_t zeros[CANISTER_MODEL_SHA1_SIZE];

	if (contid != told.contid)
		return;
	/* The sha1 bank's step is computed (host case 148 replays it). */
	assert_memory_not_equal(step_sha1, zeros, sizeof(zeros));
	assert_int_equal(model_sha256(told.pcr, sizeof(told.pcr), step, CANISTER_MODEL_DIGEST_SIZE,
				      told.pcr),
			 0);
	told.steps++;
}

static int measurement_of(const struct canister_model *model, enum model_mode mode,
			  const struct model_domain_counts *counts, void *data)
{
	(void)mode;
	(void)counts;
	canister_model_measurement(model, data);
	return 0;
}

/*
 * Every step of the measurement is told, in its order: folded like a PCR, the
 * steps equal the measurement; a point seen again, or a mode change, is no step;
 * a loaded model's points so far are told when it becomes a domain.
 */
static void test_steps(void **state)
{
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], m[CANISTER_MODEL_DIGEST_SIZE];
	struct canister_model *loaded = canister_model_new(NULL, NULL);
	struct model_judgement j;
	enum model_mode mode;
	char why[256];

	(void)state;
	memset(&told, 0, sizeof(told));
	told.contid = 5;
	model_domains_on_step(fold_step);
	assert_int_equal(model_domains_add(5, NULL, MODEL_MODE_LEARN, NULL), 0);
	assert_int_equal(told.steps, 1); /* the aggregate */
	coefficient(c, 0x33);
	assert_int_equal(model_domains_observe(5, c, 0, NULL, true, &j, &mode), 0);
	assert_int_equal(model_domains_observe(5, c, 0, NULL, true, &j, &mode), 0);
	assert_int_equal(told.steps, 2);
	assert_int_equal(model_domains_advance(5, MODEL_MODE_SEAL, why, sizeof(why)), 0);
	coefficient(c, 0x01); /* forensic: a point, and a step, all the same */
	assert_int_equal(model_domains_observe(5, c, 0, NULL, true, &j, &mode), 0);
	assert_int_equal(model_domains_observe(5, NULL, -EIO, NULL, true, &j, &mode), 0);
	assert_int_equal(told.steps, 3);
	assert_int_equal(model_domains_with(5, measurement_of, m), 0);
	assert_memory_equal(told.pcr, m, sizeof(m));

	/* A loaded model: its aggregate and points, in the model's order, at the add. */
	memset(&told, 0, sizeof(told));
	told.contid = 6;
	assert_non_null(loaded);
	coefficient(c, 0x44);
	assert_int_equal(canister_model_load(loaded, c), 0);
	coefficient(c, 0x02);
	assert_int_equal(canister_model_load(loaded, c), 0);
	assert_int_equal(model_domains_add(6, loaded, MODEL_MODE_ENFORCE, NULL), 0);
	assert_int_equal(told.steps, 3);
	assert_int_equal(model_domains_with(6, measurement_of, m), 0);
	assert_memory_equal(told.pcr, m, sizeof(m));
	model_domains_on_step(NULL);
	coefficient(c, 0x55);
	assert_int_equal(model_domains_observe(6, c, 0, NULL, true, &j, &mode), 0);
	assert_int_equal(told.steps, 3);
	model_domains_clear();
}

static void test_task_ids(void **state)
{
	/* Start times no process has: the table asks whether a task lives before it forgets it. */
	struct model_task_key key = { .tgid = 10, .start_time = ~0ull, .exe_dev = 1, .exe_ino = 2 };
	uint8_t id[CANISTER_MODEL_DIGEST_SIZE], got[CANISTER_MODEL_DIGEST_SIZE];
	struct model_task_ids_stats stats;
	uint64_t held, forgotten;

	(void)state;
	model_task_ids_clear();
	assert_false(model_task_ids_get(7, &key, got));
	memset(id, 0xab, sizeof(id));
	model_task_ids_put(7, &key, id, false);
	assert_true(model_task_ids_get(7, &key, got));
	assert_memory_equal(got, id, sizeof(id));
	/* A reused pid (another start time) and another executable are other tasks. */
	key.start_time = ~1ull;
	assert_false(model_task_ids_get(7, &key, got));
	key.start_time = ~0ull;
	key.exe_ino = 3;
	assert_false(model_task_ids_get(7, &key, got));
	key.exe_ino = 2;
	/*
	 * Container 8 runs more programs than its table holds: it forgets its
	 * own oldest, never container 7's task.
	 */
	for (pid_t pid = 100; pid < 100 + MODEL_TASK_IDS_MAX + 10; pid++) {
		struct model_task_key storm = { .tgid = pid, .start_time = ~0ull, .exe_ino = 9 };

		model_task_ids_put(8, &storm, id, false);
	}
	assert_true(model_task_ids_get(7, &key, got));
	model_task_ids_container(8, &held, &forgotten);
	assert_int_equal(held, MODEL_TASK_IDS_MAX);
	assert_int_equal(forgotten, 10);
	model_task_ids_container(7, &held, &forgotten);
	assert_int_equal(held, 1);
	assert_int_equal(forgotten, 0);
	model_task_ids_stats(&stats);
	assert_int_equal(stats.held, MODEL_TASK_IDS_MAX + 1);
	assert_int_equal(stats.forgotten, 10);
	assert_int_equal(stats.containers, 1);
	assert_int_equal(stats.refused, 0);
	/* A freed domain's table goes; the others stay. */
	model_task_ids_forget(8);
	model_task_ids_container(8, &held, &forgotten);
	assert_int_equal(held, 0);
	assert_true(model_task_ids_get(7, &key, got));
	model_task_ids_clear();
	assert_false(model_task_ids_get(7, &key, got));
}

static void *wait_for_gate(void *fd)
{
	char c;

	/* Returns at the parent's close of the write end. */
	while (read(*(int *)fd, &c, 1) > 0)
		;
	_exit(0);
}

/* In the child: a thread waits on @gate's read end; the leader exits (SYS_exit: this thread only).
 */
static void leader_exits_thread_waits(int gate[2])
{
	static int fd;
	pthread_t thread;

	close(gate[1]);
	fd = gate[0];
	if (pthread_create(&thread, NULL, wait_for_gate, &fd))
		_exit(1);
	syscall(SYS_exit, 0);
}

/* Whether @pid's leader becomes a zombie within 20 s. */
static bool leader_is_zombie(pid_t pid)
{
	char path[64], text[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 20000; i++) {
		FILE *f = fopen(path, "r");
		char *at = NULL;

		if (f && fgets(text, sizeof(text), f))
			at = strrchr(text, ')');
		if (f)
			fclose(f);
		if (at && at[1] == ' ' && at[2] == 'Z')
			return true;
		usleep(1000);
	}
	return false;
}

static void test_proc_stat(void **state)
{
	static const char line[] =
		"4242 (a) b) c) S 17 4242 4242 0 -1 4194560 120 0 0 0 1 2 0 0 20 "
		"0 1 0 987654 10000 200 18446744073709551615\n";
	uint64_t start = 0;
	pid_t ppid = 0;

	(void)state;
	assert_int_equal(model_proc_stat_parse(line, strlen(line), &ppid, &start), 0);
	assert_int_equal(ppid, 17);
	assert_int_equal(start, 987654);
	/* Cut before the start time, a field that is no number, no command at all. */
	assert_int_equal(model_proc_stat_parse(line, 60, &ppid, &start), -EPROTO);
	assert_int_equal(model_proc_stat_parse("1 (x) S x 1", 11, &ppid, &start), -EPROTO);
	assert_int_equal(model_proc_stat_parse("1 x S 1 1", 9, &ppid, &start), -EPROTO);
	assert_int_equal(
		model_proc_stat_parse("1 (x) S 99999999999 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 "
				      "1 1",
				      51, &ppid, &start),
		-EPROTO);
	assert_int_equal(model_proc_stat(getpid(), &ppid, &start), 0);
	assert_int_equal(ppid, getppid());

	/* A zombie (its exit past, only its parent's wait not) is no live process. */
	assert_false(model_proc_stat_ended(line, strlen(line)));
	assert_true(model_proc_stat_ended("7 (sh) Z 1 7", 12));
	assert_true(model_proc_stat_ended("7 (a) Z) X 1 7", 14));
	assert_false(model_proc_stat_ended("7 (a) Z) R 1 7", 14));
	assert_false(model_proc_stat_ended("7 (sh)", 6));
	/* A zombie leader with two threads running: the process lives (field 20, num_threads). */
	static const char leader[] =
		"9 (a) Z 1 9 9 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 3 0 555 0 0\n";
	static const char ended[] = "9 (a) Z 1 9 9 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0\n";

	assert_false(model_proc_stat_ended(leader, strlen(leader)));
	assert_true(model_proc_stat_ended(ended, strlen(ended)));
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	/* It becomes a zombie within the bound: the parent has not waited. */
	for (int i = 0; i < 20000 && model_proc_stat(child, &ppid, &start) == 0; i++)
		usleep(1000);
	assert_int_equal(model_proc_stat(child, &ppid, &start), -ESRCH);
	waitpid(child, NULL, 0);

	/* The same of a process whose leader exited while a thread runs on: it lives. */
	int gate[2];

	assert_int_equal(pipe(gate), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		leader_exits_thread_waits(gate);
	close(gate[0]);
	assert_true(leader_is_zombie(child));
	assert_int_equal(model_proc_stat(child, &ppid, &start), 0);
	close(gate[1]);
	for (int i = 0; i < 20000 && model_proc_stat(child, &ppid, &start) == 0; i++)
		usleep(1000);
	assert_int_equal(model_proc_stat(child, &ppid, &start), -ESRCH);
	waitpid(child, NULL, 0);
}

static void test_wire(void **state)
{
	static struct canister_request request, decoded;
	char buf[2048], err[256];
	int n;

	(void)state;
	request.op = CANISTER_OP_MODEL;
	request.contid = 12;
	request.model.action = CANISTER_MODEL_ACT_FORENSICS;
	request.model.offset = 65536;
	n = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(canister_request_decode(buf, (size_t)n, &decoded, err, sizeof(err)), 0);
	assert_int_equal(decoded.model.action, CANISTER_MODEL_ACT_FORENSICS);
	assert_int_equal(decoded.model.offset, 65536);
	assert_int_equal(decoded.contid, 12);
	snprintf(buf, sizeof(buf), "{\"op\":\"model\",\"contid\":\"12\",\"action\":\"forget\"}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)),
			 -EINVAL);
	snprintf(buf, sizeof(buf),
		 "{\"op\":\"model-load\",\"contid\":\"12\",\"model\":\"x\",\"enforce\":1}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "\"enforce\" must be true or false");
	snprintf(buf, sizeof(buf),
		 "{\"op\":\"model-load\",\"contid\":\"12\",\"model\":\"end\\n\",\"enforce\":true}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)), 0);
	assert_true(decoded.model.enforce);
	assert_string_equal(decoded.model.text, "end\n");
	request.model.offset = 0;
	/* The runtime's init (docs/model.md): with learn or model-load, a pid. */
	request.model.action = CANISTER_MODEL_ACT_LEARN;
	request.model.init = 4321;
	n = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(canister_request_decode(buf, (size_t)n, &decoded, err, sizeof(err)), 0);
	assert_int_equal(decoded.model.init, 4321);
	/* Only learn makes a domain. */
	request.model.action = CANISTER_MODEL_ACT_SEAL;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
	snprintf(buf, sizeof(buf),
		 "{\"op\":\"model\",\"contid\":\"12\",\"action\":\"seal\",\"init\":4321}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "\"init\" goes with the action learn, which makes a domain");
	snprintf(buf, sizeof(buf),
		 "{\"op\":\"model-load\",\"contid\":\"12\",\"model\":\"end\\n\",\"init\":0}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "\"init\" must be a pid in 1..4194304");
	snprintf(buf, sizeof(buf),
		 "{\"op\":\"model-load\",\"contid\":\"12\",\"model\":\"end\\n\",\"init\":\"7\"}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)),
			 -EINVAL);
	snprintf(buf, sizeof(buf),
		 "{\"op\":\"model-load\",\"contid\":\"12\",\"model\":\"end\\n\",\"init\":4194304}");
	assert_int_equal(canister_request_decode(buf, strlen(buf), &decoded, err, sizeof(err)), 0);
	assert_int_equal(decoded.model.init, 4194304);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_advance), cmocka_unit_test(test_judge),
		cmocka_unit_test(test_domains),	     cmocka_unit_test(test_ended_pick),
		cmocka_unit_test(test_domains_free), cmocka_unit_test(test_steps),
		cmocka_unit_test(test_task_ids),     cmocka_unit_test(test_proc_stat),
		cmocka_unit_test(test_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
