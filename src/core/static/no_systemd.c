// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd linked statically for the VM's initramfs: no systemd runs there and
 * Debian ships no libsystemd.a, so sd_notify (src/core/notify.c) does nothing.
 */
#include <systemd/sd-daemon.h>

int sd_notify(int unset_environment, const char *state)
{
	return 0;
}
