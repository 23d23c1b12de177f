import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { PLUGIN, SYNC_GENERATORS } from './plugin-name';

/**
 * The named inputs the plugin's targets use (tools/imagesmith/src/plugin/create-targets.ts):
 * an image's folder (not its .imagesmith/ outputs), and the code that renders and builds, which
 * in an installed workspace is the package's version.
 */
export const NAMED_INPUTS: Record<string, (string | { externalDependencies: string[] })[]> = {
  imageFiles: ['{projectRoot}/**/*', '!{projectRoot}/.imagesmith/**/*'],
  imagesmithCode: [{ externalDependencies: [PLUGIN] }],
};

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
 * nx.json: the plugin in `plugins`, the sync generators in `sync.globalGenerators` and its named
 * inputs in `namedInputs`, each added only when missing, so a user's own entries and order stay as
 * they are. Returns whether it changed.
 */
export function registerInNxJson(tree: Tree): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = (nxJson.plugins ?? []) as PluginEntry[];
  const globalGenerators = nxJson.sync?.globalGenerators ?? [];
  const addPlugin = !plugins.some(loadsImagesmith);
  const addSync = SYNC_GENERATORS.filter((g) => !globalGenerators.includes(g));
  const addInputs = Object.keys(NAMED_INPUTS).filter((n) => !(n in (nxJson.namedInputs ?? {})));
  if (!addPlugin && addSync.length === 0 && addInputs.length === 0) return false;
  updateNxJson(tree, {
    ...nxJson,
    namedInputs: {
      ...nxJson.namedInputs,
      ...Object.fromEntries(addInputs.map((n) => [n, NAMED_INPUTS[n]!])),
    },
    plugins: addPlugin ? [...(nxJson.plugins ?? []), PLUGIN] : nxJson.plugins,
    sync: { ...nxJson.sync, globalGenerators: [...globalGenerators, ...addSync] },
  });
  return true;
}
