// Entry of the prebuilt sync-generator bundle (see tools/imagesmith/bundle.cjs): Nx loads it as
// plain JavaScript, so `nx sync` does not transpile the libraries on every run.
export { syncImagesGenerator } from './images';
export { syncCatalogueGenerator } from './catalogue';
