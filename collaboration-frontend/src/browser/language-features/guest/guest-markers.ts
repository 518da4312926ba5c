import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type URI from '@theia/core/lib/common/uri';
import type { ProblemManager } from '@theia/markers/lib/browser/problem/problem-manager';
import type { Diagnostic } from '@theia/core/shared/vscode-languageserver-protocol';
import { toEnsembleUri } from '../../workspace/ensemble-uri';
import { MarkersChanged, MarkersSnapshot, type FileMarkers } from '../language-messages';

/** The owner of the host's diagnostics in a guest's Problems view. */
export const HOST_MARKERS_OWNER = 'ensemble-host';

/**
 * Shows the host's diagnostics of shared files on a guest: in its Problems
 * view and its editors (Theia's ProblemManager on the `ensemble:` URIs).
 * Only the host's messages count; everything is cleared when the session
 * ends.
 */
export function showHostMarkers(session: CollaborationSession, problems: Pick<ProblemManager, 'setMarkers'>): Disposable {
    const shown = new Map<string, URI>();
    const show = ({ target, markers }: FileMarkers, origin: string): void => {
        const roomId = session.roomId;
        if (origin !== session.hostPeerId || !roomId) {
            return;
        }
        const uri = toEnsembleUri(roomId, target);
        const diagnostics: Diagnostic[] = markers.map(({ severity, message, source, code, range }) => ({ severity, message, source, code, range }));
        problems.setMarkers(uri, HOST_MARKERS_OWNER, diagnostics);
        if (diagnostics.length > 0) {
            shown.set(uri.toString(), uri);
        } else {
            shown.delete(uri.toString());
        }
    };
    return new DisposableCollection(
        session.onBroadcast(MarkersChanged, (params, { origin }) => show(params, origin)),
        session.onNotification(MarkersSnapshot, (params, { origin }) => show(params, origin)),
        Disposable.create(() => {
            shown.forEach(uri => problems.setMarkers(uri, HOST_MARKERS_OWNER, []));
            shown.clear();
        })
    );
}
