// `clean`'s raw options -> validated CleanSettings (policy, dry run, schedule), before any effect.
import type { CleanPolicy } from './plan.js';
import { UsageError } from '../errors.js';
import { compileGlob } from '../glob.js';
import { parseDuration, parseSize, parseThreshold, resolveLimit, type Threshold } from '../units.js';

/** Everything `clean` was asked to do. */
export interface CleanSettings {
  readonly policy: CleanPolicy;
  readonly dryRun: boolean;
  /** With --every: the pause between rounds. */
  readonly everyMs: number | undefined;
  /** With --every: act only when the filesystem is above this. */
  readonly high: Threshold | undefined;
  /** List container sizes (costly on big engines) so the plan shows the bytes each container frees. */
  readonly sizes: boolean;
  /** Image for the helper container that measures a data root not visible here; undefined: pick one present. */
  readonly measureImage: string | undefined;
  /** --limit: measure the data root's bytes against this size (a DinD emptyDir's sizeLimit), not its filesystem. */
  readonly limitBytes: number | undefined;
  /** With --every: rewrite this node_exporter textfile after every round (disk metrics and the rounds'). */
  readonly prometheus: string | undefined;
}

/** The raw options as yargs hands them over. */
export interface CleanArgs {
  readonly agent?: boolean;
  readonly grace?: string;
  readonly images?: string;
  readonly volumes?: boolean;
  readonly networks?: boolean;
  readonly buildCache?: string;
  readonly keepImage?: readonly string[] | string;
  readonly target?: string;
  readonly dryRun?: boolean;
  readonly every?: string;
  readonly high?: string;
  readonly sizes?: boolean;
  readonly measureImage?: string;
  readonly limit?: string;
  readonly prometheus?: string;
}

/** Default grace period: docker-gc's hour, long enough for a concurrent build to start the container it created. */
export const DEFAULT_GRACE = '1h';

/**
 * Validates the options; `build` is the resolved build identity (--build or the CI's), `scope` the part of that build
 * a build-scoped clean is narrowed to (--scope; ignored with --agent, which cleans the engine by age), `envLimit`
 * the value of WHALEKEEPER_DISK_LIMIT (--limit overrides it).
 */
export function parseCleanArgs(args: CleanArgs, build: string | undefined, scope?: string, envLimit?: string): CleanSettings {
  const agent = args.agent === true;
  const agentOnly = (['images', 'buildCache', 'target', 'every', 'high', 'limit', 'prometheus'] as const).filter((k) => args[k] !== undefined);
  if (!agent && agentOnly.length > 0) {
    const flag = agentOnly[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(`--${flag} needs --agent (a build-scoped clean removes only the build's own objects)`);
  }
  if (!agent && build === undefined) {
    throw new UsageError('clean needs a build to clean up (--build ID, or a CI build environment) or --agent for the whole engine');
  }
  if (args.images !== undefined && args.images !== 'dangling' && args.images !== 'unused') {
    throw new UsageError(`--images takes \`dangling\` or \`unused\`, not \`${args.images}\``);
  }
  const patterns = args.keepImage === undefined ? [] : Array.isArray(args.keepImage) ? args.keepImage : [args.keepImage as string];
  const everyMs = args.every === undefined ? undefined : parseDuration(args.every, '--every');
  if (everyMs !== undefined && everyMs < 1000) throw new UsageError(`--every takes at least 1s, not \`${args.every}\``);
  if (args.high !== undefined && everyMs === undefined) throw new UsageError('--high needs --every (it is the watermark a scheduled round starts at)');
  if (args.prometheus !== undefined && everyMs === undefined) throw new UsageError('--prometheus needs --every (a single clean writes no metrics; `disk --prometheus` does)');
  if (everyMs !== undefined && args.dryRun) throw new UsageError('--dry-run and --every do not go together');
  return {
    policy: {
      scope: agent ? { kind: 'agent' } : scope === undefined ? { kind: 'build', build: build! } : { kind: 'build', build: build!, scope },
      graceMs: parseDuration(args.grace ?? DEFAULT_GRACE, '--grace'),
      images: args.images === 'unused' ? 'unused' : 'dangling',
      volumes: args.volumes === true,
      networks: args.networks !== false,
      buildCacheKeepBytes: args.buildCache === undefined ? undefined : args.buildCache === '' ? 0 : parseSize(args.buildCache, '--build-cache'),
      keepImages: patterns.map(compileGlob),
      target: args.target === undefined ? undefined : parseThreshold(args.target, '--target'),
    },
    dryRun: args.dryRun === true,
    everyMs,
    high: args.high === undefined ? undefined : parseThreshold(args.high, '--high'),
    sizes: args.sizes === true,
    measureImage: args.measureImage,
    // WHALEKEEPER_DISK_LIMIT (a pod template's) applies to the agent scope only: a build's clean measures nothing.
    limitBytes: resolveLimit(args.limit, agent ? envLimit : undefined),
    prometheus: args.prometheus,
  };
}
