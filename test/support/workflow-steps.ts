import { parse } from 'yaml';

/**
 * The `run:` steps of a GitHub Actions workflow, in order, with the env each one gets (workflow,
 * job, step) and its `if:` decided, so a test can run them as the runner would. Expressions are
 * looked up in `context` (`vars.X`, `secrets.X`, an `if:` condition as written): an expression the
 * test does not know throws, so a changed workflow fails the test instead of being half-run.
 */
export interface WorkflowStep {
  name: string;
  run: string;
  env: Record<string, string>;
}

export interface StepPlan {
  steps: WorkflowStep[];
  /** `uses:` steps and the listed runs, by name: what the test leaves to GitHub. */
  skipped: string[];
  /** Steps whose `if:` is false for this event. */
  notRun: string[];
}

interface RawStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface RawJob {
  env?: Record<string, string>;
  steps: RawStep[];
}

export function planWorkflowSteps(
  yamlText: string,
  context: Record<string, string | boolean>,
  options: { skipUses: string[]; skipRuns: string[] },
): StepPlan {
  const wf = parse(yamlText) as { env?: Record<string, string>; jobs: Record<string, RawJob> };
  const lookup = (expr: string) => {
    const key = expr.trim();
    if (!(key in context))
      throw new Error(`workflow expression \${{ ${key} }} is not in the test's context`);
    return context[key]!;
  };
  const subst = (v: unknown) =>
    String(v).replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => String(lookup(expr)));
  const plan: StepPlan = { steps: [], skipped: [], notRun: [] };
  for (const job of Object.values(wf.jobs)) {
    for (const step of job.steps) {
      const name = step.name ?? step.run ?? step.uses ?? '?';
      if (step.uses) {
        const action = step.uses.split('@')[0]!;
        if (!options.skipUses.includes(action))
          throw new Error(`step "${name}" uses ${step.uses}, which the test does not know`);
        plan.skipped.push(action);
        continue;
      }
      if (options.skipRuns.includes(step.run!.trim())) {
        plan.skipped.push(step.run!.trim());
        continue;
      }
      if (step.if !== undefined && lookup(step.if.replace(/^\$\{\{(.*)\}\}$/, '$1')) !== true) {
        plan.notRun.push(name);
        continue;
      }
      const env = Object.fromEntries(
        Object.entries({ ...wf.env, ...job.env, ...step.env }).map(([k, v]) => [k, subst(v)]),
      );
      plan.steps.push({ name, run: step.run!, env });
    }
  }
  return plan;
}
