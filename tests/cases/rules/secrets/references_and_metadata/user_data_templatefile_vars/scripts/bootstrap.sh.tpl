#!/bin/bash
export DB_PASSWORD="${db_password}"
export API_TOKEN=$(cat /run/secrets/token)
