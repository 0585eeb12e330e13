/* util.c — arena, lists, string buffers and the internal-error path. */
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS, madvise */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaChunk {
    ArenaChunk *next;
    size_t used;
    size_t size;
    size_t mapped; /* its bytes when it is its own mapping (munmap), else 0 (free) */
    bool fresh;    /* mapped and never reset: the kernel gave it zeroed */
    _Alignas(max_align_t) unsigned char data[];
};

Arena *g_arena;

enum { CHUNK_SIZE = 4 << 20, HUGE_PAGE = 2 << 20 };

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("mrsc: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

#ifdef MAP_ANONYMOUS
/* bytes of fresh zeroed memory of our own mapping; a full-size chunk starts on a 2 MiB
 * boundary and is offered to the kernel as transparent huge pages */
static void *map_chunk(size_t bytes)
{
    bool huge = bytes == CHUNK_SIZE;
    size_t len = huge ? bytes + HUGE_PAGE : bytes;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (!huge)
        return p;
    size_t lead = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
    if (lead)
        munmap(p, lead);
    if (HUGE_PAGE - lead)
        munmap(p + lead + bytes, HUGE_PAGE - lead);
#ifdef MADV_HUGEPAGE
    madvise(p + lead, bytes, MADV_HUGEPAGE);
#endif
    return p + lead;
}
#endif

/* A new chunk of cap bytes of data: a mapping of its own, so that the memory comes
 * zeroed from the kernel and arena_alloc need not clear it again (a large program
 * fills tens of megabytes of arena, and touching it was a fifth of `--check`'s time);
 * from malloc if mapping fails. */
static ArenaChunk *new_chunk(size_t cap)
{
    size_t bytes = sizeof(ArenaChunk) + cap;
    ArenaChunk *c = NULL;
#ifdef MAP_ANONYMOUS
    c = map_chunk(bytes);
    if (c) {
        c->mapped = bytes;
        c->fresh = true;
    }
#endif
    if (!c) {
        c = xmalloc(bytes);
        c->mapped = 0;
        c->fresh = false;
    }
    c->used = 0;
    c->size = cap;
    return c;
}

static void free_chunk(ArenaChunk *c)
{
#ifdef MAP_ANONYMOUS
    if (c->mapped) {
        munmap(c, c->mapped);
        return;
    }
#endif
    free(c);
}

void *arena_alloc(Arena *a, size_t size)
{
    size_t align = _Alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    ArenaChunk *c = a->head;
    if (!c || c->used + size > c->size) {
        size_t data = CHUNK_SIZE - sizeof(ArenaChunk);
        c = new_chunk(size > data ? size : data);
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    if (!c->fresh)
        memset(p, 0, size);
    return p;
}

void arena_free(Arena *a)
{
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        free_chunk(c);
        c = next;
    }
    a->head = NULL;
}

void arena_reset(Arena *a)
{
    ArenaChunk *keep = NULL;
    for (ArenaChunk *c = a->head; c; c = c->next)
        if (!keep || c->size > keep->size)
            keep = c;
    for (ArenaChunk *c = a->head; c;) {
        ArenaChunk *next = c->next;
        if (c != keep)
            free_chunk(c);
        c = next;
    }
    if (keep)
        keep->used = 0, keep->next = NULL, keep->fresh = false; /* (what it held is still there) */
    a->head = keep;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

static char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

char *xstrdup(const char *s) { return arena_strdup(g_arena, s); }
char *xstrndup(const char *s, size_t n) { return arena_strndup(g_arena, s, n); }

char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(g_arena, fmt, ap);
    va_end(ap);
    return p;
}

void list_push(List *l, void *item)
{
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        void **items = arena_alloc(g_arena, sizeof(void *) * (size_t)cap);
        if (l->len)
            memcpy(items, l->items, sizeof(void *) * (size_t)l->len);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = item;
}

void sb_init(StrBuf *sb)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

void sb_free(StrBuf *sb)
{
    free(sb->data);
    sb_init(sb);
}

static void sb_reserve(StrBuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        fputs("mrsc: out of memory\n", stderr);
        exit(2);
    }
    sb->data = p;
    sb->cap = cap;
}

void sb_putn(StrBuf *sb, const char *s, size_t n)
{
    sb_reserve(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_putc(StrBuf *sb, char c) { sb_putn(sb, &c, 1); }
void sb_puts(StrBuf *sb, const char *s) { sb_putn(sb, s, strlen(s)); }

void sb_vprintf(StrBuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    sb_reserve(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(StrBuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

char *sb_steal(StrBuf *sb)
{
    if (!sb->data)
        sb_reserve(sb, 0), sb->data[0] = '\0';
    char *p = sb->data;
    sb_init(sb);
    return p;
}

_Noreturn void ice(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "error: internal compiler error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  --> %s:%d\nnote: mrsc unexpectedly failed; this is a bug in mrsc\n", file, line);
    abort();
}

/* Source text on one line, safe inside a C comment. */
char *one_line(const char *src)
{
    StrBuf sb;
    sb_init(&sb);
    bool space = false;
    for (const char *p = src; *p; p++) {
        if ((*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
            space = true;
            continue;
        }
        if (space && sb.len)
            sb_putc(&sb, ' ');
        space = false;
        if (*p == '*' && p[1] == '/')
            sb_puts(&sb, "* ");
        else if (*p == '/' && p[1] == '*')
            sb_puts(&sb, "/ ");
        else
            sb_putc(&sb, *p);
    }
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    if (strlen(r) > 100)
        r = xprintf("%.96s ...", r);
    return r;
}
