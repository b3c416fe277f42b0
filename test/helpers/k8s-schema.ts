// Validates Kubernetes manifests against the OpenAPI schema of a current release, as the API server does with
// strict field validation (`kubectl apply --validate=strict`): kubernetes-models' validators, generated from that
// schema, check types, required fields and formats (quantities); its TypeScript types, generated from the same
// schema, reject unknown fields, which the schema alone allows (the API server drops them silently otherwise).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Pod } from 'kubernetes-models/v1';
import { DaemonSet } from 'kubernetes-models/apps/v1';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The kinds the shipped manifests use: the model that validates each, and its type for the field check. */
const KINDS = {
  'v1/Pod': { model: (o: unknown) => new Pod(o as never), type: 'IPod', module: 'kubernetes-models/v1/Pod' },
  'apps/v1/DaemonSet': { model: (o: unknown) => new DaemonSet(o as never), type: 'IDaemonSet', module: 'kubernetes-models/apps/v1/DaemonSet' },
} as const;

type Manifest = { apiVersion?: string; kind?: string };

function kindOf(object: Manifest): (typeof KINDS)[keyof typeof KINDS] {
  const known = KINDS[`${object.apiVersion}/${object.kind}` as keyof typeof KINDS];
  if (!known) throw new Error(`no schema here for ${object.apiVersion} ${object.kind}`);
  return known;
}

/** Schema errors of one object (types, required fields, formats); [] when valid. */
export function schemaErrors(object: Manifest): string[] {
  try {
    kindOf(object).model(object).validate();
    return [];
  } catch (error) {
    return String((error as Error).message).split(', ');
  }
}

/** Fields the schema does not define, and values of the wrong type, as TypeScript reports them; [] when none. */
export function fieldErrors(objects: readonly Manifest[]): string[] {
  const file = join(root, '.k8s-field-check.ts');
  const source = objects
    .map((o, i) => {
      const { type, module } = kindOf(o);
      return `import type { ${type} as T${i} } from '${module}';\nexport const m${i}: T${i} = ${JSON.stringify(o, null, 2)};\n`;
    })
    .join('');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSource = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? source : read(name));
  host.fileExists = (name) => name === file || exists(name);
  host.getSourceFile = (name, language) => (name === file ? ts.createSourceFile(name, source, language) : getSource(name, language));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
