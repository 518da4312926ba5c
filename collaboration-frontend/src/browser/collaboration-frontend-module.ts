import { ContainerModule } from '@theia/core/shared/inversify';
import { bindCollaborationPreferences } from './collaboration-preferences';
import { bindCursors } from './cursors/bind-cursors';
import { bindFollow } from './follow/bind-follow';
import { bindEditorSync } from './editor-sync/bind-editor-sync';
import { bindLanguageFeatures } from './language-features/bind-language-features';
import { bindJoinApproval } from './join-approval/join-approval-bindings';
import { bindParticipantsView } from './participants/participants-bindings';
import { bindCollaborationSession } from './session/session-bindings';
import { bindWorkspaceSharing } from './workspace/bind-workspace-sharing';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bindCollaborationPreferences(bind);
    bindCollaborationSession(bind);
    bindJoinApproval(bind);
    bindParticipantsView(bind);
    bindWorkspaceSharing(bind, rebind);
    bindEditorSync(bind);
    bindCursors(bind);
    bindFollow(bind);
    bindLanguageFeatures(bind);
});
