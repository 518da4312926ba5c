import { ContainerModule } from '@theia/core/shared/inversify';
import { bindCollaborationPreferences } from './collaboration-preferences';
import { bindJoinApproval } from './join-approval/join-approval-bindings';
import { bindParticipantsView } from './participants/participants-bindings';
import { bindCollaborationSession } from './session/session-bindings';

export default new ContainerModule(bind => {
    bindCollaborationPreferences(bind);
    bindCollaborationSession(bind);
    bindJoinApproval(bind);
    bindParticipantsView(bind);
});
