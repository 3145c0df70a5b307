#include "provenance.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

extern char **environ;

/* ---- the hypervisor, from four sources ---- */

/* Vendor signatures of CPUID leaf 0x40000000 (EBX, ECX, EDX), and the name
 * systemd-detect-virt and the kernel give the same hypervisor. */
static const struct { const char *signature, *token; } cpuid_vendors[] = {
	{ "KVMKVMKVM", "kvm" },       { "Linux KVM Hv", "kvm" },    { "Microsoft Hv", "microsoft" },
	{ "VMwareVMware", "vmware" }, { "XenVMMXenVMM", "xen" },    { "TCGTCGTCGTCG", "qemu" },
	{ "bhyve bhyve", "bhyve" },   { " lrpepyh  vr", "parallels" }, { "ACRNACRNACRN", "acrn" },
	{ "Jailhouse", "jailhouse" }, { "VBoxVBoxVBox", "oracle" },  { "QNXQVMBSQG", "qnx" },
};

void hypervisor_token(const char *name, char *out, size_t outlen)
{
	for (size_t i = 0; i < sizeof(cpuid_vendors) / sizeof(cpuid_vendors[0]); i++)
		if (strcmp(name, cpuid_vendors[i].signature) == 0) {
			snprintf(out, outlen, "%s", cpuid_vendors[i].token);
			return;
		}
	size_t n = 0;
	name += strspn(name, " ");
	for (; name[n] && name[n] != ' ' && n + 1 < outlen; n++)
		out[n] = (char)tolower((unsigned char)name[n]);
	if (outlen)
		out[n] = '\0';
}

/* Leaf 1 ECX bit 31 says a hypervisor is there; leaf 0x40000000 names it.
 * "none" when the bit is clear, NA off x86. */
static void hypervisor_cpuid(char *out, size_t outlen)
{
	snprintf(out, outlen, "NA");
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return;
	if (!(c & (1u << 31))) {
		snprintf(out, outlen, "none");
		return;
	}
	__cpuid(0x40000000, a, b, c, d);
	char sig[13] = { 0 };
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	size_t n = strnlen(sig, 12);
	while (n > 0 && sig[n - 1] == ' ')
		n--;
	sig[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)sig[i]))
			sig[i] = '?';
	snprintf(out, outlen, "%s", n ? sig : "hypervisor bit set, no signature");
#endif
}

int hypervisor_in_log_record(const char *record, size_t len, char *out, size_t outlen)
{
	static const char needle[] = "Hypervisor detected: ";
	const char *text = memchr(record, ';', len); /* after "prio,seq,time,flags;" */
	if (!text)
		return 0;
	text++;
	size_t rest = len - (size_t)(text - record);
	size_t nlen = sizeof(needle) - 1;
	if (rest < nlen || memcmp(text, needle, nlen) != 0)
		return 0;
	const char *name = text + nlen, *end = record + len;
	size_t n = 0;
	while (name + n < end && name[n] != '\n' && name[n] != '\0')
		n++;
	if (n == 0)
		return 0;
	snprintf(out, outlen, "%.*s", (int)n, name);
	return 1;
}

/* The kernel's own "Hypervisor detected: X" line, if the log still holds it
 * and we may read it (root, or dmesg_restrict = 0).  Never blocks. */
static void hypervisor_kernel_log(char *out, size_t outlen)
{
	char record[8192];
	snprintf(out, outlen, "NA");
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, record, sizeof(record)); /* one record a read */
		if (n < 0 && (errno == EINTR || errno == EPIPE)) /* EPIPE: records overwritten meanwhile */
			continue;
		if (n <= 0) /* EAGAIN: the end of the log */
			break;
		if (hypervisor_in_log_record(record, (size_t)n, out, outlen))
			break;
	}
	close(fd);
}

/* systemd-detect-virt's one line, run from an argument vector; NA when it is
 * not installed or says nothing.  It prints "none" (and exits 1) when there
 * is none. */
static void detect_virt(const char *flag, char *out, size_t outlen)
{
	char *const argv[] = { "systemd-detect-virt", (char *)flag, NULL };
	posix_spawn_file_actions_t fa;
	int pipefd[2];
	pid_t pid;

	snprintf(out, outlen, "NA");
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return;
	}
	char text[128];
	size_t got = 0;
	while (got + 1 < sizeof(text)) {
		ssize_t n = read(pipefd[0], text + got, sizeof(text) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(pipefd[0]);
	int status = 0;
	pid_t waited;
	while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	text[got] = '\0';
	text[strcspn(text, "\n")] = '\0';
	/* 127: the exec failed in the child (older C libraries report it so) */
	if (text[0] && !(waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 127))
		snprintf(out, outlen, "%s", text);
}

static void hypervisor(struct meta *m)
{
	struct { const char *label, *key; char value[128]; } src[] = {
		{ "kernel log", "hypervisor_kernel_log", "" },
		{ "systemd-detect-virt", "hypervisor_systemd", "" },
		{ "cpuid", "hypervisor_cpuid", "" },
		{ "/sys/hypervisor", "hypervisor_sys", "" },
	};
	enum { NSRC = sizeof(src) / sizeof(src[0]) };
	hypervisor_kernel_log(src[0].value, sizeof(src[0].value));
	detect_virt("--vm", src[1].value, sizeof(src[1].value));
	hypervisor_cpuid(src[2].value, sizeof(src[2].value));
	read_line_file("/sys/hypervisor/type", src[3].value, sizeof(src[3].value));

	char agree[256] = "", differ[512] = "", first_token[64] = "";
	const char *name = NULL;
	int same = 1;
	for (int i = 0; i < NSRC; i++) {
		meta_set(m, src[i].key, "%s", src[i].value);
		if (strcmp(src[i].value, "NA") == 0)
			continue;
		char token[64];
		hypervisor_token(src[i].value, token, sizeof(token));
		if (!name) {
			name = src[i].value; /* the first answer in the order above: the kernel knows best */
			snprintf(first_token, sizeof(first_token), "%s", token);
		}
		same = same && strcmp(token, first_token) == 0;
		size_t a = strlen(agree), d = strlen(differ);
		snprintf(agree + a, sizeof(agree) - a, "%s%s", a ? ", " : "", src[i].label);
		snprintf(differ + d, sizeof(differ) - d, "%s%s %s", d ? ", " : "", src[i].label, src[i].value);
	}
	if (!name)
		meta_set(m, "hypervisor", "NA");
	else if (same)
		meta_set(m, "hypervisor", "%s (%s %s)", name, agree, strchr(agree, ',') ? "agree" : "alone");
	else
		meta_set(m, "hypervisor", "%s (sources differ: %s)", name, differ);

	char container[128];
	detect_virt("--container", container, sizeof(container));
	meta_set(m, "container", "%s", container);
}

/* ---- CPU frequency governor ---- */

static void cpu_governor(struct meta *m)
{
	char all[1024] = "", first[64] = "", gov[64], path[128];
	int seen = 0, mixed = 0;
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	for (long cpu = 0; cpu < cpus; cpu++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/cpufreq/scaling_governor", cpu);
		read_line_file(path, gov, sizeof(gov));
		if (strcmp(gov, "NA") == 0) /* offline, or no cpufreq */
			continue;
		if (!seen++)
			snprintf(first, sizeof(first), "%s", gov);
		mixed = mixed || strcmp(gov, first) != 0;
		size_t n = strlen(all);
		snprintf(all + n, sizeof(all) - n, "%scpu%ld=%s", n ? " " : "", cpu, gov);
	}
	if (!seen)
		meta_set(m, "cpu_governor", "NA");
	else if (mixed)
		meta_set(m, "cpu_governor", "mixed: %s", all);
	else
		meta_set(m, "cpu_governor", "%s", first);
}

/* ---- the block device under --dir ---- */

/* meta key = the value of DISK/REL in sysfs, read one way or the other; NA when absent. */
static void disk_setting(struct meta *m, const char *key, const char *disk, const char *rel,
			 void (*read)(const char *, char *, size_t))
{
	char path[PATH_MAX + 64], text[PATH_MAX]; /* a loop device's backing file is a path */
	snprintf(path, sizeof(path), "%s/%s", disk, rel);
	read(path, text, sizeof(text));
	meta_set(m, key, "%s", text);
}

/* The sysfs folder of the device: --dir's st_dev, else (btrfs and others
 * report an anonymous st_dev) the device the filesystem was mounted from. */
static int block_sysfs(const char *dir, const char *fs_source, char *out)
{
	struct stat st;
	char link[64];
	dev_t dev = 0;
	if (stat(dir, &st) == 0) {
		snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
		if (realpath(link, out))
			return 0;
	}
	if (fs_source && fs_source[0] == '/' && stat(fs_source, &st) == 0 && S_ISBLK(st.st_mode))
		dev = st.st_rdev;
	if (!dev)
		return -1;
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	return realpath(link, out) ? 0 : -1;
}

static void block_device(struct meta *m, const char *dir, const char *fs_source)
{
	char dev[PATH_MAX], disk[PATH_MAX], path[PATH_MAX + 64];
	const char *keys[] = { "block_device", "read_ahead_kb", "io_scheduler", "loop_backing_file", "loop_dio" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		meta_set(m, keys[i], "NA");
	if (block_sysfs(dir, fs_source, dev) != 0)
		return; /* tmpfs, overlay, NFS: no block device */

	/* A partition has no queue/ of its own: its disk's is the one. */
	snprintf(path, sizeof(path), "%s/partition", dev);
	int partition = access(path, F_OK) == 0;
	snprintf(disk, sizeof(disk), "%s", dev);
	if (partition)
		*strrchr(disk, '/') = '\0';
	const char *dev_name = strrchr(dev, '/') + 1, *disk_name = strrchr(disk, '/') + 1;
	if (partition)
		meta_set(m, "block_device", "%s (a partition of %s)", dev_name, disk_name);
	else
		meta_set(m, "block_device", "%s", dev_name);

	disk_setting(m, "read_ahead_kb", disk, "queue/read_ahead_kb", read_line_file);
	disk_setting(m, "io_scheduler", disk, "queue/scheduler", read_choice_file);
	if (strncmp(disk_name, "loop", 4) == 0) {
		disk_setting(m, "loop_backing_file", disk, "loop/backing_file", read_line_file);
		disk_setting(m, "loop_dio", disk, "loop/dio", read_line_file);
	}
}

/* ---- CPU vulnerabilities: one key ---- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "spectre_v1: Mitigation: ... | spectre_v2: ... | not affected: l1tf, mds, ..."
 * One key, not one per file: the set of files grows with every kernel, and
 * meta.csv's keys should be the same from one kernel to the next. */
static void cpu_vulnerabilities(struct meta *m)
{
	static const char base[] = "/sys/devices/system/cpu/vulnerabilities";
	char affected[8192] = "", unaffected[2048] = "", path[512], text[512];
	char *names[128];
	size_t count = 0;
	DIR *d = opendir(base);
	if (!d) {
		meta_set(m, "cpu_vulnerabilities", "NA");
		return;
	}
	for (struct dirent *e; count < sizeof(names) / sizeof(names[0]) && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (!(names[count++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), by_name);
	for (size_t i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, names[i]);
		read_line_file(path, text, sizeof(text));
		if (strcmp(text, "Not affected") == 0) {
			size_t n = strlen(unaffected);
			snprintf(unaffected + n, sizeof(unaffected) - n, "%s%s", n ? ", " : "", names[i]);
		} else {
			size_t n = strlen(affected);
			snprintf(affected + n, sizeof(affected) - n, "%s%s: %s", n ? " | " : "", names[i], text);
		}
		free(names[i]);
	}
	if (!count)
		meta_set(m, "cpu_vulnerabilities", "NA");
	else
		meta_set(m, "cpu_vulnerabilities", "%s%snot affected: %s", affected, affected[0] ? " | " : "",
			 unaffected[0] ? unaffected : "none");
}

void provenance_collect(struct meta *m, const char *dir, const char *fs_source)
{
	hypervisor(m);
	cpu_governor(m);
	block_device(m, dir, fs_source);
	cpu_vulnerabilities(m);
}
