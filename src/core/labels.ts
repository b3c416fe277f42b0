// The ownership model: every label whalekeeper writes or reads, and the functions that build and parse them.
// Reaping, `ls` ownership and build-scoped `clean` all select by these labels.

/** The namespace of whalekeeper's labels. */
export const LABEL_PREFIX = 'whalekeeper.';

/** Label keys. `managed` marks anything whalekeeper made; `build` the build that made it; `run` one `whalekeeper run`. */
export const LABELS = {
  managed: 'whalekeeper.managed',
  build: 'whalekeeper.build',
  run: 'whalekeeper.run',
  /** A part of a build (e.g. one `withDockerCleanup` block): `clean --scope` removes only that part. */
  scope: 'whalekeeper.scope',
  version: 'whalekeeper.version',
  /** Set by users on anything `clean --agent` must never remove. */
  keep: 'whalekeeper.keep',
} as const;

/** Labels the kubelet (dockershim / cri-dockerd) sets on the containers it manages. */
export const KUBERNETES_LABEL_PREFIX = 'io.kubernetes.';

/** The `KEY=VALUE` labels `run` puts on a container. */
export function runLabels(input: { runId: string; build: string | undefined; version: string; scope?: string | undefined }): string[] {
  const labels = [`${LABELS.managed}=true`, `${LABELS.run}=${input.runId}`, `${LABELS.version}=${input.version}`];
  if (input.build !== undefined) labels.push(`${LABELS.build}=${input.build}`);
  if (input.scope !== undefined) labels.push(`${LABELS.scope}=${input.scope}`);
  return labels;
}

/** The OCI image annotations `build` sets (image-spec annotations.md), where their values are known. */
export const OCI_LABELS = {
  version: 'org.opencontainers.image.version',
  revision: 'org.opencontainers.image.revision',
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
} as const;

/** The `[KEY, VALUE]` ownership labels `build` puts on an image: made by whalekeeper, and by which build if known. */
export function imageLabels(input: { build: string | undefined }): Array<[string, string]> {
  const labels: Array<[string, string]> = [[LABELS.managed, 'true']];
  if (input.build !== undefined) labels.push([LABELS.build, input.build]);
  return labels;
}

/** The docker filter (`label=KEY=VALUE`) that finds the container of one `whalekeeper run`. */
export function runFilter(runId: string): string {
  return `label=${LABELS.run}=${runId}`;
}

/** Who owns an object on the engine, judged by its labels. */
export type Owner =
  | { readonly kind: 'this-build'; readonly build: string }
  | { readonly kind: 'other-build'; readonly build: string }
  | { readonly kind: 'whalekeeper' }
  | { readonly kind: 'kubelet'; readonly pod: string | undefined }
  | { readonly kind: 'unmanaged' };

/** Classifies an object's owner from its labels, relative to the current build (if any). */
export function ownerOf(labels: Readonly<Record<string, string>> | null | undefined, currentBuild: string | undefined): Owner {
  const l = labels ?? {};
  const build = l[LABELS.build];
  if (build !== undefined && build !== '') {
    return build === currentBuild ? { kind: 'this-build', build } : { kind: 'other-build', build };
  }
  if (l[LABELS.managed] === 'true') return { kind: 'whalekeeper' };
  if (Object.keys(l).some((k) => k.startsWith(KUBERNETES_LABEL_PREFIX))) {
    return { kind: 'kubelet', pod: l['io.kubernetes.pod.name'] };
  }
  return { kind: 'unmanaged' };
}

/** True when the object carries `whalekeeper.keep=true`. */
export function isKept(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  return labels?.[LABELS.keep] === 'true';
}
