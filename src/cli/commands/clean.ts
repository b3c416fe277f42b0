// The `clean` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import type { CommandDefinition } from '../definition.js';

const EXIT_CODES = [
  'Exit codes:',
  '  0   done, including nothing to do; objects that vanished (404) or came into use (409) meanwhile are counted, not errors',
  '  1   some removals failed for another reason (each is reported; the run carried on),',
  '      or --target was not reached (the report says what remains and why)',
  '  2   usage error',
  '  3   the Docker engine could not be reached (one line naming the host), or was lost midway',
  '      (the report first says what was removed before)',
  '  4   the engine refuses the Engine API version whalekeeper speaks',
  '  5   --target or --high given and the disk could not be measured (the warning says why); what could be',
  '      removed without the figure was, and is reported. With --every such a round is a failed round',
  '      (the loop goes on; the metrics count it as failed)',
].join('\n');

/** `whalekeeper clean`. */
export const cleanDefinition: CommandDefinition = {
  command: 'clean',
  describe: "remove a build's objects (default), or clean the whole engine safely (--agent)",
  builder: (yargs: Argv) =>
    yargs
      .usage(
        [
          'whalekeeper [--build ID] clean [--dry-run]',
          'whalekeeper clean --agent [--grace 1h] [--images unused] [--volumes] [--build-cache [KEEP]] [--target 50%] [--every 10m --high 85%]',
          '',
          'Without --agent: removes everything labelled with the build (--build, or the CI build): its containers in any',
          'state with their anonymous volumes, and its networks. Nothing of another build.',
          'With --agent: stopped containers (exited, created, dead) created longer ago than --grace, dangling images, and',
          'unused networks; never running/paused/restarting containers, kubelet containers, anything labelled',
          'whalekeeper.keep=true, images matching --keep-image, or an image a remaining container uses.',
          '--dry-run prints the plan (each object, the rule that selected it, its bytes); the real run carries out that plan.',
        ].join('\n'),
      )
      .option('agent', { type: 'boolean', describe: 'Clean the whole engine (for a schedule or a full disk), not one build' })
      .option('dry-run', { type: 'boolean', alias: 'n', describe: 'Print the plan and remove nothing' })
      .option('grace', { type: 'string', describe: 'Keep objects created (images: last used) more recently than this (--agent; default 1h)' })
      .option('images', { type: 'string', choices: ['dangling', 'unused'], describe: 'Which images --agent removes: dangling (default) or every unused one older than --grace' })
      .option('volumes', { type: 'boolean', describe: 'Also remove anonymous volumes no container uses (--agent)' })
      .option('networks', { type: 'boolean', describe: 'Remove unused non-built-in networks (--agent; default true, --no-networks to keep them)' })
      .option('build-cache', { type: 'string', describe: 'Prune the build cache down to this size to keep (--agent; e.g. 5GB; alone: 0)' })
      .option('keep-image', { type: 'string', array: true, describe: 'Never remove images matching this glob (repeatable; `node` matches every tag)' })
      .option('target', { type: 'string', describe: 'Then remove unused images, least recently used first, until the data root filesystem is at or below this (50% or 20GB used)' })
      .option('sizes', { type: 'boolean', describe: 'Ask the engine for container sizes so the plan shows them (slower on big engines)' })
      .option('measure-image', { type: 'string', describe: 'When the data root is not visible here (remote engine): measure it in a short-lived container of this image (default: a busybox, alpine, debian or ubuntu image present)' })
      .option('limit', { type: 'string', describe: "Measure the data root's bytes against this size (e.g. 50Gi, a DinD emptyDir's sizeLimit) for --target and --high, not its filesystem. Default: WHALEKEEPER_DISK_LIMIT" })
      .option('prometheus', { type: 'string', describe: 'With --every: rewrite this node_exporter textfile after each round (what disk --prometheus writes, plus bytes freed and rounds by result)' })
      .option('every', { type: 'string', describe: 'Keep running: one round every DURATION (10m, 1h), one log line per round; survives engine restarts, but exits after 3 rounds in a row that could not speak to the engine (a silent one: and 5 min)' })
      .option('high', { type: 'string', describe: 'With --every: act only when the filesystem is above this watermark (85% or 40GB)' })
      .example('whalekeeper clean', "at the end of a build: remove the build's containers, volumes and networks")
      .example('whalekeeper clean --agent --dry-run', 'what a scheduled clean would remove, and why')
      .example('whalekeeper clean --agent --volumes --target 50%', 'a full disk: leftovers, then least recently used images until 50% used')
      .example('whalekeeper clean --agent --every 15m --high 80% --target 60%', 'as a DaemonSet: clean each node when it fills')
      .example('whalekeeper clean --agent --limit 50Gi --target 70%', "in a DinD pod whose docker-data emptyDir has sizeLimit: 50Gi")
      .epilog(EXIT_CODES),
  handler: async (argv, ctx) => (await import('../wire/clean.js')).cleanCommand(argv, ctx),
};
