// What other packages use of @imagesmith/core, by name: a name not listed here is internal.
// Export one from here when another package needs it (tests inside the library import the module file).
export { ConstraintError, type Diagnostic, ImagesmithError, SpecError, UsageError } from './errors';
export { writeFileAtomic } from './fs/write-atomic';
export { type CommandCheck, type LoadedSpec, type TestContract } from './image-spec/types';
export { parseYamlDocument } from './image-spec/parse-document';
export { isValidConstraint, satisfies } from './image-spec/poetry-constraint';
export { type Profile, type ProfileDefinition } from './profiles/types';
export { loadProfiles } from './profiles/load-profiles';
export { resolveProfile } from './profiles/resolve-profile';
export { type SpecSource, validateCatalogue } from './catalogue/validate-catalogue';
export { loadWorkspace, readTemplates, type Workspace } from './catalogue/load-workspace';
export {
  fsReader,
  linkProblem,
  refusingLinks,
  type WorkspaceReader,
} from './catalogue/workspace-reader';
export { layeredReader } from './catalogue/layered-reader';
export {
  ancestorsOf,
  type ImageVariant,
  parentVariant,
  resolveVariants,
} from './catalogue/variants';
export { BASE_DIGESTS_FILE, type BaseDigests, renderBaseDigests } from './catalogue/base-digests';
export { topologicalOrder } from './catalogue/topological-order';
export { nearestImage, requireImage } from './catalogue/require-image';
export { fixedImageName, IMAGE_NAME } from './catalogue/image-name';
export { sourcesUsedBy, usedPackages } from './render/render-context';
export {
  DEFAULT_PROMOTE_REQUIRES,
  DEFAULT_REPOSITORY,
  mirrorReference,
  parseWorkspaceConfig,
  type PromotePolicy,
  readWorkspaceConfig,
  type WorkspaceConfig,
} from './config/workspace-config';
export { netrcEntry, splitUrlCredentials } from './config/url-credentials';
export { type GeneratedFile, generateVariant } from './generate/generate-variant';
export {
  CATALOGUE_README,
  type CatalogueRowFacts,
  NEW_CATALOGUE_README,
  renderCatalogueTable,
  spliceTable,
  TABLE_END,
  TABLE_START,
} from './catalogue/readme-table';
export { deprecationWarnings } from './catalogue/deprecation';
export { renderDependabot } from './catalogue/dependabot';
export { REFRESH_WORKFLOW_PATH, renderRefreshWorkflow } from './catalogue/refresh-workflow';
export { imageReference, versionTags } from './render/tags';
export { readCachedJson, writeCachedJson } from './cache/module-cache';
export { plural } from './text/plural';
export { fileWriteErrorOf } from './fs/file-write-error';
export { type FieldPath, formatPath } from './image-spec/field-path';
// The end-of-life guard (lifecycle/): tables, today's date at the edge, findings, report.
export { checkEndOfLife, type EolFinding } from './lifecycle/check-end-of-life';
export { endOfLifeText, imageEndOfLife } from './lifecycle/image-end-of-life';
export { renderEolReport } from './lifecycle/eol-report';
export { todayFrom } from './lifecycle/today';
export { type LifecycleEntry, type LifecycleTable } from './lifecycle/types';
