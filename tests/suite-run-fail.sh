#!/bin/sh
# The run-fail suite of .mrs end-to-end tests, as TAP (see run-tests.sh).
exec "${srcdir:-.}/tests/run-tests.sh" run-fail
