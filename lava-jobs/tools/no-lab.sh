#!/bin/sh
# Stands in for a lab's console and power commands when `make lava-jobs` checks the example board
# dictionaries with lava-run --validate (which only checks that the commands exist); never a board.
echo "no-lab: $* : there is no lab on this machine; the example dictionaries are for validation" >&2
exit 1
