// npm postinstall: writes node_modules/.imagesmith/nx-plugin.cjs, the entry nx.json names for our
// Nx plugin. Why not name tools/imagesmith/plugin.cjs directly: Nx resolves a plugin that lives in
// the workspace's own sources by loading every project configuration first, in two extra plugin
// workers (about 0.4 s of CPU on every Nx command with plugin isolation on, Nx's default); a
// plugin that resolves inside node_modules skips that step. The entry only forwards to the
// workspace's plugin (Nx's plugin worker runs in the workspace root).
//
// Why this repository does not name the package as a team does (`"plugins":
// ["@imagesmith/nx-plugin"]`, what `nx add` writes): here node_modules/@imagesmith/nx-plugin is
// npm's workspace symlink to tools/imagesmith, and Nx follows it (nx's resolve-plugin.js,
// isWorkspaceLocalResolution: a resolved path inside the workspace and outside node_modules) into
// the same slow local-plugin lookup. A team's installed copy resolves inside node_modules and
// needs no such entry. The init generator treats this entry as the plugin being registered.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const dir = path.join(root, 'node_modules', '.imagesmith');
const entry = `// Written by tools/imagesmith/install-plugin-entry.cjs (npm postinstall); see there.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const own = path.join(process.cwd(), 'tools', 'imagesmith', 'plugin.cjs');
module.exports = require(fs.existsSync(own) ? own : ${JSON.stringify(path.join(root, 'tools', 'imagesmith', 'plugin.cjs'))});
`;
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'nx-plugin.cjs');
const tmp = `${file}.${process.pid}.tmp`;
fs.writeFileSync(tmp, entry);
fs.renameSync(tmp, file);
