/*
 * loadgen: a single-threaded epoll load generator for bench/serve and bench/pipeline.
 *
 * Speaks three protocols to 127.0.0.1:PORT:
 *   jim   JIM frames, one JSON object per line (see PROTOCOL.md)
 *   mqtt  MQTT 3.1.1: CONNECT/CONNACK, SUBSCRIBE/SUBACK, PUBLISH QoS 0, clean session
 *   nats  NATS text protocol: CONNECT, SUB, PUB, PING/PONG, INFO
 *
 * Modes:
 *   one    one sender to one receiver, -n messages
 *   fan    one sender to a room/topic of -l listeners, -n messages (-n * -l deliveries)
 *   idle   open -k idle connections, print "READY ..." and hold them until SIGTERM/SIGINT
 *          or the -T deadline
 *   jimroom  (jim only) exit 0 if room -r exists on the server (a msg to it from a
 *          non-member answers 403), 1 if not (404); delivers nothing, joins nothing
 *
 * Rates are deliveries counted at the receivers divided by the time from the sender's first
 * write to the last delivery ("rate"); "rate_ff" is first-to-last delivery.  The sender never
 * runs more than -A messages ahead of the slowest receiver (all protocols) and, for JIM,
 * never has more than -w requests unanswered (only when the server announced pipelining).
 * The result is one line "RESULT key=value ..." on stdout, with the program's own user+sys
 * CPU time over the measured interval.
 *
 * Build: cc -O2 -o loadgen loadgen.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum proto { P_JIM, P_MQTT, P_NATS };
enum mode { M_ONE, M_FAN, M_IDLE, M_JIMROOM };
enum role { R_IDLE, R_SENDER, R_RECEIVER, R_CHECK };

#define CARRY_MAX 4096
#define RBUF_SIZE (1 << 20)
#define WBUF_SIZE (256 * 1024)

struct conn {
    int fd;
    int role;
    int index;
    int step;     /* handshake step (protocol specific) */
    int ready;    /* handshake finished */
    int dead;
    long long delivered;
    int carry_len;
    char *carry;
    int want_out; /* EPOLLOUT registered */
};

static enum proto proto;
static enum mode mode;
static int port;
static long long nmsgs = 200000;
static int nlisteners = 10;
static int payload_size = 100;
static int kconns = 10000;
static int window = 256;
static long long ahead = 4096;
static double deadline_s = 120;
static double idle_s = 10;
static int batch = 64;  /* pending handshakes at once in idle mode */
static const char *room = "#bench";
static const char *tag = "lg";
static volatile sig_atomic_t stop_flag;

static int epfd;
static struct conn *conns;
static int nconns;
static char *rbuf;
static char *carry_pool;

/* sender state */
static struct conn *sender;
static char *wbuf;
static int wlen, woff;
static char *frame;
static int frame_len;
static long long sent, responses, bad_responses, inflight;
static int pipelining = 1;
static long long errors;

/* measurement */
static double t_start, t_first, t_last, t_progress;
static long long total_delivered;
static long long expected;
static int check_result = -1;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_time(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("loadgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

static void usage(void) {
    fprintf(stderr,
            "usage: loadgen jim|mqtt|nats one|fan|idle|jimroom PORT [options]\n"
            "  -n N     messages to send (one, fan) [200000]\n"
            "  -l N     listeners (fan) [10]\n"
            "  -s N     payload bytes [100]\n"
            "  -k N     idle connections (idle) [10000]\n"
            "  -w N     JIM requests in flight [256]\n"
            "  -A N     max messages the sender runs ahead of the slowest receiver [4096]\n"
            "  -T SEC   overall deadline [120]\n"
            "  -I SEC   give up after SEC without progress [10]\n"
            "  -r ROOM  JIM room [#bench]\n"
            "  -g TAG   name prefix for JIM users / client ids [lg]\n");
    exit(2);
}

/* ---------- socket helpers ---------- */

static void set_events(struct conn *c, int out) {
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
    c->want_out = out;
}

static int open_conn(struct conn *c) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    c->fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl add: %s", strerror(errno));
    return 0;
}

/* Small control writes (handshakes, PONG, probe answers): the socket buffer has room. */
static void write_small(struct conn *c, const void *p, size_t n) {
    const char *s = p;
    double until = now() + 5;
    while (n > 0) {
        ssize_t w = write(c->fd, s, n);
        if (w > 0) {
            s += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && errno == EAGAIN) {
            if (now() > until) die("write: stalled for 5 s");
            usleep(100);
        } else {
            die("write: %s", strerror(errno));
        }
    }
}

/* ---------- protocol: frames ---------- */

static int mqtt_remaining(char *p, unsigned len) {
    /* encode MQTT remaining length into p, return bytes used */
    int i = 0;
    do {
        unsigned char b = len % 128;
        len /= 128;
        if (len) b |= 128;
        p[i++] = (char)b;
    } while (len);
    return i;
}

static int mqtt_str(char *p, const char *s) {
    size_t n = strlen(s);
    p[0] = (char)(n >> 8);
    p[1] = (char)(n & 255);
    memcpy(p + 2, s, n);
    return (int)n + 2;
}

static const char *topic(void) { return mode == M_ONE ? "bench/one" : "bench/fan"; }
static const char *subject(void) { return mode == M_ONE ? "bench.one" : "bench.fan"; }

static void user_name(struct conn *c, char *out, size_t n) {
    const char *r = c->role == R_SENDER ? "s" : c->role == R_RECEIVER ? "r" : c->role == R_CHECK ? "c" : "i";
    snprintf(out, n, "%s%d%s%d", tag, (int)getpid() % 100000, r, c->index);
}

static void jim_presence(struct conn *c) {
    char name[64], buf[256];
    user_name(c, name, sizeof name);
    int n = snprintf(buf, sizeof buf,
                     "{\"action\":\"presence\",\"time\":1.0,\"type\":\"status\",\"user\":{\"account_name\":\"%s\","
                     "\"status\":\"x\"}}\n",
                     name);
    write_small(c, buf, (size_t)n);
}

static void jim_join(struct conn *c) {
    char buf[128];
    int n = snprintf(buf, sizeof buf, "{\"action\":\"join\",\"time\":1.0,\"room\":\"%s\"}\n", room);
    write_small(c, buf, (size_t)n);
}

static void mqtt_connect(struct conn *c) {
    char buf[128], id[64], body[96];
    user_name(c, id, sizeof id);
    int b = 0;
    b += mqtt_str(body + b, "MQTT");
    body[b++] = 4;    /* protocol level 3.1.1 */
    body[b++] = 0x02; /* clean session */
    body[b++] = 0;    /* keepalive 0: off */
    body[b++] = 0;
    b += mqtt_str(body + b, id);
    int n = 0;
    buf[n++] = 0x10;
    n += mqtt_remaining(buf + n, (unsigned)b);
    memcpy(buf + n, body, (size_t)b);
    write_small(c, buf, (size_t)(n + b));
}

static void mqtt_subscribe(struct conn *c) {
    char buf[64], body[48];
    int b = 0;
    body[b++] = 0;
    body[b++] = 1; /* packet id */
    b += mqtt_str(body + b, topic());
    body[b++] = 0; /* QoS 0 */
    int n = 0;
    buf[n++] = (char)0x82;
    n += mqtt_remaining(buf + n, (unsigned)b);
    memcpy(buf + n, body, (size_t)b);
    write_small(c, buf, (size_t)(n + b));
}

static void nats_handshake(struct conn *c) {
    char buf[256];
    int n = snprintf(buf, sizeof buf, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
    if (c->role == R_RECEIVER) n += snprintf(buf + n, sizeof buf - (size_t)n, "SUB %s %d\r\n", subject(), c->index + 1);
    n += snprintf(buf + n, sizeof buf - (size_t)n, "PING\r\n");
    write_small(c, buf, (size_t)n);
}

static void start_handshake(struct conn *c) {
    c->step = 0;
    switch (proto) {
    case P_JIM: jim_presence(c); break;
    case P_MQTT: mqtt_connect(c); break;
    case P_NATS: nats_handshake(c); break;
    }
}

static void build_frame(void) {
    char payload[4096];
    if (payload_size < 1 || payload_size > 1000) die("payload size must be 1..1000");
    for (int i = 0; i < payload_size; i++) payload[i] = (char)('a' + i % 26);
    payload[payload_size] = 0;
    frame = malloc(8192);
    if (proto == P_JIM) {
        char from[64];
        user_name(sender, from, sizeof from);
        char to[64];
        if (mode == M_ONE) {
            struct conn tmp = {.role = R_RECEIVER, .index = 0};
            user_name(&tmp, to, sizeof to);
        } else {
            snprintf(to, sizeof to, "%s", room);
        }
        frame_len = snprintf(frame, 8192,
                             "{\"action\":\"msg\",\"time\":1.0,\"to\":\"%s\",\"from\":\"%s\",\"encoding\":\"ascii\","
                             "\"message\":\"%s\"}\n",
                             to, from, payload);
    } else if (proto == P_MQTT) {
        char body[2048];
        int b = mqtt_str(body, topic());
        memcpy(body + b, payload, (size_t)payload_size);
        b += payload_size;
        frame_len = 0;
        frame[frame_len++] = 0x30;
        frame_len += mqtt_remaining(frame + frame_len, (unsigned)b);
        memcpy(frame + frame_len, body, (size_t)b);
        frame_len += b;
    } else {
        frame_len = snprintf(frame, 8192, "PUB %s %d\r\n%s\r\n", subject(), payload_size, payload);
    }
}

/* ---------- receiving ---------- */

static void note_delivery(struct conn *c, long long n) {
    if (n <= 0) return;
    double t = now();
    if (total_delivered == 0) t_first = t;
    c->delivered += n;
    total_delivered += n;
    t_last = t;
    t_progress = t;
}

static void handshake_step_done(struct conn *c);

static int parse_code(const char *line, size_t len) {
    const char *p = memmem(line, len, "\"response\"", 10);
    if (!p) return -1;
    p += 10;
    const char *end = line + len;
    while (p < end && (*p == ' ' || *p == ':')) p++;
    int code = 0, digits = 0;
    while (p < end && *p >= '0' && *p <= '9' && digits < 4) code = code * 10 + (*p++ - '0'), digits++;
    return digits ? code : -1;
}

static void jim_response(struct conn *c, const char *line, size_t len) {
    int code = parse_code(line, len);
    if (code == 100 || code == 101) return; /* notices are pushes, not answers */
    if (!c->ready) {
        if (code < 200 || code > 299) {
            if (c->role == R_CHECK && c->step == 1) {
                check_result = code == 403 ? 0 : 1;
                stop_flag = 1;
                return;
            }
            fprintf(stderr, "loadgen: handshake refused: %.*s\n", (int)(len > 200 ? 200 : len), line);
            errors++;
            c->dead = 1;
            return;
        }
        if (c->step == 0 && !memmem(line, len, "\"pipelining\":true", 17) && !memmem(line, len, "\"pipelining\": true", 18)) {
            if (c->role == R_SENDER && pipelining) {
                fprintf(stderr, "loadgen: server did not announce pipelining: one request in flight\n");
                pipelining = 0;
            }
        }
        if (c->role == R_CHECK && c->step == 1) {
            check_result = code == 403 ? 0 : 1;
            stop_flag = 1;
            return;
        }
        handshake_step_done(c);
        return;
    }
    if (c == sender) {
        responses++;
        inflight--;
        if (code < 200 || code > 299) {
            if (bad_responses < 5) fprintf(stderr, "loadgen: msg refused: %.*s\n", (int)(len > 200 ? 200 : len), line);
            bad_responses++;
        }
        t_progress = now();
    }
}

/* Handle complete JIM lines in [p, end); return bytes consumed. */
static size_t jim_parse(struct conn *c, char *p, char *end) {
    char *start = p;
    long long msgs = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        size_t len = (size_t)(nl - p);
        if (len >= 15 && memcmp(p, "{\"action\":\"msg\"", 15) == 0) {
            msgs++;
        } else if (len > 0) {
            if (memmem(p, len, "\"response\"", 10)) {
                jim_response(c, p, len);
            } else if (memmem(p, len, "\"action\":\"msg\"", 14)) {
                msgs++;
            } else if (memmem(p, len, "\"action\":\"probe\"", 16)) {
                jim_presence(c);
            }
        }
        p = nl + 1;
    }
    if (msgs) note_delivery(c, msgs);
    return (size_t)(p - start);
}

static size_t mqtt_parse(struct conn *c, char *p, char *end) {
    char *start = p;
    long long msgs = 0;
    while (end - p >= 2) {
        unsigned char type = (unsigned char)p[0] >> 4;
        unsigned len = 0, mul = 1;
        int i = 1;
        for (;;) {
            if (p + i >= end) goto out;
            unsigned char b = (unsigned char)p[i++];
            len += (b & 127) * mul;
            mul *= 128;
            if (!(b & 128)) break;
            if (i > 4) die("mqtt: bad remaining length");
        }
        if ((size_t)(end - p) < i + len) break;
        switch (type) {
        case 3: msgs++; break;
        case 2: /* CONNACK */
            if (len < 2 || p[i + 1] != 0) {
                fprintf(stderr, "loadgen: mqtt: CONNACK refused (%d)\n", len >= 2 ? p[i + 1] : -1);
                errors++;
                c->dead = 1;
            } else {
                handshake_step_done(c);
            }
            break;
        case 9: /* SUBACK */
            if (len >= 3 && (unsigned char)p[i + 2] == 0x80) {
                fprintf(stderr, "loadgen: mqtt: SUBACK failure\n");
                errors++;
                c->dead = 1;
            } else {
                handshake_step_done(c);
            }
            break;
        default: break;
        }
        p += i + len;
    }
out:
    if (msgs) note_delivery(c, msgs);
    return (size_t)(p - start);
}

static size_t nats_parse(struct conn *c, char *p, char *end) {
    char *start = p;
    long long msgs = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        if (p[0] == 'M' && nl - p > 4 && memcmp(p, "MSG ", 4) == 0) {
            /* MSG subject sid [reply] size\r\n payload \r\n : size is the last token */
            char *q = nl - 1;
            if (*q == '\r') q--;
            long long size = 0, mul = 1;
            while (q > p && *q >= '0' && *q <= '9') size += (*q-- - '0') * mul, mul *= 10;
            char *next = nl + 1 + size + 2;
            if (next > end) break;
            msgs++;
            p = next;
            continue;
        }
        size_t len = (size_t)(nl - p);
        if (len >= 4 && memcmp(p, "PING", 4) == 0) {
            write_small(c, "PONG\r\n", 6);
        } else if (len >= 4 && memcmp(p, "PONG", 4) == 0) {
            if (!c->ready) handshake_step_done(c);
        } else if (len >= 4 && memcmp(p, "-ERR", 4) == 0) {
            fprintf(stderr, "loadgen: nats: %.*s\n", (int)(len > 200 ? 200 : len), p);
            errors++;
        }
        p = nl + 1;
    }
    if (msgs) note_delivery(c, msgs);
    return (size_t)(p - start);
}

static void close_conn(struct conn *c) {
    if (c->fd >= 0) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
    }
    c->dead = 1;
}

static void on_readable(struct conn *c) {
    int cl = c->carry_len;
    if (cl) memcpy(rbuf, c->carry, (size_t)cl);
    ssize_t r = read(c->fd, rbuf + cl, RBUF_SIZE - (size_t)cl);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        fprintf(stderr, "loadgen: read: %s\n", strerror(errno));
        errors++;
        close_conn(c);
        return;
    }
    if (r == 0) {
        if (!stop_flag) {
            fprintf(stderr, "loadgen: connection %d (%s) closed by server\n", c->index,
                    c->role == R_SENDER ? "sender" : c->role == R_RECEIVER ? "receiver" : "idle");
            errors++;
        }
        close_conn(c);
        return;
    }
    char *p = rbuf, *end = rbuf + cl + r;
    size_t used = proto == P_JIM ? jim_parse(c, p, end) : proto == P_MQTT ? mqtt_parse(c, p, end) : nats_parse(c, p, end);
    size_t rest = (size_t)(end - p) - used;
    if (rest > CARRY_MAX) {
        fprintf(stderr, "loadgen: frame larger than %d bytes\n", CARRY_MAX);
        errors++;
        close_conn(c);
        return;
    }
    if (rest) memmove(c->carry, p + used, rest);
    c->carry_len = (int)rest;
}

/* ---------- handshakes ---------- */

static int ready_count;

static void mark_ready(struct conn *c) {
    c->ready = 1;
    ready_count++;
}

static void handshake_step_done(struct conn *c) {
    c->step++;
    switch (proto) {
    case P_JIM:
        if (c->step == 1) {
            int joins = (c->role == R_RECEIVER) || (c->role == R_SENDER && mode == M_FAN) || (c->role == R_IDLE);
            if (c->role == R_CHECK) {
                char buf[160], name[64];
                user_name(c, name, sizeof name);
                int n = snprintf(buf, sizeof buf,
                                 "{\"action\":\"msg\",\"time\":1.0,\"to\":\"%s\",\"from\":\"%s\",\"encoding\":\"ascii\","
                                 "\"message\":\"?\"}\n",
                                 room, name);
                write_small(c, buf, (size_t)n);
            } else if (joins) {
                jim_join(c);
            } else {
                mark_ready(c);
            }
        } else {
            mark_ready(c);
        }
        break;
    case P_MQTT:
        if (c->step == 1 && c->role == R_RECEIVER) mqtt_subscribe(c);
        else mark_ready(c);
        break;
    case P_NATS: mark_ready(c); break;
    }
}

/* ---------- sending ---------- */

static long long min_delivered(void) {
    long long m = -1;
    for (int i = 0; i < nconns; i++)
        if (conns[i].role == R_RECEIVER && !conns[i].dead && (m < 0 || conns[i].delivered < m)) m = conns[i].delivered;
    return m < 0 ? 0 : m;
}

static void pump_sender(void) {
    struct conn *c = sender;
    if (c->dead) return;
    for (;;) {
        if (woff == wlen) {
            woff = wlen = 0;
            long long k = nmsgs - sent;
            long long lim = ahead - (sent - min_delivered());
            if (lim < k) k = lim;
            if (proto == P_JIM) {
                long long w = (pipelining ? window : 1) - inflight;
                if (w < k) k = w;
            }
            long long cap = WBUF_SIZE / frame_len;
            if (cap < k) k = cap;
            if (k <= 0) {
                if (c->want_out) set_events(c, 0);
                return;
            }
            for (long long i = 0; i < k; i++) {
                memcpy(wbuf + wlen, frame, (size_t)frame_len);
                wlen += frame_len;
            }
            sent += k;
            if (proto == P_JIM) inflight += k;
        }
        ssize_t w = write(c->fd, wbuf + woff, (size_t)(wlen - woff));
        if (w > 0) {
            woff += (int)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) {
            if (!c->want_out) set_events(c, 1);
            return;
        }
        fprintf(stderr, "loadgen: write: %s\n", strerror(errno));
        errors++;
        close_conn(c);
        return;
    }
}

/* ---------- event loop ---------- */

static void poll_once(int timeout_ms) {
    struct epoll_event evs[512];
    int n = epoll_wait(epfd, evs, 512, timeout_ms);
    if (n < 0) {
        if (errno == EINTR) return;
        die("epoll_wait: %s", strerror(errno));
    }
    for (int i = 0; i < n; i++) {
        struct conn *c = evs[i].data.ptr;
        if (c->fd < 0) continue;
        if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
        if (c->fd >= 0 && c == sender && (evs[i].events & EPOLLOUT)) pump_sender();
    }
}

static void raise_nofile(long need) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if ((long)rl.rlim_cur >= need) return;
    if ((long)rl.rlim_max < need) {
        struct rlimit want = {.rlim_cur = (rlim_t)need, .rlim_max = (rlim_t)need};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) return;
    }
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    if ((long)rl.rlim_cur < need) die("RLIMIT_NOFILE is %ld, need %ld", (long)rl.rlim_cur, need);
}

static const char *proto_name(void) { return proto == P_JIM ? "jim" : proto == P_MQTT ? "mqtt" : "nats"; }

/* Connect and handshake conns[from..to), at most `batch` pending at a time. */
static int connect_all(int from, int to, double until) {
    int next = from;
    int target = to - from;
    int start_ready = ready_count;
    while (ready_count - start_ready < target) {
        int pending = next - from - (ready_count - start_ready);
        while (next < to && pending < batch) {
            struct conn *c = &conns[next];
            if (open_conn(c) < 0) {
                fprintf(stderr, "loadgen: connect 127.0.0.1:%d (#%d): %s\n", port, next, strerror(errno));
                return -1;
            }
            start_handshake(c);
            next++;
            pending++;
        }
        poll_once(50);
        for (int i = from; i < next; i++)
            if (conns[i].dead) {
                fprintf(stderr, "loadgen: connection #%d failed during handshake\n", i);
                return -1;
            }
        if (stop_flag) return -1;
        if (now() > until) {
            fprintf(stderr, "loadgen: handshakes timed out (%d of %d ready)\n", ready_count - start_ready, target);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) usage();
    if (!strcmp(argv[1], "jim")) proto = P_JIM;
    else if (!strcmp(argv[1], "mqtt")) proto = P_MQTT;
    else if (!strcmp(argv[1], "nats")) proto = P_NATS;
    else usage();
    if (!strcmp(argv[2], "one")) mode = M_ONE;
    else if (!strcmp(argv[2], "fan")) mode = M_FAN;
    else if (!strcmp(argv[2], "idle")) mode = M_IDLE;
    else if (!strcmp(argv[2], "jimroom") && proto == P_JIM) mode = M_JIMROOM;
    else usage();
    port = atoi(argv[3]);
    if (port <= 0 || port > 65535) usage();
    int opt;
    optind = 4;
    while ((opt = getopt(argc, argv, "n:l:s:k:w:A:T:I:r:g:b:")) != -1) {
        switch (opt) {
        case 'n': nmsgs = atoll(optarg); break;
        case 'l': nlisteners = atoi(optarg); break;
        case 's': payload_size = atoi(optarg); break;
        case 'k': kconns = atoi(optarg); break;
        case 'w': window = atoi(optarg); break;
        case 'A': ahead = atoll(optarg); break;
        case 'T': deadline_s = atof(optarg); break;
        case 'I': idle_s = atof(optarg); break;
        case 'r': room = optarg; break;
        case 'g': tag = optarg; break;
        case 'b': batch = atoi(optarg); break;
        default: usage();
        }
    }
    if (nmsgs < 1 || nlisteners < 1 || kconns < 1 || window < 1 || ahead < 1 || batch < 1) usage();
    double t0 = now();
    double until = t0 + deadline_s;
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1: %s", strerror(errno));
    rbuf = malloc(RBUF_SIZE + CARRY_MAX);
    wbuf = malloc(WBUF_SIZE);
    if (!rbuf || !wbuf) die("out of memory");

    if (mode == M_IDLE) nconns = kconns;
    else if (mode == M_JIMROOM) nconns = 1;
    else nconns = 1 + (mode == M_ONE ? 1 : nlisteners);
    raise_nofile(nconns + 64);
    conns = calloc((size_t)nconns, sizeof *conns);
    carry_pool = calloc((size_t)nconns, CARRY_MAX);
    if (!conns || !carry_pool) die("out of memory");
    for (int i = 0; i < nconns; i++) {
        conns[i].fd = -1;
        conns[i].carry = carry_pool + (size_t)i * CARRY_MAX;
    }

    if (mode == M_JIMROOM) {
        conns[0].role = R_CHECK;
        if (open_conn(&conns[0]) < 0) {
            fprintf(stderr, "loadgen: connect 127.0.0.1:%d: %s\n", port, strerror(errno));
            return 2;
        }
        start_handshake(&conns[0]);
        until = t0 + (deadline_s < 5 ? deadline_s : 5);
        while (!stop_flag && !conns[0].dead && now() < until) poll_once(50);
        close_conn(&conns[0]);
        return check_result == 0 ? 0 : check_result == 1 ? 1 : 2;
    }

    if (mode == M_IDLE) {
        for (int i = 0; i < nconns; i++) conns[i].role = R_IDLE, conns[i].index = i;
        double c0 = cpu_time();
        if (connect_all(0, nconns, until) < 0) return 1;
        double t_ready = now();
        printf("READY proto=%s conns=%d secs=%.3f\n", proto_name(), nconns, t_ready - t0);
        fflush(stdout);
        while (!stop_flag && now() < until) {
            poll_once(100);
            for (int i = 0; i < nconns; i++)
                if (conns[i].dead) {
                    fprintf(stderr, "loadgen: idle connection #%d lost\n", i);
                    stop_flag = 1;
                    errors++;
                    break;
                }
        }
        printf("RESULT proto=%s mode=idle conns=%d connect_secs=%.3f cpu=%.3f errors=%lld\n", proto_name(), nconns,
               t_ready - t0, cpu_time() - c0, errors);
        return errors ? 1 : 0;
    }

    /* one / fan: receivers first (so rooms exist and subscriptions are live), then the sender */
    int nrecv = nconns - 1;
    for (int i = 0; i < nrecv; i++) conns[i].role = R_RECEIVER, conns[i].index = i;
    sender = &conns[nrecv];
    sender->role = R_SENDER;
    sender->index = 0;
    if (connect_all(0, nrecv, until) < 0) return 1;
    if (connect_all(nrecv, nconns, until) < 0) return 1;
    build_frame();
    expected = nmsgs * nrecv;

    double c0 = cpu_time();
    t_start = t_progress = now();
    pump_sender();
    int timed_out = 0;
    while (total_delivered < expected || (proto == P_JIM && responses < sent)) {
        if (stop_flag) break;
        double t = now();
        if (t > until || t - t_progress > idle_s) {
            timed_out = 1;
            break;
        }
        int any_live = 0;
        for (int i = 0; i < nrecv; i++) any_live |= !conns[i].dead;
        if (!any_live || (sender->dead && sent < nmsgs)) break;
        poll_once(100);
        if (!sender->dead && sent < nmsgs && !sender->want_out) pump_sender();
    }
    double cpu = cpu_time() - c0;
    double wall = (t_last > t_start ? t_last : now()) - t_start;
    double rate = wall > 0 ? total_delivered / wall : 0;
    double ff = t_last > t_first ? (total_delivered - 1) / (t_last - t_first) : 0;
    double cpu_wall = now() - t_start;
    printf("RESULT proto=%s mode=%s listeners=%d sent=%lld expected=%lld delivered=%lld secs=%.4f rate=%.0f "
           "rate_ff=%.0f cpu=%.3f cpu_share=%.2f responses=%lld refused=%lld errors=%lld timed_out=%d pipelining=%d\n",
           proto_name(), mode == M_ONE ? "one" : "fan", nrecv, sent, expected, total_delivered, wall, rate, ff, cpu,
           cpu_wall > 0 ? cpu / cpu_wall : 0, responses, bad_responses, errors, timed_out,
           proto == P_JIM ? pipelining : -1);
    for (int i = 0; i < nconns; i++) close_conn(&conns[i]);
    return (total_delivered == expected && !errors && !bad_responses) ? 0 : 1;
}
