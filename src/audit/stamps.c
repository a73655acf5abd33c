// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: stamps for canister's own records in logs that also hold the kernel's events. */
#include "audit/stamps.h"

#include "audit/serial.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

static struct {
	pthread_mutex_t lock; /* stamps are asked for by sink threads too */
	struct canister_serial_state state;
} stamps = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int64_t now_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void stamps_kernel_seen(uint32_t serial)
{
	pthread_mutex_lock(&stamps.lock);
	canister_serial_kernel_seen(&stamps.state, serial, now_msec());
	pthread_mutex_unlock(&stamps.lock);
}

void stamps_next(struct canister_record_stamp *ret_stamp)
{
	for (;;) {
		int64_t msec = now_msec();
		uint32_t serial;
		int r;

		pthread_mutex_lock(&stamps.lock);
		r = canister_serial_next(&stamps.state, msec, &serial);
		pthread_mutex_unlock(&stamps.lock);
		if (r == 0) {
			ret_stamp->sec = msec / 1000;
			ret_stamp->msec = (uint32_t)(msec % 1000);
			ret_stamp->serial = serial;
			return;
		}
		/* Rare: more of canister's records in one millisecond than it can stamp. */
		nanosleep(&(struct timespec){ .tv_nsec = 200000 }, NULL);
	}
}
