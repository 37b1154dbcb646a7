// The signal handlers: the only code here that cannot be static inline header functions, because a
// handler's address must be the same for sigaction and for every caller.
#include "CJIMSys.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

enum { CJIM_MAX_SIGNAL = 65 };

// The write end of the self-pipe for each signal, plus one (0 means not watched).
static volatile sig_atomic_t cjim_signal_targets[CJIM_MAX_SIGNAL];
static struct sigaction cjim_signal_saved[CJIM_MAX_SIGNAL];

static void cjim_signal_handler(int signo) {
    int saved = errno;
    if (signo > 0 && signo < CJIM_MAX_SIGNAL) {
        int target = (int)cjim_signal_targets[signo];
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
    int previous = (int)cjim_signal_targets[signo];
    cjim_signal_targets[signo] = fd + 1;
    // The loop's thread must be able to take the signal (thread pools often block them all).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (previous > 0) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cjim_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(signo, &action, &cjim_signal_saved[signo]) < 0) {
        cjim_signal_targets[signo] = 0;
        return -1;
    }
    return 0;
}

int cjim_signal_unwatch(int signo, int fd) {
    if (signo <= 0 || signo >= CJIM_MAX_SIGNAL) {
        errno = EINVAL;
        return -1;
    }
    if ((int)cjim_signal_targets[signo] != fd + 1) return 0;
    if (sigaction(signo, &cjim_signal_saved[signo], NULL) < 0) return -1;
    cjim_signal_targets[signo] = 0;
    return 0;
}

// The SIGBUS message and exit status (set before the handler is installed, read only by it).
static char cjim_sigbus_message[512];
static volatile sig_atomic_t cjim_sigbus_length;
static volatile sig_atomic_t cjim_sigbus_status;

static void cjim_sigbus_handler(int signo) {
    (void)signo;
    ssize_t written = write(2, cjim_sigbus_message, (size_t)cjim_sigbus_length);
    (void)written;
    _exit((int)cjim_sigbus_status);
}

int cjim_exit_on_sigbus(const char *message, int status) {
    size_t length = strlen(message);
    if (length > sizeof cjim_sigbus_message - 1) length = sizeof cjim_sigbus_message - 1;
    // The length is cleared while the text changes, so a signal in between writes nothing torn.
    cjim_sigbus_length = 0;
    memcpy(cjim_sigbus_message, message, length);
    cjim_sigbus_status = status;
    cjim_sigbus_length = (sig_atomic_t)length;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cjim_sigbus_handler;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGBUS, &action, NULL);
}
