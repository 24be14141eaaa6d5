#ifndef TEAMLOG_CHECKSUMS_H
#define TEAMLOG_CHECKSUMS_H
#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli), as in iSCSI and ext4: init 0xFFFFFFFF, reflected, final xor 0xFFFFFFFF.
/// Pass 0 as `crc` to start; pass a previous result to continue over more bytes.
uint32_t teamlog_crc32c(uint32_t crc, const void *data, size_t length);

/// MurmurHash3 x64 128-bit of `data` with `seed`; writes two 64-bit words to `out`.
void teamlog_murmur3_128(const void *data, size_t length, uint32_t seed, uint64_t out[2]);

/// XXH32 of `data` with `seed`, as used by the LZ4 frame format (header and content checksums).
uint32_t teamlog_xxh32(const void *data, size_t length, uint32_t seed);

/// Streaming XXH32 state, for the content checksum of an LZ4 frame decoded block by block.
typedef struct {
    uint64_t total_len;
    uint32_t v[4];
    uint8_t mem[16];
    uint32_t memsize;
    uint32_t seed;
} teamlog_xxh32_state;

void teamlog_xxh32_reset(teamlog_xxh32_state *state, uint32_t seed);
void teamlog_xxh32_update(teamlog_xxh32_state *state, const void *data, size_t length);
uint32_t teamlog_xxh32_digest(const teamlog_xxh32_state *state);

#endif
