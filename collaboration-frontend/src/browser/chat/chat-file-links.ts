import { MessageService } from '@theia/core/lib/common/message-service';
import type URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { GuestAwareWorkspaceService } from '../workspace/guest/guest-workspace-service';
import { HostWorkspaceSharing } from '../workspace/host/host-workspace-sharing';
import type { FileReference } from './chat-text';

export interface SharedRoot {
    readonly name: string;
    readonly uri: URI;
}

/**
 * Where a reference may point, most likely first: `<root name>/<rest>` in
 * the folder of that name (multi-root workspaces), then the path in each
 * shared folder in order.
 */
export function candidateUris(reference: FileReference, roots: readonly SharedRoot[]): URI[] {
    const candidates: URI[] = [];
    const slash = reference.path.indexOf('/');
    if (slash > 0) {
        const named = roots.find(root => root.name === reference.path.slice(0, slash));
        if (named) {
            candidates.push(named.uri.resolve(reference.path.slice(slash + 1)));
        }
    }
    roots.forEach(root => candidates.push(root.uri.resolve(reference.path)));
    return candidates;
}

/**
 * Opens a `path:line` of a chat message at that line: on the host its own
 * file, on a guest the host's file through `ensemble:` URIs. Paths are
 * relative to the shared folders.
 */
@injectable()
export class ChatFileLinks {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(GuestAwareWorkspaceService) protected readonly guestWorkspace!: GuestAwareWorkspaceService;
    @inject(FileService) protected readonly fileService!: FileService;
    @inject(EditorManager) protected readonly editorManager!: EditorManager;
    @inject(MessageService) protected readonly messages!: MessageService;

    /** The shared folders as this window sees them. */
    sharedRoots(): readonly SharedRoot[] {
        if (this.sessions.isHost) {
            return this.sharing.sharedFolders;
        }
        return this.guestWorkspace.guestWorkspace?.roots ?? [];
    }

    /** The file a reference names, or undefined when no shared folder has it. */
    async resolve(reference: FileReference): Promise<URI | undefined> {
        for (const uri of candidateUris(reference, this.sharedRoots())) {
            try {
                if ((await this.fileService.resolve(uri)).isFile) {
                    return uri;
                }
            } catch {
                // not there: try the next folder
            }
        }
        return undefined;
    }

    /** Opens the file at the line; tells the user (and never rejects) when it cannot. */
    async open(reference: FileReference): Promise<void> {
        if (this.sessions.session === undefined) {
            this.messages.warn(`Cannot open ${reference.path}: the session is over, and paths in chat name files of the shared workspace.`);
            return;
        }
        const uri = await this.resolve(reference);
        if (!uri) {
            this.messages.warn(`"${reference.path}" is not a file of the shared workspace. Paths in chat are relative to a shared folder, e.g. src/app.ts:12.`);
            return;
        }
        const position = { line: reference.line - 1, character: (reference.column ?? 1) - 1 };
        try {
            await this.editorManager.open(uri, { mode: 'activate', selection: { start: position, end: position } });
        } catch (error) {
            this.messages.error(`Could not open ${reference.path}: ${error instanceof Error ? error.message : String(error)}. Try again, or open it from the explorer.`);
        }
    }
}
