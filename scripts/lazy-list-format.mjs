// Injected into every bundle by scripts/build.mjs, which turns each `Intl.ListFormat` into this class: a list format
// made on its first use. The first Intl.ListFormat of a process loads ICU's data (measured here: 19 ms, a quarter of
// `node -e 0`); got's type checker (@sindresorhus/is) makes two when it loads, for its error messages only.
export class LazyListFormat {
  #args;
  #real;
  constructor(...args) {
    this.#args = args;
  }
  #format() {
    return (this.#real ??= new globalThis.Intl.ListFormat(...this.#args));
  }
  format(list) {
    return this.#format().format(list);
  }
  formatToParts(list) {
    return this.#format().formatToParts(list);
  }
  resolvedOptions() {
    return this.#format().resolvedOptions();
  }
  static supportedLocalesOf(...args) {
    return globalThis.Intl.ListFormat.supportedLocalesOf(...args);
  }
}
