#!/bin/sh
# init (PID 1) of the extmmap QEMU guest; started by run-guest.sh through
# init=<this file> on the host's root file system (read-only over 9p).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm 2>/dev/null
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmp /tmp
mount -t tmpfs shm /dev/shm 2>/dev/null
mount -t tmpfs run /run 2>/dev/null
mkdir -p /tmp/results
# /mnt exists read-only on the host root: mount a tmpfs to get a mount point.
mount -t tmpfs mnt /mnt
mkdir -p /mnt/results
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results /mnt/results
EXTMMAP_RESULTS=/mnt/results
HOME=/tmp
export EXTMMAP_RESULTS HOME
echo "guest-init: up after $(cut -d' ' -f1 /proc/uptime)s, kernel $(uname -r), running: $(tail -n1 /mnt/results/cmd.sh)"
/bin/sh /mnt/results/cmd.sh
status=$?
echo "$status" >/mnt/results/status
sync
echo "guest-init: CMD exit status $status after $(cut -d' ' -f1 /proc/uptime)s"
# Power off now (reboot(2) via busybox), else through sysrq; PID 1 must
# never exit (that panics), so wait here until the machine is gone.
[ -x /bin/busybox ] && /bin/busybox poweroff -f
echo o >/proc/sysrq-trigger
while :; do sleep 1; done
