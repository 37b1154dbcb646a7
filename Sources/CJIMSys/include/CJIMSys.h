// CJIMSys: the few system interfaces Swift cannot reach cleanly through Glibc or Darwin.
//
// Glibc's Swift module does not expose epoll, accept4 or pipe2, and epoll_event is a packed
// struct with a union that Swift imports poorly. These helpers take and return plain integers.
// Each one behaves like a system call: -1 and errno on failure. JIMNet wraps every call in its
// one syscall wrapper (EINTR retry, SystemError naming the call).
#ifndef CJIMSYS_H
#define CJIMSYS_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/// Readiness bits, shared with JIMNet's IOEvents.
enum {
    CJIM_READABLE = 1,
    CJIM_WRITABLE = 2,
    CJIM_HANGUP = 4,
    CJIM_ERROR = 8,
};

/// The most events one cjim_epoll_wait call returns.
enum { CJIM_EPOLL_BATCH = 256 };

#ifdef __linux__
#include <sys/epoll.h>

// Declared by glibc only under _GNU_SOURCE, which Swift's Glibc module is built without.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
extern int pipe2(int fds[2], int flags);

/// A close-on-exec epoll instance.
static inline int cjim_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static inline uint32_t cjim_epoll_mask(uint32_t interest) {
    uint32_t mask = 0;
    if (interest & CJIM_READABLE) mask |= EPOLLIN;
    if (interest & CJIM_WRITABLE) mask |= EPOLLOUT;
    return mask;
}

/// epoll_ctl with level-triggered interest in CJIM_* bits; the event carries the fd.
static inline int cjim_epoll_ctl(int epfd, int op, int fd, uint32_t interest) {
    struct epoll_event ev;
    ev.events = cjim_epoll_mask(interest);
    ev.data.u64 = 0;
    ev.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &ev);
}

static inline int cjim_epoll_add(int epfd, int fd, uint32_t interest) {
    return cjim_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, interest);
}

static inline int cjim_epoll_modify(int epfd, int fd, uint32_t interest) {
    return cjim_epoll_ctl(epfd, EPOLL_CTL_MOD, fd, interest);
}

static inline int cjim_epoll_delete(int epfd, int fd) {
    struct epoll_event ev = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
}

/// epoll_wait that unpacks up to CJIM_EPOLL_BATCH events into parallel arrays of fds and CJIM_* bits.
static inline int cjim_epoll_wait(int epfd, int32_t *fds, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[CJIM_EPOLL_BATCH];
    if (max > CJIM_EPOLL_BATCH) max = CJIM_EPOLL_BATCH;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        uint32_t e = evs[i].events, bits = 0;
        if (e & EPOLLIN) bits |= CJIM_READABLE;
        if (e & EPOLLOUT) bits |= CJIM_WRITABLE;
        if (e & EPOLLHUP) bits |= CJIM_HANGUP;
        if (e & EPOLLERR) bits |= CJIM_ERROR;
        fds[i] = evs[i].data.fd;
        events[i] = bits;
    }
    return n;
}
#endif

/// Marks fd nonblocking and close-on-exec (for platforms without the atomic flags).
static inline int cjim_set_nonblock_cloexec(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    int fd_flags = fcntl(fd, F_GETFD);
    if (fd_flags < 0 || fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC) < 0) return -1;
    return 0;
}

/// Closes fd after a failed set-up step, keeping the step's errno; returns -1.
static inline int cjim_fail_closing(int fd) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

#ifndef __linux__
/// Darwin has no MSG_NOSIGNAL: the socket itself is told not to raise SIGPIPE.
static inline int cjim_darwin_prepare(int fd) {
    if (cjim_set_nonblock_cloexec(fd) < 0) return cjim_fail_closing(fd);
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) < 0) return cjim_fail_closing(fd);
    return fd;
}
#endif

/// A nonblocking, close-on-exec stream socket of the given family.
static inline int cjim_socket(int domain) {
#ifdef __linux__
    return socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
#else
    int fd = socket(domain, SOCK_STREAM, 0);
    return fd < 0 ? -1 : cjim_darwin_prepare(fd);
#endif
}

/// A connected pair of nonblocking, close-on-exec Unix stream sockets.
static inline int cjim_socketpair(int fds[2]) {
#ifdef __linux__
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds);
#else
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) return -1;
    if (cjim_darwin_prepare(fds[0]) < 0) return cjim_fail_closing(fds[1]);
    if (cjim_darwin_prepare(fds[1]) < 0) return cjim_fail_closing(fds[0]);
    return 0;
#endif
}

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (or the Darwin equivalent).
static inline int cjim_accept(int fd, struct sockaddr *addr, socklen_t *len) {
#ifdef __linux__
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
    int conn = accept(fd, addr, len);
    return conn < 0 ? -1 : cjim_darwin_prepare(conn);
#endif
}

/// A pipe whose both ends are nonblocking and close-on-exec.
static inline int cjim_pipe(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_NONBLOCK | O_CLOEXEC);
#else
    if (pipe(fds) < 0) return -1;
    if (cjim_set_nonblock_cloexec(fds[0]) < 0 || cjim_set_nonblock_cloexec(fds[1]) < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        errno = saved;
        return -1;
    }
    return 0;
#endif
}

/// Whether a stat(2) mode is a socket (S_ISSOCK, a macro Swift cannot call).
static inline int cjim_mode_is_socket(mode_t mode) { return S_ISSOCK(mode); }

/// Flags for send(2): MSG_NOSIGNAL where it exists (Darwin sockets carry SO_NOSIGPIPE instead).
static inline int cjim_send_flags(void) {
#ifdef MSG_NOSIGNAL
    return MSG_NOSIGNAL;
#else
    return 0;
#endif
}

/// send(2) without SIGPIPE.
static inline ssize_t cjim_send(int fd, const void *bytes, size_t count) {
    return send(fd, bytes, count, cjim_send_flags());
}

/// A gathering send (writev semantics) without SIGPIPE.
static inline ssize_t cjim_sendv(int fd, const struct iovec *iov, int count) {
    struct msghdr msg = {0};
    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = count;
    return sendmsg(fd, &msg, cjim_send_flags());
}

/// Routes signal `signo` to a self-pipe: the handler writes the signal number as one byte to `fd`.
///
/// The previous disposition is saved and restored by cjim_signal_unwatch. One fd per signal:
/// a later call replaces the fd. The signal is also unblocked in the calling thread.
int cjim_signal_watch(int signo, int fd);

/// Restores the disposition saved by cjim_signal_watch, if `fd` is still the signal's target.
int cjim_signal_unwatch(int signo, int fd);

/// Makes SIGBUS (a mapped file cut short under the reader) write `message` (up to 511 bytes, copied)
/// to standard error and end the process with `status`, instead of dumping core. Call again to change
/// the message. Returns -1 and errno if the handler cannot be installed.
int cjim_exit_on_sigbus(const char *message, int status);

#endif
