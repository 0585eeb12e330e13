#!/bin/sh
# The README's examples/, run like the run-pass suite (see run-tests.sh).
exec "${srcdir:-.}/tests/run-tests.sh" examples
