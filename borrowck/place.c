/* place.c — places as a local and its projections (place.h). */
#include "place.h"

#include <string.h>

Place *place_local(Local *l)
{
    Place *p = NEW(Place);
    p->local = l;
    p->key = l->cname ? l->cname : "";
    return p;
}

Place *place_proj(Place *base, ProjKind kind, const char *name)
{
    Place *p = NEW(Place);
    p->local = base->local;
    p->n = base->n + 1;
    p->proj = arena_alloc(g_arena, sizeof(Proj) * (size_t)p->n);
    if (base->n)
        memcpy(p->proj, base->proj, sizeof(Proj) * (size_t)base->n);
    p->proj[base->n] = (Proj){kind, kind == PJ_DEREF ? "*" : kind == PJ_REF ? "&*" : kind == PJ_INDEX ? "[]" : name};
    p->key = xprintf("%s.%s", base->key, p->proj[base->n].name);
    return p;
}

bool place_within(const Place *p, const Place *q)
{
    if (p->local != q->local || p->n > q->n)
        return false;
    for (int i = 0; i < p->n; i++)
        if (p->proj[i].kind != q->proj[i].kind || strcmp(p->proj[i].name, q->proj[i].name))
            return false;
    return true;
}

bool place_overlaps(const Place *p, const Place *q) { return place_within(p, q) || place_within(q, p); }

const char *place_shown(const Place *p)
{
    StrBuf sb;
    sb_init(&sb);
    for (int i = 0; i < p->n; i++)
        if (p->proj[i].kind == PJ_DEREF)
            sb_putc(&sb, '*');
    sb_puts(&sb, p->local->name);
    for (int i = 0; i < p->n; i++)
        if (p->proj[i].kind != PJ_DEREF)
            sb_printf(&sb, ".%s", p->proj[i].name);
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}

const char *place_steps(const Place *p)
{
    StrBuf sb;
    sb_init(&sb);
    for (int i = 0; i < p->n; i++)
        sb_printf(&sb, "%s%s", i ? "." : "", p->proj[i].name);
    char *r = xstrdup(sb.data ? sb.data : "");
    sb_free(&sb);
    return r;
}
