#include "CChecksums.h"
#include <string.h>

#define P1 2654435761U
#define P2 2246822519U
#define P3 3266489917U
#define P4 668265263U
#define P5 374761393U

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t read32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint32_t round32(uint32_t acc, uint32_t input) {
    acc += input * P2; acc = rotl32(acc, 13); acc *= P1; return acc;
}

void teamlog_xxh32_reset(teamlog_xxh32_state *s, uint32_t seed) {
    memset(s, 0, sizeof(*s));
    s->seed = seed;
    s->v[0] = seed + P1 + P2; s->v[1] = seed + P2; s->v[2] = seed; s->v[3] = seed - P1;
}

void teamlog_xxh32_update(teamlog_xxh32_state *s, const void *input, size_t len) {
    const uint8_t *p = (const uint8_t *)input;
    const uint8_t *end = p + len;
    s->total_len += len;
    if (s->memsize + len < 16) { memcpy(s->mem + s->memsize, p, len); s->memsize += (uint32_t)len; return; }
    if (s->memsize) {
        size_t fill = 16 - s->memsize;
        memcpy(s->mem + s->memsize, p, fill);
        for (int i = 0; i < 4; i++) s->v[i] = round32(s->v[i], read32(s->mem + 4 * i));
        p += fill; s->memsize = 0;
    }
    while (p + 16 <= end) {
        for (int i = 0; i < 4; i++) s->v[i] = round32(s->v[i], read32(p + 4 * i));
        p += 16;
    }
    if (p < end) { memcpy(s->mem, p, (size_t)(end - p)); s->memsize = (uint32_t)(end - p); }
}

uint32_t teamlog_xxh32_digest(const teamlog_xxh32_state *s) {
    uint32_t h;
    if (s->total_len >= 16) h = rotl32(s->v[0], 1) + rotl32(s->v[1], 7) + rotl32(s->v[2], 12) + rotl32(s->v[3], 18);
    else h = s->seed + P5;
    h += (uint32_t)s->total_len;
    const uint8_t *p = s->mem, *end = s->mem + s->memsize;
    while (p + 4 <= end) { h += read32(p) * P3; h = rotl32(h, 17) * P4; p += 4; }
    while (p < end) { h += (*p) * P5; h = rotl32(h, 11) * P1; p++; }
    h ^= h >> 15; h *= P2; h ^= h >> 13; h *= P3; h ^= h >> 16;
    return h;
}

uint32_t teamlog_xxh32(const void *data, size_t length, uint32_t seed) {
    teamlog_xxh32_state s;
    teamlog_xxh32_reset(&s, seed);
    teamlog_xxh32_update(&s, data, length);
    return teamlog_xxh32_digest(&s);
}
