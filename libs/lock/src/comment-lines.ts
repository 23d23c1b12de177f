/** A header as TOML / requirements comment lines; lines already starting with "#" are kept as they are. */
export function commentLines(header: string): string[] {
  return header
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => (l.startsWith('#') ? l : `# ${l}`.trimEnd()));
}
