/** A second Docker engine's configuration files, as .ci/setup-engine.sh configures the first. */
import { join } from 'node:path';

/** The settings of .ci/setup-engine.sh's daemon.json: the containerd image store, no bridge. */
export const DAEMON_JSON = {
  features: { 'containerd-snapshotter': true },
  'storage-driver': 'overlayfs',
  bridge: 'none',
  iptables: false,
  'ip-masq': false,
};

/** containerd's config as dockerd writes it for a containerd it manages, under `dir`. */
export function containerdToml(dir: string): string {
  return [
    'version = 2',
    `root = "${join(dir, 'root')}"`,
    `state = "${join(dir, 'state')}"`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]',
    `  address = "${join(dir, 'containerd.sock')}"`,
    '[debug]',
    `  address = "${join(dir, 'debug.sock')}"`,
    '',
  ].join('\n');
}
