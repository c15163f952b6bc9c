#!/usr/bin/env bash
# The shipped site (jobfair.conf) run by a private nginx on the loopback,
# for tests and benchmarks: a self-signed certificate for
# jobfair.example.org, its own ports and two jobfaird.
#
#   local.sh start DIR TLS_PORT HTTP_PORT HOST:PORT HOST:PORT
#   local.sh stop DIR
# DIR/site.pem is the certificate to trust (curl --cacert).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
site=jobfair.example.org
dir=${2:?usage: local.sh start|stop DIR …}

case $1 in
start)
	tls=$3 plain=$4 a=$5 b=$6
	mkdir -p "$dir/conf" "$dir/logs"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
		-subj "/CN=$site" -addext "subjectAltName=DNS:$site" \
		-keyout "$dir/site.key" -out "$dir/site.pem" 2>/dev/null
	sed -e "s|127.0.0.1:8081|$a|" -e "s|127.0.0.1:8082|$b|" \
		-e "s|listen 443 ssl http2;|listen 127.0.0.1:$tls ssl http2;|" \
		-e "s|listen 80;|listen 127.0.0.1:$plain;|" -e '/listen \[::\]/d' \
		-e "s|/etc/ssl/certs/$site.pem|$dir/site.pem|" \
		-e "s|/etc/ssl/private/$site.key|$dir/site.key|" \
		-e "s|/var/log/nginx/access.log|$dir/logs/access.log|" \
		"$here/jobfair.conf" >"$dir/conf/site.conf"
	user_line=""
	[ "$(id -u)" -ne 0 ] || user_line="user root root;"
	cat >"$dir/conf/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
	include /etc/nginx/mime.types;
	access_log $dir/logs/access.log;
	client_body_temp_path $dir/body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	include $dir/conf/site.conf;
}
CONF
	nginx -t -q -e "$dir/logs/error.log" -p "$dir" -c "$dir/conf/nginx.conf"
	nginx -e "$dir/logs/error.log" -p "$dir" -c "$dir/conf/nginx.conf"
	for _ in $(seq 50); do [ -s "$dir/nginx.pid" ] && exit 0; sleep 0.1; done
	echo "local.sh: nginx did not start" >&2
	cat "$dir/logs/error.log" >&2
	exit 1
	;;
stop)
	[ -s "$dir/nginx.pid" ] || exit 0
	pid=$(cat "$dir/nginx.pid")
	kill -QUIT "$pid" 2>/dev/null || exit 0
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
	;;
esac
