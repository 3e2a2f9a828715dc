/* What one timer wake costs this machine in CPU time, with no runtime at all: arm a
 * timerfd PERIOD_US ahead, wait for it with epoll_wait, read it, again and again for two
 * seconds; then print the process's on-CPU time (from /proc/self/schedstat, which counts
 * nanoseconds, not scheduler ticks) divided by the wakes, and how late the wakes were.
 *
 *     cc -O2 -o wake_cost bench/scripts/wake_cost.c && ./wake_cost 1000
 *
 * `wake_cost.py` builds and runs it for a 1 ms and a 250 us period. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long period_us = argc > 1 ? atol(argv[1]) : 1000;
    if (period_us <= 0) {
        fprintf(stderr, "usage: wake_cost PERIOD_US (a positive number of microseconds)\n");
        return 2;
    }
    int wakes = (int)(2000000 / period_us);
    long long *late = malloc(sizeof *late * wakes);
    int epoll = epoll_create1(0);
    int timer = timerfd_create(CLOCK_MONOTONIC, 0);
    struct epoll_event interest = {.events = EPOLLIN};
    epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &interest);
    for (int i = 0; i < wakes; i++) {
        long long target = now_ns() + period_us * 1000;
        struct itimerspec at = {0};
        at.it_value.tv_sec = target / 1000000000LL;
        at.it_value.tv_nsec = target % 1000000000LL;
        timerfd_settime(timer, TFD_TIMER_ABSTIME, &at, NULL);
        struct epoll_event ready[1];
        epoll_wait(epoll, ready, 1, -1);
        late[i] = now_ns() - target;
        unsigned long long expirations;
        if (read(timer, &expirations, sizeof expirations) < 0) {
            perror("read timerfd");
            return 1;
        }
    }
    unsigned long long on_cpu_ns = 0;
    FILE *schedstat = fopen("/proc/self/schedstat", "r");
    if (!schedstat || fscanf(schedstat, "%llu", &on_cpu_ns) != 1) {
        fprintf(stderr, "cannot read /proc/self/schedstat\n");
        return 1;
    }
    qsort(late, wakes, sizeof *late, by_value);
    printf("period %ld us: %d wakes, %.1f ms on CPU, %.1f us per wake; "
           "late p50 %.3f ms, p99 %.3f ms\n",
           period_us, wakes, on_cpu_ns / 1e6, on_cpu_ns / 1e3 / wakes,
           late[wakes / 2] / 1e6, late[wakes * 99 / 100] / 1e6);
    return 0;
}
