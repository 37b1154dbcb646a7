// The signal handlers: the only code here that cannot be static inline header functions, because a
// handler's address must be the same for sigaction and for every caller.
#include "CJIMSys.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

enum { CJIM_MAX_SIGNAL = 65 };

// The write end of the self-pipe for each signal, plus one (0 means not watched).
// Read by the handler with atomic loads; changed only under cjim_signal_lock, since several event
// loops (in-process tests) may watch and unwatch at once.
static int cjim_signal_targets[CJIM_MAX_SIGNAL];
static struct sigaction cjim_signal_saved[CJIM_MAX_SIGNAL];
static pthread_mutex_t cjim_signal_lock = PTHREAD_MUTEX_INITIALIZER;

static void cjim_signal_handler(int signo) {
    int saved = errno;
    if (signo > 0 && signo < CJIM_MAX_SIGNAL) {
        int target = __atomic_load_n(&cjim_signal_targets[signo], __ATOMIC_RELAXED);
        if (target > 0) {
            unsigned char byte = (unsigned char)signo;
            // A full pipe already holds a wake-up for the loop; dropping this byte is fine.
            ssize_t written = write(target - 1, &byte, 1);
            (void)written;
        }
    }
    errno = saved;
}

int cjim_signal_watch(int signo, int fd) {
    if (signo <= 0 || signo >= CJIM_MAX_SIGNAL || fd < 0) {
        errno = EINVAL;
        return -1;
    }
    // The loop's thread must be able to take the signal (thread pools often block them all).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    pthread_mutex_lock(&cjim_signal_lock);
    int previous = __atomic_load_n(&cjim_signal_targets[signo], __ATOMIC_RELAXED);
    __atomic_store_n(&cjim_signal_targets[signo], fd + 1, __ATOMIC_RELAXED);
    int result = 0;
    if (previous == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = cjim_signal_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (sigaction(signo, &action, &cjim_signal_saved[signo]) < 0) {
            int saved = errno;
            __atomic_store_n(&cjim_signal_targets[signo], 0, __ATOMIC_RELAXED);
            errno = saved;
            result = -1;
        }
    }
    pthread_mutex_unlock(&cjim_signal_lock);
    return result;
}

int cjim_signal_unwatch(int signo, int fd) {
    if (signo <= 0 || signo >= CJIM_MAX_SIGNAL) {
        errno = EINVAL;
        return -1;
    }
    int result = 0;
    pthread_mutex_lock(&cjim_signal_lock);
    if (__atomic_load_n(&cjim_signal_targets[signo], __ATOMIC_RELAXED) == fd + 1) {
        if (sigaction(signo, &cjim_signal_saved[signo], NULL) < 0) {
            result = -1;
        } else {
            __atomic_store_n(&cjim_signal_targets[signo], 0, __ATOMIC_RELAXED);
        }
    }
    pthread_mutex_unlock(&cjim_signal_lock);
    return result;
}

// The SIGBUS message and exit status: set under cjim_signal_lock, read by the handler (the length
// with an atomic load, cleared while the text changes, so a signal in between writes nothing torn).
static char cjim_sigbus_message[512];
static size_t cjim_sigbus_length;
static int cjim_sigbus_status;
static int cjim_sigbus_installed;

static void cjim_sigbus_handler(int signo) {
    (void)signo;
    size_t length = __atomic_load_n(&cjim_sigbus_length, __ATOMIC_ACQUIRE);
    ssize_t written = write(2, cjim_sigbus_message, length);
    (void)written;
    _exit(__atomic_load_n(&cjim_sigbus_status, __ATOMIC_RELAXED));
}

int cjim_exit_on_sigbus(const char *message, int status) {
    size_t length = strlen(message);
    if (length > sizeof cjim_sigbus_message - 1) length = sizeof cjim_sigbus_message - 1;
    pthread_mutex_lock(&cjim_signal_lock);
    __atomic_store_n(&cjim_sigbus_length, 0, __ATOMIC_RELEASE);
    memcpy(cjim_sigbus_message, message, length);
    __atomic_store_n(&cjim_sigbus_status, status, __ATOMIC_RELAXED);
    __atomic_store_n(&cjim_sigbus_length, length, __ATOMIC_RELEASE);
    int result = 0;
    if (!cjim_sigbus_installed) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = cjim_sigbus_handler;
        sigemptyset(&action.sa_mask);
        result = sigaction(SIGBUS, &action, NULL);
        if (result == 0) cjim_sigbus_installed = 1;
    }
    pthread_mutex_unlock(&cjim_signal_lock);
    return result;
}
