# Sourced (after Benchmarks/harness.sh) by Benchmarks/FastCGI/run.sh, count-calls.sh and
# Benchmarks/Hummingbird/run.sh: the nginx in front of the responders.

# nginx_conf DIR PORT UPSTREAM KEEP: writes DIR/nginx.conf, nginx on 127.0.0.1:PORT with one
# worker passing every request to UPSTREAM (unix:PATH or HOST:PORT) over FastCGI, keeping 64
# connections open to it when KEEP is `on`; and DIR/index.php, the PHP hello.
nginx_conf() {
    local dir=$1 keep_upstream="" keep_location=""
    if [ "$4" = on ]; then keep_upstream="keepalive 64;"; keep_location="fastcgi_keep_conn on;"; fi
    cat > "$dir/nginx.conf" <<CONF
user $( [ "$(id -u)" = 0 ] && echo www-data || id -un );
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    fastcgi_temp_path $dir/fastcgi;
    proxy_temp_path $dir/proxy;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    upstream app { server $3; $keep_upstream }
    server {
        listen 127.0.0.1:$2 backlog=1024;
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $dir/index.php;
            $keep_location
            fastcgi_pass app;
        }
    }
}
CONF
    echo '<?php echo "Hello from ", $_SERVER["REQUEST_URI"], "\n";' > "$dir/index.php"
}
