/* util.h — the small toolbox every phase uses: an arena, growable
 * pointer lists and a string buffer.
 *
 * Memory policy (STYLE.md "Memory"): everything the compiler builds for one
 * compilation (tokens, AST, types, IR) lives in one arena released at exit;
 * there is no per-node free. */
#ifndef MRSC_UTIL_H
#define MRSC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Arena: bump allocation in chunks; arena_free releases every chunk. */
typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *head; /* newest chunk first */
} Arena;

extern Arena *g_arena; /* the arena of the current compilation */

void *arena_alloc(Arena *a, size_t size); /* zeroed, max-aligned */
void arena_free(Arena *a);
/* Empty the arena for reuse: its largest chunk is kept (its pages stay mapped), the others freed. */
void arena_reset(Arena *a);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Shorthands allocating in g_arena. */
#define NEW(T) ((T *)arena_alloc(g_arena, sizeof(T)))
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* List: a growable array of pointers, storage in g_arena. The element type
 * is documented at each use ("List of Expr *"). */
typedef struct List {
    void **items;
    int len;
    int cap;
} List;

void list_push(List *l, void *item);
#define LIST_AT(l, i, T) ((T)(l).items[i])

/* StrBuf: a growable, NUL-terminated byte buffer on the C heap (used for
 * output that outlives or escapes the arena, e.g. the emitted C text). */
typedef struct StrBuf {
    char *data;
    size_t len;
    size_t cap;
} StrBuf;

void sb_init(StrBuf *sb);
void sb_free(StrBuf *sb);
void sb_putc(StrBuf *sb, char c);
void sb_puts(StrBuf *sb, const char *s);
void sb_putn(StrBuf *sb, const char *s, size_t n);
void sb_printf(StrBuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *sb, const char *fmt, va_list ap);
char *sb_steal(StrBuf *sb); /* returns data (malloc'd), resets sb */

/* Internal compiler error: prints "internal compiler error: ..." and aborts. */
_Noreturn void ice(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Source text on one line (runs of white space as one space), safe inside a C
 * comment; cut to about 100 characters. */
char *one_line(const char *src);

#define ICE(...) ice(__FILE__, __LINE__, __VA_ARGS__)
#define unreachable() ICE("unreachable code reached")

#endif
