// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which mounts of one mount namespace the file gate marks, from its mountinfo (pure). */
#include "integrity/mark_plan.h"

#include "integrity/mark_pick.h"

#include <stdio.h>
#include <string.h>

void mark_plan_init(struct mark_plan *plan)
{
	plan->count = plan->fuse = plan->known = plan->too_many = 0;
	plan->ignore_count = plan->ignore_too_many = 0;
	plan->fuse_point[0] = '\0';
}

bool mark_plan_has(const struct mark_plan *plan, uint32_t device)
{
	for (unsigned int i = 0; i < plan->count; i++)
		if (plan->target[i].device == device)
			return true;
	return false;
}

bool mark_plan_add(struct mark_plan *plan, const char *line, mark_plan_known_fn known, void *ctx)
{
	static struct mountinfo_entry entry; /* PATH_MAX twice: not on the stack */
	struct mark_target *target;
	uint32_t device;

	if (mountinfo_parse(line, &entry) < 0)
		return false;
	if (!mark_pick_fstype(entry.fstype)) {
		if (mark_pick_fuse(entry.fstype) && !plan->fuse++)
			snprintf(plan->fuse_point, sizeof(plan->fuse_point), "%s", entry.point);
		return false;
	}
	device = mark_plan_device(entry.major, entry.minor);
	if (mark_plan_has(plan, device))
		return false;
	if (known && known(device, ctx)) {
		plan->known++;
		return false;
	}
	if (plan->count == MARK_PLAN_MAX) {
		plan->too_many++;
		return false;
	}
	target = &plan->target[plan->count++];
	target->device = device;
	snprintf(target->point, sizeof(target->point), "%s", entry.point);
	snprintf(target->fstype, sizeof(target->fstype), "%s", entry.fstype);
	return true;
}

bool mark_plan_add_ignore(struct mark_plan *plan, const char *line)
{
	static struct mountinfo_entry entry;

	/* A filesystem the gate leaves unmarked has no event to ignore. */
	if (mountinfo_parse(line, &entry) < 0 || !mark_pick_fstype(entry.fstype))
		return false;
	if (plan->ignore_count == MARK_PLAN_MAX) {
		plan->ignore_too_many++;
		return false;
	}
	snprintf(plan->ignore[plan->ignore_count++], PATH_MAX, "%s", entry.point);
	return true;
}
