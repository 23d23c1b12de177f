import { getProjects, type Tree } from '@nx/devkit';

/**
 * Every Nx project name in the workspace, with where it is defined: the projects Nx reads from
 * project.json and package.json files, plus the ones imagesmith's plugin infers (images/<name>,
 * profile-<name>), which getProjects does not see. A new image named like any of them would make
 * Nx fail with "projects defined in multiple locations".
 */
export function projectNames(tree: Tree): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, project] of getProjects(tree)) names.set(name, project.root);
  const children = (dir: string) => (tree.exists(dir) ? tree.children(dir) : []);
  for (const p of children('profiles'))
    if (tree.exists(`profiles/${p}/profile.yaml`)) names.set(`profile-${p}`, `profiles/${p}`);
  for (const i of children('images'))
    if (tree.exists(`images/${i}/image.yaml`)) names.set(i, `images/${i}`);
  return names;
}
