import type { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { colorClassSuffix } from './cursor-styles';
import type { RemoteCursorsSnapshot } from './cursor-session';
import { RemoteCursorsContribution } from './remote-cursors-contribution';

export interface CursorsDiagnostics {
    /** The class suffix of this window's own colour (as others draw its cursor). */
    ownColorSuffix(): string | undefined;
    /** The other peers' selections this window holds. */
    remote(): RemoteCursorsSnapshot[];
    /** The peer this window follows. */
    following(): string | undefined;
}

/** A read-only view on `window.ensembleCursors`, for bug reports and the browser end-to-end tests. */
@injectable()
export class CursorsDiagnosticsContribution implements FrontendApplicationContribution {
    @inject(RemoteCursorsContribution) protected readonly cursors!: RemoteCursorsContribution;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    onStart(): void {
        const diagnostics: CursorsDiagnostics = {
            ownColorSuffix: () => {
                const color = this.sessions.ownStatus.color;
                return typeof color === 'string' ? colorClassSuffix(color) : undefined;
            },
            remote: () => this.cursors.session?.snapshot() ?? [],
            following: () => this.sessions.followedPeerId
        };
        (globalThis as { ensembleCursors?: CursorsDiagnostics }).ensembleCursors = diagnostics;
    }
}
