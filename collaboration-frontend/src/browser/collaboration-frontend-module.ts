import { ContainerModule } from '@theia/core/shared/inversify';
import { bindCollaborationPreferences } from './collaboration-preferences';

export default new ContainerModule(bind => {
    bindCollaborationPreferences(bind);
});
