// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a container's IMA policy parsed, printed as the kernel prints it, and
 * matched. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/ima_policy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCE "policy.txt"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Filesystem magics (include/uapi/linux/magic.h) the tests use. */
#define PROC_SUPER_MAGIC 0x9fa0
#define EXT4_SUPER_MAGIC 0xef53

static struct canister_ima_policy *parse_ok(const char *text)
{
	struct canister_ima_policy *policy = NULL;
	char why[512] = "";
	int r;

	r = canister_ima_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why));
	if (r != 0)
		fail_msg("policy refused (%d): %s\n%s", r, why, text);
	assert_non_null(policy);
	return policy;
}

/* The policy's printed text; free() it. */
static char *printed(const struct canister_ima_policy *policy)
{
	size_t len = canister_ima_policy_print(policy, NULL, 0);
	char *text = malloc(len + 1);

	assert_non_null(text);
	assert_int_equal(canister_ima_policy_print(policy, text, len + 1), len);
	assert_int_equal(strlen(text), len);
	return text;
}

static void expect_printed(const char *text, const char *expected)
{
	struct canister_ima_policy *policy = parse_ok(text);
	char *out = printed(policy);

	assert_string_equal(out, expected);
	free(out);
	canister_ima_policy_free(policy);
}

static void expect_refused(const char *text, int expected_r, const char *expected_why)
{
	struct canister_ima_policy *sentinel = (struct canister_ima_policy *)&sentinel;
	struct canister_ima_policy *policy = sentinel;
	char why[512] = "";
	int r;

	r = canister_ima_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why));
	if (r != expected_r)
		fail_msg("expected %d, got %d (%s) for: %s", expected_r, r, why, text);
	assert_string_equal(why, expected_why);
	/* All or nothing: the caller's pointer is untouched. */
	assert_ptr_equal(policy, sentinel);
}

/* Every form canister prints, each field where IMA puts it, whatever order the text had. */
static void test_prints_as_the_kernel(void **state)
{
	expect_printed("# tcb-like\n"
		       "measure func=BPRM_CHECK mask=MAY_EXEC\n"
		       "measure template=ima-sig mask=MAY_EXEC func=FILE_MMAP\n"
		       "\tdont_measure fsmagic=0x9fa0   # proc\n"
		       "measure func=PATH_CHECK mask=^MAY_READ euid=0\n"
		       "measure fowner>3000000000 uid<1000 func=FILE_CHECK mask=^MAY_READ\n"
		       "dont_audit fsuuid=0123ABCD-0123-4567-89ab-0123456789AB\n"
		       "appraise_type=imasig appraise func=BPRM_CHECK fowner=54321\n"
		       "audit fsmagic=0 euid>99 fsuuid=00000000-0000-0000-0000-000000000000\n"
		       "dont_appraise mask=MAY_APPEND fsmagic=EF53\n"
		       "measure mask=MAY_WRITE\n"
		       "measure",
		       "measure func=BPRM_CHECK mask=MAY_EXEC \n"
		       "measure func=MMAP_CHECK mask=MAY_EXEC template=ima-sig \n"
		       "dont_measure fsmagic=0x9fa0 \n"
		       "measure func=FILE_CHECK mask=^MAY_READ euid=0 \n"
		       "measure func=FILE_CHECK mask=^MAY_READ uid<1000 fowner>-1294967296 \n"
		       "dont_audit fsuuid=0123abcd-0123-4567-89ab-0123456789ab \n"
		       "appraise func=BPRM_CHECK fowner=54321 appraise_type=imasig \n"
		       "audit fsmagic=0x0 fsuuid=00000000-0000-0000-0000-000000000000 euid>99 \n"
		       "dont_appraise mask=MAY_APPEND fsmagic=0xef53 \n"
		       "measure mask=MAY_WRITE \n"
		       "measure \n");
}

static void test_rules_keep_their_facts(void **state)
{
	struct canister_ima_policy *policy =
		parse_ok("\n# first\n  measure func=FILE_CHECK mask=^MAY_READ uid>1000\n\n"
			 "dont_measure fsmagic=0X1BADFACE fowner<7\n"
			 "measure template=d-ng|n-ng|sig\n");
	const struct canister_ima_rule *r = policy->rules;

	assert_int_equal(policy->count, 3);
	assert_int_equal(r[0].line, 3);
	assert_int_equal(r[0].action, CANISTER_IMA_MEASURE);
	assert_int_equal(r[0].conds,
			 CANISTER_IMA_COND_FUNC | CANISTER_IMA_COND_INMASK | CANISTER_IMA_COND_UID);
	assert_int_equal(r[0].func, CANISTER_IMA_FILE_CHECK);
	assert_int_equal(r[0].mask, CANISTER_IMA_MAY_READ);
	assert_int_equal(r[0].uid, 1000);
	assert_int_equal(r[0].uid_op, CANISTER_IMA_ID_GT);
	canister_ima_policy_free(policy);

	/* template= on a dont_measure rule: refused, as IMA does. */
	expect_refused("dont_measure fsmagic=0X1BADFACE fowner<7 template=ima-ng\n", -EINVAL,
		       "policy.txt:1: template= is for measure rules, not dont_measure rules");

	policy = parse_ok("dont_measure fsmagic=0X1BADFACE fowner<7\n"
			  "measure template=d-ng|n-ng|sig\n");
	r = policy->rules;
	assert_int_equal(r[0].fsmagic, 0x1badface);
	assert_int_equal(r[0].fowner, 7);
	assert_int_equal(r[0].fowner_op, CANISTER_IMA_ID_LT);
	/* A template named by its format, as IMA's lookup_template_desc() accepts. */
	assert_int_equal(r[1].template, CANISTER_IMA_RULE_TEMPLATE_IMA_SIG);
	assert_int_equal(r[1].line, 2);
	canister_ima_policy_free(policy);
}

static void test_comments_and_blank_lines(void **state)
{
	struct canister_ima_policy *policy = parse_ok("# only comments\n\n   \n\t# indented\n");

	/* An empty policy is a policy: it measures nothing. */
	assert_int_equal(policy->count, 0);
	canister_ima_policy_free(policy);

	expect_printed("", "");
	/* A word starting with '#' ends the rule, as in IMA; '#' inside a word does not. */
	expect_printed("measure func=BPRM_CHECK #func=FILE_CHECK mask=MAY_READ\n",
		       "measure func=BPRM_CHECK \n");
	expect_refused("measure func=BPRM_CHECK#x\n", -EINVAL,
		       "policy.txt:1: func=BPRM_CHECK#x: unknown hook (canister sees BPRM_CHECK, "
		       "MMAP_CHECK or FILE_MMAP, FILE_CHECK or PATH_CHECK)");
	/* Tabs and runs of spaces separate words; the last line needs no newline. */
	expect_printed("\t measure\t\tfunc=BPRM_CHECK  \t", "measure func=BPRM_CHECK \n");
}

static void test_refusals(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} cases[] = {
		{ "measure fsname=ext4\n", "policy.txt:1: unknown condition \"fsname=\" (canister "
					   "knows func, mask, uid, euid, "
					   "fowner, fsmagic, fsuuid, template, appraise_type)" },
		{ "measure\nmeasure\nmeasure gid=0\n",
		  "policy.txt:3: unknown condition \"gid=\" (canister knows func, mask, uid, euid, "
		  "fowner, fsmagic, fsuuid, template, appraise_type)" },
		{ "measure obj_type=bin_t\n",
		  "policy.txt:1: unknown condition \"obj_type=\" (canister knows func, mask, uid, "
		  "euid, fowner, fsmagic, fsuuid, template, appraise_type)" },
		{ "measur func=BPRM_CHECK\n",
		  "policy.txt:1: unknown action \"measur\" (canister knows measure, dont_measure, "
		  "audit, dont_audit, appraise, dont_appraise)" },
		{ "hash func=BPRM_CHECK\n",
		  "policy.txt:1: \"hash\" is not supported: IMA's hash action (write the digest to "
		  "security.ima) is not canister's to do" },
		{ "appraise permit_directio\n",
		  "policy.txt:1: \"permit_directio\" is not supported: canister's gate reads every "
		  "file it measures; it has no direct-I/O exemption" },
		{ "measure audit\n",
		  "policy.txt:1: \"audit\": a rule has one action, and this one has \"measure\"" },
		{ "func=BPRM_CHECK mask=MAY_EXEC\n",
		  "policy.txt:1: no action (a rule has one of measure, dont_measure, audit, "
		  "dont_audit, appraise, dont_appraise)" },
		{ "measure func=MODULE_CHECK\n", "policy.txt:1: func=MODULE_CHECK: canister cannot "
						 "see it: kernel module loads are "
						 "the host's, not a container's (canister sees "
						 "BPRM_CHECK, MMAP_CHECK, FILE_CHECK)" },
		{ "measure func=FIRMWARE_CHECK\n",
		  "policy.txt:1: func=FIRMWARE_CHECK: canister cannot see it: firmware loads are "
		  "the "
		  "host's, not a container's (canister sees BPRM_CHECK, MMAP_CHECK, FILE_CHECK)" },
		{ "measure func=KEXEC_KERNEL_CHECK\n",
		  "policy.txt:1: func=KEXEC_KERNEL_CHECK: canister cannot see it: kexec is the "
		  "host's, not a container's (canister sees BPRM_CHECK, MMAP_CHECK, FILE_CHECK)" },
		{ "measure func=POLICY_CHECK\n",
		  "policy.txt:1: func=POLICY_CHECK: canister cannot see it: IMA policy files are "
		  "read by the host kernel, not by a container (canister sees BPRM_CHECK, "
		  "MMAP_CHECK, FILE_CHECK)" },
		{ "measure func=CREDS_CHECK\n",
		  "policy.txt:1: func=CREDS_CHECK: canister cannot see it: no event it sees "
		  "carries "
		  "the credentials an exec is about to take; BPRM_CHECK judges the exec (canister "
		  "sees BPRM_CHECK, MMAP_CHECK, FILE_CHECK)" },
		{ "measure func=KEY_CHECK\n",
		  "policy.txt:1: func=KEY_CHECK: canister cannot see it: keys added to kernel "
		  "keyrings are not files a container opens (canister sees BPRM_CHECK, MMAP_CHECK, "
		  "FILE_CHECK)" },
		{ "measure func=bprm_check\n", "policy.txt:1: func=bprm_check: unknown hook "
					       "(canister sees BPRM_CHECK, MMAP_CHECK "
					       "or FILE_MMAP, FILE_CHECK or PATH_CHECK)" },
		{ "measure func=\n", "policy.txt:1: \"func=\": no value" },
		{ "measure mask=MAY_READ|MAY_EXEC\n",
		  "policy.txt:1: mask=MAY_READ|MAY_EXEC: unknown mask (MAY_EXEC, MAY_WRITE, "
		  "MAY_READ "
		  "or MAY_APPEND, with ^ before it for \"includes\")" },
		{ "measure mask=^\n", "policy.txt:1: mask=^: unknown mask (MAY_EXEC, MAY_WRITE, "
				      "MAY_READ or MAY_APPEND, "
				      "with ^ before it for \"includes\")" },
		{ "measure func<BPRM_CHECK\n", "policy.txt:1: \"func<\": func takes \"=\" only "
					       "(\"<\" and \">\" are for uid, euid "
					       "and fowner)" },
		{ "measure fsmagic=0x\n",
		  "policy.txt:1: fsmagic=0x: not a hexadecimal number of 64 bits at most" },
		{ "measure fsmagic=-1\n",
		  "policy.txt:1: fsmagic=-1: not a hexadecimal number of 64 bits at most" },
		{ "measure fsmagic=10000000000000000\n",
		  "policy.txt:1: fsmagic=10000000000000000: not a hexadecimal number of 64 bits at "
		  "most" },
		{ "measure fsuuid=0123abcd-0123-4567-89ab-0123456789abcd\n",
		  "policy.txt:1: fsuuid=0123abcd-0123-4567-89ab-0123456789abcd: not a UUID "
		  "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal)" },
		{ "measure fsuuid=0123abcd0123-4567-89ab-0123456789abc\n",
		  "policy.txt:1: fsuuid=0123abcd0123-4567-89ab-0123456789abc: not a UUID "
		  "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal)" },
		{ "measure uid=4294967295\n",
		  "policy.txt:1: uid=4294967295: not a user id (decimal, 0 to 4294967294)" },
		{ "measure euid=0x10\n", "policy.txt:1: euid=0x10: not a user id (decimal, 0 to "
					 "4294967294)" },
		{ "measure fowner<-1\n",
		  "policy.txt:1: fowner<-1: not a user id (decimal, 0 to 4294967294)" },
		{ "measure uid=-2147483649\n",
		  "policy.txt:1: uid=-2147483649: not a user id (decimal, 0 to 4294967294)" },
		{ "measure uid=\n",
		  "policy.txt:1: uid=: not a user id (decimal, 0 to 4294967294)" },
		{ "measure template=ima\n", "policy.txt:1: template=ima: not supported: canister "
					    "writes its lists in ima-ng or "
					    "ima-sig" },
		{ "measure template=ima-buf\n",
		  "policy.txt:1: template=ima-buf: not supported: canister writes its lists in "
		  "ima-ng or ima-sig" },
		{ "measure template=mine\n",
		  "policy.txt:1: template=mine: unknown template (canister writes ima-ng and "
		  "ima-sig)" },
		{ "template=ima-ng measure\n", "policy.txt:1: template= before the action: IMA "
					       "reads it only after \"measure\"" },
		{ "audit template=ima-ng\n",
		  "policy.txt:1: template= is for measure rules, not audit rules" },
		{ "measure appraise_type=imasig\n",
		  "policy.txt:1: appraise_type= is for appraise rules, not measure rules" },
		{ "appraise appraise_type=imasig|modsig\n",
		  "policy.txt:1: appraise_type=imasig|modsig: not supported: canister appraises "
		  "security.ima signatures only (modsig is for kernel modules and kexec images)" },
		{ "appraise appraise_type=sigv3\n",
		  "policy.txt:1: appraise_type=sigv3: unknown (canister knows imasig)" },
		{ "measure func=BPRM_CHECK\r\n",
		  "policy.txt:1: \"func=BPRM_CHECK?\": carriage return in a rule (IMA reads lines "
		  "that end in \\n alone)" },
		{ "measure fsname=\x1b[31m\n",
		  "policy.txt:1: unknown condition \"fsname=\" (canister knows func, mask, uid, "
		  "euid, "
		  "fowner, fsmagic, fsuuid, template, appraise_type)" },
		{ "measure\x1b[31m\n",
		  "policy.txt:1: unknown action \"measure?[31m\" (canister knows measure, "
		  "dont_measure, audit, dont_audit, appraise, dont_appraise)" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_refused(cases[i].text, -EINVAL, cases[i].why);
}

static void test_duplicate_conditions(void **state)
{
	expect_refused("measure func=BPRM_CHECK func=BPRM_CHECK\n", -EINVAL,
		       "policy.txt:1: duplicate condition \"func=\" (IMA takes one per rule)");
	expect_refused("measure mask=MAY_READ mask=^MAY_EXEC\n", -EINVAL,
		       "policy.txt:1: duplicate condition \"mask=\" (IMA takes one per rule)");
	expect_refused("measure fsmagic=0 fsmagic=0\n", -EINVAL,
		       "policy.txt:1: duplicate condition \"fsmagic=\" (IMA takes one per rule)");
	expect_refused("measure fsuuid=00000000-0000-0000-0000-000000000000 "
		       "fsuuid=00000000-0000-0000-0000-000000000000\n",
		       -EINVAL,
		       "policy.txt:1: duplicate condition \"fsuuid=\" (IMA takes one per rule)");
	expect_refused("measure uid=0 uid>5\n", -EINVAL,
		       "policy.txt:1: duplicate condition \"uid=\" (IMA takes one per rule)");
	expect_refused("measure fowner=0 fowner<5\n", -EINVAL,
		       "policy.txt:1: duplicate condition \"fowner=\" (IMA takes one per rule)");
	expect_refused("measure template=ima-ng template=ima-sig\n", -EINVAL,
		       "policy.txt:1: duplicate condition \"template=\" (IMA takes one per rule)");
	/* IMA keeps one uid and one operator for uid= and euid=: a rule has one of them. */
	expect_refused("measure uid=0 euid<5\n", -EINVAL,
		       "policy.txt:1: \"euid<\": uid and euid share one value in IMA; a rule holds "
		       "one of them");
	expect_refused("measure euid=0 uid=0\n", -EINVAL,
		       "policy.txt:1: \"uid=\": uid and euid share one value in IMA; a rule holds "
		       "one of them");
	/* appraise_type is a flag in IMA: said twice, it is said once. */
	expect_printed("appraise appraise_type=imasig appraise_type=imasig\n",
		       "appraise appraise_type=imasig \n");
}

static void test_ids(void **state)
{
	/* kstrtoul's '+', the highest id, and the kernel's "%d" for ids of 2^31 and up. */
	expect_printed("measure uid=+5\n"
		       "measure euid=4294967294\n"
		       "measure fowner>2147483647\n"
		       "measure fowner<2147483648\n"
		       "measure uid=-2\n"
		       "measure uid>-2147483648\n",
		       "measure uid=5 \n"
		       "measure euid=-2 \n"
		       "measure fowner>2147483647 \n"
		       "measure fowner<-2147483648 \n"
		       "measure uid=-2 \n"
		       "measure uid>-2147483648 \n");
	/* The negative form is the same id: -2 is 4294967294. */
	{
		struct canister_ima_policy *policy =
			parse_ok("measure uid=-2\nmeasure uid<-2147483648\n");

		assert_int_equal(policy->rules[0].uid, 4294967294u);
		assert_int_equal(policy->rules[1].uid, 2147483648u);
		canister_ima_policy_free(policy);
	}
}

static void test_fsmagic_forms(void **state)
{
	expect_printed("measure fsmagic=+0x9FA0\n"
		       "measure fsmagic=ffffffffffffffff\n"
		       "measure fsmagic=0000000000000000000001\n",
		       "measure fsmagic=0x9fa0 \n"
		       "measure fsmagic=0xffffffffffffffff \n"
		       "measure fsmagic=0x1 \n");
}

static void test_rule_limit(void **state)
{
	size_t size = (CANISTER_IMA_POLICY_RULES_MAX + 1) * sizeof("measure\n") + 64;
	char *text = malloc(size), *p = text;
	struct canister_ima_policy *policy;
	char why[512];

	assert_non_null(text);
	p += sprintf(p, "# a comment does not count\n");
	for (int i = 0; i < CANISTER_IMA_POLICY_RULES_MAX; i++)
		p += sprintf(p, "measure\n");
	policy = parse_ok(text);
	assert_int_equal(policy->count, CANISTER_IMA_POLICY_RULES_MAX);
	canister_ima_policy_free(policy);

	sprintf(p, "measure\n");
	policy = NULL;
	assert_int_equal(
		canister_ima_policy_parse(text, strlen(text), SOURCE, &policy, why, sizeof(why)),
		-E2BIG);
	assert_string_equal(why, "policy.txt:1026: more than 1024 rules");
	assert_null(policy);
	free(text);
}

static void test_line_limits(void **state)
{
	char line[CANISTER_IMA_POLICY_LINE_MAX + 3];
	struct canister_ima_policy *policy;
	char why[512];

	/* A rule of exactly one page less one byte is read; one byte more is not. */
	memset(line, ' ', sizeof(line));
	memcpy(line, "measure", 7);
	line[CANISTER_IMA_POLICY_LINE_MAX] = '\n';
	line[CANISTER_IMA_POLICY_LINE_MAX + 1] = '\0';
	policy = parse_ok(line);
	assert_int_equal(policy->count, 1);
	canister_ima_policy_free(policy);

	line[CANISTER_IMA_POLICY_LINE_MAX] = ' ';
	line[CANISTER_IMA_POLICY_LINE_MAX + 1] = '\n';
	line[CANISTER_IMA_POLICY_LINE_MAX + 2] = '\0';
	expect_refused(line, -EINVAL,
		       "policy.txt:1: line is longer than 4095 bytes (IMA reads a rule from one "
		       "page)");

	policy = NULL;
	assert_int_equal(canister_ima_policy_parse("measure\nmea\0sure\n", 17, SOURCE, &policy, why,
						   sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "policy.txt:2: contains a NUL byte; not a text file");
	assert_null(policy);
}

static void test_messages_are_bounded(void **state)
{
	struct canister_ima_policy *policy = NULL;
	char why[24];

	assert_int_equal(canister_ima_policy_parse("measure fsname=x\n", 17, SOURCE, &policy, why,
						   sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "policy.txt:1: unknown c");
	/* No room for a message at all is fine too. */
	assert_int_equal(canister_ima_policy_parse("x\n", 2, SOURCE, &policy, NULL, 0), -EINVAL);
	assert_null(policy);
}

static void test_print_is_snprintf_like(void **state)
{
	struct canister_ima_policy *policy = parse_ok("measure func=BPRM_CHECK\naudit\n");
	char buf[16];

	assert_int_equal(canister_ima_policy_print(policy, buf, sizeof(buf)), 32);
	assert_string_equal(buf, "measure func=BP");
	assert_int_equal(canister_ima_policy_print(policy, buf, 0), 32);
	assert_int_equal(canister_ima_rule_print(&policy->rules[1], buf, sizeof(buf)), 7);
	assert_string_equal(buf, "audit \n");
	canister_ima_policy_free(policy);
}

/* What the kernel prints, canister reads back into the same policy. */
static void test_print_reads_back(void **state)
{
	const char *text = "measure func=FILE_MMAP mask=^MAY_EXEC template=d-ng|n-ng\n"
			   "dont_measure fsmagic=+9fa0 fowner>4000000000\n"
			   "audit euid<-7 fsuuid=ABCDEF01-2345-6789-abcd-ef0123456789\n"
			   "appraise appraise_type=imasig func=BPRM_CHECK\n"
			   "dont_audit func=PATH_CHECK mask=MAY_APPEND\n";
	struct canister_ima_policy *first = parse_ok(text), *second;
	char *once = printed(first), *twice;

	second = parse_ok(once);
	twice = printed(second);
	assert_string_equal(once, twice);
	assert_int_equal(first->count, second->count);
	for (size_t i = 0; i < first->count; i++) {
		struct canister_ima_rule a = first->rules[i], b = second->rules[i];

		a.line = b.line = 0;
		assert_memory_equal(&a, &b, sizeof(a));
	}
	free(once);
	free(twice);
	canister_ima_policy_free(first);
	canister_ima_policy_free(second);
}

/* --- the matcher --- */

static struct canister_ima_access exec_by(uint32_t uid)
{
	return (struct canister_ima_access){
		.func = CANISTER_IMA_BPRM_CHECK,
		.mask = CANISTER_IMA_MAY_EXEC,
		.uid = uid,
		.euid = uid,
		.suid = uid,
		.fsmagic = EXT4_SUPER_MAGIC,
	};
}

static struct canister_ima_access open_by(uint32_t uid, uint32_t mask)
{
	struct canister_ima_access event = exec_by(uid);

	event.func = CANISTER_IMA_FILE_CHECK;
	event.mask = mask;
	return event;
}

static struct canister_ima_decision decide(const struct canister_ima_policy *policy,
					   struct canister_ima_access event)
{
	struct canister_ima_decision d;

	canister_ima_policy_match(policy, &event, &d);
	return d;
}

/* ima_policy=tcb's rules, in IMA's syntax (FILE_CHECK's two rules are euid and uid). */
#define TCB_POLICY                                        \
	"dont_measure fsmagic=0x9fa0\n"                   \
	"measure func=MMAP_CHECK mask=MAY_EXEC\n"         \
	"measure func=BPRM_CHECK mask=MAY_EXEC\n"         \
	"measure func=FILE_CHECK mask=^MAY_READ euid=0\n" \
	"measure func=FILE_CHECK mask=^MAY_READ uid=0\n"

static void test_match_tcb(void **state)
{
	struct canister_ima_policy *policy = parse_ok(TCB_POLICY);
	struct canister_ima_access event = exec_by(1000);
	struct canister_ima_decision d;

	d = decide(policy, event);
	assert_int_equal(d.actions, CANISTER_IMA_MEASURE);
	assert_int_equal(d.measure_rule, 2);
	assert_int_equal(d.appraise_rule, -1);
	assert_int_equal(d.audit_rule, -1);
	assert_int_equal(d.template, CANISTER_IMA_RULE_TEMPLATE_DEFAULT);

	/* An exec from /proc: the dont_measure before it decides. */
	event.fsmagic = PROC_SUPER_MAGIC;
	d = decide(policy, event);
	assert_int_equal(d.actions, 0);
	assert_int_equal(d.measure_rule, 0);

	/* Root reading, and reading-and-writing (^MAY_READ: the mask includes MAY_READ). */
	assert_int_equal(decide(policy, open_by(0, CANISTER_IMA_MAY_READ)).measure_rule, 3);
	assert_int_equal(
		decide(policy, open_by(0, CANISTER_IMA_MAY_READ | CANISTER_IMA_MAY_WRITE)).actions,
		CANISTER_IMA_MEASURE);
	/* A user reading, root writing only: nothing. */
	assert_int_equal(decide(policy, open_by(1000, CANISTER_IMA_MAY_READ)).actions, 0);
	assert_int_equal(decide(policy, open_by(0, CANISTER_IMA_MAY_WRITE)).measure_rule, -1);
	/* A mmap for execution. */
	event = exec_by(1000);
	event.func = CANISTER_IMA_MMAP_CHECK;
	assert_int_equal(decide(policy, event).measure_rule, 1);
	canister_ima_policy_free(policy);
}

static void test_match_exact_mask(void **state)
{
	struct canister_ima_policy *policy = parse_ok("measure func=FILE_CHECK mask=MAY_READ\n");

	assert_int_equal(decide(policy, open_by(5, CANISTER_IMA_MAY_READ)).actions,
			 CANISTER_IMA_MEASURE);
	/* mask= without ^ is the whole mask: a read-write open is not a read. */
	assert_int_equal(
		decide(policy, open_by(5, CANISTER_IMA_MAY_READ | CANISTER_IMA_MAY_WRITE)).actions,
		0);
	canister_ima_policy_free(policy);
}

/* Each kind is decided by its first matching rule; the kinds add up across rules. */
static void test_match_kinds_accumulate(void **state)
{
	struct canister_ima_policy *policy = parse_ok("audit func=BPRM_CHECK\n"
						      "dont_measure uid=1000\n"
						      "measure func=BPRM_CHECK template=ima-sig\n"
						      "appraise fowner=0 appraise_type=imasig\n"
						      "dont_audit\n"
						      "measure template=ima-ng\n"
						      "audit\n");
	struct canister_ima_access event = exec_by(0);
	struct canister_ima_decision d;

	d = decide(policy, event);
	assert_int_equal(d.actions,
			 CANISTER_IMA_AUDIT | CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE);
	assert_int_equal(d.audit_rule, 0);
	assert_int_equal(d.measure_rule, 2);
	assert_int_equal(d.appraise_rule, 3);
	assert_true(d.digsig_required);
	assert_int_equal(d.template, CANISTER_IMA_RULE_TEMPLATE_IMA_SIG);

	/* uid 1000: dont_measure first; the later measure rules are skipped, template too. */
	event = exec_by(1000);
	event.fowner = 1000;
	d = decide(policy, event);
	assert_int_equal(d.actions, CANISTER_IMA_AUDIT);
	assert_int_equal(d.measure_rule, 1);
	assert_int_equal(d.appraise_rule, -1);
	assert_false(d.digsig_required);
	assert_int_equal(d.template, CANISTER_IMA_RULE_TEMPLATE_DEFAULT);

	/* A file open: dont_audit comes before audit; measure template=ima-ng decides. */
	d = decide(policy, open_by(0, CANISTER_IMA_MAY_READ));
	assert_int_equal(d.actions, CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE);
	assert_int_equal(d.audit_rule, 4);
	assert_int_equal(d.measure_rule, 5);
	assert_int_equal(d.template, CANISTER_IMA_RULE_TEMPLATE_IMA_NG);
	canister_ima_policy_free(policy);
}

static void test_match_ids(void **state)
{
	struct canister_ima_policy *policy = parse_ok("measure euid=0\n"
						      "audit uid>-2\n"
						      "appraise fowner<1000\n");
	struct canister_ima_access event = exec_by(1000);
	struct canister_ima_decision d;

	/* A setuid-root program run by 1000: euid 0 matches. */
	event.euid = 0;
	assert_int_equal(decide(policy, event).measure_rule, 0);
	/* Real uid 0, effective 1000: euid= looks at the real and saved uids only with CAP_SETUID.
	 */
	event = exec_by(1000);
	event.uid = 0;
	event.fowner = 1000;
	assert_int_equal(decide(policy, event).actions, 0);
	event.cap_setuid = true;
	assert_int_equal(decide(policy, event).actions, CANISTER_IMA_MEASURE);
	event = exec_by(1000);
	event.suid = 0;
	event.cap_setuid = true;
	event.fowner = 999;
	/* Comparisons are unsigned: uid>-2 is uid > 4294967294, which no user is. */
	d = decide(policy, event);
	assert_int_equal(d.actions, CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE);
	assert_int_equal(d.audit_rule, -1);
	canister_ima_policy_free(policy);
}

static void test_match_filesystem(void **state)
{
	struct canister_ima_policy *policy =
		parse_ok("dont_measure fsuuid=0123abcd-0123-4567-89ab-0123456789ab\n"
			 "measure fsmagic=ef53\n");
	struct canister_ima_access event = exec_by(0);
	static const uint8_t uuid[16] = { 0x01, 0x23, 0xab, 0xcd, 0x01, 0x23, 0x45, 0x67,
					  0x89, 0xab, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab };

	assert_int_equal(decide(policy, event).measure_rule, 1);
	memcpy(event.fsuuid, uuid, sizeof(uuid));
	/* The UUID the rule names, but canisterd could not read it: no match. */
	assert_int_equal(decide(policy, event).measure_rule, 1);
	event.fsuuid_known = true;
	assert_int_equal(decide(policy, event).measure_rule, 0);
	assert_int_equal(decide(policy, event).actions, 0);
	event.fsuuid[15] ^= 1;
	event.fsmagic = PROC_SUPER_MAGIC;
	assert_int_equal(decide(policy, event).measure_rule, -1);
	canister_ima_policy_free(policy);
}

/* A filesystem without a UUID, or a kernel that cannot tell: an all-zero fsuuid= matches none. */
static void test_match_unknown_fsuuid(void **state)
{
	struct canister_ima_policy *policy =
		parse_ok("measure fsuuid=00000000-0000-0000-0000-000000000000\n");
	struct canister_ima_access event = exec_by(0);

	assert_int_equal(decide(policy, event).measure_rule, -1);
	event.fsuuid_known = true;
	assert_int_equal(decide(policy, event).measure_rule, 0);
	canister_ima_policy_free(policy);
}

static void test_match_nothing(void **state)
{
	struct canister_ima_policy *empty = parse_ok("# nothing\n");
	struct canister_ima_decision d = decide(NULL, exec_by(0));

	assert_int_equal(d.actions, 0);
	assert_int_equal(d.measure_rule, -1);
	d = decide(empty, exec_by(0));
	assert_int_equal(d.actions, 0);
	assert_int_equal(d.audit_rule, -1);
	canister_ima_policy_free(empty);
}

/*
 * A nested container (level 0) under a parent and a grandparent: each level's
 * policy judges the event on its own; the entry goes into each list whose
 * policy measured it, and an ancestor's appraise binds the child.
 */
static void test_chain(void **state)
{
	struct canister_ima_policy *child = parse_ok("measure func=BPRM_CHECK\n");
	struct canister_ima_policy *grandparent = parse_ok("dont_measure uid=1000\n"
							   "measure\n"
							   "appraise func=BPRM_CHECK\n");
	const struct canister_ima_policy *chain[] = { child, NULL, grandparent };
	struct canister_ima_decision d[3];
	struct canister_ima_access event = exec_by(0);

	assert_int_equal(canister_ima_chain_match(chain, 3, &event, d),
			 CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE);
	assert_int_equal(d[0].actions, CANISTER_IMA_MEASURE);
	assert_int_equal(d[1].actions, 0); /* the parent brought no policy */
	assert_int_equal(d[2].actions, CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE);

	/* uid 1000: in the child's list only; the grandparent still appraises. */
	event = exec_by(1000);
	assert_int_equal(canister_ima_chain_match(chain, 3, &event, d),
			 CANISTER_IMA_MEASURE | CANISTER_IMA_APPRAISE);
	assert_int_equal(d[0].actions, CANISTER_IMA_MEASURE);
	assert_int_equal(d[2].actions, CANISTER_IMA_APPRAISE);

	/* A file read: the grandparent's list alone. */
	event = open_by(0, CANISTER_IMA_MAY_READ);
	assert_int_equal(canister_ima_chain_match(chain, 3, &event, d), CANISTER_IMA_MEASURE);
	assert_int_equal(d[0].actions, 0);
	assert_int_equal(d[2].measure_rule, 1);
	canister_ima_policy_free(child);
	canister_ima_policy_free(grandparent);
}

/* --- the policy file --- */

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/canister-test-ima-policy.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void test_load(void **state)
{
	struct canister_ima_policy *policy = NULL;
	char path[128], link[128], why[512], expected[512];

	snprintf(path, sizeof(path), "%s/default.policy", tmpdir);
	write_file(path, "measure func=BPRM_CHECK\n", 0644);
	assert_int_equal(canister_ima_policy_load(path, &policy, why, sizeof(why)), 0);
	assert_int_equal(policy->count, 1);
	canister_ima_policy_free(policy);

	/* Whoever can write the policy decides what is measured: group or others may not. */
	policy = NULL;
	write_file(path, "measure func=BPRM_CHECK\n", 0664);
	assert_int_equal(canister_ima_policy_load(path, &policy, why, sizeof(why)), -EPERM);
	snprintf(expected, sizeof(expected),
		 "%s: refused: must be owned by uid %u and not writable by group or others "
		 "(owner %u, mode 0664)",
		 path, (unsigned)geteuid(), (unsigned)geteuid());
	assert_string_equal(why, expected);
	assert_null(policy);

	/* A symlink is not followed, even to a good file. */
	write_file(path, "measure func=BPRM_CHECK\n", 0600);
	snprintf(link, sizeof(link), "%s/link.policy", tmpdir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(canister_ima_policy_load(link, &policy, why, sizeof(why)), -EINVAL);
	snprintf(expected, sizeof(expected), "%s: refused: a symlink (name the policy file itself)",
		 link);
	assert_string_equal(why, expected);

	snprintf(link, sizeof(link), "%s/missing.policy", tmpdir);
	assert_int_equal(canister_ima_policy_load(link, &policy, why, sizeof(why)), -ENOENT);
	snprintf(expected, sizeof(expected), "%s: no such file", link);
	assert_string_equal(why, expected);

	/* A refused rule names the file and the line. */
	write_file(path, "measure\n\nmeasure func=MODULE_CHECK\n", 0600);
	assert_int_equal(canister_ima_policy_load(path, &policy, why, sizeof(why)), -EINVAL);
	snprintf(expected, sizeof(expected),
		 "%s:3: func=MODULE_CHECK: canister cannot see it: kernel module loads are the "
		 "host's, not a container's (canister sees BPRM_CHECK, MMAP_CHECK, FILE_CHECK)",
		 path);
	assert_string_equal(why, expected);
	assert_null(policy);
}

/*
 * Which policies make the gate ask for every open: a measure or audit rule
 * FILE_CHECK can match (needs), or an appraise rule it can match (appraises:
 * it counts for a container whose appraisal mode is not off).
 */
static void test_needs_file_check(void **state)
{
	static const struct {
		const char *policy;
		bool needs, appraises;
	} cases[] = {
		{ "measure func=BPRM_CHECK\n", false, false },
		{ "measure func=MMAP_CHECK mask=MAY_EXEC\n", false, false },
		{ "measure func=FILE_CHECK mask=MAY_READ\n", true, false },
		{ "measure func=PATH_CHECK\n", true, false },
		{ "measure uid=0\n", true, false },
		{ "audit func=FILE_CHECK\n", true, false },
		{ "dont_measure fsmagic=0x9fa0\nmeasure func=BPRM_CHECK\n", false, false },
		{ "dont_measure func=FILE_CHECK\ndont_audit\n", false, false },
		{ "appraise func=FILE_CHECK\n", false, true },
		{ "appraise func=FILE_CHECK mask=MAY_READ appraise_type=imasig\n", false, true },
		{ "appraise func=PATH_CHECK\n", false, true },
		{ "appraise fowner=0\n", false, true },
		{ "appraise func=BPRM_CHECK\n", false, false },
		{ "appraise func=MMAP_CHECK\n", false, false },
		{ "dont_appraise func=FILE_CHECK\n", false, false },
		{ "dont_appraise fsmagic=0x9fa0\nappraise func=FILE_CHECK\n", false, true },
		{ "# nothing\n", false, false },
	};

	(void)state;
	assert_false(canister_ima_policy_needs_file_check(NULL));
	assert_false(canister_ima_policy_appraises_file_check(NULL));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct canister_ima_policy *policy = parse_ok(cases[i].policy);

		if (canister_ima_policy_needs_file_check(policy) != cases[i].needs)
			fail_msg("%s: expected %s", cases[i].policy, cases[i].needs ? "yes" : "no");
		if (canister_ima_policy_appraises_file_check(policy) != cases[i].appraises)
			fail_msg("%s: expected it %sto appraise", cases[i].policy,
				 cases[i].appraises ? "" : "not ");
		canister_ima_policy_free(policy);
	}
}

/*
 * Which policies make lsm mode report a container's executable mappings
 * (MMAP_CHECK): a measure or audit rule a mapping can match.  A policy that
 * only measures execs costs no mapping report, and no kernel hash of it.
 */
static void test_lists_mappings(void **state)
{
	static const struct {
		const char *policy;
		bool lists;
	} cases[] = {
		{ "measure func=BPRM_CHECK\n", false },
		{ "measure func=FILE_CHECK mask=MAY_READ\n", false },
		{ "measure func=MMAP_CHECK mask=MAY_EXEC\n", true },
		{ "measure func=FILE_MMAP\n", true },
		{ "audit func=MMAP_CHECK\n", true },
		{ "measure uid=0\n", true },
		{ "audit fowner=0\n", true },
		{ "appraise func=MMAP_CHECK\n", false },
		{ "dont_measure func=MMAP_CHECK\nmeasure func=BPRM_CHECK\n", false },
		/* Not weighed: the dont_measure before it; yes errs on the side of listing. */
		{ "dont_measure fsmagic=0x9fa0\nmeasure func=MMAP_CHECK\n", true },
		{ "# nothing\n", false },
	};

	(void)state;
	assert_false(canister_ima_policy_lists_func(NULL, CANISTER_IMA_MMAP_CHECK));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct canister_ima_policy *policy = parse_ok(cases[i].policy);

		if (canister_ima_policy_lists_func(policy, CANISTER_IMA_MMAP_CHECK) !=
		    cases[i].lists)
			fail_msg("%s: expected %s", cases[i].policy, cases[i].lists ? "yes" : "no");
		canister_ima_policy_free(policy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prints_as_the_kernel),
		cmocka_unit_test(test_rules_keep_their_facts),
		cmocka_unit_test(test_comments_and_blank_lines),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_duplicate_conditions),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_fsmagic_forms),
		cmocka_unit_test(test_rule_limit),
		cmocka_unit_test(test_line_limits),
		cmocka_unit_test(test_messages_are_bounded),
		cmocka_unit_test(test_print_is_snprintf_like),
		cmocka_unit_test(test_print_reads_back),
		cmocka_unit_test(test_match_tcb),
		cmocka_unit_test(test_match_exact_mask),
		cmocka_unit_test(test_match_kinds_accumulate),
		cmocka_unit_test(test_match_ids),
		cmocka_unit_test(test_match_filesystem),
		cmocka_unit_test(test_match_unknown_fsuuid),
		cmocka_unit_test(test_match_nothing),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_needs_file_check),
		cmocka_unit_test(test_lists_mappings),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, remove_tmpdir);
}
