/* string.c — String: an owned, growable UTF-8 buffer (MrsString).
 *
 * Capacities follow Rust's Vec<u8> exactly (String::from gives cap == len, growth doubles
 * with a minimum of 8), so programs that print capacity() agree with rustc. Panic texts
 * for insert/remove/truncate are rustc 1.95's. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdlib.h>


MrsString mrs_string_new(void)
{
    return (MrsString){ NULL, 0, 0 };
}

MrsString mrs_string_with_capacity(size_t cap)
{
    return (MrsString){ mrs_vec_alloc(cap, 1), 0, cap };
}

MrsString mrs_string_from(MrsStr s)
{
    MrsString r = mrs_string_with_capacity(s.len);
    if (s.len > 0)
        memcpy(r.ptr, s.ptr, s.len);
    r.len = s.len;
    return r;
}

MrsString mrs_string_from_cstr(const char *s)
{
    return mrs_string_from((MrsStr){ (const uint8_t *)s, strlen(s) });
}

MrsString mrs_string_clone(const MrsString *s)
{
    return mrs_string_from(mrs_string_as_str(s));
}

void mrs_string_drop(MrsString *s)
{
    mrs_vec_free(s->ptr);
    *s = mrs_string_new();
}

void mrs_string_reserve(MrsString *s, size_t additional)
{
    if (s->cap - s->len < additional)
        s->ptr = mrs_vec_grow(s->ptr, &s->cap, 1, s->len + additional);
}

void mrs_string_push_bytes(MrsString *s, const void *p, size_t n)
{
    if (n == 0)
        return;
    mrs_string_reserve(s, n);
    memcpy(s->ptr + s->len, p, n);
    s->len += n;
}

void mrs_string_push_char_slow(MrsString *s, uint32_t ch)
{
    uint8_t buf[4];
    mrs_string_push_bytes(s, buf, mrs_utf8_encode(ch, buf));
}

bool mrs_string_pop(MrsString *s, uint32_t *out)
{
    if (s->len == 0)
        return false;
    size_t i = s->len - 1;
    while (i > 0 && (s->ptr[i] & 0xC0) == 0x80) /* back up over continuation bytes */
        i--;
    mrs_utf8_decode(s->ptr + i, out);
    s->len = i;
    return true;
}

void mrs_string_insert_str(MrsString *s, size_t idx, MrsStr t, MrsLoc loc)
{
    if (!mrs_str_is_char_boundary(mrs_string_as_str(s), idx))
        mrs_panic_cstr(loc, "assertion failed: self.is_char_boundary(idx)");
    mrs_string_reserve(s, t.len);
    memmove(s->ptr + idx + t.len, s->ptr + idx, s->len - idx);
    if (t.len > 0)
        memcpy(s->ptr + idx, t.ptr, t.len);
    s->len += t.len;
}

void mrs_string_insert(MrsString *s, size_t idx, uint32_t ch, MrsLoc loc)
{
    uint8_t buf[4];
    size_t n = mrs_utf8_encode(ch, buf);
    mrs_string_insert_str(s, idx, (MrsStr){ buf, n }, loc);
}

void mrs_string_clear(MrsString *s)
{
    s->len = 0;
}

void mrs_string_truncate(MrsString *s, size_t n, MrsLoc loc)
{
    if (n > s->len)
        return; /* Rust: no effect */
    if (!mrs_str_is_char_boundary(mrs_string_as_str(s), n))
        mrs_panic_cstr(loc, "assertion failed: self.is_char_boundary(new_len)");
    s->len = n;
}

uint32_t mrs_string_remove(MrsString *s, size_t idx, MrsLoc loc)
{
    /* Rust takes self[idx..].chars().next(): the slice reports a bad idx */
    MrsStr rest = mrs_str_slice_from(mrs_string_as_str(s), idx, loc);
    if (rest.len == 0)
        mrs_panic_cstr(loc, "cannot remove a char from the end of a string");
    uint32_t ch;
    size_t n = mrs_utf8_decode(rest.ptr, &ch);
    memmove(s->ptr + idx, s->ptr + idx + n, s->len - idx - n);
    s->len -= n;
    return ch;
}
