# Sourced by deploy/e2e/run.sh and deploy/demo/run.sh: a free loopback port and
# waiting for a server started in the background. Callers set servers_tag (the
# prefix of messages) and may set servers_logs (a glob of logs to show when a
# server exits).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # name pid url
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null "$3"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then
      echo "${servers_tag:-servers}: $1 exited" >&2
      if [[ -n "${servers_logs:-}" ]]; then tail -n 30 $servers_logs >&2 || true; fi
      return 1
    fi
    sleep 0.1
  done
  echo "${servers_tag:-servers}: $1 did not answer at $3 within 30 s" >&2
  return 1
}
