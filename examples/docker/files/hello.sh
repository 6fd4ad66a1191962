#!/bin/sh
# The example image's entry point: greets its first argument.
echo "${GREETING:-Hello}, ${1:-world}! ($(cat /srv/hello/build-info))"
