import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

/**
 * The one template of a manifest chart: every file under `files/` verbatim. `.Files.Get` keeps Helm's template
 * engine away from the manifests, so text such as `{{` inside a CRD description reaches the cluster unchanged.
 */
const TEMPLATE = [
  '{{- range $path, $_ := .Files.Glob "files/*.yaml" }}',
  '---',
  '{{ $.Files.Get $path }}',
  '{{- end }}',
  '',
].join('\n');

function fileName(obj: Record<string, unknown>, index: number): string {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  const name = `${String(obj.kind)}-${String(meta.name)}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return `${String(index).padStart(4, '0')}-${name}.yaml`;
}

/**
 * Writes a minimal Helm chart (Chart.yaml, one template, one file per object) holding `objects` as they are, and
 * returns its directory. The directory is named after a hash of its content under the OS temp folder, so repeated
 * synths reuse it and the asset hash (and so the deployed chart) changes only with the objects.
 */
export function writeManifestChart(name: string, description: string, objects: Record<string, unknown>[]): string {
  const files = new Map<string, string>();
  files.set('Chart.yaml', yaml.dump({ apiVersion: 'v2', name, description, type: 'application', version: '0.0.0' }));
  files.set('templates/manifests.yaml', TEMPLATE);
  objects.forEach((obj, i) => {
    files.set(`files/${fileName(obj, i)}`, yaml.dump(obj, { noRefs: true, lineWidth: -1, sortKeys: false }));
  });
  const hash = createHash('sha256');
  for (const [file, content] of files) hash.update(`${file}\0${content}\0`);
  const dir = path.join(os.tmpdir(), 'agentic-eks-charts', `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return dir;
  // Written next to its final place and renamed, so a parallel synth never sees a half-written chart.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const staging = fs.mkdtempSync(`${dir}.tmp-`);
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    fs.writeFileSync(path.join(staging, file), content);
  }
  try {
    fs.renameSync(staging, dir);
  } catch (e) {
    // Another process renamed the same content first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) throw e;
  }
  return dir;
}
