// The shipped Kubernetes manifests and Prometheus rules: valid against the Kubernetes OpenAPI schema (1.34, from
// kubernetes-models) and promtool, and doing on a cluster what their comments say, read from the parsed YAML.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml, stringify } from 'yaml';
import { parseCleanArgs } from '../../src/core/clean/settings.js';
import { diskReport } from '../../src/core/disk-status.js';
import { renderRoundMetrics, startTally } from '../../src/core/metrics/rounds.js';
import { parseSize } from '../../src/core/units.js';
import { fieldErrors, schemaErrors } from '../helpers/k8s-schema.js';

const resource = (path: string): string => fileURLToPath(new URL(`../../resources/io/whalekeeper/${path}`, import.meta.url));

// Just enough of the Kubernetes types to read the manifests (the schema check below covers the rest).
interface Mount { name: string; mountPath: string; subPath?: string; readOnly?: boolean }
interface Container {
  name: string;
  image?: string;
  args?: string[];
  workingDir?: string;
  restartPolicy?: string;
  env?: { name: string; value?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsUser?: number };
  volumeMounts?: Mount[];
}
interface Volume { name: string; emptyDir?: { sizeLimit?: string; medium?: string }; hostPath?: { path: string; type?: string } }
interface PodSpec { initContainers?: Container[]; containers: Container[]; volumes?: Volume[]; nodeSelector?: Record<string, string>; restartPolicy?: string }
interface Manifest { apiVersion: string; kind: string; metadata?: { name?: string }; spec: PodSpec & { template?: { spec: PodSpec } } }

function load(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(resource(path), 'utf8')).map((d) => d.toJS() as Manifest);
}

const manifests = readdirSync(resource('kubernetes')).map((f) => `kubernetes/${f}`);
const pod = load('kubernetes/dind-agent-pod.yaml')[0]!;
const daemonSet = load('kubernetes/daemonset.yaml')[0]!;

/** A Kubernetes quantity in bytes (the binary and decimal suffixes the manifests use). */
const bytes = (quantity: string): number => parseSize(quantity, 'quantity');

/** The Jenkins plugin's default agent working directory (ContainerTemplate.DEFAULT_WORKING_DIR). */
const DEFAULT_WORKING_DIR = '/home/jenkins/agent';

/**
 * The pod as the Jenkins kubernetes plugin creates it from a `yaml` template. A stand-in written from the plugin's
 * PodTemplateBuilder.build() (jenkinsci/kubernetes-plugin, src/main/java/org/csanchez/jenkins/plugins/kubernetes/
 * PodTemplateBuilder.java): it adds a `jnlp` container when there is none; gives every container without a
 * workingDir the jnlp's (default /home/jenkins/agent); adds an emptyDir `workspace-volume` only when the pod has no
 * volume of that name; mounts it at the working directory of every container in spec.containers that has nothing
 * mounted there, and never in initContainers; defaults restartPolicy to Never.
 */
function asThePluginBuildsIt(template: Manifest): Manifest {
  const spec: PodSpec = structuredClone(template.spec);
  if (!spec.containers.some((c) => c.name === 'jnlp')) spec.containers.push({ name: 'jnlp', image: 'jenkins/inbound-agent', volumeMounts: [] });
  const jnlp = spec.containers.find((c) => c.name === 'jnlp')!;
  for (const c of spec.containers) c.workingDir ??= jnlp.workingDir;
  spec.volumes ??= [];
  if (!spec.volumes.some((v) => v.name === 'workspace-volume')) spec.volumes.push({ name: 'workspace-volume', emptyDir: {} });
  for (const c of spec.containers) {
    const dir = c.workingDir ?? DEFAULT_WORKING_DIR;
    c.volumeMounts ??= [];
    if (!c.volumeMounts.some((m) => m.mountPath === dir)) c.volumeMounts.push({ name: 'workspace-volume', mountPath: dir, readOnly: false });
  }
  spec.restartPolicy ??= 'Never';
  return { ...template, metadata: { name: 'agent-abc12' }, spec };
}

/** Where `path` lands in a container: the volume mounted deepest above it and the path inside that volume. */
function resolveIn(container: Container, path: string): { volume: string; inside: string; readOnly: boolean } | undefined {
  const mounts = (container.volumeMounts ?? []).filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`));
  const m = mounts.sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  return m && { volume: m.name, inside: posix.join('/', m.subPath ?? '', posix.relative(m.mountPath, path)), readOnly: m.readOnly === true };
}

const containerOf = (spec: PodSpec, name: string): Container => [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === name)!;
const volumeOf = (spec: PodSpec, name: string): Volume => spec.volumes!.find((v) => v.name === name)!;
const envOf = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;

describe('every manifest in resources/io/whalekeeper/kubernetes', () => {
  it('passes the Kubernetes 1.34 OpenAPI schema: types, required fields, quantities, and no unknown field', () => {
    const all = [...manifests.flatMap(load), asThePluginBuildsIt(pod)];
    expect(all.map((m) => `${m.kind}`)).toEqual(expect.arrayContaining(['Pod', 'DaemonSet']));
    for (const m of all) expect(schemaErrors(m), m.kind).toEqual([]);
    expect(fieldErrors(all)).toEqual([]);
  });

  it('the schema check can fail: a misspelt field and a bad quantity are reported', () => {
    const broken = structuredClone(pod);
    (broken.spec.containers[0] as unknown as Record<string, unknown>).volumeMount = [];
    broken.spec.volumes![1]!.emptyDir!.sizeLimit = 'fifty gigs';
    expect(schemaErrors(broken).join('\n')).toMatch(/sizeLimit must match format "quantity"/);
    expect(fieldErrors([broken]).join('\n')).toMatch(/'"volumeMount"' does not exist in type 'IContainer'/);
  });
});

describe('dind-agent-pod.yaml, as the kubernetes plugin creates the pod', () => {
  const built = asThePluginBuildsIt(pod).spec;
  const dind = containerOf(built, 'dind');
  const build = containerOf(built, 'build');

  it('runs dind as a native sidecar with TLS, privileged, and a startup probe the build waits for', () => {
    expect(built.initContainers!.map((c) => c.name)).toEqual(['dind']);
    expect(dind).toMatchObject({ restartPolicy: 'Always', securityContext: { privileged: true } });
    expect(dind.image).toMatch(/^docker:[\w.]+-dind$/);
    expect(envOf(dind, 'DOCKER_TLS_CERTDIR')).toBe('/certs');
    expect(envOf(build, 'DOCKER_HOST')).toBe('tcp://localhost:2376');
    expect(envOf(build, 'DOCKER_TLS_VERIFY')).toBe('1');
  });

  it("lets a bind mount of $WORKSPACE see the workspace: dind resolves the agent's workspace paths to the same volume", () => {
    const workspace = `${build.workingDir}/workspace/app_main`;
    for (const c of built.containers) expect(resolveIn(c, workspace), c.name).toEqual({ volume: 'workspace-volume', inside: '/workspace/app_main', readOnly: false });
    expect(resolveIn(dind, workspace)).toEqual({ volume: 'workspace-volume', inside: '/workspace/app_main', readOnly: false });
    // Without dind's own mount, the plugin would leave it none: the bind mount would be an empty folder of dind's.
    const bare = structuredClone(pod);
    bare.spec.initContainers![0]!.volumeMounts = bare.spec.initContainers![0]!.volumeMounts!.filter((m) => m.name !== 'workspace-volume');
    expect(resolveIn(containerOf(asThePluginBuildsIt(bare).spec, 'dind'), workspace)).toBeUndefined();
  });

  it('gives the build container only the client certificates, never the CA key', () => {
    const certs = build.volumeMounts!.filter((m) => m.name === 'docker-certs');
    expect(certs).toEqual([{ name: 'docker-certs', mountPath: '/certs/client', subPath: 'client', readOnly: true }]);
    expect(envOf(build, 'DOCKER_CERT_PATH')).toBe('/certs/client');
    for (const c of built.containers.filter((c) => c.name !== 'dind')) {
      for (const file of ['/certs/ca/key.pem', '/certs/server/key.pem']) {
        const at = (c.volumeMounts ?? []).map((m) => resolveIn({ ...c, volumeMounts: [m] }, file)).find((r) => r?.volume === 'docker-certs');
        expect(at, `${c.name} sees ${file}`).toBeUndefined();
      }
    }
  });

  it("bounds the engine's disk: docker-data has a sizeLimit, the containers ephemeral-storage requests and limits that cover it", () => {
    const dataLimit = bytes(volumeOf(built, 'docker-data').emptyDir!.sizeLimit!);
    const workspaceLimit = bytes(volumeOf(built, 'workspace-volume').emptyDir!.sizeLimit!);
    for (const c of [dind, build]) {
      expect(c.resources?.requests?.['ephemeral-storage'], c.name).toBeDefined();
      expect(c.resources?.limits?.['ephemeral-storage'], c.name).toBeDefined();
      expect(c.resources?.requests?.cpu && c.resources.requests.memory, c.name).toBeTruthy();
    }
    // The pod's limit (the sum of its containers') is above what its emptyDirs may hold: the volume's own sizeLimit
    // evicts first, and the pod limit catches writable layers and logs.
    const podLimit = [dind, build].reduce((sum, c) => sum + bytes(c.resources!.limits!['ephemeral-storage']!), 0);
    expect(podLimit).toBeGreaterThan(dataLimit + workspaceLimit);
  });

  it("measures against that sizeLimit: WHALEKEEPER_DISK_LIMIT is docker-data's sizeLimit, which whalekeeper accepts", () => {
    const limit = envOf(build, 'WHALEKEEPER_DISK_LIMIT')!;
    expect(limit).toBe(volumeOf(built, 'docker-data').emptyDir!.sizeLimit);
    expect(parseCleanArgs({ agent: true }, undefined, undefined, limit).limitBytes).toBe(bytes(limit));
  });

  it("shows the build container the engine's data root, read-only, at the path the engine reports, and runs it as root to read it", () => {
    const dataRoot = dind.volumeMounts!.find((m) => m.name === 'docker-data')!.mountPath;
    expect(dataRoot).toBe('/var/lib/docker');
    expect(resolveIn(build, `${dataRoot}/image`)).toEqual({ volume: 'docker-data', inside: '/image', readOnly: true });
    expect(build.securityContext?.runAsUser).toBe(0);
  });
});

describe('daemonset.yaml', () => {
  const spec = daemonSet.spec.template!.spec;
  const clean = spec.containers[0]!;

  it('runs a scheduled agent clean that whalekeeper accepts, writing the textfile into the mounted collector folder', () => {
    const args = clean.args!;
    expect(args.slice(0, 2)).toEqual(['clean', '--agent']);
    const flags = Object.fromEntries(
      args.slice(2).map((a) => {
        const [key, value] = a.replace(/^--/, '').split('=');
        return [key!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), value ?? true];
      }),
    );
    const settings = parseCleanArgs({ agent: true, ...flags }, undefined);
    expect(settings.everyMs).toBe(600_000);
    expect(settings.high).toEqual({ kind: 'percent', percent: 80 });
    expect(resolveIn(clean, settings.prometheus!)).toMatchObject({ volume: 'textfile', readOnly: false });
    expect(volumeOf(spec, 'textfile').hostPath).toEqual({ path: '/var/lib/node_exporter/textfile', type: 'DirectoryOrCreate' });
  });

  it('is scheduled only on nodes labelled as running dockerd for CI', () => {
    expect(spec.nodeSelector).toEqual({ 'whalekeeper.io/docker-engine': 'true' });
  });

  it("starts on a containerd node's layout: no hostPath type that needs docker.sock or /var/lib/docker to exist", () => {
    // Types that make the kubelet refuse to start the pod when the path is missing or of another kind.
    const blocking = ['Socket', 'Directory', 'File', 'CharDevice', 'BlockDevice'];
    for (const v of spec.volumes!.filter((v) => v.hostPath)) expect(blocking, v.name).not.toContain(v.hostPath!.type ?? '');
    expect(volumeOf(spec, 'docker-socket').hostPath).toEqual({ path: '/var/run/docker.sock' });
  });

  it("mounts the node's socket, and its data root read-only at the same path", () => {
    expect(resolveIn(clean, '/var/lib/docker/image')).toEqual({ volume: 'docker-data-root', inside: '/image', readOnly: true });
    expect(envOf(clean, 'DOCKER_HOST')).toBe(`unix://${clean.volumeMounts!.find((m) => m.name === 'docker-socket')!.mountPath}`);
  });
});

describe('prometheus/whalekeeper-alerts.yml', () => {
  const rules = resource('prometheus/whalekeeper-alerts.yml');
  const parsed = parseYaml(readFileSync(rules, 'utf8')) as { groups: { rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[] };
  const alerts = parsed.groups.flatMap((g) => g.rules);
  const work = mkdtempSync(join(tmpdir(), 'wk-alerts-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes promtool check rules', async () => {
    const result = await execa('promtool', ['check', 'rules', rules], { reject: false });
    expect(result.stdout).toMatch(new RegExp(`SUCCESS: ${alerts.length} rules found`));
    expect(result.exitCode).toBe(0);
  });

  it('gives every rule a summary and a runbook-style description (what it means, what to do)', () => {
    for (const a of alerts) {
      expect(a.annotations.summary, a.alert).toBeTruthy();
      expect(a.annotations.description?.length ?? 0, a.alert).toBeGreaterThan(150);
    }
  });

  it('fires "full" below the kubelet\'s default hard eviction (nodefs.available < 10%, i.e. 90% used)', () => {
    const full = alerts.find((a) => a.alert === 'DockerDataRootFull')!;
    const threshold = Number(/> ([\d.]+)$/.exec(full.expr)![1]);
    expect(threshold).toBeLessThan(0.9);
  });

  it('reads only metrics whalekeeper writes (disk --prometheus, clean --every --prometheus)', () => {
    const report = diskReport({
      engine: { host: 'h', dataRoot: '/d', serverVersion: '20.10' },
      measure: { ok: true, usage: { path: '/d', totalBytes: 10, usedBytes: 5, availableBytes: 5, usedPercent: 50, inodesTotal: 10, inodesUsed: 1, method: 'statfs' } },
      usage: null, warn: undefined, fail: undefined, now: 0,
    });
    const metrics = renderRoundMetrics(startTally(0), report);
    const used = new Set(alerts.flatMap((a) => a.expr.match(/whalekeeper_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(8);
    for (const name of used) expect(metrics, name).toContain(`\n${name}{`);
  });

  // promtool test rules: for every alert, input series that cross its threshold, and the alerts expected before
  // (none: below, or not yet for its `for`) and after. The description is the rule's own (static text); the
  // summary is written out here as it must render.
  const node = (instance: string) => ({ instance, job: 'node', host: 'unix:///var/run/docker.sock', data_root: '/var/lib/docker' });
  const series = (name: string, instance: string, values: string, extra = '') =>
    ({ series: `${name}{${Object.entries(node(instance)).map(([k, v]) => `${k}="${v}"`).join(',')}${extra}}`, values });
  const expect_ = (alert: string, instance: string | undefined, summary: string, labels: Record<string, string> = {}) => ({
    exp_labels: { severity: alert === 'DockerDataRootFull' ? 'critical' : 'warning', ...(instance ? node(instance) : {}), ...labels },
    exp_annotations: { summary, description: alerts.find((a) => a.alert === alert)!.annotations.description },
  });
  const cases: { name: string; input: { series: string; values: string }[]; checks: { alert: string; at: string; alerts: ReturnType<typeof expect_>[] }[] }[] = [
    {
      name: 'disk filling past 80% for 30m, then full past 85% for 5m',
      input: [series('whalekeeper_disk_used_ratio', 'node-a:9100', '0.75+0.01x10 0.95x40'), series('whalekeeper_disk_used_ratio', 'node-b:9100', '0.79x50')],
      checks: [
        { alert: 'DockerDataRootFilling', at: '30m', alerts: [] },
        { alert: 'DockerDataRootFilling', at: '40m', alerts: [expect_('DockerDataRootFilling', 'node-a:9100', 'Docker data root on node-a:9100 is 95% full')] },
        { alert: 'DockerDataRootFull', at: '10m', alerts: [] },
        { alert: 'DockerDataRootFull', at: '17m', alerts: [expect_('DockerDataRootFull', 'node-a:9100', 'Docker data root on node-a:9100 is 95% full: pods will be evicted at 90%')] },
      ],
    },
    {
      name: 'inodes past 90% for 10m',
      input: [series('whalekeeper_disk_inodes', 'node-a:9100', '1000x40'), series('whalekeeper_disk_inodes_used', 'node-a:9100', '800+20x10 990x30')],
      checks: [
        { alert: 'DockerDataRootInodesLow', at: '14m', alerts: [] },
        { alert: 'DockerDataRootInodesLow', at: '20m', alerts: [expect_('DockerDataRootInodesLow', 'node-a:9100', 'Docker data root on node-a:9100 has used 99% of its inodes')] },
      ],
    },
    {
      name: 'not measured for 15m',
      input: [series('whalekeeper_disk_measured', 'node-a:9100', '1x5 0x30')],
      checks: [
        { alert: 'DockerDataRootNotMeasured', at: '19m', alerts: [] },
        { alert: 'DockerDataRootNotMeasured', at: '25m', alerts: [expect_('DockerDataRootNotMeasured', 'node-a:9100', 'whalekeeper cannot measure the Docker data root on node-a:9100')] },
      ],
    },
    {
      name: 'metrics no longer rewritten (stale), then a file gone from one node (vanished)',
      input: [series('whalekeeper_disk_last_run_timestamp_seconds', 'node-a:9100', '0+60x20 1200x100'), series('whalekeeper_disk_last_run_timestamp_seconds', 'node-b:9100', '0+60x30'), series('whalekeeper_disk_last_run_timestamp_seconds', 'node-c:9100', '0+60x120')],
      checks: [
        { alert: 'WhalekeeperMetricsStale', at: '50m', alerts: [] },
        { alert: 'WhalekeeperMetricsStale', at: '60m', alerts: [expect_('WhalekeeperMetricsStale', 'node-a:9100', "whalekeeper's metrics on node-a:9100 are 40m 0s old")] },
        { alert: 'WhalekeeperMetricsVanished', at: '65m', alerts: [] },
        { alert: 'WhalekeeperMetricsVanished', at: '75m', alerts: [{ exp_labels: { severity: 'warning', instance: 'node-b:9100' }, exp_annotations: expect_('WhalekeeperMetricsVanished', undefined, "whalekeeper's metrics are gone from node-b:9100").exp_annotations }] },
      ],
    },
    {
      name: 'no whalekeeper metrics at all (absent)',
      input: [{ series: 'up{job="node",instance="node-a:9100"}', values: '1x40' }],
      checks: [
        { alert: 'WhalekeeperMetricsAbsent', at: '29m', alerts: [] },
        { alert: 'WhalekeeperMetricsAbsent', at: '31m', alerts: [{ exp_labels: { severity: 'warning' }, exp_annotations: expect_('WhalekeeperMetricsAbsent', undefined, 'No whalekeeper metrics from any node').exp_annotations }] },
      ],
    },
    {
      name: 'clean rounds failing (across a restart: the counter resets), never succeeding, restarting',
      input: [
        series('whalekeeper_clean_rounds_total', 'node-a:9100', '0x10 1x10 0x10 1x10 2x10 3x20', ',result="failed"'),
        series('whalekeeper_clean_rounds_total', 'node-b:9100', '0x30 1x40', ',result="failed"'),
        series('whalekeeper_clean_last_ok_timestamp_seconds', 'node-a:9100', '0+60x10 600x120'),
        series('whalekeeper_clean_started_timestamp_seconds', 'node-a:9100', '0x10 600x10 1200x10 1800x30'),
        series('whalekeeper_clean_started_timestamp_seconds', 'node-b:9100', '0x60'),
      ],
      checks: [
        { alert: 'WhalekeeperCleanRoundsFailing', at: '25m', alerts: [] },
        { alert: 'WhalekeeperCleanRoundsFailing', at: '55m', alerts: [{ ...expect_('WhalekeeperCleanRoundsFailing', 'node-a:9100', 'Clean rounds keep failing on node-a:9100', { result: 'failed' }) }] },
        { alert: 'WhalekeeperCleanNotSucceeding', at: '95m', alerts: [] },
        { alert: 'WhalekeeperCleanNotSucceeding', at: '105m', alerts: [expect_('WhalekeeperCleanNotSucceeding', 'node-a:9100', 'No clean round has succeeded on node-a:9100 for over an hour')] },
        { alert: 'WhalekeeperCleanRestarting', at: '15m', alerts: [] },
        { alert: 'WhalekeeperCleanRestarting', at: '35m', alerts: [expect_('WhalekeeperCleanRestarting', 'node-a:9100', "whalekeeper's clean on node-a:9100 restarted 3 times in an hour")] },
      ],
    },
  ];

  it('passes promtool test rules with series crossing every threshold, each alert tested', async () => {
    const tests = cases.map((c) => ({
      name: c.name,
      interval: '1m',
      input_series: c.input,
      alert_rule_test: c.checks.map((k) => ({ eval_time: k.at, alertname: k.alert, exp_alerts: k.alerts })),
    }));
    const file = join(work, 'whalekeeper-alerts.test.yml');
    writeFileSync(file, stringify({ rule_files: [rules], evaluation_interval: '1m', tests }, { lineWidth: 0 }));
    const result = await execa('promtool', ['test', 'rules', file], { reject: false, all: true });
    expect(result.all).toMatch(/SUCCESS/);
    expect(result.exitCode).toBe(0);
    const tested = new Set(cases.flatMap((c) => c.checks.filter((k) => k.alerts.length > 0).map((k) => k.alert)));
    expect([...tested].sort()).toEqual(alerts.map((a) => a.alert).sort());
  });

  it('the promtool tests can fail: an alert expected where the series stay below the threshold', async () => {
    const below = [{ name: 'below', interval: '1m', input_series: [series('whalekeeper_disk_used_ratio', 'node-a:9100', '0.79x50')], alert_rule_test: [{ eval_time: '40m', alertname: 'DockerDataRootFilling', exp_alerts: [expect_('DockerDataRootFilling', 'node-a:9100', 'Docker data root on node-a:9100 is 79% full')] }] }];
    const file = join(work, 'below.test.yml');
    writeFileSync(file, stringify({ rule_files: [rules], evaluation_interval: '1m', tests: below }, { lineWidth: 0 }));
    const result = await execa('promtool', ['test', 'rules', file], { reject: false, all: true });
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/FAILED/);
  });
});
