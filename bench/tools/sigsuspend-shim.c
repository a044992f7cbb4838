/*
 * For bench/callgrind.sh only: valgrind 3.19 crashes (SIGSEGV inside valgrind) when a program calls sigsuspend
 * with a mask in read-only memory, because its wrapper edits the mask in place. libdispatch's dispatch_main, which
 * runs the main thread of every Swift program with an async main on Linux, does exactly that. Preloaded under
 * valgrind, this sigsuspend passes a writable copy of the mask; it changes nothing else.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, (size_t)(_NSIG / 8));
}
