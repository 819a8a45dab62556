#ifndef CPULSE_LINUX_H
#define CPULSE_LINUX_H
#include <stdint.h>

/// Reads the peer's pid, uid and gid of a connected Unix socket (SO_PEERCRED).
/// Returns 0 on success, -1 with errno set otherwise.
int pulse_peercred(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid);

/// Reads the peer's supplementary groups (SO_PEERGROUPS, as they were when it connected) into
/// `groups`, at most `max`. Returns how many, or -1 with errno (ERANGE: more than `max`).
int pulse_peergroups(int fd, uint32_t *groups, int max);

/// Serves allocations of `threshold` bytes or more from mappings of their own, returned to the
/// system when freed (mallopt M_MMAP_THRESHOLD, which also stops glibc raising it by itself).
void pulse_map_large_allocations(int threshold);

/// accept4 with SOCK_CLOEXEC, so accepted sockets never leak into child processes.
int pulse_accept_cloexec(int fd);

/// Names the calling thread (at most 15 bytes are kept), for ps and debuggers.
void pulse_set_thread_name(const char *name);

/// Schedules the calling thread as SCHED_BATCH (no privilege needed). Returns 0 or an errno value.
int pulse_schedule_batch(void);

/// A non-blocking, close-on-exec eventfd, for waking a thread that waits in poll.
int pulse_eventfd(void);

/// Makes standard output line-buffered, also into files and pipes.
void pulse_line_buffer_stdout(void);

/// A close-on-exec epoll set.
int pulse_epoll_create(void);
/// Watches `fd` for reading (add) or stops (del). Returns 0 or -1 with errno.
int pulse_epoll_add(int epfd, int fd);
int pulse_epoll_del(int epfd, int fd);
/// Waits for readable descriptors; writes up to `max` of them to `fds`. Returns how many, or
/// -1 with errno (EINTR included).
int pulse_epoll_wait(int epfd, int *fds, int max, int timeout);

/// A pipe whose two ends are close-on-exec. Returns 0 or -1 with errno.
int pulse_pipe_cloexec(int fds[2]);
/// A connected pair of close-on-exec Unix stream sockets. Returns 0 or -1 with errno.
int pulse_socketpair_cloexec(int fds[2]);

/// Starts `path` with posix_spawn. Each of the three descriptors becomes the child's standard
/// input, output or error (-1 leaves the parent's); every other descriptor is closed in the
/// child; signals start at their defaults, unblocked. `envp` NULL passes this environment.
/// `new_process_group` puts the child in a group of its own, out of reach of the terminal's
/// Ctrl-C. Returns 0 and sets `pid`, or an errno value.
int pulse_spawn(const char *path, char *const argv[], char *const envp[],
                int stdin_fd, int stdout_fd, int stderr_fd, int new_process_group, int32_t *pid);

/// Catches these signals with a handler that writes each one's number (a byte) to a pipe, and
/// returns the pipe's read end (the same for every call), or -1 with errno.
int pulse_catch_signals(const int *numbers, int count);
/// Unblocks these signals for the calling thread.
void pulse_unblock_signals(const int *numbers, int count);

#endif

/// Lowers the calling thread's CPU and I/O priority to the least (nice 19, I/O class idle), for
/// background work such as a backup that must not slow the service. Returns 0 or -1 (errno set).
int pulse_lower_thread_priority(void);
