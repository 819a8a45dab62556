#ifndef _GNU_SOURCE
#error You must define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
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
