/*
 * nfq-delay QUEUE DELAY_MS: holds every packet that netfilter queue QUEUE hands it for DELAY_MS milliseconds, then
 * lets it through, in arrival order. The fault harness's slow link where the kernel has no netem qdisc; it runs inside
 * the member's network namespace, next to an iptables NFQUEUE rule on the member's interface.
 *
 * Prints "ready" once it is bound to the queue (the rule goes in after that: packets queued with no reader are
 * dropped). On SIGTERM or SIGINT it lets every held packet through and exits 0.
 *
 * Built by PacketDelayer with gcc against Debian's libnetfilter-queue-dev.
 */
/* arpa/inet.h before linux/netfilter.h, whose linux/in.h would otherwise clash with netinet/in.h */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CAPACITY 65536

struct held {
    uint32_t id;
    int64_t due_nanos;
};

static struct held held[CAPACITY];
static size_t head, count;
static int64_t delay_nanos;
static volatile sig_atomic_t stopping;

static int64_t now_nanos(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

static void release(struct nfq_q_handle *queue, uint32_t id) {
    if (nfq_set_verdict(queue, id, NF_ACCEPT, 0, NULL) < 0) {
        perror("nfq-delay: verdict");
    }
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *packet, void *unused) {
    (void) message;
    (void) unused;
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(packet);
    if (header == NULL) {
        return 0;
    }
    uint32_t id = ntohl(header->packet_id);
    if (count == CAPACITY) {
        /* More in flight than the buffer holds: let it through undelayed rather than lose it. */
        release(queue, id);
        return 0;
    }
    held[(head + count) % CAPACITY] = (struct held) {id, now_nanos() + delay_nanos};
    count++;
    return 0;
}

/* Lets through every held packet that is due (all of them when stopping); returns ms until the next is due, or -1. */
static int release_due(struct nfq_q_handle *queue) {
    int64_t now = now_nanos();
    while (count > 0 && (stopping || held[head].due_nanos <= now)) {
        release(queue, held[head].id);
        head = (head + 1) % CAPACITY;
        count--;
    }
    if (count == 0) {
        return -1;
    }
    return (int) ((held[head].due_nanos - now + 999999) / 1000000);
}

static void on_signal(int signal) {
    (void) signal;
    stopping = 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: nfq-delay QUEUE DELAY_MS\n");
        return 2;
    }
    int queue_number = atoi(argv[1]);
    delay_nanos = (int64_t) atoi(argv[2]) * 1000000;

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal; /* no SA_RESTART: poll returns EINTR */
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    struct nfq_handle *handle = nfq_open();
    if (handle == NULL) {
        perror("nfq-delay: nfq_open");
        return 1;
    }
    struct nfq_q_handle *queue = nfq_create_queue(handle, queue_number, &on_packet, NULL);
    if (queue == NULL) {
        perror("nfq-delay: nfq_create_queue");
        return 1;
    }
    if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(queue, CAPACITY) < 0) {
        perror("nfq-delay: queue settings");
        return 1;
    }
    nfnl_rcvbufsiz(nfq_nfnlh(handle), 16 * 1024 * 1024);
    int fd = nfq_fd(handle);
    printf("ready\n");
    fflush(stdout);

    char buffer[65536];
    while (!stopping) {
        struct pollfd readable = {fd, POLLIN, 0};
        int ready = poll(&readable, 1, release_due(queue));
        if (ready > 0) {
            ssize_t length = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (length > 0) {
                nfq_handle_packet(handle, buffer, (int) length);
            } else if (length < 0 && errno != EAGAIN && errno != EINTR) {
                perror("nfq-delay: recv");
            }
        } else if (ready < 0 && errno != EINTR) {
            perror("nfq-delay: poll");
            return 1;
        }
    }
    release_due(queue);
    nfq_destroy_queue(queue);
    nfq_close(handle);
    return 0;
}
