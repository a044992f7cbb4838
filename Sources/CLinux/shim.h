// Linux APIs that Swift's Glibc module does not export: epoll, eventfd, and posix_spawn's chdir action.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <spawn.h>
#include <sys/socket.h>

// glibc 2.29+ declares this only under _GNU_SOURCE, which would change other headers' structs for the whole
// module; declaring the one prototype keeps everything else as Glibc sees it.
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *__restrict actions,
                                                const char *__restrict path);

// accept4 is likewise behind _GNU_SOURCE; the event loops accept non-blocking, close-on-exec sockets in one call.
extern int accept4(int __fd, struct sockaddr *__restrict __addr, socklen_t *__restrict __addr_len, int __flags);
