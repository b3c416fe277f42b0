// For `npm run demo` (scripts/demo.sh bundles this with esbuild): starts node_exporter, Prometheus and Alertmanager
// on loopback, as test/monitoring/e2e.test.ts does, prints their addresses, and stops them on SIGTERM or SIGINT.
//   node serve-monitoring.mjs TEXTFILE_DIR RULES_FILE
// The rules are RULES_FILE's (the shipped file) with every `for:` shortened to 1s (a demo lasts seconds, not hours).
import { readFileSync } from 'node:fs';
import { shortenedRules } from './monitoring.js';
import { startMonitoring } from './monitoring-stack.js';

const [dir, rules] = process.argv.slice(2);
if (!dir || !rules) throw new Error('usage: serve-monitoring TEXTFILE_DIR RULES_FILE');
const stack = await startMonitoring(dir, shortenedRules('1s', {}, readFileSync(rules, 'utf8')));
process.stdout.write(`PROMETHEUS=${stack.prometheus}\nALERTMANAGER=${stack.alertmanager}\nNODE_EXPORTER=${stack.nodeExporter}\n`);
const stop = (): void => void stack.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
setInterval(() => undefined, 60_000);
