#!/bin/sh
# The emit-c suite of .mrs end-to-end tests, as TAP (see run-tests.sh).
exec "${srcdir:-.}/tests/run-tests.sh" emit-c
