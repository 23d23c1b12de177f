/** An image name: its folder under images/, and its Nx project name. */
export const IMAGE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The nearest valid image name (Bad_Name -> bad-name); empty when nothing of it is usable. */
export function fixedImageName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
