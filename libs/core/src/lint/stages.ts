import { Env, From, type Dockerfile, type Instruction } from 'dockerfile-ast';

/** One build stage: its FROM, the image it names (ARGs resolved) and its instructions. */
export interface Stage {
  index: number;
  /** The `AS name`, lower-cased as BuildKit matches stage names case-insensitively. */
  name?: string;
  from: From;
  image: string;
  /** The earlier stage this one builds FROM, if any. */
  parent?: Stage;
  instructions: Instruction[];
}

/** ARG defaults declared before the first FROM: the only variables a FROM line can use. */
export function initialArgs(df: Dockerfile): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const arg of df.getInitialARGs()) {
    const prop = arg.getProperty();
    if (prop) vars.set(prop.getName(), prop.getValue() ?? undefined);
  }
  return vars;
}

/** Expands $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}; variables without a value stay as written. */
export function substitute(value: string, vars: Map<string, string | undefined>): string {
  return value.replace(
    /\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g,
    (whole, braced?: string, fallback?: string, bare?: string) => {
      const v = vars.get((braced ?? bare)!);
      return v !== undefined && v !== '' ? v : (fallback ?? whole);
    },
  );
}

export function stageLabel(stage: Stage): string {
  return stage.name ? `stage '${stage.name}'` : `stage ${stage.index + 1} (FROM ${stage.image})`;
}

/** The build stages in file order, each linked to the earlier stage it builds on. */
export function stagesOf(df: Dockerfile): Stage[] {
  const vars = initialArgs(df);
  const stages: Stage[] = [];
  for (const ins of df.getInstructions()) {
    if (ins instanceof From) {
      const image = substitute(ins.getImage() ?? '', vars);
      const parent = stages.find((s) => s.name !== undefined && s.name === image.toLowerCase());
      const name = ins.getBuildStage()?.toLowerCase();
      stages.push({ index: stages.length, name, from: ins, image, parent, instructions: [] });
    } else {
      stages[stages.length - 1]?.instructions.push(ins); // ARGs before the first FROM belong to no stage
    }
  }
  return stages;
}

/** The value an ENV in this stage or a parent stage gave `name` before `line` (0-based). */
export function envBefore(
  stage: Stage | undefined,
  name: string,
  line: number,
): string | undefined {
  for (let s = stage; s; s = s.parent) {
    const envs = s.instructions.filter(
      (i): i is Env => i instanceof Env && i.getRange().start.line < line,
    );
    for (const env of envs.reverse()) {
      const prop = env.getProperties().find((p) => p.getName() === name);
      if (prop) return prop.getValue() ?? '';
    }
  }
  return undefined;
}

/** The stage an instruction belongs to. */
export function stageOf(stages: Stage[], ins: Instruction): Stage | undefined {
  return stages.find((s) => s.instructions.includes(ins));
}
