# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode takes a private file mapping that is or was written for anonymous memory,
# as lsm mode does (docs/model.md, "Anonymous memory"): the program's own file mapped private
# RW, written and made R-X (by mprotect or pkey_mprotect, or after being made read-only again),
# made RWX, or mapped RWX at once, is recorded with the CELL anonymous (type 1), the bytes lsm
# mode's hook hashes, where it was file-backed (type 0) before.  Enforced, trace mode denies
# nothing: forensics with res=1.  A private mapping never written (the loader's libraries, or
# the file mapped read-only and made R-X) stays file-backed.  ld.so's text relocations (a
# DT_TEXTREL library, built here when a C compiler is at hand) are anonymous memory too, so a
# model learns them.  Every exported coefficient recomputes.  VM 140 is lsm mode.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-trace.sh"

MPX=$(tool_path mprotect-exec)

model_trace_start

# A model of the program that opened its file and mapped it private, never executable.
run_in 1901 --model learn -- "$MPX" file:r
expect_eq "$status" 0 "the read-only learning run ($said)"
cn model 1901 export "$T_TMP/ro.model" || fail "export failed"

# Enforced (trace mode: recorded, not denied), each in a container of its own.
for step in 1902:privfile:rx 1903:pkey:privfile:rx 1904:privfile-cow:rx \
	1905:file:rwx 1906:file:rx; do
	id=${step%%:*}
	run_in "$id" --model "$T_TMP/ro.model" --model-enforce -- "$MPX" "${step#*:}"
	expect_eq "$status" 0 "${step#*:}, enforced in trace mode ($said)"
	expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=$id .*mode=enforce res=1" \
		"${step#*:}'s forensics record" 30
done
run_in 1907 --model "$T_TMP/ro.model" --model-enforce -- "$MPX" privfile-rwx:
expect_eq "$status" 0 "a file mapped private RWX, enforced in trace mode ($said)"
expect_match "$said" 'privfile-rwx:: ran 42' "its code ran (trace mode denies nothing)"
expect_record "type=CONTAINER_MODEL .* op=mmap_file contid=1907 .*mode=enforce res=1" \
	"the RWX mapping's forensics record" 30

for id in 1901 1902 1903 1904 1905 1906 1907; do
	cn model "$id" events >>"$T_TMP/events.jsonl" || fail "events of $id"
done
# The CELLs of the tool's own file's mappings (the loader's are checked below).
cells=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    t = r["event"]["type"]
    if t in ("file_mprotect", "mmap_file"):
        c = r[t]
        if t == "mmap_file" and c["type"] == "0" and \
                not c["file"]["path"]["pathname"].endswith("/mprotect-exec"):
            continue
        if t == "mmap_file" and c["type"] == "0" and c["prot"] == "5":
            continue  # the kernel mapping the program at exec
        print(r["event"]["contid"], t, c["type"], c.get("reqprot", "-"), c["prot"], c.get("flags", "-"))
' "$T_TMP/events.jsonl" | sort -u)
expect_eq "$cells" "1902 file_mprotect 1 5 5 -
1903 file_mprotect 1 5 5 -
1904 file_mprotect 1 5 5 -
1905 file_mprotect 1 7 7 -
1906 file_mprotect 0 5 5 -
1907 mmap_file 1 7 7 2" "the CELLs: anonymous but for the mapping never written"

# An ordinary dynamically linked program (the tool): the loader's mappings of its libraries,
# private and R-X, stay file-backed.
libs=$(python3 -c '
import json, sys
seen = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["type"] == "mmap_file" and "/libc.so" in r["mmap_file"].get("file", {}).get("path", {}).get("pathname", ""):
        seen += 1
        if r["mmap_file"]["type"] != "0":
            print("anonymous:", line.strip())
print("libc mappings:", seen)
' "$T_TMP/events.jsonl")
case $libs in
*anonymous:*) fail "a library's mapping is anonymous: $libs" ;;
*"libc mappings: 0") fail "no libc mapping seen (is the tool static?): $libs" ;;
esac

# ld.so's text relocations: the text made RWX, patched, made R-X again; learned as anonymous
# memory (type 1), reqprot 7 then 5.
if command -v cc >/dev/null; then
	cat >"$T_TMP/tr.c" <<'C'
int value = 42;
int get(void)
{
	int r;

	/* An absolute address in the text: a relocation ld.so patches there (DT_TEXTREL). */
	__asm__("movabs $value, %%rax; movl (%%rax), %0" : "=r"(r) : : "rax");
	return r;
}
C
	printf '#include <stdio.h>\nint get(void);\nint main(void) { printf("textrel %%d\\n", get()); return 0; }\n' \
		>"$T_TMP/main.c"
	cc -shared -fPIC -Wl,-z,notext -o "$T_TMP/libtr.so" "$T_TMP/tr.c" || fail "cannot build the TEXTREL library"
	cc -o "$T_TMP/textrel" "$T_TMP/main.c" -L"$T_TMP" -ltr -Wl,-rpath,"$T_TMP" || fail "cannot link it"
	run_in 1908 --model learn -- "$T_TMP/textrel"
	expect_eq "$status" 0 "the TEXTREL program ($said)"
	expect_eq "$said" "textrel 42" "the relocated code ran"
	cn model 1908 events >"$T_TMP/textrel.jsonl" || fail "events of 1908"
	grep -qE '"file_mprotect": \{ "type": "1", "reqprot": "7", "prot": "7" \}' "$T_TMP/textrel.jsonl" ||
		fail "the text made RWX is not anonymous: $(grep file_mprotect "$T_TMP/textrel.jsonl")"
	grep -qE '"file_mprotect": \{ "type": "1", "reqprot": "5", "prot": "5" \}' "$T_TMP/textrel.jsonl" ||
		fail "the text made R-X again is not anonymous: $(grep file_mprotect "$T_TMP/textrel.jsonl")"
	cat "$T_TMP/textrel.jsonl" >>"$T_TMP/events.jsonl"
else
	echo "note: no cc: the DT_TEXTREL check is skipped"
fi

python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events.jsonl" ||
	fail "the exported coefficients do not recompute"
exit 0
