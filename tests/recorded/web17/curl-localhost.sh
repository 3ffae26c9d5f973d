# curl 7.88 resolves `localhost` itself (no resolver, no /etc/hosts): a refused connection
# to it is curl's error 7, not 6 (could not resolve). Recorded with `unshare -n bash
# curl-localhost.sh` after disabling IPv6 as the recorder does.
ip link set lo up
curl -s -o /dev/null -w "%{http_code}\n" http://localhost:1/; echo "st $?"
curl -sS http://LOCALHOST:1/; echo "st $?"
curl -sS http://a.localhost:1/x; echo "st $?"
