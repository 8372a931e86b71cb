#!/bin/bash
DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id "${secret_arn}" --query SecretString --output text)
echo "DB_HOST=${db_host}" >> /etc/app.env
