/*
 * Holds the packets the packet filter queues to it (iptables -j NFQUEUE) and lets each one go after a delay:
 * the kernel-side latency, jitter, reordering, loss and bandwidth of a link, where the kernel has no netem.
 * Usage: packet-delay QUEUE DELAY_MS JITTER_MS REORDER_PERCENT LOSS_PERCENT RATE_KBPS
 * A reordered packet goes at once, ahead of those held; a lost one is dropped; with a rate (KB/s, 0: none)
 * each packet also waits until the ones before it have gone at that rate. On SIGTERM every packet still
 * held goes at once. It prints one line of counts when it is ready and every second after:
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

struct held { uint32_t id; int64_t due_us; };
static struct held held[MAX_HELD];
static int held_count;
static long delay_ms, jitter_ms, reorder_pct, loss_pct, rate_kbps;
/* With a rate: when the link is free again for the next packet. */
static int64_t link_free_us;
static unsigned long queued, delayed, reordered, dropped;
static volatile sig_atomic_t stopping;

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* The length of the IP packet whose first bytes were copied (its header's total length field). */
static int packet_length(struct nfq_data *data) {
  unsigned char *ip;
  int copied = nfq_get_payload(data, &ip);
  return copied >= 4 ? (ip[2] << 8 | ip[3]) : 0;
}

static long chance(void) { return random() % 100; }

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *msg, struct nfq_data *data, void *unused) {
  (void)msg; (void)unused;
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(data);
  if (!header) return 0;
  uint32_t id = ntohl(header->packet_id);
  queued++;
  if (loss_pct > 0 && chance() < loss_pct) { dropped++; return nfq_set_verdict(q, id, NF_DROP, 0, NULL); }
  if ((reorder_pct > 0 && chance() < reorder_pct) || held_count == MAX_HELD) {
    reordered++;
    return nfq_set_verdict(q, id, NF_ACCEPT, 0, NULL);
  }
  long spread = jitter_ms > 0 ? random() % (2 * jitter_ms + 1) - jitter_ms : 0;
  int64_t due = now_us() + (delay_ms + spread < 0 ? 0 : delay_ms + spread) * 1000;
  if (rate_kbps > 0) {
    if (due < link_free_us) due = link_free_us;
    link_free_us = due + (int64_t)packet_length(data) * 1000000 / (rate_kbps * 1024);
  }
  held[held_count++] = (struct held){ id, due };
  delayed++;
  return 0;
}

/* Lets go every held packet that is due (all of them when `all`); returns ms until the next is due, or -1. */
static int release(struct nfq_q_handle *q, int all) {
  int64_t now = now_us(), next = -1;
  for (int i = 0; i < held_count;) {
    if (all || held[i].due_us <= now) {
      nfq_set_verdict(q, held[i].id, NF_ACCEPT, 0, NULL);
      held[i] = held[--held_count];
    } else {
      int64_t wait = (held[i].due_us - now + 999) / 1000;
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
  if (argc != 7) {
    fprintf(stderr, "usage: %s QUEUE DELAY_MS JITTER_MS REORDER_PERCENT LOSS_PERCENT RATE_KBPS\n", argv[0]);
    return 2;
  }
  int queue = atoi(argv[1]);
  delay_ms = atol(argv[2]); jitter_ms = atol(argv[3]); reorder_pct = atol(argv[4]); loss_pct = atol(argv[5]);
  rate_kbps = atol(argv[6]);
  srandom((unsigned)time(NULL) ^ (unsigned)queue);
  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  struct nfq_q_handle *q = nfq_create_queue(h, (uint16_t)queue, &on_packet, NULL);
  if (!q) { perror("nfq_create_queue"); return 1; }
  /* The IP header only: its length field paces a rate. */
  if (nfq_set_mode(q, NFQNL_COPY_PACKET, 20) < 0) { perror("nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(q, MAX_HELD);
  struct sigaction term = { .sa_handler = on_term };
  sigaction(SIGTERM, &term, NULL);
  sigaction(SIGINT, &term, NULL);
  int fd = nfq_fd(h);
  char buffer[4096] __attribute__((aligned));
  report();
  int64_t last_report = now_us() / 1000;
  while (!stopping) {
    int next = release(q, 0);
    int64_t until_report = last_report + 1000 - now_us() / 1000;
    int timeout = next < 0 || next > until_report ? (int)(until_report < 0 ? 0 : until_report) : next;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, timeout) > 0) {
      ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) nfq_handle_packet(h, buffer, (int)n);
      else if (n < 0 && errno != EAGAIN && errno != EINTR && errno != ENOBUFS) { perror("recv"); break; }
    }
    if (now_us() / 1000 - last_report >= 1000) { report(); last_report = now_us() / 1000; }
  }
  release(q, 1);
  report();
  nfq_destroy_queue(q);
  nfq_close(h);
  return 0;
}
