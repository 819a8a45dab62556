#ifndef CSHA256_H
#define CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and SSSE3 and SSE4.1) that
/// `pulse_sha256_blocks` needs; 0 otherwise, and always 0 off x86-64.
int pulse_sha256_hardware(void);

/// Runs SHA-256's compression over `blocks` 64-byte blocks of `data`, updating `state`
/// (a to h). Call only when `pulse_sha256_hardware()` is 1.
void pulse_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
