#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "CPulseLinux.h"

int pulse_peercred(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
}

void pulse_map_large_allocations(int threshold) {
    mallopt(M_MMAP_THRESHOLD, threshold);
}

int pulse_peergroups(int fd, uint32_t *groups, int max) {
    socklen_t len = (socklen_t)(sizeof(gid_t) * (size_t)max);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0) return -1;
    return (int)(len / sizeof(gid_t));
}

int pulse_schedule_batch(void) {
    struct sched_param parameters = { .sched_priority = 0 };
    return pthread_setschedparam(pthread_self(), SCHED_BATCH, &parameters);
}

int pulse_accept_cloexec(int fd) {
    return accept4(fd, NULL, NULL, SOCK_CLOEXEC);
}

void pulse_set_thread_name(const char *name) {
    char shortName[16];
    strncpy(shortName, name, 15);
    shortName[15] = 0;
    pthread_setname_np(pthread_self(), shortName);
}

int pulse_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

void pulse_line_buffer_stdout(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}

int pulse_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int pulse_epoll_add(int epfd, int fd) {
    struct epoll_event event = { .events = EPOLLIN, .data = { .fd = fd } };
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int pulse_epoll_del(int epfd, int fd) {
    struct epoll_event event = { 0 };
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

int pulse_epoll_wait(int epfd, int *fds, int max, int timeout) {
    struct epoll_event events[8];
    if (max > 8) max = 8;
    int n = epoll_wait(epfd, events, max, timeout);
    for (int i = 0; i < n; i++) fds[i] = events[i].data.fd;
    return n;
}

int pulse_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int pulse_socketpair_cloexec(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}

extern char **environ;

int pulse_spawn(const char *path, char *const argv[], char *const envp[],
                int stdin_fd, int stdout_fd, int stderr_fd, int new_process_group, int32_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    result = posix_spawnattr_init(&attributes);
    if (result != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return result;
    }
    const int sources[3] = { stdin_fd, stdout_fd, stderr_fd };
    for (int target = 0; target < 3 && result == 0; target++) {
        if (sources[target] >= 0) result = posix_spawn_file_actions_adddup2(&actions, sources[target], target);
    }
    // Nothing but the three standard streams reaches the child, whether or not the parent
    // remembered close-on-exec when it opened a descriptor.
    if (result == 0) result = posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    // The child starts with default signal handling and nothing blocked, whatever this
    // process ignores (SIGPIPE) or blocks (the signals it waits for itself).
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (new_process_group) flags |= POSIX_SPAWN_SETPGROUP;
    if (result == 0) result = posix_spawnattr_setsigdefault(&attributes, &all);
    if (result == 0) result = posix_spawnattr_setsigmask(&attributes, &none);
    if (result == 0) result = posix_spawnattr_setpgroup(&attributes, 0);
    if (result == 0) result = posix_spawnattr_setflags(&attributes, flags);
    if (result == 0) {
        pid_t child = 0;
        result = posix_spawn(&child, path, &actions, &attributes, argv, envp ? envp : environ);
        if (result == 0) *pid = child;
    }
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return result;
}

/// The self-pipe of `pulse_catch_signals`: the handler writes each signal's number to it.
static int signal_pipe[2] = { -1, -1 };
static pthread_once_t signal_pipe_once = PTHREAD_ONCE_INIT;

static void make_signal_pipe(void) {
    if (pipe2(signal_pipe, O_CLOEXEC) == 0) {
        fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);  // a full pipe drops a signal, never blocks a handler
    }
}

static void write_signal_number(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    ssize_t ignored = write(signal_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

int pulse_catch_signals(const int *numbers, int count) {
    pthread_once(&signal_pipe_once, make_signal_pipe);
    if (signal_pipe[0] < 0) return -1;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = write_signal_number;
    action.sa_flags = SA_RESTART;
    sigfillset(&action.sa_mask);
    for (int i = 0; i < count; i++) {
        if (sigaction(numbers[i], &action, NULL) != 0) return -1;
    }
    return signal_pipe[0];
}

void pulse_unblock_signals(const int *numbers, int count) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < count; i++) sigaddset(&set, numbers[i]);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int pulse_lower_thread_priority(void) {
    pid_t tid = (pid_t)syscall(SYS_gettid);
    if (setpriority(PRIO_PROCESS, (id_t)tid, 19) != 0) return -1;
    // IOPRIO_CLASS_IDLE (3) << IOPRIO_CLASS_SHIFT (13), for this thread (IOPRIO_WHO_PROCESS = 1).
    return (int)syscall(SYS_ioprio_set, 1, tid, 3 << 13);
}
