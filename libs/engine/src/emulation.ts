import { readdirSync, readFileSync } from 'node:fs';

/** binfmt_misc entry names (as qemu-user-static and tonistiigi/binfmt register them) per platform. */
const QEMU: Record<string, string> = {
  'linux/arm64': 'qemu-aarch64',
  'linux/arm/v7': 'qemu-arm',
  'linux/ppc64le': 'qemu-ppc64le',
  'linux/s390x': 'qemu-s390x',
  'linux/riscv64': 'qemu-riscv64',
  'linux/386': 'qemu-i386',
};

/**
 * Platforms this machine's kernel runs through an enabled qemu binfmt_misc entry. Only entries with
 * the F flag count: without it the interpreter must exist inside every build container's root.
 */
export function emulatedPlatforms(dir = '/proc/sys/fs/binfmt_misc'): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const [platform, entry] of Object.entries(QEMU)) {
    if (!names.includes(entry)) continue;
    try {
      const text = readFileSync(`${dir}/${entry}`, 'utf8');
      if (/^enabled$/m.test(text) && /^flags:.*F/m.test(text)) out.push(platform);
    } catch {
      // unreadable: not usable
    }
  }
  return out;
}
