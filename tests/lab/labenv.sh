#!/bin/sh
# labenv.sh DIR PORT CMD...: runs CMD (a lab test, or scripts/lab for the lab_up/lab_down
# fixtures) against the ctest run's lab: $VIGIE_LAB_DIR and $VIGIE_LAB_NB_PORT when the caller
# set them (two checkouts testing at once on one machine), else DIR and PORT.
dir=$1
port=$2
shift 2
VIGIE_LAB_DIR=${VIGIE_LAB_DIR:-$dir}
VIGIE_LAB_NB_PORT=${VIGIE_LAB_NB_PORT:-$port}
export VIGIE_LAB_DIR VIGIE_LAB_NB_PORT
exec "$@"
