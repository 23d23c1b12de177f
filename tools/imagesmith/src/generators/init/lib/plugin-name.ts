/** The package's name, as nx.json and `nx g` name it. */
export const PLUGIN = '@imagesmith/nx-plugin';

/** The sync generators nx.json sync.globalGenerators runs (generators.json). */
export const SYNC_GENERATORS = [`${PLUGIN}:sync-images`, `${PLUGIN}:sync-catalogue`];
