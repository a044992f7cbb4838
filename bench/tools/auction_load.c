// A bidding war in C: N open event streams on one live session, bids on one auction pin at a fixed rate, and the
// time from each bid's request to the last stream receiving its `auction.bid` event (API.md §22). One thread,
// non-blocking sockets on epoll, like live_load.c; run by bench/auction.sh, which starts Basar, creates the session,
// the auction pin and the bidders:
//
//   auction_load PORT PID SESSION_ID PIN_ID STREAMS RATE SECONDS STARTING_CENTS INCREMENT_CENTS TOKENS_FILE
//
// Bid k bids STARTING + k × INCREMENT without a maximum, by bidder k mod (bidders), so every accepted bid makes a new
// leader and its event carries `"current_bid_cents": <its amount>`: a stream has received bid k once it has seen a
// current bid ≥ that amount (events arrive in order). A bid refused because a later one overtook it (409) is left
// out of the figures. Every wait is bounded (10 s per batch of streams and for the last events, 600 s in all).
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char KEY[] = "\"current_bid_cents\":";
#define KEY_LEN (sizeof(KEY) - 1)
#define TAIL 48  // longer than the key and a number: a value split across two reads is found in the next one

enum { FREE, STREAM, BID };

typedef struct {
    char kind, head_seen, tail_len;
    char tail[TAIL];
    long seen;   // stream: the highest bid index received, -1 before any
    long bid;    // bid: its index
    char resp[64];
    int resp_len;
} Conn;

static int port, pid, epfd, max_fd;
static const char *session, *pin;
static Conn *conns;  // indexed by fd
static int open_streams_count, headed_count;
static long starting, increment, n_bids;
static double *sent_at, *answered_at, *first_at, *last_at;
static int *arrivals, *status_of;
static double deadline;

#include "load_common.h"

static int connect_local(int rcvbuf, int nonblocking) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) fail("socket: %s", strerror(errno));
    if (rcvbuf) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) fail("connect: %s", strerror(errno));
    if (fd > max_fd) fail("descriptor %d beyond the table", fd);
    return fd;
}

static void send_all(int fd, const char *data, size_t len) {
    double end = now() + 10;
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EINPROGRESS || errno == ENOTCONN)) {
            if (now() > end) fail("send: timed out");
            continue;
        }
        if (n <= 0) fail("send: %s", strerror(errno));
        data += n;
        len -= n;
    }
}

static void forget(int fd) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    if (conns[fd].kind == STREAM) {
        open_streams_count--;
        if (conns[fd].head_seen) headed_count--;
    }
    conns[fd].kind = FREE;
}

// A stream saw current bids up to `value`: every bid up to that index has arrived on it now.
static void saw(Conn *c, long value, double t) {
    long index = (value - starting) / increment;
    if (index >= n_bids) index = n_bids - 1;
    for (long k = c->seen + 1; k <= index; k++) {
        if (first_at[k] == 0 || t < first_at[k]) first_at[k] = t;
        if (t > last_at[k]) last_at[k] = t;
        arrivals[k]++;
    }
    if (index > c->seen) c->seen = index;
}

static void read_stream(int fd, double t) {
    static char buf[65536 + TAIL];
    Conn *c = &conns[fd];
    for (;;) {
        ssize_t n = recv(fd, buf + TAIL, sizeof buf - TAIL, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n <= 0) { forget(fd); return; }
        if (!c->head_seen) {
            if (n < 12 || memcmp(buf + TAIL, "HTTP/1.1 200", 12) != 0)
                fail("stream refused: %.*s", (int)(n < 200 ? n : 200), buf + TAIL);
            c->head_seen = 1;
            headed_count++;
        }
        char *start = buf + TAIL - c->tail_len;
        size_t len = c->tail_len + n;
        char *end = start + len, *p = start;
        while ((p = memmem(p, end - p, KEY, KEY_LEN))) {
            char *q = p + KEY_LEN;
            long value = 0;
            int digits = 0;
            while (q < end && *q >= '0' && *q <= '9') { value = value * 10 + (*q++ - '0'); digits++; }
            if (q == end) break;  // the number may go on in the next read: the tail keeps it
            if (digits) saw(c, value, t);
            p = q;
        }
        size_t keep = len < TAIL ? len : TAIL;
        memcpy(c->tail, end - keep, keep);
        c->tail_len = keep;
        if ((size_t)n < sizeof buf - TAIL) return;
    }
}

static void read_bid(int fd) {
    Conn *c = &conns[fd];
    for (;;) {
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n > 0) {
            size_t room = sizeof c->resp - 1 - c->resp_len;
            size_t take = (size_t)n < room ? (size_t)n : room;
            memcpy(c->resp + c->resp_len, buf, take);
            c->resp_len += take;
            continue;
        }
        c->resp[c->resp_len] = 0;
        status_of[c->bid] = c->resp_len > 12 ? atoi(c->resp + 9) : -1;
        answered_at[c->bid] = now();
        forget(fd);
        return;
    }
}

static void drain(int timeout_ms) {
    struct epoll_event events[512];
    int n = epoll_wait(epfd, events, 512, timeout_ms);
    double t = now();
    for (int i = 0; i < n; i++) {
        int fd = events[i].data.fd;
        if (conns[fd].kind == STREAM) read_stream(fd, t);
        else if (conns[fd].kind == BID) read_bid(fd);
    }
}

static int open_streams(int n) {
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET /v1/live-sessions/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
                       session);
    for (int opened = 0; opened < n;) {
        int batch = n - opened < 500 ? n - opened : 500;
        for (int i = 0; i < batch; i++) {
            int fd = connect_local(65536, 0);
            send_all(fd, req, len);
            fcntl(fd, F_SETFL, O_NONBLOCK);
            conns[fd] = (Conn){.kind = STREAM, .seen = -1};
            open_streams_count++;
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
            epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
        }
        opened += batch;
        double end = now() + 10;
        while (headed_count < opened && now() < end) drain(50);
    }
    return headed_count;
}

// This tool's own CPU time (user + system): if it nears one core, the tool, not the server, sets the latencies.
static double own_cpu_seconds(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static void send_bid(long k, const char *token) {
    char body[128], req[1024];
    int body_len = snprintf(body, sizeof body, "{\"amount_cents\":%ld}", starting + k * increment);
    int len = snprintf(req, sizeof req,
                       "POST /v1/live-sessions/%s/pins/%s/bids HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n"
                       "Connection: close\r\n\r\n%s",
                       session, pin, token, body_len, body);
    int fd = connect_local(0, 1);
    conns[fd] = (Conn){.kind = BID, .bid = k};
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    sent_at[k] = now();
    send_all(fd, req, len);
}

int main(int argc, char **argv) {
    if (argc != 11)
        fail("usage: auction_load PORT PID SESSION_ID PIN_ID STREAMS RATE SECONDS STARTING_CENTS INCREMENT_CENTS TOKENS_FILE");
    port = atoi(argv[1]);
    pid = atoi(argv[2]);
    session = argv[3];
    pin = argv[4];
    int n_streams = atoi(argv[5]);
    double rate = atof(argv[6]);
    double seconds = atof(argv[7]);
    starting = atol(argv[8]);
    increment = atol(argv[9]);
    char *tokens[64];
    int n_tokens = 0;
    FILE *f = fopen(argv[10], "r");
    if (!f) fail("cannot read %s", argv[10]);
    char line[512];
    while (n_tokens < 64 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (*line) tokens[n_tokens++] = strdup(line);
    }
    fclose(f);
    if (n_tokens < 2) fail("at least two bidders are needed, so that no bid is a leader's raise");
    n_bids = (long)(rate * seconds);
    if (n_bids < 1) fail("no bids to send");
    deadline = now() + 600;
    signal(SIGPIPE, SIG_IGN);
    max_fd = n_streams + 4096;
    conns = calloc(max_fd + 1, sizeof *conns);
    sent_at = calloc(n_bids, sizeof *sent_at);
    answered_at = calloc(n_bids, sizeof *answered_at);
    first_at = calloc(n_bids, sizeof *first_at);
    last_at = calloc(n_bids, sizeof *last_at);
    arrivals = calloc(n_bids, sizeof *arrivals);
    status_of = calloc(n_bids, sizeof *status_of);
    epfd = epoll_create1(EPOLL_CLOEXEC);

    long rss_before = rss_kib();
    int opened = open_streams(n_streams);
    double settle = now() + 2;
    while (now() < settle) drain(50);
    long rss_after = rss_kib();

    // The war: bid k goes out at t0 + k / rate, whatever the answers to earlier bids.
    double cpu0 = cpu_seconds(), own0 = own_cpu_seconds();
    double t0 = now();
    for (long k = 0; k < n_bids && now() < deadline; k++) {
        double due = t0 + k / rate;
        while (now() < due) drain((int)((due - now()) * 1000) > 0 ? (int)((due - now()) * 1000) : 0);
        send_bid(k, tokens[k % n_tokens]);
    }
    double sent_for = now() - t0;
    // The last answers and events: every accepted bid on every open stream, or 10 s.
    double end = now() + 10;
    for (;;) {
        int waiting = 0;
        for (long k = 0; k < n_bids; k++) {
            if (status_of[k] == 0 || (status_of[k] == 201 && arrivals[k] < open_streams_count)) { waiting = 1; break; }
        }
        if (!waiting || now() > end) break;
        drain(10);
    }

    double cpu = cpu_seconds() - cpu0, own = own_cpu_seconds() - own0, elapsed = now() - t0;
    double *latencies = malloc(n_bids * sizeof *latencies), *firsts = malloc(n_bids * sizeof *firsts);
    double *answers = malloc(n_bids * sizeof *answers);
    int n_lat = 0;
    long accepted = 0, refused = 0, failed = 0, missed = 0;
    for (long k = 0; k < n_bids; k++) {
        if (status_of[k] == 201) {
            accepted++;
            missed += open_streams_count - arrivals[k] > 0 ? open_streams_count - arrivals[k] : 0;
            if (arrivals[k] > 0) {
                latencies[n_lat] = (last_at[k] - sent_at[k]) * 1000;
                firsts[n_lat] = (first_at[k] - sent_at[k]) * 1000;
                answers[n_lat++] = (answered_at[k] - sent_at[k]) * 1000;
            }
        } else if (status_of[k] == 409) {
            refused++;
        } else {
            failed++;
        }
    }
    printf("{\"streams\": %d, \"opened\": %d, \"open_at_end\": %d, \"kib_per_stream\": %.2f, \"bids\": %ld, "
           "\"bids_per_s\": %.1f, \"accepted\": %ld, \"refused\": %ld, \"failed\": %ld, ",
           n_streams, opened, open_streams_count, (double)(rss_after - rss_before) / (opened ? opened : 1), n_bids,
           n_bids / sent_for, accepted, refused, failed);
    print_pct("bid_p50_ms", latencies, n_lat, 50);
    printf(", ");
    print_pct("bid_p99_ms", latencies, n_lat, 99);
    printf(", ");
    print_pct("bid_max_ms", latencies, n_lat, 100);
    printf(", ");
    print_pct("first_p50_ms", firsts, n_lat, 50);
    printf(", ");
    print_pct("answer_p50_ms", answers, n_lat, 50);
    printf(", ");
    print_pct("answer_p99_ms", answers, n_lat, 99);
    printf(", \"missed\": %ld, \"server_cpu_s\": %.2f, \"server_cpu_cores\": %.2f, \"server_cpu_ms_per_bid\": %.2f, "
           "\"client_cpu_cores\": %.2f}\n",
           missed, cpu, cpu / elapsed, cpu * 1000 / (n_bids ? n_bids : 1), own / elapsed);
    return 0;
}
