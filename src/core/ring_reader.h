/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: a BPF ring buffer read on a thread of its own.  A capability's
 * reports (denials, mappings, isolation records) go to sinks that may wait,
 * and the main loop must not; the thread takes no signal (they are the main
 * loop's, through its signalfd: a SIGTERM taken there would end canisterd
 * without its shutdown).
 */
#ifndef CANISTER_CORE_RING_READER_H
#define CANISTER_CORE_RING_READER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <bpf/libbpf.h>

struct ring_reader {
	struct ring_buffer *rb;
	pthread_t thread;
	atomic_bool stop;
	bool running;
	const char *capability; /* "integrity", for the logs */
	const char *what;	/* "the backstop's denials" */
};

/*
 * Reads the ring buffer map @map_fd, each record to @sample(@ctx, ...), on a
 * new thread.  @what names the records in messages, @capability their
 * capability.  Returns 0, or -errno with @why saying what failed (then
 * nothing runs and @r holds nothing).
 */
int ring_reader_start(struct ring_reader *r, int map_fd, ring_buffer_sample_fn sample, void *ctx,
		      const char *capability, const char *what, char *why, size_t why_len);

/* Stops and joins the thread (within one poll period) and frees the buffer; idle is a no-op. */
void ring_reader_stop(struct ring_reader *r);

#endif
