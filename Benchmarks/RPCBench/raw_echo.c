/* The reference peer for `scripts/bench rpc`: a raw libzmq echo in C with the same frame layout as ours
 * ([empty, envelope-sized header, payload] over DEALER -> ROUTER), no protobuf, no threads of its own.
 * raw_echo server ENDPOINT | raw_echo client ENDPOINT BYTES CALLS INFLIGHT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void send_call(void *socket, const char *header, size_t header_size, const char *payload, size_t bytes) {
  zmq_send(socket, "", 0, ZMQ_SNDMORE);
  zmq_send(socket, header, header_size, ZMQ_SNDMORE);
  zmq_send(socket, payload, bytes, 0);
}

static int receive_reply(void *socket, char *stamp, size_t stamp_size) {
  zmq_msg_t part;
  int more = 1, index = 0, got = 0;
  while (more) {
    zmq_msg_init(&part);
    if (zmq_msg_recv(&part, socket, 0) < 0) return -1;
    if (index == 1 && zmq_msg_size(&part) >= stamp_size) { memcpy(stamp, zmq_msg_data(&part), stamp_size); got = 1; }
    more = zmq_msg_more(&part);
    zmq_msg_close(&part);
    index++;
  }
  return got;
}

int main(int argc, char **argv) {
  void *context = zmq_ctx_new();
  int linger = 0;
  if (argc == 3 && strcmp(argv[1], "server") == 0) {
    void *socket = zmq_socket(context, ZMQ_ROUTER);
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(socket, argv[2]) != 0) { fprintf(stderr, "bind: %s\n", zmq_strerror(zmq_errno())); return 1; }
    char endpoint[256];
    size_t size = sizeof endpoint;
    zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, endpoint, &size);
    printf("READY %s\n", endpoint);
    fflush(stdout);
    for (;;) {  /* echo every message, all frames, as received */
      zmq_msg_t part;
      int more = 1;
      while (more) {
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, socket, 0) < 0) return 1;
        more = zmq_msg_more(&part);
        zmq_msg_send(&part, socket, more ? ZMQ_SNDMORE : 0);
      }
    }
  }
  if (argc != 6 || strcmp(argv[1], "client") != 0) {
    fprintf(stderr, "usage: raw_echo server ENDPOINT | raw_echo client ENDPOINT BYTES CALLS INFLIGHT\n");
    return 2;
  }
  size_t bytes = strtoul(argv[3], NULL, 10);
  int calls = atoi(argv[4]), inflight = atoi(argv[5]);
  void *socket = zmq_socket(context, ZMQ_DEALER);
  zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
  zmq_connect(socket, argv[2]);
  char *payload = calloc(bytes ? bytes : 1, 1);
  char header[32] = {0};  /* about the size of our Envelope: method, request id, deadline */
  double *sent_at = calloc(calls + inflight, sizeof(double));
  double *latency = calloc(calls, sizeof(double));
  for (int i = 0; i < 100; i++) { send_call(socket, header, sizeof header, payload, bytes); receive_reply(socket, header, 4); }
  double start = now_us();
  int sent = 0, done = 0;
  for (; sent < inflight && sent < calls; sent++) {
    memcpy(header, &sent, 4);
    sent_at[sent] = now_us();
    send_call(socket, header, sizeof header, payload, bytes);
  }
  while (done < calls) {
    char stamp[4];
    if (receive_reply(socket, stamp, 4) <= 0) return 1;
    int id;
    memcpy(&id, stamp, 4);
    latency[done++] = now_us() - sent_at[id];
    if (sent < calls) {
      memcpy(header, &sent, 4);
      sent_at[sent] = now_us();
      send_call(socket, header, sizeof header, payload, bytes);
      sent++;
    }
  }
  double seconds = (now_us() - start) / 1e6;
  qsort(latency, calls, sizeof(double), compare);
  printf("p50_us=%.1f p99_us=%.1f calls_per_s=%.0f MB_per_s=%.1f\n", latency[calls / 2], latency[calls * 99 / 100],
         calls / seconds, calls * (double)bytes / seconds / 1e6);
  return 0;
}
