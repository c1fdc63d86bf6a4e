#!/bin/sh
# labenv.sh DIR NB_PORT SB_PORT CMD...: runs CMD (a lab test, or scripts/lab for the lab_up/lab_down
# fixtures) against the ctest run's lab: $VIGIE_LAB_DIR, $VIGIE_LAB_NB_PORT and $VIGIE_LAB_SB_PORT
# when the caller set them (two checkouts testing at once on one machine), else DIR and the ports.
dir=$1
nb_port=$2
sb_port=$3
shift 3
VIGIE_LAB_DIR=${VIGIE_LAB_DIR:-$dir}
VIGIE_LAB_NB_PORT=${VIGIE_LAB_NB_PORT:-$nb_port}
VIGIE_LAB_SB_PORT=${VIGIE_LAB_SB_PORT:-$sb_port}
export VIGIE_LAB_DIR VIGIE_LAB_NB_PORT VIGIE_LAB_SB_PORT
exec "$@"
