/**
 * Hooks let a builder hand control back to core at fixed points (Packer's packersdk.Hook). The provision step
 * runs HOOK_PROVISION, which core answers by running the build's provisioners in order; the same step's cleanup
 * runs HOOK_CLEANUP_PROVISION (the error-cleanup-provisioner) when the build failed.
 */
import type { Communicator } from "./communicator.js";
import type { Ui } from "./ui.js";

export const HOOK_PROVISION = "packer_provision";
export const HOOK_CLEANUP_PROVISION = "packer_cleanup_provision";

/**
 * Data a builder generates for provisioners and post-processors (`build.ID`, `build.Host`, ... in HCL,
 * `{{ build `ID` }}` in JSON): the common keys of §5.1 plus builder-declared ones.
 */
export type GeneratedData = Readonly<Record<string, string | number | boolean>>;

export interface Hook {
  /**
   * Runs the hook named `name`. Resolves when done; rejects with the first failure. `communicator` is
   * undefined when the builder has none.
   */
  run(
    name: string,
    ui: Ui,
    communicator: Communicator | undefined,
    data: GeneratedData,
    signal: AbortSignal,
  ): Promise<void>;
}
