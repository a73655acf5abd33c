#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t securityfs securityfs /sys/kernel/security
# a few measured files: one with a space in its name, one with a long path, one violation
mkdir -p "/opt/a dir/$(printf 'd%.0s' $(seq 1 120))/$(printf 'e%.0s' $(seq 1 120))"
long="/opt/a dir/$(printf 'd%.0s' $(seq 1 120))/$(printf 'e%.0s' $(seq 1 120))/prog"
printf '#!/bin/sh\necho hi\n' >"$long"; chmod +x "$long"; "$long" >/dev/null
echo data >/opt/file; cat /opt/file >/dev/null
exec 4>>/opt/file; cat /opt/file >/dev/null; exec 4>&-
I=/sys/kernel/security/ima
cat $I/runtime_measurements_count > /dev/null
{ echo BEGIN-ASCII; cat $I/ascii_runtime_measurements; echo END-ASCII;
  echo BEGIN-BINARY; base64 $I/binary_runtime_measurements; echo END-BINARY;
  echo BEGIN-COUNT; cat $I/runtime_measurements_count; echo END-COUNT;
  echo BEGIN-VIOL; cat $I/violations; echo END-VIOL; } > /dev/ttyS1
poweroff -f
