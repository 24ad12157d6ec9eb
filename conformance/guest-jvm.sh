# shellcheck shell=bash
# The one way to run this module's JVM code inside the patched guest (kernel-patch/run-guest.sh):
# sourced by guest-run.sh, guest-tests.sh and guest-suite.sh (also inside the guest).
#
#   guest_jvm_snapshot DIR   copy what the guest loads (both modules' classes, the test classes)
#                            to DIR, set GUEST_CP to the host build's test classpath (Surefire's,
#                            jars included) with the classes replaced by the snapshot
#   guest_jvm_java RESULTS   set GUEST_JAVA, the java command line; crash logs go to RESULTS
#
# EXTMMAP_TIME_SCALE (default 3) multiplies every wait of the tests: the guest is emulated (TCG).
GUEST_TIME_SCALE=${EXTMMAP_TIME_SCALE:-3}

guest_jvm_snapshot() {
	local here root xml cp
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	root=$(dirname "$here")
	xml=$here/target/surefire-reports/TEST-org.extmmap.conformance.sys.LibcSyscallsTest.xml
	[ -e "$xml" ] || { echo "$(basename "$0"): run the host build first (mvn verify): no $xml" >&2; exit 2; }
	cp=$(grep -o 'name="surefire.test.class.path" value="[^"]*"' "$xml" | sed 's/.*value="//; s/"$//')
	# a snapshot: the guest loads classes lazily over 9p while the host may rebuild
	rm -rf "$1" && mkdir -p "$1"
	cp -r "$here/target/classes" "$1/classes" && cp -r "$here/target/test-classes" "$1/test-classes"
	cp -r "$root/model/target/classes" "$1/model-classes"
	cp=${cp//$here\/target\/test-classes/$1/test-classes}
	cp=${cp//$here\/target\/classes/$1/classes}
	cp=${cp//$root\/model\/target\/classes/$1/model-classes}
	# the model as classes (Surefire may name its jar, which only `package` refreshes)
	GUEST_CP=$(tr ':' '\n' <<<"$cp" | sed "s|^$root/model/target/extmmap-model-.*\.jar\$|$1/model-classes|" | paste -sd:)
}

guest_jvm_java() {
	# The JVM runs on one vCPU: HotSpot patches compiled code while other threads may run it,
	# and under QEMU's multi-threaded TCG a vCPU can decode such code torn (observed: SIGSEGV
	# and SIGILL at the entry of an nmethod being made not entrant, console clean; see
	# conformance/README.md). The kernel keeps both vCPUs. JNA unpacks its stub into the
	# guest's /tmp.
	GUEST_JAVA=(taskset -c 0 java -Dextmmap.timeScale="$GUEST_TIME_SCALE" -Djava.io.tmpdir=/tmp
		-Djna.tmpdir=/tmp -XX:ErrorFile="$1/hs_err_pid%p.log")
}
