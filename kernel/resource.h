/*
 * kernel/resource.h — per-process resource limits (getrlimit, setrlimit,
 * prlimit64), inherited across fork and exec as on Linux.
 */
#ifndef KERNEL_RESOURCE_H
#define KERNEL_RESOURCE_H

#include <kernel/task.h>

#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6
#define RLIMIT_NOFILE     7
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIM64_INFINITY   (~0ull)

/* The first process's limits: Linux's boot defaults. */
void rlimits_init(struct task *t);
/* The current limit of resource for the calling process. */
uint64_t rlimit(int resource);

#endif
