#ifndef CSHA256_H
#define CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// SHA-256's compression (FIPS 180-4) over `blocks` 64-byte blocks of `data`, updating
/// `state` (a to h): with the x86-64 SHA extensions where the CPU has them, else portably.
void pulse_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The two ways, for tests that hold one against the other. The hardware one may be called
/// only when `pulse_sha256_hardware()` is 1 (it is the portable one off x86-64).
int pulse_sha256_hardware(void);
void pulse_sha256_blocks_hardware(uint32_t state[8], const uint8_t *data, size_t blocks);
void pulse_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
