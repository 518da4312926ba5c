import { CommandContribution, CommandRegistry, type Command } from '@theia/core/lib/common/command';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ENSEMBLE_COMMAND_CATEGORY } from '../session/session-commands';
import { GuestDebugMirrors } from './guest/guest-debug-mirrors';

export namespace DebugSharingCommands {
    /** Stopping a mirrored session only detaches the guest; this brings the host's sessions back. */
    export const ATTACH_TO_HOST: Command = { id: 'ensemble.debug.attachToHost', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Attach to the Host\'s Debug Sessions' };
}

@injectable()
export class DebugSharingCommandContribution implements CommandContribution {
    @inject(GuestDebugMirrors) protected readonly mirrors!: GuestDebugMirrors;

    registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(DebugSharingCommands.ATTACH_TO_HOST, {
            isEnabled: () => this.mirrors.canReattach,
            isVisible: () => this.mirrors.canReattach,
            execute: () => this.mirrors.reattach()
        });
    }
}
