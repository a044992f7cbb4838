// Live-session load in C: N open event streams on one session, pin latency to the last stream, memory per stream
// and the CPU cost of a like storm. One thread, non-blocking sockets on epoll; the host's pin and unpin requests go
// through the same epoll, so reading 10,000 streams costs the measurement a few µs each instead of Python's tens.
// Run by bench/live.sh, which starts Basar and creates the session; same CLI and JSON line as live_load.py:
//
//   live_load PORT PID SESSION_ID HOST_TOKEN PRODUCT_ID LIKER_TOKEN STREAMS PINS LIKE_SECONDS LIKES_LUA
//
// Every wait is bounded (10 s per batch or pin, 600 s for the whole run); wrk is stopped by its pid if it overruns.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char MARK[] = "event: pin.added";
#define MARK_LEN (sizeof(MARK) - 1)
#define TAIL (MARK_LEN - 1)

typedef struct {
    char open, head_seen, tail_len;
    char tail[TAIL];
    double arrival;  // when the current pin arrived, 0 before
} Stream;

static int port, pid, epfd;
static const char *session, *host_token, *product;
static Stream *streams;  // indexed by fd
static int max_fd, open_count, headed_count, arrived_count, timing;
static double deadline;
static char host_buf[1 << 16];
static int host_fd = -1, host_len;

#include "load_common.h"

static int connect_local(int rcvbuf) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket: %s", strerror(errno));
    if (rcvbuf) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) fail("connect: %s", strerror(errno));
    return fd;
}

static void send_all(int fd, const char *data, size_t len) {
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("send: %s", strerror(errno));
        data += n;
        len -= n;
    }
}

static void close_stream(int fd) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    if (streams[fd].head_seen) headed_count--;
    if (timing && streams[fd].arrival > 0) arrived_count--;
    streams[fd].open = 0;
    open_count--;
}

// The host's answer is complete once the head and Content-Length bytes (or a 204's empty body) are in.
static int host_done(void) {
    host_buf[host_len] = 0;
    char *end = strstr(host_buf, "\r\n\r\n");
    if (!end) return 0;
    char *cl = strcasestr(host_buf, "\r\ncontent-length:");
    long body = cl && cl < end ? strtol(cl + 17, NULL, 10) : 0;
    return host_len >= (end + 4 - host_buf) + body;
}

static void read_host(void) {
    for (;;) {
        ssize_t n = recv(host_fd, host_buf + host_len, sizeof host_buf - 1 - host_len, 0);
        if (n > 0) { host_len += n; continue; }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        epoll_ctl(epfd, EPOLL_CTL_DEL, host_fd, NULL);  // closed (or full): done either way
        close(host_fd);
        host_fd = -1;
        return;
    }
}

static void read_stream(int fd, double t) {
    static char buf[65536];
    Stream *s = &streams[fd];
    for (;;) {
        ssize_t n = recv(fd, buf + TAIL, sizeof buf - TAIL, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n <= 0) { close_stream(fd); return; }
        if (!s->head_seen) {
            if (n < 12 || memcmp(buf + TAIL, "HTTP/1.1 200", 12) != 0)
                fail("stream refused: %.*s", (int)(n < 200 ? n : 200), buf + TAIL);
            s->head_seen = 1;
            headed_count++;
        }
        // The tail holds the end of the previous read, so a marker split across two reads is still found, and
        // one that ended in old bytes is never counted again (the tail is one byte short of a marker).
        char *start = buf + TAIL - s->tail_len;
        size_t len = s->tail_len + n;
        if (timing && s->arrival == 0 && memmem(start, len, MARK, MARK_LEN)) {
            s->arrival = t;
            arrived_count++;
        }
        size_t keep = len < TAIL ? len : TAIL;
        memcpy(s->tail, start + len - keep, keep);
        s->tail_len = keep;
        if ((size_t)n < sizeof buf - TAIL) return;
    }
}

static void drain(int timeout_ms) {
    struct epoll_event events[512];
    int n = epoll_wait(epfd, events, 512, timeout_ms);
    double t = now();
    for (int i = 0; i < n; i++) {
        int fd = events[i].data.fd;
        if (fd == host_fd) read_host();
        else if (fd <= max_fd && streams[fd].open) read_stream(fd, t);
    }
}

// Sends one host request through the shared epoll; returns the send time. `finish_host` waits for the answer.
static double start_host(const char *method, const char *path, const char *body) {
    char req[2048];
    int len = snprintf(req, sizeof req,
                       "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       "Authorization: Bearer %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                       method, path, host_token, body ? strlen(body) : 0, body ? body : "");
    host_fd = connect_local(0);
    host_len = 0;
    fcntl(host_fd, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = host_fd};
    epoll_ctl(epfd, EPOLL_CTL_ADD, host_fd, &ev);
    double t0 = now();
    send_all(host_fd, req, len);
    return t0;
}

static int finish_host(const char *what) {
    double end = now() + 30;
    while (!host_done() && host_fd >= 0 && now() < end) drain(10);
    if (!host_done()) fail("%s: no complete answer", what);
    if (host_fd >= 0) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, host_fd, NULL);
        close(host_fd);
        host_fd = -1;
    }
    int status = atoi(host_buf + 9);
    if (status >= 300) fail("%s: %d %.300s", what, status, host_buf);
    return status;
}

static void idle(double seconds) {
    double end = now() + seconds;
    while (now() < end) drain(50);
}

static int open_streams(int n) {
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET /v1/live-sessions/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
                       session);
    for (int opened = 0; opened < n;) {
        int batch = n - opened < 500 ? n - opened : 500;
        for (int i = 0; i < batch; i++) {
            int fd = connect_local(16384);
            send_all(fd, req, len);
            fcntl(fd, F_SETFL, O_NONBLOCK);
            if (fd > max_fd) fail("descriptor %d beyond the table", fd);
            streams[fd] = (Stream){.open = 1};
            open_count++;
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
            epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
        }
        opened += batch;
        double end = now() + 10;
        while (headed_count < opened && now() < end) drain(50);
    }
    return headed_count;
}

int main(int argc, char **argv) {
    if (argc != 11)
        fail("usage: live_load PORT PID SESSION_ID HOST_TOKEN PRODUCT_ID LIKER_TOKEN STREAMS PINS LIKE_SECONDS LIKES_LUA");
    port = atoi(argv[1]);
    pid = atoi(argv[2]);
    session = argv[3];
    host_token = argv[4];
    product = argv[5];
    const char *liker = argv[6];
    int n_streams = atoi(argv[7]), n_pins = atoi(argv[8]), like_seconds = atoi(argv[9]);
    const char *likes_lua = argv[10];
    deadline = now() + 600;
    signal(SIGPIPE, SIG_IGN);
    max_fd = n_streams + 256;
    streams = calloc(max_fd + 1, sizeof *streams);
    epfd = epoll_create1(EPOLL_CLOEXEC);

    long rss_before = rss_kib();
    int opened = open_streams(n_streams);
    idle(2);
    long rss_after = rss_kib();

    // Pins: the host's request goes out through the same epoll; every stream is timed from its send.
    double latencies[256], firsts[256];
    int n_lat = 0, missed = 0;
    char path[512], body[512];
    for (int k = 0; k < n_pins && k < 256 && now() < deadline; k++) {
        for (int fd = 0; fd <= max_fd; fd++) streams[fd].arrival = 0;
        arrived_count = 0;
        timing = 1;
        snprintf(path, sizeof path, "/v1/live-sessions/%s/pins", session);
        snprintf(body, sizeof body, "{\"product_id\":\"%s\"}", product);
        double t0 = start_host("POST", path, body);
        double end = now() + 10;
        while (arrived_count < open_count && now() < end) drain(10);
        finish_host("POST pins");
        char *id = strstr(host_buf, "\"id\":\"pin_");
        if (!id) fail("no pin id in %.300s", host_buf);
        id += 6;
        char pin_id[128];
        size_t id_len = strcspn(id, "\"");
        if (id_len >= sizeof pin_id) fail("pin id too long");
        memcpy(pin_id, id, id_len);
        pin_id[id_len] = 0;
        if (arrived_count) {
            double first = 1e300, last = 0;
            for (int fd = 0; fd <= max_fd; fd++) {
                double a = streams[fd].arrival;
                if (streams[fd].open && a > 0) {
                    if (a < first) first = a;
                    if (a > last) last = a;
                }
            }
            latencies[n_lat] = (last - t0) * 1000;
            firsts[n_lat++] = (first - t0) * 1000;
        }
        missed += open_count - arrived_count;
        timing = 0;
        snprintf(path, sizeof path, "/v1/live-sessions/%s/pins/%s", session, pin_id);
        start_host("DELETE", path, NULL);
        finish_host("DELETE pin");
        idle(0.3);
    }

    // The like storm: wrk posts likes while every stream stays open and is read.
    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0) fail("pipe: %s", strerror(errno));
    char duration[32], url[64];
    snprintf(duration, sizeof duration, "-d%ds", like_seconds);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    double cpu0 = cpu_seconds(), t0 = now();
    pid_t wrk = fork();
    if (wrk == 0) {
        dup2(out[1], 1);
        dup2(out[1], 2);
        execlp("wrk", "wrk", "-t1", "-c16", duration, "-s", likes_lua, url, "--", session, liker, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    static char wrk_out[1 << 16];
    size_t wrk_len = 0;
    int status = 0, done = 0;
    double storm_end = now() + like_seconds + 30;
    while (!done) {
        drain(50);
        ssize_t n;
        while ((n = read(out[0], wrk_out + wrk_len, sizeof wrk_out - 1 - wrk_len)) > 0) wrk_len += n;
        if (waitpid(wrk, &status, WNOHANG) == wrk) done = 1;
        else if (now() > storm_end || now() > deadline) {
            kill(wrk, SIGTERM);
            waitpid(wrk, &status, 0);
            fail("the like storm did not finish in time");
        }
    }
    double cpu1 = cpu_seconds(), t1 = now();
    ssize_t n;
    while ((n = read(out[0], wrk_out + wrk_len, sizeof wrk_out - 1 - wrk_len)) > 0) wrk_len += n;
    wrk_out[wrk_len] = 0;
    char *counted = strstr(wrk_out, " requests in");
    if (!counted) fail("the like storm failed: %s", wrk_len > 500 ? wrk_out + wrk_len - 500 : wrk_out);
    while (counted > wrk_out && counted[-1] >= '0' && counted[-1] <= '9') counted--;
    long likes = strtol(counted, NULL, 10);
    char *bad = strstr(wrk_out, "Non-2xx or 3xx responses: ");
    long non2xx = bad ? strtol(bad + 27, NULL, 10) : 0;

    printf("{\"streams\": %d, \"opened\": %d, \"open_at_end\": %d, \"rss_before_kib\": %ld, \"rss_after_kib\": %ld, "
           "\"kib_per_stream\": %.2f, \"pin_ms\": [",
           n_streams, opened, open_count, rss_before, rss_after, (double)(rss_after - rss_before) / (opened ? opened : 1));
    for (int i = 0; i < n_lat; i++) printf("%s%.1f", i ? ", " : "", latencies[i]);
    printf("], ");
    print_pct("pin_p50_ms", latencies, n_lat, 50);
    printf(", ");
    print_pct("pin_p99_ms", latencies, n_lat, 99);
    printf(", ");
    print_pct("first_p50_ms", firsts, n_lat, 50);
    double cpu = cpu1 - cpu0, secs = t1 - t0;
    printf(", \"missed\": %d, \"likes\": %ld, \"likes_non2xx\": %ld, \"likes_per_s\": %.0f, \"like_cpu_s\": %.2f, "
           "\"like_cpu_cores\": %.2f, \"like_cpu_us\": %.1f}\n",
           missed, likes, non2xx, likes / secs, cpu, cpu / secs, cpu / (likes ? likes : 1) * 1e6);
    return 0;
}
