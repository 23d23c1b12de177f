// The user-facing generators, bundled into one file (tools/imagesmith/generators.cjs).
export { initGenerator } from './init/generator';
export { imageGenerator } from './image/generator';
export { profileGenerator } from './profile/generator';
