import { EmbeddedServerService, EMBEDDED_SERVER_PATH } from '@ensemble/collaboration-backend/lib/common/embedded-server-protocol';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { CommandContribution } from '@theia/core/lib/common/command';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import type { interfaces } from '@theia/core/shared/inversify';
import { ActiveDocumentStatus } from './active-document-status';
import { CollaborationSessionService } from './collaboration-session-service';
import { DisplayNamePrompt } from './display-name-prompt';
import { CollaborationSessionContribution } from './session-contribution';
import { SessionCommandContribution } from './session-command-contribution';
import { SessionNotifier } from './session-notifier';
import { SessionResumeContribution } from './session-resume-contribution';
import { SessionResumeStorage, SessionResumeStore } from './session-resume-store';
import { SessionStatusBar } from './session-status-bar';
import { ServerUrlResolver } from './server-url-resolver';

/** The session service (for every extension), its commands, status-bar item and notifications. */
export function bindCollaborationSession(bind: interfaces.Bind): void {
    bind(EmbeddedServerService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<EmbeddedServerService>(ctx.container, EMBEDDED_SERVER_PATH)
    ).inSingletonScope();
    bind(ServerUrlResolver).toSelf().inSingletonScope();
    bindContributionProvider(bind, CollaborationSessionContribution);
    bind(CollaborationSessionService).toSelf().inSingletonScope();
    bind(SessionResumeStorage).toDynamicValue(() => window.sessionStorage).inSingletonScope();
    bind(SessionResumeStore).toSelf().inSingletonScope();
    bind(SessionResumeContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(SessionResumeContribution);

    bind(ActiveDocumentStatus).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(ActiveDocumentStatus);

    bind(DisplayNamePrompt).toSelf().inSingletonScope();
    bind(SessionCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(SessionCommandContribution);
    bind(SessionStatusBar).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(SessionStatusBar);
    bind(SessionNotifier).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(SessionNotifier);
}
