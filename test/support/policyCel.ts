// Runs the Go evaluator in test/policy-cel (Kubernetes' own CEL environment, with the ip()/cidr()
// library the API server uses) on a ValidatingAdmissionPolicy's expressions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lspClient';
import { findGo } from '../realstack/build';

export interface CelCase {
  name: string;
  resource: string;
  object: unknown;
  params: unknown;
}
export interface CelVerdict {
  name: string;
  allowed: boolean;
  /** Whether the match conditions let the policy evaluate the object at all. */
  matched: boolean;
  messages: string[];
}
interface Expr {
  name?: string;
  expression: string;
  messageExpression?: string;
}

let binary: string | undefined;

/** Builds the evaluator once per process (Go's build cache makes later builds quick). */
function evaluator(): string {
  if (binary) return binary;
  const out = join(mkdtempSync(join(tmpdir(), 'capi-ipam-cel-')), 'policy-cel');
  const go = findGo();
  if (!go) throw new Error("Go is needed to evaluate the policy's CEL with Kubernetes' library (test/policy-cel)");
  const r = spawnSync(go, ['build', '-o', out, '.'], { cwd: join(ROOT, 'test/policy-cel'), encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (r.error) throw new Error(`building test/policy-cel: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`building test/policy-cel failed:\n${r.stderr}`);
  return (binary = out);
}

export function evaluateCel(spec: { matchConditions?: Expr[]; variables: Expr[]; validations: Expr[] }, cases: CelCase[]): CelVerdict[] {
  const r = spawnSync(evaluator(), [], {
    input: JSON.stringify({ matchConditions: spec.matchConditions ?? [], variables: spec.variables, validations: spec.validations, cases }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`policy-cel: ${r.stderr}`);
  return JSON.parse(r.stdout) as CelVerdict[];
}

/** Why the CEL tests cannot run here (no Go), or undefined; with CAPI_IPAM_REAL_STACK=required, an error. */
export function celMissing(): string | undefined {
  if (findGo()) return undefined;
  const why = 'no Go toolchain, so the CEL evaluator (test/policy-cel) cannot be built';
  if (process.env.CAPI_IPAM_REAL_STACK === 'required') throw new Error(`CAPI_IPAM_REAL_STACK=required but ${why}`);
  return `CEL TESTS NOT RUN: ${why}`;
}
