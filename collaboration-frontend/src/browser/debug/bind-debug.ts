import { CommandContribution } from '@theia/core/lib/common/command';
import type { interfaces } from '@theia/core/shared/inversify';
import { DebugSessionContribution } from '@theia/debug/lib/browser/debug-session-contribution';
import { DebugSessionManager } from '@theia/debug/lib/browser/debug-session-manager';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { BreakpointSync } from './breakpoints/breakpoint-sync';
import { GlobalBreakpointSync } from './breakpoints/global-breakpoint-sync';
import { DebugSharingCommandContribution } from './debug-commands';
import { DebugSharingContribution } from './debug-sharing-contribution';
import { GuestDebugMirrors } from './guest/guest-debug-mirrors';
import {
    EnsembleDebugSessionManager, MirrorChannels, MirroredDebugSessionContribution, MirroredDebugSessionFactory
} from './guest/mirrored-debug-sessions';
import { HostDebugSharing } from './host/host-debug-sharing';

/** Debugging together: shared breakpoints (source, function, exception filters), the host's debug sessions in the guests' Debug view. */
export function bindDebug(bind: interfaces.Bind, rebind: interfaces.Rebind): void {
    bind(MirrorChannels).toSelf().inSingletonScope();
    bind(MirroredDebugSessionFactory).toDynamicValue(ctx => new MirroredDebugSessionFactory(ctx.container, ctx.container.get(MirrorChannels))).inSingletonScope();
    bind(DebugSessionContribution).toDynamicValue(ctx => new MirroredDebugSessionContribution(ctx.container.get(MirroredDebugSessionFactory))).inSingletonScope();
    bind(EnsembleDebugSessionManager).toSelf().inSingletonScope();
    rebind(DebugSessionManager).toService(EnsembleDebugSessionManager);

    bind(BreakpointSync).toSelf().inSingletonScope();
    bind(GlobalBreakpointSync).toSelf().inSingletonScope();
    bind(HostDebugSharing).toSelf().inSingletonScope();
    bind(GuestDebugMirrors).toSelf().inSingletonScope();
    bind(DebugSharingContribution).toSelf().inSingletonScope();
    bind(CollaborationSessionContribution).toService(DebugSharingContribution);
    bind(DebugSharingCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(DebugSharingCommandContribution);
}
