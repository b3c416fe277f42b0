// Preloaded (node -r) by test/cli/startup.test.ts: records every file the process reads through fs.readFileSync (Node's
// CommonJS loader and whalekeeper's bundle loader both do) and Node's built-in modules it loaded, into $WK_TRACE_FILE.
const fs = require('node:fs');
const readFileSync = fs.readFileSync;
const read = [];
fs.readFileSync = function traced(path, ...rest) {
  if (typeof path === 'string') read.push(path);
  return readFileSync.call(this, path, ...rest);
};
process.on('exit', () => {
  fs.writeFileSync(process.env.WK_TRACE_FILE, JSON.stringify({ read, builtins: process.moduleLoadList }));
});
