#!/bin/sh
# register the runner
export RUNNER_NAME="${runner_name}"
export RUNNER_TOKEN="ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7c"
/opt/runner/config.sh --name "$RUNNER_NAME" --token "$RUNNER_TOKEN"
