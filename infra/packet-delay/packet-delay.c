/*
 * Holds the packets the packet filter queues to it (iptables -j NFQUEUE) and lets each one go after a delay:
 * the kernel-side latency, jitter, reordering and loss of a link, where the kernel has no netem.
 * Usage: packet-delay QUEUE DELAY_MS JITTER_MS REORDER_PERCENT LOSS_PERCENT
 * A reordered packet goes at once, ahead of those held; a lost one is dropped. On SIGTERM every packet
 * still held goes at once. It prints one line of counts when it is ready and every second after:
 * "queued N delayed N reordered N dropped N".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_HELD 65536

struct held { uint32_t id; int64_t due_ms; };
static struct held held[MAX_HELD];
static int held_count;
static long delay_ms, jitter_ms, reorder_pct, loss_pct;
static unsigned long queued, delayed, reordered, dropped;
static volatile sig_atomic_t stopping;

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long chance(void) { return random() % 100; }

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *msg, struct nfq_data *data, void *unused) {
  (void)msg; (void)unused;
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(data);
  if (!header) return 0;
  uint32_t id = ntohl(header->packet_id);
  queued++;
  if (chance() < loss_pct) { dropped++; return nfq_set_verdict(q, id, NF_DROP, 0, NULL); }
  if (chance() < reorder_pct || held_count == MAX_HELD) {
    reordered++;
    return nfq_set_verdict(q, id, NF_ACCEPT, 0, NULL);
  }
  long spread = jitter_ms > 0 ? random() % (2 * jitter_ms + 1) - jitter_ms : 0;
  long wait = delay_ms + spread < 0 ? 0 : delay_ms + spread;
  held[held_count++] = (struct held){ id, now_ms() + wait };
  delayed++;
  return 0;
}

/* Lets go every held packet that is due (all of them when `all`); returns ms until the next is due, or -1. */
static int release(struct nfq_q_handle *q, int all) {
  int64_t now = now_ms(), next = -1;
  for (int i = 0; i < held_count;) {
    if (all || held[i].due_ms <= now) {
      nfq_set_verdict(q, held[i].id, NF_ACCEPT, 0, NULL);
      held[i] = held[--held_count];
    } else {
      int64_t wait = held[i].due_ms - now;
      if (next < 0 || wait < next) next = wait;
      i++;
    }
  }
  return (int)next;
}

static void on_term(int sig) { (void)sig; stopping = 1; }

static void report(void) {
  printf("queued %lu delayed %lu reordered %lu dropped %lu\n", queued, delayed, reordered, dropped);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s QUEUE DELAY_MS JITTER_MS REORDER_PERCENT LOSS_PERCENT\n", argv[0]);
    return 2;
  }
  int queue = atoi(argv[1]);
  delay_ms = atol(argv[2]); jitter_ms = atol(argv[3]); reorder_pct = atol(argv[4]); loss_pct = atol(argv[5]);
  srandom((unsigned)time(NULL) ^ (unsigned)queue);
  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  struct nfq_q_handle *q = nfq_create_queue(h, (uint16_t)queue, &on_packet, NULL);
  if (!q) { perror("nfq_create_queue"); return 1; }
  if (nfq_set_mode(q, NFQNL_COPY_META, 0) < 0) { perror("nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(q, MAX_HELD);
  struct sigaction term = { .sa_handler = on_term };
  sigaction(SIGTERM, &term, NULL);
  sigaction(SIGINT, &term, NULL);
  int fd = nfq_fd(h);
  char buffer[4096] __attribute__((aligned));
  report();
  int64_t last_report = now_ms();
  while (!stopping) {
    int next = release(q, 0);
    int64_t until_report = last_report + 1000 - now_ms();
    int timeout = next < 0 || next > until_report ? (int)(until_report < 0 ? 0 : until_report) : next;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, timeout) > 0) {
      ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) nfq_handle_packet(h, buffer, (int)n);
      else if (n < 0 && errno != EAGAIN && errno != EINTR && errno != ENOBUFS) { perror("recv"); break; }
    }
    if (now_ms() - last_report >= 1000) { report(); last_report = now_ms(); }
  }
  release(q, 1);
  report();
  nfq_destroy_queue(q);
  nfq_close(h);
  return 0;
}
