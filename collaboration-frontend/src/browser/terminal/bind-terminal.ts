import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import type { interfaces } from '@theia/core/shared/inversify';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { TerminalDiagnosticsContribution } from './terminal-diagnostics';
import { TerminalSharingCommandContribution } from './terminal-sharing-commands';
import { TerminalSharingService } from './terminal-sharing-service';
import { TerminalTypingStatus } from './terminal-typing-status';

/** Shared terminals: the host shares its terminals, guests watch (and, when allowed, type in) them. Needs @theia/terminal. */
export function bindTerminalSharing(bind: interfaces.Bind): void {
    bind(TerminalSharingService).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(TerminalSharingService);
    bind(TerminalSharingCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(TerminalSharingCommandContribution);
    bind(MenuContribution).toService(TerminalSharingCommandContribution);
    bind(TerminalTypingStatus).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(TerminalTypingStatus);
    bind(TerminalDiagnosticsContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(TerminalDiagnosticsContribution);
}
