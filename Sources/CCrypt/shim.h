// libxcrypt (crypt_gensalt_rn, crypt_rn) and getrandom(2): the Glibc Swift overlay exposes neither.
#include <crypt.h>
#include <sys/random.h>

// sizeof(struct crypt_data) without importing its 32 KiB char arrays into Swift as tuples.
static inline int ccrypt_data_size(void) { return (int)sizeof(struct crypt_data); }
