import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { PLUGIN, SYNC_GENERATORS } from './plugin-name';

type PluginEntry = string | { plugin: string };

/**
 * Plugin entries that already load imagesmith: the package name, or the entry file that this
 * repository (imagesmith's own catalogue) names instead (tools/imagesmith/install-plugin-entry.cjs).
 */
function loadsImagesmith(entry: PluginEntry): boolean {
  const name = typeof entry === 'string' ? entry : entry.plugin;
  return name === PLUGIN || name.endsWith('/.imagesmith/nx-plugin.cjs');
}

/**
 * nx.json: the plugin in `plugins` and the sync generators in `sync.globalGenerators`, each added
 * only when missing, so a user's own entries and order stay as they are. Returns whether it changed.
 */
export function registerInNxJson(tree: Tree): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = (nxJson.plugins ?? []) as PluginEntry[];
  const globalGenerators = nxJson.sync?.globalGenerators ?? [];
  const addPlugin = !plugins.some(loadsImagesmith);
  const addSync = SYNC_GENERATORS.filter((g) => !globalGenerators.includes(g));
  if (!addPlugin && addSync.length === 0) return false;
  updateNxJson(tree, {
    ...nxJson,
    plugins: addPlugin ? [...(nxJson.plugins ?? []), PLUGIN] : nxJson.plugins,
    sync: { ...nxJson.sync, globalGenerators: [...globalGenerators, ...addSync] },
  });
  return true;
}
