import type { TextOperation } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import type URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { documentKey } from '../editor-sync/document-key';
import { authorityOpsSince } from './authority-ops';
import { GuestEditorSync } from '../editor-sync/guest/guest-editor-sync';
import { HostEditorSync } from '../editor-sync/host/host-editor-sync';
import { parseEnsembleUri } from '../workspace/ensemble-uri';
import { HostWorkspaceSharing } from '../workspace/host/host-workspace-sharing';

/** A shared document as this window sees it right now. */
export interface SharedDocumentState {
    /** The authority's revision this window's text is at. */
    readonly revision: number;
    /** True when the window's model equals the text at `revision` (a guest with no unacknowledged edit; the host always). */
    readonly settled: boolean;
    /** A guest's unacknowledged edits: its model is the text at `revision` plus these. */
    readonly pending?: TextOperation;
}

/**
 * Maps editors to shared documents for cursors and follow mode, on the host
 * (its `file:` URIs under a shared folder) and on guests (`ensemble:` URIs),
 * and reads the document's revision from editor sync.
 */
@injectable()
export class SharedDocuments {
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(HostEditorSync) protected readonly host!: HostEditorSync;
    @inject(GuestEditorSync) protected readonly guest!: GuestEditorSync;

    /** The shared path of an editor's URI, or undefined for a file that is not shared. */
    sharedPath(uri: URI, isHost: boolean): SharedPath | undefined {
        if (isHost) {
            return uri.scheme === 'file' ? this.sharing.toSharedPath(uri) : undefined;
        }
        const parsed = parseEnsembleUri(uri);
        return parsed && { root: parsed.root, path: parsed.path };
    }

    key(uri: URI, isHost: boolean): string | undefined {
        const target = this.sharedPath(uri, isHost);
        return target && documentKey(target);
    }

    /** The revision of a document peers have open (undefined on the host while no guest has it open). */
    state(target: SharedPath, isHost: boolean): SharedDocumentState | undefined {
        if (isHost) {
            const document = this.host.documents?.get(documentKey(target));
            return document && { revision: document.revision, settled: true };
        }
        const document = this.guest.find(target);
        return document && document.state !== 'opening'
            ? { revision: document.revision, settled: document.state === 'synchronized', pending: document.pending }
            : undefined;
    }

    /** The host's operations after `revision` from its authority's log, or undefined when they are not all there. */
    hostOpsSince(key: string, revision: number): TextOperation[] | undefined {
        const authority = this.host.documents?.get(key)?.authority;
        return authority && authorityOpsSince(authority, revision);
    }
}
