/* mono.h — monomorphization: one checked body per instance of a generic fn.
 *
 * requires: a Program sema checked (generic bodies checked once, with
 * their type parameters opaque) and borrowck ran on;
 * produces: for a generic fn and concrete type arguments, an instance: a
 * FnDef of its own whose body is a copy of the generic one, checked by
 * sema with the parameters bound (so its types, methods and closures are
 * the instance's) and move-checked by borrowck (T = i32 copies where
 * T = String moves). Neither phase touches the generic body or another
 * instance again. Codegen asks for each instance it names. */
#ifndef MRSC_MONO_H
#define MRSC_MONO_H

#include "../sema/sema.h"

FnDef *mono_instance(Program *prog, FnDef *generic, Type **args, int n);

#endif
