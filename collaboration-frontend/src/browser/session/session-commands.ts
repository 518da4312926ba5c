import type { Command } from '@theia/core/lib/common/command';

export const ENSEMBLE_COMMAND_CATEGORY = 'Ensemble';

/** Every session command has a category and a label, so the palette shows "Ensemble: Start Session" and so on. */
export namespace SessionCommands {
    export const START: Command = { id: 'ensemble.session.start', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Start Session' };
    export const JOIN: Command = { id: 'ensemble.session.join', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Join Session' };
    export const LEAVE: Command = { id: 'ensemble.session.leave', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Leave Session' };
    export const END: Command = { id: 'ensemble.session.end', category: ENSEMBLE_COMMAND_CATEGORY, label: 'End Session' };
    export const COPY_INVITE: Command = { id: 'ensemble.session.copyInvite', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Copy Invite' };
    export const SHOW_JOIN_REQUESTS: Command = { id: 'ensemble.session.showJoinRequests', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Show Join Requests' };
    /** What the status-bar item runs: a menu of the actions that apply now. */
    export const SHOW_ACTIONS: Command = { id: 'ensemble.session.showActions', category: ENSEMBLE_COMMAND_CATEGORY, label: 'Show Session Actions' };
}
