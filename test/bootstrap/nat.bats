#!/usr/bin/env bats
# src/main/resources/network/nat-instance.sh (dev's NAT instance user data), unmodified, in the bootstrap's
# sandbox (sandbox.bash): NAT on, dnf retried with a bound, idempotent on a second run.

load sandbox

setup() { sandbox_setup; }
teardown() { sandbox_teardown; }

NAT=src/main/resources/network/nat-instance.sh

@test "NAT instance: iptables-services, IP forwarding that survives reboots, masquerading on the default interface, saved" {
  run_script "$NAT"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
  called '^dnf install -y -q iptables-services$'
  called '^systemctl enable --now iptables$'
  [ "$(cat "$SANDBOX/etc-up/sysctl.d/custom-ip-forwarding.conf")" = "net.ipv4.ip_forward=1" ]
  called '^sysctl -p /etc/sysctl.d/custom-ip-forwarding.conf$'
  [ "$(cat "$SANDBOX/iptables-rules")" = "-t nat -A POSTROUTING -o ens5 -j MASQUERADE" ]
  called '^iptables -F FORWARD$'
  called '^service iptables save$'
  [ "$(line_of '^iptables -t nat -A')" -lt "$(line_of '^service iptables save')" ]
}

@test "NAT instance: a transient dnf failure is retried; a lasting one fails clearly, before any NAT step" {
  echo 2 > "$SANDBOX/dnf-fails"
  run_script "$NAT"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
  [ "$(grep -c '^dnf install' "$SANDBOX/calls.log")" -eq 3 ]
  called '^sleep 10$'
  called '^service iptables save$'

  echo 99 > "$SANDBOX/dnf-fails"
  run_script "$NAT"
  [ "$status" -ne 0 ]
  [[ $output == *"could not install iptables-services after 6 attempts"* ]]
  [ "$(grep -c '^dnf install' "$SANDBOX/calls.log")" -eq 6 ]
  refute called '^iptables '
}

@test "NAT instance: a second run adds no second masquerading rule" {
  run_script "$NAT"
  run_script "$NAT"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
  [ "$(wc -l < "$SANDBOX/iptables-rules")" -eq 1 ]
}

@test "NAT instance: no default route fails clearly" {
  touch "$SANDBOX/no-default-route"
  run_script "$NAT"
  [ "$status" -ne 0 ]
  [[ $output == *"no default route"* ]]
}
