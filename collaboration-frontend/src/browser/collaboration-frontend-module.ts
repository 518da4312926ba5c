import { ContainerModule } from '@theia/core/shared/inversify';
import { bindCollaborationPreferences } from './collaboration-preferences';
import { bindCursors } from './cursors/bind-cursors';
import { bindDebug } from './debug/bind-debug';
import { bindFollow } from './follow/bind-follow';
import { bindEditorSync } from './editor-sync/bind-editor-sync';
import { bindLanguageFeatures } from './language-features/bind-language-features';
import { bindJoinApproval } from './join-approval/join-approval-bindings';
import { bindParticipantsView } from './participants/participants-bindings';
import { bindCollaborationSession } from './session/session-bindings';
import { bindWorkspaceSharing } from './workspace/bind-workspace-sharing';
import { bindTerminalSharing } from './terminal/bind-terminal';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bindCollaborationPreferences(bind);
    bindCollaborationSession(bind);
    bindJoinApproval(bind);
    bindParticipantsView(bind);
    bindWorkspaceSharing(bind, rebind);
    bindEditorSync(bind, rebind);
    bindCursors(bind);
    bindFollow(bind);
    bindTerminalSharing(bind);
    bindDebug(bind, rebind);
    bindLanguageFeatures(bind);
});
