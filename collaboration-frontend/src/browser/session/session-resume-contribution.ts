import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from './collaboration-session-service';

/**
 * After a reload of this window, takes it back into the session it was in
 * (as host or guest, with the same identity, without asking the host again);
 * the server kept the room for the host's grace period meanwhile. Failures
 * reach the user through the session state like any failed join.
 */
@injectable()
export class SessionResumeContribution implements FrontendApplicationContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(ILogger) protected readonly logger!: ILogger;

    onStart(): void {
        // Not awaited: the workbench must not wait for the network.
        this.sessions.resumeSession().catch(error => this.logger.warn('Ensemble: could not take this window back into its session after the reload', error));
    }

    onStop(): void {
        this.sessions.rememberForReload();
    }
}
