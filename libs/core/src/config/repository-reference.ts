// The grammar of an image name without tag or digest, from the distribution reference spec
// (https://github.com/distribution/reference/blob/main/reference.go): a registry host (with port)
// or a path, then lowercase path components separated by slashes. Hosts are taken in lowercase
// too, so that the suggested fix is one form.
const DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^(?:${DOMAIN}|${PATH_COMPONENT})(?:/${PATH_COMPONENT})*$`);

/** True when `ref` can prefix image names: registry[:port]/namespace, lowercase, no tag. */
export function isRepositoryReference(ref: string): boolean {
  return REPOSITORY.test(ref);
}

/** What is wrong with `ref` in words, and the nearest valid reference when there is an obvious one. */
export function explainRepositoryReference(ref: string): { why: string; fix?: string } {
  const reasons: string[] = [];
  if (/[A-Z]/.test(ref)) reasons.push('uppercase letters');
  if (/\s/.test(ref)) reasons.push('spaces');
  if (/^[a-z]+:\/\//i.test(ref)) reasons.push('a URL scheme');
  if (/\/[^/]*:[^/]*$/.test(ref) || /@/.test(ref)) reasons.push('a tag or digest');
  if (/\/\/|\/$|^\//.test(ref.replace(/^[a-z]+:\/\//i, ''))) reasons.push('an empty path part');
  const fix = ref
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/@.*$/, '')
    .replace(/(\/[^/:]*):[^/]*$/, '$1')
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/|\/$/g, '');
  return {
    why: reasons.length > 0 ? reasons.join(' and ') : 'characters outside a-z 0-9 . _ - / :',
    ...(fix !== ref && isRepositoryReference(fix) ? { fix } : {}),
  };
}
