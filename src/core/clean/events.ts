// Events of `ls`, `clean` and `disk`.
import type { CleanupPlan, PlannedAction } from './plan.js';
import type { CleanReport } from './report.js';
import type { DiskReport } from '../disk-status.js';
import type { LsResult } from '../ls-view.js';

/** Events of `clean`. */
export type CleanEvent =
  /** `--dry-run`: the plan, the result of the command (stdout). */
  | { readonly type: 'clean-plan'; readonly plan: CleanupPlan; readonly verbose: boolean }
  /** A real run's result (stdout), with the plan it carried out. */
  | { readonly type: 'clean-report'; readonly report: CleanReport; readonly plan: CleanupPlan }
  /** Between target chunks: the filesystem measured again. */
  | { readonly type: 'clean-measure'; readonly usedBytes: number; readonly usedPercent: number; readonly limitBytes: number; readonly reached: boolean }
  /** A removal failed for a reason other than the normal races; the run carries on. */
  | { readonly type: 'clean-failed'; readonly action: PlannedAction; readonly message: string }
  /** `--every`: one line per round. */
  | { readonly type: 'clean-round'; readonly round: number; readonly summary: string };

/** Events of `ls` and `disk`. */
export type InventoryEvent =
  | { readonly type: 'ls-result'; readonly result: LsResult }
  | { readonly type: 'disk-result'; readonly report: DiskReport };
