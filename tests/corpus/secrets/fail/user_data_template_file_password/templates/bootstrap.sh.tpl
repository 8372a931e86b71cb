#!/bin/bash
cat > /etc/app.env <<ENV
DB_HOST=${db_host}
DB_PASSWORD=${db_password}
ENV
