/* fmt_debug.c — the builders behind derived Debug and the Debug of tuples, slices, Vec,
 * Option and maps: Rust's DebugStruct, DebugTuple, DebugList, DebugSet and DebugMap.
 *
 * Compact form:  Point { x: 1, y: 2 }   Pair(1, 2)   (1,)   [1, 2]   {1, 2}   {"k": 1}
 * Pretty ({:#?}): each entry on its own line, indented 4 more than its parent, followed
 * by ",". The indentation is done by f->indent (see mrs_fmt_write). Separators are
 * written lazily, before the next entry or at the end, so that the caller only formats
 * the values themselves, through the same formatter (whose spec applies to each leaf). */
#include "mrs_rt.h"

MrsDbg mrs_dbg_begin(MrsFormatter *f, const char *name, int kind)
{
    MrsDbg d = { f, kind, 0, name[0] == '\0', f->spec.alternate };
    mrs_fmt_lit(f, name);
    if (kind == MRS_DBG_LIST)
        mrs_fmt_lit(f, "[");
    else if (kind == MRS_DBG_SET || kind == MRS_DBG_MAP)
        mrs_fmt_lit(f, "{");
    return d;
}

/* Writes what comes before an entry: the opener (struct/tuple) or the separator. */
static void before_entry(MrsDbg *d)
{
    MrsFormatter *f = d->f;
    if (d->fields == 0) {
        if (d->kind == MRS_DBG_STRUCT)
            mrs_fmt_lit(f, d->pretty ? " {\n" : " { ");
        else if (d->kind == MRS_DBG_TUPLE)
            mrs_fmt_lit(f, d->pretty ? "(\n" : "(");
        else if (d->pretty)
            mrs_fmt_lit(f, "\n");
        if (d->pretty)
            f->indent++;
    } else {
        mrs_fmt_lit(f, d->pretty ? ",\n" : ", ");
    }
    d->fields++;
}

void mrs_dbg_field(MrsDbg *d, const char *name)
{
    before_entry(d);
    mrs_fmt_lit(d->f, name);
    mrs_fmt_lit(d->f, ": ");
}

void mrs_dbg_entry(MrsDbg *d)
{
    before_entry(d);
}

void mrs_dbg_key(MrsDbg *d)
{
    before_entry(d);
}

void mrs_dbg_value(MrsDbg *d)
{
    mrs_fmt_lit(d->f, ": ");
}

void mrs_dbg_end(MrsDbg *d)
{
    MrsFormatter *f = d->f;
    if (d->fields > 0) {
        if (d->pretty) {
            mrs_fmt_lit(f, ",\n");
            f->indent--;
        } else if (d->kind == MRS_DBG_TUPLE && d->fields == 1 && d->empty_name) {
            mrs_fmt_lit(f, ","); /* (1,) */
        }
    }
    switch (d->kind) {
    case MRS_DBG_STRUCT:
        if (d->fields > 0)
            mrs_fmt_lit(f, d->pretty ? "}" : " }");
        break;
    case MRS_DBG_TUPLE:
        if (d->fields > 0)
            mrs_fmt_lit(f, ")");
        else if (d->empty_name)
            mrs_fmt_lit(f, "()");
        break;
    case MRS_DBG_LIST:
        mrs_fmt_lit(f, "]");
        break;
    default:
        mrs_fmt_lit(f, "}");
        break;
    }
}
