/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: tells the service manager (systemd's Type=notify) where canisterd stands. */
#ifndef CANISTERD_NOTIFY_H
#define CANISTERD_NOTIFY_H

#include <stdbool.h>

/*
 * notify_manager: sends STATE ("READY=1", "RELOADING=1", "STOPPING=1",
 * "STATUS=...", newline-separated) to $NOTIFY_SOCKET through libsystemd's
 * sd_notify.  Without $NOTIFY_SOCKET (not started by a service manager), or
 * in the VM's static canisterd (linked without libsystemd), it does nothing.
 * False only when a manager was there and the message failed.
 */
bool notify_manager(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
