// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: readiness, reload and stop notifications to the service manager (sd_notify). */
#include "core/notify.h"

#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

/*
 * canisterd links libsystemd; the statically linked one (VM initramfs: no
 * systemd there, and Debian ships no libsystemd.a) links src/core/static/
 * no_systemd.c instead, whose sd_notify does nothing.
 */
bool notify_manager(const char *fmt, ...)
{
	char state[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(state, sizeof(state), fmt, ap);
	va_end(ap);
	/* 0: no manager ($NOTIFY_SOCKET unset); > 0 sent; < 0 it failed. */
	return sd_notify(0, state) >= 0;
}
