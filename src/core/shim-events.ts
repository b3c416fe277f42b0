// Events of `whalekeeper shim`.

/** Events of `whalekeeper shim install|uninstall|print`. */
export type ShimEvent =
  /** The shim was written; `pathLine` is the line to add to a profile, unless `onPath` already. */
  | { readonly type: 'shim-installed'; readonly path: string; readonly dir: string; readonly onPath: boolean; readonly pathLine: string }
  | { readonly type: 'shim-uninstalled'; readonly path: string; readonly removed: boolean }
  /** `shim print`: the shell function, for stdout. */
  | { readonly type: 'shim-function'; readonly text: string };
