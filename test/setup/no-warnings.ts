// Node warnings fail the test that caused them (execa's rule): a warning today is a bug tomorrow.
process.on('warning', (warning) => {
  throw warning;
});
