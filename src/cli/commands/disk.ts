// The `disk` command's definition for yargs: help text and a lazy handler.
import type { Argv } from 'yargs';
import type { CommandDefinition } from '../definition.js';

const EXIT_CODES = [
  'Exit codes:',
  '  0   below --fail (or no --fail given)',
  '  1   above --fail',
  '  2   usage error',
  '  3   the Docker engine could not be reached',
  '  5   --fail given and the data root could not be measured (no mount, no helper image): never read as fine',
].join('\n');

/** `whalekeeper disk`. */
export const diskDefinition: CommandDefinition = {
  command: 'disk',
  describe: "usage of the engine's data root filesystem and the engine's breakdown; thresholds and Prometheus metrics",
  builder: (yargs: Argv) =>
    yargs
      .usage(
        [
          'whalekeeper disk [--warn 80%] [--fail 90%] [--limit 50Gi] [--prometheus FILE]',
          '',
          "Measures the filesystem that holds the engine's data root (bytes, percent, inodes) with statfs when",
          'the engine is local, and shows what the engine says it holds (images, containers, volumes, build',
          "cache, reclaimable). With the containerd image store on a host install, the images are in the system",
          "containerd's root, often another filesystem: each filesystem holding engine data is measured, and the",
          'fullest is held against --warn and --fail (the containerd store of docker:dind keeps them under the',
          'data root). When the data root is not visible here (a remote engine), a short-lived container of an',
          'image already present mounts it read-only and runs `stat -f`; without such an image the report says',
          'what could not be measured, and what to do (exit 5 under --fail: never read as fine).',
          "With --limit (a DinD emptyDir with a sizeLimit, whose statfs figures are the node's), percentages are",
          'of the bytes the data root holds against the limit, counted as the kubelet counts them (the data root',
          'mounted read-only here).',
        ].join('\n'),
      )
      .option('warn', { type: 'string', describe: 'Status warn above this (85% or 40GB used)' })
      .option('fail', { type: 'string', describe: 'Status fail and exit 1 above this' })
      .option('prometheus', { type: 'string', describe: 'Write node_exporter textfile-collector metrics to FILE (atomically)' })
      .option('measure-image', { type: 'string', describe: 'When the data root is not visible here (remote engine): measure it in a short-lived container of this image (default: a busybox, alpine, debian or ubuntu image present)' })
      .option('limit', { type: 'string', describe: "Measure the data root's bytes against this size (e.g. 50Gi, an emptyDir's sizeLimit), not its filesystem; needs the data root visible here. Default: WHALEKEEPER_DISK_LIMIT" })
      .option('breakdown', { type: 'boolean', default: true, describe: "Read the engine's breakdown (`system df`, slow on big engines); --no-breakdown skips it" })
      .example('whalekeeper disk --warn 80% --fail 90%', 'for a monitoring job')
      .example('whalekeeper disk --limit 50Gi --fail 90%', "in a DinD pod whose docker-data emptyDir has sizeLimit: 50Gi")
      .example('whalekeeper disk --prometheus /var/lib/node_exporter/textfile/whalekeeper.prom', 'from cron, for alerting')
      .epilog(EXIT_CODES),
  handler: async (argv, ctx) => (await import('../wire/disk.js')).diskCommand(argv, ctx),
};
