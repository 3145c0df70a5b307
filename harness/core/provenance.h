/* Provenance for meta.csv beyond uname: the hypervisor (each source, and
 * whether they agree), the CPU frequency governor, the block device under
 * --dir (read-ahead, I/O scheduler, a loop device's backing file and direct
 * I/O), and the CPU vulnerability mitigations.  Every key is always set,
 * to "NA" where this machine has no answer. */
#ifndef IOPATHS_PROVENANCE_H
#define IOPATHS_PROVENANCE_H

#include "meta.h"

#include <stddef.h>

void provenance_collect(struct meta *m, const char *dir, const char *fs_source);

/* The name after "Hypervisor detected: " in one kernel log record
 * ("6,1,0,-;Hypervisor detected: KVM\n"); 0 when the record has none. */
int hypervisor_in_log_record(const char *record, size_t len, char *out, size_t outlen);

/* A lower-case token for comparing what sources say: the first word of a
 * name ("Microsoft Hyper-V" -> "microsoft"), or a CPUID signature's vendor
 * ("KVMKVMKVM" -> "kvm"). */
void hypervisor_token(const char *name, char *out, size_t outlen);

#endif
