# SPDX-License-Identifier: GPL-2.0-only
# canister: test helpers for access control's cases (sourced after harness.sh).

# fs_try ID COMMAND...: for each shell command, what container ID's root gets: "ok", or the
# last words of its error (strerror's, "Operation not permitted"), each followed by ";"; all
# from one `canister run` (TCG makes each slow).
fs_try()
{
	ft_id=$1
	shift
	ft_script=
	for ft_command in "$@"; do
		ft_script="$ft_script
			if out=\$( ($ft_command) 2>&1); then echo ok; else echo \"\${out##*: }\"; fi"
	done
	cn run --id "$ft_id" -- sh -c "$ft_script" | tr '\n' ';'
}
