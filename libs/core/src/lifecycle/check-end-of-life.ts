import type { Workspace } from '../catalogue/load-workspace';
import { resolveVariants, type ImageVariant } from '../catalogue/variants';
import type { Diagnostic } from '../errors';
import { formatPath, parseYamlDocument, type FieldPath } from '../image-spec/parse-document';
import { addDays, daysBetween } from './dates';
import { endsOfLife, type EndOfLife } from './ends-of-life';
import { EOL_WARNING_DAYS, eolState } from './eol-state';
import { pythonLifecycle } from './python-lifecycle';

/** One end of life an image has reached (error, or warning when allowed) or nears (warning). */
export interface EolFinding extends Diagnostic {
  severity: 'error' | 'warning';
  image: string;
  /** What ends: "Python 3.9", "Debian 12 (bookworm)". */
  what: string;
  end_of_life: string;
  /** The move to make: a Python version, or the table entry's move_to. */
  move: string;
  /** allow_eol's reason, when the spec (or the parent it inherits from) has one. */
  allowed?: string;
}

type EolWorkspace = Pick<Workspace, 'specs' | 'profiles' | 'baseDigests' | 'lifecycles'>;

/**
 * The end-of-life guard for `images` on `today` (YYYY-MM-DD, read once at the command's edge):
 * a finding per image and thing it runs on that ends within 180 days (warning) or has ended
 * (error, unless allow_eol gives a reason: then a warning that shows it). Each names the spec file
 * and field (its line) that puts the image on it. Pure: generated files never see `today`.
 */
export function checkEndOfLife(
  ws: EolWorkspace,
  images: readonly string[],
  today: string,
): EolFinding[] {
  const out: EolFinding[] = [];
  for (const image of images) {
    const seen = new Set<string>();
    for (const v of resolveVariants(ws, image))
      for (const end of endsOfLife(v, ws.lifecycles)) {
        const key = `${end.table}#${end.entry.id}`;
        const state = eolState(end.entry.end_of_life, today);
        if (state === 'supported' || seen.has(key)) continue;
        seen.add(key);
        out.push(finding(ws, v, end, state === 'ended', today));
      }
  }
  return out;
}

function finding(
  ws: EolWorkspace,
  v: ImageVariant,
  end: EndOfLife,
  ended: boolean,
  today: string,
): EolFinding {
  const loaded = ws.specs.get(v.image)!;
  const { path, text } = blamedField(v, end);
  const pos = parseYamlDocument(loaded.text, loaded.file).doc?.positionOf(path);
  const { entry } = end;
  const allowed = allowance(ws, v);
  const move =
    end.kind === 'python' ? pythonMove(v, today) : (entry.move_to ?? 'a supported release');
  const runsOn = end.kind === 'python' ? '' : ` (runs on ${entry.name})`;
  const when = ended
    ? `reached end of life on ${entry.end_of_life}`
    : `reaches end of life on ${entry.end_of_life}, in ${daysBetween(today, entry.end_of_life)} days`;
  const what = `\`${text}\` in ${loaded.file}${runsOn} ${when} (${shortSource(entry.source)})`;
  const message =
    allowed !== undefined
      ? `${what}; allowed by allow_eol: ${allowed}`
      : ended
        ? `${what}; move to ${move} or add allow_eol: <reason>`
        : `${what}; move to ${move} before then`;
  const hint =
    allowed !== undefined
      ? `move to ${move} when the reason no longer holds, and remove allow_eol`
      : `allow_eol: <reason> in ${loaded.file} keeps the image on it past that day, the reason shown in warnings and READMEs`;
  return {
    severity: ended && allowed === undefined ? 'error' : 'warning',
    image: v.image,
    what: entry.name,
    end_of_life: entry.end_of_life,
    move,
    file: loaded.file,
    ...(pos ?? {}),
    path: formatPath(path),
    message,
    hint,
    ...(allowed === undefined ? {} : { allowed }),
  };
}

/** The spec field that puts the image on it: its python, its profile, or its base. */
function blamedField(v: ImageVariant, end: EndOfLife): { path: FieldPath; text: string } {
  const { spec } = v;
  const inherited = v.parent !== undefined;
  if (end.kind === 'python' && spec.python !== undefined) {
    const i = Array.isArray(spec.python) ? spec.python.indexOf(v.python) : -1;
    return { path: i >= 0 ? ['python', i] : ['python'], text: `python: "${v.python}"` };
  }
  if (end.kind === 'profile' && !inherited && spec.base === undefined)
    return { path: ['profile'], text: `profile: ${spec.profile}` };
  if (spec.base !== undefined) {
    const via = inherited && end.kind === 'python' ? ` (Python ${v.python})` : '';
    return { path: ['base'], text: `base: ${spec.base}${via}` };
  }
  return { path: ['profile'], text: `profile: ${spec.profile}` };
}

/** allow_eol of the image, or of the nearest parent that has one (a child cannot leave its parent's Python or OS). */
function allowance(ws: EolWorkspace, v: ImageVariant): string | undefined {
  for (const name of [v.image, ...v.ancestors]) {
    const reason = ws.specs.get(name)?.spec.allow_eol;
    if (reason !== undefined) return name === v.image ? `"${reason}"` : `"${reason}" (${name}'s)`;
  }
  return undefined;
}

/**
 * The Python to move to: the oldest one supported past the warning window that the image's
 * profile offers, else the oldest supported one at all (saying the profile lacks it).
 */
export function pythonMove(v: Pick<ImageVariant, 'profile'>, today: string): string {
  const horizon = addDays(today, EOL_WARNING_DAYS);
  const supported = pythonLifecycle.entries
    .filter((e) => e.end_of_life > horizon)
    .sort((a, b) => minor(a.id) - minor(b.id));
  const offered = supported.find((e) => v.profile.python_versions.includes(e.id));
  if (offered) return offered.id;
  const any = supported[0];
  return any
    ? `${any.id} (profile ${v.profile.name} offers ${v.profile.python_versions.join(', ')} only)`
    : 'a supported Python';
}

/**
 * Where a date comes from, as a message names it: the source text up to its first explanation
 * ("python.org's release schedule, PEP 619: ..." -> "python.org's release schedule, PEP 619").
 * The whole text is in the table the finding names.
 */
export function shortSource(source: string): string {
  return source.split(/ \(|: /)[0] ?? source;
}

const minor = (version: string) => Number(version.split('.')[1] ?? 0);
