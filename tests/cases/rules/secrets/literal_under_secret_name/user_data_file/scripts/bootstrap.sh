#!/bin/bash
set -eu
export DB_HOST=db.internal
export DB_PASSWORD="Sup3rS3cretPassw0rd"
/opt/app/start
