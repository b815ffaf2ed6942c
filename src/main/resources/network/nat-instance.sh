#!/bin/bash
# User data of dev's NAT instance (NetworkStack, natMode: instance): the NAT steps AWS documents for
# Amazon Linux 2023, owned by the platform so that a transient dnf failure at first boot (aws/aws-cdk#36717:
# aws-cdk-lib's default installs iptables-services once) is retried instead of leaving the private subnets
# without egress. Every step is idempotent. test/bootstrap/nat.bats runs it in a sandbox.
set -euo pipefail

log() { echo "[nat $(date -u +%H:%M:%S)] $*" >&2; }

attempt=1
until dnf install -y -q iptables-services; do
  if ((attempt == 6)); then
    log "FAILED: could not install iptables-services after 6 attempts; the private subnets have no egress"
    exit 1
  fi
  log "dnf install iptables-services failed (attempt $attempt of 6)"
  sleep $((attempt * 10))
  attempt=$((attempt + 1))
done
systemctl enable --now iptables

echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/custom-ip-forwarding.conf
sysctl -p /etc/sysctl.d/custom-ip-forwarding.conf

interface=$(ip route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
if [[ -z $interface ]]; then
  log "FAILED: no default route, so no interface to masquerade on"
  exit 1
fi
iptables -t nat -C POSTROUTING -o "$interface" -j MASQUERADE 2>/dev/null \
  || iptables -t nat -A POSTROUTING -o "$interface" -j MASQUERADE
iptables -F FORWARD
service iptables save
log "NAT on $interface"
