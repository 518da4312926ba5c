import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { WorkspaceFileChange } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { FilesChanged, MAX_CHANGES_PER_BROADCAST } from '../../../common/workspace-messages';

/** Characters of paths per broadcast: with the envelope, far below the server's message limit. */
const BATCH_CHARACTERS = 256 * 1024;

/**
 * Tells every guest what changed under the shared roots, in batches that
 * respect the message limits. While the host is not connected the changes
 * are dropped: guests re-read what they show when the host comes back.
 */
export function broadcastFileChanges(session: CollaborationSession, changes: readonly WorkspaceFileChange[]): void {
    if (session.state !== 'connected' || changes.length === 0) {
        return;
    }
    let batch: WorkspaceFileChange[] = [];
    let characters = 0;
    const flush = (): void => {
        if (batch.length > 0) {
            session.sendBroadcast(FilesChanged, { changes: batch });
            batch = [];
            characters = 0;
        }
    };
    for (const { root, path, type } of changes) {
        const size = root.length + path.length + 48;
        if (batch.length >= MAX_CHANGES_PER_BROADCAST || characters + size > BATCH_CHARACTERS) {
            flush();
        }
        batch.push({ root, path, type });
        characters += size;
    }
    flush();
}
